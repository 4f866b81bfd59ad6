import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from kelompok.models import Kelompok
from klaster import akses
from klaster.format import format_tanggal
from klaster.forms import PilihKlasterForm, tambah_galat_service
from klaster.models import Klaster
from mitra import nik as nik_rules
from mitra import selectors, services
from mitra.filters import MitraFilter
from mitra.forms import MitraForm
from mitra.models import JenisKelamin

PER_HALAMAN = 50


def _pk(raw) -> int:
    if raw is None or not str(raw).isdecimal():  # "²".isdigit(), int() refuses it
        raise Http404
    return int(raw)


def tujuan_tambah(request) -> tuple[Klaster | None, Kelompok | None]:
    """Where a new record goes: ?kelompok=, ?klaster=, or the user's only klaster.

    Returns (None, None) when the user works in several klaster and has not chosen yet.
    """
    if request.GET.get("kelompok"):
        kelompok = get_object_or_404(
            Kelompok.objects.visible_to(request.user).select_related("klaster"),
            pk=_pk(request.GET["kelompok"]),
        )
        return kelompok.klaster, kelompok
    if request.GET.get("klaster"):
        pk = _pk(request.GET["klaster"])
        return akses.get_visible_or_404(Klaster, request.user, pk=pk), None
    pilihan = list(Klaster.objects.visible_to(request.user).order_by("pk")[:2])
    if len(pilihan) == 1:
        return pilihan[0], None
    return None, None


def _mitra_terlihat(request, pk):
    # outside the user's scope answers 404, never 403
    return get_object_or_404(selectors.mitra_untuk_detail(request.user), pk=pk)


@login_required
@require_GET
def mitra_list(request):
    akses.require_petugas(request.user)  # members' data: the programme's staff only
    filter_ = MitraFilter(
        request.GET, queryset=selectors.mitra_daftar(request.user), user=request.user
    )
    halaman = Paginator(filter_.qs, PER_HALAMAN).get_page(request.GET.get("halaman"))
    parameter = request.GET.copy()
    parameter.pop("halaman", None)
    return render(
        request,
        "mitra/list.html",
        {
            "filter": filter_,
            "halaman": halaman,
            "mitra_list": halaman.object_list,
            "parameter": parameter.urlencode(),
            "boleh_tambah": akses.boleh_menulis(request.user),
        },
    )


@login_required
@require_GET
def mitra_detail(request, pk):
    mitra = _mitra_terlihat(request, pk)
    akses.require_petugas_di(request.user, mitra.klaster_id)
    konteks = {
        "mitra": mitra,
        "pengukuran_list": selectors.pengukuran_mitra(mitra),
        "boleh_ubah": akses.boleh_menulis_di(request.user, mitra.klaster_id),
    }
    return render(request, "mitra/detail.html", konteks)


@login_required
@require_http_methods(["GET", "POST"])
def mitra_tambah(request):
    akses.require_petugas(request.user)
    klaster, kelompok = tujuan_tambah(request)
    if klaster is None:
        return render(
            request,
            "mitra/pilih_klaster.html",
            {"form": PilihKlasterForm(user=request.user), "judul": _("Tambah mitra")},
        )
    akses.require_petugas_di(request.user, klaster)
    initial = {"tanggal_bergabung": timezone.localdate()}
    if kelompok is not None:
        initial.update(kelompok=kelompok, sektor=kelompok.sektor, desa=kelompok.desa_id)
    form = MitraForm(request.POST or None, klaster=klaster, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.data_service()
        konfirmasi = data.pop("konfirmasi_beda_nik")
        try:
            mitra = services.mitra_buat(
                oleh=request.user, klaster=klaster, konfirmasi_beda_nik=konfirmasi, **data
            )
        except services.NikBedaDenganData as e:
            form.minta_konfirmasi(e)
        except ValidationError as e:
            tambah_galat_service(form, e)
        else:
            messages.success(request, _("Mitra %(nama)s terdaftar.") % {"nama": mitra.nama})
            return redirect(mitra)
    return render(
        request,
        "mitra/form.html",
        {"form": form, "klaster": klaster, "judul": _("Tambah mitra")},
        status=422 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def mitra_ubah(request, pk):
    mitra = _mitra_terlihat(request, pk)
    akses.require_petugas_di(request.user, mitra.klaster_id)
    form = MitraForm(request.POST or None, instance=mitra, klaster=mitra.klaster, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.data_service()
        konfirmasi = data.pop("konfirmasi_beda_nik")
        try:
            mitra = services.mitra_ubah(
                mitra=mitra, oleh=request.user, konfirmasi_beda_nik=konfirmasi, **data
            )
        except services.NikBedaDenganData as e:
            form.minta_konfirmasi(e)
        except ValidationError as e:
            tambah_galat_service(form, e)
        else:
            messages.success(request, _("Data mitra %(nama)s tersimpan.") % {"nama": mitra.nama})
            return redirect(mitra)
    return render(
        request,
        "mitra/form.html",
        {"form": form, "klaster": mitra.klaster, "mitra": mitra, "judul": _("Ubah mitra")},
        status=422 if request.method == "POST" else 200,
    )


def _tanggal_iso(raw):
    """A yyyy-mm-dd date from the query, or None (anything else is ignored, never a 500)."""
    try:
        return datetime.date.fromisoformat(str(raw)) if raw else None
    except ValueError:
        return None


@login_required
@require_GET
def periksa_nik(request):
    """The NIK checked while it is typed on the mitra form (static/js/mitra-nik.js): the
    rules and messages of the server (mitra.nik.periksa_nik), the birth date and gender the
    NIK encodes, the warnings when the typed birth date or gender disagree, and a duplicate:
    a link to that mitra when it is in the user's scope, a neutral message otherwise (the
    message of mitra.services). ?nik=, optional ?kecuali=<pk being edited>, ?tanggal_lahir=,
    ?jenis_kelamin=. Queries: the kecamatan code, and the duplicate (one more when taken)."""
    akses.require_petugas(request.user)
    hasil = nik_rules.periksa_nik(str(request.GET.get("nik", ""))[:40])
    jawaban = {
        "nik": hasil.nik,
        "valid": hasil.valid,
        "galat": [str(g) for g in hasil.galat],
        "tanggal_lahir": None,
        "tanggal_lahir_teks": None,
        "jenis_kelamin": None,
        "jenis_kelamin_teks": None,
        "peringatan": [],
        "duplikat": None,
    }
    if hasil.valid:
        jawaban.update(
            tanggal_lahir=hasil.tanggal_lahir.isoformat(),
            tanggal_lahir_teks=format_tanggal(hasil.tanggal_lahir),
            jenis_kelamin=hasil.jenis_kelamin,
            jenis_kelamin_teks=str(JenisKelamin(hasil.jenis_kelamin).label),
            peringatan=[
                str(p)
                for p in nik_rules.beda_dengan_data(
                    hasil,
                    tanggal_lahir=_tanggal_iso(request.GET.get("tanggal_lahir")),
                    jenis_kelamin=request.GET.get("jenis_kelamin") or None,
                )
            ],
        )
        kecuali = str(request.GET.get("kecuali", ""))
        terdaftar = services.nik_terdaftar(
            nik=hasil.nik,
            oleh=request.user,
            kecuali_pk=int(kecuali) if kecuali.isdecimal() and len(kecuali) < 12 else None,
        )
        if terdaftar is not None:
            pesan, mitra = terdaftar
            jawaban["duplikat"] = {
                "pesan": str(pesan),
                "url": mitra.get_absolute_url() if mitra is not None else None,
                "nama": mitra.nama if mitra is not None else None,
            }
    return JsonResponse(jawaban)

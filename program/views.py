"""Programme pages: activities, outside parties, market links, survey rounds and the phone
survey screen. Thin views: scope (404 outside it), role (403), form, service, render."""

import mimetypes
import uuid
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from kelompok.models import Kelompok
from klaster import akses
from klaster.forms import PilihKlasterForm, tambah_galat_service
from klaster.models import Klaster
from kunjungan.selectors import anggota_kelompok
from mitra.models import Mitra
from program import penilaian, selectors, services
from program.forms import (
    JawabanForm,
    KegiatanForm,
    PenilaianForm,
    PihakLuarForm,
    PutaranForm,
    TautanForm,
)
from program.models import JawabanSurvei, KegiatanProgram, PihakLuar, PutaranSurvei, TautanPasar

PER_HALAMAN = 25


def _pk(raw) -> int:
    raw = str(raw or "")
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 18:
        raise Http404
    return int(raw)


def _klaster_tujuan(request) -> Klaster | None:
    """Where a new record goes: ?klaster=, or the user's only klaster; None when the user
    works in several and has not chosen yet."""
    if request.GET.get("klaster"):
        return akses.get_visible_or_404(Klaster, request.user, pk=_pk(request.GET["klaster"]))
    pilihan = list(Klaster.objects.visible_to(request.user).order_by("pk")[:2])
    return pilihan[0] if len(pilihan) == 1 else None


def _pilih_klaster(request, judul):
    return render(
        request,
        "program/pilih_klaster.html",
        {"form": PilihKlasterForm(user=request.user), "judul": judul},
    )


def _halaman(request, qs):
    halaman = Paginator(qs, PER_HALAMAN).get_page(request.GET.get("halaman"))
    query = request.GET.copy()
    query.pop("halaman", None)
    return halaman, query.urlencode()


def _minta_json(request) -> bool:
    # the offline queue (static/js/antrian.js) sends with fetch() and reads JSON
    return request.headers.get("X-Requested-With") == "fetch"


# --- activities ----------------------------------------------------------------------------


def _daftar_per_jenis(request, qs, jenis_pilihan, template, konteks=None):
    """A paginated list that may be narrowed to one kind (?jenis=); an unknown kind shows all."""
    jenis = request.GET.get("jenis", "")
    if jenis in jenis_pilihan.values:
        qs = qs.filter(jenis=jenis)
    else:
        jenis = ""
    halaman, query = _halaman(request, qs)
    return render(
        request,
        template,
        {
            "halaman": halaman,
            "query": query,
            "jenis": jenis,
            "jenis_pilihan": jenis_pilihan.choices,
            **(konteks or {}),
        },
    )


@login_required
@require_GET
def kegiatan_list(request):
    akses.require_petugas(request.user)
    return _daftar_per_jenis(
        request,
        selectors.kegiatan_list(request.user),
        KegiatanProgram.Jenis,
        "program/kegiatan_list.html",
    )


@login_required
@require_http_methods(["GET", "POST"])
def kegiatan_baru(request):
    akses.require_petugas(request.user)
    klaster = _klaster_tujuan(request)
    if klaster is None:
        return _pilih_klaster(request, _("Catat kegiatan program"))
    akses.require_petugas_di(request.user, klaster)
    mitra = (
        Mitra.objects.filter(klaster=klaster)
        .exclude(status=Mitra.Status.KELUAR)
        .select_related("kelompok")
        .order_by("kelompok__kode", "nama", "pk")
    )
    hari_ini = timezone.localdate()
    form = KegiatanForm(
        request.POST or None,
        request.FILES or None,
        klaster=klaster,
        mitra=mitra,
        pengguna=request.user,
        initial={
            "uuid": KegiatanForm.uuid_baru(),
            "tanggal": hari_ini,
            "fasilitator": request.user.pk,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            kegiatan = services.kegiatan_catat(
                oleh=request.user, klaster=klaster, **form.data_layanan()
            )
        except ValidationError as e:
            tambah_galat_service(form, e)
        else:
            messages.success(request, _("Kegiatan %(judul)s tercatat.") % {"judul": kegiatan.judul})
            return redirect(kegiatan)
    return render(
        request,
        "program/kegiatan_form.html",
        {"form": form, "klaster": klaster, "kelompok_peserta": form.kelompok_peserta()},
        status=422 if request.method == "POST" else 200,
    )


@login_required
@require_GET
def kegiatan_detail(request, pk):
    kegiatan = get_object_or_404(
        selectors.kegiatan_list(request.user).select_related("sumber_dana", "dicatat_oleh"),
        pk=pk,
    )
    akses.require_petugas_di(request.user, kegiatan.klaster_id)  # a role in its klaster
    return render(
        request,
        "program/kegiatan_detail.html",
        {
            "kegiatan": kegiatan,
            "peserta": kegiatan.peserta.select_related("kelompok").order_by(
                "kelompok__kode", "nama", "pk"
            ),
            "pihak_luar": kegiatan.pihak_luar.order_by("nama"),
        },
    )


@login_required
@require_GET
def kegiatan_foto(request, pk):
    """An activity's photo, to whoever may see the activity (no public media URL)."""
    kegiatan = get_object_or_404(
        KegiatanProgram.objects.visible_to(request.user).only("foto", "klaster_id"), pk=pk
    )
    akses.require_petugas_di(request.user, kegiatan.klaster_id)
    if not kegiatan.foto:
        raise Http404
    nama = kegiatan.foto.name
    jenis = mimetypes.guess_type(nama)[0] or "application/octet-stream"
    if settings.MEDIA_ACCEL_REDIRECT:
        response = HttpResponse(content_type=jenis)
        response["X-Accel-Redirect"] = settings.MEDIA_ACCEL_REDIRECT + quote(nama)
    elif settings.MEDIA_X_SENDFILE:
        response = HttpResponse(content_type=jenis)
        response["X-Sendfile"] = kegiatan.foto.path
    else:
        try:
            response = FileResponse(kegiatan.foto.open("rb"), content_type=jenis)
        except FileNotFoundError:
            raise Http404 from None
    response["Cache-Control"] = "private, max-age=3600"
    return response


# --- outside parties -----------------------------------------------------------------------


@login_required
@require_GET
def pihak_luar_list(request):
    akses.require_petugas(request.user)
    return _daftar_per_jenis(
        request,
        selectors.pihak_luar_list(request.user),
        PihakLuar.Jenis,
        "program/pihak_luar_list.html",
    )


@login_required
@require_http_methods(["GET", "POST"])
def pihak_luar_baru(request):
    akses.require_petugas(request.user)
    klaster = _klaster_tujuan(request)
    if klaster is None:
        return _pilih_klaster(request, _("Daftarkan pihak luar"))
    akses.require_petugas_di(request.user, klaster)
    form = PihakLuarForm(request.POST or None, klaster=klaster)
    if request.method == "POST" and form.is_valid():
        try:
            pihak = services.pihak_luar_buat(
                oleh=request.user, klaster=klaster, **form.cleaned_data
            )
        except ValidationError as e:
            tambah_galat_service(form, e)
        else:
            messages.success(request, _("%(nama)s terdaftar.") % {"nama": pihak.nama})
            return redirect(pihak)
    return render(
        request,
        "program/form.html",
        {"form": form, "klaster": klaster, "judul": _("Daftarkan pihak luar"),
         "batal": reverse("program:pihak_luar_list")},
        status=422 if request.method == "POST" else 200,
    )  # fmt: skip


@login_required
@require_GET
def pihak_luar_detail(request, pk):
    pihak = get_object_or_404(
        PihakLuar.objects.visible_to(request.user).select_related("klaster", "desa", "kabupaten"),
        pk=pk,
    )
    akses.require_petugas_di(request.user, pihak.klaster_id)
    return render(
        request,
        "program/pihak_luar_detail.html",
        {
            "pihak": pihak,
            "kegiatan": pihak.kegiatan.order_by("-tanggal", "-pk")[:50],
            "tautan": pihak.tautan.select_related("mitra", "kelompok").order_by(
                "-tanggal_mulai", "-pk"
            ),
        },
    )


# --- market links --------------------------------------------------------------------------


@login_required
@require_GET
def tautan_list(request):
    akses.require_petugas(request.user)
    return _daftar_per_jenis(
        request,
        selectors.tautan_list(request.user),
        TautanPasar.Jenis,
        "program/tautan_list.html",
        {"hari_ini": timezone.localdate()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def tautan_baru(request):
    akses.require_petugas(request.user)
    klaster = _klaster_tujuan(request)
    if klaster is None:
        return _pilih_klaster(request, _("Catat tautan pasar"))
    akses.require_petugas_di(request.user, klaster)
    form = TautanForm(
        request.POST or None, klaster=klaster, initial={"tanggal_mulai": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            tautan = services.tautan_pasar_buat(
                oleh=request.user, klaster=klaster, **form.cleaned_data
            )
        except ValidationError as e:
            tambah_galat_service(form, e)
        else:
            messages.success(request, _("Tautan pasar tercatat."))
            return redirect(tautan)
    return render(
        request,
        "program/form.html",
        {"form": form, "klaster": klaster, "judul": _("Catat tautan pasar"),
         "batal": reverse("program:tautan_list")},
        status=422 if request.method == "POST" else 200,
    )  # fmt: skip


@login_required
@require_GET
def tautan_detail(request, pk):
    tautan = get_object_or_404(
        selectors.tautan_list(request.user).select_related("dicatat_oleh"), pk=pk
    )
    akses.require_petugas_di(request.user, tautan.klaster_id)
    return render(request, "program/tautan_detail.html", {"tautan": tautan})


# --- survey rounds -------------------------------------------------------------------------


@login_required
@require_GET
def putaran_list(request):
    akses.require_petugas(request.user)
    halaman, query = _halaman(request, selectors.putaran_list(request.user))
    return render(request, "program/putaran_list.html", {"halaman": halaman, "query": query})


@login_required
@require_http_methods(["GET", "POST"])
def putaran_baru(request):
    akses.require_manajer(request.user)
    klaster = _klaster_tujuan(request)
    if klaster is None:
        return _pilih_klaster(request, _("Buka putaran survei"))
    akses.require_manajer_di(request.user, klaster)
    form = PutaranForm(request.POST or None, initial={"tanggal_mulai": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            putaran = services.putaran_buat(oleh=request.user, klaster=klaster, **form.cleaned_data)
        except ValidationError as e:
            tambah_galat_service(form, e)
        else:
            messages.success(request, _("Putaran %(nama)s dibuka.") % {"nama": putaran.nama})
            return redirect(putaran)
    return render(
        request,
        "program/form.html",
        {"form": form, "klaster": klaster, "judul": _("Buka putaran survei"),
         "batal": reverse("program:putaran_list")},
        status=422 if request.method == "POST" else 200,
    )  # fmt: skip


@login_required
@require_GET
def putaran_detail(request, pk):
    putaran = get_object_or_404(
        PutaranSurvei.objects.visible_to(request.user).select_related("klaster"), pk=pk
    )
    akses.require_petugas_di(request.user, putaran.klaster_id)
    aktif = ~Q(anggota__status=Mitra.Status.KELUAR)
    kelompok = (
        Kelompok.objects.filter(klaster=putaran.klaster_id)
        .annotate(
            n_anggota=Count("anggota", filter=aktif, distinct=True),
            n_jawaban=Count(
                "anggota__jawaban_survei",
                filter=aktif & Q(anggota__jawaban_survei__putaran=putaran),
                distinct=True,
            ),
        )
        .order_by("kode")
    )
    return render(
        request,
        "program/putaran_detail.html",
        {
            "putaran": putaran,
            "kelompok": kelompok,
            "n_jawaban": JawabanSurvei.objects.filter(putaran=putaran).count(),
            "boleh_isi": akses.boleh_menulis_di(request.user, putaran.klaster_id),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def survei_isi(request, putaran_pk, kelompok_pk):
    """The phone survey screen: one form per member, shown one after the other; each answer
    is sent on its own (through the offline queue when there is no signal) and recorded
    once by its uuid."""
    putaran = get_object_or_404(
        PutaranSurvei.objects.visible_to(request.user).select_related("klaster"), pk=putaran_pk
    )
    kelompok = get_object_or_404(
        Kelompok.objects.filter(klaster=putaran.klaster_id), pk=kelompok_pk
    )
    if akses.peran_di(request.user, putaran.klaster_id) is None:
        raise PermissionDenied(_("Hanya petugas klaster ini yang mengisi survei."))
    anggota = list(anggota_kelompok(kelompok).order_by("nama", "pk"))
    terbuka = None
    if request.method == "POST":
        dikirim = request.POST.get("mitra", "")
        form = JawabanForm(
            request.POST,
            putaran=putaran,
            anggota=anggota,
            auto_id=f"id_{dikirim if dikirim.isdigit() else 'x'}_%s",
        )
        if form.is_valid():
            try:
                jawaban = services.jawaban_survei_catat(
                    oleh=request.user, putaran=putaran, **form.data_layanan()
                )
            except ValidationError as e:
                tambah_galat_service(form, e)
            else:
                return _jawaban_tercatat(request, putaran, kelompok, jawaban, anggota)
        # a resend of an answer already recorded that the form now refuses (the member
        # left the kelompok since): answer as if it succeeded
        ada = _jawaban_terkirim(request, putaran)
        if ada is not None:
            return _jawaban_tercatat(request, putaran, kelompok, ada, anggota)
        if _minta_json(request):
            return _galat_json(form)
        terbuka = form
    sudah = dict(
        JawabanSurvei.objects.filter(
            putaran=putaran, mitra__in=[m.pk for m in anggota]
        ).values_list("mitra_id", "tanggal")
    )
    hari_ini = timezone.localdate()
    baris = []
    for m in anggota:
        if terbuka is not None and terbuka.data.get("mitra") == str(m.pk):
            form = terbuka
        else:
            form = JawabanForm(
                putaran=putaran,
                anggota=anggota,
                auto_id=f"id_{m.pk}_%s",
                initial={
                    "uuid": KegiatanForm.uuid_baru(),
                    "mitra": m.pk,
                    "tanggal": hari_ini,
                    "jumlah_anggota_keluarga": m.jumlah_anggota_keluarga,
                },
            )
        baris.append({"mitra": m, "sudah": sudah.get(m.pk), "form": form})
    return render(
        request,
        "program/survei_isi.html",
        {
            "putaran": putaran,
            "kelompok": kelompok,
            "baris": baris,
            "n_sudah": len(sudah),
            "ditutup": bool(putaran.tanggal_selesai and putaran.tanggal_selesai < hari_ini),
        },
        status=422 if terbuka is not None else 200,
    )


def _jawaban_tercatat(request, putaran, kelompok, jawaban, anggota):
    url = reverse("program:survei_isi", args=[putaran.pk, kelompok.pk])
    if _minta_json(request):
        return JsonResponse({"ok": True, "url": url, "uuid": str(jawaban.uuid)})
    messages.success(request, _("Jawaban %(nama)s tersimpan.") % {"nama": jawaban.mitra.nama})
    ids = [m.pk for m in anggota]
    i = ids.index(jawaban.mitra_id) if jawaban.mitra_id in ids else -1
    lanjut = f"#anggota-{ids[i + 1]}" if 0 <= i < len(ids) - 1 else ""
    return redirect(url + lanjut)


def _jawaban_terkirim(request, putaran) -> JawabanSurvei | None:
    try:
        nilai = uuid.UUID(request.POST.get("uuid", ""))
    except ValueError:
        return None
    return (
        JawabanSurvei.objects.filter(uuid=nilai, putaran=putaran, dicatat_oleh=request.user)
        .select_related("mitra")
        .first()
    )


def _galat_json(form) -> JsonResponse:
    """Errors as the queue shows them away from the form: sentences naming the member."""
    nama = ""
    mitra_id = form.data.get("mitra", "")
    if str(mitra_id).isdigit():
        m = form.anggota.get(int(mitra_id))
        nama = m.nama if m else ""
    pesan = []
    for field, daftar in form.errors.items():
        label = str(form.fields[field].label or "") if field in form.fields else ""
        for teks in daftar:
            bagian = [x for x in (nama, label) if x]
            pesan.append(f"{' · '.join(bagian)}: {teks}" if bagian else teks)
    return JsonResponse(
        {"ok": False, "errors": form.errors.get_json_data(), "pesan": pesan}, status=422
    )


@login_required
@require_http_methods(["GET", "POST"])
def penilaian_baru(request, pk):
    """A maturity assessment of a kelompok: the indicators from the records for the chosen
    date (read-only), the judged scores, the level on save."""
    kelompok = get_object_or_404(
        Kelompok.objects.visible_to(request.user).select_related("klaster"), pk=pk
    )
    akses.require_petugas_di(request.user, kelompok.klaster_id)
    hari_ini = timezone.localdate()
    form = PenilaianForm(request.POST or None, initial={"tanggal": hari_ini})
    tanggal = hari_ini
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.penilaian_kelompok_catat(oleh=request.user, kelompok=kelompok, **d)
            except ValidationError as e:
                tambah_galat_service(form, e)
            else:
                messages.success(request, _("Penilaian kelompok tersimpan."))
                return redirect(kelompok)
        tanggal = form.cleaned_data.get("tanggal") or hari_ini
    tanggal = min(tanggal, hari_ini)
    return render(
        request,
        "program/penilaian_form.html",
        {
            "kelompok": kelompok,
            "form": form,
            "tanggal": tanggal,
            "indikator": penilaian.indikator(kelompok, tanggal),
        },
        status=422 if request.method == "POST" else 200,
    )

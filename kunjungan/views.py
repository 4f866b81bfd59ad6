"""Field visits: the meeting screen, history, follow-ups and the manager's tables (the
facilitator's home is in laporan.views_beranda). Thin views: scope, form, service or
selector, render."""

import datetime
import mimetypes
import uuid
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kelompok.models import Kelompok
from klaster import akses
from kunjungan import selectors, services
from kunjungan.forms import KunjunganFilter, KunjunganForm
from kunjungan.models import Kunjungan
from tabungan.selectors import saldo_per_mitra


@login_required
@require_http_methods(["GET", "POST"])
def kunjungan_baru(request):
    """The meeting screen: attendance, readings, instalments, notes, photo, location —
    one page, one submit, one transaction."""
    akses.require_petugas(request.user)
    pk = request.GET.get("kelompok", "")
    if not pk:
        if request.method == "POST":
            raise Http404
        daftar = selectors.kelompok_dengan_kunjungan_terakhir(request.user).order_by("kode")
        return render(request, "kunjungan/pilih_kelompok.html", {"kelompok_list": daftar})
    if not (pk.isascii() and pk.isdigit()):
        raise Http404
    rapat = selectors.kelompok_dan_anggota(request.user, int(pk))
    if rapat is None:
        raise Http404  # outside the user's klaster: not found, not forbidden
    kelompok, anggota = rapat
    akses.require_petugas_di(request.user, kelompok.klaster_id)

    hari_ini = timezone.localdate()
    # The loans are only needed to draw the instalment fields: a POST that carries no
    # instalment (most meetings) saves without reading them.
    dengan_pinjaman = request.method == "GET" or _ada_angsuran(request.POST)
    if dengan_pinjaman:
        selectors.tambah_pinjaman(anggota, per_tanggal=hari_ini)
    if request.method == "POST":
        form = KunjunganForm(request.POST, request.FILES, anggota=anggota)
        if form.is_valid():
            try:
                # a resend of a visit already saved comes back from the service as that visit
                kunjungan = services.kunjungan_catat(
                    oleh=request.user, kelompok=kelompok, anggota=anggota, **form.data_layanan()
                )
            except ValidationError as e:
                _tambah_galat(form, e)
            else:
                return _tercatat(request, kunjungan)
        else:
            # A resend of a visit already saved (retry, double tap, offline queue) that the
            # form now refuses (a member left, a loan was repaid): answer as if it
            # succeeded. Looked up only here; a valid form meets the unique uuid instead.
            ada = _kunjungan_terkirim(request)
            if ada is not None:
                return _tercatat(request, ada)
        if _minta_json(request):
            return _galat_json(form)
        if not dengan_pinjaman:
            selectors.tambah_pinjaman(anggota, per_tanggal=hari_ini)
            form.pasang_angsuran()
        status = 422
    else:
        form = KunjunganForm(
            anggota=anggota,
            initial={
                "uuid": KunjunganForm.uuid_baru(),
                "tanggal": hari_ini,
                "jenis_kegiatan": Kunjungan.JenisKegiatan.PERTEMUAN_KELOMPOK,
            },
        )
        status = 200
    # each member's savings balance today, shown under the deposit field (one query)
    saldo = saldo_per_mitra(kelompok.pk, hari_ini)
    for m in anggota:
        m.saldo_tabungan = saldo.get(m.pk)
    return render(
        request,
        "kunjungan/baru.html",
        {
            "kelompok": kelompok,
            "form": form,
            "baris": form.baris(),
            "hari_ini": hari_ini,
            "ada_pinjaman": any(m.pinjaman for m in anggota),
        },
        status=status,
    )


def _ada_angsuran(data) -> bool:
    return any(k.startswith("angsuran_") and v.strip() for k, v in data.items())


def _tercatat(request, kunjungan: Kunjungan):
    if _minta_json(request):
        return _jawaban_json(kunjungan)
    messages.success(request, _("Kunjungan tercatat."))
    return redirect(kunjungan)


def _kunjungan_terkirim(request) -> Kunjungan | None:
    try:
        nilai = uuid.UUID(request.POST.get("uuid", ""))
    except ValueError:
        return None
    return Kunjungan.objects.filter(uuid=nilai, fasilitator=request.user).first()


def _minta_json(request) -> bool:
    # the offline queue (static/js/antrian.js) sends a stored visit with fetch() and reads
    # the answer; a plain form post keeps its HTML answer
    return request.headers.get("X-Requested-With") == "fetch"


def _jawaban_json(kunjungan: Kunjungan) -> JsonResponse:
    return JsonResponse(
        {"ok": True, "url": kunjungan.get_absolute_url(), "uuid": str(kunjungan.uuid)}
    )


def _galat_json(form) -> JsonResponse:
    """The form's errors as the queue shows them: per field, and as sentences that name
    the member of a row (a stored visit is shown away from its form)."""
    nama = {m.pk: m.nama for m in form.anggota}
    pesan = []
    for field, daftar in form.errors.items():
        awalan = ""
        if field.startswith(("pendapatan_", "angsuran_", "tabungan_")):
            awalan = nama.get(int(field.rsplit("_", 1)[1]), "")
        elif field != "__all__" and field in form.fields:
            awalan = str(form.fields[field].label or "")
        for teks in daftar:
            pesan.append(f"{awalan}: {teks}" if awalan and awalan not in teks else teks)
    return JsonResponse(
        {"ok": False, "errors": form.errors.get_json_data(), "pesan": pesan}, status=422
    )


def _tambah_galat(form, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, daftar in error.error_dict.items():
        form.add_error(field if field in form.fields else None, daftar)


@login_required
@require_GET
def kunjungan_list(request):
    akses.require_petugas(request.user)
    filterset = KunjunganFilter(
        request.GET or None,
        queryset=selectors.kunjungan_list(request.user),
        kelompok_qs=Kelompok.objects.visible_to(request.user).order_by("kode"),
        fasilitator_qs=selectors.fasilitator_pilihan(request.user),
        request=request,
    )
    halaman = Paginator(filterset.qs, 25).get_page(request.GET.get("halaman"))
    query = request.GET.copy()
    query.pop("halaman", None)
    return render(
        request,
        "kunjungan/list.html",
        {"filter": filterset, "halaman": halaman, "query": query.urlencode()},
    )


@login_required
@require_GET
def kunjungan_detail(request, pk):
    kunjungan = get_object_or_404(
        Kunjungan.objects.visible_to(request.user).select_related(
            "kelompok", "klaster", "fasilitator"
        ),
        pk=pk,
    )
    akses.require_petugas_di(request.user, kunjungan.klaster_id)
    return render(
        request,
        "kunjungan/detail.html",
        {"kunjungan": kunjungan, **selectors.kunjungan_detail(kunjungan)},
    )


@login_required
@require_GET
def kunjungan_foto(request, pk):
    """A visit's photo, to whoever may see the visit (404 for anyone else, as the visit).

    Uploaded files have no public URL (config/urls.py serves no MEDIA_URL, not even in
    DEBUG): this view is the only way to them. Behind a proxy it can hand the sending over
    (settings.MEDIA_ACCEL_REDIRECT for nginx, MEDIA_X_SENDFILE for Apache/lighttpd).
    """
    kunjungan = get_object_or_404(
        Kunjungan.objects.visible_to(request.user).only("foto", "klaster_id"), pk=pk
    )
    akses.require_petugas_di(request.user, kunjungan.klaster_id)
    if not kunjungan.foto:
        raise Http404
    nama = kunjungan.foto.name
    jenis = mimetypes.guess_type(nama)[0] or "application/octet-stream"
    if settings.MEDIA_ACCEL_REDIRECT or settings.MEDIA_X_SENDFILE:
        response = HttpResponse(content_type=jenis)
        if settings.MEDIA_ACCEL_REDIRECT:
            response["X-Accel-Redirect"] = settings.MEDIA_ACCEL_REDIRECT + quote(nama)
        else:
            response["X-Sendfile"] = kunjungan.foto.path
    else:
        try:
            berkas = kunjungan.foto.open("rb")
        except FileNotFoundError:
            raise Http404 from None  # the row outlived its file (restored without media)
        response = FileResponse(berkas, content_type=jenis)
    # the facilitator's own browser may keep it; no shared cache may (a photo of people)
    response["Cache-Control"] = "private, max-age=3600"
    return response


@login_required
@require_POST
def kunjungan_tindak_lanjut_selesai(request, pk):
    kunjungan = akses.get_visible_or_404(Kunjungan, request.user, pk=pk)
    akses.require_petugas_di(request.user, kunjungan.klaster_id)
    try:
        services.kunjungan_tindak_lanjut_selesai(kunjungan=kunjungan, oleh=request.user)
    except ValidationError as e:
        for pesan in e.messages:
            messages.error(request, pesan)
    else:
        messages.success(request, _("Tindak lanjut ditandai selesai."))
    lanjut = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        lanjut, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(lanjut)
    return redirect(kunjungan)


@login_required
@require_GET
def kunjungan_rekap(request):
    """Manager: visits per facilitator per month of a year."""
    akses.require_manajer(request.user)
    hari_ini = timezone.localdate()
    try:
        tahun = int(request.GET.get("tahun") or hari_ini.year)
    except ValueError:
        tahun = hari_ini.year
    tahun = min(max(tahun, 2000), hari_ini.year + 1)
    return render(
        request,
        "kunjungan/rekap.html",
        {
            "tahun": tahun,
            "tahun_pilihan": selectors.tahun_kunjungan(request.user, termasuk=tahun),
            "nama_bulan": [datetime.date(tahun, b, 1) for b in range(1, 13)],
            **selectors.rekap_per_fasilitator(request.user, tahun=tahun),
        },
    )


@login_required
@require_GET
def kunjungan_cakupan(request):
    """Manager: kelompok not visited in 30/60/90 days."""
    akses.require_manajer(request.user)
    try:
        ambang = int(request.GET.get("hari") or 30)
    except ValueError:
        ambang = 30
    if ambang not in selectors.AMBANG_CAKUPAN:
        ambang = 30
    hari_ini = timezone.localdate()
    return render(
        request,
        "kunjungan/cakupan.html",
        {
            "hari_ini": hari_ini,
            **selectors.cakupan(request.user, per_tanggal=hari_ini, ambang=ambang),
        },
    )

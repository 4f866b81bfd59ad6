"""/impor/: the manager's spreadsheet import (preview, then confirm) and the matching exports.

Flow: upload → the file is checked without writing (a dry run) and kept in the default storage
under a name only this session knows → the preview lists every rejected row and offers the error
file → "Simpan" re-runs the same import for real, in one transaction, only when no row is
rejected. Only managers import, and only into klaster they manage.
"""

import datetime
import secrets
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from impor import ekspor as ek
from impor import tugas as impor_tugas
from impor.baca import perkiraan_baris
from impor.forms import ImporForm, KonfirmasiForm
from impor.layanan import impor_berkas
from impor.skema import SKEMA
from klaster import akses
from klaster.akses import klaster_dikelola
from tugas import services as tugas_services
from tugas import views as tugas_views

KUNCI_SESI = "impor_berkas"
SIMPAN_SESI_MAKS = 5  # previews kept per session; older temporary files are removed
GALAT_TAMPIL = 200  # rejected rows listed on the page; the error file has all of them
DIUBAH_TAMPIL = 1000  # updated records listed with their changes on the preview
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _skema(jenis):
    if jenis not in SKEMA:
        raise Http404
    return SKEMA[jenis]


# Uploaded files wait for the confirm in the default storage (shared between app servers
# when production uses a shared one), under an unguessable name known only to the session.
# Left-overs of previews never confirmed are removed after a day.
FOLDER = "impor_sementara"
UMUR_MAKS = datetime.timedelta(days=1)


def _nama(token: str, akhiran: str) -> str:
    return f"{FOLDER}/{token}{akhiran}"


def _tulis(token: str, akhiran: str, data: bytes) -> None:
    nama = _nama(token, akhiran)
    default_storage.delete(nama)
    default_storage.save(nama, ContentFile(data))


def baca_sementara(token: str, akhiran: str) -> bytes | None:
    """An uploaded file waiting for its confirm (also read by the background jobs)."""
    return _baca(token, akhiran)


def hapus_sementara(token: str, akhiran: str) -> None:
    for a in (akhiran, ".galat.xlsx"):
        default_storage.delete(_nama(token, a))


def _baca(token: str, akhiran: str) -> bytes | None:
    nama = _nama(token, akhiran)
    if not default_storage.exists(nama):
        return None
    with default_storage.open(nama, "rb") as f:
        return f.read()


def _bersihkan_lama() -> None:
    try:
        _folder, berkas = default_storage.listdir(FOLDER)
    except FileNotFoundError:
        return
    batas = timezone.now() - UMUR_MAKS
    for nama in berkas:
        path = f"{FOLDER}/{nama}"
        if default_storage.get_modified_time(path) < batas:
            default_storage.delete(path)


def _entri(request, token: str) -> dict | None:
    entri = request.session.get(KUNCI_SESI, {}).get(token)
    if entri is None or not token.replace("-", "").replace("_", "").isalnum():
        return None
    return entri


def _simpan_sementara(request, *, jenis, klaster, nama, data, ringkasan) -> str:
    _bersihkan_lama()
    token = secrets.token_urlsafe(18)
    ext = Path(nama).suffix.lower()
    _tulis(token, ext, data)
    if ringkasan is not None and (ringkasan.galat or ringkasan.galat_berkas):
        _tulis(token, ".galat.xlsx", ek.xlsx_galat(ringkasan))
    semua = request.session.get(KUNCI_SESI, {})
    semua[token] = {"jenis": jenis, "klaster": klaster.pk, "nama": nama, "ext": ext}
    if ringkasan is None:  # checked by a background job (impor/tugas.py)
        semua[token]["latar"] = True
    while len(semua) > SIMPAN_SESI_MAKS:
        lama = next(iter(semua))
        _hapus(lama, semua.pop(lama))
    request.session[KUNCI_SESI] = semua
    return token


def _hapus(token: str, entri: dict) -> None:
    for akhiran in (entri["ext"], ".galat.xlsx"):
        default_storage.delete(_nama(token, akhiran))


def _unduhan(data: bytes, nama: str, jenis_konten: str) -> HttpResponse:
    response = HttpResponse(data, content_type=jenis_konten)
    response["Content-Disposition"] = f'attachment; filename="{nama}"'
    return response


def _pratinjau(request, *, skema, klaster, ringkasan, token, status=200):
    diubah = ringkasan.rincian_diubah(DIUBAH_TAMPIL)
    return render(
        request,
        "impor/pratinjau.html",
        {
            "skema": skema,
            "klaster": klaster,
            "r": ringkasan,
            "token": token,
            "form": KonfirmasiForm(initial={"token": token}),
            "galat_tampil": ringkasan.galat[:GALAT_TAMPIL],
            "galat_terpotong": len(ringkasan.galat) > GALAT_TAMPIL,
            "peringatan_tampil": ringkasan.peringatan[:GALAT_TAMPIL],
            "ada_berkas_galat": bool(ringkasan.galat or ringkasan.galat_berkas),
            "diubah_tampil": diubah,
            "diubah_terpotong": ringkasan.diubah - len(diubah),
        },
        status=status,
    )


@login_required
@require_GET
def index(request):
    akses.require_manajer(request.user)
    return render(
        request,
        "impor/index.html",
        {
            "skema_list": list(SKEMA.values()),
            "klaster_list": list(klaster_dikelola(request.user).order_by("nama")),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def unggah(request, jenis):
    akses.require_manajer(request.user)
    skema = _skema(jenis)
    if request.method == "GET":
        form = ImporForm(user=request.user)
        return render(request, "impor/unggah.html", {"skema": skema, "form": form})
    form = ImporForm(request.POST, request.FILES, user=request.user)
    if not form.is_valid():
        return render(request, "impor/unggah.html", {"skema": skema, "form": form}, status=422)
    klaster, berkas = form.cleaned_data["klaster"], form.cleaned_data["berkas"]
    data = berkas.read()
    baris = perkiraan_baris(data, berkas.name)
    if impor_tugas.impor_besar(baris):
        # a large file is checked in the background; its page shows the preview's figures
        token = _simpan_sementara(
            request, jenis=jenis, klaster=klaster, nama=berkas.name, data=data, ringkasan=None
        )
        tugas = tugas_services.tugas_mulai(
            pemilik=request.user,
            jenis=f"impor.periksa_{jenis}",
            judul=_("Periksa impor %(jenis)s: %(nama)s (%(klaster)s)")
            % {"jenis": skema.nama, "nama": berkas.name, "klaster": klaster.nama},
            parameter={
                "jenis": jenis, "klaster": klaster.pk, "token": token, "nama": berkas.name,
                "ext": Path(berkas.name).suffix.lower(), "baris": baris,
            },
            task=impor_tugas.impor_periksa,
        )  # fmt: skip
        return redirect("tugas:detail", pk=tugas.pk)
    ringkasan = impor_berkas(
        jenis=jenis, data=data, nama_berkas=berkas.name, oleh=request.user, klaster=klaster
    )
    token = _simpan_sementara(
        request, jenis=jenis, klaster=klaster, nama=berkas.name, data=data, ringkasan=ringkasan
    )
    status = 200 if ringkasan.boleh_disimpan else 422
    return _pratinjau(
        request, skema=skema, klaster=klaster, ringkasan=ringkasan, token=token, status=status
    )


@login_required
@require_POST
def konfirmasi(request, jenis):
    akses.require_manajer(request.user)
    skema = _skema(jenis)
    form = KonfirmasiForm(request.POST)
    entri = _entri(request, form.data.get("token", "")) if form.is_valid() else None
    if entri is None or entri["jenis"] != jenis:
        messages.error(request, _("Pratinjau ini sudah tidak berlaku; unggah ulang berkasnya."))
        return redirect("impor:unggah", jenis=jenis)
    token = form.cleaned_data["token"]
    # still a manager of that klaster? (an assignment may have ended since the preview)
    klaster = get_object_or_404(klaster_dikelola(request.user), pk=entri["klaster"])
    data = _baca(token, entri["ext"])
    if data is None:
        messages.error(request, _("Pratinjau ini sudah tidak berlaku; unggah ulang berkasnya."))
        return redirect("impor:unggah", jenis=jenis)
    if entri.get("latar"):
        # checked in the background: saved there too; the file leaves with the job
        semua = request.session.get(KUNCI_SESI, {})
        semua.pop(token, None)
        request.session[KUNCI_SESI] = semua
        tugas = tugas_services.tugas_mulai(
            pemilik=request.user,
            jenis=f"impor.simpan_{jenis}",
            judul=_("Impor %(jenis)s: %(nama)s (%(klaster)s)")
            % {"jenis": skema.nama, "nama": entri["nama"], "klaster": klaster.nama},
            parameter={"jenis": jenis, "klaster": klaster.pk, "token": token,
                       "nama": entri["nama"], "ext": entri["ext"]},
            task=impor_tugas.impor_simpan,
        )  # fmt: skip
        return redirect("tugas:detail", pk=tugas.pk)
    ringkasan = impor_berkas(
        jenis=jenis,
        data=data,
        nama_berkas=entri["nama"],
        oleh=request.user,
        klaster=klaster,
        simpan=True,
    )
    if not ringkasan.tersimpan:
        if ringkasan.galat or ringkasan.galat_berkas:
            _tulis(token, ".galat.xlsx", ek.xlsx_galat(ringkasan))
        return _pratinjau(
            request, skema=skema, klaster=klaster, ringkasan=ringkasan, token=token, status=422
        )
    semua = request.session.get(KUNCI_SESI, {})
    _hapus(token, semua.pop(token, entri))
    request.session[KUNCI_SESI] = semua
    messages.success(
        request,
        _(
            "%(nama)s diimpor ke %(klaster)s: %(dibaca)d baris dibaca, %(dibuat)d baru, "
            "%(diubah)d diubah, %(tetap)d tetap, %(dilewati)d dilewati."
        )
        % {
            "nama": entri["nama"],
            "klaster": klaster.nama,
            "dibaca": ringkasan.dibaca,
            "dibuat": ringkasan.dibuat,
            "diubah": ringkasan.diubah,
            "tetap": ringkasan.tetap,
            "dilewati": ringkasan.dilewati,
        },
    )
    return redirect("impor:index")


@login_required
@require_GET
def galat(request, token):
    akses.require_manajer(request.user)
    entri = _entri(request, token)
    data = _baca(token, ".galat.xlsx") if entri else None
    if data is None:
        raise Http404
    nama = f"galat-{Path(entri['nama']).stem}.xlsx"
    return _unduhan(data, nama, XLSX)


@login_required
@require_GET
def templat(request, jenis):
    akses.require_manajer(request.user)
    _skema(jenis)
    if request.GET.get("format") == "csv":
        return _unduhan(ek.templat_csv(jenis), f"templat-{jenis}.csv", "text/csv; charset=utf-8")
    return _unduhan(ek.templat_xlsx(jenis), f"templat-{jenis}.xlsx", XLSX)


@login_required
@require_http_methods(["GET", "POST"])
def ekspor(request, jenis):
    """The klaster's records in the template's shape, full NIK: managers of the klaster only.
    More than EKSPOR_LATAR_BARIS records: written in the background (impor/tugas.py)."""
    akses.require_manajer(request.user)
    skema = _skema(jenis)
    pk = request.GET.get("klaster", "")
    if not pk.isdecimal():  # not isdigit(): "²" is a digit that int() refuses
        raise Http404
    klaster = get_object_or_404(klaster_dikelola(request.user), pk=int(pk))
    qs = ek.queryset_ekspor(jenis, klaster)
    nama = f"{jenis}-{klaster.kode}-{datetime.date.today():%Y%m%d}"
    jumlah = qs.count() if request.method == "GET" else 0
    if request.method == "POST" or impor_tugas.ekspor_besar(jumlah):
        return _ekspor_latar(request, skema=skema, klaster=klaster, nama=nama, jumlah=jumlah)
    rows = list(ek.baris_ekspor(jenis, qs))
    if request.GET.get("format") == "csv":
        return _unduhan(ek.csv_dari_baris(skema, rows), f"{nama}.csv", "text/csv; charset=utf-8")
    return _unduhan(
        ek.xlsx_dari_baris(skema, rows, judul_lembar=str(skema.nama)), f"{nama}.xlsx", XLSX
    )


def _ekspor_latar(request, *, skema, klaster, nama, jumlah):
    fmt = "csv" if request.GET.get("format") == "csv" else "xlsx"
    judul = _("Ekspor %(jenis)s (%(format)s): %(klaster)s") % {
        "jenis": skema.nama,
        "format": fmt.upper(),
        "klaster": klaster.nama,
    }
    if request.method == "GET":  # a link never starts work: the page asks first
        keterangan = _(
            "Ekspor sebesar ini ditulis oleh pekerja latar, agar halaman tidak menunggu."
        )
        return tugas_views.halaman_mulai(request, judul=judul, keterangan=keterangan, baris=jumlah)
    tugas = tugas_services.tugas_mulai(
        pemilik=request.user,
        jenis=f"impor.ekspor_{skema.jenis}",
        judul=judul,
        parameter={"jenis": skema.jenis, "klaster": klaster.pk, "format": fmt, "nama": nama},
        task=impor_tugas.ekspor_daftar,
    )
    return redirect("tugas:detail", pk=tugas.pk)

"""Large imports and exports as background jobs (tugas/).

- An export of more records than settings.EKSPOR_LATAR_BARIS: the rows are written by the
  worker, each one reported as it is written.
- An upload of more rows than settings.IMPOR_LATAR_BARIS: the check (the dry run the
  preview shows) runs in the worker; its page lists the counts and the first rejected rows,
  offers the error file, and — when no row is rejected — the "Simpan" button, which starts
  the second job, the real import (all or nothing, as in the request).
The engine reports rows done (impor/layanan.py: each row cleaned, matched, written).
"""

from django.conf import settings
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django_tasks import task

from impor import ekspor as ek
from impor.layanan import impor_berkas
from impor.skema import SKEMA
from klaster import akses
from klaster.akses import klaster_dikelola
from tugas.services import GagalTugas, Hasil, jalankan

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
GALAT_TAMPIL = 200  # rejected rows listed on the job's page; the error file has all


def ekspor_besar(jumlah: int) -> bool:
    return jumlah > settings.EKSPOR_LATAR_BARIS


def impor_besar(baris: int) -> bool:
    return baris > settings.IMPOR_LATAR_BARIS


# --- export ---------------------------------------------------------------------------------


@task()
def ekspor_daftar(tugas_id: str) -> str:
    return jalankan(tugas_id, kerja_ekspor)


def _dilaporkan(rows, lapor):
    i = 0
    for i, row in enumerate(rows, start=1):
        yield row
        lapor(i)
    lapor(i)


def kerja_ekspor(tugas, lapor) -> Hasil:
    par = tugas.parameter
    jenis, fmt = par["jenis"], par.get("format", "xlsx")
    skema = SKEMA[jenis]
    akses.require_manajer(tugas.pemilik)
    klaster = get_object_or_404(klaster_dikelola(tugas.pemilik), pk=par["klaster"])
    qs = ek.queryset_ekspor(jenis, klaster)
    lapor(0, qs.count(), tahap=_("Menulis baris"))
    # iterator(): rows stream from the database in chunks instead of all at once
    rows = _dilaporkan(ek.baris_ekspor(jenis, qs.iterator(chunk_size=2000)), lapor)
    nama = par["nama"]
    if fmt == "csv":
        return Hasil(f"{nama}.csv", ek.csv_dari_baris(skema, rows), "text/csv; charset=utf-8")
    isi = ek.xlsx_dari_baris(skema, rows, judul_lembar=str(skema.nama))
    return Hasil(f"{nama}.xlsx", isi, XLSX)


# --- import ---------------------------------------------------------------------------------


@task()
def impor_periksa(tugas_id: str) -> str:
    return jalankan(tugas_id, kerja_periksa)


@task()
def impor_simpan(tugas_id: str) -> str:
    return jalankan(tugas_id, kerja_simpan)


def _ringkasan(r) -> list:
    return [
        [_("Baris dibaca"), r.dibaca],
        [_("Baru"), r.dibuat],
        [_("Diubah"), r.diubah],
        [_("Tetap"), r.tetap],
        [_("Ditolak"), r.ditolak],
        [_("Dilewati"), r.dilewati],
        [_("Peringatan"), len(r.peringatan)],
    ]


def _galat(r) -> list:
    daftar = [["–", _("(berkas)"), pesan] for pesan in r.galat_berkas]
    daftar += [[g.baris, g.kolom, g.alasan] for g in r.galat]
    return [[str(x) for x in g] for g in daftar[:GALAT_TAMPIL]]


def _jalankan_impor(tugas, lapor, *, simpan: bool):
    from impor import views  # the uploaded file waits where the views keep it

    par = tugas.parameter
    klaster = get_object_or_404(klaster_dikelola(tugas.pemilik), pk=par["klaster"])
    data = views.baca_sementara(par["token"], par["ext"])
    if data is None:
        raise GagalTugas(_("Berkas unggahan sudah tidak ada (lebih dari sehari); unggah ulang."))
    r = impor_berkas(
        jenis=par["jenis"],
        data=data,
        nama_berkas=par["nama"],
        oleh=tugas.pemilik,
        klaster=klaster,
        simpan=simpan,
        kemajuan=lapor,
    )
    return r, klaster


def _gagal_ditolak(r, nama: str) -> GagalTugas:
    if r.galat_berkas and not r.galat:
        alasan = " ".join(str(p) for p in r.galat_berkas)
    else:
        alasan = _(
            "%(n)d baris ditolak, jadi tidak ada yang disimpan. Unduh berkas galat, perbaiki "
            "baris-baris itu, lalu unggah ulang."
        ) % {"n": r.ditolak}
    hasil = Hasil(
        f"galat-{nama.rsplit('.', 1)[0]}.xlsx",
        ek.xlsx_galat(r),
        XLSX,
        {"ringkasan": _ringkasan(r), "galat": _galat(r)},
    )
    return GagalTugas(alasan, hasil)


def kerja_periksa(tugas, lapor) -> Hasil:
    par = tugas.parameter
    r, _klaster = _jalankan_impor(tugas, lapor, simpan=False)
    if not r.boleh_disimpan:
        raise _gagal_ditolak(r, par["nama"])
    return Hasil(
        hasil={
            "ringkasan": _ringkasan(r),
            "aksi": {
                "url": reverse("impor:konfirmasi", args=[par["jenis"]]),
                "label": _("Simpan %(n)d baris") % {"n": r.dibaca},
                "data": {"token": par["token"]},
            },
        }
    )


def kerja_simpan(tugas, lapor) -> Hasil:
    from impor import views

    par = tugas.parameter
    r, klaster = _jalankan_impor(tugas, lapor, simpan=True)
    if not r.tersimpan:
        raise _gagal_ditolak(r, par["nama"])
    views.hapus_sementara(par["token"], par["ext"])
    return Hasil(
        hasil={
            "ringkasan": [[_("Klaster"), klaster.nama], *_ringkasan(r)],
            "kembali": {"url": reverse("impor:index"), "label": _("Kembali ke Impor")},
        }
    )

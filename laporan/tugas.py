"""The impact report's exports as background jobs (tugas/): a national scope, or more
mitra than settings.EKSPOR_LATAR_BARIS (EKSPOR_LATAR_BARIS_PDF for the PDF), is made by the
worker while the page shows its progress.

Progress counts rows: the mitra of the report twice over, once when their income figures
are computed (one step: the selectors compute them together) and once as each row is
written to the file (XLSX, CSV); the PDF, laid out in one call, reports the steps around it.
"""

from django.conf import settings
from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks import task

from klaster import akses
from laporan import ekspor
from tugas.services import GagalTugas, Hasil, jalankan

KETERANGAN = gettext_lazy(
    "Laporan dampak untuk cakupan sebesar ini dihitung dan ditulis oleh pekerja latar, agar "
    "halaman tidak menunggu."
)
NAMA_FORMAT = {"xlsx": "Excel (XLSX)", "pdf": "PDF", "csv": "CSV"}


def batas_baris(akhiran: str) -> int:
    """Above this many mitra in the scope, the file is made in the background."""
    return settings.EKSPOR_LATAR_BARIS_PDF if akhiran == "pdf" else settings.EKSPOR_LATAR_BARIS


def judul(akhiran: str, saringan_teks) -> str:
    cakupan = dict(saringan_teks).get(str(_("Klaster")), "")
    return _("Laporan dampak %(format)s: %(cakupan)s") % {
        "format": NAMA_FORMAT[akhiran],
        "cakupan": cakupan,
    }


@task()
def ekspor_dampak(tugas_id: str) -> str:
    return jalankan(tugas_id, kerja_dampak)


def kerja_dampak(tugas, lapor) -> Hasil:
    # the views parse the parameters; imported here, where the worker runs (views import
    # this module to start the job)
    from laporan import views

    akhiran = tugas.parameter["format"]
    buat = {"xlsx": ekspor.buat_xlsx, "pdf": ekspor.buat_pdf, "csv": ekspor.buat_csv}[akhiran]
    pemilik = tugas.pemilik
    perkiraan = max(1, int(tugas.parameter.get("baris") or 0))
    lapor(0, 2 * perkiraan, tahap=_("Menghitung angka laporan"))
    # the owner's scope and role now, not when the job was asked for
    akses.require_manajer(pemilik)
    p = views.baca_parameter(QueryDict(tugas.parameter["query"]), pemilik)
    if not p.valid:
        pesan = "; ".join(str(m) for daftar in p.form.errors.values() for m in daftar)
        raise GagalTugas(_("Saringan laporan tidak dapat dipakai: %(pesan)s") % {"pesan": pesan})
    for k in p.klaster_terpilih:
        akses.require_manajer_di(pemilik, k)
    laporan = views._laporan(p, pendapatan="lengkap")
    pd = laporan.pendapatan
    n = len(pd["per_mitra"]) + len(pd["dikecualikan"])
    total = 2 * n if n else 2
    lapor(n or 1, total, tahap=_("Menulis berkas"))
    saringan_teks = views.keterangan_saringan(p)
    if akhiran == "pdf":
        lapor(n or 1, total, tahap=_("Menyusun halaman PDF"))
        isi = buat(laporan, saringan_teks=saringan_teks)
    else:
        isi = buat(laporan, saringan_teks=saringan_teks, kemajuan=lambda i: lapor(n + i))
    lapor(total, total)
    return Hasil(
        nama_berkas=ekspor.nama_berkas(p.klaster_terpilih, p.saringan, akhiran),
        isi=isi,
        jenis_konten=ekspor.JENIS_KONTEN[akhiran],
    )

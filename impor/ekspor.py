"""Templates, exports and error files in the shape of the import schemas.

An export of a kind has exactly the template's columns, so a manager can export, edit in Excel
and import the file again (a round trip). It carries full NIK: it is for the managers of the
klaster only (the view checks that), never for donors — donor exports mask NIK elsewhere.
"""

import csv
import datetime
import functools
import io
from decimal import Decimal

from django.utils.translation import get_language
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from impor.skema import SKEMA, Skema
from klaster.ekspor import baris_csv, sel_baru, tambah_baris

FORMAT_TANGGAL = "DD/MM/YYYY"
FORMAT_UANG = "#,##0.##"
BARIS_TEKS_TEMPLAT = 1000  # rows pre-formatted as Text in a template's text columns


def _status_cair():
    from bantuan.models import Bantuan

    return list(Bantuan.STATUS_CAIR)


def queryset_ekspor(jenis: str, klaster):
    """The records of a klaster to export, in the template's shape."""
    from bantuan.models import Angsuran, Bantuan
    from kelompok.models import Kelompok
    from mitra.models import Mitra, PengukuranPendapatan
    from program.models import JawabanSurvei, KegiatanProgram

    qs = {
        "mitra": lambda: Mitra.objects.filter(klaster=klaster),
        "kelompok": lambda: Kelompok.objects.filter(klaster=klaster),
        "bantuan": lambda: Bantuan.objects.filter(klaster=klaster),
        "angsuran": lambda: Angsuran.objects.filter(bantuan__klaster=klaster),
        "pengukuran": lambda: PengukuranPendapatan.objects.filter(mitra__klaster=klaster),
        "kegiatan": lambda: KegiatanProgram.objects.filter(klaster=klaster),
        "peserta": lambda: KegiatanProgram.peserta.through.objects.filter(
            kegiatanprogram__klaster=klaster
        ),
        "survei": lambda: JawabanSurvei.objects.filter(putaran__klaster=klaster),
    }[jenis]()
    return siapkan_queryset(jenis, qs)


def siapkan_queryset(jenis: str, qs):
    """Only what the template's shape can carry, with what the rows need fetched in one go."""
    if jenis == "mitra":
        return qs.select_related("kelompok", "klaster").order_by("nik")
    if jenis == "kelompok":
        return qs.select_related("lembaga", "ketua", "klaster").order_by("klaster_id", "kode")
    if jenis == "bantuan":
        # only disbursed financing (an import records disbursed financing)
        return (
            qs.filter(status__in=_status_cair())
            .select_related("mitra", "kelompok", "sumber_dana", "klaster")
            .order_by("klaster_id", "nomor")
        )
    if jenis == "angsuran":
        # payments that stand: reversed entries and their reversals cancel out and are left out
        return (
            qs.filter(jumlah__gt=0, koreksi__isnull=True)
            .select_related("bantuan__klaster")
            .order_by("bantuan__klaster_id", "bantuan__nomor", "tanggal", "pk")
        )
    if jenis == "pengukuran":
        return qs.select_related("mitra__klaster").order_by("mitra__nik", "tanggal", "jenis")
    if jenis == "kegiatan":
        return qs.select_related("klaster", "kelompok", "fasilitator", "sumber_dana").order_by(
            "klaster_id", "tanggal", "judul", "pk"
        )
    if jenis == "peserta":
        return qs.select_related("kegiatanprogram__klaster", "mitra").order_by(
            "kegiatanprogram__tanggal", "kegiatanprogram__judul", "mitra__nik"
        )
    if jenis == "survei":
        return qs.select_related("putaran__klaster", "mitra").order_by(
            "putaran__tanggal_mulai", "putaran__nama", "mitra__nik"
        )
    raise KeyError(jenis)


def baris_ekspor(jenis: str, objek):
    """One list of cell values per record, in the schema's column order."""
    for o in objek:
        if jenis == "mitra":
            yield [
                o.nik, o.nama, o.jenis_kelamin, o.tanggal_lahir, o.telepon, o.desa_id, o.alamat,
                o.kelompok.kode if o.kelompok_id else "", o.get_sektor_display(), o.jenis_usaha,
                o.status, o.tanggal_bergabung, o.tanggal_keluar, o.jumlah_anggota_keluarga,
                o.klaster.kode,
            ]  # fmt: skip
        elif jenis == "kelompok":
            yield [
                o.kode, o.nama, o.get_sektor_display(), o.desa_id, o.tanggal_dibentuk,
                o.usaha_kelompok, o.get_status_display(), o.lembaga.nama if o.lembaga_id else "",
                o.ketua.nik if o.ketua_id else "", o.klaster.kode,
            ]  # fmt: skip
        elif jenis == "bantuan":
            yield [
                o.nomor, o.mitra.nik if o.mitra_id else "", o.kelompok.kode if o.kelompok_id else "",
                o.get_jenis_display(), o.sumber_dana.nama, o.jumlah, o.tanggal_pengajuan,
                o.tanggal_cair, o.tenor_bulan, o.tujuan, o.klaster.kode,
            ]  # fmt: skip
        elif jenis == "angsuran":
            yield [o.bantuan.nomor, o.tanggal, o.jumlah, o.bantuan.klaster.kode]
        elif jenis == "pengukuran":
            yield [
                o.mitra.nik, o.tanggal, o.pendapatan_bulanan, o.get_jenis_display(),
                o.mitra.klaster.kode,
            ]  # fmt: skip
        elif jenis == "kegiatan":
            yield [
                o.tanggal, o.get_jenis_display(), o.judul, o.jam,
                o.kelompok.kode if o.kelompok_id else "", o.desa_id or "",
                o.fasilitator.username, o.narasumber, o.biaya,
                o.sumber_dana.nama if o.sumber_dana_id else "", o.catatan, o.klaster.kode,
            ]  # fmt: skip
        elif jenis == "peserta":
            k = o.kegiatanprogram
            yield [k.tanggal, k.judul, o.mitra.nik, k.klaster.kode]
        elif jenis == "survei":
            yield [
                o.putaran.nama, o.mitra.nik, o.tanggal, o.jumlah_anggota_keluarga,
                o.pendapatan_rumah_tangga,
                *[o.modal_sosial.get(k.kunci[3:]) for k in SKEMA["survei"].kolom
                  if k.kunci.startswith("ms_")],
                o.shalat, o.puasa, o.zakat_infak, o.lingkungan_keluarga, o.kebijakan_pemerintah,
                o.putaran.klaster.kode,
            ]  # fmt: skip


def _sel(ws, nilai, *, teks: bool = False):
    if nilai is None:
        return None
    if teks:
        return sel_baru(ws, str(nilai), "@")
    if isinstance(nilai, datetime.date):
        return sel_baru(ws, nilai, FORMAT_TANGGAL)
    if isinstance(nilai, Decimal):
        return sel_baru(ws, nilai, FORMAT_UANG)
    return sel_baru(ws, nilai)


def _judul(ws, judul: list[str]):
    tebal = Font(bold=True)
    baris = []
    for j in judul:
        cell = sel_baru(ws, j)
        cell.font = tebal
        baris.append(cell)
    return baris


def xlsx_dari_baris(skema: Skema, rows, *, judul_lembar: str) -> bytes:
    return xlsx_tabel(
        skema.judul, rows, judul_lembar=judul_lembar, teks=[k.teks for k in skema.kolom]
    )


def xlsx_tabel(judul: list, rows, *, judul_lembar: str, teks: list[bool] | None = None) -> bytes:
    """A header row and data rows; `teks`: the columns formatted as Text (NIK, phone)."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(judul_lembar[:31])
    teks = teks or [False] * len(judul)
    for i, j in enumerate(judul):
        ws.column_dimensions[_huruf(i)].width = max(12, len(str(j)) + 4)
    ws.append(_judul(ws, judul))
    for row in rows:
        ws.append(
            [_sel(ws, v, teks=t and v not in (None, "")) for v, t in zip(row, teks, strict=True)]
        )
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def csv_dari_baris(skema: Skema, rows) -> bytes:
    return csv_tabel(skema.judul, rows).encode("utf-8-sig")  # the BOM makes Excel read UTF-8


def csv_tabel(judul: list, rows) -> str:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(baris_csv(judul))
    for row in rows:
        w.writerow(baris_csv(row, format_tanggal=_tanggal_csv))
    return buf.getvalue()


def _tanggal_csv(v: datetime.date) -> str:
    return v.strftime("%d/%m/%Y")


def _huruf(i: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(i + 1)


def templat_xlsx(jenis: str) -> bytes:
    """Header row, text columns pre-formatted as Text, and a sheet of instructions."""
    return _templat_xlsx(jenis, get_language())


# a template depends on the kind and the language only (writing its 1,000 Text rows takes
# about 90 ms): written once per process for each
@functools.lru_cache(maxsize=16)
def _templat_xlsx(jenis: str, bahasa: str | None) -> bytes:
    skema = SKEMA[jenis]
    wb = Workbook()
    ws = wb.active
    ws.title = str(skema.nama)[:31]
    ws.append(skema.judul)
    for i, kolom in enumerate(skema.kolom):
        huruf = _huruf(i)
        ws.column_dimensions[huruf].width = max(12, len(kolom.judul) + 4)
        ws[f"{huruf}1"].font = Font(bold=True)
        if kolom.teks:
            for r in range(2, BARIS_TEKS_TEMPLAT + 2):
                ws[f"{huruf}{r}"].number_format = "@"
    ws.freeze_panes = "A2"
    petunjuk = wb.create_sheet(_("Petunjuk"))
    petunjuk.append([_("Kolom"), _("Wajib"), _("Keterangan"), _("Nama lain yang dikenali")])
    for kolom in skema.kolom:
        petunjuk.append([
            kolom.judul,
            _("ya") if kolom.wajib else _("tidak"),
            str(kolom.petunjuk),
            ", ".join(kolom.sinonim),
        ])  # fmt: skip
    petunjuk.append([])
    for teks in (
        str(skema.petunjuk),
        _("Tanggal: 06/03/2014, 6-3-14, 2014-03-06 atau 6 Maret 2014 (hari lebih dulu)."),
        _("Uang: 1.500.000 atau Rp1.500.000; harus lebih dari nol."),
        _("Satu berkas disimpan semua atau tidak sama sekali: perbaiki semua baris yang ditolak."),
    ):
        if teks:
            petunjuk.append([teks])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def templat_csv(jenis: str) -> bytes:
    return csv_dari_baris(SKEMA[jenis], [])


def xlsx_galat(ringkasan) -> bytes:
    """Every rejected row: row number, column, reason, then the row's original values."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_("Baris ditolak"))
    # every text here may come from the uploaded file (headers, cells, messages quoting them)
    ws.append(_judul(ws, [_("Baris"), _("Kolom"), _("Alasan"), *ringkasan.judul_asli]))
    for pesan in ringkasan.galat_berkas:
        tambah_baris(ws, ["", _("(berkas)"), pesan])
    for b in ringkasan.baris:
        for g in b.galat:
            asli = [_sel(ws, v, teks=isinstance(v, str)) for v in b.asli]
            tambah_baris(ws, [g.baris, g.kolom, g.alasan, *asli])
    if ringkasan.peringatan:
        wp = wb.create_sheet(_("Peringatan"))
        wp.append(_judul(wp, [_("Baris"), _("Kolom"), _("Peringatan")]))
        for g in ringkasan.peringatan:
            tambah_baris(wp, [g.baris, g.kolom, g.alasan])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()

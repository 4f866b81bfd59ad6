"""Exports of the impact report: XLSX (openpyxl), PDF (WeasyPrint) and CSV.

They take an already computed `LaporanDampak`, so an export shows exactly the figures of the
page. Lists of mitra show the NIK masked (first 6 and last 4 digits): these files go to
donors and the regency government.
"""

import base64
import csv
import io
from decimal import Decimal

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from klaster.ekspor import baris_csv, buku_tanpa_rumus, isi_sel, sel
from klaster.format import format_tanggal
from laporan import grafik
from laporan.selectors import CATATAN_METODE
from program import ekspor as program_ekspor

RUPIAH = '"Rp"#,##0'
PERSEN = "0.0%"
ANGKA = "#,##0"
TANGGAL = "dd/mm/yyyy"
TEKS = None
JENIS_KONTEN = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
    "csv": "text/csv; charset=utf-8",
}


def _dengan_kemajuan(rows, kemajuan, awal: int = 0):
    """The rows, reporting each one written to `kemajuan` (a background job's progress):
    kemajuan(rows written so far, counting from `awal`)."""
    if kemajuan is None:
        yield from rows
        return
    i = awal
    for i, row in enumerate(rows, start=awal + 1):
        yield row
        kemajuan(i)
    kemajuan(i)


def nama_berkas(klaster_list, saringan, akhiran: str) -> str:
    kode = klaster_list[0].kode if len(klaster_list) == 1 else "semua"
    kode = "".join(c for c in kode if c.isalnum() or c in "-_") or "klaster"
    return f"laporan-dampak-{kode}-{saringan.sampai.isoformat()}.{akhiran}"


# --- XLSX --------------------------------------------------------------------------------


def _lembar(wb, judul_lembar: str, judul: str, saringan_teks, kolom, baris, catatan=""):
    """One sheet per table: title, filters, header row (row 4), data, method note."""
    ws = wb.create_sheet(judul_lembar[:31])
    ws["A1"] = judul
    ws["A1"].font = Font(bold=True, size=13)
    isi_sel(ws["A2"], "; ".join(f"{k}: {v}" for k, v in saringan_teks))
    for i, (header, _fmt, lebar) in enumerate(kolom, start=1):
        cell = ws.cell(row=4, column=i, value=str(header))
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.column_dimensions[get_column_letter(i)].width = lebar
    r = 4
    for r, row in enumerate(baris, start=5):
        for i, (value, (_h, fmt, _w)) in enumerate(zip(row, kolom, strict=True), start=1):
            sel(ws, r, i, value, fmt)  # user text as a string cell, never a formula
    ws.freeze_panes = "A5"
    if catatan:
        note = sel(ws, r + 2, 1, str(catatan))
        note.alignment = Alignment(wrap_text=False)
    return ws


def _str(x):
    return None if x is None else str(x)


KOLOM_STATISTIK = [
    (_l("n"), ANGKA, 6),
    (_l("Dikecualikan"), ANGKA, 12),
    (_l("Rata-rata baseline"), RUPIAH, 16),
    (_l("Median baseline"), RUPIAH, 16),
    (_l("Rata-rata terakhir"), RUPIAH, 16),
    (_l("Median terakhir"), RUPIAH, 16),
    (_l("Perubahan rata-rata"), PERSEN, 12),
    (_l("Rata-rata % perubahan"), PERSEN, 12),
    (_l("Median % perubahan"), PERSEN, 12),
    (_l("Naik"), PERSEN, 9),
    (_l("Turun"), PERSEN, 9),
    (_l("n garis baseline"), ANGKA, 10),
    (_l("Di bawah garis (baseline)"), PERSEN, 12),
    (_l("n garis terakhir"), ANGKA, 10),
    (_l("Di bawah garis (terakhir)"), PERSEN, 12),
]


def _baris_statistik(r):
    return [
        r["n"],
        r.get("dikecualikan", 0),
        r["rata_sebelum"],
        r["median_sebelum"],
        r["rata_sesudah"],
        r["median_sesudah"],
        r["perubahan_rata"],
        r["rata_persen"],
        r["median_persen"],
        r["porsi_naik"],
        r["porsi_turun"],
        r["n_garis_sebelum"],
        r["porsi_miskin_sebelum"],
        r["n_garis_sesudah"],
        r["porsi_miskin_sesudah"],
    ]


def buat_xlsx(laporan, *, saringan_teks, request=None, kemajuan=None) -> bytes:
    """`kemajuan`: called with the per-mitra rows written so far (a background job's
    progress; tugas/)."""
    wb = Workbook()
    wb.remove(wb.active)
    st = saringan_teks
    o, u, pf, pd, kg = (
        laporan.orang,
        laporan.uang,
        laporan.portofolio,
        laporan.pendapatan,
        laporan.kegiatan,
    )

    ringkas = [
        (_("Mitra"), o["mitra_total"], ANGKA),
        (_("Kelompok"), o["kelompok_total"], ANGKA),
        (_("Koperasi"), o["koperasi"], ANGKA),
        (_("Dana dicairkan dalam periode"), u["total"], RUPIAH),
        (_("Outstanding"), pf["outstanding"], RUPIAH),
        (_("PAR30"), pf["par30"], PERSEN),
        (_("Tingkat pengembalian"), pf["tingkat_pengembalian"], PERSEN),
        (_("Mitra dengan baseline dan pengukuran lanjutan (n)"), pd["total"]["n"], ANGKA),
        (_("Perubahan rata-rata pendapatan"), pd["total"]["perubahan_rata"], PERSEN),
        (_("Di bawah garis kemiskinan, baseline"), pd["total"]["porsi_miskin_sebelum"], PERSEN),
        (_("Di bawah garis kemiskinan, terakhir"), pd["total"]["porsi_miskin_sesudah"], PERSEN),
        (_("Kunjungan dalam periode"), kg["n"], ANGKA),
    ]
    ws = _lembar(
        wb,
        _("Ringkasan"),
        _("Laporan dampak — ringkasan"),
        st,
        [(_("Angka"), TEKS, 48), (_("Nilai"), None, 20)],
        [],
    )
    for i, (label, value, fmt) in enumerate(ringkas, start=5):
        ws.cell(row=i, column=1, value=str(label))
        c = ws.cell(row=i, column=2, value=value)
        c.number_format = fmt
    ws.cell(row=len(ringkas) + 6, column=1, value=_("Dibuat %(t)s") % {
        "t": timezone.localtime().strftime("%d/%m/%Y %H:%M")
    })  # fmt: skip

    _lembar(
        wb,
        _("Mitra per status"),
        _("Mitra menurut status"),
        st,
        [(_("Status"), TEKS, 20), (_("Jumlah"), ANGKA, 10)],
        [[str(label), n] for _k, label, n in o["mitra_per_status"]]
        + [[_("Jumlah"), o["mitra_total"]]],
        CATATAN_METODE["orang"],
    )
    _lembar(
        wb,
        _("Mitra per sektor"),
        _("Mitra menurut sektor dan jenis kelamin"),
        st,
        [
            (_("Sektor"), TEKS, 16),
            (_("Jumlah"), ANGKA, 10),
            (_("Laki-laki"), ANGKA, 10),
            (_("Perempuan"), ANGKA, 10),
        ],
        [[str(label), n, lk, p] for _k, label, n, lk, p in o["mitra_per_sektor"]],
        CATATAN_METODE["orang"],
    )
    _lembar(
        wb,
        _("Kelompok"),
        _("Kelompok menurut sektor"),
        st,
        [(_("Sektor"), TEKS, 16), (_("Jumlah"), ANGKA, 10)],
        [[str(label), n] for _k, label, n in o["kelompok_per_sektor"]]
        + [[_("Jumlah"), o["kelompok_total"]]],
        CATATAN_METODE["orang"],
    )
    _lembar(
        wb,
        _("Lembaga"),
        _("Lembaga menurut bentuk"),
        st,
        [(_("Bentuk"), TEKS, 16), (_("Jumlah"), ANGKA, 10), (_("Berbadan hukum"), ANGKA, 14)],
        [[str(v["label"]), v["n"], v["berbadan_hukum"]] for v in o["lembaga_per_bentuk"]],
        CATATAN_METODE["orang"],
    )
    _lembar(
        wb,
        _("Pencairan per tahun"),
        _("Dana dicairkan per tahun menurut jenis"),
        st,
        [(_("Tahun"), "0", 8)]
        + [(str(label), RUPIAH, 18) for _k, label in u["jenis_kolom"]]
        + [(_("Jumlah"), RUPIAH, 18), (_("Banyak bantuan"), ANGKA, 10)],
        [[t["tahun"], *t["per_jenis"], t["jumlah"], t["n"]] for t in u["per_tahun"]]
        + [[_("Jumlah"), *[j["jumlah"] for j in u["per_jenis"]], u["total"], u["n"]]],
        CATATAN_METODE["uang"],
    )
    _lembar(
        wb,
        _("Pencairan per jenis"),
        _("Dana dicairkan menurut jenis bantuan"),
        st,
        [(_("Jenis"), TEKS, 24), (_("Jumlah"), RUPIAH, 18), (_("Porsi"), PERSEN, 9),
         (_("Banyak bantuan"), ANGKA, 10)],
        [[str(j["label"]), j["jumlah"], j["porsi"], j["n"]] for j in u["per_jenis"]],
        CATATAN_METODE["uang"],
    )  # fmt: skip
    _lembar(
        wb,
        _("Pencairan per sumber dana"),
        _("Dana dicairkan menurut sumber dana"),
        st,
        [(_("Sumber dana"), TEKS, 28), (_("Jenis"), TEKS, 14), (_("Jumlah"), RUPIAH, 18),
         (_("Porsi"), PERSEN, 9), (_("Banyak bantuan"), ANGKA, 10)],
        [[s["nama"], s["jenis"], s["jumlah"], s["porsi"], s["n"]] for s in u["per_sumber"]],
        CATATAN_METODE["uang"],
    )  # fmt: skip
    _lembar(
        wb,
        _("Portofolio"),
        _("Portofolio modal bergulir per tanggal posisi"),
        st,
        [(_("Ukuran"), TEKS, 36), (_("Nilai"), None, 18)],
        [],
        CATATAN_METODE["portofolio"],
    )
    ws = wb[_("Portofolio")[:31]]
    isi = [
        (_("Pinjaman dicairkan (banyak)"), pf["jumlah_pinjaman"], ANGKA),
        (_("Pinjaman aktif (banyak)"), pf["jumlah_pinjaman_aktif"], ANGKA),
        (_("Outstanding"), pf["outstanding"], RUPIAH),
        (_("Tunggakan"), pf["tunggakan"], RUPIAH),
        (_("PAR30"), pf["par30"], PERSEN),
        (_("Tingkat pengembalian"), pf["tingkat_pengembalian"], PERSEN),
        (_("Hapus buku (sisa pokok)"), pf["hapus_buku"]["sisa_pokok"], RUPIAH),
    ]
    for i, (label, value, fmt) in enumerate(isi, start=5):
        ws.cell(row=i, column=1, value=str(label))
        ws.cell(row=i, column=2, value=value).number_format = fmt
    ws.cell(row=len(isi) + 7, column=1, value=str(CATATAN_METODE["portofolio"]))
    _lembar(
        wb,
        _("Kolektibilitas"),
        _("Pinjaman aktif menurut kolektibilitas"),
        st,
        [(_("Kol"), "0", 6), (_("Nama"), TEKS, 24), (_("Banyak pinjaman"), ANGKA, 10),
         (_("Sisa pokok"), RUPIAH, 18), (_("Porsi"), PERSEN, 9)],
        [[r["kol"], r["nama"], r["jumlah_pinjaman"], r["sisa_pokok"], r["porsi"]]
         for r in pf["kolektibilitas_list"]],
        CATATAN_METODE["portofolio"],
    )  # fmt: skip
    if laporan.dana_bergulir:
        _lembar(
            wb,
            _("Dana bergulir"),
            _("Dana bergulir per klaster"),
            st,
            [(_("Klaster"), TEKS, 28), (_("Masuk (angsuran)"), RUPIAH, 18),
             (_("Keluar (dipinjamkan lagi)"), RUPIAH, 18), (_("Saldo"), RUPIAH, 18)],
            [[d["klaster"], d["masuk"], d["keluar"], d["saldo"]] for d in laporan.dana_bergulir],
            CATATAN_METODE["dana_bergulir"],
        )  # fmt: skip
    _lembar(
        wb,
        _("Pendapatan per sektor"),
        _("Perubahan pendapatan bulanan per sektor"),
        st,
        [(_("Sektor"), TEKS, 16)] + KOLOM_STATISTIK,
        [[str(r["label"]), *_baris_statistik(r)] for r in pd["per_sektor"]]
        + [[_("Semua"), *_baris_statistik({**pd["total"], "dikecualikan": len(pd["dikecualikan"])})]],
        CATATAN_METODE["pendapatan"],
    )  # fmt: skip
    _lembar(
        wb,
        _("Pendapatan per kelompok"),
        _("Perubahan pendapatan bulanan per kelompok"),
        st,
        [(_("Kelompok"), TEKS, 30)] + KOLOM_STATISTIK,
        [[r["label"], *_baris_statistik(r)] for r in pd["per_kelompok"]],
        CATATAN_METODE["pendapatan"],
    )
    _lembar(
        wb,
        _("Garis kemiskinan"),
        _("Garis kemiskinan BPS yang dipakai"),
        st,
        [(_("Cara"), TEKS, 40), (_("Wilayah"), TEKS, 24), (_("Tahun"), "0", 8),
         (_("Periode"), TEKS, 12), (_("Nilai (Rp/kapita/bulan)"), RUPIAH, 18),
         (_("Keterangan nilai"), TEKS, 12), (_("Pengukuran baseline"), ANGKA, 12),
         (_("Pengukuran terakhir"), ANGKA, 12)],
        [[g["garis"].keterangan, g["garis"].wilayah_nama, g["garis"].tahun, g["garis"].periode,
          g["garis"].nilai, _("perkiraan") if g["garis"].perkiraan else None, g["n_sebelum"],
          g["n_sesudah"]] for g in pd["garis_dipakai"]]
        + [[_("Jumlah (= n mitra yang masuk perhitungan)"), None, None, None, None, None,
            pd["n_lengkap"], pd["n_lengkap"]]],
        CATATAN_METODE["kemiskinan"],
    )  # fmt: skip
    _lembar(
        wb,
        _("Pendapatan per mitra"),
        _("Pendapatan per mitra (NIK disamarkan)"),
        st,
        KOLOM_MITRA_XLSX,
        _dengan_kemajuan((_baris_mitra(b) for b in pd["per_mitra"]), kemajuan),
        CATATAN_METODE["pendapatan"],
    )
    _lembar(
        wb,
        _("Kunjungan per bulan"),
        _("Kunjungan lapangan per bulan"),
        st,
        [(_("Bulan"), "mmm yyyy", 12), (_("Kunjungan"), ANGKA, 10)],
        [[b["bulan"], b["n"]] for b in kg["per_bulan"]] + [[_("Jumlah"), kg["n"]]],
        CATATAN_METODE["kegiatan"],
    )
    _lembar(
        wb,
        _("Kunjungan per fasilitator"),
        _("Kunjungan per fasilitator"),
        st,
        [(_("Fasilitator"), TEKS, 24), (_("Kunjungan"), ANGKA, 10), (_("Hadir"), ANGKA, 8),
         (_("Anggota"), ANGKA, 8), (_("Tingkat kehadiran"), PERSEN, 12)],
        [[f["nama"], f["n"], f["hadir"], f["anggota"], f["tingkat_hadir"]]
         for f in kg["per_fasilitator"]],
        CATATAN_METODE["kegiatan"],
    )  # fmt: skip
    _lembar(
        wb,
        _("Kehadiran dan tindak lanjut"),
        _("Kehadiran dan tindak lanjut"),
        st,
        [(_("Ukuran"), TEKS, 40), (_("Nilai"), None, 14)],
        [],
        CATATAN_METODE["kegiatan"],
    )
    ws = wb[_("Kehadiran dan tindak lanjut")[:31]]
    isi = [
        (_("Kunjungan ke kelompok"), kg["n_kelompok"], ANGKA),
        (_("Kunjungan tanpa kelompok (tidak ikut tingkat kehadiran)"), kg["n_tanpa_kelompok"],
         ANGKA),
        (_("Anggota hadir"), kg["hadir"], ANGKA),
        (_("Anggota kelompok pada tanggal kunjungan"), kg["anggota"], ANGKA),
        (_("Tingkat kehadiran"), kg["tingkat_hadir"], PERSEN),
        (_("Tindak lanjut"), kg["tindak_lanjut"], ANGKA),
        (_("Tindak lanjut selesai"), kg["tindak_lanjut_selesai"], ANGKA),
        (_("Tindak lanjut terbuka"), kg["tindak_lanjut_terbuka"], ANGKA),
    ]  # fmt: skip
    for i, (label, value, fmt) in enumerate(isi, start=5):
        ws.cell(row=i, column=1, value=str(label))
        ws.cell(row=i, column=2, value=value).number_format = fmt
    ws.cell(row=len(isi) + 7, column=1, value=str(CATATAN_METODE["kegiatan"]))
    _lembar(
        wb,
        _("Mitra dikecualikan"),
        _("Mitra yang tidak masuk perhitungan pendapatan"),
        st,
        [(_("Nama"), TEKS, 28), (_("NIK (disamarkan)"), TEKS, 20), (_("Sektor"), TEKS, 14),
         (_("Kelompok"), TEKS, 28), (_("Alasan"), TEKS, 60)],
        _dengan_kemajuan(([b.nama, b.nik_tersamar, b.sektor_label, b.kelompok_label,
                           b.alasan] for b in pd["dikecualikan"]),
                         kemajuan, awal=len(pd["per_mitra"])),
    )  # fmt: skip
    if laporan.program:  # activities, market access, social capital, CIBEST
        program_ekspor.lembar_xlsx(wb, laporan.program, saringan_teks=st)
    ws = _lembar(
        wb,
        _("Catatan metode"),
        _("Catatan metode"),
        st,
        [(_("Bagian"), TEKS, 16), (_("Catatan"), TEKS, 120)],
        [[k, str(v)] for k, v in CATATAN_METODE.items()],
    )
    for row in ws.iter_rows(min_row=5, min_col=2, max_col=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")

    buku_tanpa_rumus(wb)  # cells written without `sel` above cannot be formulas either
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


KOLOM_MITRA_XLSX = [
    (_l("Nama"), TEKS, 24),
    (_l("NIK (disamarkan)"), TEKS, 19),
    (_l("Sektor"), TEKS, 12),
    (_l("Kelompok"), TEKS, 26),
    (_l("Desa"), TEKS, 16),
    (_l("Anggota keluarga"), ANGKA, 10),
    (_l("Tanggal baseline"), TANGGAL, 12),
    (_l("Pendapatan baseline"), RUPIAH, 16),
    (_l("Tanggal pengukuran terakhir"), TANGGAL, 12),
    (_l("Pendapatan terakhir"), RUPIAH, 16),
    (_l("Perubahan"), PERSEN, 10),
    (_l("Per kapita baseline"), RUPIAH, 14),
    (_l("Garis baseline"), RUPIAH, 14),
    (_l("Di bawah garis (baseline)"), TEKS, 10),
    (_l("Per kapita terakhir"), RUPIAH, 14),
    (_l("Garis terakhir"), RUPIAH, 14),
    (_l("Di bawah garis (terakhir)"), TEKS, 10),
]


def _ya_tidak(x, kosong=None):
    if x is None:
        return _("tidak tersedia") if kosong is None else kosong
    return _("ya") if x else _("tidak")


def _bulat(x):
    return None if x is None else x.quantize(Decimal("0.01"))


def _baris_mitra(b, kosong=None):
    """A per-mitra row; `kosong`: what a missing yes/no shows (the CSV leaves it blank)."""
    return [
        b.nama,
        b.nik_tersamar,
        b.sektor_label,
        b.kelompok_label,
        b.desa,
        b.anggota_keluarga,
        b.tanggal_sebelum,
        b.sebelum,
        b.tanggal_sesudah,
        b.sesudah,
        None if b.perubahan is None else b.perubahan.quantize(Decimal("0.000001")),
        _bulat(b.kapita_sebelum),
        b.garis_sebelum.nilai if b.garis_sebelum else None,
        str(_ya_tidak(b.miskin_sebelum, kosong)),
        _bulat(b.kapita_sesudah),
        b.garis_sesudah.nilai if b.garis_sesudah else None,
        str(_ya_tidak(b.miskin_sesudah, kosong)),
    ]


# --- CSV ---------------------------------------------------------------------------------


def buat_csv(laporan, *, saringan_teks, request=None, kemajuan=None) -> bytes:
    """The per-mitra income table, every mitra of the report (the excluded ones with their
    reason). Plain numbers (dot decimal, no thousands separator) so any tool reads them; a
    missing value (no reading, no poverty line) is an empty cell."""
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(
        [
            "nama",
            "nik_tersamar",
            "sektor",
            "kelompok",
            "desa",
            "anggota_keluarga",
            "tanggal_baseline",
            "pendapatan_baseline",
            "tanggal_terakhir",
            "pendapatan_terakhir",
            "perubahan_rasio",
            "per_kapita_baseline",
            "garis_baseline",
            "di_bawah_garis_baseline",
            "per_kapita_terakhir",
            "garis_terakhir",
            "di_bawah_garis_terakhir",
            "keterangan",
            *program_ekspor.KOLOM_CSV,
        ]
    )
    pd = laporan.pendapatan
    program = program_ekspor.nilai_csv(laporan.program) if laporan.program else {}
    for b in _dengan_kemajuan(pd["per_mitra"] + pd["dikecualikan"], kemajuan):
        row = _baris_mitra(b, kosong="")
        row[6] = b.tanggal_sebelum.isoformat() if b.tanggal_sebelum else ""
        row[8] = b.tanggal_sesudah.isoformat() if b.tanggal_sesudah else ""
        row = ["" if v is None else v for v in row]
        tambahan = program.get(b.mitra_id, program_ekspor.NILAI_CSV_KOSONG)
        w.writerow(baris_csv([*row, b.alasan, *tambahan]))  # text that cannot run as a formula
    # a BOM so that a spreadsheet opened by double-click reads the names as UTF-8
    return ("\ufeff" + out.getvalue()).encode("utf-8")


# --- PDF ---------------------------------------------------------------------------------


def _data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def buat_pdf(laporan, *, saringan_teks, request=None, kemajuan=None) -> bytes:
    """(`kemajuan` is not called: WeasyPrint lays the pages out in one call; the background
    job reports the steps around it.)
    A4 PDF: charts included (as SVG data URIs), page numbers, the date and the filters in
    the running header. WeasyPrint uses the DejaVu fonts from Debian's fonts-dejavu-core.
    The per-mitra table is left to the XLSX and CSV (a note says so): laying out hundreds
    of rows is what makes WeasyPrint slow, and a donor reads the summary tables."""
    from weasyprint import CSS, HTML  # heavy import, only when a PDF is asked for

    html = render_to_string(
        "laporan/dampak/pdf.html",
        {
            "laporan": laporan,
            "saringan_teks": saringan_teks,
            "metode": CATATAN_METODE,
            "grafik": {k: _data_uri(v) for k, v in grafik.semua_grafik(laporan).items()},
            "dibuat": timezone.localtime(),
            "dibuat_teks": format_tanggal(timezone.localdate()),
        },
        request=request,
    )
    css = CSS(filename=finders.find("css/laporan-pdf.css"))
    return HTML(string=html, base_url=None).write_pdf(stylesheets=[css])

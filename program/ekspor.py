"""The programme's sections in the impact report's XLSX and CSV (laporan/ekspor.py calls
these; the HTML and the PDF render templates/program/includes/_laporan.html). Cells are
written with klaster/ekspor.py's safe writers: text is never a formula."""

from django.utils.translation import gettext as _
from openpyxl.styles import Alignment, Font

from klaster.ekspor import isi_sel, sel
from program.aturan import KUADRAN

RUPIAH = '"Rp"#,##0'
PERSEN = "0.0%"
ANGKA = "#,##0"
DESIMAL = "0.00"
INDEKS = "0.000"


def _lembar(wb, nama: str, judul: str, saringan_teks):
    ws = wb.create_sheet(nama[:31])
    ws["A1"] = judul
    ws["A1"].font = Font(bold=True, size=13)
    isi_sel(ws["A2"], "; ".join(f"{k}: {v}" for k, v in saringan_teks))
    ws.column_dimensions["A"].width = 48
    for kolom in "BCDEFGH":
        ws.column_dimensions[kolom].width = 16
    return ws


def _tabel(ws, baris: int, judul: str, kepala: list, isi: list[list], formats: list) -> int:
    """A captioned table from `baris`; returns the row after it (and a blank one)."""
    c = sel(ws, baris, 1, judul)
    c.font = Font(bold=True)
    for i, h in enumerate(kepala, start=1):
        sel(ws, baris + 1, i, str(h)).font = Font(bold=True)
    for r, nilai in enumerate(isi, start=baris + 2):
        for i, (v, fmt) in enumerate(zip(nilai, formats, strict=True), start=1):
            sel(ws, r, i, str(v) if fmt is None and v is not None else v, fmt)
    return baris + 2 + len(isi) + 1


def _catatan(ws, baris: int, teks: str) -> None:
    c = sel(ws, baris, 1, teks)
    c.alignment = Alignment(wrap_text=True, vertical="top")


def _dikecualikan(ws, baris: int, judul: str, daftar: list[dict]) -> int:
    if not daftar:
        return baris
    return _tabel(
        ws, baris, judul, [_("Nama"), _("Kelompok"), _("Alasan")],
        [[d["nama"], d["kelompok"], d["alasan"]] for d in daftar], [None, None, None],
    )  # fmt: skip


def lembar_xlsx(wb, program: dict, *, saringan_teks) -> None:
    """Four sheets: activities, market access, social capital, CIBEST (with graduation)."""
    kp, ap = program["kegiatan_program"], program["akses_pasar"]
    ms, cb = program["modal_sosial"], program["cibest"]

    ws = _lembar(wb, _("Kegiatan program"), _("Kegiatan program"), saringan_teks)
    r = _tabel(
        ws, 4, _("Kegiatan menurut jenis (n=%(n)s)") % {"n": kp["kegiatan"]},
        [_("Jenis"), _("Kegiatan"), _("Jam"), _("Kehadiran"), _("Mitra terjangkau"),
         _("Jam-orang"), _("Biaya")],
        [[b["nama"], b["kegiatan"], b["jam"], b["kehadiran"], b["mitra"], b["jam_orang"],
          b["biaya"]] for b in kp["per_jenis"]]
        + [[_("Jumlah"), kp["kegiatan"], kp["jam"], kp["kehadiran"], kp["mitra_terjangkau"],
            kp["jam_orang"], kp["biaya"]]],
        [None, ANGKA, DESIMAL, ANGKA, ANGKA, DESIMAL, RUPIAH],
    )  # fmt: skip
    r = _tabel(
        ws, r, _("Mitra terjangkau"), [_("Ukuran"), _("Nilai")],
        [[_("Mitra dalam laporan"), kp["n_mitra"]],
         [_("Mitra yang ikut paling sedikit satu kegiatan"), kp["mitra_terjangkau"]],
         [_("Porsi"), kp["porsi_terjangkau"]]],
        [None, ANGKA],
    )  # fmt: skip
    ws.cell(row=r - 2, column=2).number_format = PERSEN
    r = _tabel(
        ws, r, _("Pihak luar yang terlibat, menurut jenis (n=%(n)s)") % {"n": kp["pihak_luar"]},
        [_("Jenis pihak luar"), _("Pihak")],
        [[b["nama"], b["pihak"]] for b in kp["pihak_per_jenis"]], [None, ANGKA],
    )  # fmt: skip
    _catatan(ws, r, kp["catatan"])

    ws = _lembar(wb, _("Akses pasar"), _("Akses pasar dan jejaring"), saringan_teks)
    r = _tabel(
        ws, 4, _("Mitra dengan akses pasar/jejaring"), [_("Ukuran"), _("Nilai")],
        [[_("Mitra dalam laporan"), ap["n_mitra"]],
         [_("Mitra dengan akses pasar/jejaring, tanggal laporan"), ap["mitra_akses"]],
         [_("Mitra dengan akses pasar/jejaring, awal periode"), ap["mitra_akses_awal"]]],
        [None, ANGKA],
    )  # fmt: skip
    r = _tabel(
        ws, r, _("Tautan yang berlaku menurut jenis (n=%(n)s)") % {"n": ap["tautan"]},
        [_("Jenis tautan"), _("Tautan"), _("Nilai per bulan"), _("Tautan dengan nilai")],
        [[b["nama"], b["tautan"], b["nilai_per_bulan"], b["n_nilai"]] for b in ap["per_jenis"]],
        [None, ANGKA, RUPIAH, ANGKA],
    )  # fmt: skip
    r = _tabel(
        ws, r, _("Tautan yang berlaku menurut jenis pihak luar"),
        [_("Jenis pihak luar"), _("Tautan"), _("Pihak")],
        [[b["nama"], b["tautan"], b["pihak"]] for b in ap["per_pihak"]], [None, ANGKA, ANGKA],
    )  # fmt: skip
    _catatan(ws, r, ap["catatan"])

    ws = _lembar(wb, _("Modal sosial"), _("Modal sosial"), saringan_teks)
    r = _tabel(
        ws, 4, _("Indeks modal sosial (0–100), baseline → endline (n=%(n)s)") % {"n": ms["n"]},
        [_("Dimensi"), "n", _("Rata-rata baseline"), _("Median baseline"), _("Rata-rata endline"),
         _("Median endline"), _("Perubahan rata-rata"), _("Naik")],
        [[b["nama"], b["n"], b["baseline_rerata"], b["baseline_median"], b["endline_rerata"],
          b["endline_median"], b["perubahan_rerata"], b["porsi_naik"]] for b in ms["baris"]],
        [None, ANGKA, DESIMAL, DESIMAL, DESIMAL, DESIMAL, DESIMAL, PERSEN],
    )  # fmt: skip
    r = _dikecualikan(ws, r, _("Mitra yang tidak dihitung"), ms["dikecualikan"])
    _catatan(ws, r, ms["catatan"])

    ws = _lembar(wb, "CIBEST", _("Kesejahteraan rumah tangga (CIBEST)"), saringan_teks)
    r = _tabel(
        ws, 4, _("Rumah tangga per kuadran (n=%(n)s)") % {"n": cb["n"]},
        [_("Kuadran"), _("Baseline"), "%", _("Endline"), "%"],
        [[f"{b['kuadran']} {b['nama']}", b["baseline"], b["baseline_porsi"], b["endline"],
          b["endline_porsi"]] for b in cb["sebaran"]],
        [None, ANGKA, PERSEN, ANGKA, PERSEN],
    )  # fmt: skip
    r = _tabel(
        ws, r, _("Perpindahan antarkuadran: baris = baseline, kolom = endline"),
        [_("Dari → ke"), *KUADRAN, _("Jumlah")],
        [[f"{t['dari']} {t['nama']}", *t["ke"], t["jumlah"]] for t in cb["transisi"]]
        + [[_("Jumlah"), *cb["transisi_kolom"], cb["n"]]],
        [None, ANGKA, ANGKA, ANGKA, ANGKA, ANGKA],
    )  # fmt: skip
    r = _tabel(
        ws, r, _("Indeks CIBEST"),
        [_("Indeks"), _("Baseline"), _("Endline"), _("Perubahan (poin)"), _("Perubahan relatif")],
        [[i["nama"], i["baseline"], i["endline"], i["perubahan"], i["perubahan_relatif"]]
         for i in cb["indeks"]],
        [None, INDEKS, INDEKS, INDEKS, PERSEN],
    )  # fmt: skip
    lulus = cb["lulus"]
    r = _tabel(
        ws, r, _("Lulus: dari mustahik menjadi muzakki"), [_("Ukuran"), _("Nilai")],
        [[_("Rumah tangga dengan endline dan nisab"), lulus["n"]],
         [_("Pendapatan pada atau di atas nisab"), lulus["jumlah"]]],
        [None, ANGKA],
    )  # fmt: skip
    if lulus["daftar"]:
        r = _tabel(
            ws, r, _("Rumah tangga yang lulus"),
            [_("Nama"), _("Kelompok"), _("Pendapatan"), _("Nisab")],
            [[m["nama"], m["kelompok"], m["pendapatan"], m["nisab"]] for m in lulus["daftar"]],
            [None, None, RUPIAH, RUPIAH],
        )  # fmt: skip
    r = _dikecualikan(ws, r, _("Mitra yang tidak dihitung"), cb["dikecualikan"])
    r = _dikecualikan(ws, r, _("Tidak dihitung untuk kelulusan"), lulus["dikecualikan"])
    _catatan(ws, r, f"{cb['catatan']} {cb['aturan_batas']}")


KOLOM_CSV = [
    "kuadran_cibest_baseline",
    "kuadran_cibest_endline",
    "modal_sosial_baseline",
    "modal_sosial_endline",
]


def nilai_csv(program: dict) -> dict[int, list]:
    """{mitra id: the programme's columns of that mitra's row in the report's CSV}; a mitra
    without a survey answer gets blanks (nilai_csv_kosong)."""
    kuadran = {r["mitra_id"]: r for r in program["cibest"]["per_rumah"]}
    hasil = {}
    for mitra_id, ms in program["per_mitra"].items():
        k = kuadran.get(mitra_id, {})
        hasil[mitra_id] = [
            k.get("baseline", ""),
            k.get("endline", ""),
            "" if ms["modal_sosial_baseline"] is None else ms["modal_sosial_baseline"],
            "" if ms["modal_sosial_endline"] is None else ms["modal_sosial_endline"],
        ]
    return hasil


NILAI_CSV_KOSONG = [""] * len(KOLOM_CSV)

"""The programme's sections in the impact report: the hand-made fixture's literal figures
(program/tests/data_program.py) in the HTML page, the XLSX cells, the PDF text, the CSV
columns and the dashboard cards; the per-klaster parts merge to the whole."""

import csv
import io
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from klaster.models import Klaster
from program import selectors
from program.tests.data_program import EXPECTED, PARAMS, buat_data_program, saringan


@pytest.fixture
def data(personas):
    return buat_data_program(personas)


def _params(personas, **extra):
    return {"klaster": personas.klaster_lebak.pk, **PARAMS, **extra}


def _baris_tabel(html: str, id_tabel: str) -> list[list[str]]:
    """The text of each row of a table (header, body and foot), cell by cell."""
    tabel = re.search(rf'<table[^>]*id="{id_tabel}".*?</table>', html, re.S).group(0)
    hasil = []
    for tr in re.findall(r"<tr[^>]*>(.*?)</tr>", tabel, re.S):
        sel = re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", tr, re.S)
        hasil.append([re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", c)).strip() for c in sel])
    return hasil


def test_report_page_shows_the_hand_worked_programme_figures(client, personas, data):
    client.force_login(personas.manajer)
    html = client.get(reverse("laporan:dampak"), _params(personas)).content.decode()
    # CIBEST: quadrants, transition matrix, indices
    sebaran = _baris_tabel(html, "tabel-cibest-sebaran")
    assert sebaran[1:5] == [
        ["I Sejahtera", "2", "25,0%", "4", "50,0%"],
        ["II Miskin material", "2", "25,0%", "2", "25,0%"],
        ["III Miskin spiritual", "1", "12,5%", "1", "12,5%"],
        ["IV Miskin absolut", "3", "37,5%", "1", "12,5%"],
    ]
    transisi = _baris_tabel(html, "tabel-cibest-transisi")
    assert [r[1:5] for r in transisi[1:5]] == [
        [str(n) for n in baris] for baris in EXPECTED["transisi"]
    ]
    assert transisi[5] == ["Jumlah", "4", "2", "1", "1", "8"]
    indeks = {r[0]: r[1:] for r in _baris_tabel(html, "tabel-cibest-indeks")[1:]}
    assert indeks["Indeks kesejahteraan (W)"] == ["0,250", "0,500", "+0,250", "+100,0%"]
    assert indeks["Indeks kemiskinan absolut (Pa)"] == ["0,375", "0,125", "-0,250", "-66,7%"]
    # social capital: mean, median, change, share rose
    ms = {r[0]: r[1:] for r in _baris_tabel(html, "tabel-modal-sosial")[1:]}
    assert ms["Hubungan antaranggota"] == [
        "8",
        "46,88",
        "50,00",
        "59,38",
        "62,50",
        "+12,50",
        "50,0%",
    ]
    assert ms["Jejaring dengan pihak luar"] == [
        "8",
        "21,88",
        "25,00",
        "50,00",
        "50,00",
        "+28,12",
        "87,5%",
    ]
    assert ms["Modal sosial (keseluruhan)"] == [
        "8",
        "35,42",
        "37,50",
        "54,17",
        "62,50",
        "+18,75",
        "75,0%",
    ]
    # excluded and named; graduation
    assert "Iis (LBK-02): ada baseline, belum ada endline" in html
    assert "Jaja (LBK-02): ada endline, tidak ada baseline" in html
    assert re.sub(r"\s+", " ", re.search(r'id="program-lulus">(.*?)</p>', html, re.S).group(1)) == (
        "1 dari 9 rumah tangga (11,1%) berpendapatan pada atau di atas nisab zakat saat endline."
    )
    assert "Jaja (LBK-02): Rp6.859.394 ≥ Rp6.859.394" in html
    # activities and market access
    kegiatan = _baris_tabel(html, "tabel-program-kegiatan")
    assert kegiatan[-1] == ["Jumlah", "4", "11,50", "9", "7", "29", "Rp1.500.000"]
    assert re.search(r'id="program-mitra-akses">6<', html)
    assert "Orang Malingping" not in html and "Pelatihan Malingping" not in html


def _xlsx(client, personas):
    from openpyxl import load_workbook

    r = client.get(reverse("laporan:dampak_xlsx"), _params(personas))
    assert r.status_code == 200
    return load_workbook(io.BytesIO(r.content))


def _cari(ws, teks):
    for row in ws.iter_rows():
        for c in row:
            if c.value == teks:
                return c
    raise AssertionError(f"{teks!r} not in sheet {ws.title}")


def _kanan(ws, cell, n):
    """The n cells right of `cell`; numbers as Decimal (openpyxl reads floats back)."""
    nilai = [ws.cell(row=cell.row, column=cell.column + i).value for i in range(1, n + 1)]
    return [Decimal(str(v)) if isinstance(v, float) else v for v in nilai]


def test_xlsx_cells_hold_the_figures_as_numbers(client, personas, data):
    client.force_login(personas.manajer)
    wb = _xlsx(client, personas)
    cb = wb["CIBEST"]
    assert _kanan(cb, _cari(cb, "I Sejahtera"), 4) == [2, Decimal("0.25"), 4, Decimal("0.5")]
    assert _kanan(cb, _cari(cb, "IV Miskin absolut"), 4)[0::2] == [3, 1]
    baris_transisi = [c for c in cb["A"] if c.value == "IV Miskin absolut"][1]
    assert _kanan(cb, baris_transisi, 5) == [1, 0, 1, 1, 3]
    w = _cari(cb, "Indeks kesejahteraan (W)")
    assert _kanan(cb, w, 4) == [Decimal("0.25"), Decimal("0.5"), Decimal("0.25"), Decimal("1")]
    assert cb.cell(row=w.row, column=2).number_format == "0.000"
    ms = wb["Modal sosial"]
    assert _kanan(ms, _cari(ms, "Kapasitas anggota dan lembaga"), 7) == [
        8, Decimal("37.5"), Decimal("37.5"), Decimal("53.13"), Decimal("50"),
        Decimal("15.63"), Decimal("0.625"),
    ]  # fmt: skip
    kp = wb["Kegiatan program"]
    assert _kanan(kp, _cari(kp, "Jumlah"), 6) == [
        4, Decimal("11.5"), 9, 7, Decimal("29"), Decimal("1500000"),
    ]  # fmt: skip
    ap = wb["Akses pasar"]
    assert _kanan(ap, _cari(ap, "Mitra dengan akses pasar/jejaring, tanggal laporan"), 1) == [6]
    assert _kanan(ap, _cari(ap, "Mitra dengan akses pasar/jejaring, awal periode"), 1) == [1]


def test_pdf_text_has_the_tables(client, personas, data):
    from pypdf import PdfReader

    client.force_login(personas.manajer)
    r = client.get(reverse("laporan:dampak_pdf"), _params(personas))
    assert r.status_code == 200
    teks = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(r.content)).pages)
    teks = re.sub(r"\s+", " ", teks)
    assert "8. Kesejahteraan rumah tangga (CIBEST)" in teks
    assert "I Sejahtera 2 25,0% 4 50,0%" in teks
    assert "IV Miskin absolut 1 0 1 1 3" in teks  # the transition row
    assert "Indeks kesejahteraan (W) 0,250 0,500 +0,250 +100,0%" in teks
    assert "Modal sosial (keseluruhan) 8 35,42 37,50 54,17 62,50 +18,75 75,0%" in teks
    assert "Iis (LBK-02): ada baseline, belum ada endline" in teks


def test_csv_rows_carry_each_households_quadrants_and_index(client, personas, data):
    client.force_login(personas.manajer)
    r = client.get(reverse("laporan:dampak_csv"), _params(personas))
    baris = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    per_nama = {b["nama"]: b for b in baris}
    fitri = per_nama["Fitri"]
    assert (fitri["kuadran_cibest_baseline"], fitri["kuadran_cibest_endline"]) == ("I", "II")
    assert fitri["modal_sosial_baseline"] == "50.00"
    assert per_nama["Iis"]["kuadran_cibest_endline"] == ""  # no endline


def test_dashboard_cards_show_the_programme_headlines(client, personas, data):
    client.force_login(personas.manajer)
    html = client.get(reverse("klaster:beranda")).content.decode()
    # the dashboard is "as of today", the whole programme: the fixture's rows all count
    assert re.search(r'id="dasbor-kegiatan-program">5<', html)  # K5 (2023) counts here
    assert re.search(r'id="dasbor-cibest-awal">25,0%<', html)
    assert re.search(r'id="dasbor-cibest-akhir">50,0%<', html)
    assert re.search(r'id="dasbor-modal-sosial-awal">35,42<', html)
    assert re.search(r'id="dasbor-lulus">1<', html)


def test_parts_of_each_klaster_merge_to_the_whole(data, personas):
    semua = Klaster.objects.filter(pk__in=[personas.klaster_lebak.pk, personas.klaster_lain.pk])
    s = saringan(personas)
    from dataclasses import replace

    s = replace(s, klaster=semua)
    utuh = selectors.bagian_program(s)
    parts = [
        selectors.program_per_klaster(s, [k])[k]
        for k in (personas.klaster_lain.pk, personas.klaster_lebak.pk)
    ]
    gabung = selectors.gabung_program(s, parts)
    assert gabung == utuh
    # the other klaster's household is in the whole (n 9 pairs: 8 + Malingping)
    assert utuh["cibest"]["n"] == 9
    assert utuh["kegiatan_program"]["kegiatan"] == 5


def test_cut_parts_merge_to_the_head_of_the_whole_lists(data, personas):
    """The page keeps the first rows of each named list per klaster: merged, they are the
    first rows of the whole list in the report's order, and the counts stay whole."""
    from dataclasses import replace

    s = replace(
        saringan(personas),
        klaster=Klaster.objects.filter(
            pk__in=[personas.klaster_lebak.pk, personas.klaster_lain.pk]
        ),
    )
    utuh = selectors.bagian_program(s)
    ids = [personas.klaster_lain.pk, personas.klaster_lebak.pk]
    parts = list(selectors.program_per_klaster(s, ids, batas=1).values())
    potong = selectors.gabung_program(s, parts, batas=1)
    for bagian, daftar in (
        ("modal_sosial", lambda b: b["dikecualikan"]),
        ("cibest", lambda b: b["dikecualikan"]),
        ("cibest", lambda b: b["lulus"]["daftar"]),
    ):
        semua = daftar(utuh[bagian])
        assert len(semua) >= 1
        assert daftar(potong[bagian]) == semua[:1]
    assert potong["modal_sosial"]["n_dikecualikan"] == len(utuh["modal_sosial"]["dikecualikan"])
    assert potong["cibest"]["n_dikecualikan"] == len(utuh["cibest"]["dikecualikan"])
    assert potong["cibest"]["lulus"]["jumlah"] == len(utuh["cibest"]["lulus"]["daftar"])
    # every figure but the lists is the whole's
    assert potong["modal_sosial"]["baris"] == utuh["modal_sosial"]["baris"]
    for kunci in ("n", "sebaran", "transisi", "indeks", "garis_dipakai"):
        assert potong["cibest"][kunci] == utuh["cibest"][kunci]
    assert potong["cibest"]["per_rumah"] == []  # only the exports list every household


@pytest.mark.parametrize(
    "nilai",
    [["10"], ["10", "20"], ["30", "10", "20"], ["10", "10", "20", "40"], ["5", "5", "5"]],
)
def test_median_from_value_counts_is_the_median_of_the_values(nilai):
    import statistics
    from collections import Counter

    angka = [Decimal(v) for v in nilai]
    hitungan = Counter(angka)
    assert selectors._median_hitungan(hitungan, len(angka)) == statistics.median(angka)


def test_report_page_names_the_first_rows_and_counts_all(client, personas, data, monkeypatch):
    from laporan import bagian

    monkeypatch.setattr(bagian, "BARIS_HALAMAN", 1)
    client.force_login(personas.manajer)
    html = client.get(reverse("laporan:dampak"), _params(personas)).content.decode()
    utuh = selectors.bagian_program(saringan(personas))
    n = len(utuh["modal_sosial"]["dikecualikan"])
    assert n > 1
    blok = re.search(r'id="modal-sosial-dikecualikan".*?</details>', html, re.S).group(0)
    assert f"{n} mitra tidak dihitung" in blok
    assert blok.count("<li>") == 1
    assert f"Ditampilkan 1 pertama dari {n} mitra" in blok

"""The impact report page, its charts and its exports: the hand-made fixture's figures (worked
out in test_dampak_data) appear on the page, in the XLSX cells and in the PDF text; scope,
roles, methods and bad input."""

import csv
import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from kelompok.models import Kelompok
from klaster.tests.factories import KEC_LAIN, UserFactory, desa_di
from laporan.tests.test_dampak_data import PARAMS, buat_data_tangan

URL = reverse("laporan:dampak")


@pytest.fixture
def data(personas):
    return buat_data_tangan(personas)


def _params(personas, **extra):
    return {**PARAMS, "klaster": personas.klaster_lebak.pk, **extra}


def _teks(response) -> str:
    html = response.content.decode()
    return re.sub(r"\s+", " ", html)


def _sel(html: str, id_: str, tag: str = "td|th|div|span") -> str:
    """The text of the element with this id (no HTML parser needed for our flat cells)."""
    m = re.search(rf'id="{id_}"[^>]*>(.*?)</({tag})>', html, re.S)
    assert m, id_
    return re.sub(r"<[^>]+>", " ", m.group(1)).strip()


# --- the page ----------------------------------------------------------------------------


def test_page_shows_the_hand_computed_figures(client, personas, data):
    client.force_login(personas.manajer)
    response = client.get(URL, _params(personas))
    assert response.status_code == 200
    html = _teks(response)
    assert _sel(html, "angka-mitra") == "7"
    assert _sel(html, "angka-kelompok") == "2"
    assert _sel(html, "angka-koperasi") == "1"
    assert _sel(html, "angka-dicairkan") == "Rp2.900.000"
    assert _sel(html, "angka-outstanding") == "Rp1.900.000"
    assert _sel(html, "angka-par30") == "47,4%"
    assert _sel(html, "angka-pengembalian") == "38,5%"
    assert _sel(html, "angka-kehadiran") == "77,8% (7/9)"
    assert _sel(html, "miskin-sebelum") == "60,0% (3)"
    assert _sel(html, "miskin-sesudah") == "20,0% (1)"
    total = re.sub(r"\s+", " ", _sel(html, "tabel-pendapatan-sektor-total", "tr"))
    # n, excluded, mean/median before, mean/median after, change of mean, mean %, median %,
    # rose, fell
    assert total.split(" ")[1:] == [
        "5", "2", "Rp1.200.000", "Rp1.200.000", "Rp1.480.000", "Rp1.500.000",
        "23,3%", "35,3%", "20,0%", "60,0%", "20,0%",
    ]  # fmt: skip
    tani = re.search(r'data-kode="pertanian">(.*?)</tr>', html).group(1)
    tani = re.sub(r"<[^>]+>", " ", tani).split()
    assert tani == [
        "Pertanian", "3", "1", "Rp1.400.000", "Rp1.200.000", "Rp1.766.667", "Rp2.000.000",
        "26,2%", "25,6%", "20,0%", "66,7%", "33,3%",
    ]  # fmt: skip
    # the excluded mitra are named, with masked NIK, never the full NIK
    assert "Fitri" in html and "Gugun" in html
    assert data.c1.nik not in html and data.a1.nik not in html
    assert data.c1.nik[:6] + "******" + data.c1.nik[-4:] in html
    # the other klaster never shows
    assert "Orang Lain" not in html and "Rp99.000.000" not in html
    # a method note under the tables, charts as images, download links for the manager
    assert "Tingkat kehadiran = anggota yang hadir" in html
    assert html.count('class="catatan-metode"') >= 6
    assert reverse("laporan:dampak_grafik", args=["pencairan"]) in html
    assert reverse("laporan:dampak_xlsx") in html and reverse("laporan:dampak_pdf") in html


def test_page_has_no_inline_script_or_style(client, personas, data):
    client.force_login(personas.manajer)
    html = client.get(URL, _params(personas)).content.decode()
    assert "style=" not in html
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert " on" + "click=" not in html


def test_filters_change_the_figures(client, personas, data):
    client.force_login(personas.manajer)
    html = _teks(client.get(URL, _params(personas, sektor="peternakan")))
    assert _sel(html, "angka-mitra") == "2"
    assert _sel(html, "angka-dicairkan") == "Rp1.200.000"
    html = _teks(client.get(URL, _params(personas, kelompok=data.ka.pk, jenis_kelamin="P")))
    assert _sel(html, "angka-mitra") == "2"  # Siti and Fitri
    assert "Sektor" in html and "Kelompok" in html


def test_desa_filter_and_revolving_fund(client, personas, data):
    client.force_login(personas.manajer)
    html = _teks(client.get(URL, _params(personas)))
    # repayments flow into the fund: 3 x 100.000 (Ahmad) + 2 x 100.000 (Dedi)
    fund = re.search(r'id="tabel-dana-bergulir".*?<tbody>(.*?)</tbody>', html).group(1)
    assert re.sub(r"<[^>]+>", " ", fund).split()[-3:] == ["Rp500.000", "Rp0", "Rp500.000"]
    desa = data.ka.desa_id  # every kelompok of the fixture is in this desa
    html = _teks(client.get(URL, _params(personas, desa=desa)))
    assert _sel(html, "angka-mitra") == "7"
    assert f'<option value="{desa}" selected>' in html
    response = client.get(URL, _params(personas, desa="36.02.01.2001"))
    assert response.status_code == 422
    assert "Pilih desa dari daftar" in _teks(response)


def test_fasilitator_sees_own_klaster_without_downloads(client, personas, data):
    client.force_login(personas.fasilitator)
    response = client.get(URL, PARAMS)  # no klaster parameter: their only klaster
    html = _teks(response)
    assert response.status_code == 200
    assert _sel(html, "angka-mitra") == "7"
    assert "unduh-xlsx" not in html


@pytest.mark.parametrize("baris", [1, 100])
def test_the_page_lists_the_first_facilitators_and_the_workbook_every_one(
    client, personas, data, monkeypatch, baris
):
    from laporan import bagian

    monkeypatch.setattr(bagian, "BARIS_HALAMAN", baris)
    client.force_login(personas.manajer)
    html = _teks(client.get(URL, _params(personas)))
    tabel = re.search(r'id="tabel-fasilitator".*?<tbody>(.*?)</tbody>', html).group(1)
    nama = personas.fasilitator.get_full_name() or personas.fasilitator.username
    # the hand-made data: the facilitator's 3 visits first, the manager's 1 after
    assert tabel.count("<tr>") == min(baris, 2) and nama in tabel
    terpotong = 'id="fasilitator-terpotong"' in html
    assert terpotong == (baris < 2)
    if terpotong:
        assert "Ditampilkan 1 pertama dari 2 fasilitator" in _sel(
            html, "fasilitator-terpotong", "p"
        )
    isi = client.get(reverse("laporan:dampak_xlsx"), _params(personas)).getvalue()
    lembar = load_workbook(io.BytesIO(isi))["Kunjungan per fasilitator"]
    angka = sorted(r[1] for r in lembar.iter_rows(values_only=True) if isinstance(r[1], int))
    assert angka == [1, 3]


def test_fasilitator2_cannot_get_the_lebak_report_by_changing_the_url(client, personas, data):
    client.force_login(personas.fasilitator2)
    assert client.get(URL, _params(personas)).status_code == 404
    assert client.get(URL, {**PARAMS, "kelompok": data.ka.pk}).status_code == 404
    for nama in ("pencairan", "pendapatan", "kolektibilitas", "kunjungan"):
        url = reverse("laporan:dampak_grafik", args=[nama])
        assert client.get(url, _params(personas)).status_code == 404
    # and without parameters they see their own klaster only
    html = _teks(client.get(URL, PARAMS))
    assert _sel(html, "angka-mitra") == "1"
    assert "Ahmad" not in html and "Rp2.900.000" not in html


def test_manager_exports_and_fasilitator2_cannot_export_lebak(client, personas, data):
    client.force_login(personas.fasilitator2)
    for name in ("laporan:dampak_xlsx", "laporan:dampak_pdf", "laporan:dampak_csv"):
        # wrong role first: a facilitator may not export at all
        assert client.get(reverse(name), _params(personas)).status_code == 403


def test_user_without_a_role_is_403(client, personas, data):
    client.force_login(UserFactory(username="tamu"))
    assert client.get(URL).status_code == 403
    assert client.get(reverse("laporan:dampak_grafik", args=["pencairan"])).status_code == 403


def test_anonymous_goes_to_login(client, personas):
    for name in ("laporan:dampak", "laporan:dampak_xlsx", "laporan:dampak_pdf"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("akun:masuk"))


def test_post_is_405(client, personas):
    # the exports take a POST: it starts the file in the background (tugas/tests)
    client.force_login(personas.manajer)
    for name in ("laporan:dampak",):
        assert client.post(reverse(name)).status_code == 405
    assert client.post(reverse("laporan:dampak_grafik", args=["pencairan"])).status_code == 405


def test_bad_input_comes_back_with_a_message(client, personas, data):
    client.force_login(personas.manajer)
    response = client.get(URL, _params(personas, dari="2024-12-31", sampai="2023-01-01"))
    assert response.status_code == 422
    assert "Tanggal akhir periode harus sama dengan atau setelah tanggal awal." in _teks(response)
    assert 'id="angka-mitra"' not in response.content.decode()
    response = client.get(URL, _params(personas, sampai="kemarin", sektor="perikanan"))
    assert response.status_code == 422
    html = _teks(response)
    assert "tanggal yang valid" in html.lower() or "valid date" in html.lower()
    assert (
        client.get(reverse("laporan:dampak_xlsx"), _params(personas, dari="x")).status_code == 422
    )
    # a malformed or unknown klaster id is simply not found
    assert client.get(URL, {"klaster": "abc"}).status_code == 404
    assert client.get(URL, {"klaster": "999999"}).status_code == 404
    assert client.get(reverse("laporan:dampak_grafik", args=["lain"])).status_code == 404


# --- charts ------------------------------------------------------------------------------


@pytest.mark.parametrize("nama", ["pencairan", "pendapatan", "kolektibilitas", "kunjungan"])
def test_charts_are_self_contained_svg(client, personas, data, nama):
    client.force_login(personas.manajer)
    response = client.get(reverse("laporan:dampak_grafik", args=[nama]), _params(personas))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/svg+xml")
    svg = response.content.decode()
    assert svg.startswith("<svg")
    assert "<script" not in svg
    # nothing is fetched from the internet (only the SVG namespaces and pygal's comments)
    urls = set(re.findall(r'(?:href|src)="([^"]+)"', svg))
    assert not [u for u in urls if u.startswith(("http:", "https:", "//"))]
    assert "'unsafe-inline'" in response["Content-Security-Policy"]


def test_chart_labels_come_from_the_figures(client, personas, data):
    client.force_login(personas.manajer)
    svg = client.get(
        reverse("laporan:dampak_grafik", args=["pendapatan"]), _params(personas)
    ).content.decode()
    assert "Pertanian (n=3)" in svg and "Peternakan (n=2)" in svg
    svg = client.get(
        reverse("laporan:dampak_grafik", args=["pencairan"]), _params(personas)
    ).content.decode()
    assert "2023" in svg and "2024" in svg and "Modal bergulir" in svg


# --- exports -----------------------------------------------------------------------------


def _xlsx(client, personas, **extra):
    response = client.get(reverse("laporan:dampak_xlsx"), _params(personas, **extra))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    return load_workbook(io.BytesIO(response.content))


def _baris(ws, label):
    for row in ws.iter_rows(min_row=5):
        if row[0].value == label:
            return row
    raise AssertionError(f"{label!r} not in {ws.title}")


def _kolom(ws, header):
    for cell in ws[4]:
        if cell.value == header:
            return cell.column - 1
    raise AssertionError(f"{header!r} not in {ws.title}")


def test_xlsx_cells_are_numbers_with_rupiah_and_percent_formats(client, personas, data):
    client.force_login(personas.manajer)
    wb = _xlsx(client, personas)
    assert {
        "Ringkasan", "Pendapatan per sektor", "Pendapatan per kelompok", "Pendapatan per mitra",
        "Pencairan per tahun", "Kolektibilitas", "Kunjungan per bulan", "Mitra dikecualikan",
        "Catatan metode",
    } <= set(wb.sheetnames)  # fmt: skip

    ws = wb["Pendapatan per sektor"]
    semua = _baris(ws, "Semua")

    def sel(row, header):
        return row[_kolom(ws, header)]

    def angka(cell, fmt):
        assert isinstance(cell.value, int | float), (cell.coordinate, cell.value)
        assert cell.number_format == fmt, (cell.coordinate, cell.number_format)
        return cell.value

    assert angka(sel(semua, "n"), "#,##0") == 5
    assert angka(sel(semua, "Dikecualikan"), "#,##0") == 2
    assert angka(sel(semua, "Rata-rata baseline"), '"Rp"#,##0') == 1_200_000
    assert angka(sel(semua, "Median baseline"), '"Rp"#,##0') == 1_200_000
    assert angka(sel(semua, "Rata-rata terakhir"), '"Rp"#,##0') == 1_480_000
    assert angka(sel(semua, "Median terakhir"), '"Rp"#,##0') == 1_500_000
    assert angka(sel(semua, "Perubahan rata-rata"), "0.0%") == pytest.approx(0.233333)
    assert angka(sel(semua, "Rata-rata % perubahan"), "0.0%") == pytest.approx(0.353333)
    assert angka(sel(semua, "Median % perubahan"), "0.0%") == pytest.approx(0.2)
    assert angka(sel(semua, "Naik"), "0.0%") == pytest.approx(0.6)
    assert angka(sel(semua, "Turun"), "0.0%") == pytest.approx(0.2)
    assert angka(sel(semua, "Di bawah garis (baseline)"), "0.0%") == pytest.approx(0.6)
    assert angka(sel(semua, "Di bawah garis (terakhir)"), "0.0%") == pytest.approx(0.2)
    tani = _baris(ws, "Pertanian")
    assert angka(sel(tani, "Rata-rata terakhir"), '"Rp"#,##0') == pytest.approx(1_766_666.67)
    assert angka(sel(tani, "Rata-rata % perubahan"), "0.0%") == pytest.approx(0.255556)

    ws = wb["Ringkasan"]
    assert _baris(ws, "Dana dicairkan dalam periode")[1].value == 2_900_000
    assert _baris(ws, "Dana dicairkan dalam periode")[1].number_format == '"Rp"#,##0'
    assert _baris(ws, "PAR30")[1].value == pytest.approx(0.473684)
    assert _baris(ws, "PAR30")[1].number_format == "0.0%"
    assert "Klaster Mandiri Lebak" in ws["A2"].value

    ws = wb["Pencairan per tahun"]
    assert _baris(ws, 2023)[_kolom(ws, "Hibah modal usaha")].value == 500_000
    assert _baris(ws, 2024)[_kolom(ws, "Modal bergulir")].value == 2_400_000
    assert _baris(ws, "Jumlah")[_kolom(ws, "Jumlah")].value == 2_900_000

    ws = wb["Pendapatan per mitra"]
    ahmad = _baris(ws, "Ahmad")
    assert ahmad[_kolom(ws, "NIK (disamarkan)")].value == data.a1.nik_tersamar
    assert ahmad[_kolom(ws, "Pendapatan baseline")].value == 1_200_000
    assert ahmad[_kolom(ws, "Perubahan")].value == pytest.approx(0.666667)
    assert ahmad[_kolom(ws, "Perubahan")].number_format == "0.0%"
    nik_semua = {c.value for row in ws.iter_rows() for c in row}
    assert data.a1.nik not in nik_semua

    ws = wb["Mitra dikecualikan"]
    assert [r[0].value for r in ws.iter_rows(min_row=5) if r[0].value] == ["Fitri", "Gugun"]
    assert _baris(ws, "Fitri")[1].value == data.c1.nik_tersamar
    ws = wb["Catatan metode"]
    assert any("proksi pengeluaran" in (c.value or "") for row in ws.iter_rows() for c in row)


def test_pdf_contains_the_figures_filters_and_page_numbers(client, personas, data):
    client.force_login(personas.manajer)
    response = client.get(reverse("laporan:dampak_pdf"), _params(personas))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    assert reader.pages[0].mediabox.width == pytest.approx(595.28, abs=1)  # A4 in points
    teks = "\n".join(page.extract_text() for page in reader.pages)
    flat = re.sub(r"\s+", " ", teks)
    assert f"Halaman 1 dari {len(reader.pages)}" in flat
    assert "Klaster: Klaster Mandiri Lebak" in flat
    assert "Periode: 1 Januari 2023 – 31 Desember 2024" in flat
    for angka in [
        "Rp2.900.000", "Rp1.900.000", "47,4%", "38,5%",
        "Rp1.200.000", "Rp1.480.000", "Rp1.500.000", "23,3%", "35,3%", "60,0%",
        "Rp1.766.667", "25,6%", "77,8%",
    ]:  # fmt: skip
        assert angka in flat, angka
    assert "Fitri" in flat and "Gugun" in flat
    # donors see masked NIKs only (the per-mitra table itself is in the XLSX and CSV)
    assert data.c1.nik not in flat and data.c1.nik_tersamar in flat
    assert "Pendapatan per mitra" in flat
    # the four charts are embedded (one image XObject or form per chart at least)
    assert b"/Subtype /Form" in response.content or b"/Subtype/Form" in response.content


def test_csv_lists_every_mitra_with_masked_nik(client, personas, data):
    client.force_login(personas.manajer)
    response = client.get(reverse("laporan:dampak_csv"), _params(personas))
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [r["nama"] for r in rows] == ["Ahmad", "Budi", "Siti", "Dedi", "Euis", "Fitri", "Gugun"]
    ahmad = rows[0]
    assert ahmad["nik_tersamar"] == data.a1.nik_tersamar
    assert (ahmad["pendapatan_baseline"], ahmad["pendapatan_terakhir"]) == (
        "1200000.00", "2000000.00",
    )  # fmt: skip
    assert ahmad["perubahan_rasio"] == "0.666667"
    assert rows[-1]["keterangan"].startswith("Tidak ada pengukuran monitoring")
    assert data.a1.nik not in response.content.decode("utf-8-sig")


def test_the_cached_choices_follow_the_choice_and_a_rename(client, personas, data):
    """The klaster and village options are kept rendered (a thousand of each nationally):
    another choice, or a renamed klaster, is other options."""
    client.force_login(personas.admin)  # sees both klaster
    lebak, lain = personas.klaster_lebak, personas.klaster_lain

    def terpilih(html):
        return re.findall(r'<option value="([^"]*)" selected>', html)

    assert str(lebak.pk) in terpilih(_teks(client.get(URL, _params(personas))))
    html = _teks(client.get(URL, {**PARAMS, "klaster": lain.pk}))
    assert str(lain.pk) in terpilih(html) and str(lebak.pk) not in terpilih(html)
    html = _teks(client.get(URL, {**PARAMS}))  # every klaster: none chosen
    assert str(lebak.pk) not in terpilih(html) and str(lain.pk) not in terpilih(html)
    desa = data.ka.desa_id
    assert desa in terpilih(_teks(client.get(URL, _params(personas, desa=desa))))
    assert desa not in terpilih(_teks(client.get(URL, _params(personas))))
    lebak.nama = "Klaster Mandiri Lebak Baru"
    lebak.save()
    assert ">Klaster Mandiri Lebak Baru</option>" in _teks(client.get(URL, _params(personas)))


def test_across_klaster_a_kelompok_is_chosen_from_the_scope_and_the_desa_of_all_are_offered(
    client, personas, data
):
    """One klaster: its kelompok are offered. Several: only the chosen kelompok (looked up in
    the scope: one of the klaster shown, or a 404), and the desa of every klaster's
    kelompok, by name."""
    client.force_login(personas.admin)  # sees both klaster
    lain = personas.kelompok_lain
    # a desa of Malingping, where that klaster works, whose name comes after the Lebak
    # kelompok's desa and whose code comes before: the options are by name
    lain.desa = next(d for d in desa_di(KEC_LAIN) if d.nama > data.ka.desa.nama)
    assert lain.desa_id < data.ka.desa_id
    lain.save()

    def opsi(html, nama):
        pilihan = re.search(rf'<select[^>]* name="{nama}".*?</select>', html, re.S).group(0)
        return re.findall(r'<option value="([^"]+)"[^>]*>([^<]*)</option>', pilihan)

    satu = _teks(client.get(URL, _params(personas)))
    kelompok_lebak = {
        str(pk)
        for pk in Kelompok.objects.filter(klaster=personas.klaster_lebak).values_list(
            "pk", flat=True
        )
    }
    assert {pk for pk, _nama in opsi(satu, "kelompok")} == kelompok_lebak

    semua = client.get(URL, PARAMS)
    html = _teks(semua)
    assert opsi(html, "kelompok") == []  # nothing chosen, nothing listed
    desa = {(g.desa_id, g.desa.nama) for g in (data.ka, lain)}
    assert len(desa) == 2
    assert opsi(html, "desa") == sorted(desa, key=lambda d: (d[1], d[0]))

    # the other klaster's kelompok, chosen across both: its figures, named in the filters
    pilih = client.get(URL, {**PARAMS, "kelompok": lain.pk})
    assert pilih.status_code == 200
    assert opsi(_teks(pilih), "kelompok") == [(str(lain.pk), f"{lain.kode} {lain.nama}")]
    assert pilih.context["p"].kelompok_terpilih["pk"] == lain.pk
    assert _sel(_teks(pilih), "angka-kelompok") == "1"
    # a kelompok outside what the manager sees is a 404, across klaster as for one
    client.force_login(personas.manajer)  # Lebak only
    assert client.get(URL, {**PARAMS, "kelompok": lain.pk}).status_code == 404

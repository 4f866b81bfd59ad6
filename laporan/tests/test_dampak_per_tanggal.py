"""Figures true for every date and method notes that say what was done (issue 14, items
12-14), on the hand-made fixture of test_dampak_data (report as of 31 December 2024)."""

import csv
import datetime
import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from kelompok.models import Lembaga
from kelompok.tests.factories import LembagaFactory
from laporan import selectors
from laporan.tests.test_dampak_data import PARAMS, buat_data_tangan, saringan_lebak
from mitra.models import Mitra
from mitra.tests.factories import MitraFactory

D = datetime.date
URL = reverse("laporan:dampak")


@pytest.fixture
def data(personas):
    d = buat_data_tangan(personas)
    k = personas.klaster_lebak
    # cooperatives approved after the report date, or not approved at all, are not yet ones
    LembagaFactory(klaster=k, nama="Koperasi Baru", tanggal_pengesahan=D(2025, 3, 1))
    LembagaFactory(klaster=k, nama="Koperasi Rencana", nomor_badan_hukum="",
                   tanggal_pengesahan=None)  # fmt: skip
    # one member left before the report date, one after it
    MitraFactory(nama="Keluar Dulu", kelompok=d.kb, tanggal_bergabung=D(2023, 1, 15),
                 status=Mitra.Status.KELUAR, tanggal_keluar=D(2024, 6, 1))  # fmt: skip
    MitraFactory(nama="Keluar Nanti", kelompok=d.kb, tanggal_bergabung=D(2023, 1, 15),
                 status=Mitra.Status.KELUAR, tanggal_keluar=D(2025, 1, 10))  # fmt: skip
    return d


def _params(personas, **extra):
    return {**PARAMS, "klaster": personas.klaster_lebak.pk, **extra}


def _html(client, personas, **extra) -> str:
    response = client.get(URL, _params(personas, **extra))
    assert response.status_code == 200
    return re.sub(r"\s+", " ", response.content.decode())


def _tabel(html: str, id_: str) -> str:
    m = re.search(rf'<table[^>]*id="{id_}"[^>]*>(.*?)</table>', html, re.S)
    assert m, id_
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", m.group(1))).strip()


def _angka(html: str, id_: str) -> str:
    return re.search(rf'id="{id_}"[^>]*>([^<]*)<', html).group(1).strip()


def _xlsx(client, personas, **extra):
    response = client.get(reverse("laporan:dampak_xlsx"), _params(personas, **extra))
    assert response.status_code == 200
    return load_workbook(io.BytesIO(response.content))


def _nilai(ws, label):
    for row in ws.iter_rows(min_row=5):
        if row[0].value == label:
            return row[1].value
    raise AssertionError(label)


def _pdf(client, personas, **extra) -> str:
    response = client.get(reverse("laporan:dampak_pdf"), _params(personas, **extra))
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(response.content))
    return re.sub(r"\s+", " ", "\n".join(p.extract_text() for p in reader.pages))


# --- item 12: cooperatives as of the report date -------------------------------------------


def test_cooperatives_are_counted_by_their_approval_date_everywhere(client, personas, data):
    client.force_login(personas.manajer)
    # 31 Dec 2024: only the cooperative approved in 2013 (the fixture's) is one
    html = _html(client, personas)
    assert _angka(html, "angka-koperasi") == "1"
    assert _tabel(html, "tabel-lembaga").split("Koperasi ")[1].split()[:2] == ["1", "1"]
    assert _nilai(_xlsx(client, personas)["Ringkasan"], "Koperasi") == 1
    assert "Koperasi 1" in _pdf(client, personas)
    # once the second one is approved (1 Mar 2025) it counts; the unapproved one never does
    sesudah = {"sampai": "2025-06-30", "per_tanggal": "2025-06-30"}
    assert _angka(_html(client, personas, **sesudah), "angka-koperasi") == "2"
    assert _nilai(_xlsx(client, personas, **sesudah)["Ringkasan"], "Koperasi") == 2
    # before any was approved: none, as the table's "berbadan hukum" says
    s = selectors.Saringan(klaster=saringan_lebak(personas).klaster, sampai=D(2013, 6, 30))
    orang = selectors.ringkasan_orang(s)
    koperasi = next(v for v in orang["lembaga_per_bentuk"] if v["label"] == "Koperasi")
    assert orang["koperasi"] == koperasi["n"] == koperasi["berbadan_hukum"] == 0


def test_the_cooperative_count_follows_the_report_date_of_the_dashboard(client, personas, data):
    from freezegun import freeze_time

    client.force_login(personas.manajer)
    with freeze_time("2024-12-31 10:00:00"):
        html = client.get(reverse("klaster:beranda")).content.decode()
    assert re.search(r'id="dasbor-koperasi">\s*1\s*<', html)


# --- item 13: mitra status as of the report date -------------------------------------------


def test_mitra_status_is_as_of_the_report_date(client, personas, data):
    orang = selectors.ringkasan_orang(saringan_lebak(personas))
    status = {k: n for k, _l, n in orang["mitra_per_status"]}
    # "Keluar Nanti" left on 10 Jan 2025: still aktif on 31 Dec 2024
    assert status["keluar"] == 1
    assert status["aktif"] == 7 and status["lulus"] == 1  # 6 of the fixture + Keluar Nanti
    client.force_login(personas.manajer)
    tabel = _tabel(_html(client, personas), "tabel-mitra-status")
    assert "Keluar 1" in tabel and "Aktif 7" in tabel
    assert [r[0].value for r in _xlsx(client, personas)["Mitra per status"].iter_rows(min_row=5)
            if r[0].value == "Keluar"] == ["Keluar"]  # fmt: skip
    ws = _xlsx(client, personas)["Mitra per status"]
    assert {r[0].value: r[1].value for r in ws.iter_rows(min_row=5)}["Keluar"] == 1
    # after both left: two
    s = selectors.Saringan(klaster=saringan_lebak(personas).klaster, sampai=D(2025, 6, 30))
    assert {k: n for k, _l, n in selectors.ringkasan_orang(s)["mitra_per_status"]}["keluar"] == 2


def test_a_mitra_not_yet_joined_at_the_position_date_is_a_candidate(personas, data):
    # counted in the period (joined by its end), not yet joined on the position date
    s = saringan_lebak(personas)
    s = selectors.Saringan(klaster=s.klaster, sampai=s.sampai, per_tanggal=D(2023, 3, 1))
    status = {k: n for k, _l, n in selectors.ringkasan_orang(s)["mitra_per_status"]}
    assert status["calon"] == 1  # Fitri joined on 1 June 2023


# --- item 14: method notes -----------------------------------------------------------------


def test_method_notes_say_what_each_figure_means(client, personas, data):
    client.force_login(personas.manajer)
    html = _html(client, personas)
    assert "Kunjungan 30 hari terakhir: kunjungan bertanggal dalam 30 hari" in html
    assert "Pendapatan nominal" in html and "tanpa penyesuaian inflasi" in html
    assert "generasi tertinggi" in html  # a loan from mixed generations
    assert "dihapusbukukan tetap ikut" in html  # written-off loans in the repayment rate
    assert "jatuh tempo tepat pada tanggal posisi ikut dihitung" in html
    dashboard = client.get(reverse("klaster:beranda")).content.decode()
    assert "Kunjungan 30 hari terakhir: kunjungan bertanggal hari ini dan 29 hari" in dashboard


def test_the_estimated_poverty_line_is_marked_with_its_reading_count(client, personas, data):
    client.force_login(personas.manajer)
    html = _html(client, personas)
    garis = _tabel(html, "tabel-garis")
    assert "Rp419.000 (perkiraan)" in garis and "Rp440.705 (perkiraan)" not in garis
    # the five baselines of 1 Mar 2023 used the 2023 line
    assert "5 pengukuran memakai garis kemiskinan yang nilainya perkiraan" in html
    ws = _xlsx(client, personas)["Garis kemiskinan"]
    baris = [[c.value for c in r] for r in ws.iter_rows(min_row=5) if r[4].value == 419000]
    assert baris and baris[0][5] == "perkiraan"
    assert "Rp419.000 (perkiraan)" in _pdf(client, personas)


def test_the_poverty_line_table_adds_up_to_the_sections_n(client, personas, data):
    p = selectors.perubahan_pendapatan(saringan_lebak(personas))
    assert sum(g["n_sebelum"] for g in p["garis_dipakai"]) == p["n_lengkap"] == 5
    assert sum(g["n_sesudah"] for g in p["garis_dipakai"]) == p["n_lengkap"]
    dengan_garis = [g for g in p["garis_dipakai"] if g["garis"].nilai is not None]
    assert sum(g["n_sebelum"] for g in dengan_garis) == p["total"]["n_garis_sebelum"]
    assert sum(g["n_sesudah"] for g in dengan_garis) == p["total"]["n_garis_sesudah"]
    client.force_login(personas.manajer)
    html = _html(client, personas)
    total = re.search(r'<tr id="tabel-garis-total">(.*?)</tr>', html).group(1)
    assert re.sub(r"<[^>]+>", " ", total).split()[-2:] == ["5", "5"]


def test_one_word_for_the_latest_reading_in_every_format(client, personas, data):
    client.force_login(personas.manajer)
    html = _html(client, personas)
    for id_ in ("tabel-pendapatan-sektor", "tabel-pendapatan-kelompok", "tabel-kemiskinan"):
        kepala = re.search(rf'id="{id_}".*?</thead>', html).group(0)
        assert "Terakhir" in kepala or "terakhir" in kepala
        assert "esudah" not in kepala and "ekarang" not in kepala
    wb = _xlsx(client, personas)
    for nama in ("Pendapatan per sektor", "Pendapatan per kelompok", "Ringkasan"):
        teks = " ".join(str(c.value) for row in wb[nama].iter_rows() for c in row if c.value)
        assert "terakhir" in teks
        assert "sesudah" not in teks.lower() and "sekarang" not in teks.lower()
    pdf = _pdf(client, personas)
    assert "Sesudah" not in pdf and "terakhir" in pdf.lower()


def test_the_csv_leaves_missing_values_blank(client, personas, data):
    client.force_login(personas.manajer)
    response = client.get(reverse("laporan:dampak_csv"), _params(personas))
    rows = {r["nama"]: r for r in csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")))}
    fitri, gugun = rows["Fitri"], rows["Gugun"]  # no baseline; no reading after the baseline
    assert fitri["pendapatan_baseline"] == fitri["di_bawah_garis_baseline"] == ""
    assert gugun["pendapatan_terakhir"] == gugun["di_bawah_garis_terakhir"] == ""
    assert gugun["di_bawah_garis_baseline"] == "ya"  # present: 900.000 / 4 < 419.000
    assert all("tidak tersedia" not in v for r in rows.values() for v in r.values())


def test_a_lembaga_other_than_a_cooperative_counts_as_recorded(personas, data):
    LembagaFactory(klaster=personas.klaster_lebak, nama="BUMDes Sejahtera",
                   bentuk=Lembaga.Bentuk.BUMDES, tanggal_pengesahan=None)  # fmt: skip
    orang = selectors.ringkasan_orang(saringan_lebak(personas))
    bumdes = next(v for v in orang["lembaga_per_bentuk"] if v["label"] == "BUMDes")
    assert (bumdes["n"], bumdes["berbadan_hukum"]) == (1, 1)

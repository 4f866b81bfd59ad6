"""The impact report in English (issue 19): labels, method notes and month names follow the
interface language; numbers and money stay Indonesian unless the report's option `angka`
asks for English number formatting; a cached section is never served in the other language.

The figures are the hand-computed ones of test_dampak_views (laporan/tests/test_dampak_data.py).
"""

import io
import re

import pytest
from django.conf import settings
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from klaster import simpanan
from laporan import bagian
from laporan.tests.test_dampak_data import PARAMS, buat_data_tangan
from laporan.tests.test_dampak_views import _sel, _teks

URL = reverse("laporan:dampak")


@pytest.fixture
def data(personas):
    return buat_data_tangan(personas)


def _params(personas, **kw):
    return {**PARAMS, "klaster": personas.klaster_lebak.pk, **kw}


def _en(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_english_report_keeps_indonesian_numbers_by_default(client, personas, data):
    client.force_login(personas.manajer)
    html = _teks(_en(client).get(URL, _params(personas)))
    assert '<html lang="en">' in html
    assert "Impact report" in html and "Laporan dampak" not in html
    # labels, method notes, month names in English
    assert "Members by sector and sex" in html
    assert "Attendance rate = members present ÷ group members" in html
    assert "31 December 2024" in html and "Desember" not in html
    # the same figures, written the Indonesian way
    assert _sel(html, "angka-dicairkan") == "Rp2.900.000"
    assert _sel(html, "angka-par30") == "47,4%"
    tani = re.search(r'data-kode="pertanian">(.*?)</tr>', html).group(1)
    tani = re.sub(r"<[^>]+>", " ", tani).split()
    assert tani == [
        "Farming", "3", "1", "Rp1.400.000", "Rp1.200.000", "Rp1.766.667", "Rp2.000.000",
        "26,2%", "25,6%", "20,0%", "66,7%", "33,3%",
    ]  # fmt: skip


@pytest.mark.parametrize("bahasa", ["id", "en"])
def test_english_number_formatting_is_a_report_option(client, personas, data, bahasa):
    client.force_login(personas.manajer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = bahasa
    html = _teks(client.get(URL, _params(personas, angka="en")))
    assert _sel(html, "angka-dicairkan") == "Rp2,900,000"
    assert _sel(html, "angka-par30") == "47.4%"
    assert _sel(html, "angka-kehadiran") == "77.8% (7/9)"
    tani = re.search(r'data-kode="pertanian">(.*?)</tr>', html).group(1)
    tani = re.sub(r"<[^>]+>", " ", tani).split()
    assert tani[3:8] == ["Rp1,400,000", "Rp1,200,000", "Rp1,766,667", "Rp2,000,000", "26.2%"]
    # the option is kept in the form and carried to the downloads and charts
    assert '<option value="en" selected>' in html
    assert "angka=en" in re.search(r'id="unduh-xlsx" href="([^"]+)"', html).group(1)


def test_a_bad_number_style_is_a_form_message(client, personas, data):
    client.force_login(personas.manajer)
    response = client.get(URL, _params(personas, angka="fr"))
    assert response.status_code == 422
    assert "angka-dicairkan" not in response.content.decode()


def test_the_number_style_does_not_leak_into_the_next_request(client, personas, data):
    client.force_login(personas.manajer)
    client.get(URL, _params(personas, angka="en"))
    html = _teks(client.get(URL, _params(personas)))
    assert _sel(html, "angka-dicairkan") == "Rp2.900.000"


def test_cached_sections_are_never_served_in_the_other_language(client, personas, data):
    """The Indonesian page fills the cache (both levels); the English page that follows
    reads the per-klaster entries but never an Indonesian merged text."""
    simpanan.kosongkan_salinan()
    client.force_login(personas.manajer)
    id_html = _teks(client.get(URL, _params(personas)))
    assert "Mitra menurut sektor dan jenis kelamin" in id_html and "Pertanian" in id_html
    en_html = _teks(_en(client).get(URL, _params(personas)))
    for indonesia in ("Pertanian", "Peternakan", "Laki-laki", "Aktif", "1 Lancar", "Koperasi"):
        assert f">{indonesia}<" not in en_html, indonesia
    for english in ("Farming", "Livestock", "Male", "Active", "1 Current", "Cooperative"):
        assert f">{english}<" in en_html, english
    # and back: the Indonesian page is not served from the English entries either
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    again = _teks(client.get(URL, _params(personas)))
    assert ">Farming<" not in again and ">Pertanian<" in again


def test_the_cache_key_names_the_language(personas, data):
    from django.utils import translation

    from klaster import versi
    from klaster.models import Klaster
    from laporan.tests.test_dampak_data import saringan_lebak

    s = saringan_lebak(personas)
    v = bagian.versi_dari(list(versi.dengan_versi(Klaster.objects.filter(pk=data.klaster.pk))))
    simpanan.kosongkan_salinan()
    with translation.override("id"):
        label_id = str(bagian.ambil(s, v, ["dasar"])["dasar"]["orang"]["mitra_per_sektor"][0][1])
    with translation.override("en"):
        label_en = str(bagian.ambil(s, v, ["dasar"])["dasar"]["orang"]["mitra_per_sektor"][0][1])
    assert (label_id, label_en) == ("Pertanian", "Farming")


def test_xlsx_in_english_with_indonesian_numbers(client, personas, data):
    client.force_login(personas.manajer)
    response = _en(client).get(reverse("laporan:dampak_xlsx"), _params(personas))
    assert response.status_code == 200
    buku = load_workbook(io.BytesIO(response.content))
    assert "Summary" in buku.sheetnames and "Ringkasan" not in buku.sheetnames
    teks = " ".join(
        str(c) for ws in buku.worksheets for row in ws.iter_rows(values_only=True) for c in row
    )
    assert "Method notes" in teks and "Catatan metode" not in teks
    assert "Attendance rate = members present" in teks
    # figures stay numbers: the spreadsheet formats them in the reader's own locale
    ringkasan = {r[0]: r[1] for r in buku["Summary"].iter_rows(values_only=True) if r[0]}
    assert ringkasan["Funds disbursed in the period"] == 2_900_000


def test_pdf_in_english(client, personas, data):
    client.force_login(personas.manajer)
    response = _en(client).get(reverse("laporan:dampak_pdf"), _params(personas, angka="en"))
    assert response.status_code == 200
    teks = " ".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(response.content)).pages)
    teks = re.sub(r"\s+", " ", teks)
    assert "Impact report" in teks
    assert "Members by sector and sex" in teks
    assert "Rp2,900,000" in teks and "Rp2.900.000" not in teks


def test_charts_follow_the_language_and_the_number_style(client, personas, data):
    client.force_login(personas.manajer)
    url = reverse("laporan:dampak_grafik", args=["kunjungan"])
    svg = _en(client).get(url, _params(personas)).content.decode()
    assert "Mar 2023" in svg or "March 2023" in svg
    assert "Maret" not in svg

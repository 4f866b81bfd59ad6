"""No server error on any query parameter (issue 14 item 8).

Walks every page of the URLconf (the permission matrix's walk, tests/test_matriks_izin.py)
as a manager and as a facilitator, and sends each page odd values in its query parameters:
dates at both ends of the calendar, months of year 0, huge and negative numbers, the wrong
type, a NUL byte, a very long value. Which parameters: the ones the page itself offers (the
fields of its GET forms and the query strings of its own links, read from the page), the
ones the matrix sends, and the parameter names any page of the app reads. Every answer must
be below 500; a refusal (400, 404, 422) or the page with a message is fine.

tests/test_fuzz_admin.py does the same for the Django admin's changelists and exports.
"""

import datetime
import re
from html import unescape
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from django.urls import reverse

from tests.test_matriks_izin import (
    DIJALANI,
    _cepat_dan_terisolasi,  # noqa: F401 (its media folder, where the world's photo is)
    _dunia_modul,  # noqa: F401
    _klien,
    _media_matriks,  # noqa: F401
    _path,
    aturan_untuk,
    dunia,  # noqa: F401 (the matrix's world: one object of each kind in Lebak)
)

# Odd values: the calendar's ends, year 0, impossible dates, huge/negative/non-numbers,
# a digit Python's int() refuses although str.isdigit() accepts it, NUL, a long value.
NILAI_ANEH = [
    "0001-01-01",
    "9999-12-31",
    "0000-01",
    "-1",
    "99999999999999999999",
    "abc",
    "²",
    "a\x00b",
    "9" * 3000,
]

# Names read by some page of the app (request.GET, filter sets, report forms), sent to every
# page: a page that does not read one ignores it.
PARAMETER_UMUM = [
    "per_tanggal",
    "dari",
    "sampai",
    "bulan",
    "tahun",
    "hari",
    "klaster",
    "kelompok",
    "halaman",
    "format",
    "status",
    "sektor",
    "jenis",
    "kolektibilitas",
    "q",
]

PERSONA_FUZZ = ("manajer", "fasilitator_dalam")

FORM_GET = re.compile(r"<form\b(?![^>]*method=[\"']?post)[^>]*>(.*?)</form>", re.S | re.I)
NAMA_FIELD = re.compile(r"<(?:input|select|textarea)\b[^>]*\bname=[\"']([^\"']+)[\"']", re.I)
HREF = re.compile(r"\bhref=[\"']([^\"']*\?[^\"']*)[\"']", re.I)


def _isi(respons) -> bytes:
    return b"".join(respons.streaming_content) if respons.streaming else respons.content


def _parameter_halaman(respons, path: str) -> set[str]:
    """The query parameters a page offers: its GET forms' fields, its own links' queries."""
    if "text/html" not in respons.get("Content-Type", ""):
        return set()
    html = _isi(respons).decode("utf-8", errors="replace")
    nama = set()
    for form in FORM_GET.findall(html):
        nama |= set(NAMA_FIELD.findall(form))
    for href in HREF.findall(html):
        bagian = urlsplit(unescape(href))
        if bagian.path in ("", path):
            nama |= {k for k, _ in parse_qsl(bagian.query, keep_blank_values=True)}
    return nama - {"csrfmiddlewaretoken"}


def _minta(client, path: str, params: dict, galat: list):
    """GET the page; a server error (an exception or a 5xx) goes into `galat` and gives
    None, any other answer is returned."""
    url = f"{path}?{urlencode(params)}" if params else path
    try:
        respons = client.get(url)
        _isi(respons)  # a streamed file fails while it is written, not before
    except Exception as exc:  # noqa: BLE001 (each one is a server error to report)
        galat.append(f"{url[:160]} -> {type(exc).__name__}: {str(exc)[:160]}")
        return None
    if respons.status_code >= 500:
        galat.append(f"{url[:160]} -> HTTP {respons.status_code}")
        return None
    return respons


def _jelajahi_parameter(client, path: str, dasar: dict, nama_halaman: set[str], galat: list):
    """Each odd value in each of the page's own parameters alone (the others as the page
    had them), then in all common names at once."""
    jumlah = 0
    for nama in sorted(nama_halaman | set(dasar)):
        for nilai in NILAI_ANEH:
            _minta(client, path, {**dasar, nama: nilai}, galat)
            jumlah += 1
    for nilai in NILAI_ANEH:
        _minta(client, path, {**dasar, **dict.fromkeys(PARAMETER_UMUM, nilai)}, galat)
        jumlah += 1
    return jumlah


# a URL not declared in the matrix's table is left to test_matriks_izin, which fails for it
URL_GET = [
    u
    for u in DIJALANI
    if aturan_untuk(u) and not aturan_untuk(u).post and not u.kunci.startswith("admin")
]


def periksa_semua_halaman(persona, dunia):  # noqa: F811
    """Every GET page as `persona`, each odd value in each of its parameters: no 5xx."""
    client = _klien(persona, dunia)
    galat: list[str] = []
    jumlah = 0
    for url in URL_GET:
        lengkap = _path(url, aturan_untuk(url), dunia)
        path, _, query = lengkap.partition("?")
        dasar = dict(parse_qsl(query, keep_blank_values=True))
        pertama = _minta(client, path, dasar, galat)
        if pertama is None:
            continue
        halaman = _parameter_halaman(pertama, path)
        jumlah += _jelajahi_parameter(client, path, dasar, halaman, galat)
    assert jumlah >= len(URL_GET) * len(NILAI_ANEH)
    assert not galat, f"{persona}: {len(galat)} of {jumlah} requests failed:\n" + "\n".join(galat)


# One test per persona over every page: the world is built once, not once per page. The
# facilitator's sweep is in tests/test_fuzz_parameter_fasilitator.py, so that the two long
# sweeps run on the two workers at once (--dist loadfile hands out whole files).
@pytest.mark.parametrize("persona", PERSONA_FUZZ[:1])
def test_no_query_parameter_makes_a_server_error(persona, dunia):  # noqa: F811
    periksa_semua_halaman(persona, dunia)


def test_the_walk_finds_the_parameters_pages_offer(dunia):  # noqa: F811
    # a guard on the discovery itself: the visit history's month filter, the mitra list's
    # pages, the report's dates must be found, or the sweep above would test too little
    client = _klien("manajer", dunia)
    for nama_url, query, harus in [
        ("kunjungan:list", "", {"bulan", "kelompok"}),
        ("laporan:dampak", f"klaster={dunia['klaster'].pk}", {"klaster"}),
    ]:
        path = reverse(nama_url)
        respons = client.get(f"{path}?{query}")
        assert respons.status_code == 200
        assert harus <= _parameter_halaman(respons, path), nama_url


# --- the refusals say what to fix -----------------------------------------------------------


@pytest.mark.parametrize("bulan", ["0000-01", "2014-13", "abc", "٢٠١٤-٠٣"])
def test_visit_history_refuses_a_month_that_is_not_one_with_a_message(dunia, bulan):  # noqa: F811
    client = _klien("fasilitator_dalam", dunia)
    respons = client.get(reverse("kunjungan:list"), {"bulan": bulan})
    assert respons.status_code == 200
    assert "Bulan tidak dikenal" in respons.content.decode()
    # the other filters still work, and the visit in scope is still listed
    assert respons.context["halaman"].paginator.count == 1


def test_visit_history_filters_a_real_month(dunia):  # noqa: F811
    client = _klien("fasilitator_dalam", dunia)
    tanggal = dunia["kunjungan"].tanggal
    ada = client.get(reverse("kunjungan:list"), {"bulan": f"{tanggal:%Y-%m}"})
    assert ada.context["halaman"].paginator.count == 1
    lain = client.get(reverse("kunjungan:list"), {"bulan": f"{tanggal.year + 1}-01"})
    assert lain.context["halaman"].paginator.count == 0
    assert "Bulan tidak dikenal" not in lain.content.decode()


@pytest.mark.parametrize("halaman", ["bantuan:portofolio", "bantuan:tunggakan"])
def test_a_financing_report_as_of_year_1_says_the_date_is_too_early(dunia, halaman):  # noqa: F811
    client = _klien("manajer", dunia)
    respons = client.get(reverse(halaman), {"per_tanggal": "0001-01-01"})
    assert respons.status_code == 200
    assert "terlalu awal" in respons.content.decode()


# --- the impact report's period ---------------------------------------------------------------


def _dampak(client, dunia, **params):  # noqa: F811
    return client.get(reverse("laporan:dampak"), {"klaster": dunia["klaster"].pk, **params})


def test_a_period_starting_after_today_is_refused_like_an_inverted_one(dunia):  # noqa: F811
    client = _klien("manajer", dunia)
    terbalik = _dampak(client, dunia, dari="2013-02-01", sampai="2013-01-01")
    masa_depan = _dampak(client, dunia, dari="9999-12-31")
    assert terbalik.status_code == masa_depan.status_code == 422
    teks = masa_depan.content.decode()
    assert "Periode belum dimulai" in teks and "31 Desember 9999" in teks
    besok = datetime.date.today() + datetime.timedelta(days=2)
    assert _dampak(client, dunia, dari=besok.isoformat()).status_code == 422
    assert _dampak(client, dunia, dari=datetime.date.today().isoformat()).status_code == 200


@pytest.mark.parametrize("nama", ["sampai", "per_tanggal"])
def test_a_report_date_in_year_1_is_refused_with_a_message(dunia, nama):  # noqa: F811
    client = _klien("manajer", dunia)
    respons = _dampak(client, dunia, **{nama: "0001-01-01"})
    assert respons.status_code == 422
    assert "terlalu awal" in respons.content.decode()
    for unduhan in ("laporan:dampak_xlsx", "laporan:dampak_csv", "laporan:dampak_pdf"):
        r = client.get(reverse(unduhan), {"klaster": dunia["klaster"].pk, nama: "0001-01-01"})
        assert r.status_code < 500, unduhan


def test_a_period_from_year_1_is_clamped_to_the_klasters_start(dunia):  # noqa: F811
    client = _klien("manajer", dunia)
    klaster = dunia["klaster"]
    respons = _dampak(client, dunia, dari="0001-01-01")
    assert respons.status_code == 200
    assert respons.context["p"].saringan.dari == klaster.tanggal_mulai
    # the visits-per-month chart spans the klaster's months, not 24,000 of them
    hari_ini = datetime.date.today()
    bulan_hidup = (hari_ini.year - klaster.tanggal_mulai.year) * 12 + hari_ini.month
    per_bulan = respons.context["laporan"].kegiatan["per_bulan"]
    assert 1 <= len(per_bulan) <= bulan_hidup
    svg = client.get(
        reverse("laporan:dampak_grafik", kwargs={"nama": "kunjungan"}),
        {"klaster": klaster.pk, "dari": "0001-01-01"},
    )
    assert svg.status_code == 200
    assert len(svg.content) < 200_000  # was 8 MB


@pytest.mark.parametrize("kelompok", ["99999999999999999999", "0", "-1", "²"])
def test_a_kelompok_id_no_row_can_have_is_not_found(dunia, kelompok):  # noqa: F811
    client = _klien("manajer", dunia)
    assert _dampak(client, dunia, kelompok=kelompok).status_code == 404

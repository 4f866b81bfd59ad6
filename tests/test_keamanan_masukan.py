"""Bad input never breaks a page: parsers and forms under random input (hypothesis).

Every input gives either a valid result or a clear Indonesian error — never an exception
(the test client re-raises any exception a view lets escape, i.e. any would-be 500).
"""

import datetime
import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from impor import bersih
from mitra.nik import periksa_nik
from tests.test_matriks_izin import (  # noqa: F401 (the matrix's module-wide world)
    _dunia_modul,
    _media_matriks,
    dunia,
)

ANEH = st.sampled_from(
    [
        "",
        " ",
        "0",
        "-1",
        "-0",
        "1e309",
        "NaN",
        "Infinity",
        "1,5",
        "1.000.000,00",
        "Rp 1.000.000",
        "9" * 40,
        "2012-02-30",
        "31/12/2099",
        "0000-00-00",
        "\x00",
        "<script>alert(1)</script>",
        "' OR 1=1 --",
        "../../etc/passwd",
        "３６０２",  # full-width digits
        "٣٦٠٢",  # Arabic-Indic digits
        "3602064107850007",
        "36.02.06.410785.0007",
    ]
)
NILAI_SEL = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    # openpyxl and csv never give a Decimal NaN (sNaN); finite ones stand for form input
    st.decimals(allow_nan=False, allow_infinity=False),
    st.dates(),
    st.datetimes(),
    st.text(max_size=40),
    st.from_regex(r"-?[0-9., ]{1,24}", fullmatch=True),
    ANEH,
)
BANYAK = settings(max_examples=300, deadline=None)


@BANYAK
@given(st.one_of(st.text(max_size=30), st.from_regex(r"[0-9 .]{10,22}", fullmatch=True), ANEH))
def test_nik_parser_gives_a_result_or_messages(raw):
    hasil = periksa_nik(raw, kecamatan_dikenal={"360206"}, hari_ini=datetime.date(2026, 1, 1))
    if hasil.valid:
        assert re.fullmatch(r"[0-9]{16}", hasil.nik)
        assert hasil.nik[:6] == "360206"
    else:
        assert hasil.galat and all(str(pesan).strip() for pesan in hasil.galat)


def _jalankan(fungsi, nilai):
    try:
        return fungsi(nilai), None
    except bersih.NilaiTidakValid as galat:
        assert str(galat).strip(), f"empty message for {nilai!r}"
        return None, galat


@BANYAK
@given(NILAI_SEL)
def test_import_nik_cell_parser(nilai):
    hasil, galat = _jalankan(bersih.nik, nilai)
    assert galat or re.fullmatch(r"[0-9]{16}", hasil)


@BANYAK
@given(NILAI_SEL)
def test_money_parser_gives_positive_rupiah_with_two_decimals_or_a_message(nilai):
    hasil, galat = _jalankan(bersih.uang, nilai)
    if galat is None:
        assert isinstance(hasil, Decimal) and hasil.is_finite()
        assert hasil > 0
        assert hasil == hasil.quantize(Decimal("0.01"))
        assert len(hasil.as_tuple().digits) <= 15  # fits DecimalField(15, 2)


@BANYAK
@given(NILAI_SEL)
def test_date_parser_gives_a_date_or_a_message(nilai):
    hasil, galat = _jalankan(lambda v: bersih.tanggal(v, hari_ini=datetime.date(2026, 1, 1)), nilai)
    assert galat or isinstance(hasil, datetime.date)


# --- the main forms, posted through the test client -------------------------------------

FORMULIR = {
    # url name: (persona, kwargs from the fixture world, query)
    "mitra:tambah": ("fasilitator", {}, "klaster={klaster.pk}"),
    "bantuan:ajukan": ("fasilitator", {}, ""),
    "bantuan:angsuran_catat": ("fasilitator", {"pk": "bantuan"}, ""),
    "kunjungan:baru": ("fasilitator", {}, "kelompok={kelompok.pk}"),
}
NAMA_FIELD = re.compile(r'<(?:input|select|textarea)[^>]*\bname="([^"]+)"', re.IGNORECASE)


@pytest.mark.parametrize("nama_url", sorted(FORMULIR))
def test_random_form_posts_never_break_the_page(nama_url, dunia):  # noqa: F811
    persona, kwargs, query = FORMULIR[nama_url]
    client = Client()
    client.force_login(getattr(dunia["personas"], persona))
    url = reverse(nama_url, kwargs={k: dunia[v].pk for k, v in kwargs.items()})
    if query:
        url += "?" + query.format(**dunia)
    halaman = client.get(url)
    assert halaman.status_code == 200, (
        f"{nama_url}: the form page itself answers {halaman.status_code}"
    )
    field = sorted(set(NAMA_FIELD.findall(halaman.text)) - {"csrfmiddlewaretoken"})
    assert field, f"{nama_url}: no form fields found"
    nilai = st.one_of(st.text(max_size=30), st.from_regex(r"-?[0-9.,]{1,20}", fullmatch=True), ANEH)

    @settings(
        max_examples=40,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(st.fixed_dictionaries({}, optional={f: nilai for f in field}))
    def kirim(data):
        respons = client.post(url, data)
        assert respons.status_code in {200, 302, 400, 403, 404, 409, 422}, (
            f"{nama_url} answered {respons.status_code} to {data!r}"
        )
        if respons.status_code in {200, 422}:
            assert "Traceback" not in respons.text

    kirim()

"""The impact report's figures as JSON: the page's figures for the same parameters (the
hand-made fixture of laporan/tests/test_dampak_data, whose figures were worked out by hand)."""

import io
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from rest_framework.test import APIClient

from api import services
from api.laporan import angka
from klaster.models import Klaster
from laporan.tests.test_dampak_data import PARAMS, buat_data_tangan

URL = reverse("api:laporan_dampak")


@pytest.fixture
def data(personas):
    return buat_data_tangan(personas)


def _params(personas, **extra):
    return {**PARAMS, "klaster": personas.klaster_lebak.pk, **extra}


def test_the_json_holds_the_pages_figures(client, personas, data, klien_token):
    client.force_login(personas.manajer)
    halaman = client.get(reverse("laporan:dampak"), _params(personas))
    assert halaman.status_code == 200
    json = klien_token(personas.manajer).get(URL, _params(personas)).json()
    assert {k: v for k, v in json.items() if k != "saringan"} == angka(halaman.context["laporan"])


def test_the_json_figures_are_the_hand_computed_ones(personas, data, klien_token):
    j = klien_token(personas.fasilitator).get(URL, _params(personas)).json()
    assert j["saringan"] == {
        "klaster": [personas.klaster_lebak.pk],
        "kelompok": None,
        "dari": "2023-01-01",
        "sampai": "2024-12-31",
        "per_tanggal": "2024-12-31",
        "sektor": "",
        "desa": "",
        "jenis_kelamin": "",
    }
    assert (j["orang"]["mitra_total"], j["orang"]["kelompok_total"], j["orang"]["koperasi"]) == (
        7,
        2,
        1,
    )
    assert Decimal(j["uang"]["total"]) == Decimal("2900000")
    p = j["portofolio"]
    assert Decimal(p["outstanding"]) == Decimal("1900000")
    assert round(Decimal(p["par30"]), 4) == round(Decimal(900) / Decimal(1900), 4)
    assert round(Decimal(p["tingkat_pengembalian"]), 4) == round(Decimal(500) / Decimal(1300), 4)
    t = j["pendapatan"]["total"]
    assert t["n"] == 5
    assert Decimal(t["rata_sebelum"]) == Decimal("1200000")
    assert Decimal(t["rata_sesudah"]) == Decimal("1480000")
    assert Decimal(t["porsi_naik"]) == Decimal("0.6")
    assert (j["kegiatan"]["hadir"], j["kegiatan"]["anggota"]) == (7, 9)
    # money as exact decimal strings, never floats; the other klaster never shows
    assert isinstance(j["uang"]["total"], str)
    assert "Orang Lain" not in str(j) and "99000000" not in str(j)
    # the excluded mitra are named with a masked NIK only
    assert data.c1.nik not in str(j) and data.c1.nik_tersamar in str(j)


def test_filters_change_the_figures_as_on_the_page(client, personas, data, klien_token):
    client.force_login(personas.manajer)
    params = _params(personas, sektor="peternakan", jenis_kelamin="L")
    halaman = client.get(reverse("laporan:dampak"), params)
    j = klien_token(personas.manajer).get(URL, params).json()
    assert j["orang"] == angka(halaman.context["laporan"])["orang"]
    assert j["orang"]["mitra_total"] == 1  # Dedi


def test_bad_parameters_are_a_400_with_the_pages_message(personas, klien_token):
    respons = klien_token(personas.manajer).get(
        URL, _params(personas, dari="2024-12-31", sampai="2024-01-01")
    )
    assert respons.status_code == 400
    assert respons.json()["sampai"] == [
        "Tanggal akhir periode harus sama dengan atau setelah tanggal awal."
    ]


def test_roles_as_on_the_page(personas, klien_token):
    from klaster.tests.factories import PenugasanFactory, UserFactory

    tamu = UserFactory(username="tamu")
    PenugasanFactory(pengguna=tamu, klaster=personas.klaster_lebak)
    assert klien_token(tamu).get(URL, _params(personas)).status_code == 403
    assert klien_token(personas.fasilitator2).get(URL, _params(personas)).status_code == 404


def test_the_lebak_demo_json_is_the_pages_figures(client, db):
    """The Lebak demo (seed_demo on the real dates) through the page and the API: the same
    figures, and the programme's own (data/README.md): 324 mitra in 32 kelompok,
    Rp1.714.661.978 disbursed, three cooperatives."""
    call_command(
        "seed_demo", "--force", "--sampai", "2014-03-06", "--password", "uji-demo-2014",
        stdout=io.StringIO(),
    )  # fmt: skip
    lebak = Klaster.objects.get(kode="LBK")
    manajer = get_user_model().objects.get(username="manajer")
    params = {"klaster": lebak.pk, "sampai": "2014-03-06", "per_tanggal": "2014-03-06"}
    client.force_login(manajer)
    halaman = client.get(reverse("laporan:dampak"), params)
    assert halaman.status_code == 200
    _token, kunci = services.token_buat(pengguna=manajer, nama="demo")
    klien = APIClient()
    klien.credentials(HTTP_AUTHORIZATION=f"Token {kunci}")
    j = klien.get(URL, params).json()
    assert {k: v for k, v in j.items() if k != "saringan"} == angka(halaman.context["laporan"])
    assert (j["orang"]["mitra_total"], j["orang"]["kelompok_total"]) == (324, 32)
    assert {s[0]: s[2] for s in j["orang"]["mitra_per_sektor"]} == {
        "pertanian": 100,
        "peternakan": 85,
        "umkm": 139,
    }
    assert Decimal(j["uang"]["total"]) == Decimal("1714661978")
    assert j["orang"]["koperasi"] == 3

"""Financing through the API: each loan's schedule and position as of a date, computed by
bantuan.selectors (the hand-made report fixture: figures worked out in test_dampak_data)."""

import pytest
from django.urls import reverse

from laporan.tests.test_dampak_data import buat_data_tangan

URL = reverse("api:bantuan-list")


@pytest.fixture
def data(personas):
    return buat_data_tangan(personas)


def _pinjaman(data, mitra):
    return mitra.bantuan.get(status="dicairkan")


def test_a_loans_position_and_schedule_as_of_a_date(personas, data, klien_token):
    pinjaman = _pinjaman(data, data.a1)
    respons = klien_token(personas.manajer).get(
        reverse("api:bantuan-detail", args=[pinjaman.pk]), {"per_tanggal": "2024-12-31"}
    )
    assert respons.status_code == 200
    b = respons.json()
    # 1.200.000 in 12 × 100.000 from 15 Feb 2024, three paid; the oldest unpaid (15 May
    # 2024) is 230 days late on 31 Dec 2024: kolektibilitas 5 (> 180 days)
    assert b["posisi"] == {
        "per_tanggal": "2024-12-31",
        "terbayar": "300000.00",
        "sisa_pokok": "900000.00",
        "tunggakan": "800000.00",
        "kewajiban_jatuh_tempo": "1100000.00",
        "terkumpul": "300000.00",
        "jatuh_tempo_tertunggak": "2024-05-15",
        "hari_tunggakan": 230,
        "kolektibilitas": 5,
    }
    keadaan = [(j["ke"], j["jatuh_tempo"], j["keadaan"]) for j in b["jadwal"]]
    assert keadaan[:4] == [
        (1, "2024-02-15", "lunas"),
        (2, "2024-03-15", "lunas"),
        (3, "2024-04-15", "lunas"),
        (4, "2024-05-15", "tertunggak"),
    ]
    assert [k for _ke, _t, k in keadaan[4:]] == ["tertunggak"] * 7 + ["belum"]
    assert sum(int(j["jumlah"].split(".")[0]) for j in b["jadwal"]) == 1_200_000


def test_the_same_loan_earlier_is_current(personas, data, klien_token):
    pinjaman = _pinjaman(data, data.a1)
    b = (
        klien_token(personas.manajer)
        .get(reverse("api:bantuan-detail", args=[pinjaman.pk]), {"per_tanggal": "2024-04-30"})
        .json()
    )
    assert b["posisi"]["kolektibilitas"] == 1 and b["posisi"]["hari_tunggakan"] == 0
    assert b["posisi"]["sisa_pokok"] == "900000.00"


def test_the_list_filters_as_the_web_list_and_carries_positions(personas, data, klien_token):
    klien = klien_token(personas.manajer)
    a1, b1 = _pinjaman(data, data.a1), _pinjaman(data, data.b1)
    per_tanggal = {"per_tanggal": "2024-12-31"}
    macet = klien.get(URL, {**per_tanggal, "kolektibilitas": 5}).json()["results"]
    assert [b["id"] for b in macet] == [a1.pk]
    lancar = klien.get(URL, {**per_tanggal, "kolektibilitas": 1}).json()["results"]
    assert [b["id"] for b in lancar] == [b1.pk]
    assert lancar[0]["posisi"]["sisa_pokok"] == "1000000.00"
    diajukan = klien.get(URL, {"status": "diajukan"}).json()["results"]
    assert [b["penerima_nama"] for b in diajukan] == ["Siti"]
    kelompok = klien.get(URL, {"kelompok": data.kb.pk}).json()["results"]
    assert [b["id"] for b in kelompok] == [b1.pk]  # a member's loan counts for its group


def test_the_list_as_of_today_is_the_web_lists(client, personas, data, klien_token):
    client.force_login(personas.manajer)
    web = client.get(reverse("bantuan:list"), {"status": "dicairkan"}).context["bantuan_list"]
    api = klien_token(personas.manajer).get(URL, {"status": "dicairkan"}).json()["results"]
    assert sorted((b.pk, f"{b.sisa_pokok:.2f}", b.hari_tunggakan) for b in web) == sorted(
        (b["id"], b["posisi"]["sisa_pokok"], b["posisi"]["hari_tunggakan"]) for b in api
    )


@pytest.mark.parametrize("nilai", ["kemarin", "2024-13-01", "0001-01-01", "2024-1-1"])
def test_a_bad_as_of_date_is_a_400_that_says_how_to_write_it(personas, klien_token, nilai):
    respons = klien_token(personas.manajer).get(URL, {"per_tanggal": nilai})
    assert respons.status_code == 400
    assert "TTTT-BB-HH" in respons.json()["per_tanggal"][0]


def test_instalments_are_listed_per_loan(personas, data, klien_token):
    a1 = _pinjaman(data, data.a1)
    daftar = (
        klien_token(personas.manajer)
        .get(reverse("api:angsuran-list"), {"bantuan": a1.pk})
        .json()["results"]
    )
    assert [(a["tanggal"], a["jumlah"]) for a in daftar] == [
        ("2024-02-15", "100000.00"),
        ("2024-03-15", "100000.00"),
        ("2024-04-15", "100000.00"),
    ]

"""Income readings through the API: recorded by mitra.services.pengukuran_catat."""

import datetime
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from mitra.models import PengukuranPendapatan
from mitra.tests.factories import MitraFactory, PengukuranPendapatanFactory

URL = reverse("api:pengukuran-list")


def _isi(mitra, **ubah):
    return {
        "mitra": mitra.pk,
        "tanggal": "2024-03-01",
        "pendapatan_bulanan": "1750000.25",
        "jenis": "monitoring",
        **ubah,
    }


def test_a_reading_is_recorded_with_who_recorded_it(personas, klien_token):
    mitra = MitraFactory(kelompok=personas.kelompok_lebak)
    respons = klien_token(personas.fasilitator).post(URL, _isi(mitra), format="json")
    assert respons.status_code == 201, respons.json()
    p = PengukuranPendapatan.objects.get(mitra=mitra)
    assert (p.tanggal, p.pendapatan_bulanan, p.jenis, p.dicatat_oleh) == (
        datetime.date(2024, 3, 1),
        Decimal("1750000.25"),
        "monitoring",
        personas.fasilitator,
    )
    assert p.history.latest().history_user == personas.fasilitator
    assert respons.json() == {
        "id": p.pk,
        "mitra": mitra.pk,
        "tanggal": "2024-03-01",
        "pendapatan_bulanan": "1750000.25",
        "jenis": "monitoring",
        "dicatat_oleh": personas.fasilitator.pk,
        "kunjungan": None,
        "dibuat": respons.json()["dibuat"],
    }


def test_a_second_baseline_is_refused_with_the_first_ones_date(personas, klien_token):
    mitra = MitraFactory(kelompok=personas.kelompok_lebak, nama="Ani")
    PengukuranPendapatanFactory(mitra=mitra, tanggal=datetime.date(2012, 3, 1))
    respons = klien_token(personas.fasilitator).post(
        URL, _isi(mitra, jenis="baseline"), format="json"
    )
    assert respons.status_code == 400
    assert respons.json()["jenis"] == [
        "Ani sudah punya pengukuran baseline (1 Maret 2012). Catat pengukuran ini sebagai "
        "monitoring atau endline."
    ]
    assert PengukuranPendapatan.objects.filter(mitra=mitra).count() == 1


def test_negative_income_and_a_future_date_are_refused(personas, klien_token):
    mitra = MitraFactory(kelompok=personas.kelompok_lebak, nama="Ani")
    besok = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    respons = klien_token(personas.fasilitator).post(
        URL, _isi(mitra, pendapatan_bulanan="-1", tanggal=besok), format="json"
    )
    assert respons.status_code == 400
    galat = respons.json()
    assert galat["pendapatan_bulanan"] == [
        "Pendapatan Ani tidak boleh di bawah nol; isi 0 atau lebih."
    ]
    assert "masa depan" in galat["tanggal"][0]
    assert not PengukuranPendapatan.objects.exists()


def test_readings_are_listed_and_filtered(personas, klien_token):
    a = MitraFactory(kelompok=personas.kelompok_lebak)
    b = MitraFactory(kelompok=personas.kelompok_lebak)
    pa = PengukuranPendapatanFactory(mitra=a)
    pb = PengukuranPendapatanFactory(mitra=b, jenis="monitoring", tanggal=datetime.date(2013, 1, 1))
    klien = klien_token(personas.fasilitator)
    semua = klien.get(URL).json()["results"]
    assert [r["id"] for r in semua] == [pa.pk, pb.pk]
    assert [r["id"] for r in klien.get(URL, {"mitra": a.pk}).json()["results"]] == [pa.pk]
    assert [r["id"] for r in klien.get(URL, {"jenis": "monitoring"}).json()["results"]] == [pb.pk]
    assert [r["id"] for r in klien.get(URL, {"dari": "2012-06-01"}).json()["results"]] == [pb.pk]
    assert klien.get(URL, {"jenis": "tebakan"}).status_code == 400

"""Scope: a token of fasilitator2 (Malingping) gets 404 on every Lebak object, in a URL or
in a request body, and its lists hold nothing of Lebak. The same token of the Lebak
fasilitator gets them."""

import datetime
import uuid

import pytest
from django.urls import reverse

from api.tests.test_matriks_api import ATURAN, URL_API
from kunjungan.models import Kunjungan
from mitra.models import Mitra, PengukuranPendapatan
from mitra.tests.factories import MitraFactory

DETAIL = [(k, kw) for k, kw in URL_API if kw]


def test_every_detail_endpoint_is_walked():
    assert {k for k, _kw in DETAIL} >= {
        "api:klaster-detail",
        "api:kelompok-detail",
        "api:mitra-detail",
        "api:bantuan-detail",
        "api:angsuran-detail",
        "api:kunjungan-detail",
        "api:pengukuran-detail",
        "api:kobo_xlsform",
    }


@pytest.mark.parametrize("url", DETAIL, ids=lambda u: u[0])
def test_fasilitator2_token_gets_404_on_every_lebak_object(url, dunia, klien_token):
    kunci, kwargs = url
    pk = getattr(dunia, ATURAN[kunci].objek).pk
    path = reverse(kunci, kwargs=dict.fromkeys(kwargs, pk))
    luar = klien_token(dunia.personas.fasilitator2).get(path)
    assert luar.status_code == 404, f"{kunci}: {luar.status_code}"
    assert klien_token(dunia.personas.fasilitator).get(path).status_code == 200


LIST = ["klaster", "kelompok", "mitra", "bantuan", "angsuran", "kunjungan", "pengukuran"]


@pytest.mark.parametrize("nama", LIST)
def test_lists_hold_only_the_users_klaster(nama, dunia, klien_token):
    url = reverse(f"api:{nama}-list")
    dalam = klien_token(dunia.personas.fasilitator).get(url).json()["results"]
    luar = klien_token(dunia.personas.fasilitator2).get(url).json()["results"]
    lebak = {getattr(dunia, nama if nama != "pengukuran" else "pengukuran").pk}
    assert lebak <= {r["id"] for r in dalam}
    assert not lebak & {r["id"] for r in luar}
    # and a filter naming the Lebak klaster finds nothing (or is refused) for the outsider
    respons = klien_token(dunia.personas.fasilitator2).get(url, {"klaster": dunia.klaster.pk})
    assert respons.status_code in {200, 400}
    if respons.status_code == 200:
        assert not lebak & {r["id"] for r in respons.json()["results"]}


def _kunjungan(kelompok_pk):
    return {
        "uuid": str(uuid.uuid4()),
        "kelompok": kelompok_pk,
        "tanggal": "2024-03-01",
        "jenis_kegiatan": "pertemuan_kelompok",
    }


def test_writes_naming_a_lebak_object_are_404_and_save_nothing(dunia, klien_token):
    klien = klien_token(dunia.personas.fasilitator2)
    sebelum = (
        Kunjungan.objects.count(),
        Mitra.objects.count(),
        PengukuranPendapatan.objects.count(),
    )
    assert (
        klien.post(
            reverse("api:kunjungan-list"), _kunjungan(dunia.kelompok.pk), format="json"
        ).status_code
        == 404
    )
    pengukuran = {
        "mitra": dunia.mitra.pk,
        "tanggal": "2024-03-01",
        "pendapatan_bulanan": "1",
        "jenis": "monitoring",
    }
    assert klien.post(reverse("api:pengukuran-list"), pengukuran, format="json").status_code == 404
    mitra = {
        "nik": "3602061505800001",
        "nama": "Orang Luar",
        "jenis_kelamin": "L",
        "tanggal_lahir": "1980-05-15",
        "desa": "36.02.06.2002",
        "sektor": "umkm",
        "tanggal_bergabung": "2012-01-01",
    }
    for tujuan in ({"kelompok": dunia.kelompok.pk}, {"klaster": dunia.klaster.pk}):
        respons = klien.post(reverse("api:mitra-list"), {**mitra, **tujuan}, format="json")
        assert respons.status_code == 404
    kobo = {"_uuid": str(uuid.uuid4()), "kelompok": str(dunia.kelompok.pk), "tanggal": "2024-03-01"}
    assert klien.post(reverse("api:kobo_kiriman"), kobo, format="json").status_code == 404
    assert sebelum == (
        Kunjungan.objects.count(),
        Mitra.objects.count(),
        PengukuranPendapatan.objects.count(),
    )


def test_the_impact_report_of_lebak_is_404_for_fasilitator2(dunia, klien_token):
    url = reverse("api:laporan_dampak")
    klien = klien_token(dunia.personas.fasilitator2)
    assert klien.get(url, {"klaster": dunia.klaster.pk}).status_code == 404
    assert klien.get(url, {"kelompok": dunia.kelompok.pk}).status_code == 404
    # without a klaster: only Malingping's figures (the Lebak mitra not counted)
    MitraFactory(kelompok=dunia.personas.kelompok_lain, tanggal_bergabung=datetime.date(2012, 1, 1))
    angka = klien.get(url).json()
    assert angka["saringan"]["klaster"] == [dunia.personas.klaster_lain.pk]
    assert angka["orang"]["mitra_total"] == 1

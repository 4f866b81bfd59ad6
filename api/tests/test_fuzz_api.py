"""No server error on odd input: every API list with odd values in the parameters it reads,
every detail with odd ids, every write with odd values in each field. A refusal (400, 404)
is fine; a 500 is not."""

import pytest
from django.urls import reverse

from api.tests.test_matriks_api import URL_API

NILAI_ANEH = [
    "0001-01-01",
    "9999-12-31",
    "2024-02-30",
    "-1",
    "99999999999999999999",
    "1e400",
    "abc",
    "²",
    "a\x00b",
    "9" * 3000,
]
PARAMETER = [
    "per_tanggal",
    "dari",
    "sampai",
    "klaster",
    "kelompok",
    "mitra",
    "bantuan",
    "status",
    "sektor",
    "jenis",
    "kolektibilitas",
    "bulan",
    "fasilitator",
    "desa",
    "jenis_kelamin",
    "q",
    "cursor",
    "ukuran",
]
DAFTAR = [k for k, kw in URL_API if k.endswith("-list") or k == "api:laporan_dampak"]


@pytest.fixture(autouse=True)
def _tanpa_batas(settings):
    # hundreds of requests a minute from one token: the rate limit is tested elsewhere
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"token": "100000/min", "anonim": "100000/min"},
    }


@pytest.mark.parametrize("kunci", DAFTAR)
def test_odd_query_values_are_never_a_server_error(kunci, dunia, klien_token):
    klien = klien_token(dunia.personas.manajer)
    url = reverse(kunci)
    for nama in PARAMETER:
        for nilai in NILAI_ANEH:
            respons = klien.get(url, {nama: nilai})
            assert respons.status_code in {200, 400, 404}, (kunci, nama, nilai[:20])


@pytest.mark.parametrize("nilai", ["0", "-1", "99999999999999999999", "abc", "²", "1.5"])
def test_odd_ids_are_a_404(nilai, dunia, klien_token):
    klien = klien_token(dunia.personas.manajer)
    for kunci, kwargs in URL_API:
        if kwargs:
            path = reverse(kunci, kwargs={"pk": 1}).replace("/1/", f"/{nilai}/")
            respons = klien.get(path)
            assert respons.status_code == 404, (kunci, nilai, respons.status_code)


TULIS = {
    "api:kunjungan-list": {
        "uuid": "0f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f",
        "kelompok": "{kelompok}",
        "tanggal": "2024-03-01",
        "jenis_kegiatan": "pertemuan_kelompok",
        "hadir": ["{mitra}"],
        "pendapatan": [{"mitra": "{mitra}", "jumlah": "1000"}],
        "lokasi_lat": "-6.5",
        "lokasi_lon": "106.2",
    },
    "api:mitra-list": {
        "nik": "3602061205800001",
        "nama": "Asep",
        "jenis_kelamin": "L",
        "tanggal_lahir": "1980-05-12",
        "desa": "36.02.06.2002",
        "sektor": "umkm",
        "tanggal_bergabung": "2012-01-01",
        "kelompok": "{kelompok}",
    },
    "api:pengukuran-list": {
        "mitra": "{mitra}",
        "tanggal": "2024-03-01",
        "pendapatan_bulanan": "1000",
        "jenis": "monitoring",
    },
    "api:kobo_kiriman": {
        "_uuid": "0f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e40",
        "kelompok": "{kelompok}",
        "tanggal": "2024-03-01",
        "kehadiran/hadir": "{mitra}",
        "pendapatan/m_{mitra}": "1000",
    },
}
ANEH_JSON = [None, "", "abc", "²", -1, 10**30, 1e308, "2024-02-30", "9" * 3000, [], {}, "\x00"]


@pytest.mark.parametrize("kunci", sorted(TULIS))
def test_odd_values_in_a_write_are_never_a_server_error(kunci, dunia, klien_token):
    klien = klien_token(dunia.personas.manajer)
    ganti = {"{kelompok}": str(dunia.kelompok.pk), "{mitra}": str(dunia.mitra.pk)}

    def isi(nilai):
        if isinstance(nilai, str):
            for a, b in ganti.items():
                nilai = nilai.replace(a, b)
            return nilai
        if isinstance(nilai, list):
            return [isi(x) for x in nilai]
        if isinstance(nilai, dict):
            return {isi(k): isi(v) for k, v in nilai.items()}
        return nilai

    dasar = isi(TULIS[kunci])
    for field in dasar:
        for nilai in ANEH_JSON:
            respons = klien.post(reverse(kunci), {**dasar, field: nilai}, format="json")
            assert respons.status_code in {200, 201, 400, 404}, (kunci, field, repr(nilai)[:30])

"""Every list of the API reads a page in a fixed number of queries, however many rows."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bantuan.tests.factories import pinjaman_cair
from kelompok.tests.factories import KelompokFactory
from kunjungan.tests.factories import KunjunganFactory
from mitra.tests.factories import MitraFactory, PengukuranPendapatanFactory

# the token with its user, the user's groups, permissions and assignments (one query,
# klaster.akses), then the page's own: filter choices where the list has some, the page
# with what its rows show (joined), and a prefetch where a row holds a list
BATAS = {
    "klaster": 4,  # token, rights, page, the kecamatan prefetch
    "kelompok": 3,  # token, rights, page (members counted in it)
    "mitra": 3,  # token, rights, page
    "bantuan": 5,  # token, rights, the filter's klaster and kelompok choices, page
    "angsuran": 3,  # token, rights, page
    "pengukuran": 3,  # token, rights, page
    "kunjungan": 5,  # token, rights, the filter's months, page, the attendance prefetch
}


def _isi(personas, n: int) -> None:
    """n more of everything in Lebak."""
    for i in range(n):
        kelompok = KelompokFactory(klaster=personas.klaster_lebak, kode=f"Q{n}-{i}")
        mitra = MitraFactory(kelompok=kelompok)
        PengukuranPendapatanFactory(mitra=mitra)
        pinjaman_cair(
            mitra=mitra,
            tanggal_cair=datetime.date(2012, 2, 1),
            bayar=[(datetime.date(2012, 3, 1), "100000")],
        )
        KunjunganFactory(kelompok=kelompok, fasilitator=personas.fasilitator, hadir=[mitra])


def _jumlah_kueri(klien, url) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as kueri:
        respons = klien.get(url)
    assert respons.status_code == 200, respons.content
    return len(kueri), len(respons.json()["results"])


@pytest.mark.parametrize("nama", sorted(BATAS))
def test_list_queries_do_not_grow_with_the_rows(nama, personas, klien_token):
    klien = klien_token(personas.manajer)
    url = reverse(f"api:{nama}-list")
    klien.get(url)  # the token's last-used time is written on its first use of the minute
    _isi(personas, 2)
    sedikit, baris_sedikit = _jumlah_kueri(klien, url)
    _isi(personas, 6)
    banyak, baris_banyak = _jumlah_kueri(klien, url)
    assert baris_banyak > baris_sedikit or nama == "klaster"
    assert banyak == sedikit, (
        f"{nama}: {sedikit} queries for {baris_sedikit} rows, {banyak} for {baris_banyak}"
    )
    assert banyak <= BATAS[nama], f"{nama}: {banyak} queries"

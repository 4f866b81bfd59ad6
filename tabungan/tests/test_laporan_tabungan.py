"""The savings section of the impact report: hand-computed totals for a period and a
report date, and the cached section following a write on the next request."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from kunjungan.tests.kunjungan_data import kelompok_dengan_anggota
from tabungan import services

pytestmark = pytest.mark.django_db
D = Decimal
PARAMS = {"dari": "2024-01-01", "sampai": "2024-06-30", "per_tanggal": "2024-06-30"}


def _sel(html, id_):
    m = re.search(rf'id="{id_}"[^>]*>(.*?)</td>', html, re.S)
    assert m, id_
    return m.group(1).strip()


@pytest.fixture
def tabungan(personas):
    k1, (a, b) = kelompok_dengan_anggota(personas.klaster_lebak, 2)
    k2, (c,) = kelompok_dengan_anggota(personas.klaster_lebak, 1)
    _k3, (lain,) = kelompok_dengan_anggota(personas.klaster_lain, 1)

    def setor(m, jumlah, t, oleh=personas.fasilitator):
        return services.setoran_catat(oleh=oleh, mitra=m, tanggal=t, jumlah=D(jumlah))

    setor(a, "20000", datetime.date(2023, 12, 15))  # before the period: balance only
    setor(a, "30000", datetime.date(2024, 2, 1))
    salah = setor(b, "50000", datetime.date(2024, 3, 1))
    services.transaksi_koreksi(oleh=personas.manajer, transaksi=salah, alasan="dobel")
    setor(b, "5000", datetime.date(2024, 3, 1))
    setor(c, "10000", datetime.date(2024, 4, 1))
    services.penarikan_catat(
        oleh=personas.manajer, mitra=c, tanggal=datetime.date(2024, 5, 1), jumlah=D("10000")
    )
    setor(a, "7000", datetime.date(2024, 7, 1))  # after the period
    setor(lain, "99000", datetime.date(2024, 2, 1), oleh=personas.fasilitator2)
    return a, b, c


def test_report_shows_the_hand_computed_savings(client, personas, tabungan):
    client.force_login(personas.manajer)
    params = {**PARAMS, "klaster": personas.klaster_lebak.pk}
    html = client.get(reverse("laporan:dampak"), params).content.decode()
    # in the period: 30.000 + 50.000 - 50.000 (reversed) + 5.000 + 10.000 deposits
    assert _sel(html, "tabungan-setoran") == "Rp45.000"
    assert _sel(html, "tabungan-penarikan") == "Rp10.000"
    # on 30 June: a 50.000, b 5.000, c 0
    assert _sel(html, "tabungan-saldo") == "Rp55.000"
    assert _sel(html, "tabungan-penabung") == "2"
    assert _sel(html, "tabungan-kelompok") == "1"


def test_a_deposit_shows_in_the_cached_report_on_the_next_request(client, personas, tabungan):
    a, _b, c = tabungan
    client.force_login(personas.manajer)
    params = {**PARAMS, "klaster": personas.klaster_lebak.pk}
    url = reverse("laporan:dampak")
    assert _sel(client.get(url, params).content.decode(), "tabungan-saldo") == "Rp55.000"
    services.setoran_catat(
        oleh=personas.fasilitator, mitra=c, tanggal=datetime.date(2024, 6, 1), jumlah=D("1000")
    )
    html = client.get(url, params).content.decode()
    assert _sel(html, "tabungan-saldo") == "Rp56.000"
    assert _sel(html, "tabungan-kelompok") == "2"

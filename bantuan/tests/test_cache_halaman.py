"""Issue 8: the bantuan pages cache their whole-history figures under the data version, so a
new instalment or a correction shows on the very next request; long tables are paginated."""

import datetime
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from bantuan import services
from bantuan.models import Angsuran, SumberDana
from bantuan.tests.factories import SumberDanaFactory, pinjaman_cair
from kelompok.tests.factories import KelompokFactory
from mitra.tests.factories import MitraFactory


@pytest.fixture(autouse=True)
def _cache_kosong():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def pinjaman(personas):
    """A loan disbursed 70 days ago, nothing paid: two instalments overdue."""
    hari_ini = timezone.localdate()
    return pinjaman_cair(
        mitra=MitraFactory(klaster=personas.klaster_lebak, kelompok=personas.kelompok_lebak),
        jumlah="1200000",
        tanggal_cair=hari_ini - datetime.timedelta(days=70),
        sumber_dana=SumberDanaFactory(jenis=SumberDana.Jenis.ZAKAT),
    )


def _angka(client, personas):
    daftar = client.get(reverse("bantuan:list")).context
    portofolio = client.get(reverse("bantuan:portofolio")).context
    tunggakan = client.get(reverse("bantuan:tunggakan")).context
    return (
        daftar["total"]["sisa_pokok"],
        portofolio["ringkasan"]["outstanding"],
        tunggakan["total_tunggakan"],
    )


def test_a_new_instalment_and_its_correction_show_on_the_next_request(client, personas, pinjaman):
    client.force_login(personas.manajer)
    sebelum = _angka(client, personas)
    assert sebelum == (Decimal("1200000"), Decimal("1200000"), Decimal("200000"))
    # the second read of each page is served from the cache and agrees
    assert _angka(client, personas) == sebelum

    a = services.angsuran_catat(
        bantuan=pinjaman,
        jumlah=Decimal("100000"),
        tanggal=timezone.localdate(),
        oleh=personas.fasilitator,
    )
    assert _angka(client, personas) == (
        Decimal("1100000"),
        Decimal("1100000"),
        Decimal("100000"),
    )

    services.angsuran_koreksi(angsuran=a, oleh=personas.manajer, alasan="salah catat")
    assert _angka(client, personas) == sebelum


def test_a_cached_page_makes_fewer_queries_than_a_cold_one(
    client, personas, pinjaman, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(personas.manajer)
    for nama in ("list", "portofolio", "tunggakan"):
        url = reverse(f"bantuan:{nama}")
        with CaptureQueriesContext(connection) as dingin:
            client.get(url)
        with CaptureQueriesContext(connection) as hangat:
            client.get(url)
        assert len(hangat) < len(dingin), nama


def test_the_cache_is_per_scope(client, personas, pinjaman):
    # a facilitator of another klaster must not be served the manager's cached totals
    client.force_login(personas.manajer)
    assert client.get(reverse("bantuan:list")).context["total"]["jumlah_bantuan"] == 1
    client.force_login(personas.fasilitator2)
    assert client.get(reverse("bantuan:list")).context["total"]["jumlah_bantuan"] == 0
    r = client.get(reverse("bantuan:tunggakan"))
    assert r.context["jumlah_penunggak"] == 0 and pinjaman.nomor not in r.content.decode()


def test_arrears_are_paginated_with_totals_for_all(client, personas):
    hari_ini = timezone.localdate()
    zakat = SumberDanaFactory(jenis=SumberDana.Jenis.ZAKAT)
    for i in range(55):
        pinjaman_cair(
            mitra=MitraFactory(klaster=personas.klaster_lebak, kelompok=personas.kelompok_lebak),
            jumlah="1200000",
            tanggal_cair=hari_ini - datetime.timedelta(days=40 + i),
            sumber_dana=zakat,
        )
    client.force_login(personas.manajer)
    r = client.get(reverse("bantuan:tunggakan"))
    assert r.context["jumlah_penunggak"] == 55
    assert len(r.context["baris"]) == 50
    hari = [b.hari_tunggakan for b in r.context["baris"]]
    assert hari == sorted(hari, reverse=True)
    r2 = client.get(reverse("bantuan:tunggakan"), {"halaman": 2})
    assert len(r2.context["baris"]) == 5
    assert r2.context["baris"][0].hari_tunggakan <= hari[-1]
    semua = r.context["baris"] + r2.context["baris"]
    assert r.context["total_tunggakan"] == sum((b.tunggakan for b in semua), Decimal(0))
    assert "halaman=2" in r.content.decode()


def test_portfolio_per_kelompok_table_is_paginated(client, personas):
    hari_ini = timezone.localdate()
    zakat = SumberDanaFactory(jenis=SumberDana.Jenis.ZAKAT)
    for _ in range(52):
        pinjaman_cair(
            kelompok=KelompokFactory(klaster=personas.klaster_lebak),
            mitra=None,
            tanggal_cair=hari_ini - datetime.timedelta(days=10),
            sumber_dana=zakat,
        )
    client.force_login(personas.manajer)
    r = client.get(reverse("bantuan:portofolio"))
    assert len(r.context["per_kelompok"]) == 50
    assert r.context["halaman"].paginator.count == 52
    assert r.context["ringkasan"]["jumlah_pinjaman"] == 52  # totals cover every kelompok
    r2 = client.get(reverse("bantuan:portofolio"), {"halaman": 2})
    assert len(r2.context["per_kelompok"]) == 2


def test_list_kolektibilitas_filter_uses_the_cached_positions(client, personas, pinjaman):
    client.force_login(personas.manajer)
    r = client.get(reverse("bantuan:list"), {"kolektibilitas": "2"})
    assert [b.pk for b in r.context["bantuan_list"]] == [pinjaman.pk]
    assert r.context["total"]["tunggakan"] == Decimal("200000")
    assert (
        client.get(reverse("bantuan:list"), {"kolektibilitas": "1"}).context["bantuan_list"] == []
    )
    # a payment that clears the arrears moves it to kolektibilitas 1 at once
    services.angsuran_catat(
        bantuan=pinjaman,
        jumlah=Decimal("200000"),
        tanggal=timezone.localdate(),
        oleh=personas.fasilitator,
    )
    r = client.get(reverse("bantuan:list"), {"kolektibilitas": "1"})
    assert [b.pk for b in r.context["bantuan_list"]] == [pinjaman.pk]
    assert Angsuran.objects.filter(bantuan=pinjaman).count() == 1

"""Pages make the same number of queries for 3 loans as for 30."""

import datetime

import pytest
from django.urls import reverse

from bantuan.models import Angsuran, SumberDana
from bantuan.tests.factories import SumberDanaFactory, angsuran_langsung, pinjaman_cair
from kelompok.tests.factories import KelompokFactory
from mitra.tests.factories import MitraFactory

D = datetime.date


def isi(personas, n):
    k = personas.klaster_lebak
    zakat = SumberDanaFactory(jenis=SumberDana.Jenis.ZAKAT)
    fund = SumberDana.objects.filter(klaster=k).first() or SumberDanaFactory(
        jenis=SumberDana.Jenis.DANA_BERGULIR, klaster=k
    )
    for i in range(n):
        kel = KelompokFactory(klaster=k)
        b = pinjaman_cair(
            mitra=MitraFactory(klaster=k, kelompok=kel),
            tanggal_cair=D(2025, 1 + i % 12, 1),
            sumber_dana=zakat if i % 3 else fund,
            bayar=[(D(2025, 3, 1 + i % 20), "50000")],
        )
        a = b.angsuran.first()
        angsuran_langsung(b, tanggal=a.tanggal, jumlah=-a.jumlah, koreksi_dari=a, alasan="uji")
        pinjaman_cair(mitra=None, kelompok=kel, tanggal_cair=D(2024, 6, 1), sumber_dana=zakat)


def jumlah_query(client, django_assert_max_num_queries, url, params=None):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        r = client.get(url, params or {})
    assert r.status_code == 200
    import os

    if os.environ.get("DBGQ"):
        print("\n".join(q["sql"][:200] for q in ctx.captured_queries))
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    ("nama", "params", "maks"),
    [
        # session, user, roles and permissions, klaster choices, kelompok choices, totals
        # (count and amount), today's positions of the filtered loans, the page's ids, the
        # page's rows with their positions, sumber dana choices
        ("list", {}, 10),
        ("list", {"kolektibilitas": "2"}, 10),
        # session, user, roles and permissions, klaster, today's positions (summary, per
        # kelompok, per sumber dana), the kelompok's and the sources' names, revolving fund
        # per klaster, generations
        ("portofolio", {}, 9),
        # session, user, roles and permissions, klaster choices, today's positions of the
        # overdue loans, the page's rows with their relations, the user's assignments (may
        # they record a payment here)
        ("tunggakan", {}, 7),
    ],
)
def test_page_queries_do_not_grow(
    client, personas, django_assert_max_num_queries, nama, params, maks
):
    client.force_login(personas.manajer)
    url = reverse(f"bantuan:{nama}")
    isi(personas, 3)
    kecil = jumlah_query(client, django_assert_max_num_queries, url, params)
    isi(personas, 27)
    besar = jumlah_query(client, django_assert_max_num_queries, url, params)
    assert kecil == besar
    with django_assert_max_num_queries(maks):
        client.get(url, params)


def test_detail_queries_do_not_grow_with_payments(client, personas):
    k = personas.klaster_lebak
    client.force_login(personas.manajer)
    b = pinjaman_cair(mitra=MitraFactory(klaster=k), tanggal_cair=D(2025, 1, 1))
    Angsuran.objects.create(bantuan=b, tanggal=D(2025, 2, 1), jumlah=10)
    url = reverse("bantuan:detail", args=[b.pk])
    kecil = jumlah_query(client, None, url)
    Angsuran.objects.bulk_create(
        Angsuran(bantuan=b, tanggal=D(2025, 2, 1 + i), jumlah=10) for i in range(20)
    )
    assert jumlah_query(client, None, url) == kecil

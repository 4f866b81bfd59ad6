"""Mitra list and detail: what they show, masking, filters, and a fixed number of queries."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kelompok.tests.factories import KelompokFactory
from klaster.tests.factories import desa_di
from mitra.models import Mitra
from mitra.tests.factories import MitraFactory, PengukuranPendapatanFactory

pytestmark = pytest.mark.django_db


def jumlah_query(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def test_list_masks_the_nik_and_shows_only_the_users_klaster(client, personas):
    sendiri = MitraFactory(kelompok=personas.kelompok_lebak, nama="Asep Lebak")
    lain = MitraFactory(kelompok=personas.kelompok_lain, nama="Dedi Malingping")
    client.force_login(personas.fasilitator)
    response = client.get(reverse("mitra:list"))
    html = response.content.decode()
    assert "Asep Lebak" in html and "Dedi Malingping" not in html
    assert sendiri.nik not in html and lain.nik not in html
    assert sendiri.nik[:6] + "******" + sendiri.nik[-4:] in html
    assert "1 mitra ditemukan" in html


def test_search_by_name_or_nik(client, personas):
    asep = MitraFactory(klaster=personas.klaster_lebak, nama="Asep Saepudin")
    MitraFactory(klaster=personas.klaster_lebak, nama="Euis Kurniasih")
    client.force_login(personas.manajer)
    by_name = client.get(reverse("mitra:list"), {"q": "saepu"}).context["mitra_list"]
    assert [m.pk for m in by_name] == [asep.pk]
    dotted = f"{asep.nik[:4]}.{asep.nik[4:12]}"  # as typed from a KTP, with a dot
    by_nik = client.get(reverse("mitra:list"), {"q": dotted}).context["mitra_list"]
    assert [m.pk for m in by_nik] == [asep.pk]


def test_filters_combine(client, personas):
    k2 = KelompokFactory(klaster=personas.klaster_lebak, kode="LBK-02", sektor="peternakan")
    desa_lain = desa_di("36.02.06")[3]
    cocok = MitraFactory(kelompok=k2, jenis_kelamin="P", desa=desa_lain, status="aktif")
    MitraFactory(kelompok=k2, jenis_kelamin="L", desa=desa_lain, status="aktif")
    MitraFactory(kelompok=k2, jenis_kelamin="P", desa=desa_lain, status="lulus")
    MitraFactory(kelompok=personas.kelompok_lebak, jenis_kelamin="P", status="aktif")
    client.force_login(personas.manajer)
    filter_ = {
        "kelompok": k2.pk,
        "sektor": "peternakan",
        "status": "aktif",
        "desa": desa_lain.pk,
        "jenis_kelamin": "P",
    }
    hasil = client.get(reverse("mitra:list"), filter_).context["mitra_list"]
    assert [m.pk for m in hasil] == [cocok.pk]


def test_filter_choices_come_from_the_users_scope(client, personas):
    MitraFactory(kelompok=personas.kelompok_lain, desa=desa_di("36.02.01")[0])
    client.force_login(personas.fasilitator)
    form = client.get(reverse("mitra:list")).context["filter"].form
    assert list(form.fields["kelompok"].queryset) == [personas.kelompok_lebak]
    assert list(form.fields["klaster"].queryset) == [personas.klaster_lebak]
    assert list(form.fields["desa"].queryset) == []  # no Lebak mitra yet


def test_list_is_paginated(client, personas):
    MitraFactory.create_batch(55, klaster=personas.klaster_lebak)
    client.force_login(personas.manajer)
    halaman_2 = client.get(reverse("mitra:list"), {"halaman": 2}).context["mitra_list"]
    assert len(halaman_2) == 5
    semua = list(Mitra.objects.order_by("nama", "pk").values_list("pk", flat=True))
    assert [m.pk for m in halaman_2] == semua[50:]


def test_list_query_count_does_not_grow(client, personas, django_assert_max_num_queries):
    client.force_login(personas.manajer)
    url = reverse("mitra:list")
    MitraFactory.create_batch(10, kelompok=personas.kelompok_lebak)
    sepuluh = jumlah_query(client, url)
    MitraFactory.create_batch(90, kelompok=personas.kelompok_lebak)
    assert jumlah_query(client, url) == sepuluh
    # session, user, groups, user and group permissions (scope), count, filter choices
    # (klaster, kelompok, desa), the page of mitra with kelompok/desa/klaster joined,
    # and the session save (savepoint, update, release)
    with django_assert_max_num_queries(13):
        client.get(url)


def test_detail_shows_full_nik_and_income_readings(client, personas):
    mitra = MitraFactory(kelompok=personas.kelompok_lebak, tanggal_lahir=datetime.date(1980, 5, 12))
    PengukuranPendapatanFactory(mitra=mitra, pendapatan_bulanan=Decimal("750000"))
    PengukuranPendapatanFactory(
        mitra=mitra,
        jenis="monitoring",
        tanggal=datetime.date(2013, 3, 6),
        pendapatan_bulanan=Decimal("1250500"),
        dicatat_oleh=personas.fasilitator,
    )
    client.force_login(personas.fasilitator)
    html = client.get(reverse("mitra:detail", args=[mitra.pk])).content.decode()
    assert mitra.nik in html
    assert "12 Mei 1980" in html
    assert "Rp750.000" in html and "Rp1.250.500" in html
    assert "6 Maret 2013" in html
    assert personas.kelompok_lebak.nama in html


def test_detail_query_count_does_not_grow(client, personas):
    mitra = MitraFactory(kelompok=personas.kelompok_lebak)
    PengukuranPendapatanFactory(mitra=mitra, dicatat_oleh=personas.fasilitator)
    client.force_login(personas.manajer)
    url = reverse("mitra:detail", args=[mitra.pk])
    satu = jumlah_query(client, url)
    for i in range(10):
        PengukuranPendapatanFactory(
            mitra=mitra,
            jenis="monitoring",
            tanggal=datetime.date(2012, 1, 1) + datetime.timedelta(days=30 * i),
            dicatat_oleh=personas.fasilitator,
        )
    assert jumlah_query(client, url) == satu


def test_form_pages_query_count_is_bounded(client, personas, django_assert_max_num_queries):
    mitra = MitraFactory(kelompok=personas.kelompok_lebak)
    client.force_login(personas.fasilitator)
    KelompokFactory.create_batch(10, klaster=personas.klaster_lebak)
    awal = jumlah_query(client, reverse("mitra:ubah", args=[mitra.pk]))
    KelompokFactory.create_batch(30, klaster=personas.klaster_lebak)
    assert jumlah_query(client, reverse("mitra:ubah", args=[mitra.pk])) == awal
    with django_assert_max_num_queries(12):
        client.get(reverse("mitra:tambah"))

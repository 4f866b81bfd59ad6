"""Klaster list and detail: figures checked against independent counts, fixed queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kelompok.tests.factories import KelompokFactory, LembagaFactory
from klaster.tests.factories import KlasterFactory, PenugasanFactory
from mitra.models import Mitra
from mitra.tests.factories import MitraFactory

pytestmark = pytest.mark.django_db


def jumlah_query(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def test_list_counts_kelompok_and_mitra(client, personas):
    KelompokFactory(klaster=personas.klaster_lebak)
    MitraFactory.create_batch(3, kelompok=personas.kelompok_lebak)
    MitraFactory(klaster=personas.klaster_lebak)  # calon without a kelompok
    client.force_login(personas.manajer)
    baris = list(client.get(reverse("klaster:list")).context["klaster_list"])
    assert [k.pk for k in baris] == [personas.klaster_lebak.pk]
    assert baris[0].jumlah_kelompok == personas.klaster_lebak.kelompok.count() == 2
    assert baris[0].jumlah_mitra == Mitra.objects.filter(klaster=personas.klaster_lebak).count()
    assert baris[0].jumlah_mitra == 4


def test_detail_shows_budget_and_groups(client, personas):
    LembagaFactory(klaster=personas.klaster_lebak, nama="Koperasi Ternak Mandiri")
    MitraFactory.create_batch(2, kelompok=personas.kelompok_lebak)
    client.force_login(personas.fasilitator)
    response = client.get(reverse("klaster:detail", args=[personas.klaster_lebak.pk]))
    html = response.content.decode()
    assert "Rp1.000.000.000" in html  # anggaran 1_000_000_000 from the factory
    assert "Koperasi Ternak Mandiri" in html
    assert "Leuwidamar" in html
    assert response.context["jumlah_mitra"] == 2
    assert response.context["kelompok_list"][0].jumlah_anggota == 2


def test_list_query_count_does_not_grow(client, personas):
    client.force_login(personas.admin)  # sees every klaster
    url = reverse("klaster:list")
    KlasterFactory.create_batch(8)
    sepuluh = jumlah_query(client, url)
    for k in KlasterFactory.create_batch(90):
        PenugasanFactory(pengguna=personas.manajer, klaster=k)
    assert jumlah_query(client, url) == sepuluh


def test_detail_query_count_does_not_grow(client, personas):
    client.force_login(personas.manajer)
    url = reverse("klaster:detail", args=[personas.klaster_lebak.pk])
    KelompokFactory.create_batch(9, klaster=personas.klaster_lebak)
    sepuluh = jumlah_query(client, url)
    lembaga = LembagaFactory(klaster=personas.klaster_lebak)
    for k in KelompokFactory.create_batch(90, klaster=personas.klaster_lebak, lembaga=lembaga):
        MitraFactory(kelompok=k)
    assert jumlah_query(client, url) == sepuluh

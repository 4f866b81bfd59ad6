"""Scope across the foundation pages: an outsider gets 404 everywhere, anonymous goes to login."""

import pytest
from django.urls import reverse

from mitra.models import Mitra
from mitra.tests.factories import MitraFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def lebak(personas):
    # a name no other record contains, so "not in the page" cannot pass or fail by accident
    personas.kelompok_lebak.nama = "Tani Leuwidamar Sejahtera"
    personas.kelompok_lebak.save()
    mitra = MitraFactory(kelompok=personas.kelompok_lebak, nama="Asep Lebak")
    return personas, mitra


def halaman_lebak(personas, mitra):
    """Every mitra and kelompok page that names a Lebak record."""
    kelompok, klaster = personas.kelompok_lebak.pk, personas.klaster_lebak.pk
    return [
        reverse("mitra:detail", args=[mitra.pk]),
        reverse("mitra:ubah", args=[mitra.pk]),
        reverse("mitra:tambah") + f"?kelompok={kelompok}",
        reverse("mitra:tambah") + f"?klaster={klaster}",
        reverse("kelompok:detail", args=[kelompok]),
        reverse("kelompok:ubah", args=[kelompok]),
        reverse("kelompok:tambah") + f"?klaster={klaster}",
        reverse("klaster:detail", args=[klaster]),
    ]


def test_fasilitator2_gets_404_on_every_lebak_page(client, lebak):
    personas, mitra = lebak
    client.force_login(personas.fasilitator2)
    for url in halaman_lebak(personas, mitra):
        assert client.get(url).status_code == 404, url


def test_fasilitator2_cannot_post_to_lebak_records(client, lebak):
    personas, mitra = lebak
    client.force_login(personas.fasilitator2)
    assert client.post(reverse("mitra:ubah", args=[mitra.pk]), {"nama": "X"}).status_code == 404
    url = reverse("kelompok:ubah", args=[personas.kelompok_lebak.pk])
    assert client.post(url, {"nama": "X"}).status_code == 404
    mitra.refresh_from_db()
    assert mitra.nama == "Asep Lebak"


def test_fasilitator2_lists_show_nothing_of_lebak(client, lebak):
    personas, mitra = lebak
    client.force_login(personas.fasilitator2)
    for url in (reverse("mitra:list"), reverse("kelompok:list"), reverse("klaster:list")):
        html = client.get(url).content.decode()
        assert "Asep Lebak" not in html
        assert personas.kelompok_lebak.nama not in html
        assert personas.klaster_lebak.nama not in html
    # and a filter naming a Lebak kelompok is refused, not obeyed
    response = client.get(reverse("mitra:list"), {"kelompok": personas.kelompok_lebak.pk})
    assert list(response.context["mitra_list"]) == []


def test_the_insiders_see_the_same_pages(client, lebak):
    personas, mitra = lebak
    client.force_login(personas.fasilitator)
    for url in halaman_lebak(personas, mitra):
        assert client.get(url).status_code == 200, url


def test_a_non_numeric_klaster_in_the_query_is_404(client, personas):
    client.force_login(personas.fasilitator)
    assert client.get(reverse("mitra:tambah") + "?klaster=abc").status_code == 404


def test_anonymous_is_sent_to_login_everywhere(client, lebak):
    personas, mitra = lebak
    daftar = [
        reverse("klaster:beranda"),
        reverse("klaster:list"),
        reverse("mitra:list"),
        reverse("mitra:tambah"),
        reverse("kelompok:list"),
        reverse("kelompok:tambah"),
        *halaman_lebak(personas, mitra),
    ]
    for url in daftar:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("akun:masuk") + "?next="), url
    response = client.post(reverse("mitra:tambah"), {"nik": "3602061205800001"})
    assert response.status_code == 302
    assert Mitra.objects.count() == 1

import pytest
from django.urls import reverse

from klaster.models import Klaster
from klaster.tests.factories import KlasterFactory


@pytest.mark.django_db
def test_fasilitator_sees_only_assigned_klaster(personas):
    assert list(Klaster.objects.visible_to(personas.fasilitator2)) == [personas.klaster_lain]
    assert list(Klaster.objects.visible_to(personas.fasilitator)) == [personas.klaster_lebak]


@pytest.mark.django_db
def test_superuser_sees_every_klaster(personas):
    assert Klaster.objects.visible_to(personas.admin).count() == 2


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(reverse("klaster:list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("akun:masuk"))


def test_klaster_detail_of_another_klaster_is_404(client, personas):
    client.force_login(personas.fasilitator2)
    response = client.get(reverse("klaster:detail", args=[personas.klaster_lebak.pk]))
    assert response.status_code == 404


def test_ids_in_links_have_no_thousand_separator(client, personas):
    # the id locale writes 12345 as "12.345"; ids in links and attributes must stay digits
    besar = KlasterFactory(pk=12345, kode="BSR")
    client.force_login(personas.admin)
    html = client.get(reverse("klaster:detail", args=[besar.pk])).content.decode()
    assert "?klaster=12345" in html
    assert "12.345" not in html

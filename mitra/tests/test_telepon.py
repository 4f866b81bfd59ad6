"""A member's phone number on the mitra page: one tap to call for the people assigned to
the member's klaster, masked for everyone else (issue 15, item 4)."""

from django.urls import reverse

from mitra.templatetags.telepon import nomor_tel
from mitra.tests.factories import MitraFactory


def test_the_assigned_facilitator_gets_a_tel_link(client, personas):
    mitra = MitraFactory(kelompok=personas.kelompok_lebak, telepon="0812-3456-7890")
    client.force_login(personas.fasilitator)
    html = client.get(reverse("mitra:detail", args=[mitra.pk])).content.decode()
    assert 'href="tel:081234567890"' in html
    assert ">0812-3456-7890</a>" in html


def test_who_is_not_assigned_sees_the_number_masked(client, personas):
    mitra = MitraFactory(kelompok=personas.kelompok_lebak, telepon="081234567890")
    client.force_login(personas.admin)  # superuser: sees every klaster, assigned to none
    html = client.get(reverse("mitra:detail", args=[mitra.pk])).content.decode()
    assert "tel:" not in html and "081234567890" not in html
    assert "********7890" in html


def test_tel_numbers_keep_only_digits_and_a_leading_plus():
    assert nomor_tel("+62 812-3456-7890") == "+6281234567890"
    assert nomor_tel(" 0812 3456 ") == "08123456"

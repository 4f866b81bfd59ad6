"""Visit photos are served through the visit's scope, in production as on a laptop (issue 14
item 7): the facilitator who took one sees it, an outsider gets 404, nothing under /media/."""

import io

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from kunjungan.tests.factories import KunjunganFactory


def _jpeg() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 120, 40)).save(buf, "JPEG")
    return buf.getvalue()


@pytest.fixture
def kunjungan_berfoto(personas):
    k = KunjunganFactory(kelompok=personas.kelompok_lebak, fasilitator=personas.fasilitator)
    k.foto.save("rapat.jpg", ContentFile(_jpeg()), save=True)
    return k


def _klien(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _isi(respons) -> bytes:
    return b"".join(respons.streaming_content) if respons.streaming else respons.content


def test_the_facilitator_who_took_it_sees_the_photo_with_debug_off(
    personas, kunjungan_berfoto, settings
):
    settings.DEBUG = False  # what production runs (pytest-django's default too)
    respons = _klien(personas.fasilitator).get(
        reverse("kunjungan:foto", args=[kunjungan_berfoto.pk])
    )
    assert respons.status_code == 200
    assert respons["Content-Type"] == "image/jpeg"
    with kunjungan_berfoto.foto.open("rb") as f:
        assert _isi(respons) == f.read()
    arahan = {a.strip() for a in respons["Cache-Control"].split(",")}
    assert "private" in arahan and "public" not in arahan


@pytest.mark.parametrize("siapa", ["manajer", "admin"])
def test_the_klaster_manager_and_the_admin_see_it_too(personas, kunjungan_berfoto, siapa):
    respons = _klien(getattr(personas, siapa)).get(
        reverse("kunjungan:foto", args=[kunjungan_berfoto.pk])
    )
    assert respons.status_code == 200
    assert _isi(respons)[:2] == b"\xff\xd8"  # a JPEG


def test_a_facilitator_of_another_klaster_gets_404(personas, kunjungan_berfoto):
    respons = _klien(personas.fasilitator2).get(
        reverse("kunjungan:foto", args=[kunjungan_berfoto.pk])
    )
    assert respons.status_code == 404
    assert b"\xff\xd8" not in _isi(respons)[:2]


def test_anonymous_is_sent_to_the_login_page_and_gets_no_bytes(kunjungan_berfoto):
    # anonymous: the login redirect (as every page of the app), never the file
    url = reverse("kunjungan:foto", args=[kunjungan_berfoto.pk])
    respons = _klien().get(url)
    assert respons.status_code == 302
    assert respons["Location"].startswith(reverse("akun:masuk") + "?next=")
    assert _isi(respons) == b""


def test_the_visit_page_points_at_the_scoped_url_not_media(personas, kunjungan_berfoto):
    respons = _klien(personas.fasilitator).get(
        reverse("kunjungan:detail", args=[kunjungan_berfoto.pk])
    )
    assert respons.status_code == 200
    teks = respons.content.decode()
    assert f'src="{reverse("kunjungan:foto", args=[kunjungan_berfoto.pk])}"' in teks
    assert "/media/" not in teks


def test_no_public_media_route_even_for_a_signed_in_user(personas, kunjungan_berfoto):
    # the file exists on disk; its storage URL answers nothing, with DEBUG on or off
    assert kunjungan_berfoto.foto.storage.exists(kunjungan_berfoto.foto.name)
    respons = _klien(personas.fasilitator).get(kunjungan_berfoto.foto.url)
    assert respons.status_code == 404


def test_a_visit_without_photo_or_whose_file_is_gone_is_404(personas, kunjungan_berfoto):
    tanpa = KunjunganFactory(kelompok=personas.kelompok_lebak, fasilitator=personas.fasilitator)
    client = _klien(personas.fasilitator)
    assert client.get(reverse("kunjungan:foto", args=[tanpa.pk])).status_code == 404
    kunjungan_berfoto.foto.storage.delete(kunjungan_berfoto.foto.name)
    assert client.get(reverse("kunjungan:foto", args=[kunjungan_berfoto.pk])).status_code == 404


def test_only_get(personas, kunjungan_berfoto):
    url = reverse("kunjungan:foto", args=[kunjungan_berfoto.pk])
    assert _klien(personas.fasilitator).post(url).status_code == 405


def test_behind_nginx_the_sending_is_handed_to_x_accel_redirect(
    personas, kunjungan_berfoto, settings
):
    settings.MEDIA_ACCEL_REDIRECT = "/_foto_internal/"
    respons = _klien(personas.fasilitator).get(
        reverse("kunjungan:foto", args=[kunjungan_berfoto.pk])
    )
    assert respons.status_code == 200
    assert respons["X-Accel-Redirect"] == "/_foto_internal/" + kunjungan_berfoto.foto.name
    assert respons["Content-Type"] == "image/jpeg"
    assert respons.content == b""
    # the outsider still gets 404 and no header naming the file
    luar = _klien(personas.fasilitator2).get(reverse("kunjungan:foto", args=[kunjungan_berfoto.pk]))
    assert luar.status_code == 404 and "X-Accel-Redirect" not in luar


def test_behind_apache_x_sendfile_names_the_file_path(personas, kunjungan_berfoto, settings):
    settings.MEDIA_X_SENDFILE = True
    respons = _klien(personas.fasilitator).get(
        reverse("kunjungan:foto", args=[kunjungan_berfoto.pk])
    )
    assert respons.status_code == 200
    assert respons["X-Sendfile"] == kunjungan_berfoto.foto.path
    assert respons.content == b""

"""Error messages in Indonesian or English, following Accept-Language."""

from django.urls import reverse
from rest_framework.test import APIClient

URL = reverse("api:klaster-list")


def test_drf_messages_follow_accept_language():
    en = APIClient().get(URL, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    id_ = APIClient().get(URL, HTTP_ACCEPT_LANGUAGE="id-ID,id;q=0.9,en;q=0.5")
    assert en.status_code == id_.status_code == 401
    assert en.json()["detail"] == "Authentication credentials were not provided."
    assert id_.json()["detail"] != en.json()["detail"]
    assert (en["Content-Language"], id_["Content-Language"]) == ("en", "id")
    assert "Accept-Language" in en["Vary"]


def test_our_own_messages_follow_accept_language(db):
    klien = APIClient()
    klien.credentials(HTTP_AUTHORIZATION="Token km_tidak-ada")
    id_ = klien.get(URL, HTTP_ACCEPT_LANGUAGE="id").json()["detail"]
    en = klien.get(URL, HTTP_ACCEPT_LANGUAGE="en").json()["detail"]
    assert id_ == "Token API tidak dikenal atau sudah dicabut. Buat token baru di halaman akun."
    assert en == "Unknown or revoked API token. Make a new one on your account page."


def test_validation_messages_follow_accept_language(personas, klien_token):
    klien = klien_token(personas.fasilitator)
    url = reverse("api:bantuan-list")
    en = klien.get(url, {"per_tanggal": "kemarin"}, HTTP_ACCEPT_LANGUAGE="en").json()
    id_ = klien.get(url, {"per_tanggal": "kemarin"}, HTTP_ACCEPT_LANGUAGE="id").json()
    assert "TTTT-BB-HH" in id_["per_tanggal"][0]
    assert "YYYY-MM-DD" in en["per_tanggal"][0]
    wajib = klien.post(reverse("api:pengukuran-list"), {}, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert wajib.json()["mitra"] == ["This field is required."]


def test_without_the_header_the_site_language_is_used(db):
    respons = APIClient().get(URL)
    assert respons.json()["detail"] != "Authentication credentials were not provided."
    # a language the API does not speak falls back to the site's too
    fr = APIClient().get(URL, HTTP_ACCEPT_LANGUAGE="fr-FR")
    assert fr.json()["detail"] == respons.json()["detail"]

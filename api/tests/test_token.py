"""Personal API tokens: made on the account page, shown once, kept hashed, used, revoked."""

import hashlib
import re

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from api import services
from api.models import TokenApi
from klaster.tests.factories import UserFactory

HALAMAN = reverse("akun:token_api")
API = reverse("api:klaster-list")


def _kunci_di(html: str) -> str:
    m = re.search(r'value="(km_[A-Za-z0-9_-]+)"', html)
    assert m, "the new token's secret is not on the page"
    return m.group(1)


def _klien(kunci: str) -> APIClient:
    klien = APIClient()
    klien.credentials(HTTP_AUTHORIZATION=f"Token {kunci}")
    return klien


def test_token_lifecycle_create_use_revoke(client, personas):
    client.force_login(personas.fasilitator)
    respons = client.post(HALAMAN, {"aksi": "buat", "nama": "Kobo Lebak"})
    assert respons.status_code == 200
    kunci = _kunci_di(respons.content.decode())

    # stored hashed: the secret is in no column, its SHA-256 is
    token = TokenApi.objects.get(pengguna=personas.fasilitator)
    assert token.kunci_hash == hashlib.sha256(kunci.encode()).hexdigest()
    assert kunci not in {getattr(token, f.attname) for f in TokenApi._meta.concrete_fields}
    assert token.awalan == kunci[: len(token.awalan)] and len(token.awalan) < len(kunci) // 3
    assert token.terakhir_dipakai is None

    # shown once: the list page shows the prefix, never the secret
    html = client.get(HALAMAN).content.decode()
    assert kunci not in html and token.awalan in html and "Kobo Lebak" in html

    # used: the API answers as the token's owner, and the use is recorded
    respons = _klien(kunci).get(API)
    assert respons.status_code == 200
    assert [k["id"] for k in respons.json()["results"]] == [personas.klaster_lebak.pk]
    token.refresh_from_db()
    assert token.terakhir_dipakai is not None
    assert "Belum pernah" not in client.get(HALAMAN).content.decode()

    # revoked: the page says so and the token no longer opens anything
    respons = client.post(HALAMAN, {"aksi": "cabut", "token": token.pk}, follow=True)
    assert "dicabut" in respons.content.decode()
    token.refresh_from_db()
    assert token.dicabut is not None
    respons = _klien(kunci).get(API)
    assert respons.status_code == 401
    assert "dicabut" in respons.json()["detail"]
    assert respons["WWW-Authenticate"] == "Token"


def test_last_used_time_is_written_at_most_once_a_minute(personas, klien_token):
    klien = klien_token(personas.fasilitator)
    klien.get(API)
    pertama = TokenApi.objects.get(pk=klien.token.pk).terakhir_dipakai
    klien.get(API)
    assert TokenApi.objects.get(pk=klien.token.pk).terakhir_dipakai == pertama


def test_a_user_cannot_revoke_someone_elses_token(client, personas, klien_token):
    milik_lain = klien_token(personas.manajer).token
    client.force_login(personas.fasilitator)
    respons = client.post(HALAMAN, {"aksi": "cabut", "token": milik_lain.pk})
    assert respons.status_code == 404
    milik_lain.refresh_from_db()
    assert milik_lain.dicabut is None


def test_wrong_malformed_and_missing_tokens_are_401(personas, klien_token):
    klien_token(personas.fasilitator)
    assert _klien("km_tidak-ada").get(API).status_code == 401
    assert _klien("bukan-token-kami").get(API).status_code == 401
    salah = APIClient()
    salah.credentials(HTTP_AUTHORIZATION="Token km_a km_b")
    assert salah.get(API).status_code == 401
    respons = APIClient().get(API)
    assert respons.status_code == 401
    assert respons["WWW-Authenticate"] == "Token"


def test_bearer_scheme_works_too(personas, klien_token):
    kunci = klien_token(personas.fasilitator).kunci
    klien = APIClient()
    klien.credentials(HTTP_AUTHORIZATION=f"Bearer {kunci}")
    assert klien.get(API).status_code == 200


def test_token_of_a_deactivated_user_stops_working(personas, klien_token):
    klien = klien_token(personas.fasilitator)
    assert klien.get(API).status_code == 200
    personas.fasilitator.is_active = False
    personas.fasilitator.save()
    assert klien.get(API).status_code == 401


def test_a_token_has_the_rights_of_its_owner_only(personas, klien_token):
    # a token of a user without a role group opens nothing that needs a role
    tanpa_peran = UserFactory(username="tamu")
    klien = klien_token(tanpa_peran)
    assert klien.get(reverse("api:kunjungan-list")).status_code == 403
    tanpa_peran.groups.add(Group.objects.get(name="Fasilitator"))
    assert klien.get(reverse("api:kunjungan-list")).status_code == 200


def test_a_token_needs_a_name_and_the_message_says_so(client, personas):
    client.force_login(personas.fasilitator)
    respons = client.post(HALAMAN, {"aksi": "buat", "nama": "   "})
    assert respons.status_code == 422
    assert "Beri nama token" in respons.content.decode()
    assert not TokenApi.objects.exists()


def test_active_tokens_are_limited(personas):
    for i in range(services.TOKEN_AKTIF_MAKS):
        services.token_buat(pengguna=personas.fasilitator, nama=f"t{i}")
    with pytest.raises(ValidationError, match="Cabut token"):
        services.token_buat(pengguna=personas.fasilitator, nama="satu lagi")
    # revoking one frees a place
    services.token_cabut(token=TokenApi.objects.first(), oleh=personas.fasilitator)
    services.token_buat(pengguna=personas.fasilitator, nama="satu lagi")


def test_the_token_page_needs_a_signed_in_user(client):
    respons = client.get(HALAMAN)
    assert respons.status_code == 302
    assert respons["Location"].startswith(reverse("akun:masuk"))


def test_admin_revokes_tokens_in_one_action(client, personas, klien_token):
    a, b = klien_token(personas.fasilitator), klien_token(personas.manajer)
    client.force_login(personas.admin)
    url = reverse("admin:api_tokenapi_changelist")
    respons = client.post(
        url, {"action": "cabut", "_selected_action": [a.token.pk, b.token.pk]}, follow=True
    )
    assert respons.status_code == 200
    assert a.get(API).status_code == 401 and b.get(API).status_code == 401
    # the admin never sees a secret: there is none to see
    assert a.kunci not in client.get(url).content.decode()


def test_the_account_page_leads_to_the_tokens(client, personas):
    client.force_login(personas.fasilitator)
    assert HALAMAN in client.get(reverse("akun:kata_sandi")).content.decode()

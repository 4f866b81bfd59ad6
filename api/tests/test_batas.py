"""Rate limiting per token: a token past its budget gets 429 with Retry-After; another
token of the same person keeps its own budget."""

import pytest
from django.urls import reverse

URL = reverse("api:klaster-list")


@pytest.fixture
def batas_tiga(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"token": "3/min", "anonim": "2/min"},
    }


def test_a_token_past_its_rate_gets_429(batas_tiga, personas, klien_token):
    klien = klien_token(personas.fasilitator)
    assert [klien.get(URL).status_code for _ in range(3)] == [200, 200, 200]
    respons = klien.get(URL)
    assert respons.status_code == 429
    assert 0 < int(respons["Retry-After"]) <= 60
    assert "detik" in respons.json()["detail"] or "second" in respons.json()["detail"]
    # the budget is the token's: a second token of the same person still works
    assert klien_token(personas.fasilitator, nama="kedua").get(URL).status_code == 200


def test_the_limit_counts_writes_and_reads_together(batas_tiga, personas, klien_token):
    klien = klien_token(personas.fasilitator)
    klien.get(URL)
    klien.post(reverse("api:pengukuran-list"), {}, format="json")
    klien.get(URL)
    assert klien.post(reverse("api:pengukuran-list"), {}, format="json").status_code == 429


def test_requests_without_a_token_are_limited_per_address(batas_tiga, client):
    skema = reverse("api:skema")
    assert [client.get(skema).status_code for _ in range(2)] == [200, 200]
    assert client.get(skema).status_code == 429


def test_the_default_rate_is_generous_enough_for_a_sync(settings):
    token = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["token"]
    jumlah, per = token.split("/")
    assert int(jumlah) >= 60 and per.startswith(("min", "m"))


def test_a_forged_forwarded_for_header_does_not_buy_a_new_budget(batas_tiga, client):
    skema = reverse("api:skema")
    kode = [client.get(skema, HTTP_X_FORWARDED_FOR=f"10.0.0.{i}").status_code for i in range(3)]
    assert kode == [200, 200, 429]

"""The OpenAPI 3 schema validates (drf-spectacular's own validator) and describes every
endpoint; the two readers are served from the app's own static files."""

import json
import re

import yaml
from django.urls import reverse
from drf_spectacular.validation import validate_schema
from rest_framework.test import APIClient

from api.tests.test_matriks_api import URL_API

SKEMA = reverse("api:skema")


def test_the_served_schema_validates_as_openapi_3():
    respons = APIClient().get(SKEMA, {"format": "json"})
    assert respons.status_code == 200
    skema = json.loads(respons.content)
    assert skema["openapi"].startswith("3.")
    validate_schema(skema)  # raises on an invalid document


def test_the_default_yaml_is_the_same_document():
    yaml_skema = yaml.safe_load(APIClient().get(SKEMA).content)
    json_skema = json.loads(APIClient().get(SKEMA, {"format": "json"}).content)
    assert yaml_skema == json_skema


def test_every_endpoint_is_described_with_the_token_scheme():
    skema = json.loads(APIClient().get(SKEMA, {"format": "json"}).content)
    jalur = set(skema["paths"])
    for kunci, kwargs in URL_API:
        if kunci in {"api:skema", "api:docs", "api:redoc"}:
            continue
        path = reverse(kunci, kwargs=dict.fromkeys(kwargs, 1))
        pola = re.sub(r"/1(/|\.)", r"/{id}\1", path)
        assert pola in jalur, f"{kunci} ({pola}) is not in the schema"
    skema_aman = skema["components"]["securitySchemes"]
    assert skema_aman["tokenApi"] == {
        "type": "apiKey",
        "in": "header",
        "name": "Authorization",
        "description": skema_aman["tokenApi"]["description"],
    }
    assert "cookieAuth" in skema_aman
    # writes document their bodies; money is a decimal string, never a float
    tulis = skema["components"]["schemas"]["KunjunganTulisRequest"]
    assert {"uuid", "kelompok", "tanggal", "jenis_kegiatan"} <= set(tulis["required"])
    uang = skema["components"]["schemas"]["BantuanDetail"]["properties"]["jumlah"]
    assert uang["type"] == "string" and uang["format"] == "decimal"


def test_the_readers_load_only_files_of_this_site():
    klien = APIClient()
    for nama in ("api:docs", "api:redoc"):
        respons = klien.get(reverse(nama))
        assert respons.status_code == 200
        html = respons.content.decode()
        sumber = re.findall(r'(?:src|href)="([^"]+)"', html)
        assert sumber, nama
        # every script, style and icon from /static/ (drf-spectacular-sidecar) or this site
        assert all(s.startswith("/") for s in sumber), sumber
        assert not re.search(r"<script>|<style>", html), f"{nama} has inline script or style"
        assert "https://" not in html and "http://" not in html
    swagger = klien.get(reverse("api:docs")).content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in swagger
    # the start-up script is a file of its own (CSP: script-src 'self')
    skrip = klien.get(reverse("api:docs"), {"script": ""})
    assert skrip.status_code == 200
    assert "application/javascript" in skrip["Content-Type"]
    assert SKEMA in skrip.content.decode()
    redoc = klien.get(reverse("api:redoc")).content.decode()
    assert "/static/drf_spectacular_sidecar/redoc/bundles/redoc.standalone.js" in redoc
    assert f'spec-url="{SKEMA}"' in redoc


def test_the_readers_relax_the_csp_for_styles_only():
    respons = APIClient().get(reverse("api:redoc"))
    csp = respons["Content-Security-Policy"]
    assert "script-src 'self';" in csp + ";"
    assert "'unsafe-inline'" in re.search(r"style-src[^;]*", csp).group(0)
    assert "'unsafe-inline'" not in re.search(r"script-src[^;]*", csp).group(0)

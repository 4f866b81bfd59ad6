"""Production settings, security headers, and error pages that show no internals."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client, RequestFactory
from django.urls import reverse

from klaster import views

ROOT = Path(__file__).resolve().parent.parent


def _manage(*args, **env):
    lingkungan = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    lingkungan.update(env)
    return subprocess.run(  # noqa: S603 (our own manage.py, fixed arguments)
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=lingkungan,
        capture_output=True,
        text=True,
        timeout=120,
    )


PRODUKSI = {
    "DEBUG": "0",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "klaster.example.org",
}


def test_check_deploy_reports_no_issues_under_production_settings():
    hasil = _manage("check", "--deploy", "--fail-level", "WARNING", **PRODUKSI)
    assert hasil.returncode == 0, hasil.stdout + hasil.stderr
    assert "System check identified no issues (0 silenced)." in hasil.stdout


def test_check_deploy_behind_a_tls_proxy_is_clean_too():
    hasil = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECURE_PROXY_SSL_HEADER="HTTP_X_FORWARDED_PROTO,https",
        CLIENT_IP_HEADER="HTTP_X_REAL_IP",
        **PRODUKSI,
    )
    assert hasil.returncode == 0, hasil.stdout + hasil.stderr


def test_production_without_secret_key_refuses_to_start():
    hasil = _manage("check", DEBUG="0", ALLOWED_HOSTS="klaster.example.org")
    assert hasil.returncode != 0
    assert "SECRET_KEY must be set" in hasil.stderr


def test_a_malformed_proxy_header_setting_fails_loudly():
    hasil = _manage("check", SECURE_PROXY_SSL_HEADER="https", **PRODUKSI)
    assert hasil.returncode != 0
    assert "SECURE_PROXY_SSL_HEADER must be" in hasil.stderr


def test_pages_carry_the_security_headers(client, db):
    respons = client.get(reverse("akun:masuk"))
    assert respons.status_code == 200
    csp = respons["Content-Security-Policy"]
    arahan = dict(
        (bagian.split(" ", 1) + [""])[:2] for bagian in (b.strip() for b in csp.split(";"))
    )
    assert arahan["default-src"] == "'self'"
    assert arahan["script-src"] == "'self'"
    assert arahan["style-src"] == "'self'"
    assert arahan["img-src"] == "'self' data: blob:"
    assert arahan["frame-ancestors"] == "'none'"
    assert arahan["form-action"] == "'self'"
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    izin = respons["Permissions-Policy"]
    assert "geolocation=(self)" in izin
    assert "camera=(self)" in izin
    assert "microphone=()" in izin
    assert respons["X-Frame-Options"] == "DENY"
    assert respons["Referrer-Policy"] == "same-origin"
    assert respons["X-Content-Type-Options"] == "nosniff"


def test_the_admin_gets_the_same_policy(admin_client):
    respons = admin_client.get("/admin/")
    assert respons.status_code == 200
    assert "script-src 'self'" in respons["Content-Security-Policy"]


# Inline code that the policy would block: a <script> with a body, style="", on*="".
SKRIP_INLINE = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>\s*\S", re.IGNORECASE)
ATRIBUT_TERLARANG = re.compile(r"\s(style|on[a-z]+)\s*=\s*[\"']", re.IGNORECASE)


def _template_proyek():
    for folder in [ROOT / "templates", *ROOT.glob("*/templates")]:
        yield from folder.rglob("*.html")


@pytest.mark.parametrize(
    "template", sorted(_template_proyek()), ids=lambda p: str(p.relative_to(ROOT))
)
def test_templates_have_no_inline_script_or_style(template):
    teks = template.read_text(encoding="utf-8")
    # a JSON data island is data, not code: allowed
    teks = re.sub(r"<script[^>]*type=\"application/json\"[^>]*>.*?</script>", "", teks, flags=re.S)
    temuan = SKRIP_INLINE.findall(teks) + [m.group(0) for m in ATRIBUT_TERLARANG.finditer(teks)]
    assert not temuan, f"{template.relative_to(ROOT)}: inline code the CSP blocks: {temuan}"


@pytest.fixture
def klien_galat(settings):
    settings.ROOT_URLCONF = "tests.urls_galat"
    settings.DEBUG = False
    client = Client(raise_request_exception=False)
    return client


@pytest.mark.parametrize(
    ("kode", "judul"),
    [
        (400, "Permintaan tidak dapat diproses"),
        (403, "Akses ditolak"),
        (404, "Halaman tidak ditemukan"),
        (500, "Terjadi kesalahan pada server"),
    ],
)
def test_error_pages_are_indonesian_and_show_no_internals(klien_galat, db, kode, judul):
    respons = klien_galat.get(f"/galat/{kode}/")
    assert respons.status_code == kode
    assert judul in respons.text
    for bocoran in ("rahasia-internal", "Traceback", "SECRET_KEY", "DATABASES", 'File "'):
        assert bocoran not in respons.text


def test_the_500_page_needs_no_database():
    # no `db` fixture: any query here would raise "Database access not allowed"
    respons = views.galat_500(RequestFactory().get("/"))
    assert respons.status_code == 500
    assert "Terjadi kesalahan pada server" in respons.content.decode()


def test_a_form_without_csrf_token_gets_the_indonesian_page(db):
    respons = Client(enforce_csrf_checks=True).post(reverse("akun:masuk"), {"username": "x"})
    assert respons.status_code == 403
    assert "Formulir ini sudah kedaluwarsa" in respons.text
    assert settings.CSRF_FAILURE_VIEW == "klaster.views_akun.galat_csrf"


# --- personal data never in a shared cache (issue 14 item 9) ------------------------------


def _arahan_cache(respons) -> set[str]:
    return {a.strip().lower() for a in respons.get("Cache-Control", "").split(",") if a.strip()}


@pytest.fixture
def mitra_nik_penuh(personas):
    from mitra.tests.factories import MitraFactory

    return MitraFactory(kelompok=personas.kelompok_lebak, nik="3602064107850007")


@pytest.mark.parametrize(
    "halaman",
    [
        "mitra:detail",
        "mitra:list",
        "impor:ekspor xlsx",
        "impor:ekspor csv",
    ],
)
def test_pages_and_exports_with_personal_data_are_private_and_not_stored(
    client, personas, mitra_nik_penuh, halaman
):
    client.force_login(personas.manajer)
    if halaman == "mitra:detail":
        url = reverse("mitra:detail", args=[mitra_nik_penuh.pk])
    elif halaman == "mitra:list":
        url = reverse("mitra:list")
    else:
        url = reverse("impor:ekspor", kwargs={"jenis": "mitra"})
        url += f"?klaster={personas.klaster_lebak.pk}"
        if halaman.endswith("csv"):
            url += "&format=csv"
    respons = client.get(url)
    assert respons.status_code == 200
    isi = b"".join(respons.streaming_content) if respons.streaming else respons.content
    if halaman in {"mitra:detail", "impor:ekspor csv"}:
        assert mitra_nik_penuh.nik.encode() in isi  # the full NIK is really in it
    arahan = _arahan_cache(respons)
    assert {"private", "no-store"} <= arahan, respons.get("Cache-Control")
    assert "public" not in arahan


def test_a_redirect_for_a_signed_in_user_is_private_too(client, personas):
    client.force_login(personas.fasilitator)
    respons = client.get(reverse("akun:masuk"))  # signed in: sent on
    assert respons.status_code == 302
    assert {"private", "no-store"} <= _arahan_cache(respons)


def test_anonymous_static_like_responses_are_left_alone(client, db):
    # the offline layer's worker revalidates but may be cached; no session, no marking
    respons = client.get(reverse("pwa_sw"))
    assert respons.status_code == 200
    assert _arahan_cache(respons) == {"no-cache"}

"""The API reference pages in Debian's Chromium: Swagger UI and Redoc render the schema from
the app's own files only (every request to another host is blocked and counted), trip no
Content-Security-Policy rule, and keep working once the browser goes offline."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

# The network is cut in these tests: they run in the full browser (conftest.py).
pytestmark = [pytest.mark.e2e, pytest.mark.chromium_penuh]


@pytest.fixture
def halaman(browser, live_server):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="id-ID")
    context.set_default_timeout(20000)
    luar, pelanggaran = [], []

    def hanya_situs_ini(route):
        if route.request.url.startswith(live_server.url):
            route.continue_()
        else:
            luar.append(route.request.url)
            route.abort()

    context.route("**/*", hanya_situs_ini)
    page = context.new_page()
    page.on(
        "console",
        lambda m: pelanggaran.append(m.text) if "Content Security Policy" in m.text else None,
    )
    page.luar, page.pelanggaran = luar, pelanggaran
    yield page
    context.close()


def test_swagger_ui_renders_offline(halaman, live_server):
    halaman.goto(live_server.url + reverse("api:docs"))
    # every endpoint of the schema is drawn, ours among them
    halaman.locator(".opblock").first.wait_for()
    jalur = halaman.locator(".opblock-summary-path").all_inner_texts()
    assert any(j.startswith("/api/kunjungan/") for j in jalur), jalur
    assert any(j.startswith("/api/kobo/kiriman/") for j in jalur), jalur
    halaman.context.set_offline(True)
    # offline, the page still works: an operation opens with its parameters and body
    halaman.locator(".opblock-post .opblock-summary", has_text="/api/kunjungan/").first.click()
    # (the body's frame is drawn before its contents: wait for the text, not the frame)
    expect(halaman.locator(".opblock-body").first).to_contain_text("uuid")
    assert halaman.luar == [], f"requests to other hosts: {halaman.luar}"
    assert halaman.pelanggaran == [], halaman.pelanggaran


# Redoc's sidebar always asks for Redocly's logo from their CDN; the page's policy
# (img-src 'self') stops it in the browser before any request leaves, and Redoc hides the
# image. That one refusal is expected; any other is a fault.
LOGO_REDOCLY = "https://cdn.redoc.ly/redoc/logo-mini.svg"


def test_redoc_renders_offline(halaman, live_server):
    halaman.goto(live_server.url + reverse("api:redoc"))
    halaman.get_by_role("heading", name="Klaster Mandiri API").first.wait_for()
    halaman.get_by_role("heading", name="Terima kiriman REST Service KoboToolbox").wait_for()
    halaman.context.set_offline(True)
    # offline, the page still works: the menu leads to an operation and its request body
    halaman.get_by_role("menuitem", name="kunjungan").first.click()
    judul = "Catat kunjungan: kehadiran, pengukuran pendapatan, angsuran"
    halaman.get_by_role("menuitem", name=judul).first.click()
    halaman.get_by_role("heading", name=judul).wait_for()
    operasi = halaman.locator('[id="tag/kunjungan/operation/kunjungan_create"]')
    assert operasi.get_by_text("jenis_kegiatan", exact=True).first.is_visible()
    assert halaman.luar == [], f"requests to other hosts: {halaman.luar}"
    lain = [p for p in halaman.pelanggaran if LOGO_REDOCLY not in p]
    assert lain == [], lain

"""Browser test (Debian Chromium driven by Playwright): the impact report renders with its
charts under the real Content-Security-Policy, a screenshot is saved, and a manager
downloads the XLSX and the PDF from the page.

tests/e2e/ has no shared browser fixture yet; this module carries a small launcher of its
own (conftest fixtures in tests/e2e/ would not reach laporan/tests/ anyway).
"""

import io
import re

import pytest
from django.conf import settings
from django.test import Client
from openpyxl import load_workbook
from pypdf import PdfReader

from laporan.tests.test_dampak_data import PARAMS, buat_data_tangan

# the role groups a transactional test flushes are put back by the root conftest
pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def peramban(browser):
    return browser  # the session-wide Debian Chromium from the root conftest


def _masuk(browser, live_server, user):
    """A browser context signed in as `user` (session cookie from the test client)."""
    client = Client()
    client.force_login(user)
    context = browser.new_context(accept_downloads=True, viewport={"width": 1280, "height": 900})
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    return context


def test_manager_sees_the_report_and_downloads_both_files(
    live_server, personas, peramban, tmp_path
):
    buat_data_tangan(personas)
    context = _masuk(peramban, live_server, personas.manajer)
    page = context.new_page()
    pelanggaran = []
    page.on(
        "console",
        lambda m: pelanggaran.append(m.text) if "Content Security Policy" in m.text else None,
    )
    query = "&".join(
        f"{k}={v}" for k, v in {**PARAMS, "klaster": personas.klaster_lebak.pk}.items()
    )
    page.goto(f"{live_server.url}/laporan/dampak/?{query}")
    assert page.locator("h1").first.inner_text() == "Laporan dampak"
    assert page.locator("#angka-mitra").inner_text() == "7"
    assert page.locator("#angka-dicairkan").inner_text() == "Rp2.900.000"
    assert "Rp1.480.000" in page.locator("#tabel-pendapatan-sektor-total").inner_text()
    # the four SVG charts load as images under the page's CSP
    page.wait_for_load_state("networkidle")
    ukuran = page.eval_on_selector_all(
        "figure.grafik img", "imgs => imgs.map(i => [i.complete, i.naturalWidth])"
    )
    assert len(ukuran) == 4
    assert all(ok and lebar > 0 for ok, lebar in ukuran), ukuran
    assert pelanggaran == []

    gambar = tmp_path / "laporan-dampak.png"
    page.screenshot(path=str(gambar), full_page=True)
    assert gambar.stat().st_size > 10_000

    with page.expect_download() as info:
        page.click("#unduh-xlsx")
    unduhan = info.value
    assert re.fullmatch(r"laporan-dampak-LBK-2024-12-31\.xlsx", unduhan.suggested_filename)
    berkas = tmp_path / unduhan.suggested_filename
    unduhan.save_as(berkas)
    wb = load_workbook(berkas)
    ringkasan = {r[0].value: r[1].value for r in wb["Ringkasan"].iter_rows(min_row=5) if r[0].value}
    assert ringkasan["Dana dicairkan dalam periode"] == 2_900_000

    with page.expect_download() as info:
        page.click("#unduh-pdf")
    unduhan = info.value
    assert unduhan.suggested_filename.endswith(".pdf")
    berkas = tmp_path / unduhan.suggested_filename
    unduhan.save_as(berkas)
    data = berkas.read_bytes()
    assert data.startswith(b"%PDF")
    teks = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    assert "Rp2.900.000" in teks and "Halaman 1 dari" in teks
    context.close()


def test_report_on_a_phone_keeps_tables_scrollable(live_server, personas, peramban, tmp_path):
    buat_data_tangan(personas)
    context = _masuk(peramban, live_server, personas.fasilitator)
    page = context.new_page()
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{live_server.url}/laporan/dampak/?dari=2023-01-01&sampai=2024-12-31")
    assert page.locator("#angka-mitra").inner_text() == "7"
    # no download buttons for a facilitator; the page itself is no wider than the phone
    assert page.locator("#unduh-xlsx").count() == 0
    lebar = page.evaluate("document.querySelector('main').getBoundingClientRect().width")
    assert lebar <= 360
    page.screenshot(path=str(tmp_path / "laporan-dampak-360.png"), full_page=True)
    context.close()

"""Browser test (Debian Chromium via Playwright) on a 360 px phone screen: a facilitator
registers a mitra whose birth date disagrees with the NIK, sees the warning, confirms it and
the mitra is saved; the list and the form never scroll sideways; no CSP violation."""

import pytest
from django.conf import settings
from django.test import Client

from mitra.models import Mitra

pytestmark = pytest.mark.e2e


@pytest.fixture
def peramban(browser):
    return browser  # the session-wide Debian Chromium from the root conftest


def _ponsel(browser, live_server, user):
    client = Client()
    client.force_login(user)
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True)
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


def _tidak_menggulir_ke_samping(page):
    # after a click the old document may be going away: measure the page that has loaded
    page.wait_for_load_state("load")
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_fasilitator_registers_a_mitra_on_a_phone(
    transactional_db, live_server, personas, peramban, tmp_path
):
    page = _ponsel(peramban, live_server, personas.fasilitator).new_page()
    pelanggaran = []
    page.on(
        "console",
        lambda m: pelanggaran.append(m.text) if "Content Security Policy" in m.text else None,
    )
    page.goto(f"{live_server.url}/kelompok/{personas.kelompok_lebak.pk}/")
    page.get_by_role("link", name="Tambah anggota").click()
    page.wait_for_selector("#id_nik")
    assert _tidak_menggulir_ke_samping(page)

    page.fill("#id_nik", "3602 0612 0580 0001")
    page.fill("#id_nama", "Asep Saepudin")
    page.select_option("#id_jenis_kelamin", "L")
    page.fill("#id_tanggal_lahir", "1980-05-13")  # the NIK says the 12th
    page.select_option("#id_desa", "36.02.06.2002")
    page.get_by_role("button", name="Simpan").click()

    assert "berbeda dengan tanggal lahir di NIK (12 Mei 1980)" in page.content()
    assert not Mitra.objects.exists()
    page.screenshot(path=str(tmp_path / "mitra-peringatan-nik.png"), full_page=True)
    page.check("#id_konfirmasi_beda_nik")
    page.get_by_role("button", name="Simpan").click()

    assert page.locator("h1").inner_text() == "Asep Saepudin"
    mitra = Mitra.objects.get()
    assert mitra.nik == "3602061205800001"
    assert mitra.kelompok == personas.kelompok_lebak
    assert "3602061205800001" in page.content()  # full NIK on the mitra's own page

    page.goto(f"{live_server.url}/mitra/")
    assert "360206******0001" in page.content()
    assert _tidak_menggulir_ke_samping(page)
    assert pelanggaran == []

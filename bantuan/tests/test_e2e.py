"""Browser test (Debian Chromium via Playwright) on a 360 px phone: a facilitator opens the
collection list, records a repayment, and the pages never scroll sideways; no CSP violation."""

import datetime
import os
from decimal import Decimal

import pytest
from django.conf import settings
from django.test import Client

from bantuan.models import Angsuran
from bantuan.tests.factories import pinjaman_cair
from mitra.tests.factories import MitraFactory

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


def _foto(page, nama):
    # BANTUAN_FOTO=/some/dir keeps screenshots for a human look
    if os.environ.get("BANTUAN_FOTO"):
        page.screenshot(
            path=os.path.join(os.environ["BANTUAN_FOTO"], f"{nama}.png"), full_page=True
        )


def _lebar_pas(page):
    # after a click the old document may be going away: measure the page that has loaded
    page.wait_for_load_state("load")
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.fixture
def grup_peran(transactional_db):
    # an earlier transactional test flushed the tables, including the groups a migration made
    from django.contrib.auth.models import Group

    for nama in ("Fasilitator", "Manajer Program"):
        Group.objects.get_or_create(name=nama)


def test_fasilitator_records_a_repayment_on_a_phone(grup_peran, live_server, personas, peramban):
    b = pinjaman_cair(
        mitra=MitraFactory(
            klaster=personas.klaster_lebak, kelompok=personas.kelompok_lebak, nama="Siti Aminah"
        ),
        jumlah="1200000",
        tanggal_cair=datetime.date(2026, 1, 5),
    )
    page = _ponsel(peramban, live_server, personas.fasilitator).new_page()
    pelanggaran = []
    page.on(
        "console",
        lambda m: pelanggaran.append(m.text) if "Content Security Policy" in m.text else None,
    )
    page.goto(f"{live_server.url}/bantuan/tunggakan/")
    assert page.locator("#tabel-tunggakan").get_by_text("Siti Aminah").is_visible()
    assert _lebar_pas(page)
    page.locator("#tabel-tunggakan").get_by_role("link", name="Catat").first.click()
    page.wait_for_url(f"**/bantuan/{b.pk}/angsuran/**")
    assert _lebar_pas(page)
    _foto(page, "angsuran")
    page.fill("#id_jumlah", "100.000")
    page.fill("#id_tanggal", "2026-02-05")
    tombol = page.get_by_role("button", name="Simpan angsuran")
    assert tombol.bounding_box()["height"] >= 44
    tombol.click()
    page.wait_for_url(f"**/bantuan/{b.pk}/")
    assert "tercatat" in page.content()
    assert _lebar_pas(page)
    assert Angsuran.objects.get(bantuan=b).jumlah == Decimal("100000")
    # a second, too large payment comes back with the message and saves nothing
    page.goto(f"{live_server.url}/bantuan/{b.pk}/angsuran/")
    page.fill("#id_jumlah", "5000000")
    page.get_by_role("button", name="Simpan angsuran").click()
    assert page.get_by_text("melebihi sisa pokok").first.is_visible()
    assert Angsuran.objects.filter(bantuan=b).count() == 1
    for url in ("/bantuan/", "/bantuan/portofolio/", f"/bantuan/{b.pk}/", "/bantuan/tunggakan/"):
        page.goto(live_server.url + url)
        assert _lebar_pas(page), url
        _foto(page, url.strip("/").replace("/", "_"))
    assert pelanggaran == []

"""Browser tests: Debian's Chromium driven by Playwright (never `playwright install`)."""

from pathlib import Path

import pytest

# `browser` (session-wide Debian Chromium) and the role-group fixture live in the root
# conftest.py, shared with the browser tests inside the apps.


@pytest.fixture
def page(browser):
    """A phone: 360×740, touch, Indonesian. Drawn at one device pixel per CSS pixel: what
    the tests check (widths, heights, axe, the console) is in CSS pixels, the same at any
    density, and a phone's usual 2x made every page cost a fifth more to draw (measured on
    the Lebak demo sweeps: 24.4 s -> 19.2 s); the screenshots are 360 px wide."""
    context = browser.new_context(
        viewport={"width": 360, "height": 740},
        device_scale_factor=1,
        is_mobile=True,
        has_touch=True,
        locale="id-ID",
        timezone_id="Asia/Jakarta",
    )
    context.set_default_timeout(15000)
    halaman = context.new_page()
    yield halaman
    context.close()


@pytest.fixture
def laptop(browser):
    """A laptop: 1366×768, Indonesian."""
    context = browser.new_context(
        viewport={"width": 1366, "height": 768}, locale="id-ID", timezone_id="Asia/Jakarta"
    )
    context.set_default_timeout(15000)
    halaman = context.new_page()
    yield halaman
    context.close()


def masuk_sebagai(page, live_server, user):
    """Sign the browser in as `user` (a session cookie made by Django's test client)."""
    from django.conf import settings
    from django.test import Client

    c = Client()
    c.force_login(user)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": c.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


ARTEFAK = Path(__file__).resolve().parents[2] / "artefak"


def simpan_layar(page, nama: str) -> Path:
    """A full-page screenshot kept as a test artefact (artefak/, git-ignored)."""
    ARTEFAK.mkdir(exist_ok=True)
    lebar = page.viewport_size["width"]
    jalur = ARTEFAK / f"{nama}-{lebar}.png"
    page.screenshot(path=str(jalur), full_page=True)
    return jalur

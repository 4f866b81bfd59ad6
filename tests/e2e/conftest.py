"""Browser tests: Debian's Chromium driven by Playwright (never `playwright install`)."""

import os
import shutil

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# between browser steps are still plain synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    """A phone: 360×740, touch, Indonesian."""
    context = browser.new_context(
        viewport={"width": 360, "height": 740},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        locale="id-ID",
        timezone_id="Asia/Jakarta",
    )
    context.set_default_timeout(15000)
    halaman = context.new_page()
    yield halaman
    context.close()


@pytest.fixture(autouse=True)
def _grup_peran(request):
    """The role groups come from a data migration; a transactional test (live_server)
    flushes them for the tests after it, so put them back."""
    if "transactional_db" not in request.fixturenames:
        return
    request.getfixturevalue("transactional_db")
    from django.contrib.auth.models import Group

    from klaster.akses import GRUP_FASILITATOR, GRUP_MANAJER

    for nama in (GRUP_FASILITATOR, GRUP_MANAJER):
        Group.objects.get_or_create(name=nama)

"""The language switcher in the browser (issue 19), on a phone (360×740) and a laptop
(1366×768): on the login page and in the navigation bar, no horizontal scroll, no critical
or serious axe violation in either language, and the choice remembered on the user."""

import pytest
from django.urls import reverse

from klaster.models import PreferensiBahasa
from tests.e2e.conftest import masuk_sebagai
from tests.e2e.test_aksesibilitas import pelanggaran_berat

pytestmark = pytest.mark.e2e

SANDI = "sandi-uji-bahasa-2026"


def _tanpa_gulir_samping(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def _buka_menu(page):
    """On a phone the switcher sits behind the toggler; on a laptop, in the account menu."""
    toggler = page.locator(".navbar-toggler")
    if toggler.is_visible():
        toggler.click()
        page.locator("#nav-utama.show").wait_for()
    else:
        page.locator("#menu-akun").click()
        page.locator(".dropdown-menu.show .pilih-bahasa").wait_for()


@pytest.mark.parametrize("ukuran", ["page", "laptop"])
def test_switch_on_the_login_page_then_sign_in(live_server, personas, ukuran, request, settings):
    settings.AXES_ENABLED = False
    layar = request.getfixturevalue(ukuran)
    personas.manajer.set_password(SANDI)
    personas.manajer.save()

    layar.goto(live_server.url + reverse("akun:masuk"))
    assert layar.locator("html").get_attribute("lang") == "id"
    assert layar.locator("h1").inner_text() == "Masuk"
    assert pelanggaran_berat(layar) == []
    assert _tanpa_gulir_samping(layar)

    layar.get_by_role("button", name="English").click()
    layar.wait_for_load_state()
    assert layar.locator("html").get_attribute("lang") == "en"
    assert layar.locator("h1").inner_text() == "Sign in"
    assert layar.get_by_role("button", name="English").get_attribute("aria-pressed") == "true"
    assert pelanggaran_berat(layar) == []
    assert _tanpa_gulir_samping(layar)

    layar.fill("#id_username", "manajer")
    layar.fill("#id_password", SANDI)
    layar.locator("form:not(.pilih-bahasa) [type=submit]").click()
    layar.wait_for_url(live_server.url + reverse("klaster:beranda"))
    assert layar.locator("html").get_attribute("lang") == "en"
    assert "Programme dashboard" in layar.content()
    assert pelanggaran_berat(layar) == []
    assert _tanpa_gulir_samping(layar)


@pytest.mark.parametrize("ukuran", ["page", "laptop"])
def test_switch_in_the_navbar_is_remembered_on_the_user(live_server, personas, ukuran, request):
    layar = request.getfixturevalue(ukuran)
    masuk_sebagai(layar, live_server, personas.manajer)
    laporan = live_server.url + reverse("laporan:dampak")
    layar.goto(laporan)
    assert layar.locator("h1").first.inner_text() == "Laporan dampak"

    _buka_menu(layar)
    layar.get_by_role("button", name="English").click()
    layar.wait_for_url(laporan)
    assert layar.locator("h1").first.inner_text() == "Impact report"
    assert PreferensiBahasa.objects.get(pengguna=personas.manajer).bahasa == "en"
    assert pelanggaran_berat(layar) == []
    assert _tanpa_gulir_samping(layar)
    # the navigation bar keeps one row on a laptop, with the manager's full menu
    assert layar.locator(".navbar").bounding_box()["height"] < 80 or ukuran == "page"
    _buka_menu(layar)
    assert pelanggaran_berat(layar) == []  # the open menu with the switcher, too

    layar.get_by_role("button", name="Bahasa Indonesia").click()
    layar.wait_for_url(laporan)
    assert layar.locator("h1").first.inner_text() == "Laporan dampak"
    assert PreferensiBahasa.objects.get(pengguna=personas.manajer).bahasa == "id"

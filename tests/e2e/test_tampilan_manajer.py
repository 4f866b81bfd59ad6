"""The manager's screens on a 1366×768 laptop and a 360×740 phone (issue 15, items 7-10):
a dashboard and report read without a glossary, big figures that never break the layout,
history people can read, and an admin that speaks the product's language."""

import pytest
from django.urls import reverse

from klaster.tests.factories import UserFactory
from tests.e2e.conftest import masuk_sebagai, simpan_layar
from tests.e2e.tampilan_data import buat_program

pytestmark = pytest.mark.e2e


def angka_muat(page, selector):
    """Every figure in these cards stays inside its card, on one line."""
    for el in page.locator(selector).all():
        ukur = el.evaluate(
            "e => [e.scrollWidth, e.clientWidth, e.getClientRects().length,"
            " e.getBoundingClientRect().height, parseFloat(getComputedStyle(e).lineHeight)]"
        )
        lebar_isi, lebar, baris, tinggi, tinggi_baris = ukur
        assert lebar_isi <= lebar + 1, (page.url, el.inner_text(), ukur)
        assert tinggi <= tinggi_baris * 1.5, (page.url, el.inner_text(), ukur)


@pytest.mark.parametrize("ukuran", ["laptop", "page"])
def test_dashboard_and_portfolio_read_without_a_glossary(live_server, personas, ukuran, request):
    layar = request.getfixturevalue(ukuran)
    buat_program(personas)
    masuk_sebagai(layar, live_server, personas.manajer)
    layar.goto(live_server.url + reverse("klaster:beranda"))
    teks = layar.inner_text("main")
    assert "Outstanding" not in teks and "Pinjaman beredar" in teks
    # a short definition on every card: 8 of money and people, 4 of the programme's half
    kartu = layar.locator("#kartu-dasbor .card")
    assert kartu.count() == layar.locator("#kartu-dasbor .card .definisi").count() == 12
    angka_muat(layar, "#kartu-dasbor .nilai")
    assert layar.evaluate("document.documentElement.scrollWidth") <= layar.viewport_size["width"]
    simpan_layar(layar, "dasbor")

    layar.goto(live_server.url + reverse("bantuan:portofolio"))
    teks = layar.inner_text("main")
    assert "Outstanding" not in teks
    # 1.200.000 + 900.000.000 + 814.661.978 disbursed: the biggest figure on the page
    assert layar.inner_text("#total-dicairkan") == "Rp1.715.861.978"
    angka_muat(layar, "#kartu-portofolio .nilai")
    assert layar.evaluate("document.documentElement.scrollWidth") <= layar.viewport_size["width"]
    simpan_layar(layar, "portofolio")


def test_the_impact_report_opens_with_its_key_findings(live_server, personas, laptop):
    buat_program(personas)
    masuk_sebagai(laptop, live_server, personas.manajer)
    laptop.goto(live_server.url + reverse("laporan:dampak"))
    temuan = laptop.locator("#temuan-utama li")
    assert 3 <= temuan.count() <= 6
    assert "Pendapatan rata-rata mitra naik" in laptop.inner_text("#temuan-utama")
    # above the filter form
    y_temuan = laptop.locator("#temuan-utama").bounding_box()["y"]
    assert y_temuan < laptop.locator("form.form-saringan").bounding_box()["y"]
    teks = laptop.inner_text("main")
    assert "Outstanding" not in teks and ".selectors" not in teks


@pytest.mark.parametrize("ukuran", ["laptop", "page"])
def test_approval_screen_and_history(live_server, personas, ukuran, request):
    layar = request.getfixturevalue(ukuran)
    program = buat_program(personas)
    masuk_sebagai(layar, live_server, personas.manajer)
    layar.goto(live_server.url + reverse("bantuan:setujui", args=[program.pengajuan.pk]))
    assert layar.locator("#konteks-keputusan").is_visible()
    assert layar.evaluate("document.documentElement.scrollWidth") <= layar.viewport_size["width"]
    simpan_layar(layar, "persetujuan-bantuan")
    layar.goto(live_server.url + program.pinjaman.get_absolute_url())
    riwayat = layar.inner_text("#riwayat")
    assert "disetujui_oleh" not in riwayat and "Disetujui oleh" in riwayat
    layar.goto(live_server.url + reverse("akun:riwayat"))
    teks = layar.inner_text("main")
    assert "uuid" not in teks.lower() and "ID:" not in teks


def test_the_admin_speaks_the_products_language_without_console_errors(
    live_server, personas, laptop
):
    buat_program(personas)
    root = UserFactory(username="root", is_staff=True, is_superuser=True)
    pesan = []
    laptop.on(
        "console",
        lambda m: (
            pesan.append((laptop.url, m.type, m.text)) if m.type in ("error", "warning") else None
        ),
    )
    masuk_sebagai(laptop, live_server, root)
    for path in [
        "/admin/",
        "/admin/bantuan/bantuan/",
        "/admin/mitra/mitra/",
        "/admin/mitra/mitra/import/",
        "/admin/mitra/mitra/export/",
    ]:
        respons = laptop.goto(live_server.url + path)
        assert respons.status == 200, path
        laptop.wait_for_load_state("load")
        assert "Administrasi Klaster Mandiri" in laptop.title()
        assert "Administrasi Klaster Mandiri" in laptop.inner_text("#site-name")
        assert laptop.locator("link[rel=icon]").count() >= 1
    laptop.goto(live_server.url + "/admin/mitra/mitra/import/")
    teks = laptop.inner_text("#content")
    assert "Berkas yang diimpor" in teks and "File to import" not in teks
    assert not pesan, "\n".join(f"{u} {t}: {x}" for u, t, x in pesan)

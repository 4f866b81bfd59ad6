"""Browser tests at 360×740 (issue 17): a savings deposit on the meeting screen and the
kelompok maturity assessment form — no sideways scroll, no critical or serious axe
violation, and the record saved."""

from decimal import Decimal

import pytest
from django.urls import reverse

from kunjungan.tests.kunjungan_data import kelompok_dengan_anggota
from program.models import PenilaianKelompok
from tabungan.models import TransaksiTabungan
from tests.e2e.conftest import masuk_sebagai
from tests.e2e.test_aksesibilitas import pelanggaran_berat

pytestmark = pytest.mark.e2e


def _tidak_menggulir_ke_samping(page):
    # after a click the old document may be going away: measure the page that has loaded
    page.wait_for_load_state("load")
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_savings_deposit_on_the_meeting_screen_at_360(live_server, personas, page):
    kelompok, anggota = kelompok_dengan_anggota(personas.klaster_lebak, 3)
    masuk_sebagai(page, live_server, personas.fasilitator)
    page.goto(f"{live_server.url}{reverse('kunjungan:baru')}?kelompok={kelompok.pk}")
    page.wait_for_load_state("load")
    assert _tidak_menggulir_ke_samping(page)
    assert pelanggaran_berat(page) == []
    page.check(f"input[name=hadir][value='{anggota[0].pk}']")
    page.fill(f"#id_tabungan_{anggota[0].pk}", "15.000")
    assert _tidak_menggulir_ke_samping(page)
    page.click("#kirim")
    page.wait_for_url("**/kunjungan/*/")
    t = TransaksiTabungan.objects.get()
    assert (t.mitra_id, t.jumlah, t.jenis) == (anggota[0].pk, Decimal("15000"), "setoran")
    # the member's page shows the balance, still without sideways scroll
    page.goto(live_server.url + anggota[0].get_absolute_url())
    assert page.locator("#saldo-tabungan-mitra").inner_text() == "Rp15.000"
    assert _tidak_menggulir_ke_samping(page)


def test_assessment_form_at_360(live_server, personas, page):
    kelompok, _anggota = kelompok_dengan_anggota(personas.klaster_lebak, 3)
    masuk_sebagai(page, live_server, personas.fasilitator)
    page.goto(live_server.url + reverse("program:penilaian_baru", args=[kelompok.pk]))
    page.wait_for_load_state("load")
    assert _tidak_menggulir_ke_samping(page)
    assert pelanggaran_berat(page) == []
    for nama, nilai in (
        ("skor_pengurus", 2),
        ("skor_pembukuan", 2),
        ("skor_usaha_bersama", 2),
        ("skor_usaha_anggota", 2),
        ("skor_angsuran", 2),
    ):
        page.check(f"input[name={nama}][value='{nilai}']")
    page.click("#simpan-penilaian")
    page.wait_for_url(f"**{kelompok.get_absolute_url()}")
    p = PenilaianKelompok.objects.get()
    # no meetings, savings or links: 1+2+2 + 2+2 + 1+2+3 + 1 = 16
    assert (p.skor_total, p.tingkat) == (16, "berkembang")
    assert "Berkembang" in page.locator("#tabel-penilaian").inner_text()
    assert _tidak_menggulir_ke_samping(page)
    assert pelanggaran_berat(page) == []

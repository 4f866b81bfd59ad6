"""A facilitator logs a group meeting on a 360×740 phone, end to end in Chromium."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from bantuan.models import Angsuran
from bantuan.selectors import sisa_pokok
from kunjungan.models import Kunjungan
from kunjungan.tests.kunjungan_data import beri_pinjaman, hari_ini, kelompok_dengan_anggota
from mitra.models import PengukuranPendapatan

pytestmark = pytest.mark.e2e

LEBAR = 360


def tanpa_gulir_samping(page):
    lebar = page.evaluate("document.documentElement.scrollWidth")
    assert lebar <= LEBAR, f"{page.url} scrolls sideways: {lebar}px"


def test_facilitator_logs_a_meeting_on_a_phone(
    transactional_db, live_server, personas, page, tmp_path
):
    kelompok, anggota = kelompok_dengan_anggota(
        personas.klaster_lebak, 12, kode="LBK-07", nama="Kelompok Tani Harapan"
    )
    peminjam, pengukur = anggota[3], anggota[5]
    pinjaman = beri_pinjaman(personas, peminjam)
    sisa_sebelum = sisa_pokok(pinjaman, per_tanggal=hari_ini())

    # log in through the login form
    page.goto(live_server.url + reverse("akun:masuk"))
    page.fill("input[name=username]", "fasilitator")
    page.fill("input[name=password]", "kata-sandi-uji-123")
    page.click("form [type=submit]")
    page.wait_for_url(live_server.url + reverse("klaster:beranda"))
    tanpa_gulir_samping(page)

    # "kunjungi minggu ini": the kelompok in arrears comes first, with its reason
    daftar = page.locator("#kunjungi-minggu-ini li.rencana")
    pertama = daftar.first
    assert "Kelompok Tani Harapan" in pertama.inner_text()
    assert "menunggak" in pertama.inner_text()
    with page.expect_response(re.compile(r"/kunjungan/baru/")) as jawaban:
        pertama.get_by_role("link", name=re.compile("Kelompok Tani Harapan")).click()
    page.wait_for_url(re.compile(r"/kunjungan/baru/\?kelompok=\d+"))
    uuid_dari_server = re.search(r'name="uuid" value="([^"]+)"', jawaban.value.text()).group(1)

    # the meeting screen: nobody ticked, one instalment field (the borrower's)
    kotak = page.locator("input[name=hadir]")
    assert kotak.count() == 12
    assert page.locator("input[name=hadir]:checked").count() == 0
    assert page.locator("input[name^=angsuran_]").count() == 1
    assert pinjaman.nomor in page.locator(f"#anggota-{peminjam.pk}").inner_text()
    uuid_di_halaman = page.input_value("input[name=uuid]")
    assert re.fullmatch(r"[0-9a-f-]{36}", uuid_di_halaman)
    # made on the device (crypto.randomUUID), replacing the one the server wrote
    assert uuid_di_halaman != uuid_dari_server

    # touch targets of at least 44 px: the attendance rows, the fields, the submit button
    for sasaran in [
        page.locator(".hadir-label").first,
        page.locator(f"input[name=pendapatan_{pengukur.pk}]"),
        page.locator("#kirim"),
    ]:
        assert sasaran.bounding_box()["height"] >= 44

    # tick 10 of 12 by tapping their rows
    for m in anggota[:10]:
        page.locator(f"#anggota-{m.pk} .hadir-label").tap()
    assert page.locator("input[name=hadir]:checked").count() == 10
    assert page.inner_text("#jumlah-hadir") == "10"
    page.fill(f"input[name=pendapatan_{pengukur.pk}]", "1.750.000")
    page.fill(f"input[name=angsuran_{peminjam.pk}]", "100000")
    page.select_option("select[name=jenis_kegiatan]", "pertemuan_kelompok")
    page.fill("textarea[name=ringkasan]", "Pembahasan pupuk dan jadwal tanam.")
    page.fill("textarea[name=tindak_lanjut]", "Hubungi penyuluh pertanian.")
    tanpa_gulir_samping(page)
    page.screenshot(path=str(tmp_path / "layar-pertemuan.png"), full_page=True)
    assert (tmp_path / "layar-pertemuan.png").stat().st_size > 0

    page.click("#kirim")
    page.wait_for_url(re.compile(r"/kunjungan/\d+/$"))
    assert "Kunjungan tercatat" in page.content()
    tanpa_gulir_samping(page)

    # in the database: one visit, 10 present, one reading, one instalment
    kunjungan = Kunjungan.objects.get()
    assert str(kunjungan.uuid) == uuid_di_halaman  # the uuid the device made
    assert kunjungan.hadir.count() == 10
    bacaan = PengukuranPendapatan.objects.get(kunjungan=kunjungan)
    assert (bacaan.mitra_id, bacaan.pendapatan_bulanan) == (pengukur.pk, Decimal("1750000"))
    angsuran = Angsuran.objects.get(kunjungan=kunjungan)
    assert (angsuran.bantuan_id, angsuran.jumlah) == (pinjaman.pk, Decimal("100000"))
    # the loan's remaining principal dropped by the instalment
    assert sisa_pokok(pinjaman, per_tanggal=hari_ini()) == sisa_sebelum - Decimal("100000")

    # the kelompok's page shows the visit on its timeline
    page.goto(live_server.url + kelompok.get_absolute_url())
    timeline = page.locator("#kunjungan-kelompok").inner_text()
    assert "10 hadir" in timeline
    assert "1 pengukuran pendapatan" in timeline
    assert "Rp100.000" in timeline
    tanpa_gulir_samping(page)

    # the mitra pages show attendance, the reading and the instalment from the visit
    page.goto(live_server.url + pengukur.get_absolute_url())
    panel = page.locator("#kunjungan-mitra").inner_text()
    assert "Hadir di 1 kunjungan" in panel
    assert "Rp1.750.000" in page.locator("#kunjungan-mitra-pengukuran").inner_text()
    tanpa_gulir_samping(page)
    page.goto(live_server.url + peminjam.get_absolute_url())
    assert "Rp100.000" in page.locator("#kunjungan-mitra-angsuran").inner_text()
    assert pinjaman.nomor in page.locator("#kunjungan-mitra-angsuran").inner_text()
    tanpa_gulir_samping(page)


def test_semua_hadir_ticks_everyone_and_errors_keep_the_input(
    transactional_db, live_server, personas, page
):
    kelompok, anggota = kelompok_dengan_anggota(personas.klaster_lebak, 4)
    peminjam = anggota[0]
    beri_pinjaman(personas, peminjam)
    page.context.add_cookies([_sesi(live_server, personas.fasilitator)])
    page.goto(live_server.url + f"{reverse('kunjungan:baru')}?kelompok={kelompok.pk}")
    page.click("#semua-hadir")
    assert page.locator("input[name=hadir]:checked").count() == 4
    page.fill(f"input[name=angsuran_{peminjam.pk}]", "5000000")  # above what is left
    page.fill("textarea[name=ringkasan]", "Catatan penting")
    uuid_awal = page.input_value("input[name=uuid]")
    page.click("#kirim")
    page.wait_for_selector(".baris-galat")
    assert page.locator(".baris-galat").count() == 1
    assert "melebihi sisa pokok" in page.locator(f"#anggota-{peminjam.pk}").inner_text()
    assert page.input_value("textarea[name=ringkasan]") == "Catatan penting"
    assert page.locator("input[name=hadir]:checked").count() == 4
    assert page.input_value("input[name=uuid]") == uuid_awal  # a resend is the same visit
    assert Kunjungan.objects.count() == 0
    tanpa_gulir_samping(page)


def _sesi(live_server, user):
    from django.conf import settings
    from django.test import Client

    c = Client()
    c.force_login(user)
    return {
        "name": settings.SESSION_COOKIE_NAME,
        "value": c.cookies[settings.SESSION_COOKIE_NAME].value,
        "url": live_server.url,
    }

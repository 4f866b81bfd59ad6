"""The facilitator's screens on a 360×740 phone and a 1366×768 laptop (issue 15, items 1-4):
an agenda for a home, tables that fit a phone, folded visit filters, one tap to call."""

import re

import pytest
from django.urls import reverse

from kunjungan.models import Kunjungan
from tests.e2e.conftest import masuk_sebagai, simpan_layar
from tests.e2e.tampilan_data import buat_program

pytestmark = pytest.mark.e2e

# "about three screens" of a 360×740 phone (issue 15, item 1)
TINGGI_BERANDA_MAKS = 2300


def tanpa_gulir_samping(page):
    lebar = page.viewport_size["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= lebar, page.url


def terlihat_utuh(page, selector):
    """The element is on screen horizontally: no column hidden off to the right."""
    kotak = page.locator(selector).first.bounding_box()
    assert kotak is not None, selector
    assert kotak["x"] >= 0 and kotak["x"] + kotak["width"] <= page.viewport_size["width"] + 1, (
        selector,
        kotak,
    )


def halaman_fasilitator(program):
    m = program.penunggak
    return [
        reverse("klaster:beranda"),
        reverse("mitra:list"),
        m.get_absolute_url(),
        reverse("kelompok:list"),
        program.kelompok[0].get_absolute_url(),
        reverse("bantuan:tunggakan"),
        reverse("kunjungan:list"),
        f"{reverse('kunjungan:baru')}?kelompok={program.kelompok[0].pk}",
        program.pinjaman.get_absolute_url(),
    ]


def test_no_page_of_the_facilitator_scrolls_sideways_on_a_phone(live_server, personas, page):
    program = buat_program(personas)
    masuk_sebagai(page, live_server, personas.fasilitator)
    for path in halaman_fasilitator(program):
        page.goto(live_server.url + path)
        tanpa_gulir_samping(page)
    # the figures that matter are on screen, not in a column off to the right
    page.goto(live_server.url + program.penunggak.get_absolute_url())
    terlihat_utuh(page, "#bantuan-mitra td[data-label='Sisa pokok']")
    terlihat_utuh(page, "#bantuan-mitra td[data-label='Tunggakan']")
    terlihat_utuh(page, "#pengukuran-mitra td[data-label='Pendapatan per bulan']")
    simpan_layar(page, "halaman-mitra")
    page.goto(live_server.url + reverse("bantuan:tunggakan"))
    terlihat_utuh(page, "#tabel-tunggakan td[data-label='Tunggakan']")
    terlihat_utuh(page, "#tabel-tunggakan td[data-label='Telepon']")
    page.goto(live_server.url + program.kelompok[0].get_absolute_url())
    terlihat_utuh(page, "#anggota-kelompok td[data-label='Status']")
    # money is never split across lines: one line of text in its cell
    page.goto(live_server.url + program.penunggak.get_absolute_url())
    sel = page.locator("#bantuan-mitra td[data-label='Jumlah']").first
    assert sel.evaluate("e => e.getClientRects().length") == 1
    tinggi = sel.evaluate("e => e.getBoundingClientRect().height")
    assert tinggi < 40, tinggi


def test_the_home_is_an_agenda_and_a_follow_up_typed_at_a_meeting_is_on_it(
    live_server, personas, page
):
    buat_program(personas)
    masuk_sebagai(page, live_server, personas.fasilitator)
    page.goto(live_server.url + reverse("klaster:beranda"))
    tanpa_gulir_samping(page)
    # about three phone screens (the Lebak demo's home: tests/e2e/test_tampilan_demo.py)
    tinggi = page.evaluate("document.documentElement.scrollHeight")
    assert tinggi <= TINGGI_BERANDA_MAKS, tinggi
    # nothing waits on the device: no queue banner
    assert not page.locator("#antrian-kunjungan").is_visible()
    # "Kelompok saya" one tap away, folded until then
    assert not page.locator("#daftar-kelompok-saya").is_visible()
    page.click("#ke-kelompok-saya")
    page.wait_for_function("() => document.getElementById('kelompok-saya').open")
    assert page.locator("#daftar-kelompok-saya li").count() == 9  # 8 + the personas' kelompok
    simpan_layar(page, "beranda-fasilitator")

    # the first kelompok on the list is visited, a follow-up typed at the meeting
    pertama = page.locator("#kunjungi-minggu-ini li.rencana").first
    nama = pertama.locator("a.nama-kelompok").inner_text()
    pertama.locator("a.tombol-catat").click()
    page.wait_for_url(re.compile(r"/kunjungan/baru/\?kelompok=\d+"))
    page.locator(".hadir-label").first.tap()
    page.fill("textarea[name=ringkasan]", "Pertemuan rutin.")
    page.fill("textarea[name=tindak_lanjut]", "Antar formulir pinjaman ke Bu Ketua")
    page.click("#kirim")
    page.wait_for_url(re.compile(r"/kunjungan/\d+/$"))
    assert Kunjungan.objects.filter(tindak_lanjut="Antar formulir pinjaman ke Bu Ketua").exists()

    page.goto(live_server.url + reverse("klaster:beranda"))
    tindak = page.locator("#tindak-lanjut li").first.inner_text()
    assert "Antar formulir pinjaman ke Bu Ketua" in tindak  # newest first, right after saving
    rencana = page.locator("#kunjungi-minggu-ini li.rencana")
    terakhir = rencana.nth(rencana.count() - 1)
    assert nama in terakhir.inner_text() and "Sudah dikunjungi" in terakhir.inner_text()
    assert "sudah dikunjungi" in page.inner_text("#kemajuan-minggu")
    tanpa_gulir_samping(page)


@pytest.mark.chromium_penuh  # the device's queue and the network cut (conftest.py)
def test_the_queue_banner_lists_what_waits_and_offers_sending_only_online(
    live_server, personas, page
):
    buat_program(personas)
    masuk_sebagai(page, live_server, personas.fasilitator)
    page.goto(live_server.url + reverse("klaster:beranda"))
    page.wait_for_function("() => window.Antrian !== undefined")
    page.evaluate(
        """() => Antrian.simpan({uuid: '00000000-0000-4000-8000-000000000001',
            url: '/kunjungan/baru/?kelompok=1', judul: 'Kunjungan LBK-11 Kelompok Usaha',
            tanggal: '2026-12-03', dibuat: Date.now(), isian: [], status: 'menunggu',
            pesan: [], galat: {}})"""
    )
    page.context.set_offline(True)
    page.evaluate("window.dispatchEvent(new Event('offline'))")
    page.wait_for_selector("#antrian-kunjungan:not([hidden])")
    teks = page.inner_text("#antrian-menunggu")
    assert "Kunjungan LBK-11 Kelompok Usaha" in teks and "3 Desember 2026" in teks
    assert not page.locator("#kirim-antrian").is_visible()  # no signal: nothing to press
    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    # back online it is sent at once (refused here: an empty form), or offered to send
    page.wait_for_function(
        "() => document.getElementById('kirim-antrian').hidden === false"
        " || document.getElementById('jumlah-antrian').textContent === '0'"
    )


def test_visit_history_filters_fold_on_a_phone_and_stay_open_on_a_laptop(
    live_server, personas, page, laptop
):
    buat_program(personas)
    masuk_sebagai(page, live_server, personas.fasilitator)
    page.goto(live_server.url + reverse("kunjungan:list"))
    assert page.locator("#tombol-saringan").is_visible()
    assert not page.locator("#saringan-kunjungan").is_visible()
    page.click("#tombol-saringan")
    page.wait_for_selector("#saringan-kunjungan.show")
    for nama in ["kelompok", "fasilitator", "jenis", "bulan"]:
        kotak = page.locator(f"#saringan-kunjungan select[name={nama}]").bounding_box()
        assert kotak["height"] >= 44 and kotak["x"] + kotak["width"] <= 360, (nama, kotak)
    tanpa_gulir_samping(page)
    simpan_layar(page, "riwayat-kunjungan")

    masuk_sebagai(laptop, live_server, personas.fasilitator)
    laptop.goto(live_server.url + reverse("kunjungan:list"))
    assert laptop.locator("#saringan-kunjungan").is_visible()
    assert not laptop.locator("#tombol-saringan").is_visible()
    simpan_layar(laptop, "riwayat-kunjungan")


@pytest.mark.parametrize("ukuran", ["page", "laptop"])
def test_calling_a_member_in_arrears_is_one_tap(live_server, personas, ukuran, request):
    page = request.getfixturevalue(ukuran)
    program = buat_program(personas)
    m = program.penunggak
    masuk_sebagai(page, live_server, personas.fasilitator)
    page.goto(live_server.url + reverse("bantuan:tunggakan"))
    assert page.locator(f"#tabel-tunggakan a[href='tel:{m.telepon}']").count() == 1
    page.goto(live_server.url + m.get_absolute_url())
    assert page.locator(f"#telepon-mitra a[href='tel:{m.telepon}']").is_visible()


@pytest.mark.parametrize("ukuran", ["laptop"])
def test_facilitator_screens_on_a_laptop(live_server, personas, laptop, ukuran):
    program = buat_program(personas)
    masuk_sebagai(laptop, live_server, personas.fasilitator)
    for path, nama in [
        (reverse("klaster:beranda"), "beranda-fasilitator"),
        (program.penunggak.get_absolute_url(), "halaman-mitra"),
    ]:
        laptop.goto(live_server.url + path)
        tanpa_gulir_samping(laptop)
        simpan_layar(laptop, nama)

"""Offline meeting screen (issue 9), in Debian's Chromium: a visit recorded with no signal
waits on the phone and arrives exactly once; a refused one comes back with the reason."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from bantuan.models import Angsuran
from bantuan.selectors import sisa_pokok
from bantuan.services import angsuran_catat
from kelompok.tests.factories import KelompokFactory
from kunjungan.models import Kunjungan
from kunjungan.tests.kunjungan_data import beri_pinjaman, hari_ini, kelompok_dengan_anggota
from mitra.models import Mitra, PengukuranPendapatan

# Service-worker installation and Background Sync run on Chromium's own schedule; on a busy
# 2-core machine a wait now and then runs out (about one run in five here). A rerun keeps CI
# honest without hiding a real break: a broken offline layer fails all three attempts.
# The offline layer runs in the full browser, as a facilitator's phone runs it (conftest.py).
pytestmark = [pytest.mark.e2e, pytest.mark.chromium_penuh, pytest.mark.flaky(reruns=2)]

SANDI = "kata-sandi-uji-123"  # noqa: S105 (the factories' test password)


def masuk(page, live_server, username="fasilitator"):
    page.goto(live_server.url + reverse("akun:masuk"))
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", SANDI)
    page.click("form [type=submit]")
    page.wait_for_url(live_server.url + reverse("klaster:beranda"))


def buka_layar_pertemuan(page, live_server, kelompok):
    """Open the meeting screen with signal and wait until the service worker controls it
    and keeps a copy of it."""
    url = f"{live_server.url}{reverse('kunjungan:baru')}?kelompok={kelompok.pk}"
    page.goto(url)
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    # a page whose load did not pass through the worker (it took control while the page
    # was loading, or only after) was not kept: the next load is controlled and kept
    if not page.evaluate(
        "!!navigator.serviceWorker.controller"
        " && performance.getEntriesByType('navigation')[0].workerStart > 0"
    ):
        page.reload()
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    # page.evaluate awaits a promise (wait_for_function would not): poll for the copy
    for _ in range(100):
        if page.evaluate(
            "caches.open('km-halaman').then(c => c.match(location.href, {ignoreVary: true}))"
            ".then(r => !!r)"
        ):
            return url
        page.wait_for_timeout(100)
    status = page.evaluate("fetch(location.href).then(r => [r.status, r.redirected, r.url])")
    raise AssertionError(f"the service worker kept no copy of {url} ({page.title()}, {status})")


def antrian(page):
    return page.evaluate("Antrian.semua()")


def tunggu_antrian_kosong(page, detik=20):
    for _ in range(detik * 10):
        if not antrian(page):
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"still queued: {antrian(page)}")


def jumlah(page, id_):
    return page.inner_text(f"#{id_}")


def test_two_visits_recorded_offline_arrive_exactly_once(
    transactional_db, live_server, personas, page
):
    kelompok, anggota = kelompok_dengan_anggota(personas.klaster_lebak, 4, kode="LBK-21")
    pinjaman = beri_pinjaman(personas, anggota[1])
    sisa_sebelum = sisa_pokok(pinjaman, per_tanggal=hari_ini())
    masuk(page, live_server)
    buka_layar_pertemuan(page, live_server, kelompok)
    assert jumlah(page, "jumlah-antrian") == "0"

    page.context.set_offline(True)
    assert page.evaluate("navigator.onLine") is False
    # the photo field says it will not be kept without signal
    assert page.locator("#catatan-foto-luring").is_visible()

    # visit 1: two present, one income reading, one instalment
    uuid1 = page.input_value("input[name=uuid]")
    page.locator(f"#anggota-{anggota[0].pk} .hadir-label").tap()
    page.locator(f"#anggota-{anggota[1].pk} .hadir-label").tap()
    page.fill(f"input[name=pendapatan_{anggota[0].pk}]", "1.250.000")
    page.fill(f"input[name=angsuran_{anggota[1].pk}]", "100000")
    page.fill("textarea[name=ringkasan]", "Pertemuan pertama tanpa sinyal.")
    page.click("#kirim")
    page.wait_for_function("() => document.getElementById('jumlah-antrian').textContent === '1'")
    assert "disimpan di perangkat" in page.inner_text("#pemberitahuan-antrian")
    # a fresh form for the next visit: new uuid, nobody ticked, the button usable
    uuid2 = page.input_value("input[name=uuid]")
    assert re.fullmatch(r"[0-9a-f-]{36}", uuid2) and uuid2 != uuid1
    assert page.locator("input[name=hadir]:checked").count() == 0
    assert page.input_value(f"input[name=angsuran_{anggota[1].pk}]") == ""
    page.wait_for_function("() => !document.getElementById('kirim').disabled")

    # visit 2: one present
    page.locator(f"#anggota-{anggota[2].pk} .hadir-label").tap()
    page.fill("textarea[name=ringkasan]", "Pertemuan kedua tanpa sinyal.")
    page.click("#kirim")
    page.wait_for_function("() => document.getElementById('jumlah-antrian').textContent === '2'")
    assert "kunjungan menunggu dikirim" in page.inner_text("#antrian-kunjungan")
    tersimpan = antrian(page)
    assert [e["uuid"] for e in tersimpan] == [uuid1, uuid2]  # oldest first
    assert Kunjungan.objects.count() == 0

    # reload without signal: the service worker serves the page, the queue is still there
    jawaban = page.reload()
    assert jawaban.from_service_worker
    page.wait_for_function("() => document.getElementById('jumlah-antrian').textContent === '2'")
    assert page.locator("input[name=hadir]").count() == 4
    uuid3 = page.input_value("input[name=uuid]")
    assert uuid3 not in (uuid1, uuid2)  # made on the device, not the cached page's
    assert Kunjungan.objects.count() == 0

    # signal returns: the queue is sent and empties
    page.context.set_offline(False)
    page.wait_for_function(
        "() => document.getElementById('jumlah-antrian').textContent === '0'", timeout=20000
    )
    assert antrian(page) == []

    kunjungan = {str(k.uuid): k for k in Kunjungan.objects.all()}
    assert set(kunjungan) == {uuid1, uuid2}
    k1, k2 = kunjungan[uuid1], kunjungan[uuid2]
    assert sorted(k1.hadir.values_list("pk", flat=True)) == sorted([anggota[0].pk, anggota[1].pk])
    assert list(k2.hadir.values_list("pk", flat=True)) == [anggota[2].pk]
    assert k1.ringkasan == "Pertemuan pertama tanpa sinyal."
    bacaan = PengukuranPendapatan.objects.get()
    assert (bacaan.kunjungan_link.kunjungan_id, bacaan.mitra_id, bacaan.pendapatan_bulanan) == (
        k1.pk,
        anggota[0].pk,
        Decimal("1250000"),
    )
    angsuran = Angsuran.objects.get()
    assert (angsuran.kunjungan_link.kunjungan_id, angsuran.jumlah) == (k1.pk, Decimal("100000"))
    assert sisa_pokok(pinjaman, per_tanggal=hari_ini()) == sisa_sebelum - Decimal("100000")

    # a second send of the same stored visit (another tab, a lost answer) changes nothing
    page.evaluate("e => Antrian.simpan(e)", tersimpan[0])
    page.evaluate("Antrian.kirimSemua({csrf: '/akun/csrf/'})")
    assert antrian(page) == []
    assert (Kunjungan.objects.count(), PengukuranPendapatan.objects.count()) == (2, 1)
    assert Angsuran.objects.count() == 1


def test_a_refused_visit_comes_back_with_the_reason_and_can_be_fixed(
    transactional_db, live_server, personas, page
):
    kelompok, anggota = kelompok_dengan_anggota(personas.klaster_lebak, 3, kode="LBK-22")
    pinjaman = beri_pinjaman(personas, anggota[1])  # Rp1.200.000
    peminjam = anggota[1]
    masuk(page, live_server)
    buka_layar_pertemuan(page, live_server, kelompok)

    page.context.set_offline(True)
    uuid = page.input_value("input[name=uuid]")
    page.locator(f"#anggota-{peminjam.pk} .hadir-label").tap()
    page.fill(f"input[name=angsuran_{peminjam.pk}]", "100000")
    page.click("#kirim")
    page.wait_for_function("() => document.getElementById('jumlah-antrian').textContent === '1'")

    # meanwhile the manager records a repayment: Rp50.000 of principal is left
    angsuran_catat(
        bantuan=pinjaman, jumlah=Decimal("1150000"), tanggal=hari_ini(), oleh=personas.manajer
    )

    page.context.set_offline(False)
    page.wait_for_selector("#kunjungan-tertunda li.kunjungan-tertunda", timeout=20000)
    assert jumlah(page, "jumlah-antrian") == "0"
    assert jumlah(page, "jumlah-ditolak") == "1"
    pesan = page.inner_text("#kunjungan-tertunda")
    assert peminjam.nama in pesan
    assert "Rp50.000" in pesan  # the server's reason: what is left to repay
    # not lost: still on the device, marked refused, with the server's message
    [entri] = antrian(page)
    assert (entri["uuid"], entri["status"]) == (uuid, "ditolak")
    assert any("Rp50.000" in p for p in entri["pesan"])
    assert not Kunjungan.objects.filter(uuid=uuid).exists()

    # the facilitator fixes the amount and sends it again
    page.click("#kunjungan-tertunda button[data-aksi=ubah]")
    page.wait_for_function("() => document.getElementById('form-kunjungan').dataset.ubah")
    isian = page.locator(f"input[name=angsuran_{peminjam.pk}]")
    assert isian.input_value() == "100000"
    assert "is-invalid" in isian.get_attribute("class")
    assert page.input_value("input[name=uuid]") == uuid
    assert page.locator(f"#anggota-{peminjam.pk} input[name=hadir]").is_checked()
    isian.fill("50000")
    page.click("#kirim")
    tunggu_antrian_kosong(page)
    page.wait_for_function("() => document.getElementById('jumlah-antrian').textContent === '0'")
    assert page.locator("#kunjungan-tertunda li").count() == 0
    kunjungan = Kunjungan.objects.get(uuid=uuid)
    assert Angsuran.objects.get(kunjungan=kunjungan).jumlah == Decimal("50000")
    assert sisa_pokok(pinjaman, per_tanggal=hari_ini()) == Decimal("0")


def test_sign_out_warns_about_unsent_visits_then_clears_the_device(
    transactional_db, live_server, personas, page
):
    kelompok, anggota = kelompok_dengan_anggota(personas.klaster_lebak, 2, kode="LBK-23")
    masuk(page, live_server)
    buka_layar_pertemuan(page, live_server, kelompok)
    # the member moves to another kelompok after the screen was loaded: the server refuses
    # the visit whenever it arrives (the service worker's Background Sync may send it before
    # the page does, as set_offline does not hold the worker back), so it stays on the device
    Mitra.objects.filter(pk=anggota[0].pk).update(kelompok=KelompokFactory(kode="LBK-99"))
    page.context.set_offline(True)
    page.locator(f"#anggota-{anggota[0].pk} .hadir-label").tap()
    page.click("#kirim")
    page.wait_for_function("() => document.getElementById('jumlah-antrian').textContent === '1'")
    page.context.set_offline(False)

    dialog = []

    def tolak_dulu(d):
        dialog.append(d.message)
        d.dismiss() if len(dialog) == 1 else d.accept()

    page.on("dialog", tolak_dulu)
    page.click(".navbar-toggler")  # the phone's collapsed menu
    page.locator("#form-keluar button").click()
    for _ in range(50):
        if dialog:
            break
        page.wait_for_timeout(100)
    assert dialog and "1 kunjungan" in dialog[0]
    assert len(antrian(page)) == 1  # cancelled: nothing wiped, still signed in

    page.locator("#form-keluar button").click()
    page.wait_for_url(re.compile(r"/akun/masuk/"))
    assert len(dialog) == 2
    assert page.evaluate("caches.keys()") == []
    nama_db = page.evaluate("indexedDB.databases().then(d => d.map(x => x.name))")
    assert "klaster-mandiri" not in nama_db
    assert Kunjungan.objects.count() == 0


def test_meeting_form_works_without_javascript(transactional_db, live_server, personas, browser):
    kelompok, anggota = kelompok_dengan_anggota(personas.klaster_lebak, 3, kode="LBK-24")
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 360, "height": 740}, locale="id-ID"
    )
    page = context.new_page()
    try:
        masuk(page, live_server)
        page.goto(f"{live_server.url}{reverse('kunjungan:baru')}?kelompok={kelompok.pk}")
        assert page.locator("#antrian-kunjungan").count() == 0
        uuid = page.input_value("input[name=uuid]")
        page.check(f"#anggota-{anggota[0].pk} input[name=hadir]")
        page.fill("textarea[name=ringkasan]", "Tanpa JavaScript.")
        page.click("#kirim")
        page.wait_for_url(re.compile(r"/kunjungan/\d+/$"))
        assert "Kunjungan tercatat" in page.content()
        kunjungan = Kunjungan.objects.get()
        assert str(kunjungan.uuid) == uuid  # the server's uuid, untouched
        assert list(kunjungan.hadir.values_list("pk", flat=True)) == [anggota[0].pk]
    finally:
        context.close()

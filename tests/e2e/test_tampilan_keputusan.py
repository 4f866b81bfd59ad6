"""Registering a mitra and deciding on financing in the browser (issue 15, items 5 and 6),
on a 360×740 phone and a 1366×768 laptop: the NIK fills birth date and gender, the proposer
is refused, approval and disbursement ask for confirmation, the recipient is found by name
and by NIK, and the report and the financing list do not scroll sideways on a phone."""

import re

import pytest
from django.urls import reverse

from bantuan.models import Bantuan
from bantuan.tests.factories import SumberDanaFactory
from klaster.models import Penugasan
from klaster.tests.factories import PenugasanFactory, UserFactory
from mitra.models import Mitra, PengukuranPendapatan
from mitra.tests.factories import MitraFactory
from tests.e2e.conftest import masuk_sebagai, simpan_layar
from tests.e2e.tampilan_data import buat_program
from tests.e2e.test_aksesibilitas import pelanggaran_berat

pytestmark = pytest.mark.e2e

NIK_PEREMPUAN = "3602064501850002"  # 5 January 1985, a woman (day 05 + 40)


def tanpa_gulir_samping(page, dalam="main"):
    """Neither the page nor any table frame in `dalam` scrolls sideways."""
    lebar = page.viewport_size["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= lebar, page.url
    lebar_bingkai = page.evaluate(
        """s => [...document.querySelectorAll(s)].flatMap(b =>
            [...b.querySelectorAll('.table-responsive')])
            .filter(d => d.offsetParent !== null && d.scrollWidth > d.clientWidth + 1)
            .map(d => (d.querySelector('table') || d).id || d.outerHTML.slice(0, 80))""",
        dalam,
    )
    assert lebar_bingkai == [], (page.url, " ".join(lebar_bingkai))


def tanpa_pelanggaran(page):
    temuan = pelanggaran_berat(page)
    assert not temuan, "\n".join(temuan)


@pytest.mark.parametrize("ukuran", ["page", "laptop"])
def test_typing_the_nik_fills_birth_date_and_gender(live_server, personas, ukuran, request):
    layar = request.getfixturevalue(ukuran)
    ada = MitraFactory(klaster=personas.klaster_lebak, nama="Ujang Sutisna")
    masuk_sebagai(layar, live_server, personas.fasilitator)
    layar.goto(live_server.url + reverse("mitra:tambah"))
    # a new member: no exit date; an optional baseline income
    assert layar.locator("#id_tanggal_keluar").count() == 0
    assert layar.locator("#id_pendapatan_awal").is_visible()

    layar.locator("#id_nik").press_sequentially("3602 0645 0185 0002", delay=15)
    layar.wait_for_function("() => document.getElementById('id_tanggal_lahir').value !== ''")
    assert layar.input_value("#id_tanggal_lahir") == "1985-01-05"
    assert layar.input_value("#id_jenis_kelamin") == "P"
    assert "NIK sesuai aturan: lahir 5 Januari 1985, Perempuan." in layar.inner_text("#nik-hasil")
    simpan_layar(layar, "tambah-mitra")
    tanpa_pelanggaran(layar)

    # another NIK replaces what the NIK filled in
    layar.fill("#id_nik", "3602061205800001")
    layar.wait_for_function("() => document.getElementById('id_jenis_kelamin').value === 'L'")
    assert layar.input_value("#id_tanggal_lahir") == "1980-05-12"

    # a date the user sets is kept, and the server's warning says what differs
    layar.fill("#id_tanggal_lahir", "1980-05-13")
    layar.locator("#id_tanggal_lahir").dispatch_event("change")
    layar.wait_for_function(
        "() => document.getElementById('nik-hasil').textContent.includes('berbeda')"
    )
    assert layar.input_value("#id_tanggal_lahir") == "1980-05-13"

    # a bad NIK: the server's message while typing
    layar.fill("#id_nik", "9901011205800001")
    layar.locator("#id_nik").dispatch_event("change")
    layar.wait_for_function(
        "() => document.getElementById('nik-hasil').textContent.includes('kode kecamatan')"
    )
    assert "is-invalid" in layar.get_attribute("#id_nik", "class")

    # a duplicate in the user's scope links to that mitra
    layar.fill("#id_nik", ada.nik)
    layar.locator("#id_nik").dispatch_event("change")
    layar.wait_for_selector("#nik-duplikat")
    assert layar.get_attribute("#nik-duplikat", "href") == ada.get_absolute_url()
    assert "Ujang Sutisna" in layar.inner_text("#nik-hasil")


def test_the_registration_saves_the_member_and_the_baseline(live_server, personas, page):
    masuk_sebagai(page, live_server, personas.fasilitator)
    page.goto(live_server.url + reverse("mitra:tambah"))
    page.locator("#id_nik").press_sequentially(NIK_PEREMPUAN, delay=10)
    page.wait_for_function("() => document.getElementById('id_jenis_kelamin').value === 'P'")
    page.fill("#id_nama", "Euis Kurniasih")
    page.select_option("#id_desa", index=1)
    page.select_option("#id_sektor", "umkm")
    page.fill("#id_pendapatan_awal", "1.250.000")
    page.click("#submit-id-simpan")
    page.wait_for_url(re.compile(r"/mitra/\d+/$"))
    m = Mitra.objects.get(nik=NIK_PEREMPUAN)
    assert (m.jenis_kelamin, m.tanggal_lahir.isoformat()) == ("P", "1985-01-05")
    baseline = PengukuranPendapatan.objects.get(mitra=m)
    assert baseline.jenis == "baseline" and baseline.pendapatan_bulanan == 1250000


@pytest.mark.parametrize("ukuran", ["laptop", "page"])
def test_the_proposer_is_refused_when_approving_their_own_proposal(
    live_server, personas, ukuran, request
):
    layar = request.getfixturevalue(ukuran)
    program = buat_program(personas)
    penerima = program.anggota[5][0]
    masuk_sebagai(layar, live_server, personas.manajer)
    # the manager proposes through the page, finding the recipient by name
    layar.goto(live_server.url + reverse("bantuan:ajukan"))
    layar.locator("#id_q").press_sequentially(penerima.nama[:6], delay=20)
    layar.wait_for_selector("#saran-penerima [role=option]")
    layar.locator("#saran-penerima [role=option]", has_text=penerima.nama).first.click()
    assert layar.input_value("#id_mitra") == str(penerima.pk)
    layar.select_option("#id_jenis", "modal_bergulir")
    layar.select_option("#id_sumber_dana", index=1)
    layar.fill("#id_jumlah", "1.500.000")
    layar.fill("#id_tenor_bulan", "10")
    layar.click("#submit-id-submit")
    layar.wait_for_url(re.compile(r"/bantuan/\d+/$"))
    b = Bantuan.objects.get(mitra=penerima, diajukan_oleh=personas.manajer)

    layar.goto(live_server.url + reverse("bantuan:setujui", args=[b.pk]))
    refusal = layar.inner_text("#empat-mata")
    assert "Tidak bisa Anda setujui" in refusal and "manajer lain" in refusal
    assert layar.locator("#form-setujui").count() == 0
    # a request sent anyway (an old tab, a crafted form) is refused by the server
    token = next(c["value"] for c in layar.context.cookies() if c["name"] == "csrftoken")
    jawaban = layar.request.post(
        live_server.url + reverse("bantuan:setujui", args=[b.pk]),
        form={"csrfmiddlewaretoken": token, "konfirmasi": "on"},
        headers={"Referer": live_server.url},
    )
    assert jawaban.status == 422 and "manajer lain" in jawaban.text()
    b.refresh_from_db()
    assert b.status == Bantuan.Status.DIAJUKAN


@pytest.mark.parametrize("ukuran", ["laptop", "page"])
def test_approval_and_disbursement_ask_for_confirmation(live_server, personas, ukuran, request):
    layar = request.getfixturevalue(ukuran)
    program = buat_program(personas)
    b = program.pengajuan  # proposed by the facilitator
    masuk_sebagai(layar, live_server, personas.manajer)
    layar.goto(live_server.url + b.get_absolute_url())
    layar.click("#tinjau-keputusan")
    layar.wait_for_selector("#konteks-keputusan")
    # the context: other loans, arrears, income, the group's PAR30, the fund
    for bagian in ["pinjaman-lain", "tunggakan", "pendapatan", "par30", "dana"]:
        assert layar.locator(f"#konteks-{bagian} .nilai").is_visible(), bagian
    tanpa_gulir_samping(layar)
    simpan_layar(layar, "persetujuan-bantuan")
    tanpa_pelanggaran(layar)

    # not ticked: nothing happens but a message
    layar.click("#form-setujui button[type=submit]")
    layar.wait_for_selector("text=Centang kotak konfirmasi ini untuk melanjutkan.")
    b.refresh_from_db()
    assert b.status == Bantuan.Status.DIAJUKAN
    layar.check("#id_konfirmasi")
    layar.click("#form-setujui button[type=submit]")
    layar.wait_for_url(re.compile(r"/bantuan/\d+/$"))
    assert "Disetujui" in layar.inner_text("h1 .status-bantuan")

    layar.click("#ke-pencairan")
    layar.wait_for_selector("#form-cairkan")
    assert "Rp2.500.000" in layar.inner_text("#ringkas-jumlah")
    tanpa_pelanggaran(layar)
    layar.click("#form-cairkan button[type=submit]")
    layar.wait_for_selector("text=Centang kotak konfirmasi ini untuk melanjutkan.")
    b.refresh_from_db()
    assert b.status == Bantuan.Status.DISETUJUI
    layar.check("#id_konfirmasi")
    layar.click("#form-cairkan button[type=submit]")
    layar.wait_for_url(re.compile(r"/bantuan/\d+/#langkah-berikutnya$"))
    # next: the schedule and recording an instalment; the write-off behind a menu
    assert layar.locator("#langkah-jadwal").is_visible()
    assert layar.locator("#langkah-catat-angsuran").is_visible()
    assert not layar.locator("#ke-hapus-buku").is_visible()
    layar.click("#tindakan-lain summary")
    assert layar.locator("#ke-hapus-buku").is_visible()
    simpan_layar(layar, "setelah-pencairan")
    layar.click("#ke-hapus-buku")
    layar.wait_for_selector("#form-hapus-buku")
    tanpa_pelanggaran(layar)
    layar.fill("#id_alasan", "Usaha tutup, mitra pindah ke luar kota.")
    layar.click("#form-hapus-buku button[type=submit]")
    layar.wait_for_selector("text=Centang kotak konfirmasi ini untuk melanjutkan.")
    b.refresh_from_db()
    assert b.status == Bantuan.Status.DICAIRKAN


def test_a_second_manager_approves_a_managers_proposal(live_server, personas, laptop):
    program = buat_program(personas)
    manajer2 = UserFactory(username="manajer2", grup="Manajer Program")
    PenugasanFactory(
        pengguna=manajer2, klaster=personas.klaster_lebak, peran=Penugasan.Peran.MANAJER
    )
    from bantuan.services import bantuan_ajukan

    b = bantuan_ajukan(
        oleh=personas.manajer,
        klaster=personas.klaster_lebak,
        jenis=Bantuan.Jenis.HIBAH_MODAL,
        sumber_dana=SumberDanaFactory(),
        jumlah=500000,
        tanggal_pengajuan=program.pengajuan.tanggal_pengajuan,
        mitra=program.anggota[6][0],
    )
    masuk_sebagai(laptop, live_server, manajer2)
    laptop.goto(live_server.url + reverse("bantuan:setujui", args=[b.pk]))
    laptop.check("#id_konfirmasi")
    laptop.click("#form-setujui button[type=submit]")
    laptop.wait_for_url(re.compile(r"/bantuan/\d+/$"))
    b.refresh_from_db()
    assert b.status == Bantuan.Status.DISETUJUI and b.disetujui_oleh == manajer2


@pytest.mark.parametrize("ukuran", ["page", "laptop"])
def test_the_recipient_search_finds_by_name_and_by_nik(live_server, personas, ukuran, request):
    layar = request.getfixturevalue(ukuran)
    program = buat_program(personas)
    a, b = program.anggota[2][1], program.anggota[3][2]
    masuk_sebagai(layar, live_server, personas.fasilitator)
    layar.goto(live_server.url + reverse("bantuan:ajukan"))
    # by name
    layar.locator("#id_q").press_sequentially(a.nama[:7], delay=20)
    layar.wait_for_selector("#saran-penerima [role=option]")
    assert a.nama in layar.inner_text("#saran-penerima")
    assert layar.get_attribute("#id_q", "aria-expanded") == "true"
    tanpa_pelanggaran(layar)
    simpan_layar(layar, "cari-penerima")
    layar.locator("#saran-penerima [role=option]", has_text=a.nama).first.click()
    assert layar.input_value("#id_mitra") == str(a.pk)
    assert a.nama in layar.inner_text("#penerima-terpilih")
    # by the first digits of the NIK, chosen with the keyboard
    layar.fill("#id_q", "")
    layar.locator("#id_q").press_sequentially(b.nik[:12], delay=20)
    layar.wait_for_function(
        "n => [...document.querySelectorAll('#saran-penerima [role=option]')]"
        ".some(o => o.textContent.includes(n))",
        arg=b.nama,
    )
    opsi = layar.locator("#saran-penerima [role=option]")
    urutan = [opsi.nth(i).inner_text() for i in range(opsi.count())]
    langkah = next(i for i, t in enumerate(urutan) if b.nama in t) + 1
    for _ in range(langkah):
        layar.press("#id_q", "ArrowDown")
    layar.press("#id_q", "Enter")
    assert layar.input_value("#id_mitra") == str(b.pk)
    assert layar.input_value("#id_kelompok") == ""
    assert b.nik not in layar.content()  # only masked
    tanpa_gulir_samping(layar)


def test_the_recipient_search_works_without_javascript(live_server, personas, browser):
    program = buat_program(personas)
    a = program.anggota[2][1]
    konteks = browser.new_context(
        viewport={"width": 360, "height": 740}, java_script_enabled=False, locale="id-ID"
    )
    halaman = konteks.new_page()
    try:
        masuk_sebagai(halaman, live_server, personas.fasilitator)
        halaman.goto(live_server.url + reverse("bantuan:ajukan"))
        halaman.fill("#id_q", a.nik[:10])
        halaman.click("#form-cari-penerima button[type=submit]")
        halaman.wait_for_selector("#daftar-hasil-cari")
        halaman.locator("#daftar-hasil-cari li", has_text=a.nama).get_by_role("link").click()
        halaman.wait_for_selector("#penerima-terpilih.alert-success")
        assert a.nama in halaman.inner_text("#penerima-terpilih")
        assert halaman.locator("#id_mitra").input_value() == str(a.pk)
    finally:
        konteks.close()


@pytest.mark.parametrize("ukuran", ["page", "laptop"])
def test_the_report_and_the_financing_list_do_not_scroll_sideways(
    live_server, personas, ukuran, request
):
    layar = request.getfixturevalue(ukuran)
    buat_program(personas)
    masuk_sebagai(layar, live_server, personas.manajer)
    layar.goto(live_server.url + reverse("laporan:dampak"))
    # the report's own sections (templates/laporan/dampak/_isi.html) and the programme's
    # (templates/program/includes/_laporan.html)
    tanpa_gulir_samping(
        layar,
        "#ringkasan, #orang, #uang, #pendapatan, #kegiatan,"
        " #kegiatan-program, #akses-pasar, #modal-sosial, #cibest",
    )
    assert layar.locator("#cibest").is_visible()
    simpan_layar(layar, "laporan-dampak")
    layar.goto(live_server.url + reverse("bantuan:list"))
    tanpa_gulir_samping(layar)
    # the badges tell the states apart by colour
    warna = layar.evaluate(
        """() => Object.fromEntries([...document.querySelectorAll('.status-bantuan')]
            .map(e => [e.textContent.trim(), getComputedStyle(e).backgroundColor]))"""
    )
    assert len(warna) >= 2 and len(set(warna.values())) == len(warna), warna
    simpan_layar(layar, "daftar-bantuan")
    tanpa_pelanggaran(layar)

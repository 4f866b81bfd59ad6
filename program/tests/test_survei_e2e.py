"""The phone survey screen in Debian's Chromium at 360×740: members one after the other, an
offline round kept on the phone and sent exactly once when the signal returns."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from klaster.tests.factories import PenugasanFactory, UserFactory
from mitra.tests.factories import MitraFactory
from program.models import JawabanSurvei, PutaranSurvei

# The offline layer runs in the full browser, as a facilitator's phone runs it (conftest.py).
pytestmark = [pytest.mark.e2e, pytest.mark.chromium_penuh, pytest.mark.flaky(reruns=2)]

SANDI = "kata-sandi-uji-123"  # noqa: S105 (the factories' test password)


@pytest.fixture
def page(browser):
    context = browser.new_context(
        viewport={"width": 360, "height": 740},
        device_scale_factor=1,  # as tests/e2e/conftest.py's phone
        is_mobile=True,
        has_touch=True,
        locale="id-ID",
        timezone_id="Asia/Jakarta",
    )
    context.set_default_timeout(15000)
    halaman = context.new_page()
    yield halaman
    context.close()


def masuk(page, live_server, username="fasilitator"):
    page.goto(live_server.url + reverse("akun:masuk"))
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", SANDI)
    page.click("form [type=submit]")
    page.wait_for_url(live_server.url + reverse("klaster:beranda"))


def buka_dan_simpan_di_perangkat(page, url):
    """Open the screen with signal; wait until the service worker controls it and keeps a
    copy (as the meeting screen's browser test does)."""
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
    # the copy is written after the response; on a loaded CI machine it can take a while,
    # and a page opened before the worker took control is kept only on the next load
    for i in range(300):
        if page.evaluate(
            "caches.open('km-halaman').then(c => c.match(location.href, {ignoreVary: true}))"
            ".then(r => !!r)"
        ):
            return
        if i in (50, 150):
            page.reload()
        page.wait_for_timeout(100)
    raise AssertionError(f"the service worker kept no copy of {url}")


def isi_jawaban(page, mitra, *, pendapatan, skala):
    bagian = page.locator(f"#anggota-{mitra.pk}")
    assert bagian.is_visible()
    for kode in ("r1", "r2", "r3", "r4", "k1", "k2", "k3", "k4", "j1", "j2", "j3", "j4"):
        bagian.locator(f"label[for=id_{mitra.pk}_ms_{kode}_{skala - 1}]").tap()
    bagian.locator("input[name=pendapatan_rumah_tangga]").fill(pendapatan)
    for kode in ("shalat", "puasa", "zakat_infak", "lingkungan_keluarga", "kebijakan_pemerintah"):
        bagian.locator(f"label[for=id_{mitra.pk}_{kode}_3]").tap()  # "4. ..."
    bagian.locator("button[type=submit]").tap()


def antrian(page):
    return page.evaluate("Antrian.semua()")


def test_an_offline_survey_round_is_sent_exactly_once(
    transactional_db, live_server, personas, page
):
    hari_ini = timezone.localdate()
    kelompok = personas.kelompok_lebak
    anggota = [
        MitraFactory(nama=nama, kelompok=kelompok, jumlah_anggota_keluarga=4)
        for nama in ("Ani", "Badu", "Cici")
    ]
    manajer = UserFactory(username="manajer_survei", grup="Manajer Program")
    PenugasanFactory(pengguna=manajer, klaster=personas.klaster_lebak, peran="manajer")
    putaran = PutaranSurvei.objects.create(
        klaster=personas.klaster_lebak,
        nama="Endline lapangan",
        jenis=PutaranSurvei.Jenis.ENDLINE,
        tanggal_mulai=hari_ini - datetime.timedelta(days=7),
        dibuat_oleh=manajer,
    )
    url = live_server.url + reverse("program:survei_isi", args=[putaran.pk, kelompok.pk])
    masuk(page, live_server)
    buka_dan_simpan_di_perangkat(page, url)
    # one member at a time on the phone; nothing wider than the screen
    assert page.locator(f"#anggota-{anggota[0].pk}").is_visible()
    assert not page.locator(f"#anggota-{anggota[1].pk}").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    page.context.set_offline(True)
    assert page.evaluate("navigator.onLine") is False
    isi_jawaban(page, anggota[0], pendapatan="1.500.000", skala=4)
    page.wait_for_function("() => Antrian.semua().then(d => d.length === 1)")
    # the next member comes up by itself
    page.wait_for_selector(f"#anggota-{anggota[1].pk}:not([hidden])")
    isi_jawaban(page, anggota[1], pendapatan="900000", skala=2)
    page.wait_for_function("() => Antrian.semua().then(d => d.length === 2)")
    tersimpan = antrian(page)
    assert [e["status"] for e in tersimpan] == ["menunggu", "menunggu"]
    assert JawabanSurvei.objects.count() == 0
    status = page.locator(f".tombol-anggota[data-mitra='{anggota[0].pk}'] .status-anggota")
    assert status.get_attribute("data-status") == "menunggu"

    # reload without signal: the service worker serves the screen, the answers wait on it
    jawaban = page.reload()
    assert jawaban.from_service_worker
    page.wait_for_function(
        f"() => document.querySelector(\".tombol-anggota[data-mitra='{anggota[1].pk}'] "
        ".status-anggota\").dataset.status === 'menunggu'"
    )
    assert len(antrian(page)) == 2

    # the signal returns: both are sent, the queue empties
    page.context.set_offline(False)
    for _ in range(200):
        if not antrian(page):
            break
        page.wait_for_timeout(100)
    assert antrian(page) == []
    assert JawabanSurvei.objects.count() == 2
    a0 = JawabanSurvei.objects.get(mitra=anggota[0])
    assert str(a0.uuid) == tersimpan[0]["uuid"]
    assert a0.pendapatan_rumah_tangga == 1500000
    assert str(a0.indeks_modal_sosial) == "75.00" and str(a0.skor_spiritual) == "4.00"
    a1 = JawabanSurvei.objects.get(mitra=anggota[1])
    assert str(a1.indeks_modal_sosial) == "25.00"

    # the same stored answers sent again (another tab, a lost reply): nothing doubles
    for entri in tersimpan:
        page.evaluate("e => Antrian.simpan(e)", entri)
    page.evaluate("Antrian.kirimSemua({csrf: '/akun/csrf/'})")
    assert antrian(page) == []
    assert JawabanSurvei.objects.count() == 2
    assert not JawabanSurvei.objects.filter(mitra=anggota[2]).exists()

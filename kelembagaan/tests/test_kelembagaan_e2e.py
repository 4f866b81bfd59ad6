"""The new pages of issue 17 items 3-5 in a browser, at phone (360x740) and laptop
(1366x768) size: no horizontal scroll, no critical or serious axe violation; the manager
records a cooperative's approval and moves the klaster's stage through the forms."""

import datetime

import pytest
from django.urls import reverse

from kelembagaan import services
from kelembagaan.models import TonggakLembaga
from kelembagaan.tests.factories import RiwayatTahapFactory
from kelompok.tests.factories import LembagaFactory
from klaster.models import Klaster
from mitra.tests.factories import MitraFactory
from tests.e2e.conftest import masuk_sebagai, simpan_layar
from tests.e2e.test_aksesibilitas import pelanggaran_berat

pytestmark = pytest.mark.e2e

D = datetime.date


def _dunia(personas):
    k = personas.klaster_lebak
    Klaster.objects.filter(pk=k.pk).update(tahap=Klaster.Tahap.PENGUATAN)
    RiwayatTahapFactory(klaster=k, diputuskan_oleh=personas.manajer,
                        catatan="Rapat evaluasi tahun pertama.")  # fmt: skip
    koperasi = LembagaFactory(klaster=k, nama="Koperasi Tani Mandiri Leuwidamar",
                              nomor_badan_hukum="", tanggal_pengesahan=None)  # fmt: skip
    personas.kelompok_lebak.lembaga = koperasi
    personas.kelompok_lebak.save()
    MitraFactory.create_batch(3, kelompok=personas.kelompok_lebak)
    services.tonggak_catat(lembaga=koperasi, oleh=personas.manajer,
                           jenis=TonggakLembaga.Jenis.RAPAT_PENDIRIAN, tanggal=D(2012, 10, 1))  # fmt: skip
    return koperasi


@pytest.mark.parametrize("ukuran", ["page", "laptop"])
def test_new_pages_fit_the_screen_without_serious_axe_findings(
    live_server, personas, ukuran, request
):
    layar = request.getfixturevalue(ukuran)
    koperasi = _dunia(personas)
    k = personas.klaster_lebak
    masuk_sebagai(layar, live_server, personas.manajer)
    temuan = []
    for path in (
        reverse("klaster:detail", args=[k.pk]),
        reverse("kelembagaan:lembaga_list"),
        reverse("kelembagaan:lembaga_detail", args=[koperasi.pk]),
        reverse("kelembagaan:tonggak_catat", args=[koperasi.pk]),
        reverse("kelembagaan:tahap_pindah", args=[k.pk]),
        reverse("laporan:akhir"),
        reverse("laporan:akhir") + f"?klaster={k.pk}",
    ):
        respons = layar.goto(live_server.url + path)
        assert respons.status == 200, path
        layar.wait_for_load_state("load")
        lebar = layar.evaluate("document.documentElement.scrollWidth")
        assert lebar <= layar.viewport_size["width"], (path, lebar)
        temuan += pelanggaran_berat(layar)
    simpan_layar(layar, "laporan-akhir")
    assert not temuan, "\n".join(temuan)


def test_manager_records_an_approval_and_moves_the_stage(live_server, personas, page):
    koperasi = _dunia(personas)
    k = personas.klaster_lebak
    masuk_sebagai(page, live_server, personas.manajer)
    page.goto(live_server.url + reverse("kelembagaan:tonggak_catat", args=[koperasi.pk]))
    page.select_option("#id_jenis", "pengesahan")
    page.fill("#id_tanggal", "2013-05-01")
    page.fill("#id_nomor", "AHU-0001.AH.01.26.2013")
    page.click("form [type=submit][name=simpan]")
    page.wait_for_load_state("load")
    assert page.url.endswith(f"/kelembagaan/lembaga/{koperasi.pk}/"), page.inner_text("main")
    assert page.inner_text("#status-lembaga").strip() == "Berbadan hukum"

    page.goto(live_server.url + reverse("kelembagaan:tahap_pindah", args=[k.pk]))
    page.fill("#id_tanggal", "2013-08-01")
    page.fill("#id_catatan", "Rapat koordinasi bersama pemerintah kabupaten.")
    page.click("text=Pindahkan ke tahap Pemandirian")
    page.wait_for_url(f"**/klaster/{k.pk}/")
    assert "Penguatan → Pemandirian" in page.inner_text("#tabel-riwayat-tahap")
    simpan_layar(page, "tahap-klaster")

"""A background export in the browser (issue 18, item 3): from the impact report's link to
the file, the progress bar moving with the real export's rows, on a phone; axe finds no
critical or serious violation on the pages on the way."""

import io
import time
from urllib.parse import urlencode

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from laporan.tests.test_dampak_data import PARAMS, buat_data_tangan
from tests.e2e.conftest import masuk_sebagai, simpan_layar
from tests.e2e.test_aksesibilitas import pelanggaran_berat
from tugas import services
from tugas.models import Tugas
from tugas.tests.util import jalankan_antrean

pytestmark = pytest.mark.e2e

# every value the bar shows, kept in sessionStorage: it survives the page's reload at the end
CATAT_KEMAJUAN = """() => {
  const bar = document.querySelector('[data-kemajuan="bar"]');
  const simpan = () => {
    const daftar = JSON.parse(sessionStorage.getItem("kemajuan") || "[]");
    daftar.push(Number(bar.getAttribute("aria-valuenow")));
    sessionStorage.setItem("kemajuan", JSON.stringify(daftar));
  };
  new MutationObserver(simpan).observe(bar, {attributes: true});
  simpan();
}"""


@pytest.fixture
def page(browser):
    """A phone: 360×740, touch, Indonesian (as tests/e2e/conftest.py's)."""
    context = browser.new_context(
        viewport={"width": 360, "height": 740},
        is_mobile=True,
        has_touch=True,
        locale="id-ID",
        timezone_id="Asia/Jakarta",
        accept_downloads=True,
    )
    context.set_default_timeout(15000)
    halaman = context.new_page()
    yield halaman
    context.close()


def test_a_large_export_shows_its_progress_and_downloads(
    live_server, personas, page, settings, monkeypatch
):
    settings.EKSPOR_LATAR_BARIS = 3  # the hand-made report's 7 mitra count as large
    buat_data_tangan(personas)
    # each progress report written at once and a little slow, so the bar is seen moving
    monkeypatch.setattr(services.Pelapor, "JEDA", 0)
    lapor = services.Pelapor.__call__

    def lambat(self, *args, **kwargs):
        lapor(self, *args, **kwargs)
        time.sleep(0.25)

    monkeypatch.setattr(services.Pelapor, "__call__", lambat)
    masuk_sebagai(page, live_server, personas.manajer)
    query = urlencode({**PARAMS, "klaster": personas.klaster_lebak.pk})
    page.goto(f"{live_server.url}{reverse('laporan:dampak')}?{query}")
    page.click("#unduh-xlsx")

    # the link asks first: nothing starts on a GET
    page.wait_for_selector("#mulai-tugas")
    assert "sekitar 7 baris" in page.inner_text("main")
    assert pelanggaran_berat(page) == []
    assert not Tugas.objects.exists()
    page.click("#mulai-tugas")

    page.wait_for_selector('[data-kemajuan="bar"]')
    tugas = Tugas.objects.get()
    assert page.url.endswith(reverse("tugas:detail", args=[tugas.pk]))
    assert page.get_attribute('[data-kemajuan="bar"]', "aria-valuenow") == "0"
    assert "Menunggu giliran" in page.inner_text('[data-kemajuan="teks"]')
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert pelanggaran_berat(page) == []
    page.evaluate(CATAT_KEMAJUAN)

    # the worker runs the job (here, in this process) while the page polls its status
    assert jalankan_antrean() == 1

    page.wait_for_selector("#unduh-tugas", timeout=20_000)
    dilihat = page.evaluate("JSON.parse(sessionStorage.getItem('kemajuan') || '[]')")
    assert dilihat[0] == 0
    assert any(0 < v < 100 for v in dilihat), dilihat  # seen part-way, not only at the ends
    assert dilihat == sorted(dilihat)
    assert page.get_attribute('[data-kemajuan="bar"]', "aria-valuenow") == "100"
    assert "Selesai" in page.inner_text('[data-kemajuan="teks"]')
    assert pelanggaran_berat(page) == []
    simpan_layar(page, "tugas-selesai")

    # the person's list of jobs finds the file again
    page.goto(live_server.url + reverse("tugas:daftar"))
    assert tugas.judul in page.inner_text("main")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert pelanggaran_berat(page) == []
    page.go_back()
    page.wait_for_selector("#unduh-tugas")

    with page.expect_download() as unduhan:
        page.click("#unduh-tugas")
    berkas = unduhan.value
    assert berkas.suggested_filename.startswith("laporan-dampak-")
    with open(berkas.path(), "rb") as f:
        buku = load_workbook(io.BytesIO(f.read()), read_only=True)
    assert "Pendapatan per mitra" in buku.sheetnames

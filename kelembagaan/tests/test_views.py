"""The kelembagaan pages and the exit report's page: allowed case, outsider (404), wrong
role (403), bad input (a message, nothing saved), documents served only through the scope,
and query counts that do not grow with the data. The permission matrix
(tests/test_matriks_izin.py) walks every persona over the same URLs."""

import datetime
import io
import re

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook
from PIL import Image

from kelembagaan import services
from kelembagaan.models import DokumenLembaga, NaskahLaporanAkhir, RiwayatTahap, TonggakLembaga
from kelembagaan.tests.factories import RiwayatTahapFactory, TonggakFactory
from kelompok.tests.factories import KelompokFactory, LembagaFactory
from klaster import simpanan
from klaster.models import Klaster
from mitra.tests.factories import MitraFactory

D = datetime.date
J = TonggakLembaga.Jenis


def _png(nama="sk.png") -> SimpleUploadedFile:
    b = io.BytesIO()
    Image.new("RGB", (8, 8)).save(b, "PNG")
    return SimpleUploadedFile(nama, b.getvalue(), content_type="image/png")


@pytest.fixture
def koperasi(personas):
    return LembagaFactory(klaster=personas.klaster_lebak, nama="Koperasi Tani Lebak",
                          nomor_badan_hukum="", tanggal_pengesahan=None)  # fmt: skip


def test_manager_records_an_approval_with_its_decree(client, personas, koperasi):
    client.force_login(personas.manajer)
    url = reverse("kelembagaan:tonggak_catat", args=[koperasi.pk])
    r = client.post(url, {"jenis": J.PENGESAHAN, "tanggal": "2013-05-01",
                          "nomor": "AHU-0001.AH.01.26.2013", "berkas": _png()})  # fmt: skip
    assert r.status_code == 302
    koperasi.refresh_from_db()
    assert koperasi.tanggal_pengesahan == D(2013, 5, 1)
    dok = DokumenLembaga.objects.get()
    assert dok.tonggak.jenis == J.PENGESAHAN and dok.jenis_isi == "image/png"
    html = client.get(reverse("kelembagaan:lembaga_detail", args=[koperasi.pk])).content.decode()
    assert re.search(r'id="status-lembaga">\s*Berbadan hukum\s*<', html)
    assert "AHU-0001.AH.01.26.2013, 1 Mei 2013" in html


def test_a_bad_milestone_comes_back_with_a_message_and_nothing_saved(client, personas, koperasi):
    client.force_login(personas.manajer)
    url = reverse("kelembagaan:tonggak_catat", args=[koperasi.pk])
    r = client.post(url, {"jenis": J.NIB, "tanggal": "2013-05-01", "nomor": "123",
                          "berkas": _png()})  # fmt: skip
    assert r.status_code == 422
    assert "Catat dulu pengesahan badan hukum" in r.content.decode()
    assert not TonggakLembaga.objects.exists() and not DokumenLembaga.objects.exists()


def test_a_file_that_is_not_what_its_name_says_is_refused(client, personas, koperasi):
    client.force_login(personas.manajer)
    url = reverse("kelembagaan:dokumen_unggah", args=[koperasi.pk])
    palsu = SimpleUploadedFile("akta.pdf", b"<script>alert(1)</script>", "application/pdf")
    r = client.post(url, {"berkas": palsu})
    assert r.status_code == 422 and "bukan PDF" in r.content.decode()
    besar = SimpleUploadedFile(
        "akta.pdf", b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024), "application/pdf"
    )
    r = client.post(url, {"berkas": besar})
    assert r.status_code == 422 and "paling besar 10 MB" in r.content.decode()
    exe = SimpleUploadedFile("akta.exe", b"MZ", "application/octet-stream")
    assert client.post(url, {"berkas": exe}).status_code == 422
    assert not DokumenLembaga.objects.exists()


def test_documents_are_served_only_within_the_scope(client, personas, koperasi):
    dok = services.dokumen_unggah(lembaga=koperasi, berkas=_png(), oleh=personas.manajer)
    url = reverse("kelembagaan:dokumen", args=[dok.pk])
    client.force_login(personas.fasilitator)
    r = client.get(url)
    assert r.status_code == 200 and r["Content-Type"] == "image/png"
    assert b"".join(r.streaming_content).startswith(b"\x89PNG")
    assert "sandbox" in r["Content-Security-Policy"]
    client.force_login(personas.fasilitator2)  # another klaster
    assert client.get(url).status_code == 404


def test_a_pdf_document_is_downloaded_not_opened(client, personas, koperasi):
    pdf = SimpleUploadedFile("Akta Pendirian.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")
    dok = services.dokumen_unggah(lembaga=koperasi, berkas=pdf, oleh=personas.manajer)
    client.force_login(personas.manajer)
    r = client.get(reverse("kelembagaan:dokumen", args=[dok.pk]))
    assert r["Content-Disposition"].startswith("attachment;")
    assert "Akta%20Pendirian.pdf" in r["Content-Disposition"]


def test_facilitator_sees_but_does_not_record(client, personas, koperasi):
    client.force_login(personas.fasilitator)
    assert client.get(reverse("kelembagaan:lembaga_detail", args=[koperasi.pk])).status_code == 200
    r = client.post(reverse("kelembagaan:tonggak_catat", args=[koperasi.pk]),
                    {"jenis": J.RAPAT_PENDIRIAN, "tanggal": "2012-10-01"})  # fmt: skip
    assert r.status_code == 403 and not TonggakLembaga.objects.exists()
    client.force_login(personas.fasilitator2)
    assert client.get(reverse("kelembagaan:lembaga_detail", args=[koperasi.pk])).status_code == 404


def test_manager_moves_the_stage_with_a_reason_when_criteria_are_unmet(client, personas):
    k = personas.klaster_lebak
    Klaster.objects.filter(pk=k.pk).update(tahap=Klaster.Tahap.PENUMBUHAN)
    client.force_login(personas.manajer)
    url = reverse("kelembagaan:tahap_pindah", args=[k.pk])
    html = client.get(url, {"per_tanggal": "2012-01-01"}).content.decode()
    assert "Syarat masuk tahap Penguatan per 1 Januari 2012" in html
    r = client.post(url, {"tanggal": "2012-01-01"})
    assert r.status_code == 422 and "Tulis alasan" in r.content.decode()
    assert not RiwayatTahap.objects.exists()
    r = client.post(url, {"tanggal": "2012-01-01", "catatan": "Target mitra diturunkan."})
    assert r.status_code == 302
    k.refresh_from_db()
    assert k.tahap == Klaster.Tahap.PENGUATAN
    html = client.get(reverse("klaster:detail", args=[k.pk])).content.decode()
    assert "Penumbuhan → Penguatan" in html and "Target mitra diturunkan." in html
    assert "Syarat masuk tahap Pemandirian" in html


def test_facilitator_cannot_move_the_stage(client, personas):
    client.force_login(personas.fasilitator)
    url = reverse("kelembagaan:tahap_pindah", args=[personas.klaster_lebak.pk])
    assert client.post(url, {"tanggal": "2012-01-01", "catatan": "x"}).status_code == 403
    client.force_login(personas.fasilitator2)
    assert client.get(url).status_code == 404


# --- the exit report's page, narrative and files -------------------------------------------


def test_manager_writes_the_narrative_and_it_reaches_the_files(client, personas):
    k = personas.klaster_lebak
    client.force_login(personas.manajer)
    q = {"klaster": k.pk, "dari": "2011-03-01", "sampai": "2014-03-06"}
    r = client.post(reverse("laporan:akhir_naskah"),
                    {**q, "pelajaran": "Kelompok kuat lebih dulu.",
                     "rekomendasi": "Pemda melanjutkan pendampingan koperasi."})  # fmt: skip
    assert r.status_code == 302
    n = NaskahLaporanAkhir.objects.get()
    assert (n.klaster, n.dari, n.sampai) == (k, D(2011, 3, 1), D(2014, 3, 6))
    html = client.get(reverse("laporan:akhir"), q).content.decode()
    assert "Pemda melanjutkan pendampingan koperasi." in html
    xlsx = client.get(reverse("laporan:akhir_xlsx"), q)
    wb = load_workbook(io.BytesIO(xlsx.content))
    assert wb.sheetnames[:4] == ["Ringkasan program", "Riwayat tahap", "Kelembagaan", "Naskah"]
    assert "Ringkasan" in wb.sheetnames  # the impact report's sheets follow
    assert wb["Naskah"]["B6"].value == "Pemda melanjutkan pendampingan koperasi."


def test_the_narrative_is_for_managers_and_a_bad_period_is_refused(client, personas):
    k = personas.klaster_lebak
    client.force_login(personas.fasilitator)
    q = {"klaster": k.pk, "dari": "2011-03-01", "sampai": "2014-03-06", "pelajaran": "x"}
    assert client.post(reverse("laporan:akhir_naskah"), q).status_code == 403
    client.force_login(personas.manajer)
    r = client.post(reverse("laporan:akhir_naskah"), {**q, "dari": "2015-01-01"})
    assert r.status_code == 422 and "sesudah tanggal akhirnya" in r.content.decode()
    assert not NaskahLaporanAkhir.objects.exists()
    client.force_login(personas.fasilitator2)
    assert client.get(reverse("laporan:akhir"), {"klaster": k.pk}).status_code == 404


def test_exit_page_figures_are_the_impact_reports(client, personas):
    """Computed independently: 2 mitra of the kelompok, 1 cooperative approved in time."""
    k = personas.klaster_lebak
    MitraFactory.create_batch(2, kelompok=personas.kelompok_lebak)
    LembagaFactory(klaster=k, tanggal_pengesahan=D(2013, 10, 1), nomor_badan_hukum="9/BH")
    LembagaFactory(klaster=k, tanggal_pengesahan=D(2014, 10, 1), nomor_badan_hukum="10/BH")
    client.force_login(personas.manajer)
    html = client.get(reverse("laporan:akhir"),
                      {"klaster": k.pk, "sampai": "2014-03-06"}).content.decode()  # fmt: skip
    teks = " ".join(re.sub(r"<[^>]+>", " ", html).split())
    assert "2 mitra dalam 1 kelompok" in teks
    assert "1 koperasi berbadan hukum per 6 Maret 2014" in teks


# --- query budgets -------------------------------------------------------------------------


def _dunia(personas, n, ke):
    k = personas.klaster_lebak
    for i in range(n):
        lb = LembagaFactory(klaster=k, tanggal_pengesahan=D(2013, 5, 1))
        TonggakFactory(lembaga=lb, jenis=J.RAPAT_PENDIRIAN, tanggal=D(2012, 12, 1))
        TonggakFactory(lembaga=lb, jenis=J.PENGESAHAN, tanggal=D(2013, 5, 1), nomor=f"{i}/BH")
        TonggakFactory(lembaga=lb, jenis=J.RAT, tanggal=D(2014, 2, 1), tahun_buku=2013,
                       jumlah_anggota=5)  # fmt: skip
        services.dokumen_unggah(lembaga=lb, berkas=_png(), oleh=personas.manajer)
        g = KelompokFactory(klaster=k, lembaga=lb)
        MitraFactory.create_batch(2, kelompok=g)
        if i == 0:
            personas.kelompok_lebak.lembaga = lb
            personas.kelompok_lebak.save()
    RiwayatTahapFactory(klaster=k, tanggal=D(2012, 3, n), diputuskan_oleh=personas.manajer, ke=ke)
    return personas.kelompok_lebak.lembaga


def _halaman(personas, lembaga):
    k = personas.klaster_lebak.pk
    return {
        "lembaga_list": reverse("kelembagaan:lembaga_list"),
        "lembaga_detail": reverse("kelembagaan:lembaga_detail", args=[lembaga.pk]),
        "klaster_detail": reverse("klaster:detail", args=[k]),
        "tahap_pindah": reverse("kelembagaan:tahap_pindah", args=[k]),
        "laporan_akhir": reverse("laporan:akhir") + f"?klaster={k}",
    }


# pages measured cold (caches cleared): session, user with groups, permissions and
# assignments; the page's own reads. The exit page reads the impact report's sections
# (the same cold path as laporan:dampak: ANGGARAN_KHUSUS in tests/test_anggaran_kueri.py,
# with an entry per group of sections: 31 queries more on the database cache table)
# plus the klaster and its kecamatan, the stage history, the cooperatives (3) and the
# narrative.
ANGGARAN = {"lembaga_list": 8, "lembaga_detail": 10, "klaster_detail": 17, "tahap_pindah": 15,
            "laporan_akhir": 76}  # fmt: skip


@pytest.mark.parametrize("nama", list(ANGGARAN))
def test_queries_do_not_grow_with_the_data(client, personas, nama):
    client.force_login(personas.manajer)
    hitung = []
    lembaga = None
    for n, ke in ((1, "penguatan"), (4, "pemandirian")):  # 1x, then 5x
        lembaga = _dunia(personas, n, ke) or lembaga
        url = _halaman(personas, lembaga)[nama]
        cache.clear()
        simpanan.kosongkan_salinan()
        with CaptureQueriesContext(connection) as q:
            assert client.get(url).status_code == 200
        hitung.append(len(q))
    assert hitung[0] == hitung[1], hitung
    assert hitung[0] <= ANGGARAN[nama], hitung


def test_exit_page_without_a_klaster_lists_the_users_klaster(client, personas):
    client.force_login(personas.fasilitator)
    r = client.get(reverse("laporan:akhir"))
    assert r.status_code == 200
    html = r.content.decode()
    assert personas.klaster_lebak.nama in html and personas.klaster_lain.nama not in html

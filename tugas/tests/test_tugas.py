"""Background jobs (issue 18, item 3): a large export or import is started by a POST, runs in
django-tasks' worker while its page shows the progress, and leaves a file for its owner only,
for 24 hours; a failure shows its reason."""

import csv
import datetime
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from openpyxl import load_workbook

from impor.tests.test_views import baris_mitra
from impor.tests.util import xlsx
from klaster.models import Penugasan
from klaster.tests.factories import UserFactory
from laporan.tests.test_dampak_data import PARAMS, buat_data_tangan
from mitra.models import Mitra
from tugas import services
from tugas.models import Tugas
from tugas.tests.util import jalankan_antrean

XLSX_URL = reverse("laporan:dampak_xlsx")


@pytest.fixture
def data(personas):
    return buat_data_tangan(personas)


@pytest.fixture
def latar(settings):
    # the hand-made report has 7 mitra: anything above 3 goes to the background
    settings.EKSPOR_LATAR_BARIS = 3
    settings.EKSPOR_LATAR_BARIS_PDF = 3
    settings.IMPOR_LATAR_BARIS = 5


def _params(personas, **extra):
    return {**PARAMS, "klaster": personas.klaster_lebak.pk, **extra}


def _query(personas) -> str:
    from urllib.parse import urlencode

    return urlencode(_params(personas))


def _mulai_ekspor(client, personas, url=XLSX_URL) -> Tugas:
    response = client.post(f"{url}?{_query(personas)}")
    assert response.status_code == 302
    tugas = Tugas.objects.get()
    assert response["Location"] == reverse("tugas:detail", args=[tugas.pk])
    return tugas


def _status(client, tugas) -> dict:
    response = client.get(reverse("tugas:status", args=[tugas.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return json.loads(response.content)


def _manajer_lain():
    return UserFactory(username="manajer_lain", grup="Manajer Program")


# --- an export in the background -------------------------------------------------------------


def test_large_export_link_asks_first_and_starts_nothing(client, personas, data, latar):
    client.force_login(personas.manajer)
    response = client.get(XLSX_URL, _params(personas))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert "Buat berkas di latar" in html and "sekitar 7 baris" in html
    assert not Tugas.objects.exists() and not DBTaskResult.objects.exists()


def test_small_export_stays_immediate(client, personas, data):
    client.force_login(personas.manajer)
    response = client.get(XLSX_URL, _params(personas))
    assert response.status_code == 200
    assert "spreadsheetml" in response["Content-Type"]
    assert not Tugas.objects.exists()


def test_background_export_reaches_100_and_downloads_for_its_owner_only(
    client, personas, data, latar
):
    client.force_login(personas.manajer)
    tugas = _mulai_ekspor(client, personas)
    # the request only queued it: nothing ran yet
    awal = _status(client, tugas)
    assert awal["status"] == "menunggu" and awal["persen"] == 0 and awal["unduh"] is None
    assert DBTaskResult.objects.count() == 1
    halaman = client.get(reverse("tugas:detail", args=[tugas.pk]))
    assert halaman.status_code == 200
    html = halaman.content.decode()
    assert 'role="progressbar"' in html and 'aria-valuenow="0"' in html
    assert 'http-equiv="refresh"' in html  # without a script the page reloads itself

    assert jalankan_antrean() == 1

    akhir = _status(client, tugas)
    assert akhir["status"] == "selesai" and akhir["persen"] == 100 and akhir["berakhir"]
    # rows: the 7 mitra computed, then the 7 written (the hand-made report: 7 mitra)
    n = Mitra.objects.filter(klaster=personas.klaster_lebak).count()
    assert n == 7
    assert akhir["baris_selesai"] == akhir["baris_total"] == 2 * n
    assert akhir["unduh"] == reverse("tugas:unduh", args=[tugas.pk])

    unduhan = client.get(akhir["unduh"])
    assert unduhan.status_code == 200
    assert "spreadsheetml" in unduhan["Content-Type"]
    assert "laporan-dampak-" in unduhan["Content-Disposition"]
    isi = b"".join(unduhan.streaming_content)
    buku = load_workbook(io.BytesIO(isi), read_only=True)
    # the same figures as the file made in the request
    langsung = load_workbook(
        io.BytesIO(_ekspor_langsung(client, personas, settings_baris=10_000)),
        read_only=True,
    )
    assert buku.sheetnames == langsung.sheetnames
    for nama in ("Mitra per status", "Pendapatan per mitra"):
        a = [r for r in buku[nama].iter_rows(min_row=4, values_only=True)]
        b = [r for r in langsung[nama].iter_rows(min_row=4, values_only=True)]
        assert a == b
    # anyone else: a 404 on every URL of the job, a superuser included
    for orang in (personas.fasilitator, _manajer_lain(), personas.admin):
        client.force_login(orang)
        for nama in ("tugas:detail", "tugas:status", "tugas:unduh"):
            assert client.get(reverse(nama, args=[tugas.pk])).status_code == 404, (orang, nama)


def _ekspor_langsung(client, personas, settings_baris):
    from django.test import override_settings

    with override_settings(EKSPOR_LATAR_BARIS=settings_baris):
        response = client.get(XLSX_URL, _params(personas))
    assert "spreadsheetml" in response["Content-Type"]
    return response.content


def test_the_export_reports_every_row_it_writes(client, personas, data, latar, monkeypatch):
    dilaporkan = []
    asli = services.Pelapor.__call__

    def catat(self, selesai, total=None, tahap=None):
        asli(self, selesai, total, tahap)
        dilaporkan.append((self.tugas.baris_selesai, self.tugas.baris_total))

    monkeypatch.setattr(services.Pelapor, "__call__", catat)
    client.force_login(personas.manajer)
    _mulai_ekspor(client, personas, reverse("laporan:dampak_csv"))
    jalankan_antrean()
    selesai = [s for s, _t in dilaporkan]
    assert selesai == sorted(selesai)  # never backwards
    total = dilaporkan[-1][1]
    assert total == 14 and selesai[-1] == 14
    # each of the 7 rows written was reported: 8, 9, ... 14 after the 7 computed
    assert set(range(8, 15)) <= set(selesai)


def test_downloads_end_after_24_hours_and_cleanup_deletes_the_file(client, personas, data, latar):
    client.force_login(personas.manajer)
    tugas = _mulai_ekspor(client, personas)
    jalankan_antrean()
    tugas.refresh_from_db()
    assert tugas.kedaluwarsa - tugas.selesai == datetime.timedelta(hours=24)
    path = tugas.berkas.path
    Tugas.objects.filter(pk=tugas.pk).update(kedaluwarsa=timezone.now() - datetime.timedelta(1))
    assert client.get(reverse("tugas:unduh", args=[tugas.pk])).status_code == 404
    assert _status(client, tugas)["unduh"] is None
    assert (
        "sudah lewat 24 jam"
        in client.get(reverse("tugas:detail", args=[tugas.pk])).content.decode()
    )
    out = io.StringIO()
    call_command("bersihkan_tugas", stdout=out)
    assert "1 file(s) deleted" in out.getvalue()
    import os

    assert not os.path.exists(path)
    tugas.refresh_from_db()
    assert not tugas.berkas


def test_the_same_export_asked_twice_while_waiting_is_one_job(client, personas, data, latar):
    client.force_login(personas.manajer)
    pertama = _mulai_ekspor(client, personas)
    response = client.post(f"{XLSX_URL}?{_query(personas)}")
    assert response["Location"] == reverse("tugas:detail", args=[pertama.pk])
    assert Tugas.objects.count() == 1 and DBTaskResult.objects.count() == 1


# --- failures show their reason ----------------------------------------------------------------


def test_an_export_whose_owner_lost_the_klaster_fails_with_the_reason(
    client, personas, data, latar
):
    client.force_login(personas.manajer)
    tugas = _mulai_ekspor(client, personas)
    # the assignment ends between the request and the run
    Penugasan.objects.filter(pengguna=personas.manajer).update(
        sampai=timezone.localdate() - datetime.timedelta(days=1)
    )
    jalankan_antrean()
    s = _status(client, tugas)
    assert s["status"] == "gagal" and s["unduh"] is None
    assert "penugasan" in s["alasan"]
    html = client.get(reverse("tugas:detail", args=[tugas.pk])).content.decode()
    assert "Pekerjaan ini gagal" in html and "penugasan atau peran Anda berubah" in html


def test_an_unexpected_error_fails_with_a_reason_and_the_job_code(
    client, personas, data, latar, monkeypatch
):
    from laporan import ekspor

    def rusak(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(ekspor, "buat_xlsx", rusak)
    client.force_login(personas.manajer)
    tugas = _mulai_ekspor(client, personas)
    jalankan_antrean()
    s = _status(client, tugas)
    assert s["status"] == "gagal"
    assert "Terjadi galat tak terduga" in s["alasan"] and "OSError" in s["alasan"]
    assert str(tugas.pk) in s["alasan"]
    assert "disk full" not in s["alasan"]  # no internals shown
    html = client.get(reverse("tugas:detail", args=[tugas.pk])).content.decode()
    assert "Terjadi galat tak terduga" in html


def test_bad_parameters_fail_with_the_form_message(client, personas, data, latar):
    client.force_login(personas.manajer)
    tugas = services.tugas_mulai(
        pemilik=personas.manajer,
        jenis="laporan.dampak_csv",
        judul="uji",
        parameter={
            "query": f"klaster={personas.klaster_lebak.pk}&dari=2024-12-31&sampai=2023-01-01",
            "format": "csv",
            "baris": 7,
        },
        task=__import__("laporan.tugas", fromlist=["x"]).ekspor_dampak,
    )
    jalankan_antrean()
    s = _status(client, tugas)
    assert s["status"] == "gagal"
    assert "Tanggal akhir periode harus sama dengan atau setelah tanggal awal" in s["alasan"]


# --- list exports and imports ------------------------------------------------------------------


def test_large_list_export_runs_in_the_background(client, personas, data, latar, settings):
    settings.EKSPOR_LATAR_BARIS = 5
    client.force_login(personas.manajer)
    url = (
        reverse("impor:ekspor", args=["mitra"]) + f"?klaster={personas.klaster_lebak.pk}&format=csv"
    )
    assert "Buat berkas di latar" in client.get(url).content.decode()
    response = client.post(url)
    tugas = Tugas.objects.get()
    assert response["Location"] == reverse("tugas:detail", args=[tugas.pk])
    jalankan_antrean()
    s = _status(client, tugas)
    n = Mitra.objects.filter(klaster=personas.klaster_lebak).count()
    assert s["persen"] == 100 and s["baris_selesai"] == s["baris_total"] == n
    isi = b"".join(client.get(s["unduh"]).streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(isi)))
    assert len(rows) == n + 1  # the header and one row per mitra
    assert {r[0] for r in rows[1:]} == set(
        Mitra.objects.filter(klaster=personas.klaster_lebak).values_list("nik", flat=True)
    )


def _unggah(client, personas, data, nama="mitra.xlsx"):
    return client.post(
        reverse("impor:unggah", args=["mitra"]),
        {"klaster": personas.klaster_lebak.pk, "berkas": SimpleUploadedFile(nama, data)},
    )


def test_a_large_import_is_checked_then_saved_in_the_background(client, personas, latar):
    client.force_login(personas.manajer)
    sebelum = Mitra.objects.count()
    response = _unggah(client, personas, xlsx(baris_mitra(8)))
    periksa = Tugas.objects.get()
    assert response["Location"] == reverse("tugas:detail", args=[periksa.pk])
    assert Mitra.objects.count() == sebelum  # nothing read in the request
    jalankan_antrean()
    periksa.refresh_from_db()
    assert periksa.status == "selesai", periksa.alasan_gagal
    # the check: 8 rows, 3 passes (clean, match) = 16 rows of work, nothing saved yet
    assert periksa.baris_selesai == periksa.baris_total == 16
    assert Mitra.objects.count() == sebelum
    html = client.get(reverse("tugas:detail", args=[periksa.pk])).content.decode()
    assert "Simpan 8 baris" in html
    aksi = periksa.hasil["aksi"]
    assert aksi["url"] == reverse("impor:konfirmasi", args=["mitra"])

    response = client.post(aksi["url"], aksi["data"])
    simpan = Tugas.objects.exclude(pk=periksa.pk).get()
    assert response["Location"] == reverse("tugas:detail", args=[simpan.pk])
    assert Mitra.objects.count() == sebelum
    jalankan_antrean()
    simpan.refresh_from_db()
    assert simpan.status == "selesai", simpan.alasan_gagal
    assert simpan.baris_selesai == simpan.baris_total == 24  # clean, match, write
    assert Mitra.objects.count() == sebelum + 8
    assert ["Baru", 8] in simpan.hasil["ringkasan"]
    # the uploaded file went with the job; confirming again is refused
    response = client.post(aksi["url"], aksi["data"])
    assert response.status_code == 302 and Tugas.objects.count() == 2


def test_a_large_import_with_rejected_rows_fails_with_the_reason_and_the_error_file(
    client, personas, latar
):
    client.force_login(personas.manajer)
    rows = baris_mitra(8)
    rows[3][0] = "12345"  # a NIK of 5 digits
    _unggah(client, personas, xlsx(rows))
    jalankan_antrean()
    tugas = Tugas.objects.get()
    s = _status(client, tugas)
    assert s["status"] == "gagal"
    assert "1 baris ditolak" in s["alasan"]
    html = client.get(reverse("tugas:detail", args=[tugas.pk])).content.decode()
    assert "Baris 4, kolom" in html
    galat = load_workbook(io.BytesIO(b"".join(client.get(s["unduh"]).streaming_content)))
    assert galat.active.cell(row=2, column=1).value == 4


def test_a_small_import_keeps_the_preview_in_the_request(client, personas, latar):
    client.force_login(personas.manajer)
    response = _unggah(client, personas, xlsx(baris_mitra(3)))
    assert response.status_code == 200 and not Tugas.objects.exists()


# --- the list, the methods, the queries ---------------------------------------------------------


def test_the_list_shows_only_my_jobs(client, personas, data, latar):
    client.force_login(personas.manajer)
    mine = _mulai_ekspor(client, personas)
    lain = Tugas.objects.create(pemilik=personas.fasilitator, jenis="x", judul="Rahasia orang lain")
    html = client.get(reverse("tugas:daftar")).content.decode()
    assert mine.judul in html and lain.judul not in html


def test_job_urls_take_get_only_and_need_login(client, personas, data, latar):
    client.force_login(personas.manajer)
    tugas = _mulai_ekspor(client, personas)
    for nama in ("tugas:detail", "tugas:status", "tugas:unduh"):
        assert client.post(reverse(nama, args=[tugas.pk])).status_code == 405
    client.logout()
    response = client.get(reverse("tugas:status", args=[tugas.pk]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("akun:masuk"))


@pytest.mark.parametrize("banyak", [1, 10])
def test_status_and_pages_queries_do_not_grow(
    client, personas, django_assert_max_num_queries, banyak
):
    for i in range(banyak):
        Tugas.objects.create(
            pemilik=personas.manajer, jenis="x", judul=f"Tugas {i}", baris_total=10, baris_selesai=i
        )
    tugas = Tugas.objects.first()
    client.force_login(personas.manajer)
    # session, user, the user's groups and assignments (one UNION, read by the middleware
    # for every signed-in request), the job
    with django_assert_max_num_queries(4):
        assert client.get(reverse("tugas:status", args=[tugas.pk])).status_code == 200
    # the same four (the page's navigation is cached per role)
    with django_assert_max_num_queries(4):
        assert client.get(reverse("tugas:detail", args=[tugas.pk])).status_code == 200
    # session, user, roles, the person's jobs
    with django_assert_max_num_queries(4):
        assert client.get(reverse("tugas:daftar")).status_code == 200


def test_the_job_runs_in_the_language_asked_for(client, personas, data, latar):
    client.force_login(personas.manajer)
    tugas = _mulai_ekspor(client, personas)
    assert tugas.bahasa == "id"


def test_behind_nginx_the_proxy_sends_the_file_after_the_check(
    client, personas, data, latar, settings
):
    settings.MEDIA_ACCEL_REDIRECT = "/_foto_internal/"
    client.force_login(personas.manajer)
    tugas = _mulai_ekspor(client, personas)
    jalankan_antrean()
    tugas.refresh_from_db()
    response = client.get(reverse("tugas:unduh", args=[tugas.pk]))
    assert response["X-Accel-Redirect"] == "/_foto_internal/" + tugas.berkas.name
    assert "laporan-dampak-" in response["Content-Disposition"] and response.content == b""
    client.force_login(_manajer_lain())
    assert client.get(reverse("tugas:unduh", args=[tugas.pk])).status_code == 404


def test_a_job_waiting_long_says_the_worker_may_not_run(client, personas, data, latar):
    client.force_login(personas.manajer)
    tugas = _mulai_ekspor(client, personas)
    assert _status(client, tugas)["tahap"] == ""
    Tugas.objects.filter(pk=tugas.pk).update(dibuat=timezone.now() - datetime.timedelta(minutes=2))
    assert "pekerja latar tidak berjalan" in _status(client, tugas)["tahap"]
    html = client.get(reverse("tugas:detail", args=[tugas.pk])).content.decode()
    assert "pekerja latar tidak berjalan" in html

"""The meeting screen's JSON answer for the offline queue (issue 9), and the small views of
the offline layer (klaster/views_pwa.py): service worker, manifest, CSRF token, sign-out."""

import json
from decimal import Decimal

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse, reverse_lazy

from bantuan.models import Angsuran
from bantuan.selectors import sisa_pokok
from bantuan.services import angsuran_catat
from kunjungan.models import Kunjungan
from kunjungan.tests.kunjungan_data import (
    beri_pinjaman,
    data_kunjungan,
    hari_ini,
    kelompok_dengan_anggota,
)
from mitra.models import PengukuranPendapatan

URL_BARU = reverse_lazy("kunjungan:baru")
FETCH = {"HTTP_X_REQUESTED_WITH": "fetch", "HTTP_ACCEPT": "application/json"}


def url_baru(kelompok):
    return f"{URL_BARU}?kelompok={kelompok.pk}"


@pytest.fixture
def rapat(personas):
    """A Lebak kelompok of 4 members; the second has a disbursed loan of Rp1.200.000."""
    kelompok, anggota = kelompok_dengan_anggota(personas.klaster_lebak, 4)
    pinjaman = beri_pinjaman(personas, anggota[1])
    return kelompok, anggota, pinjaman


def jumlah_baris():
    return (
        Kunjungan.objects.count(),
        PengukuranPendapatan.objects.count(),
        Angsuran.objects.count(),
        Kunjungan.hadir.through.objects.count(),
    )


def test_queued_visit_sent_twice_answers_ok_with_the_same_visit(client, personas, rapat):
    kelompok, anggota, pinjaman = rapat
    client.force_login(personas.fasilitator)
    data = data_kunjungan(
        hadir=anggota[:3], pendapatan={anggota[0]: "850.000"}, angsuran={anggota[1]: "100000"}
    )
    pertama = client.post(url_baru(kelompok), data, **FETCH)
    kedua = client.post(url_baru(kelompok), data, **FETCH)

    assert pertama.status_code == kedua.status_code == 200
    assert pertama["Content-Type"] == "application/json"
    kunjungan = Kunjungan.objects.get()
    harapan = {"ok": True, "url": f"/kunjungan/{kunjungan.pk}/", "uuid": data["uuid"]}
    assert pertama.json() == kedua.json() == harapan
    assert jumlah_baris() == (1, 1, 1, 3)
    assert sisa_pokok(pinjaman, per_tanggal=hari_ini()) == Decimal("1100000")
    # no "Kunjungan tercatat" left waiting in the session for the next page the user opens
    assert "Kunjungan tercatat" not in client.get(reverse("klaster:beranda")).content.decode()


def test_a_plain_post_still_gets_the_html_answer(client, personas, rapat):
    kelompok, anggota, _ = rapat
    client.force_login(personas.fasilitator)
    response = client.post(url_baru(kelompok), data_kunjungan(hadir=anggota[:1]))
    assert response.status_code == 302
    bad = client.post(url_baru(kelompok), data_kunjungan(tanggal=hari_ini().replace(year=2999)))
    assert bad.status_code == 422
    assert bad["Content-Type"].startswith("text/html")


def test_refused_instalment_answers_422_with_the_members_name_and_saves_nothing(
    client, personas, rapat
):
    kelompok, anggota, pinjaman = rapat
    # someone else collected most of the loan while the visit waited on the phone
    angsuran_catat(
        bantuan=pinjaman, jumlah=Decimal("1150000"), tanggal=hari_ini(), oleh=personas.manajer
    )
    sebelum = jumlah_baris()
    client.force_login(personas.fasilitator)
    data = data_kunjungan(hadir=anggota[:2], angsuran={anggota[1]: "100000"})

    response = client.post(url_baru(kelompok), data, **FETCH)

    assert response.status_code == 422
    jawaban = response.json()
    assert jawaban["ok"] is False
    assert list(jawaban["errors"]) == [f"angsuran_{anggota[1].pk}"]
    assert any(anggota[1].nama in p for p in jawaban["pesan"]), jawaban["pesan"]
    assert any("Rp50.000" in p for p in jawaban["pesan"]), jawaban["pesan"]  # what is left
    assert jumlah_baris() == sebelum
    assert not Kunjungan.objects.filter(uuid=data["uuid"]).exists()


def test_field_errors_in_json_say_which_field(client, personas, rapat):
    kelompok, anggota, _ = rapat
    client.force_login(personas.fasilitator)
    data = data_kunjungan(pendapatan={anggota[2]: "banyak"})
    data["tanggal"] = ""
    response = client.post(url_baru(kelompok), data, **FETCH)
    assert response.status_code == 422
    jawaban = response.json()
    assert set(jawaban["errors"]) == {"tanggal", f"pendapatan_{anggota[2].pk}"}
    assert f"{anggota[2].nama}: Tulis angka rupiah saja, misalnya 150000." in jawaban["pesan"]
    assert Kunjungan.objects.count() == 0


def test_queued_visit_of_an_outsiders_kelompok_is_404(client, personas):
    kelompok, anggota = kelompok_dengan_anggota(personas.klaster_lebak, 2)
    client.force_login(personas.fasilitator2)
    response = client.post(url_baru(kelompok), data_kunjungan(hadir=anggota), **FETCH)
    assert response.status_code == 404
    assert Kunjungan.objects.count() == 0


# ------------------------------------------------------------- the offline layer's views


def test_service_worker_is_served_from_the_root_with_its_config(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert response["Cache-Control"] == "no-cache"
    isi = response.content.decode()
    pertama, sisanya = isi.split("\n", 1)
    config = json.loads(pertama.removeprefix("self.KM = ").removesuffix(";"))
    assert "/static/js/antrian.js" in config["shell"]
    assert reverse("pwa_offline") in config["shell"]
    assert config["rapat"] == str(URL_BARU)
    assert 'addEventListener("fetch"' in sisanya
    assert len(config["versi"]) == 12


def test_service_worker_post_is_405(client):
    client.raise_request_exception = False
    assert client.get("/sw.js").status_code == 200
    assert client.put("/sw.js").status_code == 405


def test_manifest_names_the_app_and_its_icons(client):
    response = client.get(reverse("pwa_manifest"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    data = response.json()
    assert data["start_url"] == "/"
    assert data["display"] == "standalone"
    assert {i["sizes"] for i in data["icons"]} == {"192x192", "512x512"}
    for ikon in data["icons"]:
        assert finders.find(ikon["src"].removeprefix("/static/")), ikon["src"]


def test_icons_are_small_pngs_of_the_stated_size():
    from PIL import Image

    for nama, sisi in [
        ("ikon-192.png", 192),
        ("ikon-512.png", 512),
        ("ikon-maskable-512.png", 512),
    ]:
        path = finders.find(f"pwa/{nama}")
        with Image.open(path) as img:
            assert img.format == "PNG"
            assert img.size == (sisi, sisi)


def test_csrf_endpoint_gives_a_token_that_a_post_accepts(personas, rapat):
    from django.test import Client

    kelompok, anggota, _ = rapat
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas.fasilitator)
    response = client.get(reverse("pwa_csrf"))
    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"]
    token = response.json()["token"]
    data = data_kunjungan(hadir=anggota[:1])
    tanpa = client.post(url_baru(kelompok), data, **FETCH)
    assert tanpa.status_code == 403
    dengan = client.post(url_baru(kelompok), data, HTTP_X_CSRFTOKEN=token, **FETCH)
    assert dengan.status_code == 200
    assert dengan.json()["ok"] is True


def test_offline_page_opens_without_login(client):
    response = client.get(reverse("pwa_offline"))
    assert response.status_code == 200
    assert "Tidak ada sinyal" in response.content.decode()


def test_sign_out_tells_the_browser_to_clear_cache_and_storage(client, personas):
    client.force_login(personas.fasilitator)
    halaman = client.get(reverse("klaster:beranda")).content.decode()
    # the queue's script and the manifest are on every signed-in page
    assert "js/antrian.js" in halaman
    assert reverse("pwa_manifest") in halaman
    response = client.post(reverse("akun:keluar"))
    assert response.status_code in (200, 302)
    assert response["Clear-Site-Data"] == '"cache", "storage"'
    assert "_auth_user_id" not in client.session
    # a signed-out page does not load the queue
    assert "js/antrian.js" not in client.get(reverse("akun:masuk")).content.decode()

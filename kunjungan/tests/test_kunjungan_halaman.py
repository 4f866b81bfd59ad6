"""The pages around the meeting screen: the facilitator's home, history, detail, follow-ups,
the manager's tables, the kelompok and mitra panels, photos and page weight."""

import datetime
import gzip
import io
import re
import uuid
from decimal import Decimal

import pytest
from dateutil.relativedelta import relativedelta
from django.contrib.staticfiles import finders
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.urls import reverse, reverse_lazy
from freezegun import freeze_time
from PIL import Image

from klaster.tests.factories import UserFactory
from kunjungan import selectors, services
from kunjungan.models import Kunjungan
from kunjungan.tests.kunjungan_data import (
    beri_pinjaman,
    data_kunjungan,
    hari_ini,
    kelompok_dengan_anggota,
)

BERANDA = reverse_lazy("klaster:beranda")
DAFTAR = reverse_lazy("kunjungan:list")
REKAP = reverse_lazy("kunjungan:rekap")
CAKUPAN = reverse_lazy("kunjungan:cakupan")


def catat(oleh, kelompok, *, hari_lalu=0, **kwargs):
    kwargs.setdefault("jenis_kegiatan", "pertemuan_kelompok")
    return services.kunjungan_catat(
        oleh=oleh,
        uuid=uuid.uuid4(),
        kelompok=kelompok,
        tanggal=hari_ini() - datetime.timedelta(days=hari_lalu),
        **kwargs,
    )


def tunggakan_manual(pinjaman, angsuran_bulanan=Decimal("100000")):
    """Arrears by hand: instalments due strictly before today, none paid."""
    jatuh_tempo = [pinjaman.tanggal_cair + relativedelta(months=k) for k in range(1, 13)]
    lewat = [d for d in jatuh_tempo if d < hari_ini()]
    return angsuran_bulanan * len(lewat), (hari_ini() - lewat[0]).days


def rp(x) -> str:
    return "Rp" + f"{int(x):,}".replace(",", ".")


# ---------------------------------------------------------------- the facilitator's home


@pytest.fixture
def rabu():
    """A Wednesday: the visits 3 and 5 days back fall in the week before, so the home does
    not mark them "sudah dikunjungi" (visited since Monday; test_beranda_agenda.py)."""
    with freeze_time("2026-12-02 03:00:00"):  # 10:00 in Jakarta
        yield


@pytest.fixture
def minggu(personas, rabu):
    """Five Lebak kelompok: E (arrears 200 days old), A (arrears, visited 3 days ago),
    B (visited 40 days ago), C (never visited), D (visited 5 days ago, nothing due)."""
    f = personas.fasilitator
    klaster = personas.klaster_lebak
    a, anggota_a = kelompok_dengan_anggota(klaster, 3, kode="A-01", nama="Kelompok Arum")
    b, _ = kelompok_dengan_anggota(klaster, 2, kode="B-01", nama="Kelompok Bayam")
    c, _ = kelompok_dengan_anggota(klaster, 2, kode="C-01", nama="Kelompok Cabai")
    d, _ = kelompok_dengan_anggota(klaster, 2, kode="D-01", nama="Kelompok Durian")
    e, anggota_e = kelompok_dengan_anggota(klaster, 2, kode="E-01", nama="Kelompok Enau")
    pinjaman_a = beri_pinjaman(personas, anggota_a[0])
    pinjaman_e = beri_pinjaman(
        personas, anggota_e[0], tanggal_cair=hari_ini() - datetime.timedelta(days=230)
    )
    catat(f, a, hari_lalu=3)
    catat(f, b, hari_lalu=40)
    catat(f, d, hari_lalu=5, tindak_lanjut="Antar bibit ke Bu Ketua")
    # the kelompok of the other personas fixture is never visited too
    return {"a": a, "b": b, "c": c, "d": d, "e": e, "pa": pinjaman_a, "pe": pinjaman_e}


def test_home_lists_kelompok_to_visit_by_risk_with_the_reason(client, personas, minggu):
    client.force_login(personas.fasilitator)
    response = client.get(BERANDA)
    assert response.status_code == 200
    urutan = [r.kelompok.kode for r in response.context["kunjungi"]]
    # arrears (oldest first), then never visited (by code), then the longest without a visit
    assert urutan == ["E-01", "A-01", "C-01", personas.kelompok_lebak.kode, "B-01"]
    assert "D-01" not in urutan
    html = response.content.decode()
    bagian = html.split('id="kunjungi-minggu-ini"')[1].split("</section>")[0]
    jumlah_a, hari_a = tunggakan_manual(minggu["pa"])
    jumlah_e, hari_e = tunggakan_manual(minggu["pe"])
    assert f"1 anggota menunggak {rp(jumlah_e)}, terlama {hari_e} hari" in bagian
    assert f"1 anggota menunggak {rp(jumlah_a)}, terlama {hari_a} hari" in bagian
    assert "Belum dikunjungi 40 hari" in bagian
    assert "Belum pernah dikunjungi" in bagian
    assert "Kelompok Durian" not in bagian
    # one tap from the list to the meeting screen
    assert f"{reverse('kunjungan:baru')}?kelompok={minggu['e'].pk}" in bagian


def test_home_shows_open_follow_ups_with_a_one_tap_close(client, personas, minggu):
    client.force_login(personas.fasilitator)
    html = client.get(BERANDA).content.decode()
    assert "Antar bibit ke Bu Ketua" in html
    k = Kunjungan.objects.get(tindak_lanjut="Antar bibit ke Bu Ketua")
    url = reverse("kunjungan:tindak_lanjut_selesai", args=[k.pk])
    assert f'action="{url}"' in html
    response = client.post(url, {"next": str(BERANDA)})
    assert response.status_code == 302 and response["Location"] == str(BERANDA)
    k.refresh_from_db()
    assert k.tindak_lanjut_selesai and k.tindak_lanjut_selesai_pada == hari_ini()
    assert "Antar bibit ke Bu Ketua" not in client.get(BERANDA).content.decode()
    # closing twice is harmless; an outside "next" is not followed
    response = client.post(url, {"next": "https://contoh.invalid/"})
    assert response["Location"] == k.get_absolute_url()


def test_closing_a_visit_without_follow_up_says_so(client, personas, minggu):
    k = Kunjungan.objects.get(kelompok=minggu["a"])
    client.force_login(personas.fasilitator)
    url = reverse("kunjungan:tindak_lanjut_selesai", args=[k.pk])
    response = client.post(url, follow=True)
    assert "tidak punya tindak lanjut" in response.content.decode()
    k.refresh_from_db()
    assert not k.tindak_lanjut_selesai


@pytest.mark.parametrize("banyak", [1, 10])
def test_home_queries_do_not_grow(client, personas, banyak, django_assert_num_queries):
    for i in range(banyak):
        kelompok, anggota = kelompok_dengan_anggota(personas.klaster_lebak, 2)
        beri_pinjaman(personas, anggota[0])
        catat(personas.fasilitator, kelompok, hari_lalu=35, tindak_lanjut=f"tugas {i}")
    client.force_login(personas.fasilitator)
    client.get(BERANDA)
    # session, user, groups and permissions (one query), kelompok with last visit,
    # kelompok ids, arrears per kelompok (one query: the overdue loans' kept position),
    # open follow-ups; no session save (the warm-up request saved it)
    with django_assert_num_queries(7):
        assert client.get(BERANDA).status_code == 200


# ---------------------------------------------------------------- history and detail


@pytest.fixture
def riwayat(personas):
    kelompok, anggota = kelompok_dengan_anggota(personas.klaster_lebak, 4, kode="H-01")
    lain, _ = kelompok_dengan_anggota(personas.klaster_lebak, 2, kode="H-02")
    pinjaman = beri_pinjaman(personas, anggota[0])
    f2 = UserFactory(username="fasilitator_b", grup="Fasilitator")
    from klaster.tests.factories import PenugasanFactory

    PenugasanFactory(pengguna=f2, klaster=personas.klaster_lebak)
    k1 = catat(
        personas.fasilitator,
        kelompok,
        hari_lalu=0,
        hadir=anggota[:3],
        pendapatan={anggota[1].pk: Decimal("750000")},
        angsuran={anggota[0].pk: Decimal("100000")},
        ringkasan="Pertemuan bulan ini",
    )
    k2 = catat(f2, lain, hari_lalu=0, jenis_kegiatan="pelatihan")
    return {
        "kelompok": kelompok,
        "anggota": anggota,
        "pinjaman": pinjaman,
        "k1": k1,
        "k2": k2,
        "f2": f2,
    }


def test_history_lists_visits_and_filters(client, personas, riwayat):
    client.force_login(personas.manajer)
    semua = client.get(DAFTAR)
    assert list(semua.context["halaman"]) == [riwayat["k2"], riwayat["k1"]]
    baris = {k.pk: k.jumlah_hadir for k in semua.context["halaman"]}
    assert baris == {riwayat["k1"].pk: 3, riwayat["k2"].pk: 0}
    by_kelompok = client.get(DAFTAR, {"kelompok": riwayat["kelompok"].pk})
    assert list(by_kelompok.context["halaman"]) == [riwayat["k1"]]
    by_fasilitator = client.get(DAFTAR, {"fasilitator": riwayat["f2"].pk})
    assert list(by_fasilitator.context["halaman"]) == [riwayat["k2"]]
    by_jenis = client.get(DAFTAR, {"jenis": "pelatihan"})
    assert list(by_jenis.context["halaman"]) == [riwayat["k2"]]
    bulan = hari_ini().strftime("%Y-%m")
    assert len(client.get(DAFTAR, {"bulan": bulan}).context["halaman"]) == 2
    lalu = (hari_ini() - relativedelta(months=1)).strftime("%Y-%m")
    assert len(client.get(DAFTAR, {"bulan": lalu}).context["halaman"]) == 0


@pytest.mark.parametrize("banyak", [2, 20])
def test_history_queries_do_not_grow(client, personas, banyak, django_assert_num_queries):
    kelompok, anggota = kelompok_dengan_anggota(personas.klaster_lebak, 3)
    for _ in range(banyak):
        catat(personas.fasilitator, kelompok, hadir=anggota)
    client.force_login(personas.manajer)
    client.get(DAFTAR)
    # session, user, groups and permissions, count, page of visits, kelompok choices,
    # fasilitator choices, the first and last visit's months (the month choices)
    with django_assert_num_queries(8):
        assert client.get(DAFTAR).status_code == 200


def test_detail_shows_attendance_readings_and_instalments(client, personas, riwayat):
    client.force_login(personas.fasilitator)
    k1 = riwayat["k1"]
    response = client.get(k1.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    for m in riwayat["anggota"][:3]:
        assert m.nama in html
    assert riwayat["anggota"][3].nama not in html
    assert "Rp750.000" in html
    assert riwayat["pinjaman"].nomor in html and "Rp100.000" in html


@pytest.mark.parametrize("banyak", [1, 10])
def test_detail_queries_do_not_grow(client, personas, banyak, django_assert_num_queries):
    kelompok, anggota = kelompok_dengan_anggota(personas.klaster_lebak, banyak)
    k = catat(
        personas.fasilitator,
        kelompok,
        hadir=anggota,
        pendapatan={m.pk: Decimal("1000") for m in anggota},
    )
    client.force_login(personas.fasilitator)
    client.get(k.get_absolute_url())
    # session, user, groups and permissions, the visit, attendance, readings, instalments
    with django_assert_num_queries(7):
        assert client.get(k.get_absolute_url()).status_code == 200


# ---------------------------------------------------------------- the kelompok and mitra panels


def test_kelompok_panel_shows_the_visit_timeline(personas, riwayat, django_assert_num_queries):
    with django_assert_num_queries(1):
        timeline = selectors.kunjungan_untuk_kelompok(riwayat["kelompok"])
    assert timeline == [riwayat["k1"]]
    assert (timeline[0].jumlah_hadir, timeline[0].jumlah_pengukuran) == (3, 1)
    assert timeline[0].total_angsuran == Decimal("100000")
    html = render_to_string(
        "kunjungan/includes/_panel_kelompok.html",
        {"kelompok": riwayat["kelompok"], "kunjungan_kelompok": timeline, "kunjungan_terakhir": 20},
    )
    assert "3 hadir" in html and "1 pengukuran pendapatan" in html and "Rp100.000" in html


def test_mitra_panel_shows_attendance_readings_and_instalments(
    personas, riwayat, django_assert_num_queries
):
    peminjam, pengukur = riwayat["anggota"][0], riwayat["anggota"][1]
    with django_assert_num_queries(3):
        data = selectors.kunjungan_untuk_mitra(peminjam)
    assert data["hadir"] == [riwayat["k1"]]
    assert [a.jumlah for a in data["angsuran"]] == [Decimal("100000")]
    html = render_to_string("kunjungan/includes/_panel_mitra.html", {"kunjungan_mitra": data})
    assert "Hadir di 1 kunjungan" in html and "Rp100.000" in html
    data = selectors.kunjungan_untuk_mitra(pengukur)
    assert [p.pendapatan_bulanan for p in data["pengukuran"]] == [Decimal("750000")]
    absen = selectors.kunjungan_untuk_mitra(riwayat["anggota"][3])
    assert absen["hadir"] == [] and absen["pengukuran"] == [] and absen["angsuran"] == []


# ---------------------------------------------------------------- manager tables


def test_rekap_counts_visits_per_facilitator_per_month(client, personas, riwayat):
    catat(personas.fasilitator, riwayat["kelompok"], hari_lalu=0)
    client.force_login(personas.manajer)
    response = client.get(REKAP, {"tahun": hari_ini().year})
    assert response.status_code == 200
    bulan = hari_ini().month - 1
    per_nama = {b["nama"]: b for b in response.context["baris"]}
    f1 = personas.fasilitator.get_full_name() or personas.fasilitator.username
    f2 = riwayat["f2"].get_full_name() or riwayat["f2"].username
    # independent count from the table itself
    n1 = Kunjungan.objects.filter(fasilitator=personas.fasilitator).count()
    assert per_nama[f1]["bulan"][bulan] == n1 == 2 and per_nama[f1]["total"] == 2
    assert per_nama[f2]["total"] == 1
    assert response.context["total"] == Kunjungan.objects.count() == 3


def test_cakupan_counts_kelompok_not_visited_in_30_60_90_days(client, personas):
    klaster = personas.klaster_lebak
    for hari, kode in [(10, "K10"), (45, "K45"), (75, "K75"), (120, "K120")]:
        kelompok, _ = kelompok_dengan_anggota(klaster, 1, kode=kode)
        catat(personas.fasilitator, kelompok, hari_lalu=hari)
    # personas.kelompok_lebak: never visited
    client.force_login(personas.manajer)
    response = client.get(CAKUPAN)
    assert response.status_code == 200
    ringkasan = {r["hari"]: r["jumlah"] for r in response.context["ringkasan"]}
    assert ringkasan == {30: 4, 60: 3, 90: 2}
    assert [k.kode for k in response.context["daftar"]] == [
        personas.kelompok_lebak.kode,
        "K120",
        "K75",
        "K45",
    ]
    sembilan_puluh = client.get(CAKUPAN, {"hari": 90})
    assert [k.kode for k in sembilan_puluh.context["daftar"]] == [
        personas.kelompok_lebak.kode,
        "K120",
    ]
    assert "K120" in sembilan_puluh.content.decode()


@pytest.mark.parametrize("url", [REKAP, CAKUPAN])
def test_manager_tables_are_403_for_a_fasilitator_and_405_for_post(client, personas, url):
    client.force_login(personas.fasilitator)
    assert client.get(url).status_code == 403
    client.force_login(personas.manajer)
    assert client.post(url).status_code == 405


def test_manager_tables_do_not_show_another_klaster(client, personas):
    kelompok, _ = kelompok_dengan_anggota(personas.klaster_lain, 1, kode="LAIN-9")
    pf = UserFactory(username="fas_lain", grup="Fasilitator")
    from klaster.tests.factories import PenugasanFactory

    PenugasanFactory(pengguna=pf, klaster=personas.klaster_lain)
    catat(pf, kelompok)
    client.force_login(personas.manajer)
    assert client.get(REKAP).context["total"] == 0
    assert "LAIN-9" not in client.get(CAKUPAN).content.decode()


@pytest.mark.parametrize("banyak", [1, 10])
def test_manager_tables_queries_do_not_grow(client, personas, banyak, django_assert_num_queries):
    for _ in range(banyak):
        kelompok, _ = kelompok_dengan_anggota(personas.klaster_lebak, 1)
        catat(personas.fasilitator, kelompok, hari_lalu=31)
    client.force_login(personas.manajer)
    client.get(REKAP)
    # session, user, groups and permissions, years with visits, one aggregate
    with django_assert_num_queries(5):
        client.get(REKAP)
    # session, user, groups and permissions, kelompok with last visit
    with django_assert_num_queries(4):
        client.get(CAKUPAN)


# ---------------------------------------------------------------- photo


def foto_jpeg(lebar=3000, tinggi=2000, *, orientasi=6) -> bytes:
    """A phone photo: landscape pixels, EXIF saying "rotate 90°", and a GPS position."""
    gambar = Image.new("RGB", (lebar, tinggi), (120, 160, 60))
    exif = Image.Exif()
    exif[0x0112] = orientasi
    exif[0x010F] = "Ponsel Uji"
    exif[0x8825] = {1: "S", 2: (6.0, 30.0, 0.0), 3: "E", 4: (106.0, 10.0, 0.0)}
    keluaran = io.BytesIO()
    gambar.save(keluaran, "JPEG", exif=exif)
    return keluaran.getvalue()


@pytest.mark.parametrize("simpan_lokasi", [False, True])
def test_photo_is_resized_upright_and_gps_stripped_unless_kept(client, personas, simpan_lokasi):
    kelompok, anggota = kelompok_dengan_anggota(personas.klaster_lebak, 2)
    asli = foto_jpeg()
    assert Image.open(io.BytesIO(asli)).getexif().get_ifd(0x8825)  # the input has GPS
    data = data_kunjungan(hadir=anggota)
    data["foto"] = SimpleUploadedFile("IMG_0001.jpg", asli, content_type="image/jpeg")
    if simpan_lokasi:
        data["simpan_lokasi_foto"] = "on"
    client.force_login(personas.fasilitator)
    url = f"{reverse('kunjungan:baru')}?kelompok={kelompok.pk}"
    assert client.post(url, data).status_code == 302
    k = Kunjungan.objects.get()
    with k.foto.open("rb") as f:
        hasil = Image.open(io.BytesIO(f.read()))
    assert hasil.format == "JPEG"
    # 3000×2000 turned upright (orientation 6) is 2000×3000, scaled to a 1600 px long side
    assert hasil.size == (1067, 1600)
    exif = hasil.getexif()
    assert 0x0112 not in exif  # orientation applied, not left for the viewer
    assert bool(exif.get_ifd(0x8825)) is simpan_lokasi
    if simpan_lokasi:
        assert exif.get_ifd(0x8825)[1] == "S"


def test_small_photo_is_not_enlarged(personas):
    kelompok, _ = kelompok_dengan_anggota(personas.klaster_lebak, 1)
    foto = SimpleUploadedFile("kecil.jpg", foto_jpeg(800, 600, orientasi=1))
    k = catat(personas.fasilitator, kelompok, foto=foto)
    with k.foto.open("rb") as f:
        assert Image.open(io.BytesIO(f.read())).size == (800, 600)


def test_a_file_that_is_not_a_photo_is_refused(client, personas):
    kelompok, anggota = kelompok_dengan_anggota(personas.klaster_lebak, 1)
    data = data_kunjungan(hadir=anggota)
    data["foto"] = SimpleUploadedFile("catatan.jpg", b"bukan gambar", content_type="image/jpeg")
    client.force_login(personas.fasilitator)
    url = f"{reverse('kunjungan:baru')}?kelompok={kelompok.pk}"
    response = client.post(url, data)
    assert response.status_code == 422
    assert Kunjungan.objects.count() == 0


# ---------------------------------------------------------------- page weight


def test_meeting_screen_weighs_under_200_kb_before_photos(client, personas):
    """HTML + CSS + JS as sent (whitenoise serves static compressed): gzip sizes."""
    kelompok, anggota = kelompok_dengan_anggota(personas.klaster_lebak, 30)
    for m in anggota[:10]:
        beri_pinjaman(personas, m)
    client.force_login(personas.fasilitator)
    response = client.get(f"{reverse('kunjungan:baru')}?kelompok={kelompok.pk}")
    html = response.content
    aset = re.findall(rb'(?:href|src)="/static/([^"]+\.(?:css|js))"', html)
    assert {b"css/kunjungan.css", b"js/kunjungan.js"} <= set(aset)
    ukuran = {"html": len(gzip.compress(html))}
    for nama in aset:
        with open(finders.find(nama.decode()), "rb") as f:
            ukuran[nama.decode()] = len(gzip.compress(f.read()))
    total = sum(ukuran.values())
    print(f"meeting screen, 30 members, gzip bytes: {ukuran} total={total}")
    assert total < 200 * 1024
    # and even uncompressed, the HTML itself stays small
    assert len(html) < 60 * 1024


def test_a_refused_visit_leaves_no_photo_behind(client, personas, settings):
    kelompok, anggota = kelompok_dengan_anggota(personas.klaster_lebak, 2)
    beri_pinjaman(personas, anggota[0])
    data = data_kunjungan(hadir=anggota, angsuran={anggota[0]: "9000000"})
    data["foto"] = SimpleUploadedFile("IMG_0002.jpg", foto_jpeg(), content_type="image/jpeg")
    client.force_login(personas.fasilitator)
    url = f"{reverse('kunjungan:baru')}?kelompok={kelompok.pk}"
    assert client.post(url, data).status_code == 422
    assert Kunjungan.objects.count() == 0
    media = settings.MEDIA_ROOT
    berkas = [p for p in media.rglob("*") if p.is_file()] if media.exists() else []
    assert berkas == []


# ---------------------------------------------------------------- admin


@pytest.mark.parametrize(
    "nama", ["admin:kunjungan_kunjungan_changelist", "admin:klaster_gariskemiskinan_changelist"]
)
def test_admin_lists_load(client, personas, nama):
    kelompok, anggota = kelompok_dengan_anggota(personas.klaster_lebak, 2)
    k = catat(personas.fasilitator, kelompok, hadir=anggota)
    client.force_login(personas.admin)
    assert client.get(reverse(nama)).status_code == 200
    ubah = reverse("admin:kunjungan_kunjungan_change", args=[k.pk])
    assert client.get(ubah).status_code == 200

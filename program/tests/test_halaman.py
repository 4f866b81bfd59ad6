"""The programme pages: the allowed case, the outsider (404), the wrong role (403), the
wrong method (405), bad input (a clear message, nothing saved), and the survey screen's
JSON answers for the offline queue (idempotent by uuid)."""

import datetime
import uuid
from decimal import Decimal

import pytest
from django.urls import reverse

from program.models import JawabanSurvei, KegiatanProgram, PihakLuar, PutaranSurvei, TautanPasar
from program.tests.data_program import buat_data_program
from program.tests.factories import butir_modal_sosial, butir_spiritual

D = datetime.date


@pytest.fixture
def data(personas):
    return buat_data_program(personas)


def halaman_objek(data):
    return [
        reverse("program:kegiatan_detail", args=[data.kegiatan.pk]),
        reverse("program:kegiatan_foto", args=[data.kegiatan.pk]),
        reverse("program:pihak_luar_detail", args=[data.pihak.pk]),
        reverse("program:tautan_detail", args=[data.tautan.pk]),
        reverse("program:putaran_detail", args=[data.baseline.pk]),
        reverse("program:survei_isi", args=[data.endline.pk, data.kelompok_a.pk]),
        reverse("program:kegiatan_baru") + f"?klaster={data.klaster.pk}",
        reverse("program:pihak_luar_baru") + f"?klaster={data.klaster.pk}",
        reverse("program:tautan_baru") + f"?klaster={data.klaster.pk}",
    ]


def test_fasilitator2_gets_404_on_every_lebak_page_and_object(client, data, personas):
    client.force_login(personas.fasilitator2)
    for url in halaman_objek(data):
        assert client.get(url).status_code == 404, url
    # the survey screen of a Lebak round with fasilitator2's own kelompok: still 404
    url = reverse("program:survei_isi", args=[data.endline.pk, personas.kelompok_lain.pk])
    assert client.get(url).status_code == 404


def test_lists_show_only_the_users_klaster(client, data, personas):
    client.force_login(personas.fasilitator2)
    for nama, teks_lebak in (
        ("program:kegiatan_list", "Pelatihan pembukuan"),
        ("program:pihak_luar_list", "Bank BRI Unit Leuwidamar"),
        ("program:tautan_list", "CV Aren Sejahtera"),
        ("program:putaran_list", "Baseline 2024"),
    ):
        r = client.get(reverse(nama))
        assert r.status_code == 200
        assert teks_lebak not in r.content.decode(), nama
    client.force_login(personas.fasilitator)
    r = client.get(reverse("program:kegiatan_list"))
    assert "Pelatihan pembukuan" in r.content.decode()
    assert "Pelatihan Malingping" not in r.content.decode()


def test_pages_open_for_the_lebak_facilitator(client, data, personas):
    client.force_login(personas.fasilitator)
    for url in halaman_objek(data):
        if "foto" in url:
            continue  # no photo in the fixture: 404 by design
        assert client.get(url).status_code == 200, url


def test_only_managers_open_a_survey_round(client, data, personas):
    client.force_login(personas.fasilitator)
    url = reverse("program:putaran_baru") + f"?klaster={data.klaster.pk}"
    assert client.get(url).status_code == 403
    assert client.post(url, {"nama": "Endline 2025"}).status_code == 403
    client.force_login(personas.manajer)
    r = client.post(
        url,
        {
            "nama": "Monitoring 2024",
            "jenis": "monitoring",
            "kuesioner": "km-1",
            "tanggal_mulai": "2024-06-01",
        },
    )
    putaran = PutaranSurvei.objects.get(nama="Monitoring 2024")
    assert r.status_code == 302 and r["Location"] == putaran.get_absolute_url()


def test_wrong_method_is_405(client, data, personas):
    client.force_login(personas.fasilitator)
    for url in (
        reverse("program:kegiatan_list"),
        reverse("program:kegiatan_detail", args=[data.kegiatan.pk]),
        reverse("program:putaran_detail", args=[data.baseline.pk]),
    ):
        assert client.post(url).status_code == 405, url
    assert client.put(reverse("program:kegiatan_baru")).status_code == 405


def test_activity_form_records_attendance_and_is_idempotent(client, data, personas):
    client.force_login(personas.fasilitator)
    url = reverse("program:kegiatan_baru") + f"?klaster={data.klaster.pk}"
    assert client.get(url).status_code == 200
    kirim = {
        "uuid": str(uuid.uuid4()),
        "jenis": "kesehatan",
        "judul": "Cek kesehatan gratis",
        "tanggal": "2024-09-09",
        "fasilitator": personas.fasilitator.pk,
        "jam": "1,5",
        "biaya": "250.000",
        "sumber_dana": data.zakat.pk,
        "peserta": [data.h["H1"].pk, data.h["H6"].pk],
        "pihak_luar": [data.pihak.pk],
    }
    r = client.post(url, kirim)
    k = KegiatanProgram.objects.get(judul="Cek kesehatan gratis")
    assert r.status_code == 302 and r["Location"] == k.get_absolute_url()
    assert (k.jam, k.biaya, k.jumlah_peserta) == (Decimal("1.50"), Decimal("250000.00"), 2)
    assert set(k.peserta.values_list("pk", flat=True)) == {data.h["H1"].pk, data.h["H6"].pk}
    # the same form sent again: one activity
    client.post(url, kirim)
    assert KegiatanProgram.objects.filter(judul="Cek kesehatan gratis").count() == 1


def test_activity_with_cost_but_no_fund_is_refused_with_a_message(client, data, personas):
    client.force_login(personas.fasilitator)
    url = reverse("program:kegiatan_baru") + f"?klaster={data.klaster.pk}"
    sebelum = KegiatanProgram.objects.count()
    r = client.post(
        url,
        {
            "uuid": str(uuid.uuid4()),
            "jenis": "pelatihan",
            "judul": "Tanpa sumber",
            "tanggal": "2024-09-09",
            "fasilitator": personas.fasilitator.pk,
            "jam": "2",
            "biaya": "100000",
        },
    )
    assert r.status_code == 422
    assert "Pilih sumber dana untuk biaya Rp100.000." in r.content.decode()
    assert KegiatanProgram.objects.count() == sebelum


def test_activity_with_an_outsiders_participant_is_refused(client, data, personas):
    from mitra.tests.factories import MitraFactory

    client.force_login(personas.fasilitator)
    orang_lain = MitraFactory(kelompok=personas.kelompok_lain)
    url = reverse("program:kegiatan_baru") + f"?klaster={data.klaster.pk}"
    r = client.post(
        url,
        {
            "uuid": str(uuid.uuid4()),
            "jenis": "pelatihan",
            "judul": "Coba",
            "tanggal": "2024-09-09",
            "fasilitator": personas.fasilitator.pk,
            "jam": "2",
            "peserta": [orang_lain.pk],
        },
    )
    assert r.status_code == 422
    assert "bukan mitra klaster ini" in r.content.decode()
    assert not KegiatanProgram.objects.filter(judul="Coba").exists()


def test_outside_party_and_market_link_forms(client, data, personas):
    client.force_login(personas.fasilitator)
    r = client.post(
        reverse("program:pihak_luar_baru") + f"?klaster={data.klaster.pk}",
        {"nama": "Universitas Mathla'ul Anwar", "jenis": "perguruan_tinggi", "kontak": ""},
    )
    pihak = PihakLuar.objects.get(nama="Universitas Mathla'ul Anwar")
    assert r.status_code == 302
    # a second one with the same name is refused
    r = client.post(
        reverse("program:pihak_luar_baru") + f"?klaster={data.klaster.pk}",
        {"nama": "universitas mathla'ul anwar", "jenis": "lsm"},
    )
    assert r.status_code == 422 and "sudah terdaftar" in r.content.decode()
    # a link names a mitra OR a kelompok
    url = reverse("program:tautan_baru") + f"?klaster={data.klaster.pk}"
    r = client.post(
        url,
        {
            "pihak_luar": pihak.pk,
            "jenis": "program_pemerintah",
            "mitra": data.h["H2"].pk,
            "kelompok": data.kelompok_a.pk,
            "tanggal_mulai": "2024-09-01",
        },
    )
    assert r.status_code == 422
    assert "Pilih salah satu: seorang mitra atau satu kelompok." in r.content.decode()
    r = client.post(
        url,
        {
            "pihak_luar": pihak.pk,
            "jenis": "program_pemerintah",
            "mitra": data.h["H2"].pk,
            "tanggal_mulai": "2024-09-01",
            "nilai_per_bulan": "Rp1.250.000",
        },
    )
    t = TautanPasar.objects.get(pihak_luar=pihak)
    assert r.status_code == 302 and t.nilai_per_bulan == Decimal("1250000.00")


def _jawaban(mitra, **ubah):
    data = {
        "uuid": str(uuid.uuid4()),
        "mitra": mitra.pk,
        "tanggal": "2024-11-05",
        "jumlah_anggota_keluarga": "4",
        "pendapatan_rumah_tangga": "1.750.000",
        **{f"ms_{k}": v for k, v in butir_modal_sosial(4, 4, 3).items()},
        **butir_spiritual("3.4"),
    }
    data.update(ubah)
    return data


def test_survey_screen_records_one_answer_per_uuid_in_json(client, data, personas):
    from mitra.tests.factories import MitraFactory

    baru = MitraFactory(nama="Kokom", kelompok=data.kelompok_a)
    client.force_login(personas.fasilitator)
    url = reverse("program:survei_isi", args=[data.endline.pk, data.kelompok_a.pk])
    r = client.get(url)
    assert r.status_code == 200
    assert "Kokom" in r.content.decode()
    kirim = _jawaban(baru)
    for _ in range(2):
        r = client.post(url, kirim, headers={"X-Requested-With": "fetch"})
        assert r.status_code == 200 and r.json()["ok"] is True
        assert r.json()["uuid"] == kirim["uuid"]
    j = JawabanSurvei.objects.get(putaran=data.endline, mitra=baru)
    assert j.indeks_relasi == Decimal("75.00") and j.indeks_jejaring == Decimal("50.00")
    assert j.skor_spiritual == Decimal("3.40")
    assert j.pendapatan_rumah_tangga == Decimal("1750000.00")
    # another interview of the same member in the same round (new uuid) is refused
    r = client.post(url, _jawaban(baru), headers={"X-Requested-With": "fetch"})
    assert r.status_code == 422
    assert any("sudah diwawancarai" in p for p in r.json()["pesan"])
    assert JawabanSurvei.objects.filter(putaran=data.endline, mitra=baru).count() == 1


def test_survey_answer_with_a_missing_item_names_the_member_and_saves_nothing(
    client, data, personas
):
    from mitra.tests.factories import MitraFactory

    baru = MitraFactory(nama="Kokom", kelompok=data.kelompok_a)
    client.force_login(personas.fasilitator)
    url = reverse("program:survei_isi", args=[data.endline.pk, data.kelompok_a.pk])
    kirim = _jawaban(baru)
    del kirim["ms_j2"]
    r = client.post(url, kirim, headers={"X-Requested-With": "fetch"})
    assert r.status_code == 422
    assert any(p.startswith("Kokom · ") and "Pilih 1 sampai 5" in p for p in r.json()["pesan"])
    assert not JawabanSurvei.objects.filter(mitra=baru).exists()
    # the plain form post shows the page again with the member's form and its error
    r = client.post(url, kirim)
    assert r.status_code == 422 and "Jawaban belum tersimpan." in r.content.decode()


def test_survey_answer_outside_the_rounds_dates_is_refused(client, data, personas):
    from mitra.tests.factories import MitraFactory

    baru = MitraFactory(nama="Kokom", kelompok=data.kelompok_a)
    client.force_login(personas.fasilitator)
    url = reverse("program:survei_isi", args=[data.endline.pk, data.kelompok_a.pk])
    r = client.post(
        url, _jawaban(baru, tanggal="2024-12-20"), headers={"X-Requested-With": "fetch"}
    )
    assert r.status_code == 422
    assert any("sudah ditutup" in p for p in r.json()["pesan"])


def test_survey_plain_post_moves_on_to_the_next_member(client, data, personas):
    from mitra.tests.factories import MitraFactory

    a = MitraFactory(nama="Aaa Pertama", kelompok=data.kelompok_a)
    client.force_login(personas.fasilitator)
    url = reverse("program:survei_isi", args=[data.endline.pk, data.kelompok_a.pk])
    r = client.post(url, _jawaban(a))
    assert r.status_code == 302
    assert r["Location"] == f"{url}#anggota-{data.h['H1'].pk}"  # Ahmad comes after "Aaa"

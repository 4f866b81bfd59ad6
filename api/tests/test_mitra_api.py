"""Registering a mitra through the API: the web form's service, rules and messages (the same
bad input through both doors gives the same message)."""

import datetime
from decimal import Decimal
from html import unescape

import pytest
from django.urls import reverse

from klaster.tests.factories import KEC_LAIN, desa_di
from mitra.models import Mitra
from mitra.tests.factories import MitraFactory
from mitra.tests.test_mitra_form import NIK_LAKI, data_mitra

URL = reverse("api:mitra-list")


def data_api(**ubah):
    """The web form's data as the API takes it (no empty strings for missing values)."""
    data = {k: v for k, v in data_mitra().items() if v != ""}
    data["jumlah_anggota_keluarga"] = int(data["jumlah_anggota_keluarga"])
    data.update(ubah)
    return data


def test_fasilitator_registers_a_mitra_and_reads_the_full_record(personas, klien_token):
    klien = klien_token(personas.fasilitator)
    respons = klien.post(URL, data_api(kelompok=personas.kelompok_lebak.pk), format="json")
    assert respons.status_code == 201, respons.json()
    mitra = Mitra.objects.get(nik=NIK_LAKI)
    assert mitra.klaster == personas.klaster_lebak and mitra.kelompok == personas.kelompok_lebak
    assert mitra.history.latest().history_user == personas.fasilitator
    data = respons.json()
    assert respons["Location"] == reverse("api:mitra-detail", args=[mitra.pk])
    assert data["nik"] == NIK_LAKI and data["tanggal_lahir"] == "1980-05-12"
    assert data["telepon"] == "081234567890"


def test_dotted_nik_and_the_users_only_klaster(personas, klien_token):
    respons = klien_token(personas.manajer).post(
        URL,
        data_api(
            nik="3602.0645.0185.0002",
            nama="Euis Kurniasih",
            jenis_kelamin="P",
            tanggal_lahir="1985-01-05",
        ),
        format="json",
    )
    assert respons.status_code == 201, respons.json()
    mitra = Mitra.objects.get(nama="Euis Kurniasih")
    assert mitra.nik == "3602064501850002" and mitra.klaster == personas.klaster_lebak


@pytest.mark.parametrize(
    ("ubah", "field", "pesan"),
    [
        ({"nik": "9901011205800001"}, "nik", "bukan kode kecamatan yang terdaftar"),
        ({"nik": "360206120580001"}, "nik", "NIK harus 16 digit, yang diisi 15 digit"),
        ({"nik": "3602061205800000"}, "nik", "tidak boleh 0000"),
        ({"telepon": "telepon-saya"}, "telepon", "tidak dikenali"),
    ],
)
def test_same_bad_input_same_message_through_the_web_and_the_api(
    client, personas, klien_token, ubah, field, pesan
):
    respons = klien_token(personas.fasilitator).post(URL, data_api(**ubah), format="json")
    assert respons.status_code == 400
    pesan_api = respons.json()[field]
    assert any(pesan in p for p in pesan_api), pesan_api
    client.force_login(personas.fasilitator)
    web = unescape(client.post(reverse("mitra:tambah"), data_mitra(**ubah)).content.decode())
    for p in pesan_api:
        assert p in web, f"the web form does not say {p!r}"
    assert not Mitra.objects.exists()


def test_a_nik_that_disagrees_with_the_birth_date_needs_confirmation(personas, klien_token):
    klien = klien_token(personas.fasilitator)
    respons = klien.post(URL, data_api(tanggal_lahir="1980-05-13"), format="json")
    assert respons.status_code == 400
    galat = respons.json()["konfirmasi_beda_nik"]
    assert "Tanggal lahir 13 Mei 1980 berbeda dengan tanggal lahir di NIK (12 Mei 1980)." in galat
    assert not Mitra.objects.exists()
    respons = klien.post(
        URL, data_api(tanggal_lahir="1980-05-13", konfirmasi_beda_nik=True), format="json"
    )
    assert respons.status_code == 201
    assert Mitra.objects.get(nik=NIK_LAKI).tanggal_lahir == datetime.date(1980, 5, 13)


def test_duplicate_nik_in_and_out_of_scope(personas, klien_token):
    MitraFactory(nik=NIK_LAKI, nama="Ujang Sutisna", klaster=personas.klaster_lain)
    respons = klien_token(personas.fasilitator).post(URL, data_api(), format="json")
    assert respons.status_code == 400
    assert respons.json()["nik"] == [
        "NIK ini sudah terdaftar di program. Periksa kembali NIK dari KTP; jika sudah benar, "
        "hubungi admin program."
    ]
    assert "Ujang" not in respons.content.decode()
    respons = klien_token(personas.fasilitator2).post(
        URL,
        data_api(kelompok=personas.kelompok_lain.pk, desa=desa_di(KEC_LAIN)[0].kode),
        format="json",
    )
    assert respons.status_code == 400
    assert "Ujang Sutisna" in respons.json()["nik"][0]


def test_unknown_desa_and_missing_fields_are_400(personas, klien_token):
    klien = klien_token(personas.fasilitator)
    respons = klien.post(URL, data_api(desa="99.99.99.9999"), format="json")
    assert respons.status_code == 400 and "Kode desa tidak dikenal" in respons.json()["desa"][0]
    data = data_api()
    del data["nama"]
    respons = klien.post(URL, data, format="json")
    assert respons.status_code == 400 and "nama" in respons.json()
    assert not Mitra.objects.exists()


def test_user_in_several_klaster_must_name_one(personas, klien_token):
    from klaster.tests.factories import PenugasanFactory

    PenugasanFactory(pengguna=personas.fasilitator, klaster=personas.klaster_lain)
    respons = klien_token(personas.fasilitator).post(URL, data_api(), format="json")
    assert respons.status_code == 400
    assert respons.json()["klaster"] == ["Pilih kelompok atau klaster mitra ini."]


def test_a_new_member_has_not_left_and_may_bring_a_baseline(personas, klien_token):
    klien = klien_token(personas.fasilitator)
    keluar = klien.post(URL, data_api(status="keluar"), format="json")
    assert keluar.status_code == 400 and "status" in keluar.json()
    respons = klien.post(URL, data_api(pendapatan_awal="1250000"), format="json")
    assert respons.status_code == 201, respons.json()
    mitra = Mitra.objects.get(nik=NIK_LAKI)
    baseline = mitra.pengukuran.get()
    assert (baseline.jenis, baseline.pendapatan_bulanan) == ("baseline", Decimal("1250000"))
    assert baseline.tanggal == mitra.tanggal_bergabung

"""Registering and editing a mitra through the pages: NIK rules, warning, duplicate, scope."""

import datetime

import pytest
from django.urls import reverse

from kelompok.tests.factories import KelompokFactory
from klaster.tests.factories import KEC_LAIN, UserFactory, desa_di
from mitra.models import Mitra
from mitra.tests.factories import MitraFactory

pytestmark = pytest.mark.django_db

NIK_LAKI = "3602061205800001"  # 12 May 1980, man
NIK_PEREMPUAN = "3602064501850002"  # 5 January 1985, woman


def data_mitra(**ubah):
    data = {
        "nik": NIK_LAKI,
        "nama": "Asep Saepudin",
        "jenis_kelamin": "L",
        "tanggal_lahir": "1980-05-12",
        "telepon": "081234567890",
        "kelompok": "",
        "desa": "36.02.06.2002",
        "alamat": "Kp. Cisimeut RT 02/01",
        "sektor": "pertanian",
        "jenis_usaha": "Padi sawah",
        "status": "aktif",
        "tanggal_bergabung": "2011-06-01",
        "tanggal_keluar": "",
        "jumlah_anggota_keluarga": "4",
    }
    data.update(ubah)
    return data


def tambah(client, **ubah):
    return client.post(reverse("mitra:tambah"), data_mitra(**ubah))


def test_fasilitator_registers_a_man(client, personas):
    client.force_login(personas.fasilitator)
    response = tambah(client, kelompok=personas.kelompok_lebak.pk)
    mitra = Mitra.objects.get(nik=NIK_LAKI)
    assert response.status_code == 302
    assert response["Location"] == reverse("mitra:detail", args=[mitra.pk])
    assert mitra.klaster == personas.klaster_lebak  # derived from the kelompok
    assert mitra.kelompok == personas.kelompok_lebak
    assert mitra.tanggal_lahir == datetime.date(1980, 5, 12)
    assert mitra.history.latest().history_user == personas.fasilitator


def test_manajer_registers_a_woman_with_dotted_nik(client, personas):
    client.force_login(personas.manajer)
    response = tambah(
        client,
        nik="3602.0645.0185.0002",
        nama="Euis Kurniasih",
        jenis_kelamin="P",
        tanggal_lahir="1985-01-05",
    )
    assert response.status_code == 302
    mitra = Mitra.objects.get(nama="Euis Kurniasih")
    assert mitra.nik == NIK_PEREMPUAN
    assert mitra.klaster == personas.klaster_lebak  # the manajer's only klaster
    assert mitra.kelompok is None


@pytest.mark.parametrize(
    "nik, pesan",
    [
        ("9901011205800001", "bukan kode kecamatan yang terdaftar"),
        ("360206120580001", "NIK harus 16 digit, yang diisi 15 digit"),
        ("36020612O5800001", "NIK hanya boleh berisi angka"),
        ("3602063202800001", "bukan tanggal lahir yang mungkin"),
        ("3602061205800000", "tidak boleh 0000"),
    ],
)
def test_bad_nik_comes_back_with_the_message_and_saves_nothing(client, personas, nik, pesan):
    client.force_login(personas.fasilitator)
    response = tambah(client, nik=nik)
    assert response.status_code == 422
    assert pesan in response.content.decode()
    assert not Mitra.objects.exists()


def test_bad_form_input_re_renders_in_indonesian_and_saves_nothing(client, personas):
    client.force_login(personas.fasilitator)
    response = tambah(client, nama="", tanggal_lahir="31-02-1980", jumlah_anggota_keluarga="0")
    html = response.content.decode()
    assert response.status_code == 422
    assert "Bidang ini tidak boleh kosong." in html
    assert "Masukkan tanggal yang valid." in html
    assert 'value="Kp. Cisimeut RT 02/01"' in html  # what was typed is kept
    assert not Mitra.objects.exists()


def test_exit_before_joining_is_refused(client, personas):
    # a new member has no exit date (issue 15, item 5): leaving is an edit of the record
    mitra = MitraFactory(
        nik=NIK_LAKI,
        tanggal_lahir=datetime.date(1980, 5, 12),
        jenis_kelamin="L",
        klaster=personas.klaster_lebak,
        tanggal_bergabung=datetime.date(2011, 6, 1),
    )
    client.force_login(personas.fasilitator)
    response = client.post(
        reverse("mitra:ubah", args=[mitra.pk]),
        data_mitra(status="keluar", tanggal_keluar="2010-01-01", desa=mitra.desa_id),
    )
    assert response.status_code == 422
    assert "Tanggal keluar tidak boleh sebelum tanggal bergabung." in response.content.decode()
    mitra.refresh_from_db()
    assert mitra.status == "aktif" and mitra.tanggal_keluar is None


def test_mismatched_birth_date_is_a_warning_saved_only_after_confirmation(client, personas):
    client.force_login(personas.fasilitator)
    response = tambah(client, tanggal_lahir="1980-05-13")
    html = response.content.decode()
    assert response.status_code == 422
    assert "Tanggal lahir 13 Mei 1980 berbeda dengan tanggal lahir di NIK (12 Mei 1980)." in html
    assert 'name="konfirmasi_beda_nik"' in html
    assert not Mitra.objects.exists()

    response = tambah(client, tanggal_lahir="1980-05-13", konfirmasi_beda_nik="on")
    assert response.status_code == 302
    assert Mitra.objects.get(nik=NIK_LAKI).tanggal_lahir == datetime.date(1980, 5, 13)


def test_mismatched_gender_is_a_warning(client, personas):
    client.force_login(personas.fasilitator)
    response = tambah(client, jenis_kelamin="P")
    assert response.status_code == 422
    assert "Jenis kelamin berbeda dengan NIK: menurut NIK laki-laki." in response.content.decode()
    assert not Mitra.objects.exists()


def test_confirmation_box_is_not_shown_without_a_warning(client, personas):
    client.force_login(personas.fasilitator)
    assert 'name="konfirmasi_beda_nik"' not in client.get(reverse("mitra:tambah")).content.decode()


def test_duplicate_nik_in_scope_names_the_existing_mitra(client, personas):
    MitraFactory(nik=NIK_LAKI, nama="Ujang Sutisna", klaster=personas.klaster_lebak)
    client.force_login(personas.fasilitator)
    response = tambah(client)
    assert response.status_code == 422
    assert "NIK ini sudah terdaftar atas nama Ujang Sutisna." in response.content.decode()
    assert Mitra.objects.count() == 1


def test_duplicate_nik_out_of_scope_reveals_nothing(client, personas):
    MitraFactory(nik=NIK_LAKI, nama="Ujang Sutisna", klaster=personas.klaster_lain)
    client.force_login(personas.fasilitator)
    response = tambah(client)
    html = response.content.decode()
    assert response.status_code == 422
    assert "NIK ini sudah terdaftar di program." in html
    assert "Ujang" not in html and personas.klaster_lain.nama not in html
    assert Mitra.objects.count() == 1


def test_desa_chooser_offers_only_the_klaster_kecamatan(client, personas):
    client.force_login(personas.fasilitator)
    response = client.get(reverse("mitra:tambah"))
    pilihan_desa = response.context["form"].fields["desa"].queryset
    assert {d.induk_id for d in pilihan_desa} == {"36.02.06"}
    assert pilihan_desa.count() == len(desa_di("36.02.06"))


def test_desa_of_another_kecamatan_is_refused(client, personas):
    client.force_login(personas.fasilitator)
    response = tambah(client, desa=desa_di(KEC_LAIN)[0].pk)
    assert response.status_code == 422
    assert "Masukkan pilihan yang valid" in response.content.decode()
    assert not Mitra.objects.exists()


def test_kelompok_of_another_klaster_is_refused(client, personas):
    client.force_login(personas.fasilitator)
    response = tambah(client, kelompok=personas.kelompok_lain.pk)
    assert response.status_code == 422
    assert not Mitra.objects.exists()


def test_kelompok_preset_from_the_group_page(client, personas):
    client.force_login(personas.fasilitator)
    url = reverse("mitra:tambah") + f"?kelompok={personas.kelompok_lebak.pk}"
    form = client.get(url).context["form"]
    assert form.initial["kelompok"] == personas.kelompok_lebak


def test_user_with_several_klaster_chooses_one_first(client, personas):
    client.force_login(personas.admin)  # superuser: sees both klaster
    response = client.get(reverse("mitra:tambah"))
    assert response.templates[0].name == "mitra/pilih_klaster.html"
    url = reverse("mitra:tambah") + f"?klaster={personas.klaster_lain.pk}"
    response = client.post(url, data_mitra(desa=desa_di(KEC_LAIN)[0].pk))
    assert response.status_code == 302
    assert Mitra.objects.get().klaster == personas.klaster_lain


def test_edit_keeps_a_confirmed_mismatch_without_asking_again(client, personas):
    mitra = MitraFactory(
        nik=NIK_LAKI,
        tanggal_lahir=datetime.date(1980, 5, 13),  # confirmed earlier
        jenis_kelamin="L",
        klaster=personas.klaster_lebak,
        desa=desa_di("36.02.06")[0],
    )
    client.force_login(personas.fasilitator)
    data = data_mitra(tanggal_lahir="1980-05-13", desa=mitra.desa_id, telepon="089912345678")
    response = client.post(reverse("mitra:ubah", args=[mitra.pk]), data)
    assert response.status_code == 302
    mitra.refresh_from_db()
    assert mitra.telepon == "089912345678"


def test_edit_that_creates_a_mismatch_asks_for_confirmation(client, personas):
    mitra = MitraFactory(
        nik=NIK_LAKI,
        tanggal_lahir=datetime.date(1980, 5, 12),
        jenis_kelamin="L",
        klaster=personas.klaster_lebak,
        desa=desa_di("36.02.06")[0],
    )
    client.force_login(personas.fasilitator)
    url = reverse("mitra:ubah", args=[mitra.pk])
    data = data_mitra(tanggal_lahir="1981-05-12", desa=mitra.desa_id)
    assert client.post(url, data).status_code == 422
    mitra.refresh_from_db()
    assert mitra.tanggal_lahir == datetime.date(1980, 5, 12)
    assert client.post(url, {**data, "konfirmasi_beda_nik": "on"}).status_code == 302
    mitra.refresh_from_db()
    assert mitra.tanggal_lahir == datetime.date(1981, 5, 12)


def test_edit_to_a_duplicate_nik_is_refused(client, personas):
    MitraFactory(nik=NIK_PEREMPUAN, nama="Euis", klaster=personas.klaster_lebak)
    mitra = MitraFactory(nik=NIK_LAKI, klaster=personas.klaster_lebak)
    client.force_login(personas.manajer)
    data = data_mitra(
        nik=NIK_PEREMPUAN, jenis_kelamin="P", tanggal_lahir="1985-01-05", desa=mitra.desa_id
    )
    response = client.post(reverse("mitra:ubah", args=[mitra.pk]), data)
    assert response.status_code == 422
    assert "sudah terdaftar atas nama Euis" in response.content.decode()
    mitra.refresh_from_db()
    assert mitra.nik == NIK_LAKI


def test_user_without_a_role_gets_403_on_create_and_edit(client, personas):
    from klaster.tests.factories import PenugasanFactory

    tamu = UserFactory(username="tamu")
    PenugasanFactory(pengguna=tamu, klaster=personas.klaster_lebak)
    mitra = MitraFactory(klaster=personas.klaster_lebak)
    client.force_login(tamu)
    assert client.get(reverse("mitra:tambah")).status_code == 403
    assert client.post(reverse("mitra:tambah"), data_mitra()).status_code == 403
    assert client.get(reverse("mitra:ubah", args=[mitra.pk])).status_code == 403
    assert client.post(reverse("mitra:ubah", args=[mitra.pk]), data_mitra()).status_code == 403
    assert Mitra.objects.count() == 1
    # reading too: an assignment without a role group is no role (issue 14, roles per klaster)
    assert client.get(reverse("mitra:detail", args=[mitra.pk])).status_code == 403
    assert client.get(reverse("mitra:list")).status_code == 403


def test_wrong_methods_get_405(client, personas):
    mitra = MitraFactory(klaster=personas.klaster_lebak)
    client.force_login(personas.manajer)
    assert client.delete(reverse("mitra:tambah")).status_code == 405
    assert client.put(reverse("mitra:ubah", args=[mitra.pk])).status_code == 405
    assert client.post(reverse("mitra:list")).status_code == 405
    assert client.post(reverse("mitra:detail", args=[mitra.pk])).status_code == 405


def test_kelompok_factory_in_another_klaster_is_not_offered(client, personas):
    KelompokFactory(klaster=personas.klaster_lain, kode="MLP-02")
    client.force_login(personas.fasilitator)
    pilihan = client.get(reverse("mitra:tambah")).context["form"].fields["kelompok"].queryset
    assert list(pilihan) == [personas.kelompok_lebak]

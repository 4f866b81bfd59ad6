"""NIK rules: format, region, date (day + 40 for women), serial; warnings are separate."""

import datetime

import pytest

from mitra.nik import (
    beda_dengan_data,
    kode_kecamatan_dikenal,
    normalisasi_nik,
    periksa_nik,
)

pytestmark = pytest.mark.django_db

HARI_INI = datetime.date(2026, 11, 27)
NIK_LAKI = "3602061205800001"  # Leuwidamar, 12 May 1980, man
NIK_PEREMPUAN = "3602064501850002"  # Leuwidamar, 5 January 1985, woman (5 + 40)


@pytest.fixture(autouse=True)
def _wilayah_lebak():
    from klaster.wilayah_data import pastikan_wilayah_lebak

    pastikan_wilayah_lebak()


def test_valid_man_gives_birth_date_and_gender():
    hasil = periksa_nik(NIK_LAKI, hari_ini=HARI_INI)
    assert hasil.valid, hasil.galat
    assert hasil.tanggal_lahir == datetime.date(1980, 5, 12)
    assert hasil.jenis_kelamin == "L"
    assert hasil.kode_kecamatan == "36.02.06"


def test_valid_woman_has_forty_added_to_the_day():
    hasil = periksa_nik(NIK_PEREMPUAN, hari_ini=HARI_INI)
    assert hasil.valid, hasil.galat
    assert hasil.tanggal_lahir == datetime.date(1985, 1, 5)
    assert hasil.jenis_kelamin == "P"


def test_spaces_and_dots_are_stripped():
    assert normalisasi_nik(" 3602.0612 0580\u00a00001 ") == NIK_LAKI
    assert normalisasi_nik(3602061205800001) == NIK_LAKI
    assert periksa_nik("3602.06.120580.0001", hari_ini=HARI_INI).nik == NIK_LAKI


def test_wrong_region_prefix_is_refused_with_the_code():
    hasil = periksa_nik("9901011205800001", hari_ini=HARI_INI)
    assert not hasil.valid
    assert "990101" in hasil.galat[0]
    assert "kode kecamatan" in hasil.galat[0]


def test_a_kabupaten_code_is_not_a_kecamatan():
    # 36.02 is Kabupaten Lebak: "360200" is not a kecamatan
    assert not periksa_nik("3602001205800001", hari_ini=HARI_INI).valid


def test_fifteen_digits_is_refused_with_the_count():
    hasil = periksa_nik(NIK_LAKI[:15], hari_ini=HARI_INI)
    assert hasil.galat == [
        "NIK harus 16 digit, yang diisi 15 digit. Periksa kembali dari KTP atau KK."
    ]


def test_letters_are_refused_and_named():
    hasil = periksa_nik("36020612O5800001", hari_ini=HARI_INI)  # letter O for zero
    assert not hasil.valid
    assert "“O”" in hasil.galat[0]
    assert "hanya boleh berisi angka" in hasil.galat[0]


@pytest.mark.parametrize(
    "nik",
    [
        "3602063202800001",  # 32 February
        "3602067205800001",  # woman, 72 - 40 = 32
        "3602061213800001",  # month 13
        "3602060005800001",  # day 0
        "3602063002800001",  # 30 February
        "3602062902810001",  # 29 February 1981 (no leap year in 1981 or 2081... nor 1881)
    ],
)
def test_impossible_date_is_refused(nik):
    hasil = periksa_nik(nik, hari_ini=HARI_INI)
    assert not hasil.valid
    assert any("bukan tanggal lahir yang mungkin" in g for g in hasil.galat)
    assert hasil.tanggal_lahir is None


def test_leap_day_is_a_real_date():
    hasil = periksa_nik("3602062902840001", hari_ini=HARI_INI)
    assert hasil.valid and hasil.tanggal_lahir == datetime.date(1984, 2, 29)


def test_serial_0000_is_refused():
    hasil = periksa_nik("3602061205800000", hari_ini=HARI_INI)
    assert hasil.galat == [
        "Empat digit terakhir NIK (nomor urut) tidak boleh 0000. Periksa kembali dari KTP."
    ]


def test_empty_is_refused():
    assert "wajib diisi" in periksa_nik("  ", hari_ini=HARI_INI).galat[0]


def test_two_digit_year_is_read_as_the_most_recent_past():
    assert periksa_nik("3602061205100001", hari_ini=HARI_INI).tanggal_lahir.year == 2010
    assert periksa_nik("3602061205300001", hari_ini=HARI_INI).tanggal_lahir.year == 1930


def test_known_kecamatan_set_avoids_a_query_per_nik(django_assert_num_queries):
    dikenal = kode_kecamatan_dikenal()
    assert "360206" in dikenal and "360200" not in dikenal
    with django_assert_num_queries(0):
        assert periksa_nik(NIK_LAKI, kecamatan_dikenal=dikenal).valid
        assert not periksa_nik("9901011205800001", kecamatan_dikenal=dikenal).valid


def test_wajib_valid_raises_with_the_messages():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as exc:
        periksa_nik("123").wajib_valid()
    assert "16 digit" in exc.value.messages[0]


def test_matching_record_gives_no_warning():
    hasil = periksa_nik(NIK_PEREMPUAN, hari_ini=HARI_INI)
    assert beda_dengan_data(hasil, tanggal_lahir=datetime.date(1985, 1, 5), jenis_kelamin="P") == []


def test_mismatched_birth_date_and_gender_are_warnings():
    hasil = periksa_nik(NIK_LAKI, hari_ini=HARI_INI)
    peringatan = beda_dengan_data(
        hasil, tanggal_lahir=datetime.date(1980, 5, 13), jenis_kelamin="P"
    )
    assert len(peringatan) == 2
    assert "13 Mei 1980" in peringatan[0] and "12 Mei 1980" in peringatan[0]
    assert "menurut NIK laki-laki" in peringatan[1]


def test_century_guess_never_causes_a_warning():
    # born 1925: the NIK reads "25", which alone would be 2025
    hasil = periksa_nik("3602061205250001", hari_ini=HARI_INI)
    assert (
        beda_dengan_data(hasil, tanggal_lahir=datetime.date(1925, 5, 12), jenis_kelamin="L") == []
    )

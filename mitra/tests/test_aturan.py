"""mitra.aturan and the shared pieces of klaster.aturan, on plain values (no database)."""

import datetime

import pytest

from klaster.aturan import teks_catatan, teks_satu_baris
from mitra import aturan

D = datetime.date


class KlasterUji:
    nama = "Klaster Uji"
    tanggal_mulai = D(2011, 3, 1)


def periksa(**ubah):
    nilai = {
        "nama": "Asep",
        "tanggal_lahir": D(1980, 5, 12),
        "tanggal_bergabung": D(2011, 6, 1),
        "telepon": "081234567890",
        "jumlah_anggota_keluarga": 4,
        "klaster": KlasterUji(),
        "hari_ini": D(2014, 3, 6),
    }
    nilai.update(ubah)
    return aturan.periksa_mitra(**nilai)


def test_a_clean_record_has_no_finding():
    assert periksa() == {}


@pytest.mark.parametrize(
    ("ketik", "simpan"),
    [
        ("0812-3456-7890", "081234567890"),
        ("+62 812 3456 7890", "081234567890"),
        ("(0252) 123-456", "0252123456"),
        ("'081234567890", "081234567890"),
        ("+31 20 123 4567", "+31201234567"),
        ("", ""),
    ],
)
def test_phone_numbers_are_stored_as_digits(ketik, simpan):
    assert aturan.bersihkan_telepon(ketik) == simpan
    assert aturan.periksa_telepon(simpan) is None


@pytest.mark.parametrize("telepon", ["0812345", "1234567890123456", "08123abc45", "0812+34567"])
def test_phone_numbers_outside_8_to_15_digits_or_with_letters_are_refused(telepon):
    assert list(periksa(telepon=telepon)) == ["telepon"]


def test_the_minimum_age_counts_whole_years_from_the_birthday():
    # born 29 February 1996: 15 years old on 1 March 2011 (no 29 February that year)
    assert aturan.umur_pada(D(1996, 2, 29), D(2011, 2, 28)) == 14
    assert aturan.umur_pada(D(1996, 2, 29), D(2011, 3, 1)) == 15
    assert "tanggal_lahir" in periksa(tanggal_lahir=D(1996, 3, 2), tanggal_bergabung=D(2011, 3, 1))
    assert periksa(tanggal_lahir=D(1996, 3, 1), tanggal_bergabung=D(2011, 3, 1)) == {}


@pytest.mark.parametrize(
    ("ubah", "field"),
    [
        ({"tanggal_lahir": D(1899, 12, 31)}, "tanggal_lahir"),
        ({"tanggal_lahir": D(2014, 3, 7)}, "tanggal_lahir"),
        ({"tanggal_bergabung": D(2011, 2, 28)}, "tanggal_bergabung"),
        ({"tanggal_bergabung": D(9999, 12, 31)}, "tanggal_bergabung"),
        ({"tanggal_keluar": D(2011, 5, 31)}, "tanggal_keluar"),
        ({"tanggal_keluar": D(2014, 3, 7)}, "tanggal_keluar"),
        ({"status": "keluar"}, "tanggal_keluar"),
        ({"jumlah_anggota_keluarga": 0}, "jumlah_anggota_keluarga"),
        ({"jumlah_anggota_keluarga": 51}, "jumlah_anggota_keluarga"),
        ({"nama": ""}, "nama"),
        ({"nama": "A" * 151}, "nama"),
    ],
)
def test_each_rule_names_its_field(ubah, field):
    assert list(periksa(**ubah)) == [field]


def test_the_limits_themselves_are_accepted():
    assert (
        periksa(
            tanggal_lahir=D(1900, 1, 1),
            tanggal_bergabung=D(2011, 3, 1),
            tanggal_keluar=D(2014, 3, 6),
            status="keluar",
            jumlah_anggota_keluarga=50,
            nama="A" * 150,
        )
        == {}
    )


def test_control_characters_leave_names_and_notes():
    assert teks_satu_baris("Siti\x0bAminah\x1b") == "Siti Aminah"
    assert teks_satu_baris(" Siti\tAminah\r\n binti\x00 Ujang\x85") == "Siti Aminah binti Ujang"
    assert (
        teks_catatan("Baris satu\r\nbaris\x07 dua\tkolom\x1b\n") == "Baris satu\nbaris dua\tkolom"
    )

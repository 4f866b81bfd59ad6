"""The cell parsers, one case per kind of mess."""

import datetime
from decimal import Decimal

import pytest

from impor import bersih
from impor.bersih import NilaiTidakValid
from impor.skema import SKEMA


@pytest.mark.parametrize(
    "nilai",
    ["3602061506780002", "3602 0615 0678 0002", "3602.0615.0678.0002", "'3602061506780002",
     " 3602-0615-0678-0002 ", "3602\u00a00615\u00a006780002"],
)  # fmt: skip
def test_nik_spellings(nilai):
    assert bersih.nik(nilai) == "3602061506780002"


@pytest.mark.parametrize(
    "nilai,tampil",
    [(3602061506780002, "3602061506780002"), (3.60206e15, "3.60206E+15"),
     (3602061506780000.0, "3.60206E+15"), ("3.60206E+15", "3.60206E+15"),
     ("3602061506780000.0", "3602061506780000.0")],
)  # fmt: skip
def test_nik_that_excel_made_a_number_is_refused_with_the_fix(nilai, tampil):
    with pytest.raises(NilaiTidakValid) as e:
        bersih.nik(nilai)
    assert str(e.value).startswith(f"NIK terbaca sebagai angka ({tampil})")
    assert "Format kolom NIK sebagai Teks" in str(e.value)


def test_nik_wrong_length_and_letters():
    with pytest.raises(NilaiTidakValid, match="berisi 15 digit; NIK harus tepat 16 digit"):
        bersih.nik("360206150678000")
    with pytest.raises(NilaiTidakValid, match="mengandung huruf"):
        bersih.nik("36020615O6780002")


def test_names_keep_capitals_and_lose_stray_spaces():
    assert bersih.nama_orang("  SITI   AMINAH ") == "SITI AMINAH"
    assert bersih.nama_orang("siti\u00a0aminah") == "siti aminah"
    with pytest.raises(NilaiTidakValid):
        bersih.nama_orang("  ")


@pytest.mark.parametrize(
    "nilai",
    ["06/03/2014", "6-3-14", "2014-03-06", "6 Maret 2014", "06 Mar 2014", "6.3.2014",
     "06-Mar-2014", 41704, 41704.0, "41704", datetime.datetime(2014, 3, 6, 0, 0),
     datetime.date(2014, 3, 6), "2014-03-06 00:00:00", "6 March 2014"],
)  # fmt: skip
def test_date_spellings_day_first(nilai):
    assert bersih.tanggal(nilai, hari_ini=datetime.date(2026, 1, 1)) == datetime.date(2014, 3, 6)


def test_two_digit_years_and_bad_dates():
    hari_ini = datetime.date(2026, 1, 1)
    assert bersih.tanggal("15-6-78", hari_ini=hari_ini) == datetime.date(1978, 6, 15)
    with pytest.raises(NilaiTidakValid, match="tidak ada di kalender"):
        bersih.tanggal("31/02/2014")
    with pytest.raises(NilaiTidakValid, match="tidak dikenali"):
        bersih.tanggal("kemarin")
    with pytest.raises(NilaiTidakValid, match="tidak dikenali"):
        bersih.tanggal(12)  # not a plausible Excel serial


@pytest.mark.parametrize(
    "nilai,hasil",
    [("Rp 1.500.000", "1500000"), ("Rp1.500.000,00", "1500000"), ("1.500.000", "1500000"),
     ("1500000", "1500000"), (1500000.0, "1500000"), (1500000, "1500000"),
     ("Rp. 1.500.000,-", "1500000"), ("1,500,000", "1500000"), ("1.500,50", "1500.5"),
     (1234567.89, "1234567.89"), (Decimal("10.5"), "10.5")],
)  # fmt: skip
def test_money_spellings_are_decimal(nilai, hasil):
    jumlah = bersih.uang(nilai)
    assert isinstance(jumlah, Decimal) and jumlah == Decimal(hasil)


@pytest.mark.parametrize(
    "nilai,pesan",
    [("-1.500.000", "negatif"), ("(1.500.000)", "negatif"), (-5.0, "negatif"), (0, "nol"),
     ("Rp 0", "nol"), ("satu juta", "tidak dikenali"), ("1.50.000", "tidak dikenali"),
     ("1.500,555", "lebih dari 2 angka desimal"), (1e26, "terlalu besar"),
     ("99.999.999.999.999", "terlalu besar"), (float("nan"), "tidak dikenali")],
)  # fmt: skip
def test_money_refused(nilai, pesan):
    with pytest.raises(NilaiTidakValid, match=pesan):
        bersih.uang(nilai)


def test_zero_income_is_allowed_where_asked():
    assert bersih.uang("0", boleh_nol=True) == Decimal("0")


@pytest.mark.parametrize(
    "nilai,hasil",
    [("Pertanian", "pertanian"), ("tani", "pertanian"), ("PETERNAKAN", "peternakan"),
     ("ternak", "peternakan"), ("UMKM", "umkm"), ("usaha", "umkm"), (" Usaha ", "umkm")],
)  # fmt: skip
def test_sector_spellings(nilai, hasil):
    assert bersih.sektor(nilai) == hasil


@pytest.mark.parametrize(
    "nilai,hasil",
    [("L", "L"), ("P", "P"), ("Laki-laki", "L"), ("Perempuan", "P"), ("laki laki", "L"),
     ("PEREMPUAN", "P")],
)  # fmt: skip
def test_gender_spellings(nilai, hasil):
    assert bersih.jenis_kelamin(nilai) == hasil


@pytest.mark.parametrize(
    "judul,kunci",
    [("Nama Lengkap", "nama"), ("  NAMA  ", "nama"), ("No KTP", "nik"), ("No. KTP", "nik"),
     ("NIK", "nik"), ("Kelompok", "kelompok"), ("Tgl. Lahir", "tanggal_lahir"),
     ("L/P", "jenis_kelamin"), ("Bidang Usaha", "sektor")],
)  # fmt: skip
def test_header_synonyms(judul, kunci):
    assert SKEMA["mitra"].peta_judul()[bersih.kunci_judul(judul)] == kunci


def test_phone_numbers_keep_their_leading_zero():
    assert bersih.telepon(81234567890) == "081234567890"
    assert bersih.telepon("+62 812-3456-7890") == "081234567890"

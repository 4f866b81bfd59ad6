"""A kelompok written by a name that fits several kelompok is called ambiguous and its
candidates are listed (issue 14 item 5), instead of "tidak ada"."""

import datetime

import pytest

from impor.layanan import impor_berkas
from impor.tests.util import csv_bytes
from kelompok.tests.factories import KelompokFactory
from mitra.tests.factories import nik_untuk

JUDUL = ["NIK", "Nama", "Jenis Kelamin", "Tanggal Lahir", "Desa", "Sektor", "Tanggal Bergabung",
         "Kelompok"]  # fmt: skip


def _impor(personas, kelompok: str):
    lahir = datetime.date(1980, 1, 1)
    baris = [nik_untuk("36.02.06", lahir, "L", 5), "Dadang", "L", "1980-01-01",
             "36.02.06.2002", "tani", "2011-06-01", kelompok]  # fmt: skip
    return impor_berkas(
        jenis="mitra",
        data=csv_bytes([JUDUL, baris]),
        nama_berkas="mitra.csv",
        oleh=personas.manajer,
        klaster=personas.klaster_lebak,
    )


@pytest.fixture
def berkah(personas):
    return [
        KelompokFactory(klaster=personas.klaster_lebak, kode="LBK-02", nama="Tani Berkah"),
        KelompokFactory(klaster=personas.klaster_lebak, kode="LBK-03", nama="Ternak Berkah"),
        # another klaster's "Berkah" is no candidate
        KelompokFactory(klaster=personas.klaster_lain, kode="MLP-02", nama="Usaha Berkah"),
    ]


def test_a_name_ending_two_kelompok_names_is_ambiguous_and_lists_them(personas, berkah):
    r = _impor(personas, "berkah")
    assert [(g.kolom, g.alasan) for g in r.galat] == [
        (
            "Kelompok",
            "Nama kelompok 'berkah' ambigu: cocok dengan LBK-02 Tani Berkah, LBK-03 Ternak "
            "Berkah. Tulis kode kelompoknya.",
        )
    ]


def test_two_kelompok_of_the_same_name_are_listed(personas, berkah):
    KelompokFactory(klaster=personas.klaster_lebak, kode="LBK-04", nama="Tani Berkah")
    r = _impor(personas, "Tani Berkah")
    assert [g.alasan for g in r.galat] == [
        "Nama kelompok 'Tani Berkah' ambigu: cocok dengan LBK-02 Tani Berkah, LBK-04 Tani "
        "Berkah. Tulis kode kelompoknya."
    ]


def test_one_partial_match_is_suggested_not_taken(personas, berkah):
    r = _impor(personas, "Ternak")
    assert [g.alasan for g in r.galat] == [
        "Kelompok 'Ternak' tidak ada di klaster Klaster Mandiri Lebak; mungkin maksudnya "
        "LBK-03 Ternak Berkah? Tulis kode atau nama lengkap kelompoknya."
    ]
    assert r.dibuat == 0


def test_the_code_or_the_full_name_still_finds_the_kelompok(personas, berkah):
    for tulisan in ("LBK-03", "ternak  berkah"):
        r = _impor(personas, tulisan)
        assert (r.galat, r.dibuat) == ([], 1)
        assert r.baris[0].obj.kelompok_id == berkah[1].pk

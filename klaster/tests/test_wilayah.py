"""muat_wilayah: loads the Kemendagri file in bulk, and a second run changes nothing."""

import csv
import gzip
import io

import pytest
from django.core.management import call_command

from klaster.models import Wilayah
from klaster.wilayah_data import FILE_LEBAK, FILE_NASIONAL, _baca, muat_wilayah

pytestmark = pytest.mark.django_db

JUMLAH_LEBAK = 382


def test_lebak_subset_loads_every_level():
    hasil = muat_wilayah(FILE_LEBAK)
    assert (hasil.dibaca, hasil.dibuat, hasil.diubah, hasil.tetap) == (JUMLAH_LEBAK, 382, 0, 0)
    assert Wilayah.objects.count() == JUMLAH_LEBAK
    leuwidamar = Wilayah.objects.get(kode="36.02.06")
    assert leuwidamar.tingkat == "kecamatan" and leuwidamar.induk_id == "36.02"
    assert Wilayah.objects.get(kode="36.02.06.2002").nama == "Cisimeut"
    assert Wilayah.objects.get(kode="36.02.06.2002").induk == leuwidamar


def test_second_run_changes_nothing():
    muat_wilayah(FILE_LEBAK)
    sebelum = list(Wilayah.objects.values_list("kode", "nama", "tingkat", "induk_id"))
    hasil = muat_wilayah(FILE_LEBAK)
    assert (hasil.dibuat, hasil.diubah, hasil.tetap) == (0, 0, JUMLAH_LEBAK)
    assert list(Wilayah.objects.values_list("kode", "nama", "tingkat", "induk_id")) == sebelum


def test_a_renamed_region_is_updated_in_place(tmp_path):
    muat_wilayah(FILE_LEBAK)
    rows = list(csv.DictReader(FILE_LEBAK.open(encoding="utf-8")))
    for row in rows:
        if row["kode"] == "36.02.06.2002":
            row["nama"] = "Cisimeut (baru)"
    baru = tmp_path / "wilayah.csv"
    with baru.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=["kode", "nama", "tingkat", "kode_induk"])
        writer.writeheader()
        writer.writerows(rows)
    hasil = muat_wilayah(baru)
    assert (hasil.dibuat, hasil.diubah, hasil.tetap) == (0, 1, JUMLAH_LEBAK - 1)
    assert Wilayah.objects.get(kode="36.02.06.2002").nama == "Cisimeut (baru)"


def test_children_listed_before_parents_still_load(tmp_path):
    # the loader sorts parents first, so a file in any order works
    rows = list(csv.DictReader(FILE_LEBAK.open(encoding="utf-8")))
    terbalik = tmp_path / "terbalik.csv.gz"
    with gzip.open(terbalik, "wt", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=["kode", "nama", "tingkat", "kode_induk"])
        writer.writeheader()
        writer.writerows(reversed(rows))
    assert muat_wilayah(terbalik).dibuat == JUMLAH_LEBAK


def test_unknown_level_is_refused(tmp_path):
    salah = tmp_path / "salah.csv"
    salah.write_text("kode,nama,tingkat,kode_induk\n99,Negeri Antah,negara,\n", encoding="utf-8")
    with pytest.raises(ValueError, match="negara"):
        muat_wilayah(salah)
    assert not Wilayah.objects.exists()


def test_command_reports_what_it_did():
    out = io.StringIO()
    call_command("muat_wilayah", "--file", str(FILE_LEBAK), stdout=out)
    assert f"{JUMLAH_LEBAK} read, {JUMLAH_LEBAK} created, 0 updated, 0 unchanged" in out.getvalue()
    out = io.StringIO()
    call_command("muat_wilayah", "--file", str(FILE_LEBAK), stdout=out)
    assert f"0 created, 0 updated, {JUMLAH_LEBAK} unchanged" in out.getvalue()


@pytest.mark.django_db(False)
def test_national_file_holds_91599_regions_parents_first():
    # reading only (the full load is timed by hand, see README "Memuat wilayah")
    rows = _baca(FILE_NASIONAL)
    assert len(rows) == 91_599
    per_tingkat = {}
    for row in rows:
        per_tingkat[row["tingkat"]] = per_tingkat.get(row["tingkat"], 0) + 1
    assert per_tingkat == {"provinsi": 38, "kabupaten": 514, "kecamatan": 7_285, "desa": 83_762}
    dilihat = set()
    for row in rows:
        assert not row["kode_induk"] or row["kode_induk"] in dilihat, row["kode"]
        dilihat.add(row["kode"])

"""The data version behind the report caches (klaster/versi_data.py)."""

import pytest

from klaster import versi_data
from laporan.tests.factories import KunjunganFactory
from mitra.tests.factories import PengukuranPendapatanFactory

pytestmark = pytest.mark.django_db

KUNJUNGAN = ["laporan.Kunjungan"]
PINJAMAN = ["bantuan.Bantuan", "bantuan.Angsuran"]


def test_a_write_changes_the_version_of_its_own_table_only(personas):
    semua, kunjungan, pinjaman = (
        versi_data.versi(),
        versi_data.versi(model=KUNJUNGAN),
        versi_data.versi(model=PINJAMAN),
    )
    KunjunganFactory(kelompok=personas.kelompok_lebak)
    assert versi_data.versi() != semua
    assert versi_data.versi(model=KUNJUNGAN) != kunjungan
    assert versi_data.versi(model=PINJAMAN) == pinjaman

    keduanya = versi_data.versi(model=KUNJUNGAN + PINJAMAN)
    pendapatan = versi_data.versi(model=["mitra.PengukuranPendapatan"])
    PengukuranPendapatanFactory()
    assert versi_data.versi(model=KUNJUNGAN + PINJAMAN) == keduanya
    assert versi_data.versi(model=["mitra.PengukuranPendapatan"]) != pendapatan


def test_an_unknown_table_is_an_error_not_a_version_that_never_changes(db):
    with pytest.raises(ValueError, match="no version"):
        versi_data.versi(model=["mitra.Tidakada"])


def test_no_table_at_all_still_answers(db):
    assert versi_data.versi(model=[]) == "0"

"""The data version behind the report caches (klaster/versi_data.py)."""

import pytest

from klaster import versi_data
from kunjungan.tests.factories import KunjunganFactory
from mitra.tests.factories import PengukuranPendapatanFactory

pytestmark = pytest.mark.django_db

KUNJUNGAN = ["kunjungan.Kunjungan"]
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


def test_a_write_that_commits_late_with_a_lower_history_id_changes_the_version(personas):
    """Two saves at once: the one holding the lower history id commits second, so the
    highest id does not move. Simulated by moving a new history row into a free id below
    the highest."""
    from kunjungan.models import Kunjungan

    celah = KunjunganFactory(kelompok=personas.kelompok_lebak)
    id_celah = Kunjungan.history.get(id=celah.pk).history_id
    Kunjungan.history.filter(history_id__gte=id_celah).delete()
    KunjunganFactory(kelompok=personas.kelompok_lebak)
    sebelum = versi_data.versi(model=KUNJUNGAN)

    telat = KunjunganFactory(kelompok=personas.kelompok_lebak)
    Kunjungan.history.filter(id=telat.pk).update(history_id=id_celah)
    assert versi_data.versi(model=KUNJUNGAN).split(".")[0] == sebelum.split(".")[0]
    assert versi_data.versi(model=KUNJUNGAN) != sebelum


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)  # it closes the connection
def test_prepared_version_query_answers_as_the_plain_one_with_and_without_parameters(
    personas, settings
):
    from django.db import connection

    from klaster.models import Klaster

    lingkup = [
        None,
        Klaster.objects.order_by().values("pk"),  # no parameters
        Klaster.objects.visible_to(personas.fasilitator).order_by().values("pk"),  # user, date
    ]
    settings.DB_PREPARED_STATEMENTS = False
    biasa = [versi_data.versi(lingkup=lk, model=KUNJUNGAN) for lk in lingkup]
    settings.DB_PREPARED_STATEMENTS = True
    connection.close()
    assert [versi_data.versi(lingkup=lk, model=KUNJUNGAN) for lk in lingkup] == biasa
    assert [versi_data.versi(lingkup=lk, model=KUNJUNGAN) for lk in lingkup] == biasa
    # prepared once per database session (three statements): a new one prepares again
    assert len(connection._km_siap[1]) == 3
    connection.close()
    assert versi_data.versi(lingkup=lingkup[2], model=KUNJUNGAN) == biasa[2]
    assert len(connection._km_siap[1]) == 1
    # a write shows through the prepared statement as through the plain one
    KunjunganFactory(kelompok=personas.kelompok_lebak)
    assert versi_data.versi(lingkup=lingkup[2], model=KUNJUNGAN) != biasa[2]

"""The shared `personas` build (root conftest.py): consecutive tests of a module share one
build and still see nothing of each other's writes or in-memory changes; a test without
personas between them sees none of the shared rows, and the next one gets a new build.

The tests run in the module's order (pytest keeps it; `--dist loadfile` sends the module to
one worker): each records what it saw in `SEEN`, and a later test compares only with what an
earlier one recorded in the same run, so a test picked alone still checks its own part.
"""

from django.contrib.auth import get_user_model

from klaster.models import Klaster
from klaster.tests.factories import KlasterFactory

SEEN: dict[str, object] = {}


def test_a_test_writes_and_changes_the_objects_in_memory(personas, _personas_bersama):
    assert _personas_bersama is not None  # this module's tests qualify for the shared build
    SEEN["bersama"] = _personas_bersama
    KlasterFactory(nama="Klaster yang dibuang", kode="BUANG")
    personas.manajer.first_name = "Diubah di memori"
    personas.klaster_lebak.nama = "Diubah di memori"
    assert Klaster.objects.count() == 3


def test_the_next_one_shares_the_build_and_sees_none_of_it(personas, _personas_bersama):
    if "bersama" in SEEN:  # the same build as the test before, copied again
        assert _personas_bersama is SEEN["bersama"]
        assert personas.klaster_lebak.pk == SEEN["bersama"].klaster_lebak.pk
        assert personas.klaster_lebak is not SEEN["bersama"].klaster_lebak
    assert not Klaster.objects.filter(kode="BUANG").exists()
    assert Klaster.objects.count() == 2
    assert personas.manajer.first_name != "Diubah di memori"
    assert personas.klaster_lebak.nama == "Klaster Mandiri Lebak"
    # the copy is of the database's rows: reading them again gives the same objects
    assert Klaster.objects.get(pk=personas.klaster_lebak.pk).nama == personas.klaster_lebak.nama


def test_a_test_without_personas_sees_none_of_the_shared_rows(db):
    assert Klaster.objects.count() == 0
    assert get_user_model().objects.count() == 0


def test_after_that_a_new_build(personas, _personas_bersama):
    # the build shared above was rolled back before the test without personas (which saw
    # no klaster): this is a build of its own
    if "bersama" in SEEN:
        assert _personas_bersama is not None and _personas_bersama is not SEEN["bersama"]
    assert Klaster.objects.count() == 2

"""The mitra list at national scale reads its page off an index (issue 18): the name order
through mitra_nama_idx, a search through the trigram indexes of mitra/migrations/0003. With
sequential scans switched off, PostgreSQL's plan for the very query the page runs names the
index, so a change to the query that the index no longer serves fails here."""

import pytest
from django.db import connection
from django.test import RequestFactory

from mitra import selectors
from mitra.filters import MitraFilter
from mitra.tests.factories import MitraFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def _rencana(qs, *mati) -> str:
    """EXPLAIN of the queryset's SQL with the named plan kinds switched off (enable_*)."""
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cur:
        for jenis in mati:
            cur.execute(f"SET LOCAL enable_{jenis} = off")
        cur.execute("EXPLAIN " + sql, params)
        return "\n".join(r[0] for r in cur.fetchall())


def _halaman(user, **get):
    f = MitraFilter(RequestFactory().get("/mitra/", get).GET,
                    queryset=selectors.mitra_daftar(user), user=user)  # fmt: skip
    return f.qs[:50]


@pytest.fixture
def nasional(personas):
    from django.contrib.auth.models import Group

    from klaster.akses import GRUP_NASIONAL

    personas.manajer.groups.add(Group.objects.get_or_create(name=GRUP_NASIONAL)[0])
    MitraFactory.create_batch(3, klaster=personas.klaster_lebak)
    MitraFactory.create_batch(3, klaster=personas.klaster_lain)
    return personas.manajer


def test_a_search_by_name_or_nik_can_read_the_trigram_indexes(nasional):
    # (plain index scans off: the bitmap scan of a GIN index is what is left besides a
    # sequential scan, and it is chosen only when the index serves the condition)
    rencana = _rencana(_halaman(nasional, q="Pepen"), "seqscan", "indexscan")
    assert "mitra_nama_trgm_idx" in rencana, rencana
    rencana = _rencana(_halaman(nasional, q="3602 06"), "seqscan", "indexscan")
    assert "mitra_nama_trgm_idx" in rencana and "mitra_nik_trgm_idx" in rencana, rencana


def test_the_list_over_every_klaster_reads_the_name_index_in_order(nasional):
    rencana = _rencana(_halaman(nasional), "seqscan", "sort")
    assert "Index Scan using mitra_nama_idx on mitra_mitra" in rencana, rencana
    assert "Sort" not in rencana, rencana

"""The report cache's table (config/cache.py): set_many in one statement, read back by
Django's own DatabaseCache code, replacing entries it already holds, culled when full."""

import datetime
import os
from decimal import Decimal

import pytest
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from config.cache import TabelCache

pytestmark = pytest.mark.django_db


def _tabel(**opsi) -> TabelCache:
    return TabelCache("cache_laporan", {"KEY_PREFIX": "uji", **opsi})


def test_set_many_writes_every_entry_in_one_statement_and_reads_back():
    cache = _tabel()
    entri = {f"k{i}": {"angka": i, "uang": Decimal(f"{i}.50")} for i in range(7)}
    with CaptureQueriesContext(connection) as ctx:
        assert cache.set_many(entri) == []
    ditulis = [q["sql"] for q in ctx.captured_queries if q["sql"].startswith("INSERT")]
    assert len(ditulis) == 1 and ditulis[0].count("ON CONFLICT") == 1
    assert len(ctx.captured_queries) <= 4  # (a count, the insert; a transaction around them)
    assert cache.get_many(list(entri)) == entri


def test_set_many_replaces_entries_and_keeps_the_timeout():
    cache = _tabel()
    cache.set_many({"a": 1, "b": 2}, timeout=60)
    cache.set_many({"b": 3, "c": 4}, timeout=60)
    assert cache.get_many(["a", "b", "c"]) == {"a": 1, "b": 3, "c": 4}
    cache.set_many({"lama": 5}, timeout=-1)  # already expired: never read
    assert cache.get("lama") is None
    with connection.cursor() as cursor:
        cursor.execute("SELECT expires FROM cache_laporan WHERE cache_key = %s", ["uji:1:c"])
        kedaluwarsa = cursor.fetchone()[0]
    if isinstance(kedaluwarsa, str):  # SQLite returns the text
        kedaluwarsa = datetime.datetime.fromisoformat(kedaluwarsa)
    sisa = kedaluwarsa.replace(tzinfo=datetime.UTC) - datetime.datetime.now(datetime.UTC)
    assert datetime.timedelta(seconds=50) < sisa <= datetime.timedelta(seconds=60)


def test_set_many_culls_a_full_table_as_django_does():
    cache = _tabel(OPTIONS={"MAX_ENTRIES": 10, "CULL_FREQUENCY": 2})
    cache.set_many({f"a{i}": i for i in range(10)})
    cache.set_many({f"b{i}": i for i in range(4)})
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM cache_laporan")
        assert cursor.fetchone()[0] <= 10
    assert cache.get_many([f"b{i}" for i in range(4)]) == {f"b{i}": i for i in range(4)}


def test_the_report_cache_uses_it_without_redis():
    redis = os.environ.get("REDIS_URL") or os.environ.get("CACHE_URL")
    assert isinstance(caches["laporan"], RedisCache if redis else TabelCache)


def test_many_entries_go_in_statements_of_at_most_300_rows():
    # (SQLite takes at most 999 parameters in a statement on older builds: 3 per row)
    cache = _tabel()
    entri = {f"n{i}": i for i in range(700)}
    with CaptureQueriesContext(connection) as ctx:
        cache.set_many(entri)
    assert sum(q["sql"].startswith("INSERT") for q in ctx.captured_queries) == 3
    assert cache.get_many(list(entri)) == entri

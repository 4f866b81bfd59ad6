"""Cached figures written to the shared cache after the response (klaster/simpanan.py).
A page's whole round (its entries in the shared cache once the response is out) is in
laporan/tests/test_dampak_cache.py (the cache survives a restart)."""

import logging

import pytest
from django.core.cache import caches
from django.core.signals import request_finished, request_started
from django.db import close_old_connections

from klaster import simpanan


@pytest.fixture
def bersih():
    # as Django's test client does: the request signals without closing the test's
    # database connection
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    caches["laporan"].clear()
    simpanan.kosongkan_salinan()
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)
    simpanan.permintaan_selesai()  # nothing left waiting for a later test
    caches["laporan"].clear()


def test_outside_a_request_the_shared_cache_is_written_at_once(db, bersih):
    simpanan.simpan({"k1": {"n": 1}}, setelah_jawaban=True)
    assert caches["laporan"].get("k1") == {"n": 1}


def test_inside_a_request_the_write_waits_for_the_response(db, bersih):
    request_started.send(sender=None)
    simpanan.simpan({"k1": {"n": 1}}, setelah_jawaban=True)
    simpanan.simpan({"k2": {"n": 2}})  # not deferred: written now
    # this process has both already; the shared cache only the undeferred one
    assert simpanan.ambil(["k1", "k2"]) == {"k1": {"n": 1}, "k2": {"n": 2}}
    assert caches["laporan"].get("k1") is None
    assert caches["laporan"].get("k2") == {"n": 2}
    request_finished.send(sender=None)
    assert caches["laporan"].get("k1") == {"n": 1}
    # the next request starts with nothing waiting
    request_started.send(sender=None)
    request_finished.send(sender=None)
    assert caches["laporan"].get_many(["k1", "k2"]) == {"k1": {"n": 1}, "k2": {"n": 2}}


def test_a_failed_write_after_the_response_is_logged_not_raised(db, bersih, monkeypatch, caplog):
    def gagal(entri):
        raise ConnectionError("cache down")

    request_started.send(sender=None)
    simpanan.simpan({"k1": {"n": 1}}, setelah_jawaban=True)
    monkeypatch.setattr(caches["laporan"], "set_many", gagal)
    with caplog.at_level(logging.ERROR, logger="klaster.simpanan"):
        request_finished.send(sender=None)
    assert "after the response failed (1 entries)" in caplog.text
    # this process still has it
    assert simpanan.ambil(["k1"]) == {"k1": {"n": 1}}


def test_the_process_keeps_as_many_entries_as_the_setting_says(db, bersih, settings):
    settings.CACHE_LAPORAN_SALINAN = 3
    for i in range(5):
        simpanan.simpan({f"k{i}": i})
    # the latest three are in this process; the two oldest come from the shared cache
    assert list(simpanan._SALINAN) == ["k2", "k3", "k4"]
    assert simpanan.ambil(["k0", "k4"]) == {"k0": 0, "k4": 4}

"""The replica router's decisions (klaster/replika.py), on any database: no query is made.
tests/test_replika.py checks the same against a real streaming replica on PostgreSQL."""

import pytest
from django.contrib.sessions.models import Session
from django.db import DEFAULT_DB_ALIAS, connections, router
from django.http import HttpResponse
from django.test import RequestFactory

from config.middleware import ReplikaMiddleware
from klaster import replika
from klaster.models import Klaster

PENANDA = replika.COOKIE


@pytest.fixture
def alias_replika():
    """A "replika" alias in the settings (never connected to by these tests)."""
    connections.settings[replika.ALIAS] = connections.configure_settings(
        {
            "default": connections.settings["default"],
            replika.ALIAS: dict(connections.settings["default"]),
        }
    )[replika.ALIAS]
    yield
    del connections.settings[replika.ALIAS]


def test_hanya_di_dalam_baca_replika(alias_replika):
    assert router.db_for_read(Klaster) == DEFAULT_DB_ALIAS
    with replika.baca_replika():
        assert router.db_for_read(Klaster) == replika.ALIAS
        # a session saved a moment ago (a login) is always read where it was written
        assert router.db_for_read(Session) == DEFAULT_DB_ALIAS
        assert router.db_for_write(Klaster) == DEFAULT_DB_ALIAS
        # having written, the rest of the block reads the primary
        assert router.db_for_read(Klaster) == DEFAULT_DB_ALIAS
    assert router.db_for_read(Klaster) == DEFAULT_DB_ALIAS


def test_tulisan_cache_dan_sesi_bukan_tulisan_data(alias_replika):
    with replika.baca_replika():
        router.db_for_write(Session)
        assert router.db_for_read(Klaster) == replika.ALIAS


def test_tanpa_alias_semua_ke_default():
    assert not replika.ada_replika()
    with replika.baca_replika():
        assert router.db_for_read(Klaster) == DEFAULT_DB_ALIAS


def test_replika_tidak_dimigrasi(alias_replika):
    assert router.allow_migrate(replika.ALIAS, "klaster") is False
    assert router.allow_migrate(DEFAULT_DB_ALIAS, "klaster") is True


def _view(menulis: bool):
    dibaca = []

    @replika.baca_replika
    def view(request):
        dibaca.append(router.db_for_read(Klaster))
        if menulis:
            router.db_for_write(Klaster)
            dibaca.append(router.db_for_read(Klaster))
        return HttpResponse("ok")

    return view, dibaca


def test_middleware_penanda_sesudah_menulis(alias_replika, settings):
    settings.REPLIKA_JEDA_DETIK = 12
    view, dibaca = _view(menulis=True)
    response = ReplikaMiddleware(view)(RequestFactory().post("/"))
    assert dibaca == [replika.ALIAS, DEFAULT_DB_ALIAS]
    assert response.cookies[PENANDA]["max-age"] == 12
    assert response.cookies[PENANDA]["httponly"]
    # a request that only read sets nothing
    view, dibaca = _view(menulis=False)
    response = ReplikaMiddleware(view)(RequestFactory().get("/"))
    assert dibaca == [replika.ALIAS]
    assert PENANDA not in response.cookies


def test_middleware_dengan_penanda_membaca_primer(alias_replika):
    view, dibaca = _view(menulis=False)
    request = RequestFactory().get("/")
    request.COOKIES[PENANDA] = "1"
    ReplikaMiddleware(view)(request)
    assert dibaca == [DEFAULT_DB_ALIAS]
    # the state is per request: the next one without the cookie reads the replica again
    view, dibaca = _view(menulis=False)
    ReplikaMiddleware(view)(RequestFactory().get("/"))
    assert dibaca == [replika.ALIAS]


def test_tanpa_alias_tidak_ada_penanda():
    view, _dibaca = _view(menulis=True)
    response = ReplikaMiddleware(view)(RequestFactory().post("/"))
    assert PENANDA not in response.cookies

"""A database blip is not a server error (issue 14 item 10).

After PostgreSQL drops the app's connections (a restart, a failover, an idle timeout), the
next requests must not answer 500. CONN_MAX_AGE keeps a connection between requests; with
CONN_HEALTH_CHECKS Django checks a kept connection before a request's first query and opens
a new one when it is gone.

The requests go through django.core.handlers.wsgi.WSGIHandler, the object gunicorn calls,
with the request_started/request_finished signals that manage connections (the test client
switches those off), in a transactional test (no surrounding transaction).
"""

import psycopg2
import pytest
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection
from django.test import Client, RequestFactory
from django.urls import reverse

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _putus_semua_koneksi_aplikasi() -> int:
    """pg_terminate_backend on every other session of the test database: the app's."""
    db = connection.settings_dict
    koneksi = psycopg2.connect(
        dbname=db["NAME"],
        user=db.get("USER") or "postgres",
        password=db.get("PASSWORD") or None,
        host=db.get("HOST") or "127.0.0.1",
        port=db.get("PORT") or 5432,
    )
    koneksi.autocommit = True
    try:
        with koneksi.cursor() as kursor:
            kursor.execute(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            return kursor.fetchone()[0]
    finally:
        koneksi.close()


def _minta(aplikasi, path: str, cookie: str) -> int:
    environ = RequestFactory().get(path, HTTP_COOKIE=cookie).environ
    status = []
    respons = aplikasi(environ, lambda s, headers, exc_info=None: status.append(s))
    try:
        for _ in respons:
            pass
    finally:
        respons.close()  # request_finished: Django's end-of-request connection handling
    return int(status[0].split()[0])


def _status_setelah_putus(personas, monkeypatch, *, health_checks: bool) -> list[int]:
    # a kept connection, as in production (CONN_MAX_AGE defaults to 60 s)
    monkeypatch.setitem(connection.settings_dict, "CONN_MAX_AGE", 600)
    monkeypatch.setitem(connection.settings_dict, "CONN_HEALTH_CHECKS", health_checks)
    connection.close()
    klien = Client()
    klien.force_login(personas.manajer)
    cookie = f"{settings.SESSION_COOKIE_NAME}={klien.cookies[settings.SESSION_COOKIE_NAME].value}"
    aplikasi = WSGIHandler()
    path = reverse("mitra:list")
    assert _minta(aplikasi, path, cookie) == 200
    assert connection.connection is not None, "the connection should be kept between requests"
    assert _putus_semua_koneksi_aplikasi() >= 1
    return [_minta(aplikasi, path, cookie) for _ in range(12)]


def test_settings_turn_connection_health_checks_on():
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True
    assert connection.settings_dict["CONN_HEALTH_CHECKS"] is True


def test_after_the_server_drops_the_connections_no_request_fails(personas, monkeypatch):
    status = _status_setelah_putus(personas, monkeypatch, health_checks=True)
    assert status == [200] * 12


def test_without_health_checks_the_first_request_after_a_drop_fails(personas, monkeypatch):
    # the failure the setting prevents, so the test above can fail
    status = _status_setelah_putus(personas, monkeypatch, health_checks=False)
    assert status[0] == 500
    assert status[1:] == [200] * 11  # the broken connection is closed after that request

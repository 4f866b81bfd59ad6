"""Reports read from a streaming replica (settings.DATABASES["replika"], DATABASE_REPLICA_URL).

The rule is explicit: a read goes to the replica only inside `baca_replika` (a view
decorator and a context manager) — the report and export pages mark themselves with it —
and only when the request has not written and its user has not written in the last
settings.REPLIKA_JEDA_DETIK seconds. Everything else, and every write, goes to the primary
("default"). So a page that must read its own write (the meeting screen's confirmation, a
list right after a save) reads the primary, and a replica that lags behind never hides a
visit a facilitator just saved.

How it knows, per request (klaster.replika.KeadaanBaca in a contextvar, set by
config.middleware.ReplikaMiddleware):
- `replika`: inside `baca_replika`;
- `menulis`: this request asked the router for a database to write to (`db_for_write`:
  save, update, delete, bulk_create, select_for_update, get_or_create) — from then on the
  request reads the primary, and its response sets the cookie below;
- `primer`: the request carries the cookie COOKIE (set by a response to a request that
  wrote; it lives REPLIKA_JEDA_DETIK seconds): the user wrote a moment ago.

The report sections are cached under the versions of their figures (klaster/versi.py):
the versions and the figures of one request must come from the same database, or a lagging
replica could put old figures under a new version. Here both are read inside the same
`baca_replika` block, and a request only ever moves from the replica to the primary, never
back: the one write a report page may make (versi.baca creating a missing version row)
turns the request to the primary before versi.baca reads the versions again, so the
versions and the figures it computes then both come from the primary. A replica reads its
primary's changes in commit order, so figures read after a version are never older than it.

Without a "replika" alias every read goes to "default" and the cookie is never set.
"""

import functools
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.db import DEFAULT_DB_ALIAS, connections

ALIAS = "replika"
COOKIE = "km_baru_menulis"
# writes that are not the user's data: the session's own save, the report cache's entries
_BUKAN_DATA = frozenset({"sessions", "django_cache"})
# read from the primary always: a session saved a moment ago (a login) must be found
_SELALU_PRIMER = frozenset({"sessions"})


@dataclass
class KeadaanBaca:
    replika: bool = False  # inside baca_replika
    menulis: bool = False  # this request wrote
    primer: bool = False  # the user wrote a moment ago (the cookie)

    def boleh_replika(self) -> bool:
        return self.replika and not self.menulis and not self.primer


_keadaan: ContextVar[KeadaanBaca | None] = ContextVar("km_keadaan_baca", default=None)


def ada_replika() -> bool:
    """A replica is configured (settings.DATABASES["replika"])."""
    return ALIAS in connections.settings


@contextmanager
def permintaan(*, primer: bool = False):
    """One request's (or one background task's) state, fresh: ReplikaMiddleware wraps every
    request in it. Yields the KeadaanBaca, whose `menulis` says afterwards whether it wrote."""
    keadaan = KeadaanBaca(primer=primer)
    token = _keadaan.set(keadaan)
    try:
        yield keadaan
    finally:
        _keadaan.reset(token)


@contextmanager
def _blok_replika():
    keadaan = _keadaan.get()
    if keadaan is None:  # outside a request (a task, a shell): a state of its own
        with permintaan() as keadaan, _blok_replika():
            yield
        return
    sebelumnya = keadaan.replika
    keadaan.replika = True
    try:
        yield
    finally:
        keadaan.replika = sebelumnya


def baca_replika(view=None):
    """Reads inside may use the replica (unless this request or its user wrote just now).

    As a decorator on a view: `@baca_replika`; as a context manager: `with baca_replika():`
    (a background export)."""
    if view is None:
        return _blok_replika()

    @functools.wraps(view)
    def _view(*args, **kwargs):
        with _blok_replika():
            return view(*args, **kwargs)

    return _view


def membaca_replika() -> bool:
    """Reads made now go to the replica."""
    keadaan = _keadaan.get()
    return keadaan is not None and keadaan.boleh_replika() and ada_replika()


class RouterReplika:
    """settings.DATABASE_ROUTERS: reads to the replica inside baca_replika (see the module's
    note), everything else and every write to the primary. Never migrates the replica (it
    is a copy of the primary, read-only)."""

    def db_for_read(self, model, **hints):
        if model._meta.app_label in _SELALU_PRIMER or not membaca_replika():
            return DEFAULT_DB_ALIAS
        return ALIAS

    def db_for_write(self, model, **hints):
        keadaan = _keadaan.get()
        if keadaan is not None and model._meta.app_label not in _BUKAN_DATA:
            keadaan.menulis = True
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # one database seen twice: a row read from the replica may point at one from the
        # primary (and be saved to the primary)
        if {obj1._state.db, obj2._state.db} <= {DEFAULT_DB_ALIAS, ALIAS, None}:
            return True
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db != ALIAS

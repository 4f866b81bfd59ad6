"""Shared test fixtures: the personas every permission test speaks of, and the browser."""

import copy
import gc
import os
from contextlib import ExitStack

import factory.random
import freezegun
import pytest
from django.conf import settings
from django.core.cache import cache

from tests.chromium import CHROMIUM, CHROMIUM_ARGS, jalur_chromium_ringan
from tests.dunia import sekali_per_modul
from tests.personas import buat_personas

# Playwright's sync API keeps an event loop running in the main thread for as long as the
# (session-wide) browser lives; the ORM calls that tests make between browser steps, and
# every test after the first browser test, are still plain synchronous code. Set once for
# the whole run: toggling it per test breaks the tests that follow a session fixture.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

# pytest's own clock stays real while a test freezes time (freezegun), so --durations, which
# conftest's BERAT list below is measured with, reports the time a test really took
freezegun.configure(extend_ignore_list=["_pytest.timing"])


@pytest.fixture(autouse=True)
def _cepat_dan_terisolasi(settings, tmp_path):
    # fast password hashing, and uploaded files kept out of the project folder
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    # cached pages are keyed on data versions that a rolled-back test can repeat
    cache.clear()
    from klaster import simpanan

    simpanan.kosongkan_salinan()
    # django-axes needs the request in authenticate(), which client.login() does not pass;
    # the lockout tests (tests/test_keamanan_login.py) switch it back on
    settings.AXES_ENABLED = False


def _transaksional(item) -> bool:
    """Does the test commit (transactional_db, live_server, django_db(transaction=True))?"""
    marker = item.get_closest_marker("django_db")
    return bool(
        (
            marker is not None
            and (marker.kwargs.get("transaction") or (marker.args and marker.args[0]))
        )
        or "transactional_db" in item.fixturenames
        or "live_server" in item.fixturenames
    )


@pytest.fixture(autouse=True)
def _grup_peran(request):
    """The role groups come from a data migration; a transactional test (live_server, the
    PostgreSQL concurrency tests) flushes them for the tests after it, so put them back."""
    if not _transaksional(request.node):
        return
    request.getfixturevalue("transactional_db")
    from django.contrib.auth.models import Group

    from klaster.akses import GRUP_FASILITATOR, GRUP_MANAJER, GRUP_NASIONAL

    for nama in (GRUP_FASILITATOR, GRUP_MANAJER, GRUP_NASIONAL):
        Group.objects.get_or_create(name=nama)


@pytest.fixture(scope="session")
def _playwright():
    if not os.path.exists(CHROMIUM):
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def _chromium_penuh(_playwright):
    """The full browser, launched the first time a test asks for it."""
    b = _playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield b
    b.close()


@pytest.fixture(scope="session")
def _chromium_ringan(_playwright, request):
    jalur = jalur_chromium_ringan()
    if jalur == CHROMIUM:
        yield request.getfixturevalue("_chromium_penuh")
        return
    b = _playwright.chromium.launch(executable_path=jalur, args=CHROMIUM_ARGS)
    yield b
    b.close()


@pytest.fixture
def browser(request):
    """Debian's Chromium driven by Playwright (never `playwright install`): the full browser
    for a test marked chromium_penuh, the headless shell for the others."""
    if request.node.get_closest_marker("chromium_penuh") is not None:
        return request.getfixturevalue("_chromium_penuh")
    return request.getfixturevalue("_chromium_ringan")


# The files that take longest, longest first. pytest.ini turns off xdist's reordering by
# test count (--no-loadscope-reorder), so `--dist loadfile` hands these out first and the
# many small files fill the end of the run on both workers, instead of one worker still
# walking a sweep of a few long tests when the other is done. Measured with --durations=0.
BERAT = [
    "tests/test_fuzz_parameter.py",
    "tests/test_anggaran_kueri.py",
    "tests/test_anggaran_kueri_nasional.py",
    "tests/test_fuzz_admin.py",
    "tests/test_matriks_izin.py",
    "api/tests/test_fuzz_api.py",
    "tests/test_fuzz_parameter_fasilitator.py",
    "program/tests/test_anggaran_kueri.py",
    "bantuan/tests/test_posisi.py",
    "tests/test_perkakas.py",
    "laporan/tests/test_dampak_per_tanggal.py",
    "demo/tests/test_seed_demo.py",
    "demo/tests/test_program_demo.py",
    "laporan/tests/test_dampak_views.py",
    "laporan/tests/test_akhir_demo.py",
]


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    # the test data's random names, NIKs and amounts (factory-boy's Faker) are drawn from a
    # seed of the test's own id, set before any of its fixtures (a module's world included)
    # is built: a run gives the same data whatever ran before it on its worker
    factory.random.reseed_random(item.nodeid)


def _kosongkan_dengan_delete(self, style, tables, *, reset_sequences=False, allow_cascade=False):
    """PostgreSQL's flush for the tests: DELETE every table in one transaction instead of
    Django's one TRUNCATE of them all. After a transactional test (live_server, the
    concurrency tests) the tables hold a few hundred rows at most; TRUNCATE gives each of the
    tables and their indexes new files and took 0.6-0.9 s per test, DELETE takes 10-30 ms.
    The foreign keys Django makes on PostgreSQL are DEFERRABLE, so with every constraint
    deferred the order of the tables does not matter: the check runs at commit, when every
    table is empty. The same tables as TRUNCATE (Django's own list), the same sequences."""
    if not tables:
        return []
    sql = ["SET CONSTRAINTS ALL DEFERRED;"]
    for tabel in tables:
        # Django's own table names, quoted by the backend
        sql.append(f"DELETE FROM {self.quote_name(tabel)};")  # noqa: S608 # nosec B608
    if reset_sequences:
        urutan = self.connection.introspection.sequence_list()
        sql += self.sequence_reset_by_name_sql(style, [u for u in urutan if u["table"] in tables])
    return sql


def pytest_configure(config):
    from django.db.backends.postgresql.operations import DatabaseOperations

    DatabaseOperations.sql_flush = _kosongkan_dengan_delete


def pytest_collection_finish(session):
    # Django, the apps and every test module are loaded now: keep those long-lived objects
    # out of the cyclic collector's scans, and let it run less often (a test makes many
    # short-lived objects; the default threshold of 700 runs a collection every few queries)
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 50, 100)


def pytest_collection_modifyitems(config, items):
    urutan = {berkas: i for i, berkas in enumerate(BERAT)}
    # a stable sort: the heavy files first, every file's own tests in their order
    items.sort(key=lambda item: urutan.get(item.nodeid.split("::")[0], len(BERAT)))
    on_postgres = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
    skip_pg = pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL)")
    for item in items:
        if "postgres" in item.keywords and not on_postgres:
            item.add_marker(skip_pg)


# --- personas, built once for a run of tests ------------------------------------------------
# About 800 tests ask for `personas` (72 queries, about 70 ms to build). Consecutive tests of
# one module that ask for them and run in a savepoint (the `db` fixture, not a committing
# test) share one build: it is made in a transaction opened before the first of them and
# rolled back after the last, and each test runs in a savepoint inside it, so whatever a test
# writes is gone before the next one, as before. Each test gets its own deep copy of the
# objects, so a change a test makes to them in memory does not reach the next test.
# The transaction is closed before any test that does not share it (another module, a test
# without personas, a committing test), which therefore never sees the shared rows.

_BERIKUTNYA = pytest.StashKey()


def _berbagi_personas(item) -> bool:
    """May this test use the shared build? It asks for personas, runs in a savepoint that
    opens after the build's transaction (no django_db marker: pytest-django opens that
    savepoint before any conftest fixture), and no fixture of a wider scope opens a
    transaction of its own around the module (such a fixture asks for django_db_blocker)."""
    if item is None or "personas" not in item.fixturenames or _transaksional(item):
        return False
    if item.get_closest_marker("django_db") is not None:
        return False
    return not any(
        d.scope != "function"
        and "django_db_blocker" in d.argnames
        and not d.func.__module__.startswith("pytest_django")  # its own: the test database
        for defs in item._fixtureinfo.name2fixturedefs.values()
        for d in defs
    )


class _PersonasBersama:
    modul = None  # the module whose tests share the open build
    transaksi = None  # its transaction (tests.dunia.sekali_per_modul, entered)
    kedalaman = 0  # the connection's atomic blocks with it open
    nilai = None  # the personas built in it

    def buka(self, item, blocker):
        from django.db import connection

        transaksi = ExitStack()
        transaksi.enter_context(sekali_per_modul(blocker))
        try:
            # the shared rows' random fields come from the module's name, whichever of its
            # tests runs first; the test's own draws come from its own seed after
            factory.random.reseed_random(item.module.__name__)
            self.nilai = buat_personas()
            factory.random.reseed_random(item.nodeid)
        except BaseException:
            transaksi.close()  # rolled back
            raise
        self.modul, self.transaksi = item.module.__name__, transaksi
        self.kedalaman = len(connection.atomic_blocks)

    def tutup(self):
        from django.db import connection

        if self.transaksi is None:
            return
        transaksi, self.transaksi, self.modul, self.nilai = self.transaksi, None, None, None
        if len(connection.atomic_blocks) != self.kedalaman:
            raise RuntimeError(
                "the shared personas' transaction is not the innermost one: a fixture opened "
                "a transaction inside it and left it open (see _berbagi_personas)"
            )
        transaksi.close()  # rolled back


_bersama = _PersonasBersama()


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_protocol(item, nextitem):
    item.stash[_BERIKUTNYA] = nextitem


@pytest.fixture(autouse=True)
def _personas_bersama(request):
    """The shared build for this test, or None. Autouse, so that it is set up before the
    test's `db` savepoint and torn down after it."""
    item = request.node
    if not _berbagi_personas(item):
        yield None
        return
    blocker = request.getfixturevalue("django_db_blocker")
    request.getfixturevalue("django_db_setup")
    if _bersama.modul != item.module.__name__:
        _bersama.tutup()
        _bersama.buka(item, blocker)
    try:
        yield _bersama.nilai
    finally:
        berikut = item.stash.get(_BERIKUTNYA, None)
        if not (_berbagi_personas(berikut) and berikut.module.__name__ == _bersama.modul):
            _bersama.tutup()


@pytest.fixture
def personas(_personas_bersama, db):
    """Two klaster in Lebak and the people who work in them.

    - klaster_lebak: Leuwidamar, with kelompok_lebak; manajer and fasilitator assigned here
    - klaster_lain: Malingping, with kelompok_lain; fasilitator2 assigned here
    - admin: superuser; anonymous is simply not logging in
    """
    if _personas_bersama is None:
        return buat_personas()
    return copy.deepcopy(_personas_bersama)

"""A test module's world, built once for the module instead of once per test.

`sekali_per_modul` opens a transaction for the module's world and rolls it back when the
module ends; every test still runs in a savepoint of its own (pytest-django's `db` fixture
nests its atomic block inside this one), so what a test writes is gone before the next test.
Use it from a module-scoped fixture and hand the world to the tests through a function-scoped
fixture that also asks for `db`:

    @pytest.fixture(scope="module")
    def _dunia_modul(django_db_setup, django_db_blocker):
        with sekali_per_modul(django_db_blocker):
            yield bangun()

    @pytest.fixture
    def dunia(_dunia_modul, db):
        return _dunia_modul

The world stays in the database until the fixture's scope ends, so every later test of the
module sees it, whether it asks for it or not: when some tests of a module build their own
klaster (the `personas` fixture), give the world a class scope around the tests that use it.
A module that also has transactional tests (live_server, transactional_db) must not use it:
their flush cannot run inside the module's open transaction.
"""

from contextlib import contextmanager

from django.db import transaction
from django.test import override_settings

# the root conftest's fast hasher, which a module-scoped fixture runs before
HASHER_CEPAT = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@contextmanager
def sekali_per_modul(django_db_blocker, media_root=None):
    """Database access for a module-scoped fixture, inside a transaction that is rolled back
    when the fixture is torn down (the module's end)."""
    pengaturan = {"PASSWORD_HASHERS": HASHER_CEPAT}
    if media_root is not None:
        pengaturan["MEDIA_ROOT"] = media_root
    with django_db_blocker.unblock(), override_settings(**pengaturan), transaction.atomic():
        yield
        transaction.set_rollback(True)

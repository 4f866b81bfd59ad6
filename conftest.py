"""Shared test fixtures: the personas every permission test speaks of."""

from types import SimpleNamespace

import pytest
from django.conf import settings
from django.core.cache import cache

from kelompok.tests.factories import KelompokFactory
from klaster.models import Penugasan
from klaster.tests.factories import KEC_LAIN, KlasterFactory, PenugasanFactory, UserFactory, wilayah


@pytest.fixture(autouse=True)
def _cepat_dan_terisolasi(settings, tmp_path):
    # fast password hashing, and uploaded files kept out of the project folder
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    # cached pages are keyed on data versions that a rolled-back test can repeat
    cache.clear()
    # django-axes needs the request in authenticate(), which client.login() does not pass;
    # the lockout tests (tests/test_keamanan_login.py) switch it back on
    settings.AXES_ENABLED = False


def pytest_collection_modifyitems(config, items):
    on_postgres = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
    skip_pg = pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL)")
    for item in items:
        if "postgres" in item.keywords and not on_postgres:
            item.add_marker(skip_pg)


@pytest.fixture
def personas(db):
    """Two klaster in Lebak and the people who work in them.

    - klaster_lebak: Leuwidamar, with kelompok_lebak; manajer and fasilitator assigned here
    - klaster_lain: Malingping, with kelompok_lain; fasilitator2 assigned here
    - admin: superuser; anonymous is simply not logging in
    """
    klaster_lebak = KlasterFactory(nama="Klaster Mandiri Lebak", kode="LBK")
    klaster_lain = KlasterFactory(
        nama="Klaster Malingping", kode="MLP", kecamatan=[wilayah(KEC_LAIN)]
    )
    manajer = UserFactory(username="manajer", grup="Manajer Program")
    fasilitator = UserFactory(username="fasilitator", grup="Fasilitator")
    fasilitator2 = UserFactory(username="fasilitator2", grup="Fasilitator")
    admin = UserFactory(username="admin", is_staff=True, is_superuser=True)
    PenugasanFactory(pengguna=manajer, klaster=klaster_lebak, peran=Penugasan.Peran.MANAJER)
    PenugasanFactory(pengguna=fasilitator, klaster=klaster_lebak)
    PenugasanFactory(pengguna=fasilitator2, klaster=klaster_lain)
    return SimpleNamespace(
        klaster_lebak=klaster_lebak,
        klaster_lain=klaster_lain,
        kelompok_lebak=KelompokFactory(klaster=klaster_lebak, kode="LBK-01"),
        kelompok_lain=KelompokFactory(klaster=klaster_lain, kode="MLP-01"),
        manajer=manajer,
        fasilitator=fasilitator,
        fasilitator_lebak=fasilitator,
        fasilitator2=fasilitator2,
        admin=admin,
    )

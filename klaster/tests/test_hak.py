"""The roles read of every signed-in request (klaster.akses._muat_hak) and the sessions kept
in a shared cache when REDIS_URL is set (config/settings.py)."""

import datetime
import runpy
from http.cookies import SimpleCookie
from importlib import import_module
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from klaster import akses
from klaster.models import Penugasan
from klaster.tests.factories import KlasterFactory, PenugasanFactory, UserFactory

ROOT = Path(__file__).resolve().parents[2]
SATU_HARI = datetime.timedelta(days=1)


@pytest.mark.django_db
def test_the_roles_read_gives_groups_and_only_the_assignments_active_today():
    hari_ini = timezone.localdate()
    user = UserFactory(grup=akses.GRUP_MANAJER)
    user.groups.add(Group.objects.get_or_create(name="Wajib Ganti Kata Sandi")[0])
    UserFactory(username="orang_lain", grup=akses.GRUP_FASILITATOR)
    aktif, habis, belum, dua_peran, terakhir = KlasterFactory.create_batch(5)
    PenugasanFactory(pengguna=user, klaster=aktif, peran=Penugasan.Peran.MANAJER)
    PenugasanFactory(pengguna=user, klaster=habis, sampai=hari_ini - SATU_HARI)
    PenugasanFactory(pengguna=user, klaster=belum, sejak=hari_ini + SATU_HARI)
    # the same klaster twice: the manajer assignment wins, whichever row comes first
    PenugasanFactory(pengguna=user, klaster=dua_peran, peran=Penugasan.Peran.FASILITATOR)
    PenugasanFactory(pengguna=user, klaster=dua_peran, peran=Penugasan.Peran.MANAJER)
    # the last day of an assignment still counts; another user's never does
    PenugasanFactory(pengguna=user, klaster=terakhir, sampai=hari_ini)
    PenugasanFactory(pengguna__username="orang_lain", klaster=habis)

    with CaptureQueriesContext(connection) as kueri:
        akses._muat_hak(user)

    assert len(kueri) == 1
    assert user._nama_grup_cache == {akses.GRUP_MANAJER, "Wajib Ganti Kata Sandi"}
    assert user._peran_penugasan_cache == {
        aktif.pk: akses.MANAJER,
        dua_peran.pk: akses.MANAJER,
        terakhir.pk: akses.FASILITATOR,
    }


@pytest.mark.django_db
def test_a_user_without_groups_or_assignments_has_no_role():
    user = UserFactory()
    akses._muat_hak(user)
    assert user._nama_grup_cache == set()
    assert user._peran_penugasan_cache == {}
    assert akses.peran_tertinggi(user) is None


def _settings_dengan(monkeypatch, **env) -> dict:
    # the settings module as a fresh process would read it (no Redis needs to answer)
    for nama in ("REDIS_URL", "CACHE_URL"):
        monkeypatch.delenv(nama, raising=False)
    for nama, nilai in env.items():
        monkeypatch.setenv(nama, nilai)
    return runpy.run_path(str(ROOT / "config" / "settings.py"))


def test_with_redis_sessions_are_read_from_it_and_kept_in_the_database(monkeypatch):
    tanpa = _settings_dengan(monkeypatch)
    assert "SESSION_ENGINE" not in tanpa  # Django's default: the database
    assert "sesi" not in tanpa["CACHES"]

    dengan = _settings_dengan(monkeypatch, REDIS_URL="redis://127.0.0.1:6379/3")
    assert dengan["SESSION_ENGINE"] == "django.contrib.sessions.backends.cached_db"
    assert dengan["SESSION_CACHE_ALIAS"] == "sesi"
    assert dengan["CACHES"]["sesi"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert dengan["CACHES"]["sesi"]["LOCATION"] == "redis://127.0.0.1:6379/3"
    # its own key space beside the report cache on the same Redis
    assert dengan["CACHES"]["sesi"]["KEY_PREFIX"] != dengan["CACHES"]["laporan"]["KEY_PREFIX"]


@pytest.fixture
def sesi_di_cache(settings):
    # the cached_db engine over a cache every "worker" of the test shares, as Redis is
    settings.CACHES = {
        **settings.CACHES,
        "sesi": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "sesi"},
    }
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    settings.SESSION_CACHE_ALIAS = "sesi"
    from django.core.cache import caches

    caches["sesi"].clear()
    yield caches["sesi"]
    caches["sesi"].clear()


@pytest.mark.django_db
def test_a_cached_session_signs_in_without_a_session_query_and_sign_out_ends_it(
    client, sesi_di_cache
):
    UserFactory(username="budi", grup=akses.GRUP_MANAJER)
    assert client.login(username="budi", password="kata-sandi-uji-123")
    kunci = client.cookies["sessionid"].value
    kunci_cache = import_module(settings.SESSION_ENGINE).SessionStore(kunci).cache_key
    assert Session.objects.filter(session_key=kunci).exists()  # the database keeps it
    assert sesi_di_cache.get(kunci_cache) is not None  # and the shared cache holds it

    with CaptureQueriesContext(connection) as kueri:
        assert client.get("/").status_code == 200
    assert not [q for q in kueri if "django_session" in q["sql"]]

    # a cookie copied before the sign-out is worth nothing after it, in any worker
    pencuri = Client()
    pencuri.cookies = SimpleCookie(client.cookies)
    client.post(reverse("akun:keluar"))
    assert not Session.objects.filter(session_key=kunci).exists()
    assert sesi_di_cache.get(kunci_cache) is None
    respons = pencuri.get("/")
    assert respons.status_code == 302 and respons["Location"].startswith(reverse("akun:masuk"))

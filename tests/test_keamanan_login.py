"""Login hardening: lockout, password rules, session lifetime, forced password change."""

import datetime

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from freezegun import freeze_time

from klaster.sandi import GRUP_GANTI_SANDI, harus_ganti_sandi
from klaster.tests.factories import UserFactory

SANDI = "kata-sandi-uji-123"  # UserFactory's password
AWAL = datetime.datetime(2026, 3, 2, 8, 0, tzinfo=datetime.UTC)


def masuk(client, username, password, ip="10.0.0.7"):
    return client.post(
        reverse("akun:masuk"), {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def sudah_masuk(client) -> bool:
    return SESSION_KEY in client.session


@pytest.fixture
def axes_aktif(settings):
    settings.AXES_ENABLED = True


@pytest.mark.usefixtures("axes_aktif")
class TestPenguncian:
    def test_four_failures_do_not_lock(self, client, db):
        UserFactory(username="siti")
        for _ in range(4):
            assert masuk(client, "siti", "salah-salah-salah").status_code == 200
        assert masuk(client, "siti", SANDI).status_code == 302
        assert sudah_masuk(client)

    def test_five_failures_lock_the_pair_for_30_minutes(self, client, db):
        UserFactory(username="siti")
        with freeze_time(AWAL) as waktu:
            for _ in range(4):
                masuk(client, "siti", "salah-salah-salah")
            kelima = masuk(client, "siti", "salah-salah-salah")
            assert kelima.status_code == 429
            assert "Akun terkunci sementara" in kelima.text
            assert "coba lagi setelah 30 menit" in kelima.text

            # the right password is refused while the lock lasts
            waktu.tick(datetime.timedelta(minutes=29))
            benar = masuk(client, "siti", SANDI)
            assert benar.status_code == 429
            assert "Akun terkunci sementara" in benar.text
            assert not sudah_masuk(client)

            # 30 minutes after that last (refused) attempt the lock ends
            waktu.tick(datetime.timedelta(minutes=31))
            assert masuk(client, "siti", SANDI).status_code == 302
            assert sudah_masuk(client)

    def test_lock_is_per_username_and_ip(self, client, db):
        UserFactory(username="siti")
        UserFactory(username="budi")
        for _ in range(5):
            masuk(client, "siti", "salah-salah-salah", ip="10.0.0.7")
        # same person from another address, and another person from the same address
        assert masuk(Client(), "siti", SANDI, ip="10.0.0.8").status_code == 302
        assert masuk(Client(), "budi", SANDI, ip="10.0.0.7").status_code == 302
        assert masuk(Client(), "siti", SANDI, ip="10.0.0.7").status_code == 429

    def test_admin_login_is_locked_too(self, client, db):
        UserFactory(username="root", is_staff=True, is_superuser=True)
        url = reverse("admin:login")
        for _ in range(5):
            client.post(url, {"username": "root", "password": "x"}, REMOTE_ADDR="10.0.0.9")
        respons = client.post(url, {"username": "root", "password": SANDI}, REMOTE_ADDR="10.0.0.9")
        assert respons.status_code == 429
        assert not sudah_masuk(client)


class TestKataSandi:
    def test_a_nine_character_password_is_refused(self, client, db):
        user = UserFactory(username="siti")
        client.force_login(user)
        respons = client.post(
            reverse("akun:kata_sandi"),
            {"old_password": SANDI, "new_password1": "Rt8#kq2Lm", "new_password2": "Rt8#kq2Lm"},
        )
        assert respons.status_code == 200
        assert "setidaknya 10 karakter" in respons.text
        user.refresh_from_db()
        assert user.check_password(SANDI)

    def test_changing_the_password_ends_the_other_sessions(self, db):
        user = UserFactory(username="siti")
        di_hp, di_laptop = Client(), Client()
        di_hp.force_login(user)
        di_laptop.force_login(user)
        respons = di_laptop.post(
            reverse("akun:kata_sandi"),
            {
                "old_password": SANDI,
                "new_password1": "Baru-Lebak-2026",
                "new_password2": "Baru-Lebak-2026",
            },
        )
        assert respons.status_code == 302
        # the session that changed it stays signed in; the other one is out
        assert di_laptop.get(reverse("klaster:beranda")).status_code == 200
        ke_hp = di_hp.get(reverse("klaster:beranda"))
        assert ke_hp.status_code == 302
        assert ke_hp["Location"].startswith(reverse("akun:masuk"))


class TestSesi:
    def test_session_ends_after_8_hours_idle(self, db):
        user = UserFactory(username="siti")
        client = Client()
        with freeze_time(AWAL) as waktu:
            client.force_login(user)
            waktu.tick(datetime.timedelta(hours=7, minutes=50))
            # activity within 8 hours keeps the session alive and restarts the clock
            assert client.get(reverse("klaster:beranda")).status_code == 200
            waktu.tick(datetime.timedelta(hours=7, minutes=50))
            assert client.get(reverse("klaster:beranda")).status_code == 200
            waktu.tick(datetime.timedelta(hours=8, minutes=1))
            respons = client.get(reverse("klaster:beranda"))
            assert respons.status_code == 302
            assert respons["Location"].startswith(reverse("akun:masuk"))

    def test_an_active_session_is_written_once_per_interval_not_on_every_page(self, db):
        user = UserFactory(username="siti")
        client = Client()
        url = reverse("klaster:beranda")

        def tulis_sesi():
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200
            return sum(
                1
                for q in ctx.captured_queries
                if q["sql"].startswith("UPDATE") and "django_session" in q["sql"]
            )

        with freeze_time(AWAL) as waktu:
            client.force_login(user)  # signing in saves the session: the clock starts
            assert tulis_sesi() == 0  # pages a moment later do not write it again
            assert tulis_sesi() == 0
            waktu.tick(datetime.timedelta(seconds=settings.SESI_SEGARKAN_DETIK - 1))
            assert tulis_sesi() == 0
            waktu.tick(datetime.timedelta(seconds=1))
            assert tulis_sesi() == 1


class TestWajibGantiSandi:
    def _admin(self):
        return UserFactory(username="root", is_staff=True, is_superuser=True)

    def test_user_created_in_admin_must_change_password_first(self, client, db):
        client.force_login(self._admin())
        respons = client.post(
            reverse("admin:auth_user_add"),
            {
                "username": "fasil-baru",
                "usable_password": "true",
                "password1": "Sementara-2026!",
                "password2": "Sementara-2026!",
            },
        )
        assert respons.status_code == 302, respons.context and respons.context["adminform"].errors
        baru = User.objects.get(username="fasil-baru")
        assert harus_ganti_sandi(baru)

        pemilik = Client()
        assert masuk(pemilik, "fasil-baru", "Sementara-2026!").status_code == 302
        for url in (reverse("klaster:beranda"), reverse("klaster:list"), "/admin/"):
            ke = pemilik.get(url)
            assert ke.status_code == 302, url
            assert ke["Location"] == reverse("akun:kata_sandi")
        assert pemilik.get(reverse("akun:kata_sandi")).status_code == 200

        ganti = pemilik.post(
            reverse("akun:kata_sandi"),
            {
                "old_password": "Sementara-2026!",
                "new_password1": "Hanya-Saya-Tahu-77",
                "new_password2": "Hanya-Saya-Tahu-77",
            },
        )
        assert ganti.status_code == 302
        assert not harus_ganti_sandi(User.objects.get(username="fasil-baru"))
        assert pemilik.get(reverse("klaster:beranda")).status_code == 200

    def test_password_reset_by_admin_must_be_changed_again(self, client, db):
        pemilik = UserFactory(username="siti")
        client.force_login(self._admin())
        respons = client.post(
            reverse("admin:auth_user_password_change", args=[pemilik.pk]),
            {
                "usable_password": "true",
                "password1": "Reset-Admin-2026",
                "password2": "Reset-Admin-2026",
            },
        )
        assert respons.status_code == 302
        assert pemilik.groups.filter(name=GRUP_GANTI_SANDI).exists()

    def test_users_made_outside_the_web_are_not_flagged(self, db):
        assert not harus_ganti_sandi(UserFactory(username="dari-seed"))

    def test_the_admin_can_force_a_change_by_ticking_the_group(self, client, db):
        from django.contrib.auth.models import Group

        user = UserFactory(username="siti")
        user.groups.add(Group.objects.get_or_create(name=GRUP_GANTI_SANDI)[0])
        client.force_login(user)
        assert client.get(reverse("klaster:beranda"))["Location"] == reverse("akun:kata_sandi")

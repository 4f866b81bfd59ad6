"""A password set by someone else must be replaced by its owner.

When the admin creates a user, or resets a user's password in the Django admin, the
password is known to two people. Django calls `password_changed()` on every configured
password validator after each successful password change (a documented hook), whoever
makes it and through whichever form. `PenandaGantiSandi` uses that hook:

- changed by another signed-in person (the admin) → the owner is put in the group
  GRUP_GANTI_SANDI, and config.middleware.WajibGantiSandiMiddleware sends them to the
  password page on every request until they change it;
- changed by the owner (signed in, or through a reset link) → the flag is lifted.

Passwords set outside a web request (createsuperuser, seed_demo, factories in tests) are
left alone. Why a group rather than a field: it needs no schema change in anyone's app, the
admin sees it (and can tick it to force a change), and the middleware reads it from the
group names the role checks already load once per request (klaster.akses).
"""

from django.contrib.auth.models import Group
from django.utils.translation import gettext as _
from simple_history.models import HistoricalRecords

from klaster import akses

GRUP_GANTI_SANDI = "Wajib Ganti Kata Sandi"


def harus_ganti_sandi(user) -> bool:
    return user.is_authenticated and GRUP_GANTI_SANDI in akses._nama_grup(user)


def _request_saat_ini():
    # simple_history's HistoryRequestMiddleware keeps the current request in a context var
    return getattr(HistoricalRecords.context, "request", None)


class PenandaGantiSandi:
    """Not a rule for the password itself: only the password_changed hook matters."""

    def validate(self, password, user=None):
        return None

    def get_help_text(self):
        return _("Kata sandi yang dibuat oleh admin harus diganti oleh pemiliknya saat masuk.")

    def password_changed(self, password, user=None):
        request = _request_saat_ini()
        if user is None or user.pk is None or request is None:
            return
        pengubah = getattr(request, "user", None)
        oleh_orang_lain = (
            pengubah is not None and pengubah.is_authenticated and pengubah.pk != user.pk
        )
        if oleh_orang_lain:
            grup, _dibuat = Group.objects.get_or_create(name=GRUP_GANTI_SANDI)
            user.groups.add(grup)
        else:
            user.groups.remove(*Group.objects.filter(name=GRUP_GANTI_SANDI))
        # the per-request cache of group names is stale now
        if hasattr(user, "_nama_grup_cache"):
            del user._nama_grup_cache

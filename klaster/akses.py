"""Access scoping and roles: the one place that says who may see and do what.

Scope (which records) comes from `Penugasan` through each model's `visible_to(user)`;
role (what a user may do) comes from the Django groups below. A record outside the user's
scope answers 404, never 403, so an outsider does not learn that it exists. A user in scope
but without the role answers 403.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

GRUP_FASILITATOR = "Fasilitator"
GRUP_MANAJER = "Manajer Program"


def _nama_grup(user) -> set[str]:
    # cached on the user object for the length of the request
    if not hasattr(user, "_nama_grup_cache"):
        user._nama_grup_cache = set(user.groups.values_list("name", flat=True))
    return user._nama_grup_cache


def is_manajer(user) -> bool:
    if not user.is_authenticated:
        return False
    return user.is_superuser or GRUP_MANAJER in _nama_grup(user)


def is_fasilitator(user) -> bool:
    if not user.is_authenticated:
        return False
    return GRUP_FASILITATOR in _nama_grup(user)


def lihat_semua(user) -> bool:
    return user.is_authenticated and user.has_perm("klaster.lihat_semua_klaster")


def require_manajer(user) -> None:
    """403 for a user in scope who lacks the manager role."""
    if not is_manajer(user):
        raise PermissionDenied


def require_petugas(user) -> None:
    """403 unless the user works in the programme (fasilitator or manajer)."""
    if not (is_manajer(user) or is_fasilitator(user)):
        raise PermissionDenied


def get_visible_or_404(model, user, **lookup):
    """Fetch one record through the user's scope: 404 when it is outside it."""
    return get_object_or_404(model.objects.visible_to(user), **lookup)

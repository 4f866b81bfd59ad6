"""Access scoping and roles: the one place that says who may see and do what.

Scope (which records) comes from `Penugasan` through each model's `visible_to(user)`;
role (what a user may do) comes from the Django groups below. A record outside the user's
scope answers 404, never 403, so an outsider does not learn that it exists. A user in scope
but without the role answers 403.
"""

import functools

from django.contrib.auth.models import Group, Permission, User
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.shortcuts import get_object_or_404

GRUP_FASILITATOR = "Fasilitator"
GRUP_MANAJER = "Manajer Program"


@functools.lru_cache(maxsize=1)
def _sql_hak() -> str:
    # ModelBackend's two permission queries and the group names as one UNION ALL; table and
    # column names come from the models' metadata (no input reaches this SQL)
    qn = connection.ops.quote_name
    ug = qn(User.groups.through._meta.db_table)
    up = qn(User.user_permissions.through._meta.db_table)
    gp = qn(Group.permissions.through._meta.db_table)
    g, p, ct = (qn(m._meta.db_table) for m in (Group, Permission, ContentType))
    kode = f"{ct}.{qn('app_label')} || '.' || {p}.{qn('codename')}"
    return (
        f"SELECT 'g', {g}.{qn('name')} FROM {g} "  # noqa: S608
        f"JOIN {ug} ON {ug}.{qn('group_id')} = {g}.{qn('id')} WHERE {ug}.{qn('user_id')} = %s "
        f"UNION ALL SELECT 'p', {kode} FROM {p} "
        f"JOIN {ct} ON {ct}.{qn('id')} = {p}.{qn('content_type_id')} "
        f"JOIN {up} ON {up}.{qn('permission_id')} = {p}.{qn('id')} "
        f"WHERE {up}.{qn('user_id')} = %s "
        f"UNION ALL SELECT 'p', {kode} FROM {p} "
        f"JOIN {ct} ON {ct}.{qn('id')} = {p}.{qn('content_type_id')} "
        f"JOIN {gp} ON {gp}.{qn('permission_id')} = {p}.{qn('id')} "
        f"JOIN {ug} ON {ug}.{qn('group_id')} = {gp}.{qn('group_id')} "
        f"WHERE {ug}.{qn('user_id')} = %s"
    )


def _muat_hak(user) -> None:
    """Read the user's group names and permissions in ONE query and keep them on the user
    object for the request: `_nama_grup_cache` for the role checks below and `_perm_cache`,
    the attribute ModelBackend.get_all_permissions fills and reads, so user.has_perm() (the
    national scope in Klaster.visible_to) costs no query of its own. Same rules as
    ModelBackend: an inactive user has no permission. (Raw SQL: compiling the same UNION
    through the ORM took longer than running it, on every page.)"""
    with connection.cursor() as cursor:
        cursor.execute(_sql_hak(), [user.pk] * 3)
        baris = cursor.fetchall()
    user._nama_grup_cache = {nama for jenis, nama in baris if jenis == "g"}
    if user.is_active and not hasattr(user, "_perm_cache"):
        user._perm_cache = {nama for jenis, nama in baris if jenis == "p"}


def _nama_grup(user) -> set[str]:
    # cached on the user object for the length of the request
    if not hasattr(user, "_nama_grup_cache"):
        _muat_hak(user)
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
    if not user.is_authenticated:
        return False
    _nama_grup(user)  # loads the permissions with the groups: has_perm reads no more
    return user.has_perm("klaster.lihat_semua_klaster")


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


def boleh_menulis(user) -> bool:
    """Facilitators register members in the field, so both roles may create and edit."""
    return is_manajer(user) or is_fasilitator(user)


def klaster_dikelola(user):
    """Klaster a user manages (may import into): assigned as manajer today, or all of them
    for a national manager (klaster.lihat_semua_klaster) or a superuser."""
    from klaster.models import Klaster, Penugasan

    if not is_manajer(user):
        return Klaster.objects.none()
    if lihat_semua(user):
        return Klaster.objects.all()
    penugasan = Penugasan.objects.aktif().filter(pengguna=user, peran=Penugasan.Peran.MANAJER)
    return Klaster.objects.filter(pk__in=penugasan.values("klaster_id"))

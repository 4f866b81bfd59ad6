"""Access scoping and roles: the one place that says who may see and do what.

Scope (which records) comes from `Penugasan` through each model's `visible_to(user)`;
role (what a user may do) is read per klaster: `peran_di(user, klaster)`. A record outside
the user's scope answers 404, never 403, so an outsider does not learn that it exists. A
user in scope but without the role answers 403.

The role in a klaster is the lower of two grants, both required:
- the user's Django group ("Manajer Program" or "Fasilitator"): what the user may be;
- the user's active `Penugasan` in that klaster (peran manajer or fasilitator): what the
  user is there.
So a member of "Manajer Program" assigned to a klaster as fasilitator acts there as a
fasilitator (proposes, records instalments; does not approve, disburse or write off), and a
user with a Penugasan but no role group has no role at all (403 on every programme page).
A superuser is manajer everywhere; a national manager (permission
klaster.lihat_semua_klaster) holds their group's role in every klaster.

Pages that name no klaster (lists, the manager's tables) use `require_petugas` and
`require_manajer`, which read the group and, for the manager's pages, the highest role the
user holds in any klaster (`peran_tertinggi`).
"""

import functools

from django.contrib.auth.models import Group, Permission, User
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

GRUP_FASILITATOR = "Fasilitator"
GRUP_MANAJER = "Manajer Program"


@functools.lru_cache(maxsize=1)
def _sql_hak() -> str:
    # ModelBackend's two permission queries, the group names and the assignments active on
    # a date as one UNION ALL; table and column names come from the models' metadata (no
    # input reaches this SQL)
    from klaster.models import Penugasan

    qn = connection.ops.quote_name
    pn = qn(Penugasan._meta.db_table)
    ug = qn(User.groups.through._meta.db_table)
    up = qn(User.user_permissions.through._meta.db_table)
    gp = qn(Group.permissions.through._meta.db_table)
    g, p, ct = (qn(m._meta.db_table) for m in (Group, Permission, ContentType))
    kode = f"{ct}.{qn('app_label')} || '.' || {p}.{qn('codename')}"
    return (
        f"SELECT 'g', {g}.{qn('name')} FROM {g} "  # noqa: S608 (identifiers quoted, the user id bound) # nosec B608
        f"JOIN {ug} ON {ug}.{qn('group_id')} = {g}.{qn('id')} WHERE {ug}.{qn('user_id')} = %s "
        f"UNION ALL SELECT 'p', {kode} FROM {p} "
        f"JOIN {ct} ON {ct}.{qn('id')} = {p}.{qn('content_type_id')} "
        f"JOIN {up} ON {up}.{qn('permission_id')} = {p}.{qn('id')} "
        f"WHERE {up}.{qn('user_id')} = %s "
        f"UNION ALL SELECT 'p', {kode} FROM {p} "
        f"JOIN {ct} ON {ct}.{qn('id')} = {p}.{qn('content_type_id')} "
        f"JOIN {gp} ON {gp}.{qn('permission_id')} = {p}.{qn('id')} "
        f"JOIN {ug} ON {ug}.{qn('group_id')} = {gp}.{qn('group_id')} "
        f"WHERE {ug}.{qn('user_id')} = %s "
        f"UNION ALL SELECT 'k', CAST({pn}.{qn('klaster_id')} AS TEXT) || ':' || {pn}.{qn('peran')} "
        f"FROM {pn} WHERE {pn}.{qn('pengguna_id')} = %s AND {pn}.{qn('sejak')} <= %s "
        f"AND ({pn}.{qn('sampai')} IS NULL OR {pn}.{qn('sampai')} >= %s)"
    )


def _muat_hak(user) -> None:
    """Read the user's group names, permissions and active assignments in ONE query and keep
    them on the user object for the request: `_nama_grup_cache` and
    `_peran_penugasan_cache` for the role checks below, and `_perm_cache`, the attribute
    ModelBackend.get_all_permissions fills and reads, so user.has_perm() (the national
    scope in Klaster.visible_to) costs no query of its own. Same rules as ModelBackend: an
    inactive user has no permission. (Raw SQL: compiling the same UNION through the ORM
    took longer than running it, on every page.)"""
    hari_ini = timezone.localdate()
    with connection.cursor() as cursor:
        cursor.execute(_sql_hak(), [user.pk] * 4 + [hari_ini, hari_ini])
        baris = cursor.fetchall()
    user._nama_grup_cache = {nama for jenis, nama in baris if jenis == "g"}
    if user.is_active and not hasattr(user, "_perm_cache"):
        user._perm_cache = {nama for jenis, nama in baris if jenis == "p"}
    peran: dict[int, str] = {}
    for jenis, nilai in baris:
        if jenis == "k":
            klaster_id, _titik, peran_di_sana = nilai.partition(":")
            if peran.get(int(klaster_id)) != MANAJER:  # a manajer assignment wins
                peran[int(klaster_id)] = peran_di_sana
    user._peran_penugasan_cache = peran


def _nama_grup(user) -> set[str]:
    # cached on the user object for the length of the request
    if not hasattr(user, "_nama_grup_cache"):
        _muat_hak(user)
    return user._nama_grup_cache


MANAJER = "manajer"  # Penugasan.Peran.MANAJER
FASILITATOR = "fasilitator"  # Penugasan.Peran.FASILITATOR


def is_manajer(user) -> bool:
    """In the "Manajer Program" group (or a superuser): the navigation's manager links.
    What the user may do in a klaster is `peran_di`."""
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


def _peran_grup(user) -> str | None:
    """The highest role the user's groups allow, or None without a role group."""
    if not user.is_authenticated:
        return None
    if user.is_superuser:
        return MANAJER
    grup = _nama_grup(user)
    if GRUP_MANAJER in grup:
        return MANAJER
    if GRUP_FASILITATOR in grup:
        return FASILITATOR
    return None


def _peran_penugasan(user) -> dict[int, str]:
    """{klaster id: peran} of the user's assignments active today (read with the groups,
    kept on the user object for the request)."""
    if not hasattr(user, "_peran_penugasan_cache"):
        _muat_hak(user)
    return user._peran_penugasan_cache


def _nasional(user) -> bool:
    return user.is_superuser or lihat_semua(user)


def peran_di(user, klaster) -> str | None:
    """The user's role in one klaster (a Klaster or its pk): MANAJER, FASILITATOR or None.

    The lower of the group's role and the assignment's role there; None without either.
    """
    grup = _peran_grup(user)
    if grup is None:
        return None
    if _nasional(user):
        return grup
    tugas = _peran_penugasan(user).get(getattr(klaster, "pk", klaster))
    if tugas is None:
        return None
    return MANAJER if grup == MANAJER and tugas == MANAJER else FASILITATOR


def peran_tertinggi(user) -> str | None:
    """The highest role the user holds in any klaster, for pages that name no klaster (the
    home page, the manager's tables). A user with a role group but no assignment yet keeps
    the group's role over an empty scope: their pages say there is no klaster yet."""
    grup = _peran_grup(user)
    if grup is None or _nasional(user):
        return grup
    peran = set(_peran_penugasan(user).values())
    if not peran:
        return grup
    return MANAJER if grup == MANAJER and MANAJER in peran else FASILITATOR


def require_manajer(user) -> None:
    """403 unless the user is a manager (in some klaster, or not yet assigned anywhere)."""
    if peran_tertinggi(user) != MANAJER:
        raise PermissionDenied


def require_petugas(user) -> None:
    """403 unless the user works in the programme (a fasilitator or manajer group)."""
    if _peran_grup(user) is None:
        raise PermissionDenied


def require_manajer_di(user, klaster) -> None:
    """403 unless the user is manajer in this klaster."""
    if peran_di(user, klaster) != MANAJER:
        raise PermissionDenied(_("Hanya manajer program klaster ini yang boleh melakukan ini."))


def require_petugas_di(user, klaster) -> None:
    """403 unless the user is fasilitator or manajer in this klaster."""
    if peran_di(user, klaster) is None:
        raise PermissionDenied(
            _("Hanya fasilitator atau manajer program klaster ini yang boleh melakukan ini.")
        )


def get_visible_or_404(model, user, **lookup):
    """Fetch one record through the user's scope: 404 when it is outside it."""
    return get_object_or_404(model.objects.visible_to(user), **lookup)


def boleh_menulis(user) -> bool:
    """Facilitators register members in the field, so both roles may create and edit (the
    buttons of pages that name no klaster; the write itself checks `peran_di`)."""
    return _peran_grup(user) is not None


def boleh_menulis_di(user, klaster) -> bool:
    return peran_di(user, klaster) is not None


def boleh_koreksi_angsuran(user, *, klaster, dicatat_oleh_id) -> bool:
    """A repayment is reversed by a manager of its klaster, or by the facilitator of that
    klaster who recorded it."""
    peran = peran_di(user, klaster)
    return peran == MANAJER or (peran == FASILITATOR and dicatat_oleh_id == user.pk)


def klaster_dikelola(user):
    """Klaster a user manages (may import into): where `peran_di` is manajer — every klaster
    for a national manager (klaster.lihat_semua_klaster) or a superuser."""
    from klaster.models import Klaster

    if _peran_grup(user) != MANAJER:
        return Klaster.objects.none()
    if _nasional(user):
        return Klaster.objects.all()
    ids = sorted(k for k, peran in _peran_penugasan(user).items() if peran == MANAJER)
    return Klaster.objects.filter(pk__in=ids)


def ditugaskan_di(user, klaster) -> bool:
    """Holds an active Penugasan in this klaster (a Klaster or its pk): who works with its
    members and may see and call their full phone number. Everyone else (national viewers,
    admins, donors' views, exports) sees it masked. One query per request, kept on the user."""
    if not user.is_authenticated:
        return False
    if not hasattr(user, "_klaster_tugas_cache"):
        from klaster.models import Penugasan

        user._klaster_tugas_cache = set(
            Penugasan.objects.aktif().filter(pengguna=user).values_list("klaster_id", flat=True)
        )
    return getattr(klaster, "pk", klaster) in user._klaster_tugas_cache

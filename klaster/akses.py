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
A superuser is manajer everywhere; a national manager (group "Manajer Nasional") holds
their role group's role in every klaster.

Pages that name no klaster (lists, the manager's tables) use `require_petugas` and
`require_manajer`, which read the group and, for the manager's pages, the highest role the
user holds in any klaster (`peran_tertinggi`).
"""

import functools

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import connections, router
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

GRUP_FASILITATOR = "Fasilitator"
GRUP_MANAJER = "Manajer Program"
GRUP_NASIONAL = "Manajer Nasional"  # scope: every klaster (klaster/migrations/0006)


@functools.cache
def _sql_hak(alias: str) -> str:
    """The roles query of _muat_hak: the user's group names and active assignments as
    (kind, group name or role, klaster id or NULL), one UNION ALL with four parameters
    (user id, user id, today, today). Names come from the models' metadata; built once
    per database alias."""
    from klaster.models import Penugasan

    q = connections[alias].ops.quote_name
    grup, anggota, tugas = Group._meta, Group.user_set.through._meta, Penugasan._meta

    def kolom(meta, nama):
        return q(meta.get_field(nama).column)

    return (
        f"SELECT 'g', g.{kolom(grup, 'name')}, NULL FROM {q(grup.db_table)} g "  # noqa: S608 (identifiers from _meta, quoted; values bound) # nosec B608
        f"JOIN {q(anggota.db_table)} ug ON ug.{kolom(anggota, 'group')} = g.{kolom(grup, 'id')} "
        f"WHERE ug.{kolom(anggota, 'user')} = %s "
        f"UNION ALL SELECT 'k', p.{kolom(tugas, 'peran')}, p.{kolom(tugas, 'klaster')} "
        f"FROM {q(tugas.db_table)} p WHERE p.{kolom(tugas, 'pengguna')} = %s "
        f"AND p.{kolom(tugas, 'sejak')} <= %s "
        f"AND (p.{kolom(tugas, 'sampai')} IS NULL OR p.{kolom(tugas, 'sampai')} >= %s)"
    )


def _muat_hak(user) -> None:
    """Read the user's group names and active assignments in ONE query (a UNION) and keep
    them on the user object for the request: `_nama_grup_cache` and
    `_peran_penugasan_cache` for the role and scope checks below.

    Every signed-in request runs it (the forced password change reads the group names), so
    it is plain SQL over the models' tables: built through the ORM the same UNION took
    1.9 ms per request, most of it composing the query in Python; as SQL it takes 0.4 ms
    (docs/keputusan.md, "The cost of being signed in")."""
    from klaster.models import Penugasan

    alias = router.db_for_read(Penugasan)
    koneksi = connections[alias]
    hari_ini = koneksi.ops.adapt_datefield_value(timezone.localdate())
    with koneksi.cursor() as cursor:
        cursor.execute(_sql_hak(alias), [user.pk, user.pk, hari_ini, hari_ini])
        baris = cursor.fetchall()
    user._nama_grup_cache = {nilai for jenis, nilai, _k in baris if jenis == "g"}
    peran: dict[int, str] = {}
    for jenis, peran_di_sana, klaster_id in baris:
        if jenis == "k" and peran.get(klaster_id) != MANAJER:  # a manajer assignment wins
            peran[klaster_id] = peran_di_sana
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
    """A national manager — in the "Manajer Nasional" group — or a superuser: scope over
    every klaster (the role still comes from "Manajer Program" or "Fasilitator")."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or GRUP_NASIONAL in _nama_grup(user)


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
    for a national manager (group "Manajer Nasional") or a superuser."""
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

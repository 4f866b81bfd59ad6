"""Versions of the figures, kept in the database (klaster.models.VersiAngka).

Every write of a klaster's data calls `naikkan(klaster_ids=[...])` FIRST in its transaction,
before it takes any other row lock (select_for_update): the version row is then the first
lock every writer of that klaster takes, in the same order, so two writes never wait on each
other crosswise (no deadlock), and a reader that reads the version before the figures can
never store old figures under a new version. Writes of the reference tables call
`naikkan(acuan=True)`. laporan/sinyal.py also bumps on every ORM save and delete of the
models the reports read (the admin, the shell, test factories); services and bulk writes
that bypass the ORM's signals must call it themselves.

A klaster has two versions. `klaster:<pk>` changes with every write of its data: the pages'
keys carry it. `program:<pk>` changes with every write except the ones `naikkan(...,
program=False)` names: the field work of visits, attendance, income readings, financing,
instalments and savings, which the programme's sections (program.selectors: activities,
market links, surveys, kelompok levels, over mitra and kelompok) do not read. The klaster's
part of those sections is kept under `program:<pk>` (laporan/bagian.py), so a visit does not
compute them again. A write that is not sure leaves `program` as it is (True).
"""

import secrets

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import F, Subquery

from klaster.models import VersiAngka

ACUAN = "acuan"


def kunci_klaster(klaster_id) -> str:
    return f"klaster:{int(klaster_id)}"


def kunci_program(klaster_id) -> str:
    return f"program:{int(klaster_id)}"


def _awal() -> int:
    # a random start: see VersiAngka
    return secrets.randbits(62)


def _baris_baru(lingkup: str) -> VersiAngka:
    # only a `klaster:` row names its klaster (one row per klaster: the klaster list's join)
    klaster_id = int(lingkup.removeprefix("klaster:")) if lingkup.startswith("klaster:") else None
    return VersiAngka(lingkup=lingkup, nomor=_awal(), klaster_id=klaster_id)


def naikkan(klaster_ids=(), *, acuan: bool = False, program: bool = True) -> None:
    """Change the version of these klaster (and of the reference tables with `acuan`);
    `program=False`: a write the programme's sections do not read (see above), which leaves
    their version. One UPDATE; a row that does not exist yet is created first (then updated,
    so a row created meanwhile by a reader still changes)."""
    ids = {int(k) for k in klaster_ids if k is not None}
    kunci = sorted(
        {kunci_klaster(k) for k in ids} | ({kunci_program(k) for k in ids} if program else set())
    )
    if acuan:
        kunci.append(ACUAN)
    if not kunci:
        return
    n = VersiAngka.objects.filter(lingkup__in=kunci).update(nomor=F("nomor") + 1)
    if n < len(kunci):
        VersiAngka.objects.bulk_create([_baris_baru(k) for k in kunci], ignore_conflicts=True)
        VersiAngka.objects.filter(lingkup__in=kunci).update(nomor=F("nomor") + 1)


def baca(klaster_ids) -> tuple[dict[int, int], int]:
    """({klaster id: version}, the reference version) in one query; a missing row is
    created (two more queries, once)."""
    ids = sorted({int(k) for k in klaster_ids})
    kunci = [kunci_klaster(k) for k in ids] + [ACUAN]
    nomor = dict(VersiAngka.objects.filter(lingkup__in=kunci).values_list("lingkup", "nomor"))
    if len(nomor) < len(kunci):
        VersiAngka.objects.bulk_create(
            [_baris_baru(k) for k in kunci if k not in nomor], ignore_conflicts=True
        )
        nomor = dict(VersiAngka.objects.filter(lingkup__in=kunci).values_list("lingkup", "nomor"))
    return {k: nomor[kunci_klaster(k)] for k in ids}, nomor[ACUAN]


def baca_program(klaster_ids) -> dict[int, int]:
    """{klaster id: the version of its programme sections} in one query; a missing row is
    created (two more queries, once)."""
    ids = sorted({int(k) for k in klaster_ids})
    if not ids:
        return {}
    kunci = [kunci_program(k) for k in ids]
    nomor = dict(VersiAngka.objects.filter(lingkup__in=kunci).values_list("lingkup", "nomor"))
    if len(nomor) < len(kunci):
        VersiAngka.objects.bulk_create(
            [_baris_baru(k) for k in kunci if k not in nomor], ignore_conflicts=True
        )
        nomor = dict(VersiAngka.objects.filter(lingkup__in=kunci).values_list("lingkup", "nomor"))
    return {k: nomor[kunci_program(k)] for k in ids}


def dari_baris(baris) -> tuple[dict[int, int], int]:
    """({klaster id: version}, the reference version) from (klaster id, versi_angka,
    versi_acuan) rows read with dengan_versi (a klaster without a version row yet gets one:
    a query or three, once)."""
    per_klaster = {pk: versi for pk, versi, _acuan in baris}
    acuan = next((acuan for _pk, _versi, acuan in baris), None)
    if acuan is None or None in per_klaster.values():
        per_klaster, acuan = baca(per_klaster)
    return per_klaster, acuan


def dari_lingkup(klaster_qs) -> tuple[dict[int, int], int]:
    """The same for every klaster of klaster_qs, read as plain rows: no klaster objects, no
    per-value conversion (at a thousand klaster those were most of the read's time)."""
    baris = (
        dengan_versi(klaster_qs)
        .order_by()  # the versions are sorted by klaster id where they are used
        .values_list("pk", "versi_angka", "versi_acuan")
    )
    return dari_baris(_baris_mentah(baris))


def _baris_mentah(qs) -> list[tuple]:
    # the rows as the database driver returns them (ids and versions are plain integers on
    # every backend); a scope of none (.none()) runs no query, as the ORM does
    try:
        sql, params = qs.query.get_compiler(qs.db).as_sql()
    except EmptyResultSet:
        return []
    with connections[qs.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def dari_klaster(klaster_list) -> tuple[dict[int, int], int]:
    """The same for klaster objects read with dengan_versi."""
    return dari_baris([(k.pk, k.versi_angka, k.versi_acuan) for k in klaster_list])


def dengan_versi(klaster_qs):
    """Klaster annotated with the version of their figures (`versi_angka`) and the
    reference tables' (`versi_acuan`), in the same query (None where no row exists yet:
    see baca)."""
    return klaster_qs.annotate(
        versi_angka=F("versi__nomor"),
        versi_acuan=Subquery(VersiAngka.objects.filter(lingkup=ACUAN).values("nomor")[:1]),
    )

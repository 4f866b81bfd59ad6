"""Versions of the figures, kept in the database (klaster.models.VersiAngka).

Every write of a klaster's data calls `naikkan(klaster_ids=[...])` FIRST in its transaction,
before it takes any other row lock (select_for_update): the version row is then the first
lock every writer of that klaster takes, in the same order, so two writes never wait on each
other crosswise (no deadlock), and a reader that reads the version before the figures can
never store old figures under a new version. Writes of the reference tables call
`naikkan(acuan=True)`. laporan/sinyal.py also bumps on every ORM save and delete of the
models the reports read (the admin, the shell, test factories); services and bulk writes
that bypass the ORM's signals must call it themselves.

A klaster's figures have a version, `klaster:<pk>`, which changes with every write of its
data (the pages' keys carry it), and one per group of report sections (GRUP:
`<grup>:<pk>`), which changes with the writes that group reads. laporan/bagian.py keeps a
klaster's part of each group under that group's version, so the next report computes only
the groups a write touched: a visit recorded at a meeting, its visits section (and its
readings', instalments' and savings' when it carries them), not the programme's half. A
write names the groups it touches with `naikkan(..., grup=...)`; one that does not (the
import, the admin's other models, seed_demo) touches them all. Which tables each group
reads is checked against what each write writes, from the SQL itself
(laporan/tests/test_dampak_cache.py).
"""

import secrets

from django.core.exceptions import EmptyResultSet
from django.db import connections, router
from django.db.models import F, Subquery

from klaster.models import VersiAngka

ACUAN = "acuan"

# the groups of report sections (laporan.bagian.BAGIAN's values), each read from its own
# tables: people and money disbursed; the portfolio; the revolving fund; income readings;
# visits; the programme's half (activities, market links, surveys, kelompok levels);
# savings
DASAR = "dasar"
PORTOFOLIO = "portofolio"
DANA_BERGULIR = "dana_bergulir"
PENDAPATAN = "pendapatan"
KEGIATAN = "kegiatan"
PROGRAM = "program"
TABUNGAN = "tabungan"
GRUP = (DASAR, PORTOFOLIO, DANA_BERGULIR, PENDAPATAN, KEGIATAN, PROGRAM, TABUNGAN)
# what a financing or an instalment changes (the loan's row: its amounts and kept position)
PINJAMAN = (DASAR, PORTOFOLIO, DANA_BERGULIR)


def kunci_klaster(klaster_id) -> str:
    return f"klaster:{int(klaster_id)}"


def kunci_grup(grup: str, klaster_id) -> str:
    return f"{grup}:{int(klaster_id)}"


def _awal() -> int:
    # a random start: see VersiAngka
    return secrets.randbits(62)


def _baris_baru(lingkup: str) -> VersiAngka:
    # only a `klaster:` row names its klaster (one row per klaster: the klaster list's join)
    klaster_id = int(lingkup.removeprefix("klaster:")) if lingkup.startswith("klaster:") else None
    return VersiAngka(lingkup=lingkup, nomor=_awal(), klaster_id=klaster_id)


def naikkan(klaster_ids=(), *, acuan: bool = False, grup=GRUP) -> None:
    """Change the version of these klaster and of the groups of sections `grup` (every one
    unless the write names those it touches), and of the reference tables with `acuan`.
    One UPDATE; a row that does not exist yet is created first (then updated, so a row
    created meanwhile by a reader still changes)."""
    tidak_dikenal = set(grup) - set(GRUP)
    if tidak_dikenal:
        raise ValueError(f"unknown groups of sections: {sorted(tidak_dikenal)}")
    ids = {int(k) for k in klaster_ids if k is not None}
    kunci = sorted({kunci_klaster(k) for k in ids} | {kunci_grup(g, k) for g in grup for k in ids})
    if acuan:
        kunci.append(ACUAN)
    if not kunci:
        return
    if _naikkan_baris(kunci) < len(kunci):
        VersiAngka.objects.bulk_create([_baris_baru(k) for k in kunci], ignore_conflicts=True)
        _naikkan_baris(kunci)


def _naikkan_baris(kunci: list[str]) -> int:
    """+1 on these rows in one statement, locking the klaster's own rows (`klaster:<pk>`)
    before its groups' on PostgreSQL: a writer that holds a klaster's row holds it before
    any of that klaster's group rows, so a second naikkan in the same transaction (a visit
    that records an instalment) never waits crosswise on another writer. (An UPDATE alone
    locks in the order its scan meets the rows.) Other databases lock the whole file."""
    alias = router.db_for_write(VersiAngka)
    koneksi = connections[alias]
    if not koneksi.features.has_select_for_update:
        return (
            VersiAngka.objects.using(alias).filter(lingkup__in=kunci).update(nomor=F("nomor") + 1)
        )
    tabel = koneksi.ops.quote_name(VersiAngka._meta.db_table)
    sql = (
        f"UPDATE {tabel} SET nomor = nomor + 1 WHERE lingkup IN ("  # noqa: S608 # nosec B608
        f"SELECT lingkup FROM {tabel} WHERE lingkup = ANY(%s) "
        "ORDER BY lingkup NOT LIKE 'klaster:%%', lingkup FOR UPDATE)"
    )
    with koneksi.cursor() as cursor:
        cursor.execute(sql, [list(kunci)])
        return cursor.rowcount


def baca(klaster_ids) -> tuple[dict[int, int], int]:
    """({klaster id: version}, the reference version) in one query; a missing row is
    created (two more queries, once)."""
    ids = sorted({int(k) for k in klaster_ids})
    kunci = [kunci_klaster(k) for k in ids] + [ACUAN]
    nomor = _nomor(kunci)
    return {k: nomor[kunci_klaster(k)] for k in ids}, nomor[ACUAN]


def baca_grup(klaster_ids) -> dict[int, dict[str, int]]:
    """{klaster id: {group: the version of its sections}} in one query; a missing row is
    created (two more queries, once)."""
    ids = sorted({int(k) for k in klaster_ids})
    if not ids:
        return {}
    nomor = _nomor([kunci_grup(g, k) for k in ids for g in GRUP])
    return {k: {g: nomor[kunci_grup(g, k)] for g in GRUP} for k in ids}


def _nomor(kunci: list[str]) -> dict[str, int]:
    """{row: its number} for these version rows, the missing ones created first."""
    nomor = _baca_nomor(kunci)
    if len(nomor) < len(kunci):
        VersiAngka.objects.bulk_create(
            [_baris_baru(k) for k in kunci if k not in nomor], ignore_conflicts=True
        )
        nomor = _baca_nomor(kunci)
    return nomor


def _baca_nomor(kunci: list[str]) -> dict[str, int]:
    """On PostgreSQL the rows' names go as one text parameter split by the database: at a
    thousand klaster (7,007 group rows) that took 7.5 ms against 24-84 ms for the ORM's IN
    list of 7,007 parameters (adapted one by one, then parsed). A row's name has no comma."""
    alias = router.db_for_read(VersiAngka)
    koneksi = connections[alias]
    if koneksi.vendor != "postgresql":
        return dict(
            VersiAngka.objects.using(alias)
            .filter(lingkup__in=kunci)
            .values_list("lingkup", "nomor")
        )
    tabel = koneksi.ops.quote_name(VersiAngka._meta.db_table)
    with koneksi.cursor() as cursor:
        cursor.execute(
            f"SELECT lingkup, nomor FROM {tabel} "  # noqa: S608 # nosec B608
            "WHERE lingkup = ANY(string_to_array(%s, ','))",
            [",".join(kunci)],
        )
        return dict(cursor.fetchall())


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
    sql = _sql_versi(klaster_qs)
    if sql is None:  # a scope of none (.none()) runs no query, as the ORM does
        return dari_baris([])
    with connections[klaster_qs.db].cursor() as cursor:
        cursor.execute(*sql)
        # the rows as the database driver returns them (ids and versions are plain
        # integers on every backend)
        return dari_baris(cursor.fetchall())


# The digest's SQL per scope name (klaster.models.kunci_lingkup) and database: composing it
# through the ORM took longer than PostgreSQL takes to run it (docs/keputusan.md, "The
# warm dashboard's SQL, composed once"). Only SQL text and parameters, which the name
# determines; never figures. Emptied when full (a scope name per signed-in user and day).
_SQL_SIDIK: dict[tuple, tuple[str, tuple] | None] = {}
_SQL_SIDIK_MAKS = 1024


def sidik_lingkup(klaster_qs, lingkup: tuple | None = None) -> str | None:
    """A digest of every (klaster id, version) of klaster_qs and of the reference tables'
    version, computed by PostgreSQL and read as one row: it changes whenever any of them
    changes, so it can key what is computed from them (the dashboard's body) without reading
    a thousand rows into Python. None on another database, for a scope of none, or where a
    version row is missing (dari_lingkup creates it). `lingkup`: klaster_qs's name from
    klaster.models.kunci_lingkup, when it is a visible_to scope; its SQL is then composed
    once per process."""
    alias = klaster_qs.db
    if connections[alias].vendor != "postgresql":
        return None
    if lingkup is None:
        kueri = _sql_versi(klaster_qs)
    else:
        kunci = (alias, *lingkup)
        if kunci not in _SQL_SIDIK:
            if len(_SQL_SIDIK) >= _SQL_SIDIK_MAKS:
                _SQL_SIDIK.clear()
            _SQL_SIDIK[kunci] = _sql_versi(klaster_qs)
        kueri = _SQL_SIDIK[kunci]
    if kueri is None:
        return None
    sql, params = kueri
    with connections[alias].cursor() as cursor:
        cursor.execute(
            "SELECT md5(string_agg(t.id::text || ':' || t.versi_angka::text, ','"  # noqa: S608 # nosec B608
            " ORDER BY t.id)), max(t.versi_acuan), bool_and(t.versi_angka IS NOT NULL"
            f" AND t.versi_acuan IS NOT NULL) FROM ({sql}) AS t (id, versi_angka, versi_acuan)",
            params,
        )
        sidik, acuan, lengkap = cursor.fetchone()
    return f"{sidik}:{acuan}" if lengkap else None


def _sql_versi(klaster_qs) -> tuple[str, tuple] | None:
    """The SQL of (klaster id, versi_angka, versi_acuan) over klaster_qs (dengan_versi), in
    no order (the versions are sorted by klaster id where they are used); None for a scope
    of none."""
    baris = dengan_versi(klaster_qs).order_by().values_list("pk", "versi_angka", "versi_acuan")
    try:
        return baris.query.get_compiler(klaster_qs.db).as_sql()
    except EmptyResultSet:
        return None


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

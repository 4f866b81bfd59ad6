"""A version of the programme's data, for caching whole-history aggregates (issue 8).

The dashboard and the impact report aggregate the whole history of every klaster the user
sees (at national scale: a million rows). They are cached, and the cache key carries
`versi()`: a fingerprint that changes with every write that can change a figure, so a new
visit, instalment or reading shows on the next request, in every process and on every
machine, with no invalidation to forget.

How: every model a report reads keeps a django-simple-history table, and every write made
through the ORM — services, admin, the spreadsheet import (bulk_create_with_history) —
adds a row to it, creates and deletes included. The fingerprint is the highest history id
of each of those tables (an index-only MAX on the primary key, one query for all of them)
with the number of ids in the window just below it (see JENDELA), plus the row count and
highest id of the reference tables without history (sources of funds, poverty lines). A write that bypasses the ORM and history (raw SQL, COPY, a bare
QuerySet.update()) does not change it; such code must be followed by a restart or waits for
the cache's timeout (CACHE_DETIK).
"""

import functools
import hashlib
import re

from django.apps import apps
from django.conf import settings
from django.db import connection

# History ids come from a sequence when a row is inserted, not when it commits: of two
# writes at once, the one holding the lower id may commit second and leave MAX unchanged.
# So each table's version also counts the ids in the window of JENDELA ids below its
# highest (an index range of that many entries); a late commit lands in that window unless
# more than JENDELA history rows were written to the same table while it was in flight.
JENDELA = 500

# the cache's backstop timeout: the longest a write that bypassed history can stay unseen
CACHE_DETIK = 15 * 60

# models with a history table whose rows feed a report or the dashboard
_DENGAN_RIWAYAT = [
    "klaster.Klaster",
    "mitra.Mitra",
    "mitra.PengukuranPendapatan",
    "kelompok.Kelompok",
    "kelompok.Lembaga",
    "bantuan.Bantuan",
    "bantuan.Angsuran",
    "kunjungan.Kunjungan",
]
# reference tables without history: their count and highest id
_TANPA_RIWAYAT = ["bantuan.SumberDana", "laporan.GarisKemiskinan", "klaster.Penugasan"]


def _periksa(model) -> frozenset:
    model = frozenset(model)
    tak_dikenal = model - set(_DENGAN_RIWAYAT) - set(_TANPA_RIWAYAT)
    if tak_dikenal:
        raise ValueError(f"versi_data: no version for {sorted(tak_dikenal)}")
    return model


@functools.lru_cache(maxsize=64)
def _kolom(model: frozenset | None = None) -> tuple[tuple[str, str], ...]:
    """(label, SQL expression) per column, in a fixed order: the highest history id of each
    table with history, the row count and highest id of each reference table. Table names
    come from the models' own metadata, quoted: no input reaches this SQL. Built once per
    set of tables (looking up the history models costs more than running the query)."""
    qn = connection.ops.quote_name
    kolom = []
    h = qn("history_id")
    for label in _DENGAN_RIWAYAT:
        if model is None or label in model:
            tabel = qn(apps.get_model(label).history.model._meta.db_table)
            # "<highest id>.<ids in the window just below it>" in one subquery (half the
            # planning time of two): a write that commits after one holding a higher id
            # still changes the version
            kolom.append(
                (
                    label,
                    f"(SELECT MAX({h}) || '.' || COUNT(*) FROM {tabel} "  # noqa: S608
                    f"WHERE {h} > (SELECT MAX({h}) FROM {tabel}) - {JENDELA})",
                )
            )
    for label in _TANPA_RIWAYAT:
        if model is None or label in model:
            tabel = qn(apps.get_model(label)._meta.db_table)
            kolom.append(
                (label, f"(SELECT COUNT(*) || '.' || COALESCE(MAX({qn('id')}), 0) FROM {tabel})")  # noqa: S608
            )
    return tuple(kolom)


def _sql_lingkup(lingkup) -> tuple[str, tuple]:
    """The scope's fingerprint as one SQL expression: count, min, max and the sums of the
    ids and of their squares (portable SQL; two different sets of klaster ids agreeing on
    all five is not a practical concern)."""
    sub, params = lingkup.query.sql_with_params()
    qn = connection.ops.quote_name
    kolom = lingkup.query.values_select[0] if lingkup.query.values_select else "id"
    i = f"s.{qn(kolom)}"
    tanda = " || ':' || ".join(
        [
            "COUNT(*)",
            f"COALESCE(MIN({i}), 0)",
            f"COALESCE(MAX({i}), 0)",
            f"COALESCE(SUM({i}), 0)",
            f"COALESCE(SUM({i} * {i}), 0)",
        ]
    )
    return f"(SELECT {tanda} FROM ({sub}) s)", tuple(params)  # noqa: S608 (our own SQL)


_PLACEHOLDER = re.compile(r"%([s%])")


def _jalankan_siap(cursor, sql: str, params) -> None:
    """Run `sql` as a server-side prepared statement of this database session, preparing it
    on first use. The version query runs on every dashboard and report request, and
    PostgreSQL spent longer planning its twenty subqueries (~0.8 ms) than running them;
    a prepared statement is planned once per session. PREPARE is not undone by a rollback,
    and a new connection starts with an empty set. Behind a pooler in transaction mode
    (pgbouncer), set DB_PREPARED_STATEMENTS=0."""
    nama = "km_versi_" + hashlib.sha1(sql.encode(), usedforsecurity=False).hexdigest()[:16]
    mentah = connection.connection
    siap = getattr(connection, "_km_siap", None)
    if siap is None or siap[0] is not mentah:
        siap = connection._km_siap = (mentah, set())
    if nama not in siap[1]:
        nomor = iter(range(1, len(params) + 1))
        teks = _PLACEHOLDER.sub(lambda m: f"${next(nomor)}" if m[1] == "s" else "%", sql)
        # once per database session, like the backend's own connection set-up: on the raw
        # connection, so a page's query count is the same on its first request and later
        with mentah.cursor() as mentah_cursor:
            mentah_cursor.execute(f"PREPARE {nama} AS {teks}")
        siap[1].add(nama)
    if params:
        cursor.execute(f"EXECUTE {nama}({', '.join(['%s'] * len(params))})", params)
    else:
        cursor.execute(f"EXECUTE {nama}")


def _baca(model, lingkup) -> tuple[tuple, list, str | None]:
    kolom = _kolom(None if model is None else _periksa(model))
    ekspresi = [sql for _label, sql in kolom]
    params: tuple = ()
    if lingkup is not None:
        sql_lingkup, params = _sql_lingkup(lingkup)
        ekspresi.append(sql_lingkup)
    sql = "SELECT " + (", ".join(ekspresi) or "0")  # noqa: S608 (see _kolom, _sql_lingkup)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and settings.DB_PREPARED_STATEMENTS:
            _jalankan_siap(cursor, sql, params)
        else:
            cursor.execute(sql, params)
        baris = list(cursor.fetchone())
    teks = ["-" if v is None else str(v) for v in baris]
    return kolom, teks, (teks.pop() if lingkup is not None else None)


def versi(lingkup=None, model=None) -> str:
    """The data's fingerprint now, in one query. `lingkup` (a queryset of ids, e.g. the
    user's visible klaster) adds the scope to it.

    `model` (labels from _DENGAN_RIWAYAT and _TANPA_RIWAYAT, e.g. ["bantuan.Bantuan",
    "bantuan.Angsuran"]) limits the fingerprint to the tables a figure reads, so that a new
    visit does not invalidate a loan portfolio cached under it. Unknown labels are an error.
    """
    kolom, teks, lingkup_teks = _baca(model, lingkup)
    if not kolom and lingkup_teks is None:
        return "0"
    return ".".join(teks + ([lingkup_teks] if lingkup_teks is not None else []))


def versi_per_tabel(lingkup, model) -> tuple[dict[str, str], str]:
    """({label: that table's version}, the scope's fingerprint) in one query, for a caller
    that caches several figures each under its own tables (laporan/cache_bagian.py)."""
    kolom, teks, lingkup_teks = _baca(model, lingkup)
    per_label: dict[str, list[str]] = {}
    for (label, _ekspresi), nilai in zip(kolom, teks, strict=True):
        per_label.setdefault(label, []).append(nilai)
    return {label: ".".join(v) for label, v in per_label.items()}, lingkup_teks


def riwayat_maks(versi_tabel: str) -> int:
    """The highest history id in one table's version ("<highest id>.<ids in the window>",
    "-" for an empty table)."""
    maks = versi_tabel.split(".")[0]
    return 0 if maks == "-" else int(maks)


def riwayat_baru(riwayat_qs, *, riwayat: int, dilihat, kolom: str) -> list[tuple[int, object]]:
    """The history rows a cache kept at highest history id `riwayat` has not taken into
    account: (history_id, `kolom`) of every row above `riwayat`, or inside the window of
    JENDELA ids below it and not in `dilihat` (None: nothing listed, the whole window counts
    as new) — so a write that committed after one holding a higher id is found too."""
    return list(
        riwayat_qs.filter(history_id__gt=riwayat - JENDELA)
        .exclude(history_id__in=list(dilihat or ()))
        .values_list("history_id", kolom)
    )


def sesudah_riwayat_baru(riwayat: int, dilihat, baru) -> tuple[int, frozenset[int]]:
    """(the new highest history id, the ids of its window now taken into account) once the
    rows `baru` from riwayat_baru have been."""
    maks = max([riwayat, *(h for h, _x in baru)])
    semua = (dilihat or frozenset()) | {h for h, _x in baru}
    return maks, frozenset(h for h in semua if h > maks - JENDELA)


def kunci(*bagian) -> str:
    """A short cache key from anything printable (version, scope, parameters)."""
    teks = "|".join(str(b) for b in bagian)
    return hashlib.sha256(teks.encode()).hexdigest()[:32]

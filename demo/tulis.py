"""Writing planned rows fast: COPY on PostgreSQL, executemany on SQLite.

Rows arrive as tuples in the column order of rencana.KOLOM with their primary keys already
set, so nothing has to be read back. This skips Model.save(), signals and
django-simple-history: acceptable for seed data (the demo's records have no change history;
every later change made through the app or the admin is recorded as usual). Sequences are
moved past the explicit ids afterwards (`setel_ulang_sequence`).
"""

from __future__ import annotations

import contextlib
import functools
import io
import time

from django.core.management.color import no_style
from django.db import connections
from django.db.models import Max

from bantuan.models import Angsuran, Bantuan, JadwalAngsuran
from demo.rencana import KOLOM
from demo.teks_copy import teks_copy
from kelompok.models import Kelompok, Lembaga
from kunjungan.models import Kunjungan, KunjunganAngsuran, KunjunganPengukuran
from mitra.models import Mitra, PengukuranPendapatan

MODEL = {
    "lembaga": Lembaga,
    "kelompok": Kelompok,
    "mitra": Mitra,
    "kunjungan": Kunjungan,
    "hadir": Kunjungan.hadir.through,
    "pengukuran": PengukuranPendapatan,
    "bantuan": Bantuan,
    "jadwal": JadwalAngsuran,
    "angsuran": Angsuran,
    "pengukuran_kunjungan": KunjunganPengukuran,
    "angsuran_kunjungan": KunjunganAngsuran,
}


class Penulis:
    def __init__(self, using: str = "default"):
        self.conn = connections[using]
        self.pg = self.conn.vendor == "postgresql"
        self.jumlah = {t: 0 for t in KOLOM}
        self.detik = {t: 0.0 for t in KOLOM} | {"indexes and keys": 0.0}
        self._ketua: list[tuple[int, int]] = []  # (ketua_id, kelompok_id) set after mitra

    def id_awal(self) -> dict[str, int]:
        """The next free primary key of every table (the tables may already hold rows)."""
        return {
            tabel: (model.objects.aggregate(m=Max("pk"))["m"] or 0) + 1
            for tabel, model in MODEL.items()
        }

    def _kolom(self, tabel: str) -> list[str]:
        model = MODEL[tabel]
        kolom = {f.attname: f.column for f in model._meta.concrete_fields}
        return [kolom[a] for a in KOLOM[tabel]]

    @functools.cached_property
    def pakai_copy(self) -> bool:
        """COPY through psycopg2's copy_expert (psycopg 3 would fall back to executemany)."""
        if not self.pg:
            return False
        self.conn.ensure_connection()
        return hasattr(self.conn.connection.cursor(), "copy_expert")

    def tulis(self, tabel: str, baris) -> None:
        """Write one table's rows: a list of tuples, or (row count, COPY text) when
        `pakai_copy` and the planner already formatted them."""
        if not baris:
            return
        mulai = time.monotonic()
        table = MODEL[tabel]._meta.db_table
        kolom = self._kolom(tabel)
        qn = self.conn.ops.quote_name
        with self.conn.cursor() as cursor:
            if self.pakai_copy:
                if isinstance(baris, tuple):
                    n, teks = baris
                else:
                    n, teks = len(baris), teks_copy(tabel, baris)
                sql = f"COPY {qn(table)} ({', '.join(map(qn, kolom))}) FROM STDIN"
                cursor.cursor.copy_expert(sql, io.StringIO(teks + "\n"))
            else:
                if not self.conn.features.has_native_uuid_field and tabel == "kunjungan":
                    i = KOLOM[tabel].index("uuid")
                    baris = [(*r[:i], r[i].hex, *r[i + 1 :]) for r in baris]
                if tabel == "kelompok":
                    # Kelompok → ketua (a mitra) and mitra → kelompok form a cycle. A row
                    # whose parent is not there yet leaves SQLite a pending deferred check,
                    # and while one is pending every insert into the parent table scans the
                    # child tables (whose indexes are dropped for the load): quadratic.
                    # So the leaders are set after their mitra exist.
                    i = KOLOM[tabel].index("ketua_id")
                    self._ketua = [(r[i], r[0]) for r in baris if r[i] is not None]
                    baris = [(*r[:i], None, *r[i + 1 :]) for r in baris]
                # identifiers come from the models' meta, values are bound parameters
                tanda = ", ".join(["%s"] * len(kolom))
                sql = f"INSERT INTO {qn(table)} ({', '.join(map(qn, kolom))}) VALUES ({tanda})"  # noqa: S608 (identifiers from _meta, quoted; values bound) # nosec B608
                for awal in range(0, len(baris), 20_000):
                    cursor.executemany(sql, baris[awal : awal + 20_000])
                n = len(baris)
                if tabel == "mitra" and self._ketua:
                    kelompok = MODEL["kelompok"]._meta
                    cursor.executemany(
                        f"UPDATE {qn(kelompok.db_table)} SET {qn('ketua_id')} = %s "  # noqa: S608 (identifiers from _meta, quoted; values bound) # nosec B608
                        f"WHERE {qn(kelompok.pk.column)} = %s",
                        self._ketua,
                    )
                    self._ketua = []
        self.jumlah[tabel] += n
        self.detik[tabel] += time.monotonic() - mulai

    @contextlib.contextmanager
    def muat_massal(self):
        """PostgreSQL: drop the foreign keys (and, on empty tables, the secondary indexes and
        unique constraints) of the tables we fill; put them back afterwards.

        A foreign key checks each inserted row with its own lookup, and an index grows one
        row at a time; adding them back afterwards validates with one join per constraint
        and builds each index with one sort. This is PostgreSQL's advice for bulk loading
        ("Populating a Database"). It is DDL inside our transaction, so a failure (or a
        constraint the data breaks) rolls it back together with the data.

        SQLite: the same for the indexes of empty tables (its foreign keys cannot be
        dropped, and their check is a cheap primary-key lookup).
        """
        if self.conn.vendor == "sqlite":
            yield from self._sqlite_tanpa_indeks()
            return
        if not self.pg:
            yield
            return
        qn = self.conn.ops.quote_name
        tabel = [MODEL[t]._meta.db_table for t in KOLOM]
        with self.conn.cursor() as cursor:
            # deferred checks still queued (from the klaster and users just created) would
            # block ALTER TABLE: run them now
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(
                "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
                "FROM pg_constraint WHERE contype = 'f' AND conrelid::regclass::text = ANY(%s)",
                [tabel],
            )
            fk = cursor.fetchall()
            for table, nama, _definisi in fk:
                cursor.execute(f"ALTER TABLE {qn(table)} DROP CONSTRAINT {qn(nama)}")
            kosong = []
            for table in tabel:
                cursor.execute(f"SELECT NOT EXISTS (SELECT 1 FROM {qn(table)})")  # noqa: S608 (identifiers from _meta, quoted) # nosec B608
                if cursor.fetchone()[0]:
                    kosong.append(table)
            # unique constraints, then indexes that back no constraint (the primary key stays)
            cursor.execute(
                "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
                "FROM pg_constraint WHERE contype = 'u' AND conrelid::regclass::text = ANY(%s)",
                [kosong],
            )
            unik = cursor.fetchall()
            for table, nama, _definisi in unik:
                cursor.execute(f"ALTER TABLE {qn(table)} DROP CONSTRAINT {qn(nama)}")
            cursor.execute(
                "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) "
                "FROM pg_index i WHERE i.indrelid::regclass::text = ANY(%s) "
                "AND NOT i.indisprimary "
                "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)",
                [kosong],
            )
            indeks = cursor.fetchall()
            for nama, _definisi in indeks:
                cursor.execute(f"DROP INDEX {nama}")  # regclass text: already quoted as needed
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        yield
        mulai = time.monotonic()
        with self.conn.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
            for _nama, definisi in indeks:
                cursor.execute(definisi)
            for table, nama, definisi in unik + fk:
                cursor.execute(f"ALTER TABLE {qn(table)} ADD CONSTRAINT {qn(nama)} {definisi}")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        self.detik["indexes and keys"] = time.monotonic() - mulai

    def _sqlite_tanpa_indeks(self):
        qn = self.conn.ops.quote_name
        indeks = []
        with self.conn.cursor() as cursor:
            for tabel in KOLOM:
                table = MODEL[tabel]._meta.db_table
                cursor.execute(f"SELECT NOT EXISTS (SELECT 1 FROM {qn(table)})")  # noqa: S608 (identifiers from _meta, quoted) # nosec B608
                if not cursor.fetchone()[0]:
                    continue
                # sql is NULL for the automatic indexes of PRIMARY KEY/UNIQUE: those stay
                cursor.execute(
                    "SELECT name, sql FROM sqlite_master "
                    "WHERE type = 'index' AND tbl_name = %s AND sql IS NOT NULL",
                    [table],
                )
                indeks += cursor.fetchall()
            for nama, _sql in indeks:
                cursor.execute(f"DROP INDEX {qn(nama)}")
        yield
        mulai = time.monotonic()
        with self.conn.cursor() as cursor:
            for _nama, sql in indeks:
                cursor.execute(sql)
        self.detik["indexes and keys"] = time.monotonic() - mulai

    def setel_ulang_sequence(self) -> None:
        """Move PostgreSQL's id sequences past the explicit ids we wrote."""
        sqls = self.conn.ops.sequence_reset_sql(no_style(), list(MODEL.values()))
        if sqls:
            with self.conn.cursor() as cursor:
                for sql in sqls:
                    cursor.execute(sql)

"""Writing planned rows fast: COPY on PostgreSQL, executemany on SQLite.

Rows arrive as tuples in the column order of rencana.KOLOM with their primary keys already
set, so nothing has to be read back. This skips Model.save(), signals and
django-simple-history: acceptable for seed data (the demo's records have no change history;
every later change made through the app or the admin is recorded as usual). Sequences are
moved past the explicit ids afterwards (`setel_ulang_sequence`).
"""

from __future__ import annotations

import io

from django.core.management.color import no_style
from django.db import connections
from django.db.models import Max

from bantuan.models import Angsuran, Bantuan, JadwalAngsuran
from kelompok.models import Kelompok, Lembaga
from klaster.demo.rencana import KOLOM
from laporan.models import Kunjungan
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
}

# Tables whose values are numbers, dates and fixed strings the planner wrote (no tab,
# newline or backslash, never the text "None"): their COPY lines are made by a plain join.
_TANPA_TEKS_BEBAS = {"hadir", "jadwal", "angsuran", "pengukuran"}


def _escape(v) -> str:
    if v is None:
        return "\\N"
    if isinstance(v, str):
        return (
            v.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
        )
    return str(v)


class Penulis:
    def __init__(self, using: str = "default"):
        self.conn = connections[using]
        self.pg = self.conn.vendor == "postgresql"
        self.jumlah = {t: 0 for t in KOLOM}

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

    def tulis(self, tabel: str, baris: list[tuple]) -> None:
        if not baris:
            return
        table = MODEL[tabel]._meta.db_table
        kolom = self._kolom(tabel)
        qn = self.conn.ops.quote_name
        with self.conn.cursor() as cursor:
            if self.pg and hasattr(cursor.cursor, "copy_expert"):
                if tabel in _TANPA_TEKS_BEBAS:
                    teks = "\n".join("\t".join(map(str, r)) for r in baris).replace("None", "\\N")
                else:
                    teks = "\n".join("\t".join(map(_escape, r)) for r in baris)
                sql = f"COPY {qn(table)} ({', '.join(map(qn, kolom))}) FROM STDIN"
                cursor.cursor.copy_expert(sql, io.StringIO(teks + "\n"))
            else:
                if not self.conn.features.has_native_uuid_field and tabel == "kunjungan":
                    i = KOLOM[tabel].index("uuid")
                    baris = [(*r[:i], r[i].hex, *r[i + 1 :]) for r in baris]
                # identifiers come from the models' meta, values are bound parameters
                tanda = ", ".join(["%s"] * len(kolom))
                sql = f"INSERT INTO {qn(table)} ({', '.join(map(qn, kolom))}) VALUES ({tanda})"  # noqa: S608
                for awal in range(0, len(baris), 20_000):
                    cursor.executemany(sql, baris[awal : awal + 20_000])
        self.jumlah[tabel] += len(baris)

    def setel_ulang_sequence(self) -> None:
        """Move PostgreSQL's id sequences past the explicit ids we wrote."""
        sqls = self.conn.ops.sequence_reset_sql(no_style(), list(MODEL.values()))
        if sqls:
            with self.conn.cursor() as cursor:
                for sql in sqls:
                    cursor.execute(sql)

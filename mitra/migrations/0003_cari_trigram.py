"""Trigram indexes for the mitra search (issue 18): "contains" on a name or NIK
(UPPER(nama) LIKE '%PEPEN%', nik LIKE '%3602%') reads a GIN index instead of every row.
PostgreSQL only (pg_trgm ships with it, and is a trusted extension since PostgreSQL 13, so the
database's owner may create it); SQLite has no such index and keeps scanning, which is fine at
the sizes SQLite serves."""

from django.db import migrations

BUAT = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS mitra_nama_trgm_idx ON mitra_mitra "
    "USING gin (UPPER(nama::text) gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS mitra_nik_trgm_idx ON mitra_mitra USING gin (nik gin_trgm_ops)",
]
HAPUS = [
    "DROP INDEX IF EXISTS mitra_nik_trgm_idx",
    "DROP INDEX IF EXISTS mitra_nama_trgm_idx",
]


def _jalankan(perintah):
    def jalankan(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for sql in perintah:
            schema_editor.execute(sql)

    return jalankan


class Migration(migrations.Migration):
    dependencies = [("mitra", "0002_nama_idx")]

    operations = [migrations.RunPython(_jalankan(BUAT), _jalankan(HAPUS), elidable=False)]

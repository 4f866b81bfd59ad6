"""make backup / make restore round trip on PostgreSQL: nothing lost, not a rupiah."""

import os
import stat
import subprocess
from decimal import Decimal
from pathlib import Path

import psycopg2
import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import connection, models

ROOT = Path(__file__).resolve().parent.parent


def _url(nama_db: str) -> str:
    db = settings.DATABASES["default"]
    pengguna = db.get("USER") or "postgres"
    sandi = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{pengguna}{sandi}@{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{nama_db}"


def _sql_server(*perintah):
    """Statements that cannot run in a transaction (CREATE/DROP DATABASE)."""
    koneksi = psycopg2.connect(_url("postgres"))
    koneksi.autocommit = True
    try:
        with koneksi.cursor() as kursor:
            for sql in perintah:
                kursor.execute(sql)
    finally:
        koneksi.close()


def _isi_data():
    """The demo programme (seed_demo); enough for every table that matters to have rows."""
    call_command("seed_demo", password="uji-cadangan-2026", force=True, seed="7")  # noqa: S106


def _potret(url: str) -> tuple[dict, dict]:
    """Row count of every table, and the sum of every money (DecimalField) column."""
    with psycopg2.connect(url) as koneksi, koneksi.cursor() as kursor:
        kursor.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
        )
        tabel = [t for (t,) in kursor.fetchall()]
        baris = {}
        for t in tabel:
            kursor.execute(f'SELECT count(*) FROM "{t}"')  # noqa: S608 (names from the catalog)
            baris[t] = kursor.fetchone()[0]
        jumlah = {}
        for model in apps.get_models(include_auto_created=True):
            for f in model._meta.concrete_fields:
                if isinstance(f, models.DecimalField):
                    kunci = f"{model._meta.db_table}.{f.column}"
                    kursor.execute(
                        f'SELECT coalesce(sum("{f.column}"), 0) FROM "{model._meta.db_table}"'  # noqa: S608
                    )
                    jumlah[kunci] = Decimal(kursor.fetchone()[0])
    koneksi.close()
    return baris, jumlah


def _versi(url: str) -> dict[str, int]:
    """The figures' versions (klaster.models.VersiAngka): {lingkup: nomor}."""
    with psycopg2.connect(url) as koneksi, koneksi.cursor() as kursor:
        kursor.execute("SELECT lingkup, nomor FROM klaster_versiangka")
        hasil = dict(kursor.fetchall())
    koneksi.close()
    return hasil


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_backup_then_restore_into_a_new_database_keeps_every_row_and_rupiah(tmp_path):
    _isi_data()
    asal = _url(connection.settings_dict["NAME"])
    baris_asal, uang_asal = _potret(asal)
    assert baris_asal["mitra_mitra"] >= 324 and baris_asal["bantuan_angsuran"] > 0
    assert uang_asal["bantuan_bantuan.jumlah"] > 0

    cadangan = subprocess.run(  # noqa: S603
        ["make", "--no-print-directory", "backup", f"BACKUP_DIR={tmp_path / 'cadangan'}"],  # noqa: S607
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin:/usr/local/bin", "DATABASE_URL": asal},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert cadangan.returncode == 0, cadangan.stderr
    berkas = Path(cadangan.stdout.strip().splitlines()[-1])
    assert berkas.exists() and berkas.name.startswith("klaster-") and berkas.suffix == ".dump"
    assert berkas.read_bytes()[:5] == b"PGDMP"  # pg_dump's custom format
    # every NIK is in it: readable by its owner only, in a folder only its owner can open
    assert stat.S_IMODE(berkas.stat().st_mode) == 0o600
    assert stat.S_IMODE(berkas.parent.stat().st_mode) == 0o700

    nama_baru = f"{connection.settings_dict['NAME']}_pulih"
    _sql_server(f'DROP DATABASE IF EXISTS "{nama_baru}"', f'CREATE DATABASE "{nama_baru}"')
    try:
        pulih = subprocess.run(  # noqa: S603
            ["make", "--no-print-directory", "restore", f"FILE={berkas}"],  # noqa: S607
            cwd=ROOT,
            env={"PATH": "/usr/bin:/bin:/usr/local/bin", "DATABASE_URL": _url(nama_baru)},
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert pulih.returncode == 0, pulih.stderr
        baris_pulih, uang_pulih = _potret(_url(nama_baru))
        assert baris_pulih == baris_asal
        assert uang_pulih == uang_asal
        # the same versions' rows, every one with a new number: a report cache that outlived
        # the old database cannot serve its figures to the restored one
        versi_asal, versi_pulih = _versi(asal), _versi(_url(nama_baru))
        assert versi_asal.keys() == versi_pulih.keys() and "acuan" in versi_asal
        assert any(k.startswith("klaster:") for k in versi_asal)
        assert all(versi_pulih[k] != v for k, v in versi_asal.items())

        # restoring again over a database that has the data (--clean --if-exists) works too
        lagi = subprocess.run(  # noqa: S603
            ["make", "--no-print-directory", "restore", f"FILE={berkas}"],  # noqa: S607
            cwd=ROOT,
            env={"PATH": "/usr/bin:/bin:/usr/local/bin", "DATABASE_URL": _url(nama_baru)},
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert lagi.returncode == 0, lagi.stderr
        assert _potret(_url(nama_baru)) == (baris_asal, uang_asal)
    finally:
        _sql_server(f'DROP DATABASE IF EXISTS "{nama_baru}"')


def test_backup_refuses_a_non_postgres_database():
    hasil = subprocess.run(  # noqa: S603
        ["make", "--no-print-directory", "backup"],  # noqa: S607
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin:/usr/local/bin", "DATABASE_URL": "sqlite:///db.sqlite3"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert hasil.returncode != 0
    assert "set DATABASE_URL to the PostgreSQL database" in hasil.stdout


# --- the file's permissions and a failed dump, with a stand-in pg_dump (no PostgreSQL) ------

PG_DUMP_PALSU = """#!/bin/sh
# a stand-in for pg_dump: writes a little to --file=..., then succeeds or fails as told
for a in "$@"; do case "$a" in --file=*) f="${a#--file=}";; esac; done
printf 'PGDMP-palsu' > "$f"
exit "${PG_DUMP_KELUAR:-0}"
"""


def _backup_palsu(tmp_path, folder: Path, keluar: int, umask: int = 0o022):
    bin_palsu = tmp_path / "bin"
    bin_palsu.mkdir(exist_ok=True)
    (bin_palsu / "pg_dump").write_text(PG_DUMP_PALSU)
    (bin_palsu / "pg_dump").chmod(0o755)
    return subprocess.run(  # noqa: S603
        ["make", "--no-print-directory", "backup", f"BACKUP_DIR={folder}"],  # noqa: S607
        cwd=ROOT,
        env={
            "PATH": f"{bin_palsu}:/usr/bin:/bin:/usr/local/bin",
            "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/km_tidak_dipakai",
            "PG_DUMP_KELUAR": str(keluar),
        },
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=lambda: os.umask(umask),  # noqa: PLW1509 (a usual umask: 0644 files)
    )


def test_backup_file_is_0600_in_a_0700_folder_whatever_the_umask(tmp_path):
    folder = tmp_path / "cadangan"
    hasil = _backup_palsu(tmp_path, folder, keluar=0)
    assert hasil.returncode == 0, hasil.stderr
    berkas = Path(hasil.stdout.strip().splitlines()[-1])
    assert berkas.parent == folder and berkas.suffix == ".dump"
    assert berkas.read_bytes() == b"PGDMP-palsu"
    assert stat.S_IMODE(berkas.stat().st_mode) == 0o600
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert [p.name for p in folder.iterdir()] == [berkas.name]


def test_backup_into_a_folder_open_to_others_warns(tmp_path):
    folder = tmp_path / "terbuka"
    folder.mkdir(mode=0o755)
    folder.chmod(0o755)
    hasil = _backup_palsu(tmp_path, folder, keluar=0)
    assert hasil.returncode == 0, hasil.stderr
    assert "open to other users" in hasil.stderr
    (berkas,) = folder.iterdir()
    assert stat.S_IMODE(berkas.stat().st_mode) == 0o600


def test_a_failed_backup_leaves_no_dump_behind(tmp_path):
    folder = tmp_path / "cadangan"
    hasil = _backup_palsu(tmp_path, folder, keluar=1)
    assert hasil.returncode != 0
    assert "no backup written" in hasil.stderr
    assert list(folder.iterdir()) == []  # neither a .dump nor the partial file

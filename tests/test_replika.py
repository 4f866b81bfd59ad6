"""Reports read from a REAL streaming replica (klaster/replika.py, issue 18 item 2).

The machine's PostgreSQL does not allow replication connections, so this module starts a
pair of its own (session fixture `pasangan`): a temporary primary made with initdb on a free
port (replication allowed from 127.0.0.1, wal_level=replica, fsync off), the worker's test
database copied into it with pg_dump, and a hot standby made from it with
`pg_basebackup -R` on another port, streaming. Both are stopped and removed at the end of
the session, whether the tests passed or not. For this module's tests "default" points at
the temporary primary and "replika" at the standby (fixture `di_pasangan`); the rest of the
suite never sees them.

These tests commit (a replica only sees committed data), so they do not use pytest-django's
`db` fixture: each test empties the application's tables itself (`dunia`).

Replication lag is made on purpose with pg_wal_replay_pause() on the standby.
"""

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time

import pytest
from django.contrib.auth.models import Group
from django.core.cache import caches
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connection, connections, router
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from klaster import replika, simpanan
from klaster.akses import GRUP_FASILITATOR, GRUP_MANAJER
from kunjungan.models import Kunjungan
from kunjungan.tests.kunjungan_data import data_kunjungan, kelompok_dengan_anggota
from mitra.models import Mitra
from mitra.tests.factories import MitraFactory
from tests.personas import buat_personas

pytestmark = pytest.mark.postgres

# tables a test leaves as they are: the schema's state, and what the migrations put in
TETAP = {
    "django_migrations",
    "django_content_type",
    "auth_permission",
    "auth_group",
    "auth_group_permissions",
}


def _bin_postgresql() -> str | None:
    """The newest PostgreSQL server binaries installed (Debian's layout), or KM_PG_BIN."""
    if os.environ.get("KM_PG_BIN"):
        return os.environ["KM_PG_BIN"]
    kandidat = sorted(
        (p for p in glob.glob("/usr/lib/postgresql/*/bin") if p.split("/")[-2].isdigit()),
        key=lambda p: int(p.split("/")[-2]),
    )
    return kandidat[-1] if kandidat else None


def _port_bebas() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Pasangan:
    """A primary and its streaming standby in a temporary directory."""

    def __init__(self, bin_dir: str):
        self.bin = bin_dir
        # initdb refuses to run as root: the servers run as the postgres OS user
        self.sebagai = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        self.dir = tempfile.mkdtemp(prefix="km-replika-")
        if self.sebagai:
            shutil.chown(self.dir, "postgres")
        self.port_primer = _port_bebas()
        self.port_replika = _port_bebas()
        self.nama_db = "km_replika_uji"
        self.berjalan: list[str] = []

    def _jalankan(self, *perintah, **kwargs):
        return subprocess.run(  # noqa: S603 (our own commands, fixed arguments)
            [*self.sebagai, *perintah], check=True, capture_output=True, text=True, **kwargs
        )

    def _opsi(self, port: int, *lain: str) -> str:
        return " ".join(
            [
                f"-c port={port}",
                "-c listen_addresses=127.0.0.1",
                f"-c unix_socket_directories={self.dir}",
                "-c shared_buffers=16MB",
                "-c fsync=off",
                "-c full_page_writes=off",
                "-c jit=off",
                *lain,
            ]
        )

    def _mulai(self, data: str, opsi: str) -> None:
        self._jalankan(
            f"{self.bin}/pg_ctl", "-D", data, "-l", f"{data}.log", "-w", "-o", opsi, "start"
        )
        self.berjalan.append(data)

    def mulai(self, salin_dari: dict) -> None:
        primer = os.path.join(self.dir, "primer")
        # initdb's pg_hba.conf trusts replication connections from 127.0.0.1 (-A trust)
        self._jalankan(
            f"{self.bin}/initdb",
            "-D",
            primer,
            "-U",
            "postgres",
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
            "--no-sync",
        )
        self._mulai(primer, self._opsi(self.port_primer, "-c wal_level=replica"))
        # the schema and the migrations' rows: a copy of the worker's test database (a few
        # hundred ms; migrating anew takes ~20 s)
        self._psql(self.port_primer, "postgres", f"CREATE DATABASE {self.nama_db}")
        env = {**os.environ, "PGPASSWORD": salin_dari.get("PASSWORD") or ""}
        dump = subprocess.run(  # noqa: S603
            [
                f"{self.bin}/pg_dump",
                "-h",
                salin_dari.get("HOST") or "127.0.0.1",
                "-p",
                str(salin_dari.get("PORT") or 5432),
                "-U",
                salin_dari.get("USER") or "postgres",
                "--no-owner",
                "--no-privileges",
                salin_dari["NAME"],
            ],
            check=True,
            capture_output=True,
            env=env,
        ).stdout
        subprocess.run(  # noqa: S603
            [
                f"{self.bin}/psql",
                "-q",
                "-v",
                "ON_ERROR_STOP=1",
                "-h",
                "127.0.0.1",
                "-p",
                str(self.port_primer),
                "-U",
                "postgres",
                "-d",
                self.nama_db,
            ],
            input=dump,
            check=True,
            capture_output=True,
        )
        standby = os.path.join(self.dir, "replika")
        self._jalankan(
            f"{self.bin}/pg_basebackup",
            "-h",
            "127.0.0.1",
            "-p",
            str(self.port_primer),
            "-U",
            "postgres",
            "-D",
            standby,
            "-R",  # standby.signal and primary_conninfo: a streaming standby
            "-X",
            "stream",
            "-c",
            "fast",
            "--no-sync",
        )
        self._mulai(standby, self._opsi(self.port_replika, "-c hot_standby_feedback=on"))
        batas = time.monotonic() + 30
        while self._psql(self.port_primer, "postgres", "SELECT state FROM pg_stat_replication") != (
            "streaming"
        ):
            if time.monotonic() > batas:
                raise RuntimeError("the standby did not start streaming within 30 s")
            time.sleep(0.05)

    def _psql(self, port: int, db: str, sql: str) -> str:
        hasil = subprocess.run(  # noqa: S603
            [f"{self.bin}/psql", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres"]
            + ["-d", db, "-Atc", sql],
            check=True,
            capture_output=True,
            text=True,
        )
        return hasil.stdout.strip()

    def hentikan(self) -> None:
        for data in reversed(self.berjalan):
            with contextlib.suppress(subprocess.CalledProcessError):
                self._jalankan(f"{self.bin}/pg_ctl", "-D", data, "-m", "immediate", "stop")
        shutil.rmtree(self.dir, ignore_errors=True)

    def settings(self, port: int) -> dict:
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": self.nama_db,
            "USER": "postgres",
            "PASSWORD": "",
            "HOST": "127.0.0.1",
            "PORT": str(port),
            "CONN_MAX_AGE": 0,
            "CONN_HEALTH_CHECKS": False,
            "OPTIONS": {},
        }


@pytest.fixture(scope="session")
def pasangan(django_db_setup, django_db_blocker):
    """A started primary + streaming standby holding a copy of the test database."""
    if connection.vendor != "postgresql":
        pytest.skip("the replica tests need PostgreSQL (set DATABASE_URL)")
    bin_dir = _bin_postgresql()
    perlu = ("initdb", "pg_ctl", "pg_basebackup", "pg_dump", "psql")
    if not bin_dir or not all(os.path.exists(f"{bin_dir}/{b}") for b in perlu):
        pytest.skip(
            "the replica tests need PostgreSQL's server binaries (initdb, pg_ctl, "
            "pg_basebackup) in /usr/lib/postgresql/<version>/bin or KM_PG_BIN"
        )
    if os.geteuid() == 0 and not shutil.which("runuser"):
        pytest.skip("running as root: runuser is needed to start PostgreSQL as 'postgres'")
    p = Pasangan(bin_dir)
    mulai = time.monotonic()
    try:
        with django_db_blocker.unblock():
            p.mulai(dict(connection.settings_dict))
        p.detik_mulai = time.monotonic() - mulai
        yield p
    finally:
        p.hentikan()


@pytest.fixture(scope="module")
def di_pasangan(pasangan, django_db_blocker):
    """For this module: "default" on the temporary primary, "replika" on its standby."""
    with django_db_blocker.unblock():
        connection.close()
    asli = dict(connection.settings_dict)
    connection.settings_dict.update(
        {k: v for k, v in pasangan.settings(pasangan.port_primer).items() if k != "OPTIONS"}
    )
    baru = {"default": connection.settings_dict, replika.ALIAS: pasangan.settings(0)}
    baru[replika.ALIAS]["PORT"] = str(pasangan.port_replika)
    connections.settings[replika.ALIAS] = connections.configure_settings(baru)[replika.ALIAS]
    try:
        yield pasangan
    finally:
        with django_db_blocker.unblock():
            connections[replika.ALIAS].close()
            connection.close()
        del connections[replika.ALIAS]
        del connections.settings[replika.ALIAS]
        connection.settings_dict.clear()
        connection.settings_dict.update(asli)


def _lsn(alias: str, sql: str) -> str:
    with connections[alias].cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchone()[0]


def tunggu_replika(batas_detik: float = 10) -> None:
    """Until the standby has replayed everything the primary has written."""
    target = _lsn(DEFAULT_DB_ALIAS, "SELECT pg_current_wal_lsn()::text")
    batas = time.monotonic() + batas_detik
    while True:
        with connections[replika.ALIAS].cursor() as cursor:
            cursor.execute(
                "SELECT pg_wal_lsn_diff(pg_last_wal_replay_lsn(), %s::pg_lsn) >= 0", [target]
            )
            if cursor.fetchone()[0]:
                return
        if time.monotonic() > batas:
            raise AssertionError("the standby did not catch up within the time allowed")
        time.sleep(0.02)


@contextlib.contextmanager
def replika_tertinggal():
    """Replication lag on demand: the standby stops replaying WAL until the block ends."""
    with connections[replika.ALIAS].cursor() as cursor:
        cursor.execute("SELECT pg_wal_replay_pause()")
        # a pause is a request: replay stops at its next record
        batas = time.monotonic() + 10
        while True:
            cursor.execute("SELECT pg_get_wal_replay_pause_state()")
            if cursor.fetchone()[0] == "paused":
                break
            if time.monotonic() > batas:
                raise AssertionError("the standby did not pause its replay")
            time.sleep(0.01)
    try:
        yield
    finally:
        with connections[replika.ALIAS].cursor() as cursor:
            cursor.execute("SELECT pg_wal_replay_resume()")


@pytest.fixture
def dunia(di_pasangan, django_db_blocker):
    """Empty application tables on the primary, the personas, and the standby caught up."""
    with django_db_blocker.unblock():
        tabel = [
            t
            for t in connection.introspection.django_table_names(only_existing=True)
            if t not in TETAP
        ]
        connection.ops.execute_sql_flush(
            connection.ops.sql_flush(no_style(), tabel, allow_cascade=True)
        )
        caches["laporan"].clear()
        simpanan.kosongkan_salinan()
        for nama in (GRUP_FASILITATOR, GRUP_MANAJER):
            Group.objects.get_or_create(name=nama)
        p = buat_personas()
        p.port_replika = di_pasangan.port_replika
        tunggu_replika()
        yield p


def _kunjungan_dilaporkan(response) -> int:
    return response.context["laporan"].kegiatan["n"]


def _mitra_dilaporkan(response) -> int:
    return response.context["laporan"].orang["mitra_total"]


def test_pasangan_adalah_replika_streaming_sungguhan(di_pasangan, django_db_blocker):
    with django_db_blocker.unblock():
        assert _lsn(DEFAULT_DB_ALIAS, "SELECT pg_is_in_recovery()::text") == "false"
        assert _lsn(replika.ALIAS, "SELECT pg_is_in_recovery()::text") == "true"
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'")
            assert cursor.fetchone()[0] == 1
    # the pair's cost to the suite, printed with -s (measured: see README "Scaling out")
    print(f"replica pair started in {di_pasangan.detik_mulai:.2f} s")


def test_halaman_laporan_membaca_replika(client, dunia):
    """The report and export pages run their queries on the standby, and it shows: a row
    committed on the primary while the standby is paused is not in the figures until the
    standby replays it."""
    kelompok, _anggota = kelompok_dengan_anggota(dunia.klaster_lebak, 3)
    tunggu_replika()
    client.force_login(dunia.manajer)
    laporan_url = f"{reverse('laporan:dampak')}?klaster={dunia.klaster_lebak.pk}"
    halaman = [
        reverse("klaster:beranda"),  # the manager's dashboard
        laporan_url,
        reverse("bantuan:portofolio"),
        reverse("bantuan:tunggakan"),
        f"{reverse('laporan:dampak_csv')}?klaster={dunia.klaster_lebak.pk}",
        f"{reverse('laporan:dampak_grafik', args=['pendapatan'])}?klaster={dunia.klaster_lebak.pk}",
    ]
    for url in halaman:
        with (
            CaptureQueriesContext(connections[replika.ALIAS]) as di_replika,
            CaptureQueriesContext(connections[DEFAULT_DB_ALIAS]) as di_primer,
        ):
            response = client.get(url)
        assert response.status_code == 200, url
        assert di_replika.captured_queries, f"{url}: no query on the replica"
        # on the primary only the session, the user's rights (read before the view) and
        # the report cache's new entries (a write)
        for q in di_primer.captured_queries:
            sendiri = ("django_session", "auth_", "cache_laporan", "BEGIN", "COMMIT", "SAVEPOINT")
            assert any(t in q["sql"] for t in sendiri), (
                url,
                q["sql"],
            )
        assert "km_baru_menulis" not in response.cookies  # a read sets no marker
    # the connection those queries ran on is the standby's
    with connections[replika.ALIAS].cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery(), inet_server_port()")
        assert cursor.fetchone() == (True, dunia.port_replika)

    sebelum = _mitra_dilaporkan(client.get(laporan_url))
    assert sebelum == _mitra_di(dunia.klaster_lebak) >= 3
    with replika_tertinggal():
        MitraFactory(kelompok=kelompok)  # committed on the primary, not replayed yet
        assert _mitra_dilaporkan(client.get(laporan_url)) == sebelum  # the standby's figure
    tunggu_replika()
    assert (
        _mitra_dilaporkan(client.get(laporan_url)) == sebelum + 1 == _mitra_di(dunia.klaster_lebak)
    )


def _mitra_di(klaster) -> int:
    return Mitra.objects.filter(kelompok__klaster=klaster).count()


def test_tulisan_ke_primer_dan_sesudahnya_membaca_primer(dunia):
    with replika.baca_replika():
        assert router.db_for_read(Mitra) == replika.ALIAS
        # the standby is read-only: a write that went there would fail
        mitra = MitraFactory(kelompok=dunia.kelompok_lebak)
        assert mitra._state.db == DEFAULT_DB_ALIAS
        assert router.db_for_write(Mitra) == DEFAULT_DB_ALIAS
        # having written, the block reads its own write from the primary
        assert router.db_for_read(Mitra) == DEFAULT_DB_ALIAS
        assert Mitra.objects.filter(pk=mitra.pk).exists()
    # outside the block, reads are the primary's anyway
    with replika.permintaan():
        assert router.db_for_read(Mitra) == DEFAULT_DB_ALIAS
    # the session is read from the primary even inside the block (a login a moment ago)
    from django.contrib.sessions.models import Session

    with replika.baca_replika():
        assert router.db_for_read(Session) == DEFAULT_DB_ALIAS


def test_kunjungan_baru_tidak_hilang_saat_replika_tertinggal(client, dunia):
    """A facilitator saves a visit while the standby lags: the confirmation, the home, the
    visit list and the report pages they open next (the standby's pages) all read the
    primary; a manager who did not write still reads the lagging standby."""
    kelompok, anggota = kelompok_dengan_anggota(dunia.klaster_lebak, 2)
    tunggu_replika()
    laporan_url = f"{reverse('laporan:dampak')}?klaster={dunia.klaster_lebak.pk}"
    manajer = Client()
    manajer.force_login(dunia.manajer)
    client.force_login(dunia.fasilitator)
    assert _kunjungan_dilaporkan(client.get(laporan_url)) == 0

    with replika_tertinggal():
        response = client.post(
            f"{reverse('kunjungan:baru')}?kelompok={kelompok.pk}",
            data_kunjungan(hadir=anggota, ringkasan="Panen cabai dibahas bersama."),
        )
        assert response.status_code == 302
        kunjungan = Kunjungan.objects.get()
        # the standby has not seen it: the lag is real
        assert not Kunjungan.objects.using(replika.ALIAS).filter(pk=kunjungan.pk).exists()
        penanda = response.cookies[replika.COOKIE]
        assert penanda["max-age"] == 30 and penanda["httponly"]

        konfirmasi = client.get(response["Location"])
        assert konfirmasi.status_code == 200
        assert "Panen cabai dibahas bersama." in konfirmasi.content.decode()
        beranda = client.get(reverse("klaster:beranda"))
        sudah = [r for r in beranda.context["kunjungi"] if r.sudah_dikunjungi]
        assert [r.kelompok.pk for r in sudah] == [kelompok.pk]
        daftar = client.get(reverse("kunjungan:list"))
        assert [k.pk for k in daftar.context["halaman"]] == [kunjungan.pk]
        # the report is a standby page, but its user just wrote: it reads the primary
        with CaptureQueriesContext(connections[replika.ALIAS]) as di_replika:
            assert _kunjungan_dilaporkan(client.get(laporan_url)) == 1
        assert not di_replika.captured_queries
        # the manager did not write: the lagging standby's figure
        assert _kunjungan_dilaporkan(manajer.get(laporan_url)) == 0
    tunggu_replika()
    assert _kunjungan_dilaporkan(manajer.get(laporan_url)) == 1


def test_tanda_kedaluwarsa_maka_kembali_ke_replika(client, dunia, settings):
    """The cookie is what sends a user who wrote to the primary: without it (expired) the
    same user reads the standby again."""
    laporan_url = f"{reverse('laporan:dampak')}?klaster={dunia.klaster_lebak.pk}"
    client.force_login(dunia.fasilitator)
    client.cookies[replika.COOKIE] = "1"
    with CaptureQueriesContext(connections[replika.ALIAS]) as di_replika:
        client.get(laporan_url)
    assert not di_replika.captured_queries
    del client.cookies[replika.COOKIE]
    with CaptureQueriesContext(connections[replika.ALIAS]) as di_replika:
        client.get(laporan_url)
    assert di_replika.captured_queries


def test_versi_dan_angka_dari_database_yang_sama(client, dunia):
    """The report cache keys figures on versions (klaster/versi.py). A version row the
    standby does not have yet is created on the primary, and the request then reads the
    versions AND the figures from the primary: the cache never gets the standby's old
    figures under the primary's new version."""
    from klaster.models import VersiAngka

    kelompok, _anggota = kelompok_dengan_anggota(dunia.klaster_lebak, 2)
    VersiAngka.objects.filter(lingkup=f"klaster:{dunia.klaster_lebak.pk}").delete()
    tunggu_replika()
    laporan_url = f"{reverse('laporan:dampak')}?klaster={dunia.klaster_lebak.pk}"
    client.force_login(dunia.manajer)
    with replika_tertinggal():
        # a write on the primary (it creates the klaster's version row there) that the
        # standby has not replayed: the standby has neither the row nor the new mitra
        MitraFactory(kelompok=kelompok)
        assert not VersiAngka.objects.using(replika.ALIAS).filter(
            lingkup=f"klaster:{dunia.klaster_lebak.pk}"
        )
        response = client.get(laporan_url)
        # the missing row made the request a writer (versi.baca): primary figures, the
        # primary's version, and the marker for the next pages
        assert _mitra_dilaporkan(response) == _mitra_di(dunia.klaster_lebak) == 3
        assert replika.COOKIE in response.cookies
        versi_primer = response.context["p"].versi
        assert dict(versi_primer.klaster)[dunia.klaster_lebak.pk] == (
            VersiAngka.objects.get(lingkup=f"klaster:{dunia.klaster_lebak.pk}").nomor
        )
    tunggu_replika()
    # the standby, caught up, reads the same version: the cached entry holds the figures
    # of that version (3 mitra), the same as computed afresh
    client.cookies.pop(replika.COOKIE, None)
    with CaptureQueriesContext(connections[replika.ALIAS]) as di_replika:
        response = client.get(laporan_url)
    assert di_replika.captured_queries
    assert response.context["p"].versi == versi_primer
    assert _mitra_dilaporkan(response) == 3 == _mitra_di(dunia.klaster_lebak)


def test_tanpa_alias_replika_semua_ke_primer(client, dunia):
    """DATABASE_REPLICA_URL unset: no "replika" alias, every read on "default", no cookie."""
    laporan_url = f"{reverse('laporan:dampak')}?klaster={dunia.klaster_lebak.pk}"
    simpan = connections.settings.pop(replika.ALIAS)
    try:
        assert not replika.ada_replika()
        with replika.baca_replika():
            assert router.db_for_read(Mitra) == DEFAULT_DB_ALIAS
        client.force_login(dunia.fasilitator)
        response = client.get(laporan_url)
        assert response.status_code == 200
        kelompok, anggota = kelompok_dengan_anggota(dunia.klaster_lebak, 1)
        response = client.post(
            f"{reverse('kunjungan:baru')}?kelompok={kelompok.pk}",
            data_kunjungan(hadir=anggota),
        )
        assert response.status_code == 302
        assert replika.COOKIE not in response.cookies
    finally:
        connections.settings[replika.ALIAS] = simpan

"""Load test: the main pages under concurrent signed-in users, on PostgreSQL and gunicorn.

    .venv/bin/python bench/beban.py [--detik 60] [--paralel 8] [--skala 10]

What it does, and undoes:
1. creates its own database km_beban on the PostgreSQL server of PG_URL (default
   postgres://postgres@127.0.0.1:5432), migrates it and runs `seed_demo --skala N`;
2. collects static files and starts gunicorn with 2 workers on 127.0.0.1 (loopback only)
   under production settings (DEBUG off; plain http, so the https-only settings are off);
3. signs in as admin, manajer, fasilitator and fasilitator2 through the login form, and for
   about --detik seconds --paralel threads request the main pages of each persona in turn;
4. prints requests, errors (anything but 200) and p50/p95 per page, stops gunicorn and drops
   the database. Exit status 1 when there was any error.
"""

import argparse
import http.cookiejar
import os
import re
import secrets
import socket
import statistics
import subprocess  # starts our own manage.py/gunicorn with fixed arguments  # nosec B404
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
NAMA_DB = "km_beban"
SANDI = "beban-lebak-" + secrets.token_hex(4)

# persona → the pages they use daily ({mitra}, {kelompok}, {bantuan}, {kunjungan}, {klaster}
# are filled from links found on the list pages)
HALAMAN = {
    "manajer": [
        "/",
        "/klaster/",
        "/mitra/",
        "/mitra/{mitra}/",
        "/kelompok/",
        "/kelompok/{kelompok}/",
        "/bantuan/",
        "/bantuan/{bantuan}/",
        "/bantuan/tunggakan/",
        "/bantuan/portofolio/",
        "/laporan/dampak/?klaster={klaster}",
        "/kunjungan/",
        "/akun/riwayat/",
    ],
    "fasilitator": [
        "/",
        "/mitra/",
        "/mitra/{mitra}/",
        "/kelompok/",
        "/kelompok/{kelompok}/",
        "/bantuan/tunggakan/",
        "/kunjungan/",
        "/kunjungan/{kunjungan}/",
        "/kunjungan/baru/",
    ],
    "fasilitator2": ["/", "/mitra/", "/kelompok/", "/kunjungan/"],
    "admin": ["/", "/mitra/", "/bantuan/", "/admin/", "/admin/mitra/mitra/"],
}
TAUTAN = {
    "mitra": r'href="/mitra/(\d+)/"',
    "kelompok": r'href="/kelompok/(\d+)/"',
    "bantuan": r'href="/bantuan/(\d+)/"',
    "kunjungan": r'href="/kunjungan/(\d+)/"',
    "klaster": r'href="/klaster/(\d+)/"',
}


def jalankan(*args, env=None, **kwargs):
    print("$", " ".join(str(a) for a in args), flush=True)
    return subprocess.run(args, cwd=ROOT, env=env, check=True, **kwargs)  # noqa: S603 (fixed arguments, no shell) # nosec B603


def psql(pg_url: str, sql: str):
    jalankan("psql", f"{pg_url}/postgres", "-q", "-v", "ON_ERROR_STOP=1", "-c", sql)


def port_bebas() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Sesi:
    """One signed-in browser: a cookie jar, no redirects followed (a 302 is not a 200)."""

    class _TanpaAlih(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    def __init__(self, basis: str):
        self.basis = basis
        self.kue = http.cookiejar.CookieJar()
        self.pembuka = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.kue), self._TanpaAlih
        )

    def minta(self, path: str, data: dict | None = None) -> tuple[int, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        req = urllib.request.Request(self.basis + path, data=body)  # noqa: S310 (loopback)
        if data is not None:
            req.add_header("Referer", self.basis + path)
        try:
            with self.pembuka.open(req, timeout=30) as r:
                return r.status, r.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode("utf-8", "replace")

    def masuk(self, username: str, password: str):
        status, html = self.minta("/akun/masuk/")
        assert status == 200, f"login page: {status}"  # a load script's own sanity check  # nosec B101
        token = next(c.value for c in self.kue if c.name == "csrftoken")
        status, _ = self.minta(
            "/akun/masuk/",
            {"username": username, "password": password, "csrfmiddlewaretoken": token},
        )
        assert status == 302, f"login as {username}: {status}"  # a load script's own sanity check  # nosec B101


def tunggu_server(basis: str, proses, batas=60):
    akhir = time.monotonic() + batas
    while time.monotonic() < akhir:
        if proses.poll() is not None:
            raise SystemExit("gunicorn stopped while starting")
        try:
            with urllib.request.urlopen(basis + "/sehat/", timeout=2):  # noqa: S310 (http://127.0.0.1 only) # nosec B310
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("gunicorn did not answer in time")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--detik", type=int, default=60, help="how long to send requests")
    ap.add_argument("--paralel", type=int, default=8, help="concurrent requests (bounded)")
    ap.add_argument("--skala", type=int, default=10, help="seed_demo --skala")
    ap.add_argument("--pg", default=os.environ.get("PG_URL", "postgres://postgres@127.0.0.1:5432"))
    ap.add_argument("--simpan-db", action="store_true", help="keep km_beban afterwards")
    arg = ap.parse_args()

    db_url = f"{arg.pg}/{NAMA_DB}"
    port = port_bebas()
    basis = f"http://127.0.0.1:{port}"
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO", "DATABASE"))},
        "DATABASE_URL": db_url,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        # plain http on loopback: the https-only settings would turn every request away
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "SECURE_HSTS_SECONDS": "0",
        "LOG_LEVEL": "ERROR",
    }
    psql(arg.pg, f"DROP DATABASE IF EXISTS {NAMA_DB}")
    psql(arg.pg, f"CREATE DATABASE {NAMA_DB}")
    gunicorn = None
    try:
        jalankan(PYTHON, "manage.py", "migrate", "--noinput", "-v", "0", env=env)
        mulai = time.monotonic()
        jalankan(
            PYTHON, "manage.py", "seed_demo", "--force", "--skala", str(arg.skala),
            "--password", SANDI, env=env, stdout=subprocess.DEVNULL,
        )  # fmt: skip
        print(f"seed_demo --skala {arg.skala}: {time.monotonic() - mulai:.0f} s")
        jalankan(PYTHON, "manage.py", "collectstatic", "--noinput", "-v", "0", env=env)
        gunicorn = subprocess.Popen(  # noqa: S603 (our own gunicorn, fixed arguments) # nosec B603
            [
                str(Path(PYTHON).parent / "gunicorn"), "config.wsgi", "--workers", "2",
                "--bind", f"127.0.0.1:{port}", "--log-level", "warning", "--timeout", "60",
            ],
            cwd=ROOT, env=env,
        )  # fmt: skip
        tunggu_server(basis, gunicorn)

        sesi = {}
        for persona in HALAMAN:
            s = Sesi(basis)
            s.masuk(persona, SANDI)
            sesi[persona] = s
        # ids of real records, from the links on the list pages each persona sees
        isi = {}
        for persona, s in sesi.items():
            for path in ("/mitra/", "/kelompok/", "/bantuan/", "/kunjungan/", "/klaster/"):
                _status, html = s.minta(path)
                for nama, pola in TAUTAN.items():
                    m = re.search(pola, html)
                    if m and (persona, nama) not in isi:
                        isi[(persona, nama)] = m.group(1)
        tugas = []
        for persona, daftar in HALAMAN.items():
            for pola in daftar:
                nilai = {n: isi.get((persona, n), "0") for n in TAUTAN}
                tugas.append((persona, pola, pola.format(**nilai)))

        waktu = defaultdict(list)
        galat = defaultdict(list)
        kunci = threading.Lock()
        akhir = time.monotonic() + arg.detik
        giliran = iter(range(10**9))

        def pekerja():
            while time.monotonic() < akhir:
                with kunci:
                    persona, pola, path = tugas[next(giliran) % len(tugas)]
                t0 = time.perf_counter()
                try:
                    status, _ = sesi[persona].minta(path)
                except OSError as e:
                    status = f"{type(e).__name__}"
                ms = (time.perf_counter() - t0) * 1000
                with kunci:
                    waktu[(persona, pola)].append(ms)
                    if status != 200:
                        galat[(persona, pola)].append(status)

        mulai = time.monotonic()
        with ThreadPoolExecutor(arg.paralel) as pool:
            for _ in range(arg.paralel):
                pool.submit(pekerja)
        lama = time.monotonic() - mulai

        total = sum(len(v) for v in waktu.values())
        total_galat = sum(len(v) for v in galat.values())
        print()
        print(
            f"gunicorn 2 workers, PostgreSQL, seed_demo --skala {arg.skala}; "
            f"{arg.paralel} concurrent over 127.0.0.1 for {lama:.0f} s"
        )
        print(f"requests: {total}  ({total / lama:.1f}/s)   errors: {total_galat}")
        print(f"{'persona':<13} {'page':<38} {'n':>6} {'err':>4} {'p50 ms':>8} {'p95 ms':>8}")
        for (persona, pola), daftar in sorted(waktu.items()):
            urut = sorted(daftar)
            p95 = urut[min(len(urut) - 1, int(len(urut) * 0.95))]
            print(
                f"{persona:<13} {pola:<38} {len(urut):>6} {len(galat[(persona, pola)]):>4} "
                f"{statistics.median(urut):>8.0f} {p95:>8.0f}"
            )
        for (persona, pola), daftar in sorted(galat.items()):
            if daftar:
                print(f"  errors on {persona} {pola}: {sorted(set(map(str, daftar)))}")
        return 1 if total_galat else 0
    finally:
        if gunicorn is not None:
            gunicorn.terminate()
            gunicorn.wait(timeout=30)
        if not arg.simpan_db:
            psql(arg.pg, f"DROP DATABASE IF EXISTS {NAMA_DB}")


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Benchmark of Klaster Mandiri's main pages on PostgreSQL under gunicorn (issue 8).

    .venv/bin/python bench/bench.py --seed          # (re)create km_bench, seed --skala 100, run
    .venv/bin/python bench/bench.py                 # reuse the seeded km_bench, run
    .venv/bin/python bench/bench.py --out bench/results-after.txt

What it does, in order:
1. With --seed: drops and creates its own database (km_bench), migrates, loads the regions,
   runs `seed_demo --skala N` (timed and reported) and VACUUM ANALYZE. Without --seed it
   refuses to run on an empty database.
2. collectstatic (whitenoise serves the hashed files, DEBUG off), then starts gunicorn with
   2 sync workers on 127.0.0.1 and a free port, DEBUG=0, a throwaway SECRET_KEY.
3. Logs in through the real login form (GET for the CSRF token, POST) as the manager and as
   the facilitator, one session per client thread so that concurrent requests do not queue
   on one session row.
4. Probes every page once (404 -> "missing", other non-200 -> "error"), then page by page
   warms up and measures a fixed number of requests at concurrency 1 and then 8 (threads,
   each with its own http.client connection), within a per-page time budget. The meeting
   POST, the one page that writes, comes last.
5. Prints a table: p50/p95 in ms and throughput (req/s) with its ratio to the baseline view
   /sehat/ (no login, no query) at the same concurrency, then the issue's targets.
6. For the heavy manager pages (dashboard, impact report): their time right after a write
   that changes them (a facilitator saves a meeting, then the page is timed), --n-tulis rounds
   at concurrency 1; and their first request after a restart of gunicorn, --n-restart times.

It never leaves loopback, stops by itself (bounded counts, a per-page budget and a global
timeout) and always kills gunicorn on the way out.
"""

from __future__ import annotations

import argparse
import http.client
import os
import platform
import secrets
import signal
import socket
import subprocess  # starts our own manage.py/gunicorn/psql with fixed arguments  # nosec B404
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
HOST = "127.0.0.1"  # loopback only, never anything else
# As in production behind a TLS-terminating proxy: the app sees https (no SSL redirect,
# secure cookies, CSRF referer checks all active) while the bytes stay on loopback.
PROXY_HEADERS = {"X-Forwarded-Proto": "https"}


class GlobalTimeout(Exception):
    pass


# ---------------------------------------------------------------- HTTP client


class Klien:
    """A tiny cookie-keeping HTTP/1.1 client over one http.client connection.

    gunicorn's sync workers close the connection after each response; http.client then
    reconnects on the next request, so this is keep-alive where the server offers it.
    """

    timeout = 30.0  # seconds; set from --req-timeout

    def __init__(self, port: int):
        self.port = port
        self.conn = http.client.HTTPConnection(HOST, port, timeout=self.timeout)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, data: dict | None = None, headers=None):
        hdrs = {"Host": f"{HOST}:{self.port}", "User-Agent": "klaster-bench/1", **PROXY_HEADERS}
        if self.cookies:
            hdrs["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urlencode(data, doseq=True).encode()
            hdrs["Content-Type"] = "application/x-www-form-urlencoded"
            # Django checks the referer of an https POST against the host
            hdrs["Referer"] = f"https://{HOST}:{self.port}{path}"
        hdrs.update(headers or {})
        for attempt in range(2):
            try:
                self.conn.request(method, path, body=body, headers=hdrs)
                resp = self.conn.getresponse()
                content = resp.read()
                break
            except (http.client.RemoteDisconnected, ConnectionError, http.client.BadStatusLine):
                self.conn.close()
                if attempt:
                    raise
        for raw in resp.headers.get_all("Set-Cookie") or []:
            jar = SimpleCookie()
            jar.load(raw)
            for name, morsel in jar.items():
                if morsel["max-age"] == "0" or morsel.value == "":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return resp.status, resp.headers, content

    def close(self):
        self.conn.close()


class _FormParser(HTMLParser):
    """Collects the forms of a page: their action, method and fields."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._form = None
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._form = {
                "action": a.get("action") or "",
                "method": (a.get("method") or "get").lower(),
                "fields": [],
            }
            self.forms.append(self._form)
        if self._form is None:
            return
        if tag == "input" and a.get("name"):
            self._form["fields"].append(
                {
                    "tag": "input",
                    "type": (a.get("type") or "text").lower(),
                    "name": a["name"],
                    "value": a.get("value") or "",
                    "checked": "checked" in a,
                    "required": "required" in a,
                }
            )
        elif tag == "textarea" and a.get("name"):
            self._textarea = {
                "tag": "textarea",
                "type": "textarea",
                "name": a["name"],
                "value": "",
                "required": "required" in a,
            }
            self._form["fields"].append(self._textarea)
        elif tag == "select" and a.get("name"):
            self._select = {
                "tag": "select",
                "type": "select-multiple" if "multiple" in a else "select",
                "name": a["name"],
                "options": [],
                "selected": [],
                "required": "required" in a,
            }
            self._form["fields"].append(self._select)
        elif tag == "option" and self._select is not None:
            value = a.get("value", "")
            self._select["options"].append(value)
            if "selected" in a:
                self._select["selected"].append(value)

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea["value"] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def parse_forms(html: bytes) -> list[dict]:
    parser = _FormParser()
    parser.feed(html.decode("utf-8", "replace"))
    return parser.forms


def login(port: int, username: str, password: str) -> Klien:
    """Log in through the real form: GET it for the CSRF token, POST the credentials."""
    klien = Klien(port)
    path = "/akun/masuk/"
    status, _, body = klien.request("GET", path)
    if status != 200:
        raise RuntimeError(f"login page answered {status}")
    form = next(f for f in parse_forms(body) if f["method"] == "post")
    token = next(f["value"] for f in form["fields"] if f["name"] == "csrfmiddlewaretoken")
    status, headers, body = klien.request(
        "POST",
        path,
        {"csrfmiddlewaretoken": token, "username": username, "password": password},
    )
    if status not in (302, 303) or "sessionid" not in klien.cookies:
        raise RuntimeError(f"login as {username!r} failed (status {status})")
    return klien


# ------------------------------------------------------------------- pages


@dataclass
class Halaman:
    nama: str
    peran: str  # "anon", "manajer", "fasilitator"
    path: str
    method: str = "GET"
    target_p95_ms: float = 150.0
    status: str = "ok"  # ok / missing / error ...
    catatan: str = ""
    hasil: dict = field(default_factory=dict)  # concurrency -> Ukuran


@dataclass
class Ukuran:
    n: int
    p50: float
    p95: float
    rps: float
    gagal: int
    semua: tuple = ()  # every latency in ms, in order (the rows after a write print them)


def pilih_data(args) -> dict:
    """Pick the records the pages are measured on, through the same scoping the views use."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.db.models import Count

    from bantuan.models import Angsuran, Bantuan
    from kelompok.models import Kelompok
    from klaster.models import Klaster
    from kunjungan.models import Kunjungan
    from mitra.models import Mitra, PengukuranPendapatan

    User = get_user_model()
    manajer = User.objects.get(username=args.manajer)
    fasilitator = User.objects.get(username=args.fasilitator)
    # a mitra of the facilitator's klaster with a loan and readings: a busy detail page
    mitra = (
        Mitra.objects.visible_to(fasilitator)
        .filter(bantuan__jenis=Bantuan.Jenis.MODAL_BERGULIR)
        .annotate(n=Count("bantuan__angsuran"))
        .order_by("-n", "pk")
        .first()
    ) or Mitra.objects.visible_to(fasilitator).order_by("pk").first()
    kelompok = (
        Kelompok.objects.visible_to(fasilitator)
        .annotate(n=Count("anggota"))
        .order_by("-n", "pk")
        .first()
    )
    with connection.cursor() as cur:
        cur.execute("select current_setting('server_version')")
        server_version = cur.fetchone()[0]
        # the database's size and its largest tables and indexes (issue 18)
        cur.execute("select pg_size_pretty(pg_database_size(current_database()))")
        ukuran_db = cur.fetchone()[0]
        terbesar = {}
        for jenis in ("r", "i"):
            cur.execute(
                "select c.relname, pg_size_pretty(pg_total_relation_size(c.oid)) from pg_class c"
                " join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'public'"
                " and c.relkind = %s order by pg_total_relation_size(c.oid) desc limit 8",
                [jenis],
            )
            terbesar[jenis] = ", ".join(f"{nama} {ukuran}" for nama, ukuran in cur.fetchall())
    data = {
        "mitra_id": mitra.pk if mitra else 0,
        "kelompok_id": kelompok.pk if kelompok else 0,
        # a name search as a person types it: the first word of a real name
        "cari": (mitra.nama.split()[0] if mitra else "a"),
        "server_version": server_version,
        "ukuran_db": ukuran_db,
        "tabel_terbesar": terbesar["r"],
        "indeks_terbesar": terbesar["i"],
        "jumlah": {
            "klaster": Klaster.objects.count(),
            "klaster terlihat manajer": Klaster.objects.visible_to(manajer).count(),
            "kelompok": Kelompok.objects.count(),
            "mitra": Mitra.objects.count(),
            "kunjungan": Kunjungan.objects.count(),
            "pengukuran": PengukuranPendapatan.objects.count(),
            "bantuan": Bantuan.objects.count(),
            "angsuran": Angsuran.objects.count(),
        },
    }
    connection.close()
    return data


def memori_gb() -> float:
    """The machine's memory (Linux /proc/meminfo), in GB."""
    try:
        with open("/proc/meminfo") as f:
            kb = int(next(b for b in f if b.startswith("MemTotal:")).split()[1])
    except (OSError, StopIteration, ValueError):
        return float("nan")
    return kb / 1024 / 1024


def daftar_halaman(d: dict) -> list[Halaman]:
    k, m = d["kelompok_id"], d["mitra_id"]
    return [
        Halaman("baseline /sehat/", "anon", "/sehat/"),
        Halaman("beranda manajer (dashboard)", "manajer", "/", target_p95_ms=300),
        Halaman("daftar mitra + cari", "manajer", f"/mitra/?{urlencode({'q': d['cari']})}"),
        Halaman("detail mitra", "manajer", f"/mitra/{m}/"),
        Halaman("detail kelompok", "manajer", f"/kelompok/{k}/"),
        Halaman("bantuan (daftar)", "manajer", "/bantuan/"),
        Halaman("portofolio bantuan", "manajer", "/bantuan/portofolio/"),
        Halaman("tunggakan", "manajer", "/bantuan/tunggakan/"),
        Halaman("laporan dampak", "manajer", "/laporan/dampak/", target_p95_ms=300),
        Halaman("beranda fasilitator", "fasilitator", "/"),
        Halaman("pertemuan GET", "fasilitator", f"/kunjungan/baru/?kelompok={k}"),
        Halaman(
            "pertemuan POST (kunjungan baru)",
            "fasilitator",
            f"/kunjungan/baru/?kelompok={k}",
            method="POST",
        ),
    ]


def isi_form_pertemuan(klien: Klien, path: str) -> tuple[str, dict]:
    """GET the meeting screen and fill its form as a facilitator would: everyone attended,
    a short summary, no instalments. Returns (action path, data without the uuid)."""
    status, _, body = klien.request("GET", path)
    if status != 200:
        raise RuntimeError(f"meeting screen answered {status}")
    forms = [f for f in parse_forms(body) if f["method"] == "post"]
    form = next(
        (f for f in forms if any(x["name"] == "uuid" for x in f["fields"])),
        forms[0] if forms else None,
    )
    if form is None:
        raise RuntimeError("no POST form on the meeting screen")
    data: dict[str, list[str]] = {}
    for f in form["fields"]:
        name, typ = f["name"], f["type"]
        if typ in ("submit", "button", "file", "image", "reset"):
            continue
        if typ in ("checkbox", "radio"):
            # attendance: everyone came; other boxes as the page left them
            if f["checked"] or name in ("hadir", "hadir[]"):
                if typ == "radio" and name in data:
                    continue
                data.setdefault(name, []).append(f["value"] or "on")
            continue
        if typ in ("select", "select-multiple"):
            value = f["selected"] or [o for o in f["options"] if o][:1]
            data[name] = value
            continue
        value = f.get("value", "")
        if not value and name == "ringkasan":
            value = "Pertemuan rutin (benchmark)."
        elif not value and typ == "date":
            value = datetime.now().date().isoformat()
        data[name] = [value]
    action = form["action"] or path
    if not action.startswith("/"):
        action = path
    elif "?" not in action and "?" in path:
        action = action + "?" + urlsplit(path).query
    return action, data


# ------------------------------------------------------------- measuring


def persentil(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100)."""
    s = sorted(values)
    if not s:
        return float("nan")
    rank = max(1, min(len(s), int(-(-q * len(s) // 100))))
    return s[rank - 1]


def minta(klien, method, path, data=None) -> tuple[int, float]:
    """One timed request: (status, seconds); status 0 when it timed out."""
    t0 = time.perf_counter()
    try:
        status, _, _ = klien.request(method, path, data)
    except TimeoutError:
        klien.close()
        status = 0
    return status, time.perf_counter() - t0


def ukur(halaman, klien_list, n, konkurensi, anggaran_detik, forms) -> Ukuran:
    """n requests split over `konkurensi` threads; stops early at the time budget."""
    latensi: list[float] = []
    gagal = [0]
    lock = threading.Lock()
    sisa = [n]
    batas = time.perf_counter() + anggaran_detik

    def kerja(i):
        klien = klien_list[i]
        while True:
            with lock:
                if sisa[0] <= 0 or time.perf_counter() > batas:
                    return
                sisa[0] -= 1
            if halaman.method == "POST":
                action, data = forms[i]
                status, dt = minta(klien, "POST", action, dict(data, uuid=[str(uuid.uuid4())]))
                ok = status in (302, 303)
            else:
                status, dt = minta(klien, "GET", halaman.path)
                ok = status == 200
            with lock:
                latensi.append(dt * 1000)
                if not ok:
                    gagal[0] += 1

    t0 = time.perf_counter()
    threads = [threading.Thread(target=kerja, args=(i,), daemon=True) for i in range(konkurensi)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    return Ukuran(
        n=len(latensi),
        p50=persentil(latensi, 50),
        p95=persentil(latensi, 95),
        rps=len(latensi) / wall if wall > 0 else 0.0,
        gagal=gagal[0],
    )


def ukur_setelah_tulis(halaman, klien, penulis, form, n, anggaran_detik) -> Ukuran:
    """The cost of a cached page right after a write that changes it: n times, a
    facilitator saves a meeting (not timed), then the page is fetched once (timed). With
    per-process caches the page may land on a worker that has not yet recomputed."""
    latensi, gagal = [], 0
    batas = time.perf_counter() + anggaran_detik
    t_awal = time.perf_counter()
    for _ in range(n):
        if time.perf_counter() > batas:
            break
        action, data = form
        st, _, _ = penulis.request("POST", action, dict(data, uuid=[str(uuid.uuid4())]))
        status, dt = minta(klien, "GET", halaman.path)
        latensi.append(dt * 1000)
        gagal += int(status != 200 or st not in (302, 303))
    wall = time.perf_counter() - t_awal
    return Ukuran(
        n=len(latensi),
        p50=persentil(latensi, 50),
        p95=persentil(latensi, 95),
        rps=len(latensi) / wall if wall > 0 else 0.0,
        gagal=gagal,
        semua=tuple(latensi),
    )


# ------------------------------------------------------------- processes


def run(cmd, env, **kw):
    print("$", " ".join(str(c) for c in cmd), flush=True)
    # commands built here from fixed parts, never from input
    return subprocess.run(cmd, env=env, cwd=ROOT, check=True, **kw)  # noqa: S603 (fixed arguments, no shell) # nosec B603


def siapkan_db(args, env) -> float | None:
    import psycopg2

    dsn = dict(host="127.0.0.1", port=5432, user="postgres", dbname="postgres")
    conn = psycopg2.connect(**dsn)
    conn.autocommit = True
    with conn.cursor() as cur:
        if args.seed:
            cur.execute(f'DROP DATABASE IF EXISTS "{args.db}" WITH (FORCE)')
            cur.execute(f'CREATE DATABASE "{args.db}"')
        else:
            cur.execute("select 1 from pg_database where datname = %s", [args.db])
            if cur.fetchone() is None:
                sys.exit(f"database {args.db} does not exist: run with --seed first")
    conn.close()
    seed_detik = None
    if args.seed:
        run([PY, "manage.py", "migrate", "--noinput", "-v", "0"], env)
        # the regions first, as `make run` does (not part of the seed's time); --force
        # because DEBUG is off here, as in production
        run([PY, "manage.py", "muat_wilayah"], env)
        t0 = time.perf_counter()
        perintah = ["seed_demo", "--skala", str(args.skala), "--password", args.password]
        run([PY, "manage.py", *perintah, "--force"], env)
        seed_detik = time.perf_counter() - t0
        print(f"seed_demo --skala {args.skala}: {seed_detik:.1f} s", flush=True)
        # fresh tables have no planner statistics until autovacuum gets to them
        conn = psycopg2.connect(**dict(dsn, dbname=args.db))
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute("VACUUM ANALYZE")
        conn.close()
    return seed_detik


def statis_perlu_dikumpulkan() -> bool:
    """collectstatic (hashing and compressing every file) only when our static changed."""
    manifest = ROOT / "staticfiles" / "staticfiles.json"
    if not manifest.exists():
        return True
    waktu = manifest.stat().st_mtime
    return any(f.stat().st_mtime > waktu for f in (ROOT / "static").rglob("*") if f.is_file())


def tunggu_tenang(port: int, batas_detik: float) -> None:
    """Before a page is measured, wait until the previous page's abandoned requests (sync
    workers finish a request whose client timed out) have drained: /sehat/ answers fast."""
    akhir = time.monotonic() + batas_detik
    while time.monotonic() < akhir:
        t0 = time.perf_counter()
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=batas_detik)
            conn.request("GET", "/sehat/", headers=PROXY_HEADERS)
            conn.getresponse().read()
            conn.close()
        except OSError:
            pass
        if time.perf_counter() - t0 < 0.5:
            return
        time.sleep(0.5)


def port_bebas() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def tunggu_siap(port: int, proc, batas_detik: float = 60):
    akhir = time.monotonic() + batas_detik
    while time.monotonic() < akhir:
        if proc.poll() is not None:
            raise RuntimeError("gunicorn exited during startup (see bench/gunicorn.log)")
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=2)
            conn.request("GET", "/sehat/", headers=PROXY_HEADERS)
            if conn.getresponse().status == 200:
                conn.close()
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer /sehat/ in time")


# ----------------------------------------------------------------- report


def fmt(v: float, nd=0) -> str:
    return "-" if v != v else f"{v:.{nd}f}"  # NaN -> "-"


def tabel(halaman: list[Halaman], konkurensi: list[int]) -> str:
    dasar = next(h for h in halaman if h.peran == "anon")
    head = f"{'halaman':34}"
    for c in konkurensi:
        head += f" | c={c}: {'p50':>6} {'p95':>6} {'req/s':>7} {'rasio':>6}"
    head += " | gagal"
    lines = [head, "-" * len(head)]
    for h in halaman:
        row = f"{h.nama:34}"
        if h.status != "ok":
            for _ in konkurensi:
                row += f" |      {h.status:>28}"
            lines.append(row + (f" | {h.catatan}" if h.catatan else ""))
            continue
        gagal = 0
        for c in konkurensi:
            u = h.hasil.get(c)
            b = dasar.hasil.get(c)
            if u is None:
                row += f" |      {'-':>28}"
                continue
            rasio = (u.rps / b.rps * 100) if b and b.rps else float("nan")
            row += f" |      {fmt(u.p50, 1):>6} {fmt(u.p95, 1):>6} {fmt(u.rps, 1):>7} {fmt(rasio, 1):>5}%"
            gagal += u.gagal
        lines.append(row + f" | {gagal}")
    return "\n".join(lines)


def cek_target(halaman: list[Halaman]) -> str:
    dasar = next(h for h in halaman if h.peran == "anon")
    out = []
    for h in halaman:
        if h.status != "ok" or h is dasar:
            continue
        u = h.hasil.get(1)
        if u:
            ok = u.p95 <= h.target_p95_ms
            out.append(
                f"{'OK  ' if ok else 'OVER'} {h.nama}: p95 {u.p95:.1f} ms at c=1 "
                f"(target <= {h.target_p95_ms:.0f} ms)"
            )
    beranda = next((h for h in halaman if h.nama.startswith("beranda manajer")), None)
    if beranda and beranda.status == "ok" and 8 in beranda.hasil and 8 in dasar.hasil:
        rasio = beranda.hasil[8].rps / dasar.hasil[8].rps * 100
        out.append(
            f"{'OK  ' if rasio >= 20 else 'OVER'} dashboard throughput at c=8: "
            f"{rasio:.1f}% of baseline (target >= 20%)"
        )
    return "\n".join(out)


# -------------------------------------------------------------------- main


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--seed", action="store_true", help="recreate the DB and seed it first")
    p.add_argument("--skala", type=int, default=100, help="seed_demo --skala (with --seed)")
    p.add_argument("--db", default="km_bench", help="PostgreSQL database name (own one)")
    p.add_argument("--password", default="mandiri-lebak-2014", help="demo users' password")
    p.add_argument("--hanya-seed", action="store_true", help="stop after --seed")
    p.add_argument(
        "--manajer", default="manajer_nasional", help="manager username (default: sees all)"
    )
    p.add_argument("--fasilitator", default="fasilitator", help="facilitator username")
    p.add_argument("--n1", type=int, default=60, help="requests per page at concurrency 1")
    p.add_argument("--n8", type=int, default=240, help="requests per page at concurrency 8")
    p.add_argument(
        "--n-tulis", type=int, default=10, help="visit-then-page rounds for the cached pages"
    )
    p.add_argument("--warmup", type=int, default=6, help="warm-up requests per page")
    p.add_argument("--budget", type=float, default=30, help="seconds per page and concurrency")
    p.add_argument("--timeout", type=float, default=1200, help="global timeout, seconds")
    p.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    p.add_argument(
        "--req-timeout",
        type=float,
        default=30,
        help="per request, seconds; also gunicorn's worker timeout and PostgreSQL's "
        "statement_timeout, so an abandoned request stops working too",
    )
    p.add_argument("--n-restart", type=int, default=3, help="gunicorn restarts to time")
    p.add_argument(
        "--probe-ulang", type=int, default=3, help="retries of a first request cut by the timeout"
    )
    p.add_argument("--only", default="", help="comma-separated substrings of page names")
    p.add_argument("--out", help="also write the report to this file")
    args = p.parse_args(argv)
    Klien.timeout = args.req_timeout

    def alarm(signum, frame):
        raise GlobalTimeout(f"global timeout of {args.timeout:.0f} s reached")

    def terminate(signum, frame):
        # SIGTERM/SIGINT also go through `finally`, so gunicorn never outlives the bench
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGALRM, alarm)
    signal.signal(signal.SIGTERM, terminate)
    signal.alarm(int(args.timeout))

    env = dict(
        os.environ,
        DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{args.db}",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        DJANGO_SETTINGS_MODULE="config.settings",
        LOG_LEVEL="WARNING",
        SECURE_PROXY_SSL_HEADER="HTTP_X_FORWARDED_PROTO,https",
    )
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))

    # other work on this machine skews every number: the report states the load
    beban_awal = " ".join(f"{x:.1f}" for x in os.getloadavg())
    proc = None
    log = None
    klien_semua: list[Klien] = []
    try:
        seed_detik = siapkan_db(args, env)
        if args.hanya_seed:
            return 0
        data = pilih_data(args)
        if not data["jumlah"]["klaster"]:
            sys.exit(f"database {args.db} is empty: run with --seed")
        if statis_perlu_dikumpulkan():
            run([PY, "manage.py", "collectstatic", "--noinput", "-v", "0"], env)

        port = port_bebas()
        log = open(ROOT / "bench" / "gunicorn.log", "w")
        cmd = [
            str(Path(PY).with_name("gunicorn")),
            "config.wsgi:application",
            "--workers",
            str(args.workers),
            "--bind",
            f"{HOST}:{port}",
            "--timeout",
            str(int(args.req_timeout)),
            "--log-level",
            "warning",
        ]
        print("$", " ".join(cmd), flush=True)
        # as a production deployment would: no SQL statement outlives its request
        ms = int(args.req_timeout * 1000)
        env_server = dict(
            env, DATABASE_URL=env["DATABASE_URL"] + f"?options=-c%20statement_timeout%3D{ms}"
        )

        def mulai_gunicorn():
            p = subprocess.Popen(  # noqa: S603 (fixed command) # nosec B603
                cmd,
                cwd=ROOT,
                env=env_server,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
            tunggu_siap(port, p)
            return p

        proc = mulai_gunicorn()

        konkurensi = [1, 8]
        nmax = max(konkurensi)
        halaman = daftar_halaman(data)
        if args.only:
            kunci = [s.strip() for s in args.only.split(",") if s.strip()]
            halaman = [h for h in halaman if h.peran == "anon" or any(s in h.nama for s in kunci)]

        # one logged-in session per client thread and role
        klien: dict[str, list[Klien]] = {"anon": [Klien(port) for _ in range(nmax)]}
        for peran, username in (("manajer", args.manajer), ("fasilitator", args.fasilitator)):
            if any(h.peran == peran for h in halaman):
                klien[peran] = [login(port, username, args.password) for _ in range(nmax)]
        klien_semua = [k for ks in klien.values() for k in ks]

        # probe: which pages exist and answer
        forms: dict[str, list] = {}
        for h in halaman:
            k = klien[h.peran][0]
            # a page whose first request fills a cold cache may be cut by the timeout; what it
            # finished is kept, so it is asked again (--probe-ulang times) and the tries noted
            coba = []
            status = None
            for _ in range(1 + args.probe_ulang):
                t0 = time.perf_counter()
                try:
                    status, _, body = k.request("GET", h.path)
                    coba.append(f"{(time.perf_counter() - t0) * 1000:.0f} ms")
                    break
                except TimeoutError:
                    k.close()
                    coba.append(f"timeout>{args.req_timeout:.0f}s")
                    tunggu_siap(port, proc)
            if len(coba) > 1:
                h.catatan = "first requests (cold cache): " + ", ".join(coba)
            if status is None:
                h.status = f"timeout>{args.req_timeout:.0f}s"
                print(f"probe {h.nama}: {h.status}", flush=True)
                continue
            if status == 404:
                h.status = "missing"
            elif status != 200:
                h.status = f"error {status}"
            elif h.method == "POST":
                try:
                    forms[h.nama] = [isi_form_pertemuan(kk, h.path) for kk in klien[h.peran]]
                    action, d = forms[h.nama][0]
                    st, _, b = k.request("POST", action, dict(d, uuid=[str(uuid.uuid4())]))
                    if st not in (302, 303):
                        h.status = f"invalid {st}"
                        h.catatan = "form data rejected; see bench/gunicorn.log"
                except (RuntimeError, StopIteration) as e:
                    h.status, h.catatan = "error", str(e)
            print(f"probe {h.nama}: {h.status}", flush=True)

        # page by page: warm-up, then every concurrency in turn. A page is measured in the
        # state the pages before it left (the meeting POST, which writes, comes last); the
        # cost of a write to the cached pages is measured separately below
        for h in halaman:
            if h.status != "ok":
                continue
            ukur(h, klien[h.peran], args.warmup, min(2, nmax), args.budget, forms.get(h.nama))
            for c in konkurensi:
                n = args.n1 if c == 1 else args.n8
                tunggu_tenang(port, batas_detik=args.req_timeout * 4)
                h.hasil[c] = ukur(h, klien[h.peran], n, c, args.budget, forms.get(h.nama))
                u = h.hasil[c]
                print(
                    f"c={c} {h.nama}: n={u.n} p50={u.p50:.1f} p95={u.p95:.1f} ms "
                    f"{u.rps:.1f} req/s gagal={u.gagal}",
                    flush=True,
                )

        # the cached pages right after a write: a new visit changes the dashboard's and the
        # report's activity figures, which must show on the next request
        setelah_tulis = []
        post = next((h for h in halaman if h.method == "POST" and h.status == "ok"), None)
        if post is not None and not args.only:
            for h in halaman:
                if h.status == "ok" and h.peran == "manajer" and h.target_p95_ms > 150:
                    tunggu_tenang(port, batas_detik=args.req_timeout * 4)
                    u = ukur_setelah_tulis(
                        h, klien["manajer"][0], klien[post.peran][0], forms[post.nama][0],
                        args.n_tulis, args.budget,
                    )  # fmt: skip
                    setelah_tulis.append(
                        f"{h.nama:<34} | n={u.n:<3} p50 {u.p50:8.1f}  p95 {u.p95:8.1f} ms"
                        f" | gagal {u.gagal} | each " + " ".join(f"{x:.0f}" for x in u.semua)
                    )
                    print(f"after a new visit, {setelah_tulis[-1]}", flush=True)

        # the cached pages on the first request after a restart: every worker process is
        # new, so nothing kept in a process can help; the figures must come from the database
        # (kept fields, or a cache that outlives the process)
        setelah_restart = []
        if not args.only:
            halaman_berat = [
                h
                for h in halaman
                if h.status == "ok" and h.peran == "manajer" and h.target_p95_ms > 150
            ]
            waktu: dict[str, list[float]] = {h.nama: [] for h in halaman_berat}
            # the section above ended on a write that only the impact report was read after:
            # each page is read once first, so that these rows time the restart alone (a
            # write's recomputation is the row "right after a new visit")
            if args.n_restart:
                for h in halaman_berat:
                    minta(klien["manajer"][0], "GET", h.path)
            for _ in range(args.n_restart if halaman_berat else 0):
                os.killpg(proc.pid, signal.SIGTERM)
                proc.wait(timeout=30)
                proc = mulai_gunicorn()
                for h in halaman_berat:
                    k = klien["manajer"][0]
                    k.close()
                    status, dt = minta(k, "GET", h.path)
                    waktu[h.nama].append(dt * 1000 if status == 200 else float("inf"))
            for h in halaman_berat:
                w = waktu[h.nama]
                if w:
                    setelah_restart.append(
                        f"{h.nama:<34} | n={len(w):<3} max {max(w):8.1f}  each "
                        + " ".join(f"{x:.0f}" for x in w)
                        + " ms"
                    )
                    print(f"after a restart, {setelah_restart[-1]}", flush=True)

        git = ["git", "rev-parse", "--short", "HEAD"]
        commit = subprocess.run(git, cwd=ROOT, capture_output=True, text=True).stdout.strip()  # noqa: S603,S607 (git rev-parse, fixed arguments) # nosec B603
        kepala = [
            f"Klaster Mandiri benchmark — {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, commit {commit}",
            f"machine: {os.cpu_count()} cores, {platform.platform()}, Python "
            f"{platform.python_version()}, PostgreSQL {data['server_version']}, "
            f"memory {memori_gb():.1f} GB",
            f"gunicorn {args.workers} sync workers, DEBUG=0, database {args.db}; "
            f"n={args.n1} requests at c=1, n={args.n8} at c=8, budget {args.budget:.0f} s/page",
            "load average (1/5/15 min) at the end: "
            + " ".join(f"{x:.1f}" for x in os.getloadavg())
            + f" (at the start: {beban_awal})",
            "data: " + ", ".join(f"{k} {v}" for k, v in data["jumlah"].items()),
            f"database size {data['ukuran_db']}; largest tables (with their indexes and "
            f"TOAST): {data['tabel_terbesar']}",
            f"largest indexes: {data['indeks_terbesar']}",
            f"pages on mitra {data['mitra_id']}, kelompok {data['kelompok_id']}, "
            f"search {data['cari']!r}",
        ]
        if seed_detik is not None:
            kepala.append(f"seed_demo --skala {args.skala}: {seed_detik:.1f} s")
        laporan = "\n".join(
            kepala
            + [
                "",
                "times in ms; req/s = throughput; rasio = throughput / baseline's at the "
                "same concurrency",
                tabel(halaman, konkurensi),
                "",
                cek_target(halaman),
                "",
            ]
            + (
                [
                    "right after a new visit (a facilitator's meeting POST, not timed, then "
                    "one timed GET; c=1):",
                    *setelah_tulis,
                    "",
                ]
                if setelah_tulis
                else []
            )
            + (
                [
                    "first request after a restart of gunicorn (every worker new; one timed "
                    "GET per page, in the order listed, per restart):",
                    *setelah_restart,
                    "",
                ]
                if setelah_restart
                else []
            )
        )
        print("\n" + laporan)
        if args.out:
            Path(args.out).write_text(laporan)
        return 0
    finally:
        signal.alarm(0)
        for k in klien_semua:
            k.close()
        if proc is not None and proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        if log is not None:
            log.close()


if __name__ == "__main__":
    sys.exit(main())

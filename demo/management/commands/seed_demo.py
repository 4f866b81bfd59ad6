"""seed_demo: the real Lebak programme as demo data, deterministic under --seed.

What it builds (the figures of DESIGN.md, exact):
- "Klaster Mandiri Lebak" in Kecamatan Leuwidamar (36.02.06), desa Cisimeut, Sangkanwangi,
  Leuwidamar and Jalupangmulya: 32 kelompok, 324 mitra (100 pertanian, 85 peternakan,
  139 umkm) with valid NIKs (360206 + birth date, day + 40 for women, serial from 0001),
  three koperasi (one per sector), Rp1.714.661.978 disbursed (dicairkan + lunas +
  dihapusbukukan), loans in every kolektibilitas 2–5 so PAR30 is not zero, second-generation
  loans from the klaster's dana bergulir (never more than had been repaid by then), visits
  every 2–3 weeks with attendance, monitoring readings every six months and an endline at
  the exit workshop (farmers' mean income up more than 50%; one livestock farmer from
  Rp300.000 to Rp600.000).
- "Klaster Mandiri Malingping" (36.02.01): a small second klaster for fasilitator2, so
  scoping is visible.
- Users admin (superuser), manajer, fasilitator, fasilitator2 with one password.
- --skala N: N-1 more klaster of the Lebak shape in other kecamatan (Lebak's first, then
  the national file, loaded when needed), each with its own manajer_<kode> and
  fasilitator_<kode>, plus manajer_nasional (sees every klaster) for load tests.

Choices:
- The timeline (2011 → the exit workshop of 6 March 2014) is shifted to end on --sampai
  (default: today in Asia/Jakarta), so "as of today" pages show a living programme.
- Every one of the 324 mitra has a baseline reading (issue 2 asks for 324 baselines). The
  impact report's exclusion list is shown by six mitra with no reading after the baseline
  (three who left early, status keluar; three working away), not by mitra without a
  baseline: the count of mitra must stay exactly 324.
- It only fills a database without klaster; there is no --reset, because financial records
  are never deleted — use a fresh database instead.
- Rows are written with COPY (PostgreSQL) or executemany (SQLite) with explicit ids, so
  django-simple-history has no "created" entry for seed rows; later changes are recorded.
- Refuses to run when DEBUG is off unless --force (it creates a superuser with a known
  password).
"""

import datetime as dt
import secrets

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from demo.seed import jalankan_seed
from klaster.models import Klaster


def _tanggal(teks: str) -> dt.date:
    try:
        return dt.date.fromisoformat(teks)
    except ValueError as exc:
        raise CommandError(f"--sampai must be a date YYYY-MM-DD, got {teks!r}") from exc


class Command(BaseCommand):
    help = "Fill an empty database with the Lebak Klaster Mandiri programme (demo data)."

    def add_arguments(self, parser):
        parser.add_argument("--password", help="password of every demo user (else random)")
        parser.add_argument(
            "--force", action="store_true", help="run even when DEBUG is off (not for production)"
        )
        parser.add_argument(
            "--skala", type=int, default=1, help="number of full klaster (load tests: 100)"
        )
        parser.add_argument("--seed", default="2014", help="random seed (same seed, same data)")
        parser.add_argument(
            "--sampai",
            type=_tanggal,
            help="the programme's last day, the exit workshop (default today; 2014-03-06 = real)",
        )

    def handle(self, *args, password, force, skala, seed, sampai, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG is off: seed_demo creates a superuser with a known password. "
                "Use --force if this really is a demo server."
            )
        if skala < 1:
            raise CommandError("--skala must be at least 1")
        if Klaster.objects.exists():
            raise CommandError(
                "The database already has klaster; seed_demo only fills an empty database. "
                "Use a fresh database (e.g. another DATABASE_URL)."
            )
        password_acak = not password
        password = password or secrets.token_urlsafe(12)
        sampai = sampai or timezone.localdate()
        self.stdout.write(f"Seeding {skala} + 1 klaster, seed {seed!r}, ending {sampai} ...")
        hasil = jalankan_seed(
            password=password, sampai=sampai, seed=seed, skala=skala, tulis=self.stdout.write
        )
        for catatan in hasil.catatan:
            self.stdout.write(f"  {catatan}")
        lebar = max(len(t) for t in hasil.jumlah)
        for tabel, n in hasil.jumlah.items():
            self.stdout.write(f"  {tabel.ljust(lebar)} {n:>10,}")
        total = f"{int(hasil.total_cair_lebak):,}".replace(",", ".")
        self.stdout.write(f"  total disbursed, Klaster Mandiri Lebak: Rp{total}")
        if options["verbosity"] >= 2:
            for tabel, detik in hasil.detik_tulis.items():
                self.stdout.write(f"  writing {tabel}: {detik:.1f} s")
        self.stdout.write(self.style.SUCCESS(f"Done in {hasil.detik:.1f} s."))
        # the national dashboard's first request would compute every klaster's parts: at
        # --skala 1000 about a minute, beyond a request's timeout
        call_command("hitung_laporan", stdout=self.stdout)
        utama = [
            u for u in ("admin", "manajer", "fasilitator", "fasilitator2") if u in hasil.pengguna
        ]
        lain = len(hasil.pengguna) - len(utama)
        self.stdout.write(
            f"Logins: {', '.join(utama)}" + (f" (+{lain} load-test users)" if lain else "")
        )
        label = "Password (random, shown only now)" if password_acak else "Password"
        self.stdout.write(f"{label}: {password}")

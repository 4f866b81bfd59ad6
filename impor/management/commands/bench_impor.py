"""Benchmark the mitra import: a generated N-row XLSX file is checked (the preview's dry run),
imported, and imported again (nothing may change), then everything is rolled back.

    DEBUG=1 .venv/bin/python manage.py bench_impor              # 10,000 rows, SQLite
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/km_impor DEBUG=1 \
        .venv/bin/python manage.py bench_impor --baris 10000

The database needs its migrations; regions of Lebak are loaded (inside the rolled-back
transaction) when missing. Use --simpan to keep the generated klaster and mitra.
"""

import datetime
import io
import os
import time

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from openpyxl import Workbook

from impor.layanan import impor_berkas
from kelompok.models import Kelompok
from klaster.models import Klaster, Wilayah
from klaster.wilayah_data import pastikan_wilayah_lebak
from mitra.models import Mitra

KECAMATAN = "36.02.06"  # Leuwidamar
DESA = ["Cisimeut", "36.02.06.2004", "Kanekes", "Nayagati"]
SEKTOR = ["tani", "PETERNAKAN", "usaha", "UMKM"]


def _nik(lahir: datetime.date, jk: str, urut: int) -> str:
    hari = lahir.day + (40 if jk == "P" else 0)
    return (
        f"{KECAMATAN.replace('.', '')}{hari:02d}{lahir.month:02d}{lahir.year % 100:02d}{urut:04d}"
    )


def berkas_mitra(n: int, kelompok_kode: str, terpakai: set[str]) -> bytes:
    """An N-row file with the usual mess: spaced NIK, mixed date forms, sector spellings."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Mitra")
    ws.append(["DAFTAR MITRA (data uji benchmark)"])
    ws.append(["No", "Nama Lengkap", "No KTP", "L/P", "Tgl Lahir", "Desa", "Kelompok",
               "Bidang Usaha", "Tanggal Masuk", "HP", "Keterangan"])  # fmt: skip
    i = dibuat = 0
    while dibuat < n:
        lahir = datetime.date(1950, 1, 1) + datetime.timedelta(days=i % 20000)
        jk = "L" if i % 2 else "P"
        nik = _nik(lahir, jk, 5000 + i % 4999)
        i += 1
        if nik in terpakai:
            continue
        dibuat += 1
        spasi = f"{nik[:4]} {nik[4:8]} {nik[8:12]} {nik[12:]}"
        tanggal_lahir = lahir.strftime("%d/%m/%Y") if i % 3 else lahir
        ws.append([
            dibuat, f"  MITRA   UJI {dibuat} ", spasi if i % 2 else f"'{nik}", jk,
            tanggal_lahir, DESA[i % 4], kelompok_kode if i % 5 else "", SEKTOR[i % 4],
            "6 Maret 2014" if i % 2 else "01/06/2011", f"0812{i:08d}", "",
        ])  # fmt: skip
    ws.append(["TOTAL", f"{n} mitra"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


class Command(BaseCommand):
    help = "Time the mitra import on a generated file (dry run, import, re-import); rolls back."

    def add_arguments(self, parser):
        parser.add_argument("--baris", type=int, default=10_000)
        parser.add_argument("--simpan", action="store_true", help="keep the generated data")

    def handle(self, *args, baris, simpan, **options):
        with transaction.atomic():
            self._jalankan(baris)
            if not simpan:
                transaction.set_rollback(True)
                self.stdout.write("(rolled back: nothing kept)")

    def _jalankan(self, n):
        pastikan_wilayah_lebak()
        stamp = datetime.datetime.now().strftime("%H%M%S%f")
        user = get_user_model().objects.create_superuser(
            username=f"bench-impor-{stamp}", password=None
        )
        klaster = Klaster.objects.create(
            kode=f"BENCH{stamp}"[:20],
            nama=f"Klaster benchmark {stamp}",
            kabupaten=Wilayah.objects.get(kode="36.02"),
            tanggal_mulai=datetime.date(2011, 1, 1),
        )
        klaster.kecamatan.add(Wilayah.objects.get(kode=KECAMATAN))
        Kelompok.objects.create(
            kode="BENCH-01", nama="Kelompok Benchmark", klaster=klaster, sektor="pertanian",
            desa=Wilayah.objects.get(kode="36.02.06.2002"), tanggal_dibentuk=datetime.date(2011, 4, 1),
        )  # fmt: skip
        terpakai = set(
            Mitra.objects.filter(nik__startswith=KECAMATAN.replace(".", "")).values_list(
                "nik", flat=True
            )
        )
        t = time.perf_counter()
        data = berkas_mitra(n, "BENCH-01", terpakai)
        t_buat = time.perf_counter() - t
        self.stdout.write(
            f"database: {connection.vendor}; file: {n} rows, {len(data) / 1e6:.1f} MB "
            f"(generated in {t_buat:.1f} s)"
        )

        def ukur(label, simpan):
            t0, c0 = time.perf_counter(), time.process_time()
            r = impor_berkas(
                jenis="mitra", data=data, nama_berkas="bench.xlsx", oleh=user, klaster=klaster,
                simpan=simpan,
            )  # fmt: skip
            detik, cpu = time.perf_counter() - t0, time.process_time() - c0
            self.stdout.write(
                f"{label:<26} {detik:6.2f} s (this process's CPU {cpu:5.2f} s)  read={r.dibaca} created={r.dibuat} "
                f"updated={r.diubah} unchanged={r.tetap} rejected={r.ditolak} "
                f"skipped={r.dilewati} saved={r.tersimpan}"
            )
            if r.galat_berkas or r.ditolak:
                self.stdout.write(f"  first problems: {r.galat_berkas[:1]} {r.galat[:3]}")
            return detik, r

        d1, _r1 = ukur("check (preview, dry run)", False)
        d2, r2 = ukur("import (confirm)", True)
        d3, r3 = ukur("re-import (same file)", True)
        self.stdout.write(f"check + import: {d1 + d2:.2f} s for {n} rows (budget 30 s)")
        if hasattr(os, "getloadavg"):
            self.stdout.write(f"load average while measuring: {os.getloadavg()[0]:.1f} "
                              f"on {os.cpu_count()} CPUs")  # fmt: skip
        # the benchmark's own sanity check
        assert r2.dibuat == n and r3.tetap == n, "the benchmark file should import cleanly"  # nosec B101
        # the benchmark's own sanity check
        assert Mitra.history.filter(history_change_reason="impor: bench.xlsx").count() == n  # nosec B101

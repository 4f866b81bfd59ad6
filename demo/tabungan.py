"""seed_demo's group savings and kelompok maturity assessments (issue 17), for the first
(Lebak) klaster only: small and deterministic, so that its pages and report show them while
a load-test seed (--skala 100) stays as fast as before.

- savings: each member who is in their kelompok deposits Rp5.000–20.000 in most of the last
  twelve months before --sampai (on the 10th), and about one in twenty withdraws half of
  their balance two months before the end;
- assessments: each kelompok is assessed two years, one year and a month before --sampai
  (when it existed then), with judged scores that rise over time and the indicators
  computed from the seeded records by program.penilaian (set-based: a few queries per
  date), as the service does.

Bulk writes, no history rows, like the rest of the seed (the figures' versions were bumped
by the seed already, in the same transaction)."""

from __future__ import annotations

import datetime as dt
import random
import uuid
from decimal import Decimal

from kelompok.models import Kelompok
from mitra.models import Mitra
from program import penilaian
from program.models import SKOR_PENILAIAN, PenilaianKelompok
from tabungan.models import TransaksiTabungan

JENIS = TransaksiTabungan.Jenis


def _uuid(rng) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def _bulan_mundur(d: dt.date, n: int) -> dt.date:
    bulan = d.year * 12 + d.month - 1 - n
    return dt.date(bulan // 12, bulan % 12 + 1, 10)


def isi_tabungan_dan_penilaian(*, klaster, fasilitator_id: int, manajer_id: int, seed: str,
                               sampai: dt.date) -> dict[str, int]:  # fmt: skip
    rng = random.Random(f"{seed}:tabungan:{klaster.kode}")  # demo data, deterministic  # nosec B311
    entri = []
    for m in (
        Mitra.objects.filter(klaster=klaster, kelompok__isnull=False)
        .order_by("nik")
        .values("pk", "kelompok_id", "tanggal_bergabung", "tanggal_keluar")
    ):
        saldo = Decimal(0)
        tarik = rng.random() < 0.05
        for n in range(12, 0, -1):
            t = _bulan_mundur(sampai, n)
            if t > sampai or t < m["tanggal_bergabung"]:
                continue
            if m["tanggal_keluar"] and t >= m["tanggal_keluar"]:
                break
            if tarik and n == 2 and saldo > 0:
                jumlah = (saldo / 2).quantize(Decimal("1000"))
                if jumlah > 0:
                    entri.append((m, JENIS.PENARIKAN, t, jumlah, manajer_id))
                    saldo -= jumlah
                continue
            if rng.random() < 0.8:
                jumlah = Decimal(rng.choice((5000, 10000, 10000, 15000, 20000)))
                entri.append((m, JENIS.SETORAN, t, jumlah, fasilitator_id))
                saldo += jumlah
    TransaksiTabungan.objects.bulk_create(
        [
            TransaksiTabungan(
                uuid=_uuid(rng),
                klaster_id=klaster.pk,
                kelompok_id=m["kelompok_id"],
                mitra_id=m["pk"],
                jenis=jenis,
                tanggal=t,
                jumlah=jumlah,
                dicatat_oleh_id=oleh,
            )
            for m, jenis, t, jumlah, oleh in entri
        ],
        batch_size=2000,
    )

    nilai = []
    for urutan, hari in enumerate((730, 365, 30)):
        tanggal = sampai - dt.timedelta(days=hari)
        daftar = list(
            Kelompok.objects.filter(klaster=klaster, tanggal_dibentuk__lte=tanggal).order_by("kode")
        )
        semua = penilaian.indikator_banyak([g.pk for g in daftar], tanggal)
        for g in daftar:
            dinilai = {
                n: min(3, max(1, urutan + rng.choice((0, 1, 1, 2))))
                for n in (
                    "skor_pengurus",
                    "skor_pembukuan",
                    "skor_usaha_bersama",
                    "skor_usaha_anggota",
                    "skor_angsuran",
                )
            }
            dihitung = semua[g.pk]
            skor = {**dinilai, **{k: v for k, v in dihitung.items() if k.startswith("skor_")}}
            total, tingkat = penilaian.tingkat_dari_skor(skor[n] for n in SKOR_PENILAIAN)
            nilai.append(
                PenilaianKelompok(
                    klaster_id=klaster.pk,
                    kelompok=g,
                    tanggal=tanggal,
                    **dihitung,
                    **dinilai,
                    skor_total=total,
                    tingkat=tingkat,
                    dinilai_oleh_id=fasilitator_id,
                )
            )
    PenilaianKelompok.objects.bulk_create(nilai, batch_size=500)
    return {"transaksi_tabungan": len(entri), "penilaian_kelompok": len(nilai)}

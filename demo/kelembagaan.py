"""seed_demo's institutions half (issue 17): each seeded cooperative's life as milestones,
and each klaster's stage history with the checklist computed from the seeded data.

Called by demo/seed.py inside the seed's transaction, after the financing and programme
halves are written. Deterministic (one `random.Random` per klaster, from --seed and its
code); every date on or before --sampai. The cooperatives' approval (number and date) was
planned with the kelompok (demo/rencana.py `_lembaga`, before the exit workshop on the
real dates); the milestones around it follow a cooperative's real order:

- founding meeting 120–150 days before the approval, notary deed 45–75 days before it, the
  Minister's decree (the approval itself), the NIB 20–60 days after it;
- a RAT for every closed book year since the approval, in February of the next year:
  members = the active mitra of its kelompok on the meeting's date, simpanan pokok
  Rp50.000 each, simpanan wajib Rp10.000 a month each over the months of the book year
  since the approval.

Stages: penumbuhan → penguatan after the first year of group formation (day 365 of the
timeline), penguatan → pemandirian at day 900 (after the cooperatives' approvals, days
680–820). The checklist is computed by kelembagaan.selectors.syarat_tahap on that date,
as the manager's page would; the decision note says why (the criteria may not all hold,
e.g. kelompok not yet assessed).
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from decimal import Decimal

from django.db.models import Q

from demo.rencana import DURASI_HARI
from kelembagaan.models import RiwayatTahap, TonggakLembaga
from kelembagaan.selectors import syarat_tahap
from kelompok.models import Lembaga
from klaster.models import Klaster
from mitra.models import Mitra

J = TonggakLembaga.Jenis
T = Klaster.Tahap
POKOK = Decimal(50_000)
WAJIB_SEBULAN = Decimal(10_000)
HARI_PENGUATAN, HARI_PEMANDIRIAN = 365, 900


def _anggota_pada(mitra: list[tuple], d: dt.date) -> int:
    return sum(1 for masuk, keluar in mitra if masuk <= d and (keluar is None or keluar > d))


def _bulan_dalam(tahun: int, sejak: dt.date) -> int:
    awal = max(sejak, dt.date(tahun, 1, 1))
    return 12 - awal.month + 1 if awal.year == tahun else 0


def isi_kelembagaan(
    *, klaster: list[Klaster], petugas: dict[int, tuple[int, int]], seed: str, sampai: dt.date
) -> dict[str, int]:
    """Write the milestones and stage history of every klaster; the row counts per table.
    `petugas`: {klaster id: (fasilitator id, manajer id)}."""
    ids = [k.pk for k in klaster]
    lembaga = list(
        Lembaga.objects.filter(klaster_id__in=ids, tanggal_pengesahan__isnull=False)
        .order_by("klaster_id", "pk")
        .values("pk", "klaster_id", "nomor_badan_hukum", "tanggal_pengesahan")
    )
    mitra = defaultdict(list)
    for lid, masuk, keluar in (
        Mitra.objects.filter(klaster_id__in=ids, kelompok__lembaga__isnull=False)
        .order_by("pk")
        .values_list("kelompok__lembaga_id", "tanggal_bergabung", "tanggal_keluar")
    ):
        mitra[lid].append((masuk, keluar))
    per_klaster = defaultdict(list)
    for lb in lembaga:
        per_klaster[lb["klaster_id"]].append(lb)
    tonggak = []
    for k in klaster:
        rng = random.Random(f"{seed}:kelembagaan:{k.kode}")  # demo data, deterministic  # nosec B311
        manajer = petugas[k.pk][1]
        for lb in per_klaster[k.pk]:
            sah = lb["tanggal_pengesahan"]

            def t(jenis, tanggal, lb=lb, manajer=manajer, **kw):
                if tanggal <= sampai:
                    tonggak.append(TonggakLembaga(lembaga_id=lb["pk"], jenis=jenis,
                                                  tanggal=tanggal, dicatat_oleh_id=manajer, **kw))  # fmt: skip

            t(J.RAPAT_PENDIRIAN, sah - dt.timedelta(days=rng.randint(120, 150)),
              keterangan="Rapat pendirian dihadiri pengurus kelompok anggota.")  # fmt: skip
            t(J.AKTA_NOTARIS, sah - dt.timedelta(days=rng.randint(45, 75)),
              nomor=f"{rng.randint(1, 60):02d}", keterangan="Akta pendirian koperasi.")  # fmt: skip
            t(J.PENGESAHAN, sah, nomor=lb["nomor_badan_hukum"])
            t(J.NIB, sah + dt.timedelta(days=rng.randint(20, 60)),
              nomor=f"91{rng.randint(10**10, 10**11 - 1)}0")  # fmt: skip
            for tahun in range(sah.year, sampai.year):
                rapat = dt.date(tahun + 1, 2, rng.randint(10, 27))
                n = _anggota_pada(mitra[lb["pk"]], rapat)
                t(J.RAT, rapat, tahun_buku=tahun, jumlah_anggota=n, simpanan_pokok=POKOK * n,
                  simpanan_wajib=WAJIB_SEBULAN * n * _bulan_dalam(tahun, sah))  # fmt: skip
    TonggakLembaga.objects.bulk_create(tonggak, batch_size=1000)

    riwayat = []
    mulai = sampai - dt.timedelta(days=DURASI_HARI)
    for k in Klaster.objects.filter(pk__in=ids).order_by("pk"):
        for dari, ke, hari, catatan in (
            (T.PENUMBUHAN, T.PENGUATAN, HARI_PENGUATAN,
             "Rapat evaluasi tahun pertama: kelompok sudah terbentuk dan modal bergulir "
             "mulai berputar."),
            (T.PENGUATAN, T.PEMANDIRIAN, HARI_PEMANDIRIAN,
             "Rapat koordinasi tengah program bersama pemerintah kabupaten: koperasi sudah "
             "disahkan; penilaian kelompok dilanjutkan pada tahap pemandirian."),
        ):  # fmt: skip
            tanggal = mulai + dt.timedelta(days=hari)
            syarat = syarat_tahap(k, ke, per_tanggal=tanggal)
            riwayat.append(
                RiwayatTahap(klaster=k, dari=dari, ke=ke, tanggal=tanggal,
                             diputuskan_oleh_id=petugas[k.pk][1],
                             syarat=[s.untuk_json() for s in syarat],
                             semua_terpenuhi=all(s.terpenuhi for s in syarat), catatan=catatan)
            )  # fmt: skip
    RiwayatTahap.objects.bulk_create(riwayat)
    # the seed made every klaster pemandirian already: the history above leads there
    assert not Klaster.objects.filter(pk__in=ids).filter(~Q(tahap=T.PEMANDIRIAN)).exists()  # nosec B101
    return {"tonggak_lembaga": len(tonggak), "riwayat_tahap": len(riwayat)}

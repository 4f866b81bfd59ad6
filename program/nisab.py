"""The zakat nisab on income (nisab zakat pendapatan dan jasa) as a monthly income
equivalent: loading the published figures and finding the one in force at a date.

Rule: the nisab in force at a date is the row with the latest `berlaku_sejak` on or before
it; before the first row there is none (the household is left out of the graduation figure
and counted). Only figures found in a public source are shipped; a figure that is an
estimate says so (`perkiraan`) and the report marks it.
"""

import bisect
import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from program.models import Nisab

# (berlaku sejak, per bulan, per tahun, dasar, sumber, perkiraan)
DATA_NISAB = [
    (
        datetime.date(2024, 1, 1),
        Decimal("6859394"),
        Decimal("82312725"),
        "85 gram emas",
        "SK Ketua BAZNAS No. 01 Tahun 2024 tentang nilai nisab zakat pendapatan dan jasa "
        "tahun 2024, sebagaimana dikutip pers (Tribun Sumsel, 22 Maret 2024)",
        False,
    ),
    (
        datetime.date(2025, 1, 1),
        Decimal("7140498"),
        Decimal("85685972"),
        "85 gram emas 21 karat (Rp1.068.919 per gram)",
        "Puskas BAZNAS, Kajian Penetapan Besaran Nisab Zakat Pendapatan dan Jasa 2025",
        False,
    ),
]


@dataclass
class HasilMuatNisab:
    dibuat: int = 0
    diubah: int = 0
    tetap: int = 0


@transaction.atomic
def muat_nisab() -> HasilMuatNisab:
    """Load the published nisab figures; idempotent (a second run changes nothing)."""
    lama = {n.berlaku_sejak: n for n in Nisab.objects.all()}
    hasil = HasilMuatNisab()
    for sejak, bulanan, tahunan, dasar, sumber, perkiraan in DATA_NISAB:
        nilai = {
            "nilai_bulanan": bulanan,
            "nilai_tahunan": tahunan,
            "dasar": dasar,
            "sumber": sumber,
            "perkiraan": perkiraan,
        }
        ada = lama.get(sejak)
        if ada is None:
            Nisab.objects.create(berlaku_sejak=sejak, **nilai)
            hasil.dibuat += 1
        elif any(getattr(ada, k) != v for k, v in nilai.items()):
            for k, v in nilai.items():
                setattr(ada, k, v)
            ada.save()
            hasil.diubah += 1
        else:
            hasil.tetap += 1
    return hasil


@dataclass(frozen=True)
class NisabTerpakai:
    berlaku_sejak: datetime.date
    nilai_bulanan: Decimal
    perkiraan: bool
    sumber: str


class PencariNisab:
    """Every nisab row in memory (a handful, one query); lookups cost no query."""

    def __init__(self, baris=None):
        if baris is None:
            baris = [
                NisabTerpakai(n.berlaku_sejak, n.nilai_bulanan, n.perkiraan, n.sumber)
                for n in Nisab.objects.order_by("berlaku_sejak")
            ]
        self.baris = sorted(baris, key=lambda n: n.berlaku_sejak)
        self._tanggal = [n.berlaku_sejak for n in self.baris]

    def cari(self, tanggal: datetime.date) -> NisabTerpakai | None:
        i = bisect.bisect_right(self._tanggal, tanggal)
        return self.baris[i - 1] if i else None

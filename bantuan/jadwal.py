"""The repayment schedule of revolving capital: pure arithmetic, no database."""

import calendar
import datetime
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal


@dataclass(frozen=True)
class Cicilan:
    ke: int
    jatuh_tempo: datetime.date
    jumlah: Decimal
    kumulatif: Decimal


def tambah_bulan(tanggal: datetime.date, bulan: int) -> datetime.date:
    """Same day `bulan` months later, clamped to the month's last day (31 Jan + 1 → 28/29 Feb)."""
    index = tanggal.month - 1 + bulan
    tahun, bulan_ke = tanggal.year + index // 12, index % 12 + 1
    hari = min(tanggal.day, calendar.monthrange(tahun, bulan_ke)[1])
    return datetime.date(tahun, bulan_ke, hari)


def hitung_jadwal(
    *, pokok: Decimal, tenor_bulan: int, tanggal_cair: datetime.date
) -> list[Cicilan]:
    """Equal monthly instalments from the month after disbursement.

    Each instalment is the principal divided by the tenor, rounded down to the whole rupiah;
    the last one absorbs what rounding left, so the schedule sums exactly to the principal.
    """
    pokok = Decimal(pokok)
    if tenor_bulan < 1:
        raise ValueError("tenor_bulan must be at least 1")
    if pokok <= 0:
        raise ValueError("pokok must be positive")
    rata = (pokok / tenor_bulan).quantize(Decimal("1"), rounding=ROUND_DOWN)
    if rata == 0:  # a principal smaller than the tenor in rupiah: whole sen then
        rata = (pokok / tenor_bulan).quantize(Decimal("0.01"), rounding=ROUND_DOWN)
    jadwal, kumulatif = [], Decimal("0")
    for ke in range(1, tenor_bulan + 1):
        jumlah = rata if ke < tenor_bulan else pokok - rata * (tenor_bulan - 1)
        kumulatif += jumlah
        jadwal.append(
            Cicilan(
                ke=ke,
                jatuh_tempo=tambah_bulan(tanggal_cair, ke),
                jumlah=jumlah,
                kumulatif=kumulatif,
            )
        )
    assert kumulatif == pokok
    return jadwal

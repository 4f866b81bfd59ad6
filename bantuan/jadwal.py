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


def _rata(pokok: Decimal, tenor_bulan: int) -> Decimal:
    """Every instalment but the last: the principal over the tenor, rounded down to the
    rupiah (to the sen when the principal is smaller than the tenor in rupiah)."""
    rata = (pokok / tenor_bulan).quantize(Decimal("1"), rounding=ROUND_DOWN)
    if rata == 0:
        rata = (pokok / tenor_bulan).quantize(Decimal("0.01"), rounding=ROUND_DOWN)
    return rata


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
    rata = _rata(pokok, tenor_bulan)
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
    # the instalments sum to the principal: internal invariant, not an access check
    assert kumulatif == pokok  # nosec B101
    return jadwal


def bulan_jatuh_tempo(*, tanggal_cair: datetime.date, batas: datetime.date, termasuk: bool) -> int:
    """How many monthly instalments counted from tanggal_cair fall due before `batas` (on or
    before it when `termasuk`), were the tenor endless: instalment ke falls due
    tambah_bulan(tanggal_cair, ke). Never negative."""
    bulan = (batas.year - tanggal_cair.year) * 12 + batas.month - tanggal_cair.month
    if bulan < 1:
        return 0
    # instalment `bulan` falls due in batas's month; the ones before it, in earlier months
    jatuh_tempo = tambah_bulan(tanggal_cair, bulan)
    if jatuh_tempo < batas or (termasuk and jatuh_tempo == batas):
        return bulan
    return bulan - 1


def jumlah_jatuh_tempo(
    *, tanggal_cair: datetime.date, tenor_bulan: int, batas: datetime.date, termasuk: bool
) -> int:
    """How many instalments of the schedule fall due before `batas` (on or before it when
    `termasuk`), without building the rows."""
    return min(
        tenor_bulan, bulan_jatuh_tempo(tanggal_cair=tanggal_cair, batas=batas, termasuk=termasuk)
    )


def kumulatif_ke(*, pokok: Decimal, tenor_bulan: int, ke: int) -> Decimal:
    """The schedule's `kumulatif` after instalment ke (0 for ke = 0), as hitung_jadwal
    makes it, without building the rows."""
    if ke <= 0:
        return Decimal("0")
    if ke >= tenor_bulan:
        return Decimal(pokok)
    return _rata(Decimal(pokok), tenor_bulan) * ke

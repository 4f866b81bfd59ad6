"""The maturity rubric of a kelompok (penilaian kelompok) and its reading.

Nine indicators, each scored 1–3, in four areas:

- organisation: regular meetings (computed), officers, bookkeeping (judged);
- business: joint business, members' businesses running (judged);
- finance: savings growth (computed), repayment record (judged), PAR30 (computed);
- networks: links with outside parties (computed).

The level follows the total (9–27) — the rule the method note states:
mandiri when the total is at least 23 and no indicator scores 1; berkembang when the total is
at least 16; tumbuh otherwise.
"""

import datetime
from collections.abc import Iterable
from decimal import Decimal

from program.models import PenilaianKelompok, TingkatKelompok

# the assessment looks back this many days for meetings, attendance and savings growth
JENDELA_HARI = 182

BATAS_MANDIRI = 23
BATAS_BERKEMBANG = 16


def tingkat_dari_skor(skor: Iterable[int]) -> tuple[int, str]:
    """(total, level) of the nine scores, by the rule above."""
    skor = list(skor)
    total = sum(skor)
    if total >= BATAS_MANDIRI and min(skor) > 1:
        return total, TingkatKelompok.MANDIRI.value
    if total >= BATAS_BERKEMBANG:
        return total, TingkatKelompok.BERKEMBANG.value
    return total, TingkatKelompok.TUMBUH.value


def skor_pertemuan(jumlah_pertemuan: int, tingkat_kehadiran: Decimal | None) -> int:
    """3: at least 5 group meetings in the six months and attendance of 75% or more;
    2: at least 3 meetings and attendance of 50% or more; 1 otherwise."""
    hadir = tingkat_kehadiran if tingkat_kehadiran is not None else Decimal(0)
    if jumlah_pertemuan >= 5 and hadir >= 75:
        return 3
    if jumlah_pertemuan >= 3 and hadir >= 50:
        return 2
    return 1


def skor_tabungan(saldo: Decimal, saldo_awal: Decimal) -> int:
    """3: the group's savings balance grew by 10% or more in six months (or from nothing to
    something); 2: it grew, or held a positive balance; 1: no savings or a falling balance."""
    if saldo <= 0 or saldo < saldo_awal:
        return 1
    if saldo_awal <= 0 or saldo >= saldo_awal * Decimal("1.10"):
        return 3
    return 2


def skor_par30(par30: Decimal | None) -> int:
    """3: PAR30 below 5% or no outstanding loan; 2: below 10%; 1: 10% or more."""
    if par30 is None or par30 < 5:
        return 3
    if par30 < 10:
        return 2
    return 1


def skor_jejaring(jumlah_tautan: int) -> int:
    """3: two or more running links with outside parties (the group's or its members');
    2: one; 1: none."""
    if jumlah_tautan >= 2:
        return 3
    if jumlah_tautan == 1:
        return 2
    return 1


def tingkat_per_kelompok(kelompok_ids, per_tanggal: datetime.date) -> dict[int, str]:
    """{kelompok id: level of its latest assessment on or before the date}; a kelompok
    without one is absent. One query."""
    ids = list(kelompok_ids)
    if not ids:
        return {}
    hasil: dict[int, str] = {}
    baris = (
        PenilaianKelompok.objects.filter(kelompok_id__in=ids, tanggal__lte=per_tanggal)
        .order_by("kelompok_id", "-tanggal", "-pk")
        .values_list("kelompok_id", "tingkat")
    )
    for kelompok_id, tingkat in baris:
        hasil.setdefault(kelompok_id, tingkat)
    return hasil

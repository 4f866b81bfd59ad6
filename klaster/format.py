"""Money, dates and ratios the Indonesian way: one place for pages, exports and messages."""

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

NAMA_BULAN = [
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
]


def format_rupiah(value, sen: bool = False) -> str:
    """Rp1.714.661.978 (PUEBI: no space, dot for thousands, comma for sen)."""
    if value is None or value == "":
        return ""
    amount = Decimal(value)
    negatif = amount < 0
    amount = abs(amount)
    if sen:
        amount = amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        whole, frac = divmod(amount, 1)
        text = f"{int(whole):,}".replace(",", ".") + "," + f"{int(frac * 100):02d}"
    else:
        whole = amount.quantize(Decimal("1"), rounding=ROUND_HALF_UP)
        text = f"{int(whole):,}".replace(",", ".")
    return f"{'-' if negatif else ''}Rp{text}"


def format_tanggal(value) -> str:
    """6 Maret 2014."""
    if not value:
        return ""
    if isinstance(value, datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        value = value.date()
    if not isinstance(value, date):
        return str(value)
    return f"{value.day} {NAMA_BULAN[value.month - 1]} {value.year}"


def format_bulan(value) -> str:
    """Maret 2014."""
    if not value:
        return ""
    return f"{NAMA_BULAN[value.month - 1]} {value.year}"


def format_persen(value, digits: int = 1) -> str:
    """A ratio (0.523) as 52,3%."""
    if value is None:
        return "–"
    pct = (Decimal(value) * 100).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    return f"{pct}".replace(".", ",") + "%"

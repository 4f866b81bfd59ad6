"""Money, dates and ratios: one place for pages, exports and messages.

Month names follow the interface language ("6 Maret 2014", "6 March 2014"). Numbers and
money are written the Indonesian way (Rp1.714.661.978, 52,3%) in both languages, unless a
caller asks for English number formatting for a while (`gaya_angka("en")`: Rp1,714,661,978,
52.3%) — the impact report's option "angka", for its page and its exports. The style is
a context variable, so it holds for one request (one thread) only.
"""

from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone
from django.utils.translation import pgettext_lazy

NAMA_BULAN = [
    pgettext_lazy("bulan", "Januari"),
    pgettext_lazy("bulan", "Februari"),
    pgettext_lazy("bulan", "Maret"),
    pgettext_lazy("bulan", "April"),
    pgettext_lazy("bulan", "Mei"),
    pgettext_lazy("bulan", "Juni"),
    pgettext_lazy("bulan", "Juli"),
    pgettext_lazy("bulan", "Agustus"),
    pgettext_lazy("bulan", "September"),
    pgettext_lazy("bulan", "Oktober"),
    pgettext_lazy("bulan", "November"),
    pgettext_lazy("bulan", "Desember"),
]

# number styles: (thousands separator, decimal separator)
GAYA_ANGKA = {"id": (".", ","), "en": (",", ".")}
_gaya_angka: ContextVar[str] = ContextVar("gaya_angka", default="id")


def gaya_angka_aktif() -> str:
    return _gaya_angka.get()


@contextmanager
def gaya_angka(gaya: str | None):
    """Numbers written in `gaya` ("id" or "en"; None or "" keeps the current style) inside
    the block."""
    if not gaya:
        yield
        return
    if gaya not in GAYA_ANGKA:
        raise ValueError(f"gaya angka {gaya!r}: one of {sorted(GAYA_ANGKA)}")
    token = _gaya_angka.set(gaya)
    try:
        yield
    finally:
        _gaya_angka.reset(token)


def _kelompokkan(bulat: int) -> str:
    ribuan, _desimal = GAYA_ANGKA[_gaya_angka.get()]
    return f"{bulat:,}".replace(",", ribuan)


def format_angka(value, digits: int = 0) -> str:
    """1.714 (or 1,714 in English number style); `digits` decimals, rounded half up."""
    if value is None or value == "":
        return ""
    _ribuan, desimal = GAYA_ANGKA[_gaya_angka.get()]
    amount = Decimal(value)
    negatif = amount < 0
    amount = abs(amount).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    whole, frac = divmod(amount, 1)
    text = _kelompokkan(int(whole))
    if digits:
        text += desimal + f"{int(frac * 10**digits):0{digits}d}"
    return f"{'-' if negatif else ''}{text}"


def format_rupiah(value, sen: bool = False) -> str:
    """Rp1.714.661.978 (PUEBI: no space, dot for thousands, comma for sen); in English
    number style Rp1,714,661,978.00."""
    if value is None or value == "":
        return ""
    teks = format_angka(value, 2 if sen else 0)
    if teks.startswith("-"):
        return f"-Rp{teks[1:]}"
    return f"Rp{teks}"


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
    """A ratio (0.523) as 52,3% (52.3% in English number style)."""
    if value is None:
        return "–"
    pct = (Decimal(value) * 100).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    _ribuan, desimal = GAYA_ANGKA[_gaya_angka.get()]
    return f"{pct}".replace(".", desimal) + "%"

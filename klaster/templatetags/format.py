"""Template filters over klaster.format: money, numbers and dates (klaster/format.py)."""

from django import template

from klaster.format import (
    format_angka,
    format_bulan,
    format_persen,
    format_rupiah,
    format_tanggal,
)

register = template.Library()


@register.filter
def rupiah(value):
    return format_rupiah(value)


@register.filter
def rupiah_sen(value):
    return format_rupiah(value, sen=True)


@register.filter
def tanggal(value):
    return format_tanggal(value)


@register.filter
def bulan(value):
    return format_bulan(value)


@register.filter
def persen(value, digits=1):
    return format_persen(value, int(digits))


@register.filter
def angka(value, digits=0):
    """A count or a measure in the number style in force (1.714, or 1,714 in a report asked
    for English number formatting); non-numbers pass through."""
    try:
        return format_angka(value, int(digits))
    except (TypeError, ValueError, ArithmeticError):
        return value

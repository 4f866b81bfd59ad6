"""Template filters over klaster.format: money and dates the Indonesian way."""

from django import template

from klaster.format import format_bulan, format_persen, format_rupiah, format_tanggal

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

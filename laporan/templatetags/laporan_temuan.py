"""`{% temuan_utama laporan as temuan %}`: the impact report's key findings (laporan.temuan)."""

from django import template

from laporan.temuan import temuan_utama as _temuan_utama

register = template.Library()


@register.simple_tag
def temuan_utama(laporan):
    return _temuan_utama(laporan) if laporan else []


@register.filter
def jenis_dana(kode):
    """A fund's kind by its label ("Infak/sedekah"), never its code ("infak")."""
    from bantuan.models import SumberDana

    return dict(SumberDana.Jenis.choices).get(kode, kode)

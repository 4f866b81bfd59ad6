"""Panels of the tabungan app shown on lower apps' pages (mitra and kelompok), so that
`mitra` and `kelompok` never import from `tabungan`."""

from django import template
from django.utils import timezone

from klaster import akses
from tabungan import selectors

register = template.Library()

RIWAYAT_MITRA = 10


def _manajer(context, klaster_id) -> bool:
    request = context.get("request")
    user = getattr(request, "user", None)
    return user is not None and akses.peran_di(user, klaster_id) == akses.MANAJER


@register.inclusion_tag("tabungan/includes/_panel_mitra.html", takes_context=True)
def panel_tabungan_mitra(context, mitra):
    """The member's savings balance today and latest entries: two queries."""
    return {
        "mitra": mitra,
        "saldo": selectors.saldo_mitra(mitra.pk, timezone.localdate()),
        "riwayat": selectors.riwayat_mitra(mitra.pk, RIWAYAT_MITRA),
        "is_manajer": _manajer(context, mitra.klaster_id),
    }


@register.inclusion_tag("tabungan/includes/_panel_kelompok.html")
def panel_tabungan_kelompok(kelompok):
    """The kelompok's savings balance today: one query."""
    return {"kelompok": kelompok, "ringkas": selectors.saldo_kelompok(kelompok.pk)}

"""Panels of the bantuan app shown on lower apps' pages (the mitra page), so that `mitra`
never imports from `bantuan`."""

from django import template
from django.utils import timezone

from bantuan import selectors

register = template.Library()


@register.inclusion_tag("bantuan/includes/_panel_mitra.html", takes_context=True)
def panel_bantuan_mitra(context, mitra):
    """The mitra's financing with today's position: one query."""
    hari_ini = timezone.localdate()
    posisi = selectors.anotasi_posisi(
        mitra.bantuan.select_related("sumber_dana"), per_tanggal=hari_ini
    )
    return {
        "mitra": mitra,
        "bantuan_mitra": selectors.tambah_hari_tunggakan(posisi, per_tanggal=hari_ini),
        "boleh_ubah": context.get("boleh_ubah"),
    }

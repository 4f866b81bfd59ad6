"""Panels of the kelembagaan app on the klaster page (rendered by laporan), so that the
page shows the stage gates and the cooperatives without importing this app."""

from django import template
from django.utils import timezone

from kelembagaan import aturan, selectors
from klaster import akses

register = template.Library()


@register.inclusion_tag("kelembagaan/includes/_panel_klaster.html", takes_context=True)
def panel_kelembagaan_klaster(context, klaster):
    """The stage history, the next gate's checklist today, and the cooperatives' status."""
    hari_ini = timezone.localdate()
    request = context["request"]
    return {
        "klaster": klaster,
        **selectors.panel_tahap(klaster, per_tanggal=hari_ini),
        "ringkas_list": selectors.lembaga_ringkas(
            klaster.lembaga.order_by("nama"), per_tanggal=hari_ini
        ),  # fmt: skip
        "catatan_syarat": aturan.CATATAN_SYARAT,
        "boleh_putuskan": akses.peran_di(request.user, klaster) == akses.MANAJER,
    }

"""The maturity assessments' history on the kelompok page (a lower app's page), so that
`kelompok` never imports from `program`."""

from django import template

from klaster import akses
from program import penilaian

register = template.Library()


@register.inclusion_tag("program/includes/_panel_penilaian.html", takes_context=True)
def panel_penilaian_kelompok(context, kelompok):
    """Every assessment of the kelompok, newest first: one query."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return {
        "kelompok": kelompok,
        "riwayat": penilaian.riwayat(kelompok.pk),
        "boleh_menilai": user is not None and akses.boleh_menulis_di(user, kelompok.klaster_id),
    }

"""A member's phone number: a one-tap `tel:` link for the people assigned to the member's
klaster, masked for everyone else (UU PDP)."""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from klaster import akses
from mitra.models import samarkan_telepon

register = template.Library()


def nomor_tel(telepon: str) -> str:
    """The number as a tel: URI wants it: digits and a leading +, 08… kept as dialled."""
    telepon = (telepon or "").strip()
    angka = "".join(c for c in telepon if c.isdigit())
    return ("+" + angka) if telepon.startswith("+") else angka


@register.simple_tag(takes_context=True)
def telepon(context, nomor, klaster_id, nama=""):
    """`{% telepon mitra.telepon mitra.klaster_id mitra.nama %}`"""
    if not nomor:
        return "–"
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is not None and akses.ditugaskan_di(user, klaster_id):
        label = _("Telepon %(nama)s") % {"nama": nama} if nama else _("Telepon")
        return format_html(
            '<a class="tel" href="tel:{}" aria-label="{}: {}">{}</a>',
            nomor_tel(nomor),
            label,
            nomor,
            nomor,
        )
    return samarkan_telepon(nomor)

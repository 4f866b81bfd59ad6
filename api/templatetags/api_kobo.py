"""The api app's link on the kelompok page (a lower app's page shows a higher app's panel
through an inclusion tag of the higher app)."""

from django import template

register = template.Library()


@register.inclusion_tag("api/includes/_tautan_xlsform.html", takes_context=True)
def tautan_xlsform(context, kelompok):
    """The kelompok's KoboToolbox/ODK visit form, for those who record visits. No query."""
    return {
        "kelompok": kelompok,
        "boleh": context.get("is_fasilitator") or context.get("is_manajer"),
    }

"""Panels of the kunjungan app shown on lower apps' pages (mitra and kelompok), so that
`mitra` and `kelompok` never import from `kunjungan`."""

from django import template

from kunjungan import selectors

register = template.Library()

# the kelompok page shows this many latest visits and links to the full list
KUNJUNGAN_TERAKHIR = 20


@register.inclusion_tag("kunjungan/includes/_panel_mitra.html")
def panel_kunjungan_mitra(mitra):
    """Visits attended, readings and instalments taken at visits: three queries."""
    return {"kunjungan_mitra": selectors.kunjungan_untuk_mitra(mitra)}


@register.inclusion_tag("kunjungan/includes/_panel_kelompok.html", takes_context=True)
def panel_kunjungan_kelompok(context, kelompok):
    """The latest visits of a kelompok: one query."""
    return {
        "kelompok": kelompok,
        "kunjungan_kelompok": selectors.kunjungan_untuk_kelompok(
            kelompok, batas=KUNJUNGAN_TERAKHIR + 1
        ),
        "kunjungan_terakhir": KUNJUNGAN_TERAKHIR,
        "is_fasilitator": context.get("is_fasilitator"),
        "is_manajer": context.get("is_manajer"),
    }

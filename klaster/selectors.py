"""Read-side helpers over regions and klaster that several apps share."""

from klaster.models import Klaster, Wilayah


def desa_klaster(klaster: Klaster):
    """The desa a klaster works in: the desa of its kecamatan (the form's only choices)."""
    return (
        Wilayah.objects.filter(
            tingkat=Wilayah.Tingkat.DESA,
            induk__in=klaster.kecamatan.all(),
        )
        .select_related("induk")
        .order_by("induk__nama", "nama")
    )

"""Read-side queries for the mitra pages: every list is fetched in a fixed number of queries."""

from django.db.models import QuerySet

from klaster.models import Klaster, Wilayah
from mitra.models import Mitra, PengukuranPendapatan


def mitra_daftar(user) -> QuerySet[Mitra]:
    """The mitra list: everything a row shows, joined in one query."""
    return (
        Mitra.objects.visible_to(user)
        .select_related("kelompok", "desa", "klaster")
        .order_by("nama", "pk")
    )


def mitra_untuk_detail(user) -> QuerySet[Mitra]:
    return Mitra.objects.visible_to(user).select_related(
        "klaster", "kelompok", "kelompok__lembaga", "desa", "desa__induk"
    )


def pengukuran_mitra(mitra: Mitra) -> list[PengukuranPendapatan]:
    return list(
        PengukuranPendapatan.objects.filter(mitra=mitra)
        .select_related("dicatat_oleh")
        .order_by("tanggal", "pk")
    )


def desa_bermitra(user) -> QuerySet[Wilayah]:
    """Desa where the user's visible mitra live: the desa filter's choices (tens, not 83,762)."""
    return Wilayah.objects.filter(pk__in=Mitra.objects.visible_to(user).values("desa")).order_by(
        "nama"
    )


def klaster_terlihat(user) -> QuerySet[Klaster]:
    return Klaster.objects.visible_to(user).order_by("nama")

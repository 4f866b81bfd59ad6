"""Read-side queries for the kelompok pages."""

from django.db.models import Count, QuerySet

from kelompok.models import Kelompok
from mitra.models import Mitra


def kelompok_daftar(user) -> QuerySet[Kelompok]:
    return (
        Kelompok.objects.visible_to(user)
        .select_related("klaster", "desa", "ketua", "lembaga")
        .annotate(jumlah_anggota=Count("anggota"))
        .order_by("klaster__nama", "kode")
    )


def kelompok_untuk_detail(user) -> QuerySet[Kelompok]:
    return Kelompok.objects.visible_to(user).select_related(
        "klaster", "desa", "desa__induk", "ketua", "lembaga"
    )


def anggota_kelompok(kelompok: Kelompok) -> list[Mitra]:
    return list(kelompok.anggota.select_related("desa").order_by("nama", "pk"))

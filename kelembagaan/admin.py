"""The admin shows the kelembagaan records read-only: they are written through the
services (kelembagaan/services.py), whose rules an admin form would bypass."""

from django.contrib import admin

from kelembagaan.models import DokumenLembaga, NaskahLaporanAkhir, RiwayatTahap, TonggakLembaga


class _HanyaBaca(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(TonggakLembaga)
class TonggakLembagaAdmin(_HanyaBaca):
    list_display = ("lembaga", "jenis", "tanggal", "nomor", "tahun_buku", "dicatat_oleh")
    list_filter = ("jenis", "lembaga__klaster")
    list_select_related = ("lembaga", "dicatat_oleh")
    search_fields = ("lembaga__nama", "nomor")


@admin.register(DokumenLembaga)
class DokumenLembagaAdmin(_HanyaBaca):
    list_display = ("nama_asli", "lembaga", "tonggak", "jenis_isi", "ukuran", "diunggah_pada")
    list_select_related = ("lembaga", "tonggak")


@admin.register(RiwayatTahap)
class RiwayatTahapAdmin(_HanyaBaca):
    list_display = ("klaster", "dari", "ke", "tanggal", "diputuskan_oleh", "semua_terpenuhi")
    list_select_related = ("klaster", "diputuskan_oleh")


@admin.register(NaskahLaporanAkhir)
class NaskahLaporanAkhirAdmin(_HanyaBaca):
    list_display = ("klaster", "dari", "sampai", "diubah_oleh", "diubah_pada")
    list_select_related = ("klaster", "diubah_oleh")

from django.contrib import admin

from laporan.models import GarisKemiskinan


@admin.register(GarisKemiskinan)
class GarisKemiskinanAdmin(admin.ModelAdmin):
    list_display = ["wilayah", "tahun", "periode", "nilai", "sumber"]
    list_filter = ["tahun", "periode"]
    search_fields = ["wilayah__nama", "wilayah__kode"]
    raw_id_fields = ["wilayah"]  # 91,599 regions
    list_select_related = ["wilayah"]

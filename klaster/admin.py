from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from klaster.models import GarisKemiskinan, Klaster, Penugasan, Wilayah


@admin.register(Wilayah)
class WilayahAdmin(admin.ModelAdmin):
    list_display = ["kode", "nama", "tingkat", "induk"]
    list_filter = ["tingkat"]
    search_fields = ["kode", "nama"]
    list_select_related = ["induk"]
    raw_id_fields = ["induk"]
    ordering = ["kode"]
    # 91,599 rows: an exact count on every search page is wasted work
    show_full_result_count = False


class PenugasanInline(admin.TabularInline):
    model = Penugasan
    extra = 0
    autocomplete_fields = ["pengguna"]


@admin.register(Klaster)
class KlasterAdmin(SimpleHistoryAdmin):
    list_display = ["kode", "nama", "kabupaten", "tahap", "tanggal_mulai", "target_mitra"]
    list_filter = ["tahap"]
    search_fields = ["kode", "nama", "kabupaten__nama"]
    list_select_related = ["kabupaten"]
    autocomplete_fields = ["kabupaten", "kecamatan"]
    inlines = [PenugasanInline]
    # the stage moves only through its gate (kelembagaan.services.tahap_pindah), which
    # records the decision and its checklist; a new klaster starts at penumbuhan
    readonly_fields = ["tahap"]


@admin.register(Penugasan)
class PenugasanAdmin(admin.ModelAdmin):
    list_display = ["pengguna", "klaster", "peran", "sejak", "sampai"]
    list_filter = ["peran", "klaster"]
    search_fields = ["pengguna__username", "pengguna__first_name", "klaster__nama"]
    list_select_related = ["pengguna", "klaster"]
    autocomplete_fields = ["pengguna", "klaster"]
    date_hierarchy = "sejak"


@admin.register(GarisKemiskinan)
class GarisKemiskinanAdmin(admin.ModelAdmin):
    list_display = ["wilayah", "tahun", "periode", "nilai", "sumber"]
    list_filter = ["tahun", "periode"]
    search_fields = ["wilayah__nama", "wilayah__kode"]
    raw_id_fields = ["wilayah"]  # 91,599 regions
    list_select_related = ["wilayah"]

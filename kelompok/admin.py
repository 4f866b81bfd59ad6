from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from kelompok.models import Kelompok, Lembaga


@admin.register(Kelompok)
class KelompokAdmin(SimpleHistoryAdmin):
    list_display = ["kode", "nama", "klaster", "sektor", "desa", "ketua", "lembaga", "status"]
    list_filter = ["klaster", "sektor", "status"]
    search_fields = ["kode", "nama"]
    list_select_related = ["klaster", "desa", "ketua", "lembaga"]
    autocomplete_fields = ["klaster", "desa", "ketua", "lembaga"]


@admin.register(Lembaga)
class LembagaAdmin(SimpleHistoryAdmin):
    list_display = ["nama", "klaster", "bentuk", "nomor_badan_hukum", "tanggal_pengesahan"]
    list_filter = ["bentuk", "klaster"]
    search_fields = ["nama", "nomor_badan_hukum"]
    list_select_related = ["klaster"]
    autocomplete_fields = ["klaster"]

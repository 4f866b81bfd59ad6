from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from kunjungan.models import Kunjungan
from kunjungan.services import kunjungan_hitung_kehadiran


@admin.register(Kunjungan)
class KunjunganAdmin(SimpleHistoryAdmin):
    list_display = [
        "tanggal",
        "kelompok",
        "klaster",
        "jenis_kegiatan",
        "fasilitator",
        "tindak_lanjut_selesai",
    ]
    list_filter = ["jenis_kegiatan", "tindak_lanjut_selesai", "klaster", "tanggal"]
    search_fields = ["kelompok__kode", "kelompok__nama", "ringkasan", "uuid"]
    date_hierarchy = "tanggal"
    # raw ids: thousands of mitra and users would make select boxes unusable
    raw_id_fields = ["fasilitator", "klaster", "kelompok", "hadir"]
    readonly_fields = ["uuid", "dibuat"]
    list_select_related = ["kelompok", "klaster", "fasilitator"]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # attendance, date or kelompok may have changed: recount what the visit keeps
        kunjungan_hitung_kehadiran(kunjungan_ids=[form.instance.pk])

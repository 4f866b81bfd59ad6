"""Back office for financing. Financial records are never deleted, not even by a superuser;
amounts freeze once the money has left."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from bantuan.models import Angsuran, Bantuan, JadwalAngsuran, SumberDana


@admin.register(SumberDana)
class SumberDanaAdmin(admin.ModelAdmin):
    list_display = ["nama", "jenis", "klaster"]
    list_filter = ["jenis", "klaster"]
    search_fields = ["nama"]
    list_select_related = ["klaster"]


class JadwalAngsuranInline(admin.TabularInline):
    """The schedule is fixed at disbursement by bantuan.services.bantuan_cairkan."""

    model = JadwalAngsuran
    extra = 0
    can_delete = False
    fields = ["ke", "jatuh_tempo", "jumlah", "kumulatif"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Bantuan)
class BantuanAdmin(SimpleHistoryAdmin):
    list_display = [
        "nomor",
        "klaster",
        "mitra",
        "kelompok",
        "jenis",
        "sumber_dana",
        "jumlah",
        "status",
        "tanggal_cair",
    ]
    list_filter = ["klaster", "status", "jenis", "sumber_dana"]
    search_fields = ["nomor", "mitra__nama", "kelompok__nama", "kelompok__kode"]
    list_select_related = ["klaster", "mitra", "kelompok", "sumber_dana"]
    raw_id_fields = ["mitra", "kelompok", "diajukan_oleh", "disetujui_oleh"]
    date_hierarchy = "tanggal_pengajuan"
    inlines = [JadwalAngsuranInline]
    # money that left the programme's hands is a fact; its amount and terms do not change
    FIELDS_BEKU_SETELAH_CAIR = ["jumlah", "tenor_bulan", "tanggal_cair", "jenis", "sumber_dana"]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.status in Bantuan.STATUS_CAIR:
            fields += [f for f in self.FIELDS_BEKU_SETELAH_CAIR if f not in fields]
        return fields

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Angsuran)
class AngsuranAdmin(SimpleHistoryAdmin):
    """Repayments are recorded on the repayment page (bantuan.services.angsuran_catat, which
    enforces the principal cap under a row lock) and corrected by a reversing entry."""

    list_display = ["bantuan", "tanggal", "jumlah", "dicatat_oleh", "koreksi_dari", "dibuat"]
    list_filter = ["bantuan__klaster", "tanggal"]
    search_fields = ["bantuan__nomor", "bantuan__mitra__nama", "bantuan__kelompok__nama"]
    list_select_related = ["bantuan", "bantuan__mitra", "bantuan__kelompok", "dicatat_oleh"]
    raw_id_fields = ["bantuan", "dicatat_oleh", "koreksi_dari"]
    date_hierarchy = "tanggal"

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None:  # never edited: only the free-text reason may be completed
            fields += ["bantuan", "tanggal", "jumlah", "koreksi_dari", "dicatat_oleh"]
        return fields

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

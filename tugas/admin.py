from django.contrib import admin

from tugas.models import Tugas


@admin.register(Tugas)
class TugasAdmin(admin.ModelAdmin):
    """Read-only: for finding why a job failed. The file itself is downloaded by its owner
    only (tugas:unduh), so the admin shows its stored name, not a link."""

    list_display = ["judul", "pemilik", "status", "baris_selesai", "baris_total", "dibuat"]
    list_filter = ["status", "jenis"]
    search_fields = ["judul", "pemilik__username"]
    list_select_related = ["pemilik"]
    fields = [
        "id", "pemilik", "jenis", "judul", "parameter", "bahasa", "status", "tahap",
        "baris_selesai", "baris_total", "alasan_gagal", "hasil", "nama_berkas", "id_antrean",
        "dibuat", "mulai", "selesai", "kedaluwarsa",
    ]  # fmt: skip
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

from django import forms
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from mitra.models import Mitra, PengukuranPendapatan
from mitra.nik import periksa_nik


class MitraAdminForm(forms.ModelForm):
    """Staff edits still pass the NIK rules (format, region, date); the birth-date warning
    is left to the staff member's judgement."""

    class Meta:
        model = Mitra
        fields = [
            "nik",
            "nama",
            "jenis_kelamin",
            "tanggal_lahir",
            "telepon",
            "klaster",
            "kelompok",
            "desa",
            "alamat",
            "sektor",
            "jenis_usaha",
            "status",
            "tanggal_bergabung",
            "tanggal_keluar",
            "jumlah_anggota_keluarga",
        ]

    def clean_nik(self):
        hasil = periksa_nik(self.cleaned_data["nik"])
        if not hasil.valid:
            raise forms.ValidationError(hasil.galat)
        return hasil.nik


class PengukuranPendapatanInline(admin.TabularInline):
    model = PengukuranPendapatan
    extra = 0
    fields = ["tanggal", "jenis", "pendapatan_bulanan", "dicatat_oleh"]
    raw_id_fields = ["dicatat_oleh"]


@admin.register(Mitra)
class MitraAdmin(SimpleHistoryAdmin):
    form = MitraAdminForm
    list_display = ["nama", "nik", "jenis_kelamin", "klaster", "kelompok", "sektor", "status"]
    list_filter = ["klaster", "sektor", "status", "jenis_kelamin"]
    search_fields = ["nama", "nik"]
    list_select_related = ["klaster", "kelompok"]
    autocomplete_fields = ["klaster", "kelompok", "desa"]
    date_hierarchy = "tanggal_bergabung"
    inlines = [PengukuranPendapatanInline]


@admin.register(PengukuranPendapatan)
class PengukuranPendapatanAdmin(SimpleHistoryAdmin):
    list_display = ["mitra", "tanggal", "jenis", "pendapatan_bulanan", "dicatat_oleh"]
    list_filter = ["jenis", "mitra__klaster"]
    search_fields = ["mitra__nama", "mitra__nik"]
    list_select_related = ["mitra", "dicatat_oleh"]
    autocomplete_fields = ["mitra"]
    raw_id_fields = ["dicatat_oleh"]
    date_hierarchy = "tanggal"

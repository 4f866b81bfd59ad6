from django import forms
from django.contrib import admin
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin

from klaster.forms import tambah_galat_service
from kunjungan import aturan
from kunjungan.models import Kunjungan
from kunjungan.services import kunjungan_hitung_kehadiran


class KunjunganAdminForm(forms.ModelForm):
    """Staff edits of a visit pass the visit's rules (kunjungan.aturan), like the meeting
    screen does through kunjungan.services."""

    class Meta:
        model = Kunjungan
        # the admin passes its own field list; these are the ones the rules read
        fields = ["klaster", "tanggal", *aturan.label_catatan()]

    def clean(self):
        data = super().clean()
        for nama in aturan.label_catatan():
            if nama in data:
                data[nama] = aturan.bersihkan_catatan(data[nama])
        klaster = data.get("klaster") or getattr(self.instance, "klaster", None)
        if klaster is not None and "tanggal" not in self.errors:
            galat = aturan.periksa_kunjungan(
                tanggal=data.get("tanggal"),
                klaster=klaster,
                hari_ini=timezone.localdate(),
                **{nama: data.get(nama) or "" for nama in aturan.label_catatan()},
            )
            if galat:
                tambah_galat_service(self, forms.ValidationError(galat))
        return data


@admin.register(Kunjungan)
class KunjunganAdmin(SimpleHistoryAdmin):
    form = KunjunganAdminForm
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

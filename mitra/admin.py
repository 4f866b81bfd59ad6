from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.admin import SimpleHistoryAdmin

from klaster.format import format_rupiah
from mitra import services
from mitra.models import Mitra, PengukuranPendapatan
from mitra.nik import periksa_nik


class MitraAdminForm(forms.ModelForm):
    """Staff edits pass the same rules as the pages and the import (mitra.services, which
    calls mitra.aturan) and are saved through the services; the NIK/birth-date warning is
    left to the staff member's judgement."""

    pengguna = None  # set by MitraAdmin.get_form: the services check the user's role

    class Meta:
        model = Mitra
        fields = services.FIELD_MITRA

    def clean_nik(self):
        hasil = periksa_nik(self.cleaned_data["nik"])
        if not hasil.valid:
            raise forms.ValidationError(hasil.galat)
        return hasil.nik

    def _post_clean(self):
        super()._post_clean()
        if self.errors:
            return
        try:
            services.mitra_periksa(mitra=self.instance, oleh=self.pengguna)
        except ValidationError as e:
            self._update_errors(e)
        except PermissionDenied as e:
            self.add_error(None, str(e) or _("Anda tidak punya peran di klaster ini."))
        # the cleaned values (name without control characters, phone as digits) are saved
        for nama_field in ("nama", "telepon", "alamat", "jenis_usaha", "nik"):
            self.cleaned_data[nama_field] = getattr(self.instance, nama_field)


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

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"pengguna": request.user})

    def save_model(self, request, obj, form, change):
        """Through mitra.services, like every other door (role, rules, history user)."""
        data = {f: getattr(obj, f) for f in services.FIELD_MITRA if f in form.cleaned_data}
        if change:
            tersimpan = services.mitra_ubah(
                mitra=obj, oleh=request.user, konfirmasi_beda_nik=True, **data
            )
        else:
            tersimpan = services.mitra_buat(oleh=request.user, konfirmasi_beda_nik=True, **data)
        obj.pk = tersimpan.pk
        obj._state.adding = False


@admin.register(PengukuranPendapatan)
class PengukuranPendapatanAdmin(SimpleHistoryAdmin):
    list_display = ["mitra", "tanggal", "jenis", "pendapatan_rupiah", "dicatat_oleh"]
    list_filter = ["jenis", "mitra__klaster"]
    search_fields = ["mitra__nama", "mitra__nik"]
    list_select_related = ["mitra", "dicatat_oleh"]
    autocomplete_fields = ["mitra"]
    raw_id_fields = ["dicatat_oleh"]
    date_hierarchy = "tanggal"

    @admin.display(description=gettext_lazy("pendapatan bulanan"), ordering="pendapatan_bulanan")
    def pendapatan_rupiah(self, obj):
        return format_rupiah(obj.pendapatan_bulanan)  # Rp1.250.000, as on every page

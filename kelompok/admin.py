from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from simple_history.admin import SimpleHistoryAdmin

from kelompok import services
from kelompok.models import Kelompok, Lembaga


class KelompokAdminForm(forms.ModelForm):
    """Staff edits pass the same rules as the pages and the import (kelompok.services, which
    calls kelompok.aturan) and are saved through the services."""

    pengguna = None  # set by KelompokAdmin.get_form: the services check the user's role

    class Meta:
        model = Kelompok
        fields = ["klaster", *services.FIELD_KELOMPOK]

    def _post_clean(self):
        super()._post_clean()
        if self.errors:
            return
        try:
            services.kelompok_periksa(kelompok=self.instance, oleh=self.pengguna)
        except ValidationError as e:
            self._update_errors(e)
        except PermissionDenied as e:
            self.add_error(None, str(e) or _("Anda tidak punya peran di klaster ini."))


@admin.register(Kelompok)
class KelompokAdmin(SimpleHistoryAdmin):
    form = KelompokAdminForm
    list_display = ["kode", "nama", "klaster", "sektor", "desa", "ketua", "lembaga", "status"]
    list_filter = ["klaster", "sektor", "status"]
    search_fields = ["kode", "nama"]
    list_select_related = ["klaster", "desa", "ketua", "lembaga"]
    autocomplete_fields = ["klaster", "desa", "ketua", "lembaga"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"pengguna": request.user})

    def get_readonly_fields(self, request, obj=None):
        # a kelompok stays in its klaster: its members, loans and visits are there
        fields = list(super().get_readonly_fields(request, obj))
        return [*fields, "klaster"] if obj is not None else fields

    def save_model(self, request, obj, form, change):
        """Through kelompok.services, like every other door (role, rules, history user)."""
        data = {f: getattr(obj, f) for f in services.FIELD_KELOMPOK}
        if change:
            tersimpan = services.kelompok_ubah(kelompok=obj, oleh=request.user, **data)
        else:
            tersimpan = services.kelompok_buat(oleh=request.user, klaster=obj.klaster, **data)
        obj.pk = tersimpan.pk
        obj._state.adding = False


@admin.register(Lembaga)
class LembagaAdmin(SimpleHistoryAdmin):
    list_display = ["nama", "klaster", "bentuk", "nomor_badan_hukum", "tanggal_pengesahan"]
    list_filter = ["bentuk", "klaster"]
    search_fields = ["nama", "nomor_badan_hukum"]
    list_select_related = ["klaster"]
    autocomplete_fields = ["klaster"]

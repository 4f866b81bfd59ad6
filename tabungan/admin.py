"""Back office for group savings. Entries are never edited or deleted. A deposit or a
withdrawal added here goes through tabungan.services (the rules, the role in the klaster,
the balance check under the member's lock); a correction is an action that writes a
reversing entry through transaksi_koreksi."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.admin import SimpleHistoryAdmin

from klaster.format import format_rupiah
from klaster.forms import tambah_galat_service
from tabungan import services
from tabungan.models import TransaksiTabungan

FIELDS_TAMBAH = ["mitra", "jenis", "tanggal", "jumlah", "catatan"]


class TransaksiTabunganAdminForm(forms.ModelForm):
    pengguna = None  # set by TransaksiTabunganAdmin.get_form

    class Meta:
        model = TransaksiTabungan
        fields = FIELDS_TAMBAH

    def _post_clean(self):
        # the model's own clean needs klaster and kelompok, which the service sets
        t = self.instance
        if self.errors:
            return
        catat = (
            services.setoran_catat
            if t.jenis == TransaksiTabungan.Jenis.SETORAN
            else services.penarikan_catat
        )
        try:
            self.tercatat = catat(
                oleh=self.pengguna,
                mitra=t.mitra,
                tanggal=t.tanggal,
                jumlah=t.jumlah,
                catatan=t.catatan,
            )
        except ValidationError as e:
            tambah_galat_service(self, e)
        except PermissionDenied as e:
            self.add_error(None, str(e) or _("Anda tidak punya peran program di klaster ini."))


@admin.register(TransaksiTabungan)
class TransaksiTabunganAdmin(SimpleHistoryAdmin):
    form = TransaksiTabunganAdminForm
    actions = ["koreksi"]
    list_display = [
        "tanggal",
        "mitra",
        "kelompok",
        "jenis",
        "jumlah_rupiah",
        "koreksi_dari",
        "dicatat_oleh",
    ]
    list_filter = ["klaster", "jenis", "tanggal"]
    search_fields = ["mitra__nama", "kelompok__nama", "kelompok__kode"]
    list_select_related = ["mitra", "kelompok", "dicatat_oleh", "koreksi_dari"]
    raw_id_fields = ["mitra"]
    date_hierarchy = "tanggal"

    @admin.display(description=gettext_lazy("jumlah"), ordering="jumlah")
    def jumlah_rupiah(self, obj):
        return format_rupiah(obj.jumlah)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"pengguna": request.user})

    def get_fields(self, request, obj=None):
        if obj is None:
            return FIELDS_TAMBAH
        return [
            "uuid",
            "klaster",
            "kelompok",
            *FIELDS_TAMBAH,
            "koreksi_dari",
            "alasan",
            "dicatat_oleh",
            "dibuat",
        ]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return self.get_fields(request, obj)

    def save_model(self, request, obj, form, change):
        if change:
            return  # never edited
        # written by the service in the form's validation (its rules are the form's errors)
        obj.pk = form.tercatat.pk
        obj._state.adding = False

    def save_related(self, request, form, formsets, change):
        pass

    def has_change_permission(self, request, obj=None):
        # the change page is read-only; nothing is saved from it
        return super().has_change_permission(request, obj) if obj is None else False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=gettext_lazy("Koreksi (batalkan) entri terpilih"))
    def koreksi(self, request, queryset):
        for t in queryset.order_by("pk"):
            try:
                services.transaksi_koreksi(
                    transaksi=t, oleh=request.user, alasan=_("Dibatalkan lewat admin.")
                )
            except (ValidationError, PermissionDenied) as e:
                pesan = " ".join(e.messages) if isinstance(e, ValidationError) else str(e)
                self.message_user(request, f"{t}: {pesan}", messages.ERROR)
            else:
                self.message_user(request, _("%(t)s dibatalkan.") % {"t": t}, messages.SUCCESS)

"""Back office for financing. Financial records are never deleted, not even by a superuser;
amounts freeze once the money has left. A proposal added here goes through
bantuan.services.bantuan_ajukan and an approval through bantuan_setujui (an action), so the
rules (bantuan.aturan) and the role in the klaster are the pages' and the import's."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.admin import SimpleHistoryAdmin

from bantuan import aturan, services
from bantuan.models import Angsuran, Bantuan, JadwalAngsuran, SumberDana
from klaster import akses
from klaster.format import format_rupiah
from klaster.forms import tambah_galat_service

# what a proposal is made of: the fields of the add form, editable while it is proposed
FIELDS_PENGAJUAN = [
    "klaster",
    "mitra",
    "kelompok",
    "jenis",
    "sumber_dana",
    "jumlah",
    "tenor_bulan",
    "tanggal_pengajuan",
    "tujuan",
]
# the decision and what follows it are the services' (bantuan_setujui, _cairkan, ...)
FIELDS_ALUR = [
    "nomor",
    "status",
    "diajukan_oleh",
    "disetujui_oleh",
    "tanggal_keputusan",
    "tanggal_cair",
    "tanggal_hapus_buku",
    "tanggal_lunas",
]


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


class BantuanAdminForm(forms.ModelForm):
    """A proposal's rules (bantuan.aturan) and the user's role in its klaster, checked
    before anything is saved."""

    pengguna = None  # set by BantuanAdmin.get_form

    class Meta:
        model = Bantuan
        fields = FIELDS_PENGAJUAN

    def _post_clean(self):
        super()._post_clean()
        b = self.instance
        if self.errors or b.status not in ("", Bantuan.Status.DIAJUKAN):
            return
        if akses.peran_di(self.pengguna, b.klaster_id) is None:
            self.add_error(None, _("Anda tidak punya peran program di klaster ini."))
            return
        galat = aturan.periksa_pengajuan(
            klaster=b.klaster,
            jenis=b.jenis,
            jumlah=b.jumlah,
            tanggal_pengajuan=b.tanggal_pengajuan,
            hari_ini=timezone.localdate(),
            tenor_bulan=b.tenor_bulan,
            mitra=b.mitra,
            kelompok=b.kelompok,
            sumber_dana=b.sumber_dana,
        )
        if galat:
            tambah_galat_service(self, ValidationError(galat))


@admin.register(Bantuan)
class BantuanAdmin(SimpleHistoryAdmin):
    form = BantuanAdminForm
    actions = ["setujui"]
    list_display = [
        "nomor",
        "klaster",
        "mitra",
        "kelompok",
        "jenis",
        "sumber_dana",
        "jumlah_rupiah",
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

    @admin.display(description=gettext_lazy("jumlah"), ordering="jumlah")
    def jumlah_rupiah(self, obj):
        return format_rupiah(obj.jumlah)  # Rp1.500.000, as on every page

    def get_fields(self, request, obj=None):
        if obj is None:
            return FIELDS_PENGAJUAN  # a new financing is a proposal
        return [*FIELDS_ALUR, *FIELDS_PENGAJUAN, "alasan"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"pengguna": request.user})

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is None:
            return fields
        fields += [f for f in FIELDS_ALUR if f not in fields]
        if obj.status in Bantuan.STATUS_CAIR:
            fields += [f for f in self.FIELDS_BEKU_SETELAH_CAIR if f not in fields]
        if obj.status != Bantuan.Status.DIAJUKAN:
            # what was approved is what is paid: the proposal no longer changes
            fields += [f for f in FIELDS_PENGAJUAN if f not in fields]
        else:
            fields.append("klaster")  # its number runs in its klaster
        return fields

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        baru = services.bantuan_ajukan(
            oleh=request.user, **{f: getattr(obj, f) for f in FIELDS_PENGAJUAN}
        )
        obj.pk, obj.nomor = baru.pk, baru.nomor
        obj._state.adding = False

    @admin.action(description=gettext_lazy("Setujui pengajuan terpilih (hari ini)"))
    def setujui(self, request, queryset):
        for bantuan in queryset.order_by("pk"):
            try:
                services.bantuan_setujui(bantuan=bantuan, oleh=request.user)
            except (ValidationError, PermissionDenied) as e:
                pesan = " ".join(e.messages) if isinstance(e, ValidationError) else str(e)
                self.message_user(request, f"{bantuan.nomor}: {pesan}", messages.ERROR)
            else:
                self.message_user(
                    request, _("%(nomor)s disetujui.") % {"nomor": bantuan.nomor}, messages.SUCCESS
                )

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Angsuran)
class AngsuranAdmin(SimpleHistoryAdmin):
    """Repayments are recorded on the repayment page (bantuan.services.angsuran_catat, which
    enforces the principal cap under a row lock) and corrected by a reversing entry."""

    list_display = [
        "bantuan",
        "tanggal",
        "jumlah_rupiah",
        "dicatat_oleh",
        "koreksi_dari",
        "dibuat",
    ]
    list_filter = ["bantuan__klaster", "tanggal"]
    search_fields = ["bantuan__nomor", "bantuan__mitra__nama", "bantuan__kelompok__nama"]
    list_select_related = ["bantuan", "bantuan__mitra", "bantuan__kelompok", "dicatat_oleh"]
    raw_id_fields = ["bantuan", "dicatat_oleh", "koreksi_dari"]
    date_hierarchy = "tanggal"

    @admin.display(description=gettext_lazy("jumlah"), ordering="jumlah")
    def jumlah_rupiah(self, obj):
        return format_rupiah(obj.jumlah)  # a reversal reads -Rp150.000

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None:  # never edited: only the free-text reason may be completed
            fields += ["bantuan", "tanggal", "jumlah", "koreksi_dari", "dicatat_oleh"]
        return fields

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

"""Forms for financing pages. They parse input; the rules live in bantuan/services.py."""

from crispy_forms.helper import FormHelper
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bantuan.aturan import TENOR_MAKS
from bantuan.models import Bantuan, SumberDana
from kelompok.models import Kelompok
from klaster.aturan import TANGGAL_PALING_AWAL
from klaster.format import format_rupiah, format_tanggal
from klaster.forms import TombolUtama
from klaster.models import Klaster
from mitra.models import Mitra


def _uang(label, **kwargs):
    # localize: "1.500.000" as people write it in Indonesia
    return forms.DecimalField(
        label=label,
        max_digits=15,
        decimal_places=2,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        **kwargs,
    )


def _tanggal(label, **kwargs):
    return forms.DateField(
        label=label, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), **kwargs
    )


def _helper(tombol, css=None):
    helper = FormHelper()
    # the meeting screen's button, unless a form asks for another (a reversal is red)
    masukan = TombolUtama("submit", tombol)
    if css:
        masukan.field_classes = f"btn {css}"
    helper.add_input(masukan)
    return helper


def _konfirmasi(label):
    """A checkbox that must be ticked: the confirmation step of a decision (works without
    JavaScript, unlike a confirm() dialog)."""
    return forms.BooleanField(
        label=label,
        required=True,
        error_messages={"required": _("Centang kotak konfirmasi ini untuk melanjutkan.")},
    )


class AjukanForm(forms.Form):
    # the recipient is chosen by a search (bantuan:cari_penerima and the ajukan page's own
    # search form); these carry the chosen id, checked against the user's scope
    mitra = forms.ModelChoiceField(
        label=_("Mitra penerima"),
        queryset=Mitra.objects.none(),
        required=False,
        widget=forms.HiddenInput,
        error_messages={
            "invalid_choice": _("Mitra itu tidak bisa dipilih; cari penerima lagi di atas.")
        },
    )
    kelompok = forms.ModelChoiceField(
        label=_("Kelompok penerima"),
        queryset=Kelompok.objects.none(),
        required=False,
        widget=forms.HiddenInput,
        error_messages={
            "invalid_choice": _("Kelompok itu tidak bisa dipilih; cari penerima lagi di atas.")
        },
    )
    jenis = forms.ChoiceField(label=_("Jenis bantuan"), choices=Bantuan.Jenis.choices)
    sumber_dana = forms.ModelChoiceField(label=_("Sumber dana"), queryset=SumberDana.objects.none())
    # the limits (more than Rp0, the ceiling, 1..TENOR_MAKS months) are bantuan.aturan's,
    # checked by the service with the same message as the import and the admin
    jumlah = _uang(_("Jumlah (Rp)"))
    tenor_bulan = forms.IntegerField(
        label=_("Tenor (bulan)"),
        required=False,
        help_text=_("Hanya untuk modal bergulir, biasanya 12–24 bulan."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 1, "max": TENOR_MAKS}),
    )
    tanggal_pengajuan = _tanggal(_("Tanggal pengajuan"))
    tujuan = forms.CharField(label=_("Tujuan penggunaan"), max_length=255, required=False)

    def __init__(self, *args, user, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("tanggal_pengajuan", timezone.localdate())
        super().__init__(*args, **kwargs)
        klaster = Klaster.objects.visible_to(user).values("pk")
        self.fields["mitra"].queryset = Mitra.objects.visible_to(user).exclude(
            status=Mitra.Status.KELUAR
        )
        self.fields["kelompok"].queryset = Kelompok.objects.visible_to(user)
        # donors' funds are shared; a dana bergulir only within its own klaster
        self.fields["sumber_dana"].queryset = SumberDana.objects.filter(
            Q(klaster__isnull=True) | Q(klaster__in=klaster)
        ).order_by("nama")
        self.helper = _helper(_("Ajukan"))

    def clean(self):
        data = super().clean()
        if "mitra" in self.errors or "kelompok" in self.errors:
            return data
        if bool(data.get("mitra")) == bool(data.get("kelompok")):
            raise forms.ValidationError(
                _("Pilih satu penerima: seorang mitra atau satu kelompok, tidak keduanya.")
            )
        return data


class CariPenerimaForm(forms.Form):
    """The recipient search (GET): a name, a group code or the first digits of a NIK."""

    q = forms.CharField(
        label=_("Cari penerima"),
        required=False,
        max_length=100,
        help_text=_("Ketik nama mitra, nama atau kode kelompok, atau awal NIK."),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )

    def kata(self) -> str:
        return self.cleaned_data.get("q", "") if self.is_valid() else ""


class SetujuiForm(forms.Form):
    tanggal = _tanggal(_("Tanggal persetujuan"), required=False)

    def __init__(self, *args, bantuan: Bantuan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["konfirmasi"] = _konfirmasi(
            _(
                "Saya sudah memeriksa pinjaman lain, tunggakan, pendapatan dan dana yang "
                "tersedia di atas, dan menyetujui %(jumlah)s untuk %(penerima)s"
            )
            % {"jumlah": format_rupiah(bantuan.jumlah), "penerima": str(bantuan.penerima)}
        )


class TolakForm(forms.Form):
    alasan = forms.CharField(
        label=_("Alasan penolakan"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class CairkanForm(forms.Form):
    tanggal_cair = _tanggal(_("Tanggal cair"))

    def __init__(self, *args, bantuan: Bantuan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["konfirmasi"] = _konfirmasi(
            _("Saya memastikan %(jumlah)s diserahkan kepada %(penerima)s pada tanggal cair di atas")
            % {"jumlah": format_rupiah(bantuan.jumlah), "penerima": str(bantuan.penerima)}
        )


class HapusBukuForm(forms.Form):
    alasan = forms.CharField(
        label=_("Alasan hapus buku"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )
    tanggal = _tanggal(_("Tanggal hapus buku"), required=False)

    def __init__(self, *args, bantuan: Bantuan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["konfirmasi"] = _konfirmasi(
            _(
                "Saya mengerti: sisa pokok pinjaman ini dicatat sebagai kerugian, pinjaman "
                "keluar dari portofolio, dan hapus buku tidak bisa dibatalkan"
            )
        )


class AngsuranForm(forms.Form):
    jumlah = _uang(_("Jumlah dibayar (Rp)"))  # more than Rp0: bantuan.aturan, in the service
    tanggal = _tanggal(_("Tanggal bayar"))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("tanggal", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Simpan angsuran"))


class KoreksiForm(forms.Form):
    alasan = forms.CharField(
        label=_("Alasan koreksi"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("Contoh: jumlah salah ketik, seharusnya Rp150.000."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Batalkan angsuran ini"), css="btn-danger btn-lg w-100")


class PerTanggalForm(forms.Form):
    """The as-of date and klaster of a report page (GET).

    The klaster choices are a list the view already fetched (the user's klaster), so the
    form adds no query of its own.
    """

    per_tanggal = _tanggal(_("Per tanggal"), required=False)
    klaster = forms.TypedChoiceField(
        label=_("Klaster"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args, klaster_list, **kwargs):
        super().__init__(*args, **kwargs)
        self._klaster = {k.pk: k for k in klaster_list}
        self.fields["klaster"].choices = [("", "---------")] + [
            (k.pk, k.nama) for k in klaster_list
        ]

    def clean_per_tanggal(self):
        # year 1 overflowed the date arithmetic of the positions (HTTP 500)
        per_tanggal = self.cleaned_data.get("per_tanggal")
        if per_tanggal is not None and per_tanggal < TANGGAL_PALING_AWAL:
            raise forms.ValidationError(
                _("Per tanggal %(tanggal)s terlalu awal (paling awal %(batas)s); periksa tahunnya.")
                % {
                    "tanggal": format_tanggal(per_tanggal),
                    "batas": format_tanggal(TANGGAL_PALING_AWAL),
                }
            )
        return per_tanggal

    def nilai(self):
        """(per_tanggal, klaster or None), today when the date is missing or invalid."""
        data = self.cleaned_data if self.is_valid() else {}
        return (
            data.get("per_tanggal") or timezone.localdate(),
            self._klaster.get(data.get("klaster")),
        )

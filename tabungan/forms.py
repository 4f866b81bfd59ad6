"""Forms of group savings: a withdrawal (with its confirmation), a correction, and the
as-of date of a kelompok's balances. They parse; the rules are tabungan/aturan.py's, run
by the services."""

import uuid

from crispy_forms.helper import FormHelper
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from klaster.forms import TombolUtama


def _helper(tombol, css=None):
    helper = FormHelper()
    masukan = TombolUtama("submit", tombol)
    if css:
        masukan.field_classes = f"btn {css}"
    helper.add_input(masukan)
    return helper


class PenarikanForm(forms.Form):
    uuid = forms.UUIDField(widget=forms.HiddenInput)
    jumlah = forms.DecimalField(
        label=_("Jumlah ditarik (Rp)"),
        max_digits=15,
        decimal_places=2,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    tanggal = forms.DateField(
        label=_("Tanggal penarikan"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    catatan = forms.CharField(label=_("Catatan"), required=False, max_length=200)
    # the confirmation step: works without JavaScript, unlike a confirm() dialog
    konfirmasi = forms.BooleanField(
        label=_("Uang sudah diserahkan kepada anggota dan disaksikan pengurus kelompok."),
        required=True,
        error_messages={"required": _("Centang kotak konfirmasi ini untuk melanjutkan.")},
    )

    def __init__(self, *args, **kwargs):
        initial = kwargs.setdefault("initial", {})
        initial.setdefault("tanggal", timezone.localdate())
        initial.setdefault("uuid", uuid.uuid4())
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Catat penarikan"))


class KoreksiForm(forms.Form):
    alasan = forms.CharField(
        label=_("Alasan koreksi"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("Contoh: jumlah salah ketik, seharusnya Rp15.000."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Batalkan entri ini"), css="btn-danger btn-lg w-100")


class PerTanggalForm(forms.Form):
    per = forms.DateField(
        label=_("Saldo per tanggal"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

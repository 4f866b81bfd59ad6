from pathlib import Path

from django import forms
from django.utils.translation import gettext_lazy as _

from impor.baca import EKSTENSI
from klaster.akses import klaster_dikelola

UKURAN_MAKS = 15 * 1024 * 1024  # 15 MB: a 10,000-row mitra workbook is about 1 MB


class ImporForm(forms.Form):
    klaster = forms.ModelChoiceField(
        label=_("Klaster"),
        queryset=None,
        empty_label=None,
        help_text=_("Hanya klaster yang Anda kelola."),
    )
    berkas = forms.FileField(
        label=_("Berkas .xlsx atau .csv"),
        help_text=_("Gunakan templat; nama kolom lain yang umum juga dikenali."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["klaster"].queryset = klaster_dikelola(user).order_by("nama")
        self.fields["berkas"].widget.attrs["accept"] = ",".join(EKSTENSI)

    def clean_berkas(self):
        berkas = self.cleaned_data["berkas"]
        if Path(berkas.name).suffix.lower() not in EKSTENSI:
            raise forms.ValidationError(
                _("Unggah berkas .xlsx atau .csv; berkas .xls lama simpan ulang sebagai .xlsx.")
            )
        if berkas.size > UKURAN_MAKS:
            raise forms.ValidationError(_("Berkas lebih dari 15 MB; bagi menjadi beberapa berkas."))
        return berkas


class KonfirmasiForm(forms.Form):
    token = forms.CharField(max_length=64, widget=forms.HiddenInput)

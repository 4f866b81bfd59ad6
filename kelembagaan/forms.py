"""Forms parse input only; the rules are in kelembagaan.aturan, checked by the services."""

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from kelembagaan.models import TonggakLembaga
from klaster.forms import InputTanggal, TombolUtama


def _uang(label):
    # localize: "1.500.000" as people write it in Indonesia
    return forms.DecimalField(
        label=label,
        required=False,
        max_digits=15,
        decimal_places=2,
        min_value=0,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )


class TonggakForm(forms.Form):
    jenis = forms.ChoiceField(label=_("Tonggak"), choices=TonggakLembaga.Jenis.choices)
    tanggal = forms.DateField(label=_("Tanggal"), widget=InputTanggal())
    nomor = forms.CharField(
        label=_("Nomor"),
        required=False,
        max_length=200,
        help_text=_("Nomor akta notaris, nomor SK pengesahan, atau NIB (13 angka)."),
    )
    tahun_buku = forms.IntegerField(
        label=_("Tahun buku (RAT)"), required=False, min_value=1900, max_value=2999
    )
    jumlah_anggota = forms.IntegerField(
        label=_("Jumlah anggota menurut RAT"), required=False, min_value=0, max_value=10**7
    )
    simpanan_pokok = _uang(_("Total simpanan pokok menurut RAT (Rp)"))
    simpanan_wajib = _uang(_("Total simpanan wajib menurut RAT (Rp)"))
    keterangan = forms.CharField(label=_("Keterangan"), required=False, widget=forms.Textarea(
        attrs={"rows": 3}))  # fmt: skip
    berkas = forms.FileField(
        label=_("Dokumen (PDF, JPEG atau PNG, paling besar 10 MB)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.attrs = {"enctype": "multipart/form-data"}
        self.helper.add_input(TombolUtama("simpan", _("Simpan")))


class DokumenForm(forms.Form):
    berkas = forms.FileField(
        label=_("Dokumen (PDF, JPEG atau PNG, paling besar 10 MB)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )
    tonggak = forms.TypedChoiceField(label=_("Bukti untuk"), required=False, coerce=int,
                                     empty_value=None)  # fmt: skip

    def __init__(self, *args, lembaga, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tonggak"].choices = [("", _("Lembaga (umum)"))] + [
            (t.pk, str(t)) for t in lembaga.tonggak.order_by("tanggal", "pk")
        ]
        self.helper = FormHelper()
        self.helper.form_tag = False  # the page's <form> posts to kelembagaan:dokumen_unggah
        self.helper.add_input(TombolUtama("unggah", _("Unggah")))


class TahapForm(forms.Form):
    tanggal = forms.DateField(label=_("Tanggal keputusan"), widget=InputTanggal())
    catatan = forms.CharField(
        label=_("Catatan keputusan"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Wajib bila ada syarat yang belum terpenuhi: tulis alasannya."),
    )

    def __init__(self, *args, ke_label, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(
            TombolUtama("pindah", _("Pindahkan ke tahap %(t)s") % {"t": ke_label})
        )


class PeriksaSyaratForm(forms.Form):
    """GET: the checklist as of another date."""

    per_tanggal = forms.DateField(label=_("Hitung syarat per tanggal"), required=False,
                                  widget=InputTanggal())  # fmt: skip

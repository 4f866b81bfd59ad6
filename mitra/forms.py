from crispy_forms.helper import FormHelper
from crispy_forms.layout import Field, Layout, Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from kelompok.models import Kelompok
from klaster.forms import InputTanggal, PilihanDesa
from klaster.models import Klaster
from klaster.selectors import desa_klaster
from mitra.models import Mitra
from mitra.nik import periksa_nik


class MitraForm(forms.ModelForm):
    """Parses input only; the rules (NIK, duplicate, scope, region) live in mitra.services."""

    nik = forms.CharField(
        label=_("NIK"),
        max_length=30,
        help_text=_("16 digit dari KTP atau KK; spasi dan titik boleh, akan dihapus."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    konfirmasi_beda_nik = forms.BooleanField(
        label=_(
            "Data sudah saya periksa: simpan walaupun tanggal lahir atau jenis kelamin berbeda "
            "dengan NIK."
        ),
        required=False,
    )

    class Meta:
        model = Mitra
        fields = [
            "nik",
            "nama",
            "jenis_kelamin",
            "tanggal_lahir",
            "telepon",
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
        field_classes = {"desa": PilihanDesa}
        widgets = {
            "tanggal_lahir": InputTanggal(),
            "tanggal_bergabung": InputTanggal(),
            "tanggal_keluar": InputTanggal(),
            "telepon": forms.TextInput(attrs={"inputmode": "tel"}),
        }

    def __init__(self, *args, klaster: Klaster, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.klaster = klaster
        self.fields["kelompok"].queryset = (
            Kelompok.objects.visible_to(user).filter(klaster=klaster).order_by("kode")
        )
        self.fields["kelompok"].help_text = _("Kosongkan untuk calon mitra yang belum berkelompok.")
        self.fields["desa"].queryset = desa_klaster(klaster)
        self.helper = FormHelper()
        self.helper.layout = Layout(*[f for f in self.Meta.fields])
        self.helper.add_input(Submit("simpan", _("Simpan")))
        self._konfirmasi_tampil = False
        if self.data.get("konfirmasi_beda_nik"):
            self._tampilkan_konfirmasi()

    def clean_nik(self):
        hasil = periksa_nik(self.cleaned_data["nik"])
        if not hasil.valid:
            raise forms.ValidationError(hasil.galat)
        return hasil.nik

    def _post_clean(self):
        # No model validation here: mitra_buat/mitra_ubah validate with messages that say
        # what to fix (a duplicate NIK must not reveal a mitra outside the user's scope).
        pass

    def _tampilkan_konfirmasi(self):
        if not self._konfirmasi_tampil:
            self._konfirmasi_tampil = True
            posisi = self.Meta.fields.index("tanggal_lahir") + 1
            self.helper.layout.insert(posisi, Field("konfirmasi_beda_nik"))

    def minta_konfirmasi(self, error):
        """The NIK disagrees with the birth date or gender: show the warning and checkbox."""
        self._tampilkan_konfirmasi()
        self.add_error("konfirmasi_beda_nik", error)

    def data_service(self) -> dict:
        data = dict(self.cleaned_data)
        for kosong in ("telepon", "alamat", "jenis_usaha"):
            data[kosong] = data.get(kosong) or ""
        return data

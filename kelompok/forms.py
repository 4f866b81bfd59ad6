from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from kelompok.models import Kelompok, Lembaga
from klaster.forms import InputTanggal, PilihanDesa, TombolUtama
from klaster.models import Klaster
from klaster.selectors import desa_klaster


class KelompokForm(forms.ModelForm):
    """Parses input only; the rules live in kelompok.services."""

    class Meta:
        model = Kelompok
        fields = [
            "kode",
            "nama",
            "sektor",
            "desa",
            "tanggal_dibentuk",
            "usaha_kelompok",
            "status",
            "lembaga",
            "ketua",
        ]
        field_classes = {"desa": PilihanDesa}
        widgets = {"tanggal_dibentuk": InputTanggal()}

    def __init__(self, *args, klaster: Klaster, **kwargs):
        super().__init__(*args, **kwargs)
        self.klaster = klaster
        self.fields["desa"].queryset = desa_klaster(klaster)
        self.fields["lembaga"].queryset = Lembaga.objects.filter(klaster=klaster).order_by("nama")
        if self.instance.pk:
            # the leader is one of the members (a new kelompok has none yet)
            self.fields["ketua"].queryset = self.instance.anggota.order_by("nama")
        else:
            del self.fields["ketua"]
        self.helper = FormHelper()
        self.helper.add_input(TombolUtama("simpan", _("Simpan")))  # the meeting screen's

    def _post_clean(self):
        # No model validation here: kelompok_buat/kelompok_ubah check with clear messages.
        pass

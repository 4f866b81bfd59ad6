from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Field, Layout
from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kelompok.models import Kelompok
from klaster.forms import InputTanggal, PilihanDesa, TombolUtama
from klaster.models import Klaster
from klaster.selectors import desa_klaster
from mitra.models import Mitra
from mitra.nik import periksa_nik


class MitraForm(forms.ModelForm):
    """Parses input only; the rules (NIK, duplicate, scope, region) live in mitra.services."""

    nik = forms.CharField(
        label=_("NIK"),
        max_length=30,
        # mitra.nik's own message (the one the live check shows), not Django's
        error_messages={
            "required": _("NIK wajib diisi: 16 digit angka seperti tertulis di KTP atau KK.")
        },
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
        self.baru = self.instance.pk is None
        self.fields["kelompok"].queryset = (
            Kelompok.objects.visible_to(user).filter(klaster=klaster).order_by("kode")
        )
        self.fields["kelompok"].help_text = _("Kosongkan untuk calon mitra yang belum berkelompok.")
        self.fields["desa"].queryset = desa_klaster(klaster)
        # the NIK is checked while it is typed (static/js/mitra-nik.js, mitra:periksa_nik):
        # the birth date and gender it encodes fill their fields
        self.fields["nik"].widget.attrs.update(
            {
                "data-periksa": reverse("mitra:periksa_nik"),
                "data-kecuali": "" if self.baru else str(self.instance.pk),
                "aria-describedby": "id_nik_helptext nik-hasil",
                # what the script says, translated here ({...} filled in by the script)
                "data-teks-digit": _("{n} dari 16 digit."),
                "data-teks-cocok": _("NIK sesuai aturan: lahir {tanggal}, {jenis_kelamin}."),
                "data-teks-diisi": _(
                    "Tanggal lahir dan jenis kelamin diisi dari NIK; cocokkan dengan KTP."
                ),
                "data-teks-buka": _("Buka data {nama}"),
                "data-teks-gagal": _(
                    "NIK belum bisa diperiksa sekarang (tidak ada sambungan); NIK diperiksa "
                    "lagi saat disimpan."
                ),
            }
        )
        if self.baru:
            # a new member has not left: no exit date, no "keluar" status
            del self.fields["tanggal_keluar"]
            self.fields["status"].choices = [
                (nilai, label)
                for nilai, label in self.fields["status"].choices
                if nilai != Mitra.Status.KELUAR
            ]
            self.fields["pendapatan_awal"] = forms.DecimalField(
                label=_("Pendapatan bulanan saat bergabung (Rp)"),
                required=False,
                min_value=0,
                max_digits=15,
                decimal_places=2,
                localize=True,
                help_text=_(
                    "Boleh dikosongkan. Dicatat sebagai pengukuran baseline pada tanggal "
                    "bergabung; laporan dampak membandingkan pendapatan berikutnya dengan "
                    "angka ini."
                ),
                error_messages={
                    "invalid": _("Tulis pendapatan sebagai angka rupiah, misalnya 1.500.000."),
                    "min_value": _(
                        "Pendapatan tidak boleh di bawah nol; isi 0 atau lebih, atau "
                        "kosongkan bila belum diukur."
                    ),
                },
                widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
            )
        self.helper = FormHelper()
        self.helper.layout = self._susunan()
        self.helper.add_input(TombolUtama("simpan", _("Simpan")))
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

    def _susunan(self, *, konfirmasi: bool = False) -> Layout:
        """The fields in order; under the NIK a live region where mitra-nik.js reports its
        check; the NIK/birth-date confirmation after the birth date when it is asked."""
        isi = []
        for nama in self.fields:
            if nama == "konfirmasi_beda_nik":
                continue
            isi.append(nama)
            if nama == "nik":
                isi.append(
                    HTML('<div id="nik-hasil" class="nik-hasil mb-3" aria-live="polite"></div>')
                )
            if nama == "tanggal_lahir" and konfirmasi:
                isi.append(Field("konfirmasi_beda_nik"))
        return Layout(*isi)

    def _tampilkan_konfirmasi(self):
        if not self._konfirmasi_tampil:
            self._konfirmasi_tampil = True
            self.helper.layout = self._susunan(konfirmasi=True)

    def minta_konfirmasi(self, error):
        """The NIK disagrees with the birth date or gender: show the warning and checkbox."""
        self._tampilkan_konfirmasi()
        self.add_error("konfirmasi_beda_nik", error)

    def data_service(self) -> dict:
        data = dict(self.cleaned_data)
        for kosong in ("telepon", "alamat", "jenis_usaha"):
            data[kosong] = data.get(kosong) or ""
        return data

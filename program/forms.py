"""Forms of the programme pages (crispy, Bootstrap 5). They parse input only; the rules live
in program/aturan.py and run in program/services.py."""

import re
import uuid
from decimal import Decimal, InvalidOperation

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout
from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from bantuan.models import SumberDana
from kelompok.models import Kelompok
from klaster.forms import InputTanggal, PilihanDesa, TombolUtama
from klaster.models import Penugasan, Wilayah
from klaster.selectors import desa_klaster
from kunjungan.forms import RupiahField
from mitra.models import Mitra
from program.instrumen import DIMENSI, KUESIONER, NAMA_DIMENSI, PILIHAN_KUESIONER, SKALA
from program.models import KegiatanProgram, PihakLuar, PutaranSurvei, TautanPasar
from program.penilaian import DINILAI

FOTO_UKURAN_MAKS = 15 * 1024 * 1024


class JamField(forms.DecimalField):
    """Hours as a person types them: "2", "2,5" or "2.5"."""

    widget = forms.TextInput

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 5)
        kwargs.setdefault("decimal_places", 2)
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace(",", ".")
        if value in self.empty_values:
            return None
        if not re.fullmatch(r"\d{1,3}(\.\d{1,2})?", str(value)):
            raise ValidationError(_("Tulis lama kegiatan dalam jam, misalnya 2 atau 2,5."))
        try:
            return Decimal(str(value))
        except InvalidOperation as exc:
            raise ValidationError(_("Tulis lama kegiatan dalam jam, misalnya 2,5.")) from exc

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.pop("step", None)
        attrs["inputmode"] = "decimal"
        return attrs


class PilihanPengguna(forms.ModelChoiceField):
    """A user of the klaster; the user filling the form (the usual answer) is taken as is,
    without reading the list again."""

    pengguna = None

    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.username

    def to_python(self, value):
        if self.pengguna is not None and str(value) == str(self.pengguna.pk):
            return self.pengguna
        return super().to_python(value)


def petugas_klaster(klaster):
    """Users assigned to the klaster today (its facilitators and managers)."""
    return (
        get_user_model()
        .objects.filter(
            pk__in=Penugasan.objects.aktif().filter(klaster=klaster).values("pengguna_id")
        )
        .order_by("first_name", "username")
    )


def sumber_dana_klaster(klaster):
    return SumberDana.objects.filter(Q(klaster__isnull=True) | Q(klaster=klaster)).order_by("nama")


def _helper(*fields) -> FormHelper:
    helper = FormHelper()
    helper.layout = Layout(*fields)
    helper.add_input(TombolUtama("simpan", _("Simpan")))  # the meeting screen's button
    return helper


class PihakLuarForm(forms.ModelForm):
    class Meta:
        model = PihakLuar
        fields = ["nama", "jenis", "kontak", "desa", "kabupaten", "catatan"]
        field_classes = {"desa": PilihanDesa}
        widgets = {"catatan": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, klaster, **kwargs):
        super().__init__(*args, **kwargs)
        self.klaster = klaster
        self.fields["desa"].queryset = desa_klaster(klaster)
        provinsi = (klaster.kabupaten.induk_id or "").split(".")[0]
        self.fields["kabupaten"].queryset = Wilayah.objects.filter(
            tingkat=Wilayah.Tingkat.KABUPATEN, induk_id=provinsi
        ).order_by("nama")
        self.fields["kabupaten"].initial = klaster.kabupaten_id
        self.helper = _helper(*self.Meta.fields)

    def _post_clean(self):
        pass  # the service validates (program/aturan.py)


class KegiatanForm(forms.Form):
    """A programme activity. Attendance is the list `peserta` of mitra ids, ticked on the
    page grouped by kelompok (like the meeting screen)."""

    uuid = forms.UUIDField(widget=forms.HiddenInput)
    jenis = forms.ChoiceField(label=_("Jenis kegiatan"), choices=KegiatanProgram.Jenis.choices)
    judul = forms.CharField(label=_("Judul"), max_length=200)
    tanggal = forms.DateField(label=_("Tanggal"), widget=InputTanggal())
    kelompok = forms.ModelChoiceField(
        label=_("Kelompok"),
        queryset=Kelompok.objects.none(),
        required=False,
        help_text=_("Kosongkan bila kegiatan untuk beberapa kelompok atau seluruh klaster."),
    )
    desa = PilihanDesa(label=_("Desa"), queryset=Wilayah.objects.none(), required=False)
    fasilitator = PilihanPengguna(label=_("Fasilitator"), queryset=None)
    narasumber = forms.CharField(label=_("Narasumber"), max_length=200, required=False)
    jam = JamField(label=_("Lama (jam)"))
    biaya = RupiahField(label=_("Biaya"), required=False)
    sumber_dana = forms.ModelChoiceField(
        label=_("Sumber dana"), queryset=SumberDana.objects.none(), required=False
    )
    peserta = forms.TypedMultipleChoiceField(
        label=_("Peserta (mitra)"),
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": _(
                "Ada peserta yang bukan mitra klaster ini; muat ulang halaman lalu tandai lagi."
            )
        },
    )
    pihak_luar = forms.ModelMultipleChoiceField(
        label=_("Pihak luar yang hadir"),
        queryset=PihakLuar.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    catatan = forms.CharField(
        label=_("Catatan"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    foto = forms.ImageField(
        label=_("Foto kegiatan"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/*"}),
    )

    BIDANG_ATAS = ("jenis", "judul", "tanggal", "kelompok", "desa", "fasilitator", "narasumber",
                   "jam", "biaya", "sumber_dana")  # fmt: skip

    def __init__(self, *args, klaster, mitra, pengguna=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.klaster = klaster
        self.mitra = list(mitra)
        self.fields["kelompok"].queryset = Kelompok.objects.filter(klaster=klaster).order_by("kode")
        self.fields["desa"].queryset = desa_klaster(klaster)
        self.fields["fasilitator"].queryset = petugas_klaster(klaster)
        self.fields["fasilitator"].pengguna = pengguna
        self.fields["sumber_dana"].queryset = sumber_dana_klaster(klaster)
        self.fields["pihak_luar"].queryset = PihakLuar.objects.filter(klaster=klaster).order_by(
            "nama"
        )
        self.fields["peserta"].choices = [(m.pk, m.nama) for m in self.mitra]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def clean_foto(self):
        foto = self.cleaned_data.get("foto")
        if foto and foto.size > FOTO_UKURAN_MAKS:
            raise ValidationError(_("Foto lebih dari 15 MB; kirim foto yang lebih kecil."))
        return foto

    def kelompok_peserta(self):
        """The attendance list for the template: [(kelompok label, [(mitra, ticked)])]."""
        terpilih = {str(v) for v in (self["peserta"].value() or [])}
        grup: dict[str, list] = {}
        for m in self.mitra:
            label = f"{m.kelompok.kode} {m.kelompok.nama}" if m.kelompok_id else _("Tanpa kelompok")
            grup.setdefault(str(label), []).append((m, str(m.pk) in terpilih))
        return list(grup.items())

    def data_layanan(self) -> dict:
        d = self.cleaned_data
        dipilih = set(d.get("peserta") or [])
        return {
            "uuid": d["uuid"],
            "jenis": d["jenis"],
            "judul": d["judul"],
            "tanggal": d["tanggal"],
            "kelompok": d.get("kelompok"),
            "desa": d.get("desa"),
            "fasilitator": d.get("fasilitator"),
            "narasumber": d.get("narasumber") or "",
            "jam": d["jam"],
            "biaya": d.get("biaya"),
            "sumber_dana": d.get("sumber_dana"),
            "peserta": [m for m in self.mitra if m.pk in dipilih],
            "pihak_luar": list(d.get("pihak_luar") or []),
            "catatan": d.get("catatan") or "",
            "foto": d.get("foto") or None,
        }

    @staticmethod
    def uuid_baru() -> str:
        return str(uuid.uuid4())


class TautanForm(forms.ModelForm):
    nilai_per_bulan = RupiahField(label=_("Nilai per bulan"), required=False)

    class Meta:
        model = TautanPasar
        fields = [
            "pihak_luar",
            "jenis",
            "mitra",
            "kelompok",
            "komoditas",
            "tanggal_mulai",
            "tanggal_selesai",
            "nilai_per_bulan",
            "catatan",
        ]
        widgets = {
            "tanggal_mulai": InputTanggal(),
            "tanggal_selesai": InputTanggal(),
            "catatan": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, klaster, **kwargs):
        super().__init__(*args, **kwargs)
        self.klaster = klaster
        self.fields["pihak_luar"].queryset = PihakLuar.objects.filter(klaster=klaster).order_by(
            "nama"
        )
        self.fields["mitra"].queryset = (
            Mitra.objects.filter(klaster=klaster)
            .exclude(status=Mitra.Status.KELUAR)
            .order_by("nama", "pk")
        )
        self.fields["kelompok"].queryset = Kelompok.objects.filter(klaster=klaster).order_by("kode")
        self.fields["mitra"].help_text = _("Isi mitra ATAU kelompok, salah satu saja.")
        self.helper = _helper(*self.Meta.fields)

    def _post_clean(self):
        pass  # the service validates (program/aturan.py)


class PutaranForm(forms.ModelForm):
    class Meta:
        model = PutaranSurvei
        fields = ["nama", "jenis", "kuesioner", "tanggal_mulai", "tanggal_selesai"]
        widgets = {"tanggal_mulai": InputTanggal(), "tanggal_selesai": InputTanggal()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kuesioner"].choices = PILIHAN_KUESIONER
        self.helper = _helper(*self.Meta.fields)

    def _post_clean(self):
        pass


PILIHAN_LIKERT = [(n, f"{n}") for n in SKALA]


class JawabanForm(forms.Form):
    """One household's answers, one member per form on the survey screen. Field names are
    the same in every member's form (each is its own <form>); ids carry the member's id."""

    uuid = forms.UUIDField(widget=forms.HiddenInput)
    mitra = forms.TypedChoiceField(coerce=int, widget=forms.HiddenInput)
    tanggal = forms.DateField(
        label=_("Tanggal wawancara"), widget=InputTanggal(attrs={"class": "form-control"})
    )
    jumlah_anggota_keluarga = forms.IntegerField(
        label=_("Anggota rumah tangga"),
        min_value=1,
        max_value=30,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "form-control"}),
        error_messages={
            "min_value": _("Paling sedikit 1 orang."),
            "max_value": _("Paling banyak 30 orang; periksa angkanya."),
        },
    )
    pendapatan_rumah_tangga = RupiahField(
        label=_("Pendapatan rumah tangga per bulan"),
        help_text=_("Dari semua sumber: usaha, upah, kiriman keluarga, bantuan."),
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )

    def __init__(self, *args, putaran, anggota, **kwargs):
        super().__init__(*args, **kwargs)
        self.putaran = putaran
        self.kuesioner = KUESIONER[putaran.kuesioner]
        self.anggota = {m.pk: m for m in anggota}
        self.fields["mitra"].choices = [(m.pk, m.nama) for m in anggota]
        self.fields["mitra"].error_messages["invalid_choice"] = _(
            "Mitra ini bukan anggota kelompok; muat ulang halaman."
        )
        for b in self.kuesioner.modal_sosial:
            self.fields[f"ms_{b.kode}"] = forms.TypedChoiceField(
                label=b.teks,
                choices=PILIHAN_LIKERT,
                coerce=int,
                widget=forms.RadioSelect(attrs={"class": "btn-check", "autocomplete": "off"}),
                error_messages={"required": _("Pilih 1 sampai 5.")},
            )
        for b in self.kuesioner.spiritual:
            self.fields[b.kode] = forms.TypedChoiceField(
                label=b.nama,
                choices=[(i + 1, f"{i + 1}. {teks}") for i, teks in enumerate(b.pilihan)],
                coerce=int,
                widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
                error_messages={"required": _("Pilih salah satu.")},
            )

    def bidang_modal_sosial(self):
        """[(dimension label, [bound fields])] for the template."""
        return [
            (NAMA_DIMENSI[d], [self[f"ms_{b.kode}"] for b in self.kuesioner.butir_dimensi(d)])
            for d in DIMENSI
        ]

    def bidang_spiritual(self):
        return [self[b.kode] for b in self.kuesioner.spiritual]

    def data_layanan(self) -> dict:
        d = self.cleaned_data
        return {
            "uuid": d["uuid"],
            "mitra": self.anggota[d["mitra"]],
            "tanggal": d["tanggal"],
            "modal_sosial": {b.kode: d[f"ms_{b.kode}"] for b in self.kuesioner.modal_sosial},
            "spiritual": {b.kode: d[b.kode] for b in self.kuesioner.spiritual},
            "jumlah_anggota_keluarga": d["jumlah_anggota_keluarga"],
            "pendapatan_rumah_tangga": d["pendapatan_rumah_tangga"],
        }


class PenilaianForm(forms.Form):
    """The judged half of a maturity assessment; the computed half is shown read-only and
    computed again by the service on the assessment date."""

    tanggal = forms.DateField(label=_("Tanggal penilaian"), widget=InputTanggal())
    catatan = forms.CharField(
        label=_("Catatan"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for nama, (label, pilihan) in DINILAI.items():
            self.fields[nama] = forms.TypedChoiceField(
                label=label,
                coerce=int,
                choices=[(i + 1, teks) for i, teks in enumerate(pilihan)],
                widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
                error_messages={"required": _("Pilih skor untuk butir ini.")},
            )
        # the judged scores after the date, the note last
        self.order_fields(["tanggal", *DINILAI, "catatan"])
        self.fields["tanggal"].widget.attrs["class"] = "form-control"
        self.fields["catatan"].widget.attrs["class"] = "form-control"

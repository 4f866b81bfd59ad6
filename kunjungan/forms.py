"""Forms of the laporan app: the meeting screen (kunjungan) and the visit history filter."""

import datetime
import re
import uuid
from decimal import Decimal, InvalidOperation

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Max, Min
from django.utils.translation import gettext_lazy as _

from kelompok.models import Kelompok
from klaster.format import format_bulan
from kunjungan.aturan import CATATAN_MAKS
from kunjungan.models import Kunjungan

FOTO_UKURAN_MAKS = 15 * 1024 * 1024  # bytes; a phone photo is 2-8 MB


class RupiahField(forms.DecimalField):
    """An amount in rupiah as a person types it: "150000", "150.000", "Rp150.000" or
    "150.000,50" (Indonesian: dots group thousands, a comma starts the sen)."""

    widget = forms.TextInput

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 15)
        kwargs.setdefault("decimal_places", 2)
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            teks = re.sub(r"(?i)^\s*rp\.?", "", value).replace(" ", "").strip()
            if re.fullmatch(r"-?\d{1,3}(\.\d{3})+(,\d{1,2})?", teks):
                teks = teks.replace(".", "").replace(",", ".")
            elif re.fullmatch(r"-?\d+(,\d{1,2})?", teks):
                teks = teks.replace(",", ".")
            value = teks
        if value in self.empty_values:
            return None
        try:
            return Decimal(str(value))
        except InvalidOperation as exc:
            raise ValidationError(
                _("Tulis angka rupiah saja, misalnya 150000."), code="invalid"
            ) from exc

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.pop("step", None)
        attrs.update({"inputmode": "numeric", "autocomplete": "off"})
        return attrs


def _beri_kelas(field) -> None:
    """Bootstrap's class for the field's widget (once)."""
    w = field.widget
    if isinstance(w, forms.HiddenInput | forms.CheckboxSelectMultiple):
        return
    if isinstance(w, forms.CheckboxInput):
        css = "form-check-input"
    elif isinstance(w, forms.Select):
        css = "form-select"
    else:
        css = "form-control"
    if css not in w.attrs.get("class", "").split():
        w.attrs["class"] = f"{w.attrs.get('class', '')} {css}".strip()


class KunjunganForm(forms.Form):
    """The meeting screen: one page, one submit. It parses; the rules (the date within the
    klaster's lifetime, the notes' length: kunjungan.aturan) are checked by the service.

    Besides the fields below, each member of the kelompok gets `pendapatan_<id>` (an
    optional income reading) and, when they have an active revolving loan,
    `angsuran_<id>` (an optional instalment), and `tabungan_<id>` (an optional savings
    deposit, for a member marked present). Attendance is the list `hadir` of member ids.
    The form posts as plain multipart data, so it works without JavaScript and can be
    replayed by an offline queue: `uuid` makes a second send harmless.
    """

    uuid = forms.UUIDField(widget=forms.HiddenInput)
    tanggal = forms.DateField(
        label=_("Tanggal"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    jenis_kegiatan = forms.ChoiceField(
        label=_("Jenis kegiatan"), choices=Kunjungan.JenisKegiatan.choices
    )
    hadir = forms.TypedMultipleChoiceField(
        label=_("Hadir"),
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": _(
                "Ada orang yang ditandai hadir padahal bukan anggota kelompok ini; "
                "muat ulang halaman lalu tandai lagi."
            )
        },
    )
    ringkasan = forms.CharField(
        label=_("Ringkasan pertemuan"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": CATATAN_MAKS}),
    )
    kendala = forms.CharField(
        label=_("Kendala"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": CATATAN_MAKS}),
    )
    tindak_lanjut = forms.CharField(
        label=_("Tindak lanjut"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": CATATAN_MAKS}),
        help_text=_("Yang harus dikerjakan setelah pertemuan; muncul di beranda sampai selesai."),
    )
    foto = forms.ImageField(
        label=_("Foto kegiatan"),
        required=False,
        # no capture attribute: it would hide the gallery, and a photo is often taken first
        widget=forms.ClearableFileInput(attrs={"accept": "image/*"}),
    )
    simpan_lokasi_foto = forms.BooleanField(
        label=_("Simpan lokasi foto"),
        required=False,
        help_text=_("Tanpa centang ini, lokasi GPS di dalam foto dihapus."),
    )
    lokasi_lat = forms.DecimalField(
        required=False, max_digits=9, decimal_places=6, widget=forms.HiddenInput
    )
    lokasi_lon = forms.DecimalField(
        required=False, max_digits=9, decimal_places=6, widget=forms.HiddenInput
    )

    def __init__(self, *args, anggota, **kwargs):
        super().__init__(*args, **kwargs)
        self.anggota = anggota
        self.fields["hadir"].choices = [(m.pk, m.nama) for m in anggota]
        for m in anggota:
            self.fields[f"pendapatan_{m.pk}"] = RupiahField(
                label=_("Pendapatan sebulan"),
                required=False,
                error_messages={"min_value": _("Pendapatan tidak boleh di bawah nol.")},
            )
            self.fields[f"tabungan_{m.pk}"] = RupiahField(
                label=_("Setoran tabungan"), required=False
            )
        self.pasang_angsuran()
        for f in self.fields.values():
            _beri_kelas(f)

    def pasang_angsuran(self) -> None:
        """Add `angsuran_<id>` for each member whose `.pinjaman` is set. Called again by
        the view when it loaded the loans only after the form was made (a refused POST
        without instalments, redrawn with its instalment fields)."""
        for m in self.anggota:
            nama = f"angsuran_{m.pk}"
            if getattr(m, "pinjaman", None) is not None and nama not in self.fields:
                self.fields[nama] = RupiahField(
                    label=_("Angsuran %(nomor)s") % {"nomor": m.pinjaman.nomor},
                    required=False,
                )
                _beri_kelas(self.fields[nama])

    def tandai_galat(self) -> None:
        """Mark the widgets of fields with errors (Bootstrap's is-invalid)."""
        for name in self.errors:
            if name in self.fields:
                w = self.fields[name].widget
                w.attrs["class"] = f"{w.attrs.get('class', '')} is-invalid".strip()
                w.attrs["aria-invalid"] = "true"

    def clean_foto(self):
        foto = self.cleaned_data.get("foto")
        if foto and foto.size > FOTO_UKURAN_MAKS:
            raise ValidationError(_("Foto lebih dari 15 MB; kirim foto yang lebih kecil."))
        return foto

    def clean(self):
        data = super().clean()
        for m in self.anggota:
            nilai = data.get(f"pendapatan_{m.pk}")
            if nilai is not None and nilai < 0:
                self.add_error(
                    f"pendapatan_{m.pk}",
                    _("Pendapatan %(nama)s tidak boleh di bawah nol; isi 0 atau lebih.")
                    % {"nama": m.nama},
                )
            nilai = data.get(f"angsuran_{m.pk}")
            if nilai is not None and nilai <= 0:
                self.add_error(
                    f"angsuran_{m.pk}",
                    _("Angsuran %(nama)s harus lebih dari Rp0, atau kosongkan.") % {"nama": m.nama},
                )
            nilai = data.get(f"tabungan_{m.pk}")
            if nilai is not None and nilai <= 0:
                self.add_error(
                    f"tabungan_{m.pk}",
                    _("Setoran %(nama)s harus lebih dari Rp0, atau kosongkan.") % {"nama": m.nama},
                )
        return data

    def baris(self):
        """One row per member for the template: the member, their bound fields, checked
        state, errors."""
        self.tandai_galat()
        terpilih = {str(v) for v in (self["hadir"].value() or [])}
        hasil = []
        for m in self.anggota:
            pendapatan = self[f"pendapatan_{m.pk}"]
            angsuran = self[f"angsuran_{m.pk}"] if f"angsuran_{m.pk}" in self.fields else None
            tabungan = self[f"tabungan_{m.pk}"]
            galat = (
                list(pendapatan.errors)
                + (list(angsuran.errors) if angsuran else [])
                + list(tabungan.errors)
            )
            hasil.append(
                {
                    "mitra": m,
                    "hadir": str(m.pk) in terpilih,
                    "pendapatan": pendapatan,
                    "angsuran": angsuran,
                    "tabungan": tabungan,
                    "galat": galat,
                }
            )
        return hasil

    def data_layanan(self) -> dict:
        """The cleaned data as keyword arguments of `services.kunjungan_catat`."""
        d = self.cleaned_data
        return {
            "uuid": d["uuid"],
            "tanggal": d["tanggal"],
            "jenis_kegiatan": d["jenis_kegiatan"],
            "hadir": d.get("hadir") or [],
            "ringkasan": d.get("ringkasan", ""),
            "kendala": d.get("kendala", ""),
            "tindak_lanjut": d.get("tindak_lanjut", ""),
            "pendapatan": {
                m.pk: d[f"pendapatan_{m.pk}"]
                for m in self.anggota
                if d.get(f"pendapatan_{m.pk}") is not None
            },
            "angsuran": {
                m.pk: d[f"angsuran_{m.pk}"]
                for m in self.anggota
                if d.get(f"angsuran_{m.pk}") is not None
            },
            "tabungan": {
                m.pk: d[f"tabungan_{m.pk}"]
                for m in self.anggota
                if d.get(f"tabungan_{m.pk}") is not None
            },
            "foto": d.get("foto") or None,
            "simpan_lokasi_foto": bool(d.get("simpan_lokasi_foto")),
            "lokasi_lat": d.get("lokasi_lat"),
            "lokasi_lon": d.get("lokasi_lon"),
        }

    @staticmethod
    def uuid_baru() -> str:
        return str(uuid.uuid4())


def baca_bulan(teks) -> tuple[int, int] | None:
    """A month as the filter sends it, "2014-03", as (2014, 3); None for anything that is
    not a month of the years 1-9999 (year 0 made the history answer 500)."""
    m = re.fullmatch(r"([0-9]{4})-([0-9]{1,2})", str(teks or "").strip())
    if not m or not 1 <= int(m.group(1)) or not 1 <= int(m.group(2)) <= 12:
        return None
    return int(m.group(1)), int(m.group(2))


def validasi_bulan(teks) -> None:
    if teks and baca_bulan(teks) is None:
        raise ValidationError(
            _("Bulan tidak dikenal: pilih bulan dari daftar (tahun-bulan, misalnya 2014-03)."),
            code="bulan",
        )


class KunjunganFilter(django_filters.FilterSet):
    """Filters of the visit history: kelompok, fasilitator, jenis, bulan (YYYY-MM)."""

    kelompok = django_filters.ModelChoiceFilter(
        label=_("Kelompok"), queryset=Kelompok.objects.none()
    )
    fasilitator = django_filters.ModelChoiceFilter(
        label=_("Fasilitator"), queryset=None, method="filter_fasilitator"
    )
    jenis = django_filters.ChoiceFilter(
        label=_("Jenis"),
        field_name="jenis_kegiatan",
        choices=Kunjungan.JenisKegiatan.choices,
        empty_label=_("Semua jenis"),
    )
    bulan = django_filters.CharFilter(
        label=_("Bulan"),
        method="filter_bulan",
        validators=[validasi_bulan],
        # the months that have visits, newest first (a phone's month picker showed an
        # empty "--------- ----"): set in __init__
        widget=forms.Select,
    )

    class Meta:
        model = Kunjungan
        fields = ["kelompok", "fasilitator", "jenis", "bulan"]

    def __init__(self, *args, kelompok_qs, fasilitator_qs, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["kelompok"].queryset = kelompok_qs
        self.filters["fasilitator"].queryset = fasilitator_qs
        self.filters["kelompok"].extra["empty_label"] = _("Semua kelompok")
        self.filters["fasilitator"].extra["empty_label"] = _("Semua fasilitator")
        self.filters["bulan"].extra["widget"] = forms.Select(choices=self._pilihan_bulan())

    def _pilihan_bulan(self) -> list[tuple[str, str]]:
        """("2014-03", "Maret 2014") for every month from the newest visit in scope back to
        the oldest, and the month asked for even when it has none. One query."""
        rentang = self.queryset.order_by().aggregate(awal=Min("tanggal"), akhir=Max("tanggal"))
        pilihan = [("", str(_("Semua bulan")))]
        awal, akhir = rentang["awal"], rentang["akhir"]
        if awal and akhir:
            bulan = akhir.replace(day=1)
            while bulan >= awal.replace(day=1):
                pilihan.append((f"{bulan.year}-{bulan.month:02d}", format_bulan(bulan)))
                bulan = (bulan - datetime.timedelta(days=1)).replace(day=1)
        diminta = (self.data or {}).get("bulan", "")
        if diminta and diminta not in dict(pilihan):
            pilihan.append((diminta, diminta))
        return pilihan

    def filter_fasilitator(self, queryset, name, value):
        return queryset.filter(fasilitator=value) if value else queryset

    def filter_bulan(self, queryset, name, value):
        bulan = baca_bulan(value)  # validated by validasi_bulan: only a real month gets here
        if bulan is None:
            return queryset
        return queryset.filter(tanggal__year=bulan[0], tanggal__month=bulan[1])

import django_filters
from django.db.models import Q, Value
from django.db.models.functions import Concat
from django.utils.translation import gettext_lazy as _

from kelompok.models import Kelompok
from klaster import akses
from klaster.forms import pilihan_nama
from mitra import selectors
from mitra.models import JenisKelamin, Mitra, Sektor
from mitra.nik import normalisasi_nik


class MitraFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Cari nama atau NIK"), method="cari", help_text=None, max_length=100
    )
    klaster = django_filters.ModelChoiceFilter(
        label=_("Klaster"), queryset=None, empty_label=_("Semua")
    )
    kelompok = django_filters.ModelChoiceFilter(
        label=_("Kelompok"), queryset=None, empty_label=_("Semua")
    )
    sektor = django_filters.ChoiceFilter(
        label=_("Sektor"), choices=Sektor.choices, empty_label=_("Semua")
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Mitra.Status.choices, empty_label=_("Semua")
    )
    desa = django_filters.ModelChoiceFilter(label=_("Desa"), queryset=None, empty_label=_("Semua"))
    jenis_kelamin = django_filters.ChoiceFilter(
        label=_("Jenis kelamin"), choices=JenisKelamin.choices, empty_label=_("Semua")
    )

    class Meta:
        model = Mitra
        fields = []

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # choices come from the user's scope only, so a filter never lists another klaster
        klaster = selectors.klaster_terlihat(user)
        self.filters["klaster"].queryset = klaster
        self.filters["kelompok"].queryset = (
            Kelompok.objects.visible_to(user).select_related("klaster").order_by("kode")
        )
        self.filters["desa"].queryset = selectors.desa_bermitra(user)
        pilihan_nama(self.form.fields["klaster"], klaster)  # the form is built here
        self._batasi_pilihan(user)

    def _batasi_pilihan(self, user):
        """A national manager sees 3,200 kelompok and 400 desa: rendering each as an
        <option> took seconds per page (issue 8). For a user who sees every klaster, the
        kelompok and desa lists offer the chosen klaster's only (plus the current choice);
        any kelompok or desa in scope is still accepted, so links with ?kelompok= work."""
        if not akses.lihat_semua(user):
            return
        klaster_id = (self.data or {}).get("klaster", "")
        klaster_id = int(klaster_id) if str(klaster_id).isdecimal() else None
        for nama in ("kelompok", "desa"):
            field = self.form.fields[nama]
            terpilih = str((self.data or {}).get(nama, ""))
            if nama == "kelompok" and not terpilih.isdecimal():
                terpilih = ""
            qs = field.queryset
            if klaster_id is not None:
                qs = qs.filter(
                    Q(pk=terpilih or None)
                    | (
                        Q(klaster_id=klaster_id)
                        if nama == "kelompok"
                        else Q(pk__in=Mitra.objects.filter(klaster_id=klaster_id).values("desa"))
                    )
                )
            else:
                qs = qs.filter(pk=terpilih or None)
            pilihan = [("", field.empty_label or "---------")]
            pilihan += [(o.pk, field.label_from_instance(o)) for o in qs]
            field.widget.choices = pilihan
            if klaster_id is None:
                field.help_text = _("Pilih klaster dulu untuk memilih %(nama)s.") % {
                    "nama": field.label.lower()
                }

    def cari(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        angka = normalisasi_nik(value)
        if angka.isdigit() and len(angka) >= 4:
            cocok = queryset.filter(Q(nik__contains=angka) | Q(nama__icontains=value))
        else:
            cocok = queryset.filter(nama__icontains=value)
        # the same order, written as an expression that no index provides: PostgreSQL then
        # finds the few matches through the trigram index (mitra/migrations/0003) and sorts
        # them, instead of walking the name index from "A" and filtering 200,000 rows to
        # fill a page of 50 (186 ms -> 3 ms at 1000x for "Pepen", issue 18)
        return cocok.order_by(Concat("nama", Value("")), "pk")

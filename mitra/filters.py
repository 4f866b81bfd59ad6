import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kelompok.models import Kelompok
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

    def cari(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        angka = normalisasi_nik(value)
        if angka.isdigit() and len(angka) >= 4:
            return queryset.filter(Q(nik__contains=angka) | Q(nama__icontains=value))
        return queryset.filter(nama__icontains=value)

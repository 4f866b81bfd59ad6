import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kelompok.models import Kelompok
from klaster.models import Klaster
from mitra.models import Sektor


class KelompokFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Cari kode atau nama"), method="cari", max_length=100)
    klaster = django_filters.ModelChoiceFilter(
        label=_("Klaster"), queryset=None, empty_label=_("Semua")
    )
    sektor = django_filters.ChoiceFilter(
        label=_("Sektor"), choices=Sektor.choices, empty_label=_("Semua")
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Kelompok.Status.choices, empty_label=_("Semua")
    )

    class Meta:
        model = Kelompok
        fields = []

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["klaster"].queryset = Klaster.objects.visible_to(user).order_by("nama")

    def cari(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(kode__icontains=value) | Q(nama__icontains=value))

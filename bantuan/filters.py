import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from bantuan.models import Bantuan, SumberDana
from bantuan.selectors import KOLEKTIBILITAS
from kelompok.models import Kelompok
from klaster.models import Klaster


class BantuanFilter(django_filters.FilterSet):
    """Filters of the financing list. The kolektibilitas filter asks `pk_kolektibilitas(k)`
    for the ids of the running loans with kolektibilitas k (the view reads them from the
    positions it caches, issue 8), so the queryset needs no position annotations."""

    q = django_filters.CharFilter(
        label=_("Cari nomor atau penerima"), method="cari", max_length=100
    )
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Bantuan.Status.choices)
    jenis = django_filters.ChoiceFilter(label=_("Jenis"), choices=Bantuan.Jenis.choices)
    sumber_dana = django_filters.ModelChoiceFilter(label=_("Sumber dana"), queryset=None)
    kolektibilitas = django_filters.ChoiceFilter(
        label=_("Kolektibilitas"),
        choices=[(k, f"{k} – {nama}") for k, nama in KOLEKTIBILITAS.items()],
        method="filter_kolektibilitas",
    )
    kelompok = django_filters.ModelChoiceFilter(
        label=_("Kelompok"), queryset=None, method="filter_kelompok"
    )
    klaster = django_filters.ModelChoiceFilter(label=_("Klaster"), queryset=None)

    class Meta:
        model = Bantuan
        fields = []

    def __init__(self, *args, user, pk_kolektibilitas, **kwargs):
        super().__init__(*args, **kwargs)
        self.pk_kolektibilitas = pk_kolektibilitas
        # choices come from the user's scope only
        klaster = Klaster.objects.visible_to(user)
        self.filters["klaster"].queryset = klaster.order_by("nama")
        self.filters["kelompok"].queryset = Kelompok.objects.visible_to(user).order_by("kode")
        self.filters["sumber_dana"].queryset = SumberDana.objects.filter(
            Q(klaster__isnull=True) | Q(klaster__in=klaster.values("pk"))
        ).order_by("nama")

    def cari(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(nomor__icontains=value)
            | Q(mitra__nama__icontains=value)
            | Q(kelompok__nama__icontains=value)
        )

    def filter_kolektibilitas(self, queryset, name, value):
        return queryset.filter(pk__in=self.pk_kolektibilitas(int(value))) if value else queryset

    def filter_kelompok(self, queryset, name, value):
        # a group's own financing and its members'
        return queryset.filter(Q(kelompok=value) | Q(mitra__kelompok=value)) if value else queryset

import django_filters
from django.db.models import Q
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from bantuan.models import Bantuan, SumberDana
from bantuan.selectors import KOLEKTIBILITAS, saring_kolektibilitas
from kelompok.models import Kelompok
from klaster.forms import pilihan_nama
from klaster.models import Klaster


class BantuanFilter(django_filters.FilterSet):
    """Filters of the financing list. The kolektibilitas filter keeps the running loans
    with that kolektibilitas as of `per_tanggal` (bantuan.selectors.saring_kolektibilitas),
    so the queryset needs no position annotations."""

    q = django_filters.CharFilter(
        label=_("Cari nomor atau penerima"), method="cari", max_length=100
    )
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Bantuan.Status.choices)
    jenis = django_filters.ChoiceFilter(label=_("Jenis"), choices=Bantuan.Jenis.choices)
    sumber_dana = django_filters.ModelChoiceFilter(label=_("Sumber dana"), queryset=None)
    kolektibilitas = django_filters.ChoiceFilter(
        label=_("Kolektibilitas"),
        choices=[(k, format_lazy("{} – {}", k, nama)) for k, nama in KOLEKTIBILITAS.items()],
        method="filter_kolektibilitas",
    )
    kelompok = django_filters.ModelChoiceFilter(
        label=_("Kelompok"), queryset=None, method="filter_kelompok"
    )
    klaster = django_filters.ModelChoiceFilter(label=_("Klaster"), queryset=None)

    class Meta:
        model = Bantuan
        fields = []

    def __init__(self, *args, user, per_tanggal, **kwargs):
        super().__init__(*args, **kwargs)
        self.per_tanggal = per_tanggal
        self.user = user
        # choices come from the user's scope only
        klaster = Klaster.objects.visible_to(user)
        self.filters["klaster"].queryset = klaster.order_by("nama")
        # the whole scope validates ?kelompok=, so links to any kelompok in scope work
        self.filters["kelompok"].queryset = Kelompok.objects.visible_to(user).order_by("kode")
        self.filters["sumber_dana"].queryset = SumberDana.objects.filter(
            Q(klaster__isnull=True) | Q(klaster__in=klaster.values("pk"))
        ).order_by("nama")
        self._batasi_pilihan_kelompok()

    def _batasi_pilihan_kelompok(self):
        """Offer the kelompok of one klaster only (nationally there are thousands). The
        klaster list is read once here and reused for its own dropdown; with one klaster in
        scope its kelompok are offered at once, otherwise those of the chosen klaster, plus
        the kelompok already chosen."""
        data = self.data or {}
        klaster_field = self.form.fields["klaster"]
        kelompok_field = self.form.fields["kelompok"]
        klaster_list = list(klaster_field.queryset.values_list("pk", "nama"))
        pilihan_nama(klaster_field, klaster_list)
        pilihan_nama(self.form.fields["sumber_dana"], self.form.fields["sumber_dana"].queryset)
        dipilih = str(data.get("klaster", ""))
        if len(klaster_list) == 1:
            klaster_id = klaster_list[0][0]
        elif dipilih.isdecimal() and int(dipilih) in {pk for pk, _nama in klaster_list}:
            klaster_id = int(dipilih)
        else:
            klaster_id = None
        terpilih = str(data.get("kelompok", ""))
        syarat = Q(pk=int(terpilih)) if terpilih.isdecimal() else Q()
        if klaster_id is not None:
            syarat = syarat | Q(klaster_id=klaster_id) if syarat else Q(klaster_id=klaster_id)
        else:
            kelompok_field.help_text = _("Pilih klaster dulu untuk menyaring per kelompok.")
        pilihan = [("", kelompok_field.empty_label or "---------")]
        if syarat:  # nothing chosen and no klaster: no query, just the empty choice
            pilihan += [
                (g.pk, kelompok_field.label_from_instance(g))
                for g in kelompok_field.queryset.filter(syarat)
            ]
        kelompok_field.widget.choices = pilihan

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
        if not value:
            return queryset
        return saring_kolektibilitas(queryset, int(value), per_tanggal=self.per_tanggal)

    def filter_kelompok(self, queryset, name, value):
        # a group's own financing and its members'
        return queryset.filter(Q(kelompok=value) | Q(mitra__kelompok=value)) if value else queryset

"""Filters of the API lists: the web list pages' own FilterSets (so `?sektor=`, `?klaster=`,
`?q=` mean the same on both), plus two small ones for lists the web has no page for."""

import datetime

import django_filters
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import serializers

from bantuan.models import Angsuran
from klaster.aturan import TANGGAL_PALING_AWAL
from mitra.models import PengukuranPendapatan


class SaringanWeb(DjangoFilterBackend):
    """DjangoFilterBackend that hands the FilterSet what the web's list view hands it (the
    user, the as-of date...): `view.saringan_kwargs()`. A value the FilterSet refuses is a
    400 naming the parameter."""

    def get_filterset_kwargs(self, request, queryset, view):
        kwargs = super().get_filterset_kwargs(request, queryset, view)
        kwargs.update(view.saringan_kwargs())
        return kwargs


def per_tanggal_dari(request, nama: str = "per_tanggal") -> datetime.date:
    """The as-of date of a position (`?per_tanggal=YYYY-MM-DD`, default today)."""
    mentah = request.query_params.get(nama, "")
    if not mentah:
        return timezone.localdate()
    try:
        tanggal = datetime.date.fromisoformat(mentah)
    except ValueError:
        tanggal = None
    if tanggal is None or len(mentah) != 10 or tanggal < TANGGAL_PALING_AWAL:
        raise serializers.ValidationError(
            {
                nama: [
                    _(
                        "Tulis tanggal sebagai TTTT-BB-HH (misalnya 2014-03-06), tidak sebelum "
                        "%(awal)s."
                    )
                    % {"awal": TANGGAL_PALING_AWAL.isoformat()}
                ]
            }
        )
    return tanggal


ID_MAKS = 2**63 - 1  # the largest id a database column holds: a bigger one finds nothing


def _saringan_id(field_name: str, label) -> django_filters.NumberFilter:
    return django_filters.NumberFilter(
        field_name=field_name, label=label, min_value=1, max_value=ID_MAKS, decimal_places=0
    )


class _SaringanTanggal(django_filters.FilterSet):
    dari = django_filters.DateFilter(
        field_name="tanggal", lookup_expr="gte", label=gettext_lazy("Dari tanggal")
    )
    sampai = django_filters.DateFilter(
        field_name="tanggal", lookup_expr="lte", label=gettext_lazy("Sampai tanggal")
    )


class AngsuranFilter(_SaringanTanggal):
    """Instalments of a loan, a mitra or a klaster, in a period (the web shows them on each
    loan's page)."""

    bantuan = _saringan_id("bantuan_id", gettext_lazy("Bantuan"))
    mitra = _saringan_id("bantuan__mitra_id", gettext_lazy("Mitra"))
    klaster = _saringan_id("bantuan__klaster_id", gettext_lazy("Klaster"))

    class Meta:
        model = Angsuran
        fields = []


class PengukuranFilter(_SaringanTanggal):
    """Income readings of a mitra, a kelompok or a klaster, by kind and period (the web
    shows them on each mitra's page)."""

    mitra = _saringan_id("mitra_id", gettext_lazy("Mitra"))
    kelompok = _saringan_id("mitra__kelompok_id", gettext_lazy("Kelompok"))
    klaster = _saringan_id("mitra__klaster_id", gettext_lazy("Klaster"))
    jenis = django_filters.ChoiceFilter(
        choices=PengukuranPendapatan.Jenis.choices, label=gettext_lazy("Jenis")
    )

    class Meta:
        model = PengukuranPendapatan
        fields = []

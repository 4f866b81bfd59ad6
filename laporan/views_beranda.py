"""Home pages and the klaster pages: what each role sees first."""

from django.contrib.auth.decorators import login_required
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import render
from django.views.decorators.http import require_GET

from kelompok.models import Kelompok
from klaster import akses
from klaster.models import Klaster
from mitra.models import Mitra


@login_required
@require_GET
def beranda(request):
    """Home: the manager's dashboard or the facilitator's day, by role."""
    # the role held in the klaster: a "Manajer Program" member assigned only as fasilitator
    # gets the facilitator's day
    peran = akses.peran_tertinggi(request.user)
    if peran == akses.MANAJER:
        return _beranda_manajer(request)
    if peran == akses.FASILITATOR:
        return _beranda_fasilitator(request)
    return _beranda_umum(request)


def _beranda_manajer(request):
    # the programme dashboard: cards and charts over the manager's klaster
    from laporan.views import dasbor_manajer

    return dasbor_manajer(request)


def _beranda_fasilitator(request):
    # the facilitator's day: visits by risk, open follow-ups, my kelompok
    from kunjungan.views import beranda_fasilitator

    return beranda_fasilitator(request)


def _beranda_umum(request):
    klaster = Klaster.objects.visible_to(request.user).select_related("kabupaten")
    return render(request, "klaster/beranda.html", {"klaster_list": klaster})


@login_required
@require_GET
def klaster_list(request):
    # counted in subqueries: joining kelompok and mitra together would multiply the rows
    # (32 kelompok x 324 mitra per klaster) before counting them
    klaster = (
        Klaster.objects.visible_to(request.user)
        .select_related("kabupaten")
        .annotate(jumlah_kelompok=_jumlah_per_klaster(Kelompok))
        .annotate(jumlah_mitra=_jumlah_per_klaster(Mitra))
        .order_by("nama")
    )
    return render(request, "klaster/list.html", {"klaster_list": klaster})


def _jumlah_per_klaster(model):
    per_klaster = (
        model.objects.filter(klaster=OuterRef("pk"))
        .order_by()
        .values("klaster")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(per_klaster, output_field=IntegerField()), 0)


@login_required
@require_GET
def klaster_detail(request, pk):
    klaster = akses.get_visible_or_404(Klaster, request.user, pk=pk)
    kecamatan = list(klaster.kecamatan.order_by("kode"))
    kelompok = list(
        klaster.kelompok.select_related("desa", "lembaga")
        .annotate(jumlah_anggota=Count("anggota"))
        .order_by("kode")
    )
    jumlah_mitra = klaster.mitra.count()
    return render(
        request,
        "klaster/detail.html",
        {
            "klaster": klaster,
            "kecamatan": kecamatan,
            "kelompok_list": kelompok,
            "jumlah_mitra": jumlah_mitra,
            "boleh_tambah": akses.boleh_menulis_di(request.user, klaster),
        },
    )

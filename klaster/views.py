from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.views.decorators.http import require_GET

from klaster import akses
from klaster.models import Klaster


@login_required
@require_GET
def beranda(request):
    """Home: the manager's dashboard or the facilitator's day, by role."""
    if akses.is_manajer(request.user):
        return _beranda_manajer(request)
    if akses.is_fasilitator(request.user):
        return _beranda_fasilitator(request)
    return _beranda_umum(request)


def _beranda_manajer(request):
    # the programme dashboard: cards and charts over the manager's klaster
    from laporan.views import dasbor_manajer

    return dasbor_manajer(request)


def _beranda_fasilitator(request):
    # the facilitator's day: visits by risk, open follow-ups, my kelompok
    from laporan.views_kunjungan import beranda_fasilitator

    return beranda_fasilitator(request)


def _beranda_umum(request):
    klaster = Klaster.objects.visible_to(request.user).select_related("kabupaten")
    return render(request, "klaster/beranda.html", {"klaster_list": klaster})


@login_required
@require_GET
def klaster_list(request):
    klaster = (
        Klaster.objects.visible_to(request.user)
        .select_related("kabupaten")
        .annotate(jumlah_kelompok=Count("kelompok", distinct=True))
        .annotate(jumlah_mitra=Count("mitra", distinct=True))
        .order_by("nama")
    )
    return render(request, "klaster/list.html", {"klaster_list": klaster})


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
    lembaga = list(klaster.lembaga.annotate(jumlah_kelompok=Count("kelompok")).order_by("nama"))
    jumlah_mitra = klaster.mitra.count()
    return render(
        request,
        "klaster/detail.html",
        {
            "klaster": klaster,
            "kecamatan": kecamatan,
            "kelompok_list": kelompok,
            "lembaga_list": lembaga,
            "jumlah_mitra": jumlah_mitra,
        },
    )


# Error pages in Indonesian that show no internals.
def galat_400(request, exception=None):
    return render(request, "galat/400.html", status=400)


def galat_403(request, exception=None):
    return render(request, "galat/403.html", status=403)


def galat_404(request, exception=None):
    return render(request, "galat/404.html", status=404)


def galat_500(request):
    # Rendered without the request: no context processor runs, so this page still shows
    # when the database (sessions, users, roles) is what failed.
    return HttpResponseServerError(loader.render_to_string("galat/500.html"))

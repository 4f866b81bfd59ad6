"""Home pages and the klaster pages: what each role sees first."""

from django.contrib.auth.decorators import login_required
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from kelompok.models import Kelompok
from klaster import akses
from klaster.models import Klaster
from kunjungan import selectors as kunjungan_selectors
from mitra.models import Mitra

# The facilitator's agenda fits about three phone screens (issue 15): how many rows of each
# list before "lihat semua" opens the whole list
BERANDA_RENCANA = 5  # kelompok still to visit this week
BERANDA_SUDAH = 3  # kelompok visited this week (the latest visits)
BERANDA_TINDAK_LANJUT = 5
BERANDA_TINDAK_LANJUT_SEMUA = 100


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
    """The facilitator's day as an agenda: this week's visits by risk (the ones done marked
    and moved down), the newest open follow-ups, "Kelompok saya" one tap away, the rest
    behind "lihat semua"."""
    hari_ini = timezone.localdate()
    rencana = kunjungan_selectors.rencana_kunjungan(request.user, per_tanggal=hari_ini)
    semua = request.GET.get("semua", "")
    semua_rencana = semua == "rencana"
    batas_tl = BERANDA_TINDAK_LANJUT_SEMUA if semua == "tindak-lanjut" else BERANDA_TINDAK_LANJUT
    # one more than shown, to know whether there are more
    tindak_lanjut = kunjungan_selectors.tindak_lanjut_terbuka(request.user, batas=batas_tl + 1)
    # still to visit, riskiest first; then the ones visited this week, the latest visit last
    # (so the kelompok visited minutes ago is at the bottom, marked)
    belum = [r for r in rencana["kunjungi"] if not r.sudah_dikunjungi]
    sudah = [r for r in rencana["kunjungi"] if r.sudah_dikunjungi]
    belum_tampil = belum if semua_rencana else belum[:BERANDA_RENCANA]
    sudah_tampil = sudah if semua_rencana else sudah[-BERANDA_SUDAH:]
    return render(
        request,
        "laporan/beranda_fasilitator.html",
        {
            "hari_ini": hari_ini,
            "kelompok_saya": rencana["kelompok_saya"],
            "belum": belum_tampil,
            "sudah": sudah_tampil,
            "kunjungi": belum_tampil + sudah_tampil,
            "kunjungi_total": len(belum) + len(sudah),
            "kunjungi_belum": len(belum),
            "kunjungi_sudah": len(sudah),
            "kunjungi_terpotong": len(belum_tampil) + len(sudah_tampil) < len(belum) + len(sudah),
            "tindak_lanjut": tindak_lanjut[:batas_tl],
            "tindak_lanjut_lagi": len(tindak_lanjut) > batas_tl,
            "hari_belum_dikunjungi": kunjungan_selectors.HARI_BELUM_DIKUNJUNGI,
        },
    )


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

"""Pages of group savings: a kelompok's balances as of a date, a withdrawal and a
correction (the manajer's). Thin: scope, role, form, service, message, redirect."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from kelompok.models import Kelompok
from klaster import akses
from klaster.forms import tambah_galat_service
from mitra.models import Mitra
from tabungan import selectors, services
from tabungan.forms import KoreksiForm, PenarikanForm, PerTanggalForm
from tabungan.models import TransaksiTabungan


@login_required
@require_GET
def kelompok_saldo(request, pk):
    """Each member's balance and the kelompok's as of a date (today unless ?per= says
    otherwise): three queries after the session's."""
    kelompok = get_object_or_404(
        Kelompok.objects.visible_to(request.user).select_related("klaster"), pk=pk
    )
    akses.require_petugas_di(request.user, kelompok.klaster_id)
    form = PerTanggalForm(request.GET or None)
    per = timezone.localdate()
    if form.is_valid() and form.cleaned_data["per"]:
        per = form.cleaned_data["per"]
    saldo = selectors.saldo_per_mitra(kelompok.pk, per)
    anggota = list(
        Mitra.objects.filter(pk__in=saldo.keys()).order_by("nama", "pk").values("pk", "nama")
        if saldo
        else []
    )
    for m in anggota:
        m["saldo"] = saldo[m["pk"]]
    ringkas = selectors.saldo_kelompok(kelompok.pk, per)
    return render(
        request,
        "tabungan/kelompok.html",
        {"kelompok": kelompok, "form": form, "per": per, "anggota": anggota, "ringkas": ringkas},
        status=200 if form.is_valid() or not form.is_bound else 422,
    )


def _mitra_untuk(request, pk) -> Mitra:
    return get_object_or_404(
        Mitra.objects.visible_to(request.user).select_related("kelompok"), pk=pk
    )


@login_required
@require_http_methods(["GET", "POST"])
def penarikan(request, pk):
    """A member's withdrawal, by the manajer of the member's klaster, confirmed by a
    ticked box."""
    mitra = _mitra_untuk(request, pk)
    akses.require_manajer_di(request.user, mitra.klaster_id)
    saldo = selectors.saldo_mitra(mitra.pk)
    form = PenarikanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.penarikan_catat(
                oleh=request.user,
                mitra=mitra,
                tanggal=d["tanggal"],
                jumlah=d["jumlah"],
                uuid=d["uuid"],
                catatan=d["catatan"],
            )
        except ValidationError as e:
            tambah_galat_service(form, e)
        else:
            messages.success(request, _("Penarikan tabungan tercatat."))
            return redirect(mitra)
    return render(
        request,
        "tabungan/penarikan.html",
        {"mitra": mitra, "form": form, "saldo": saldo},
        status=422 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def koreksi(request, pk):
    """Reverse a savings entry with a reason (never an edit or a delete): the manajer's."""
    transaksi = get_object_or_404(
        TransaksiTabungan.objects.visible_to(request.user).select_related("mitra"), pk=pk
    )
    akses.require_manajer_di(request.user, transaksi.klaster_id)
    form = KoreksiForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.transaksi_koreksi(
                transaksi=transaksi, oleh=request.user, alasan=form.cleaned_data["alasan"]
            )
        except ValidationError as e:
            tambah_galat_service(form, e)
        else:
            messages.success(request, _("Entri tabungan dibatalkan dengan entri koreksi."))
            return redirect(transaksi.mitra)
    return render(
        request,
        "tabungan/koreksi.html",
        {"transaksi": transaksi, "form": form},
        status=422 if request.method == "POST" else 200,
    )

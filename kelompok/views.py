from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from kelompok import selectors, services
from kelompok.filters import KelompokFilter
from kelompok.forms import KelompokForm
from klaster import akses
from klaster.forms import PilihKlasterForm, tambah_galat_service
from mitra.views import tujuan_tambah

PER_HALAMAN = 50


def _kelompok_terlihat(request, pk):
    # outside the user's scope answers 404, never 403
    return get_object_or_404(selectors.kelompok_untuk_detail(request.user), pk=pk)


@login_required
@require_GET
def kelompok_list(request):
    akses.require_petugas(request.user)  # groups and their members: the programme's staff only
    filter_ = KelompokFilter(
        request.GET, queryset=selectors.kelompok_daftar(request.user), user=request.user
    )
    halaman = Paginator(filter_.qs, PER_HALAMAN).get_page(request.GET.get("halaman"))
    parameter = request.GET.copy()
    parameter.pop("halaman", None)
    return render(
        request,
        "kelompok/list.html",
        {
            "filter": filter_,
            "halaman": halaman,
            "kelompok_list": halaman.object_list,
            "parameter": parameter.urlencode(),
            "boleh_tambah": akses.boleh_menulis(request.user),
        },
    )


@login_required
@require_GET
def kelompok_detail(request, pk):
    kelompok = _kelompok_terlihat(request, pk)
    akses.require_petugas_di(request.user, kelompok.klaster_id)
    anggota = selectors.anggota_kelompok(kelompok)
    konteks = {
        "kelompok": kelompok,
        "anggota_list": anggota,
        "jumlah_perempuan": sum(1 for m in anggota if m.jenis_kelamin == "P"),
        "boleh_ubah": akses.boleh_menulis_di(request.user, kelompok.klaster_id),
        # the latest visits (one more tells whether older ones exist: the page links to
        # the full, paginated visit list instead of growing with every meeting)
    }
    return render(request, "kelompok/detail.html", konteks)


@login_required
@require_http_methods(["GET", "POST"])
def kelompok_tambah(request):
    akses.require_petugas(request.user)
    klaster, _kelompok = tujuan_tambah(request)
    if klaster is None:
        return render(
            request,
            "mitra/pilih_klaster.html",
            {"form": PilihKlasterForm(user=request.user), "judul": _("Tambah kelompok")},
        )
    akses.require_petugas_di(request.user, klaster)
    form = KelompokForm(
        request.POST or None, klaster=klaster, initial={"tanggal_dibentuk": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            kelompok = services.kelompok_buat(
                oleh=request.user, klaster=klaster, **form.cleaned_data
            )
        except ValidationError as e:
            tambah_galat_service(form, e)
        else:
            messages.success(request, _("Kelompok %(nama)s terbentuk.") % {"nama": kelompok})
            return redirect(kelompok)
    return render(
        request,
        "kelompok/form.html",
        {"form": form, "klaster": klaster, "judul": _("Tambah kelompok")},
        status=422 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def kelompok_ubah(request, pk):
    kelompok = _kelompok_terlihat(request, pk)
    akses.require_petugas_di(request.user, kelompok.klaster_id)
    form = KelompokForm(request.POST or None, instance=kelompok, klaster=kelompok.klaster)
    if request.method == "POST" and form.is_valid():
        try:
            kelompok = services.kelompok_ubah(
                kelompok=kelompok, oleh=request.user, **form.cleaned_data
            )
        except ValidationError as e:
            tambah_galat_service(form, e)
        else:
            messages.success(request, _("Data kelompok %(nama)s tersimpan.") % {"nama": kelompok})
            return redirect(kelompok)
    return render(
        request,
        "kelompok/form.html",
        {
            "form": form,
            "klaster": kelompok.klaster,
            "kelompok": kelompok,
            "judul": _("Ubah kelompok"),
        },
        status=422 if request.method == "POST" else 200,
    )

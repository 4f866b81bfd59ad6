"""The exit report (laporan akhir program): its page, PDF and XLSX, and the manager's
narrative. Klaster through the user's scope (404 outside it); the page for everyone working
in the klaster, the files and the narrative for its managers."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from kelembagaan import services as kelembagaan_services
from klaster import akses
from klaster.forms import InputTanggal, tambah_galat_service
from klaster.models import Klaster
from laporan import akhir
from laporan.views import ID_MAKS


class PeriodeForm(forms.Form):
    klaster = forms.IntegerField(min_value=1, max_value=ID_MAKS, widget=forms.HiddenInput)
    dari = forms.DateField(label=_("Dari tanggal"), required=False, widget=InputTanggal())
    sampai = forms.DateField(label=_("Sampai tanggal"), required=False, widget=InputTanggal())


class NaskahForm(forms.Form):
    pelajaran = forms.CharField(
        label=_("Pelajaran yang dipetik"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    rekomendasi = forms.CharField(
        label=_("Rekomendasi untuk pemerintah kabupaten"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )


def _permintaan(request, data):
    """(klaster, dari, sampai, period form) from the query or the POST; 404 outside the
    scope; a bad date comes back on the form (klaster None)."""
    if not data.get("klaster"):
        return None, None, None, PeriodeForm()
    form = PeriodeForm(data)
    if not form.is_valid():
        if "klaster" in form.errors:
            raise Http404
        return None, None, None, form
    klaster = akses.get_visible_or_404(Klaster, request.user, pk=form.cleaned_data["klaster"])
    dari, sampai = akhir.periode_bawaan(klaster, timezone.localdate())
    dari = form.cleaned_data["dari"] or dari
    sampai = form.cleaned_data["sampai"] or sampai
    if dari > sampai:
        form.add_error("dari", _("Tanggal awal periode sesudah tanggal akhirnya."))
        return klaster, None, None, form
    return klaster, dari, sampai, form


def _query(klaster, dari, sampai) -> str:
    return f"klaster={klaster.pk}&dari={dari.isoformat()}&sampai={sampai.isoformat()}"


@login_required
@require_GET
def akhir_halaman(request):
    akses.require_petugas(request.user)
    klaster, dari, sampai, form = _permintaan(request, request.GET)
    if klaster is None and not form.errors:
        # no klaster chosen: the klaster the user sees, to choose from
        daftar = list(Klaster.objects.visible_to(request.user).order_by("nama"))
        return render(request, "laporan/akhir/pilih.html", {"klaster_list": daftar})
    if klaster is None or dari is None:
        return render(request, "laporan/akhir/halaman.html",
                      {"form": form, "klaster": klaster}, status=422)  # fmt: skip
    akses.require_petugas_di(request.user, klaster)
    la = akhir.susun(klaster, dari=dari, sampai=sampai)
    boleh = akses.peran_di(request.user, klaster) == akses.MANAJER
    naskah_form = None
    if boleh:
        awal = (
            {"pelajaran": la.naskah.pelajaran, "rekomendasi": la.naskah.rekomendasi}
            if la.naskah
            else {}
        )
        naskah_form = NaskahForm(initial=awal)
    return render(
        request,
        "laporan/akhir/halaman.html",
        {
            "form": form,
            "klaster": klaster,
            "la": la,
            "ringkasan": akhir.ringkasan(la),
            "query": _query(klaster, dari, sampai),
            "boleh_ubah": boleh,
            "naskah_form": naskah_form,
        },
    )


def _berkas(request, buat, content_type: str, akhiran: str):
    akses.require_manajer(request.user)
    klaster, dari, sampai, form = _permintaan(request, request.GET)
    if klaster is None or dari is None:
        if not request.GET.get("klaster"):
            raise Http404
        return render(request, "laporan/akhir/halaman.html",
                      {"form": form, "klaster": klaster}, status=422)  # fmt: skip
    akses.require_manajer_di(request.user, klaster)
    la = akhir.susun(klaster, dari=dari, sampai=sampai, pendapatan="lengkap")
    response = HttpResponse(buat(la, request=request), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{akhir.nama_berkas(la, akhiran)}"'
    return response


@login_required
@require_GET
def akhir_pdf(request):
    return _berkas(request, akhir.buat_pdf, "application/pdf", "pdf")


@login_required
@require_GET
def akhir_xlsx(request):
    return _berkas(
        request,
        akhir.buat_xlsx,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "xlsx",
    )


@login_required
@require_POST
def akhir_naskah(request):
    """Save the narrative of a klaster and period, back to the page."""
    akses.require_manajer(request.user)
    klaster, dari, sampai, form = _permintaan(request, request.POST)
    if klaster is None or dari is None:
        if not request.POST.get("klaster"):
            raise Http404
        return render(request, "laporan/akhir/halaman.html",
                      {"form": form, "klaster": klaster}, status=422)  # fmt: skip
    akses.require_manajer_di(request.user, klaster)
    naskah = NaskahForm(request.POST)
    if naskah.is_valid():
        try:
            kelembagaan_services.naskah_simpan(
                klaster=klaster, dari=dari, sampai=sampai, oleh=request.user,
                **naskah.cleaned_data,
            )  # fmt: skip
        except ValidationError as e:
            tambah_galat_service(naskah, e)
        else:
            messages.success(request, _("Naskah laporan akhir tersimpan."))
            return redirect(reverse("laporan:akhir") + "?" + _query(klaster, dari, sampai))
    la = akhir.susun(klaster, dari=dari, sampai=sampai)
    return render(
        request,
        "laporan/akhir/halaman.html",
        {"form": form, "klaster": klaster, "la": la, "ringkasan": akhir.ringkasan(la),
         "query": _query(klaster, dari, sampai), "boleh_ubah": True, "naskah_form": naskah},
        status=422,
    )  # fmt: skip

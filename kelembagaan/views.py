"""Pages of the kelembagaan app: cooperatives (their milestones and documents) and the
klaster's stage decision. Every object is looked up through the user's scope (404 outside
it); writing is for the managers of the object's klaster (403 otherwise)."""

import mimetypes
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kelembagaan import aturan, selectors, services
from kelembagaan.forms import DokumenForm, PeriksaSyaratForm, TahapForm, TonggakForm
from kelembagaan.models import DokumenLembaga
from kelompok.models import Lembaga
from klaster import akses
from klaster.forms import tambah_galat_service
from klaster.models import Klaster


def _lembaga_untuk(request, pk) -> Lembaga:
    lembaga = get_object_or_404(
        Lembaga.objects.visible_to(request.user).select_related("klaster"), pk=pk
    )
    akses.require_petugas_di(request.user, lembaga.klaster)
    return lembaga


@login_required
@require_GET
def lembaga_list(request):
    """The lembaga of every klaster the user sees, with their status today: four queries."""
    akses.require_petugas(request.user)
    ringkas = selectors.lembaga_ringkas(
        Lembaga.objects.visible_to(request.user).order_by("klaster__nama", "nama"),
        per_tanggal=timezone.localdate(),
    )
    return render(request, "kelembagaan/lembaga_list.html", {"ringkas_list": ringkas})


def _konteks_detail(request, lembaga, **lain) -> dict:
    return {
        "lembaga": lembaga,
        **selectors.lembaga_detail(lembaga, per_tanggal=timezone.localdate()),
        "boleh_ubah": akses.peran_di(request.user, lembaga.klaster) == akses.MANAJER,
        **lain,
    }


@login_required
@require_GET
def lembaga_detail(request, pk):
    lembaga = _lembaga_untuk(request, pk)
    konteks = _konteks_detail(request, lembaga)
    if konteks["boleh_ubah"]:
        konteks["form_dokumen"] = DokumenForm(lembaga=lembaga)
    return render(request, "kelembagaan/lembaga_detail.html", konteks)


@login_required
@require_http_methods(["GET", "POST"])
def tonggak_catat(request, pk):
    lembaga = _lembaga_untuk(request, pk)
    akses.require_manajer_di(request.user, lembaga.klaster)
    form = TonggakForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        berkas = data.pop("berkas")
        try:
            # the document is checked first: a bad file leaves nothing half-saved
            if berkas:
                wajib = aturan.periksa_dokumen(
                    nama=aturan.nama_berkas_aman(berkas.name), ukuran=berkas.size
                )
                if wajib:
                    raise ValidationError(wajib)
            tonggak = services.tonggak_catat(lembaga=lembaga, oleh=request.user, **data)
            if berkas:
                services.dokumen_unggah(
                    lembaga=lembaga, berkas=berkas, oleh=request.user, tonggak=tonggak
                )
        except ValidationError as e:
            tambah_galat_service(form, e)
        else:
            messages.success(request, _("%(t)s tercatat.") % {"t": tonggak.get_jenis_display()})
            return redirect("kelembagaan:lembaga_detail", pk=lembaga.pk)
    return render(
        request,
        "kelembagaan/tonggak_form.html",
        {"form": form, "lembaga": lembaga},
        status=422 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def dokumen_unggah(request, pk):
    lembaga = _lembaga_untuk(request, pk)
    akses.require_manajer_di(request.user, lembaga.klaster)
    form = DokumenForm(request.POST, request.FILES, lembaga=lembaga)
    if form.is_valid():
        tonggak = None
        if form.cleaned_data["tonggak"]:
            tonggak = lembaga.tonggak.filter(pk=form.cleaned_data["tonggak"]).first()
        try:
            services.dokumen_unggah(
                lembaga=lembaga, berkas=form.cleaned_data["berkas"], oleh=request.user,
                tonggak=tonggak,
            )  # fmt: skip
        except ValidationError as e:
            tambah_galat_service(form, e)
        else:
            messages.success(request, _("Dokumen tersimpan."))
            return redirect("kelembagaan:lembaga_detail", pk=lembaga.pk)
    konteks = _konteks_detail(request, lembaga, form_dokumen=form)
    return render(request, "kelembagaan/lembaga_detail.html", konteks, status=422)


@login_required
@require_GET
def dokumen(request, pk):
    """A document, to whoever may see its lembaga (404 for anyone else), as kunjungan:foto
    serves a visit's photo: no public URL; behind a proxy the sending can be handed over."""
    dok = get_object_or_404(
        DokumenLembaga.objects.visible_to(request.user).select_related("lembaga"), pk=pk
    )
    akses.require_petugas_di(request.user, dok.lembaga.klaster_id)
    nama = dok.berkas.name
    jenis = dok.jenis_isi or mimetypes.guess_type(nama)[0] or "application/octet-stream"
    if settings.MEDIA_ACCEL_REDIRECT or settings.MEDIA_X_SENDFILE:
        response = HttpResponse(content_type=jenis)
        if settings.MEDIA_ACCEL_REDIRECT:
            response["X-Accel-Redirect"] = settings.MEDIA_ACCEL_REDIRECT + quote(nama)
        else:
            response["X-Sendfile"] = dok.berkas.path
    else:
        try:
            berkas = dok.berkas.open("rb")
        except FileNotFoundError:
            raise Http404 from None
        response = FileResponse(berkas, content_type=jenis)
    # images open in the page; a PDF is downloaded, so no script in it runs under our origin
    cara = "inline" if jenis.startswith("image/") else "attachment"
    response["Content-Disposition"] = f"{cara}; filename*=UTF-8''{quote(dok.nama_asli)}"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'; img-src 'self'"
    response["Cache-Control"] = "private, max-age=3600"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def tahap_pindah(request, pk):
    """The stage decision: the next gate's checklist as of a date, and the decision."""
    klaster = akses.get_visible_or_404(Klaster, request.user, pk=pk)
    akses.require_manajer_di(request.user, klaster)
    ke = aturan.TAHAP_BERIKUT.get(klaster.tahap)
    ke_label = Klaster.Tahap(ke).label if ke else ""
    hari_ini = timezone.localdate()
    periksa = PeriksaSyaratForm(request.GET or None)
    per_tanggal = hari_ini
    if periksa.is_valid() and periksa.cleaned_data["per_tanggal"]:
        # within the programme: before the klaster started the criteria mean nothing
        per_tanggal = max(min(periksa.cleaned_data["per_tanggal"], hari_ini), klaster.tanggal_mulai)
    form = TahapForm(request.POST or None, ke_label=ke_label, initial={"tanggal": per_tanggal})
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            per_tanggal = max(min(form.cleaned_data["tanggal"], hari_ini), klaster.tanggal_mulai)
            try:
                services.tahap_pindah(
                    klaster=klaster, ke=ke or "", oleh=request.user, **form.cleaned_data
                )
            except ValidationError as e:
                tambah_galat_service(form, e)
            else:
                messages.success(request, _("Klaster pindah ke tahap %(t)s.") % {"t": ke_label})
                return redirect("klaster:detail", pk=klaster.pk)
    syarat = selectors.syarat_tahap(klaster, ke, per_tanggal=per_tanggal) if ke else []
    return render(
        request,
        "kelembagaan/tahap_form.html",
        {
            "klaster": klaster,
            "ke_label": ke_label,
            "form": form if ke else None,
            "periksa": periksa,
            "per_tanggal": per_tanggal,
            "syarat": syarat,
            "semua_terpenuhi": all(s.terpenuhi for s in syarat),
            "catatan_syarat": aturan.CATATAN_SYARAT,
            "riwayat": selectors.riwayat_tahap([klaster.pk]),
        },
        status=status,
    )

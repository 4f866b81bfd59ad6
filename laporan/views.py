"""The impact report (laporan dampak), its charts and exports, and the manager's dashboard.

Field-visit views live in laporan/views_kunjungan.py.
"""

from dataclasses import dataclass

from csp.constants import NONE, UNSAFE_INLINE
from csp.decorators import csp_replace
from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from kelompok.models import Kelompok
from klaster import akses
from klaster.models import Klaster
from klaster.templatetags.format import format_tanggal
from laporan import ekspor, grafik, selectors
from mitra.models import JenisKelamin, Sektor


class SaringanForm(forms.Form):
    """The report's parameters. Klaster and kelompok are checked against the user's scope in
    the view (out of scope → 404); the rest are ordinary fields (bad value → message, 422)."""

    dari = forms.DateField(label=_("Dari tanggal"), required=False)
    sampai = forms.DateField(label=_("Sampai tanggal"), required=False)
    per_tanggal = forms.DateField(
        label=_("Posisi per tanggal"),
        required=False,
        help_text=_("Tanggal posisi pinjaman (outstanding, PAR30, kolektibilitas)."),
    )
    sektor = forms.ChoiceField(
        label=_("Sektor"), required=False, choices=[("", _("Semua sektor")), *Sektor.choices]
    )
    jenis_kelamin = forms.ChoiceField(
        label=_("Jenis kelamin"),
        required=False,
        choices=[("", _("Semua")), *JenisKelamin.choices],
    )
    desa = forms.ChoiceField(label=_("Desa"), required=False)

    def __init__(self, *args, desa_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["desa"].choices = [("", _("Semua desa")), *desa_choices]

    def clean(self):
        data = super().clean()
        dari, sampai = data.get("dari"), data.get("sampai")
        if dari and sampai and dari > sampai:
            self.add_error(
                "sampai", _("Tanggal akhir periode harus sama dengan atau setelah tanggal awal.")
            )
        return data


@dataclass
class Permintaan:
    form: SaringanForm
    saringan: selectors.Saringan | None
    klaster_list: list
    klaster_terpilih: list
    kelompok_list: list
    kelompok_terpilih: Kelompok | None

    @property
    def valid(self) -> bool:
        return self.saringan is not None


def _id_atau_404(raw: str) -> int:
    try:
        return int(raw)
    except (TypeError, ValueError):
        raise Http404 from None


def _baca_permintaan(request, params=None, *, dengan_pilihan=True) -> Permintaan:
    """Parse the report parameters through the user's scope (two queries: the visible
    klaster, the kelompok of the chosen klaster). A klaster or kelompok outside the scope
    is a 404: changing a URL parameter never reveals another klaster's figures."""
    params = request.GET if params is None else params
    klaster_list = list(
        Klaster.objects.visible_to(request.user).select_related("kabupaten").order_by("nama")
    )
    terpilih = klaster_list
    if params.get("klaster"):
        pk = _id_atau_404(params["klaster"])
        terpilih = [k for k in klaster_list if k.pk == pk]
        if not terpilih:
            raise Http404
    ids = [k.pk for k in terpilih]
    kelompok_list = []
    if dengan_pilihan:  # the form's kelompok and desa choices (the dashboard has no form)
        kelompok_list = list(
            Kelompok.objects.filter(klaster_id__in=ids)
            .select_related("desa")
            .only("pk", "kode", "nama", "klaster_id", "desa__kode", "desa__nama")
            .order_by("kode", "pk")
        )
    kelompok_terpilih = None
    if params.get("kelompok"):
        pk = _id_atau_404(params["kelompok"])
        kelompok_terpilih = next((g for g in kelompok_list if g.pk == pk), None)
        if kelompok_terpilih is None:
            raise Http404
    desa = sorted({(g.desa.kode, g.desa.nama) for g in kelompok_list}, key=lambda d: d[1])
    form = SaringanForm(params or None, desa_choices=desa)
    saringan = None
    if not params or form.is_valid():
        data = form.cleaned_data if params else {}
        sampai = data.get("sampai") or timezone.localdate()
        saringan = selectors.Saringan(
            klaster=Klaster.objects.filter(pk__in=ids),
            dari=data.get("dari"),
            sampai=sampai,
            per_tanggal=data.get("per_tanggal") or sampai,
            sektor=data.get("sektor") or "",
            kelompok_id=kelompok_terpilih.pk if kelompok_terpilih else None,
            desa_kode=data.get("desa") or "",
            jenis_kelamin=data.get("jenis_kelamin") or "",
        )
    return Permintaan(form, saringan, klaster_list, terpilih, kelompok_list, kelompok_terpilih)


def keterangan_saringan(p: Permintaan) -> list[tuple[str, str]]:
    """The filters in words, for the page, the PDF header and the XLSX."""
    s = p.saringan
    if len(p.klaster_terpilih) == len(p.klaster_list) and len(p.klaster_list) != 1:
        klaster = _("Semua klaster yang dapat Anda lihat (%(n)s)") % {"n": len(p.klaster_list)}
    else:
        klaster = ", ".join(k.nama for k in p.klaster_terpilih) or "–"
    periode = (
        f"{format_tanggal(s.dari)} – {format_tanggal(s.sampai)}"
        if s.dari
        else _("sejak awal program sampai %(t)s") % {"t": format_tanggal(s.sampai)}
    )
    hasil = [
        (str(_("Klaster")), str(klaster)),
        (str(_("Periode")), str(periode)),
        (str(_("Posisi per tanggal")), format_tanggal(s.tanggal_posisi)),
    ]
    if s.sektor:
        hasil.append((str(_("Sektor")), str(Sektor(s.sektor).label)))
    if p.kelompok_terpilih:
        hasil.append((str(_("Kelompok")), str(p.kelompok_terpilih)))
    if s.desa_kode:
        nama = dict(p.form.fields["desa"].choices).get(s.desa_kode, s.desa_kode)
        hasil.append((str(_("Desa")), str(nama)))
    if s.jenis_kelamin:
        hasil.append((str(_("Jenis kelamin")), str(JenisKelamin(s.jenis_kelamin).label)))
    return hasil


def _grafik_src(request, nama: str) -> str:
    url = reverse("laporan:dampak_grafik", args=[nama])
    query = request.GET.urlencode()
    return f"{url}?{query}" if query else url


def _konteks(request, p: Permintaan, laporan) -> dict:
    return {
        "p": p,
        "form": p.form,
        "laporan": laporan,
        "saringan_teks": keterangan_saringan(p),
        "metode": selectors.CATATAN_METODE,
        "grafik": {nama: _grafik_src(request, nama) for nama in grafik.GRAFIK},
        "query": request.GET.urlencode(),
        "dibuat": timezone.localtime(),
    }


def _galat(request, p: Permintaan):
    # bad parameters: the form comes back with its messages, no figures
    return render(request, "laporan/dampak/laporan.html", {"p": p, "form": p.form}, status=422)


@login_required
@require_GET
def dampak(request):
    """The impact report for a klaster and period, with a method note under each table."""
    akses.require_petugas(request.user)
    p = _baca_permintaan(request)
    if not p.valid:
        return _galat(request, p)
    laporan = selectors.laporan_dampak(p.saringan)
    return render(request, "laporan/dampak/laporan.html", _konteks(request, p, laporan))


@login_required
@require_GET
@cache_control(private=True, max_age=300)
# the SVG is a standalone image document carrying pygal's own <style> (no script: stripped);
# a tight policy of its own instead of the pages' one
@csp_replace({"default-src": [NONE], "style-src": [UNSAFE_INLINE], "script-src": [NONE]})
def dampak_grafik(request, nama):
    """One chart as an SVG image (<img src>), computed from only the section it needs."""
    akses.require_petugas(request.user)
    if nama not in grafik.GRAFIK:
        raise Http404
    p = _baca_permintaan(request)
    if not p.valid:
        return HttpResponse(status=422)
    builder, bagian = grafik.GRAFIK[nama]
    fungsi = {
        "uang": selectors.pencairan,
        "pendapatan": selectors.perubahan_pendapatan,
        "portofolio": selectors.portofolio,
        "kegiatan": selectors.kegiatan,
    }[bagian]
    svg = builder(fungsi(p.saringan))
    return HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")


def _ekspor(request, buat, content_type: str, akhiran: str):
    akses.require_manajer(request.user)
    p = _baca_permintaan(request)
    if not p.valid:
        return _galat(request, p)
    laporan = selectors.laporan_dampak(p.saringan)
    isi = buat(laporan, saringan_teks=keterangan_saringan(p), request=request)
    response = HttpResponse(isi, content_type=content_type)
    nama = ekspor.nama_berkas(p.klaster_terpilih, p.saringan, akhiran)
    response["Content-Disposition"] = f'attachment; filename="{nama}"'
    return response


@login_required
@require_GET
def dampak_xlsx(request):
    return _ekspor(
        request,
        ekspor.buat_xlsx,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "xlsx",
    )


@login_required
@require_GET
def dampak_pdf(request):
    return _ekspor(request, ekspor.buat_pdf, "application/pdf", "pdf")


@login_required
@require_GET
def dampak_csv(request):
    return _ekspor(request, ekspor.buat_csv, "text/csv; charset=utf-8", "csv")


def dasbor_manajer(request):
    """The manager's home: cards and charts over every klaster they can see, as of today.
    Called by klaster.views.beranda (which is login_required and GET only)."""
    # the home page takes no parameters: every visible klaster, as of today
    p = _baca_permintaan(request, params=QueryDict(), dengan_pilihan=False)
    laporan = selectors.laporan_dampak(p.saringan, dengan_dana_bergulir=False)
    konteks = _konteks(request, p, laporan)
    konteks["sektor_utama"] = {r["kode"]: r for r in laporan.pendapatan["per_sektor"]}
    return render(request, "laporan/dasbor/beranda.html", konteks)

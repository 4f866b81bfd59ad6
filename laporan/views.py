"""The impact report (laporan dampak), its charts and exports, and the manager's dashboard.

The figures come from laporan/bagian.py: cached per klaster under the versions the
database keeps, read with the klaster list in one query.
"""

from dataclasses import dataclass
from functools import cache, wraps

from csp.constants import NONE, UNSAFE_INLINE
from csp.decorators import csp_replace
from django import forms
from django.contrib.auth.decorators import login_required
from django.core.cache import caches
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_http_methods

from kelompok.models import Kelompok
from klaster import akses, simpanan, versi
from klaster.aturan import TANGGAL_PALING_AWAL
from klaster.format import GAYA_ANGKA, format_tanggal, gaya_angka, gaya_angka_aktif
from klaster.models import Klaster, kunci_lingkup
from klaster.replika import baca_replika
from laporan import bagian, ekspor, grafik, selectors
from laporan import tugas as laporan_tugas
from mitra.models import JenisKelamin, Sektor
from tugas import services as tugas_services
from tugas import views as tugas_views

# the empty state of a user who sees no klaster (a new manager or facilitator, or a fresh
# installation): what it means and what to do
TANPA_KLASTER = _(
    "Belum ada klaster yang ditugaskan kepada Anda, jadi belum ada angka untuk dilaporkan. "
    "Minta admin program menambahkan penugasan Anda pada sebuah klaster (Admin → Penugasan); "
    "bila belum ada klaster sama sekali, admin membuatnya dulu di Admin → Klaster."
)


ID_MAKS = 2**63 - 1  # the largest id a BigAutoField holds


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
    # checked in the view against the desa of the chosen klaster's kelompok
    desa = forms.CharField(label=_("Desa"), required=False, max_length=13)
    # how numbers and money are written on the page and in the exports (klaster/format.py):
    # the Indonesian way by default, in either interface language
    angka = forms.ChoiceField(
        label=_("Format angka"),
        required=False,
        choices=[
            ("", _("Indonesia (Rp1.714.661.978; 52,3%)")),
            ("en", _("Inggris (Rp1,714,661,978; 52.3%)")),
        ],
    )

    def clean(self):
        data = super().clean()
        dari, sampai = data.get("dari"), data.get("sampai")
        if dari and sampai and dari > sampai:
            self.add_error(
                "sampai", _("Tanggal akhir periode harus sama dengan atau setelah tanggal awal.")
            )
        hari_ini = timezone.localdate()
        if dari and dari > hari_ini:
            self.add_error(
                "dari",
                _(
                    "Periode belum dimulai: tanggal awal %(tanggal)s sesudah hari ini. Pilih "
                    "tanggal awal hari ini atau sebelumnya."
                )
                % {"tanggal": format_tanggal(dari)},
            )
        # year 1 overflowed the date arithmetic of the positions and charts (HTTP 500); an
        # early `dari` is clamped to the klaster's start instead (_baca_permintaan)
        for nama in ("sampai", "per_tanggal"):
            tanggal = data.get(nama)
            if tanggal and tanggal < TANGGAL_PALING_AWAL:
                self.add_error(
                    nama,
                    _(
                        "%(label)s %(tanggal)s terlalu awal (paling awal %(batas)s); periksa tahunnya."
                    )
                    % {
                        "label": self.fields[nama].label,
                        "tanggal": format_tanggal(tanggal),
                        "batas": format_tanggal(TANGGAL_PALING_AWAL),
                    },
                )
        return data


@dataclass
class Permintaan:
    form: SaringanForm
    saringan: selectors.Saringan | None
    klaster_list: list | None  # None on the dashboard: every visible klaster, unnamed
    klaster_terpilih: list
    kelompok_list: list  # dicts: pk, kode, nama, desa_kode, desa_nama
    kelompok_terpilih: dict | None
    desa_opsi: list
    versi: bagian.Versi | None = None  # the versions of the chosen klaster's figures
    bagian: dict | None = None  # the report's sections, already read

    @property
    def valid(self) -> bool:
        return self.saringan is not None

    @property
    def tanpa_klaster(self) -> bool:
        return not self.klaster_terpilih

    @property
    def kunci_pilihan_klaster(self) -> str:
        """The key of the klaster choices' rendered options: the klaster offered with their
        versions (a rename changes its klaster's version) and the one chosen."""
        terpilih = self.klaster_terpilih[0].pk if len(self.klaster_terpilih) == 1 else None
        isi = tuple((k.pk, k.versi_angka) for k in self.klaster_list or ())
        return simpanan.sidik((isi, terpilih))

    @property
    def kunci_pilihan_desa(self) -> str:
        """The key of the village choices' rendered options: those offered and the one
        chosen (a thousand villages nationally)."""
        terpilih = self.form["desa"].value()
        return simpanan.sidik((self.desa_opsi, terpilih))

    @property
    def kelompok_opsi(self) -> list:
        """The kelompok offered in the form: those of the one chosen klaster. Across many
        klaster (3,000 kelompok nationally) only the chosen kelompok, if any; the full list
        still checks the parameter."""
        if len(self.klaster_terpilih) == 1:
            return self.kelompok_list
        return [self.kelompok_terpilih] if self.kelompok_terpilih else []


def _id_atau_404(raw: str) -> int:
    try:
        pk = int(raw)
    except (TypeError, ValueError):
        raise Http404 from None
    if not 1 <= pk <= ID_MAKS:  # a number no row can have (the database cannot even hold it)
        raise Http404
    return pk


def _opsi_kelompok(ids, pk=None) -> list[dict]:
    """The kelompok of the klaster `ids` (or the one `pk` among them) as choices. The valid
    path gets one klaster's from the cached people section (bagian.ambil)."""
    qs = Kelompok.objects.filter(klaster_id__in=ids)
    if pk is not None:
        qs = qs.filter(pk=pk)
    return [
        {"pk": g.pk, "kode": g.kode, "nama": g.nama, "desa_kode": g.desa_id,
         "desa_nama": g.desa.nama}
        for g in qs.select_related("desa").order_by("kode", "pk")
    ]  # fmt: skip


def _desa_opsi(kelompok_list) -> list[tuple[str, str]]:
    return selectors.urut_desa({(g["desa_kode"], g["desa_nama"]) for g in kelompok_list})


# the query parameters the report reads: the filter form's and the scope's
PARAMETER_LAPORAN = frozenset(SaringanForm.base_fields) | {"klaster", "kelompok"}


def _klaster_terlihat(user) -> list[Klaster]:
    # with the versions of their figures, in the same query (the report shows their names
    # and reads their start dates: no kabupaten, a thousand objects fewer at national scale)
    return list(versi.dengan_versi(Klaster.objects.visible_to(user)).order_by("nama"))


def _baca_permintaan(request, *, untuk: str = "laporan") -> Permintaan:
    return baca_parameter(request.GET, request.user, untuk=untuk)


def baca_parameter(params, user, *, untuk: str = "laporan") -> Permintaan:
    """Parse the report parameters through the user's scope. A klaster or kelompok outside
    the scope is a 404: changing a URL parameter never reveals another klaster's figures.
    (A background export parses its saved parameters again, as its owner, when it runs.)

    Queries: the visible klaster with the versions of their figures (one query). One
    klaster's kelompok choices and the desa come with the people counts (section "dasar",
    cached), so they cost nothing extra; a kelompok chosen across several klaster is looked
    up in the scope (one query).
    """
    form = SaringanForm(params or None)
    valid = not params or form.is_valid()
    data = form.cleaned_data if params and valid else {}
    sampai = data.get("sampai") or timezone.localdate()
    per_tanggal = data.get("per_tanggal") or sampai

    klaster_list = _klaster_terlihat(user)
    terpilih = klaster_list
    if params.get("klaster"):
        pk = _id_atau_404(params["klaster"])
        terpilih = [k for k in klaster_list if k.pk == pk]
        if not terpilih:
            raise Http404
    ids = [k.pk for k in terpilih]
    kelompok_pk = _id_atau_404(params["kelompok"]) if params.get("kelompok") else None
    dari = data.get("dari")
    if dari and terpilih:
        # a period cannot start before the klaster did: dari=0001-01-01 drew a chart of
        # 24,000 months (8 MB of SVG); clamped to the earliest start among those chosen
        dari = max(dari, min(k.tanggal_mulai for k in terpilih))

    if not valid:
        kelompok_list = _opsi_kelompok(ids)
        terpilih_kelompok = next((g for g in kelompok_list if g["pk"] == kelompok_pk), None)
        if kelompok_pk and terpilih_kelompok is None:
            raise Http404
        return Permintaan(
            form, None, klaster_list, terpilih, kelompok_list, terpilih_kelompok,
            _desa_opsi(kelompok_list),
        )  # fmt: skip

    saringan = selectors.Saringan(
        klaster=Klaster.objects.filter(pk__in=ids),
        dari=dari,
        sampai=sampai,
        per_tanggal=per_tanggal,
        sektor=data.get("sektor") or "",
        kelompok_id=kelompok_pk,
        desa_kode=data.get("desa") or "",
        jenis_kelamin=data.get("jenis_kelamin") or "",
    )
    versi_terpilih = bagian.versi_dari(terpilih)
    if untuk == "grafik":
        # a chart needs no choices: one EXISTS keeps the kelompok inside the scope
        if kelompok_pk and not Kelompok.objects.filter(pk=kelompok_pk, klaster_id__in=ids).exists():
            raise Http404
        return Permintaan(form, saringan, klaster_list, terpilih, [], None, [], versi_terpilih)

    # every section at once (one cache entry); the kelompok choices of one klaster and the
    # desa of any scope come with "dasar"
    isi = bagian.ambil(saringan, versi_terpilih, bagian.LAPORAN)
    kelompok_list = isi["dasar"]["opsi_kelompok"]
    if not kelompok_pk:
        terpilih_kelompok = None
    elif len(terpilih) == 1:
        terpilih_kelompok = next((g for g in kelompok_list if g["pk"] == kelompok_pk), None)
    else:  # across klaster the choices are not listed: the chosen one, in the scope (a query)
        terpilih_kelompok = next(iter(_opsi_kelompok(ids, pk=kelompok_pk)), None)
    if kelompok_pk and terpilih_kelompok is None:
        raise Http404
    desa_opsi = isi["dasar"]["desa_opsi"]
    if saringan.desa_kode and saringan.desa_kode not in dict(desa_opsi):
        form.add_error("desa", _("Pilih desa dari daftar (desa tempat kelompok klaster ini)."))
        saringan, isi = None, None
    return Permintaan(
        form, saringan, klaster_list, terpilih, kelompok_list, terpilih_kelompok, desa_opsi,
        versi_terpilih, isi,
    )  # fmt: skip


def keterangan_saringan(p: Permintaan) -> list[tuple[str, str]]:
    """The filters in words, for the page, the PDF header and the XLSX."""
    s = p.saringan
    if p.klaster_list is None:
        klaster = _("Semua klaster yang dapat Anda lihat")
    elif not p.klaster_list:
        klaster = _("Belum ada klaster yang ditugaskan kepada Anda")
    elif len(p.klaster_terpilih) == len(p.klaster_list) and len(p.klaster_list) != 1:
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
        g = p.kelompok_terpilih
        hasil.append((str(_("Kelompok")), f"{g['kode']} {g['nama']}"))
    if s.desa_kode:
        hasil.append((str(_("Desa")), str(dict(p.desa_opsi).get(s.desa_kode, s.desa_kode))))
    if s.jenis_kelamin:
        hasil.append((str(_("Jenis kelamin")), str(JenisKelamin(s.jenis_kelamin).label)))
    return hasil


def dengan_gaya_angka(view):
    """The report's number style (its option `angka`) for the whole request: the page, its
    charts and its exports write numbers and money that way. A value that is not a style
    is left to the form, which says what to fix."""

    @wraps(view)
    def _view(request, *args, **kwargs):
        gaya = request.GET.get("angka", "")
        with gaya_angka(gaya if gaya in GAYA_ANGKA else None):
            return view(request, *args, **kwargs)

    return _view


def _grafik_src(query: str, nama: str) -> str:
    url = reverse("laporan:dampak_grafik", args=[nama])
    return f"{url}?{query}" if query else url


def _konteks(p: Permintaan, laporan, query: str) -> dict:
    fasilitator = laporan.kegiatan["per_fasilitator"]
    return {
        "p": p,
        "form": p.form,
        "laporan": laporan,
        # the page lists the first rows of the visits per facilitator (a thousand at national
        # scope: about 160 kB and 20 ms to render after every visit); the XLSX, CSV and PDF
        # every row
        "fasilitator_halaman": fasilitator[: bagian.BARIS_HALAMAN],
        "saringan_teks": keterangan_saringan(p),
        "metode": selectors.CATATAN_METODE,
        "grafik": {nama: _grafik_src(query, nama) for nama in grafik.GRAFIK},
        "query": query,
        "dibuat": timezone.localtime(),
    }


def _laporan(p: Permintaan, *, pendapatan: str = "halaman"):
    # every section from the cache; the exports compute every income row
    return bagian.laporan_dampak(p.saringan, p.versi, bagian=p.bagian, pendapatan=pendapatan)


def _galat(request, p: Permintaan):
    # bad parameters: the form comes back with its messages, no figures
    return render(request, "laporan/dampak/laporan.html", {"p": p, "form": p.form}, status=422)


@login_required
@require_GET
@baca_replika
@dengan_gaya_angka
def dampak(request):
    """The impact report for a klaster and period, with a method note under each table."""
    akses.require_petugas(request.user)
    p = _baca_permintaan(request)
    if not p.valid:
        return _galat(request, p)
    if p.tanpa_klaster:
        konteks = {"p": p, "form": p.form, "tanpa_klaster": TANPA_KLASTER}
        return render(request, "laporan/dampak/laporan.html", konteks)
    query = request.GET.urlencode()
    laporan = _laporan(p)
    konteks = _konteks(p, laporan, query)
    # the figures' body is the same for everyone who may see this scope: rendered once per
    # version of its figures (the key names them, the language, the number style and the
    # query its chart links carry); shared with every worker only for a query made of the
    # report's own parameters (one with anything else is kept in this process alone)
    kunci_html = _kunci_isi(
        "dampak", bagian.kunci_ambil(p.saringan, p.versi, bagian.LAPORAN), query
    )
    bersama = set(request.GET) <= PARAMETER_LAPORAN

    def render_isi():
        # after a write most sections show what they showed: each large one is kept under a
        # digest of what it shows (Django's {% cache %}), so only the changed ones render
        isi = {**konteks, "sidik": _sidik_bagian(laporan, konteks)}
        return render_to_string("laporan/dampak/_isi.html", isi, request=request)

    konteks["isi_html"] = _isi_tersimpan(kunci_html, render_isi, bersama=bersama)
    return render(request, "laporan/dampak/laporan.html", konteks)


def _sidik_bagian(laporan, konteks: dict) -> dict[str, str]:
    """A digest per cached section of the report's body (templates/laporan/dampak/
    _bagian_*.html) of everything that section shows: its figures, the report date, the
    chart links (the query), the language and the number style. Pickled, so equal digests
    mean equal values (a lazy label pickles as its text's source, the language is here)."""
    umum = (get_language(), gaya_angka_aktif(), konteks["query"], konteks["grafik"])
    isi = {
        "uang": (
            laporan.uang,
            laporan.portofolio,
            laporan.dana_bergulir,
            laporan.saringan.tanggal_posisi,
        ),
        "pendapatan": (laporan.pendapatan,),
        "program": (laporan.program,),
    }
    return {nama: simpanan.sidik((nama, umum, data)) for nama, data in isi.items()}


def _kunci_isi(halaman: str, kunci_angka: str, *lain: str) -> str:
    """The key of a page's rendered figures: the key of the figures (bagian.kunci_ambil,
    which names the versions, parameters and language) and how numbers are written."""
    return ":".join((halaman, kunci_angka, gaya_angka_aktif(), *lain))


def _isi_tersimpan(kunci_html: str, render_isi, *, bersama: bool = True) -> str:
    """The page's rendered figures. `bersama`: kept like the figures (klaster/simpanan.py:
    this process's copy, then the shared cache, written after the response), so a restarted
    worker reads them back instead of rendering a national body again (about 250 ms for
    the impact report at 1,000 klaster); else in this process only."""
    if not bersama:
        isi_html = caches["default"].get(kunci_html)
        if isi_html is None:
            isi_html = render_isi()
            caches["default"].set(kunci_html, isi_html, timeout=24 * 60 * 60)
        return isi_html
    kunci = simpanan.kunci("isi", kunci_html)
    isi_html = simpanan.ambil([kunci]).get(kunci)
    if isi_html is None:
        isi_html = render_isi()
        simpanan.simpan({kunci: isi_html}, setelah_jawaban=True)
    return isi_html


@login_required
@require_GET
@cache_control(private=True, max_age=300)
# the SVG is a standalone image document carrying pygal's own <style> (no script: stripped);
# a tight policy of its own instead of the pages' one
@csp_replace({"default-src": [NONE], "style-src": [UNSAFE_INLINE], "script-src": [NONE]})
@baca_replika
@dengan_gaya_angka
def dampak_grafik(request, nama):
    """One chart as an SVG image (<img src>), computed from only the section it needs."""
    akses.require_petugas(request.user)
    if nama not in grafik.GRAFIK:
        raise Http404
    p = _baca_permintaan(request, untuk="grafik")
    if not p.valid:
        return HttpResponse(status=422)
    builder, isi = grafik.GRAFIK[nama]
    # the money disbursed is part of the cached section "dasar"
    entri = "dasar" if isi == "uang" else isi
    data = bagian.ambil(p.saringan, p.versi, [entri])[entri]
    svg = builder(data["uang"] if isi == "uang" else data)
    return HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")


@dengan_gaya_angka
def _ekspor(request, buat, content_type: str, akhiran: str):
    akses.require_manajer(request.user)
    p = _baca_permintaan(request)
    if not p.valid:
        return _galat(request, p)
    for k in p.klaster_terpilih:  # the files are for the managers of every klaster they cover
        akses.require_manajer_di(request.user, k)
    # a large scope (a national one) is made in the background (laporan/tugas.py); the size
    # comes with the cached people counts, so deciding costs no query
    baris = p.bagian["dasar"]["orang"]["mitra_total"] if p.bagian else 0
    if request.method == "POST" or baris > laporan_tugas.batas_baris(akhiran):
        return _ekspor_latar(request, p, akhiran, baris)
    # no klaster: the files say so (their "Klaster" line) and hold zeros, as the page would
    laporan = _laporan(p, pendapatan="lengkap")
    isi = buat(laporan, saringan_teks=keterangan_saringan(p), request=request)
    response = HttpResponse(isi, content_type=content_type)
    nama = ekspor.nama_berkas(p.klaster_terpilih, p.saringan, akhiran)
    response["Content-Disposition"] = f'attachment; filename="{nama}"'
    return response


def _ekspor_latar(request, p: Permintaan, akhiran: str, baris: int):
    judul = laporan_tugas.judul(akhiran, keterangan_saringan(p))
    if request.method == "GET":  # a link never starts work: the page asks first
        return tugas_views.halaman_mulai(
            request, judul=judul, keterangan=laporan_tugas.KETERANGAN, baris=baris
        )
    tugas = tugas_services.tugas_mulai(
        pemilik=request.user,
        jenis=f"laporan.dampak_{akhiran}",
        judul=judul,
        parameter={"query": request.GET.urlencode(), "format": akhiran, "baris": baris},
        task=laporan_tugas.ekspor_dampak,
    )
    return redirect("tugas:detail", pk=tugas.pk)


@login_required
@require_http_methods(["GET", "POST"])
@baca_replika
def dampak_xlsx(request):
    return _ekspor(request, ekspor.buat_xlsx, ekspor.JENIS_KONTEN["xlsx"], "xlsx")


@login_required
@require_http_methods(["GET", "POST"])
@baca_replika
def dampak_pdf(request):
    return _ekspor(request, ekspor.buat_pdf, ekspor.JENIS_KONTEN["pdf"], "pdf")


@login_required
@require_http_methods(["GET", "POST"])
@baca_replika
def dampak_csv(request):
    return _ekspor(request, ekspor.buat_csv, ekspor.JENIS_KONTEN["csv"], "csv")


@baca_replika
def dasbor_manajer(request):
    """The manager's home: cards and charts over every klaster they can see, as of today.
    Called by laporan.views_beranda.beranda (which is login_required and GET only). It takes
    no parameters; the klaster are not listed by name, so no query is spent on them. Every
    section comes from the cache (laporan/bagian.py): after a write only the klaster it
    touched is recomputed. The body is rendered once per version of its figures and
    language, and kept like them (its key names everything it shows)."""
    hari_ini = timezone.localdate()
    klaster_qs = Klaster.objects.visible_to(request.user, hari_ini)

    # the body's key from one row that PostgreSQL digests from the scope's versions; the
    # versions themselves (a thousand rows at national scale) are read only to compute it.
    # Read in this order, the figures are never older than the key they are kept under.
    @cache
    def versi():
        return bagian.saringan_dasbor(klaster_qs, hari_ini)

    lingkup = kunci_lingkup(request.user, hari_ini)
    kunci_angka = bagian.kunci_dasbor(klaster_qs, hari_ini, lingkup)
    if kunci_angka is None:
        kunci_angka = bagian.kunci_ambil(*versi(), bagian.DASBOR)
    kunci_html = _kunci_isi("dasbor", kunci_angka)

    def render_isi():
        saringan, versi_dasbor = versi()
        p = Permintaan(
            SaringanForm(), saringan, None, versi_dasbor.ids(), [], None, [], versi_dasbor
        )
        isi = bagian.ambil(saringan, versi_dasbor, bagian.DASBOR)
        laporan = bagian.laporan_dampak(saringan, versi_dasbor, bagian=isi, pendapatan="ringkas")
        konteks = {
            **_konteks(p, laporan, ""),
            "tanpa_klaster": TANPA_KLASTER if not versi_dasbor.klaster else "",
        }
        return render_to_string("laporan/dasbor/_isi.html", konteks, request=request)

    isi_html = _isi_tersimpan(kunci_html, render_isi)
    return render(request, "laporan/dasbor/beranda.html", {"isi_html": isi_html})

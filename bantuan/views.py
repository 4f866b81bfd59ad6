"""Financing pages: thin views that scope, parse, call a service or selector, and render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from bantuan import aturan, selectors, services
from bantuan.filters import BantuanFilter
from bantuan.forms import (
    AjukanForm,
    AngsuranForm,
    CairkanForm,
    CariPenerimaForm,
    HapusBukuForm,
    KoreksiForm,
    PerTanggalForm,
    SetujuiForm,
    TolakForm,
)
from bantuan.models import Angsuran, Bantuan
from klaster import akses, riwayat_teks, simpanan, versi
from klaster.format import format_rupiah, gaya_angka_aktif
from klaster.forms import tambah_galat_service
from klaster.models import Klaster
from klaster.replika import baca_replika
from mitra import selectors as mitra_selectors

PER_HALAMAN = 50
NOL = selectors.NOL


def _bantuan_terlihat(request, pk, *, posisi=False):
    """The Bantuan in the user's scope (404 outside it), optionally with its position today."""
    qs = Bantuan.objects.visible_to(request.user).select_related(
        "klaster", "mitra", "mitra__kelompok", "kelompok", "sumber_dana", "diajukan_oleh"
    )
    if posisi:
        qs = selectors.anotasi_posisi(qs, per_tanggal=timezone.localdate())
    bantuan = get_object_or_404(qs, pk=pk)
    if posisi:
        selectors.tambah_hari_tunggakan([bantuan], per_tanggal=timezone.localdate())
    return bantuan


def _parameter_tanpa_halaman(request) -> str:
    parameter = request.GET.copy()
    parameter.pop("halaman", None)
    return parameter.urlencode()


def _total_klaster_utuh(filter_, hari_ini):
    """The list's totals when it shows whole klaster (no filter, or only the klaster
    chosen): from the parts kept per klaster (selectors.total_klaster_utuh), not the
    positions of every overdue loan (20,000 at 1000x). None for any other filter."""
    if not filter_.is_valid():
        return None
    dipakai = {n for n, v in filter_.form.cleaned_data.items() if v not in (None, "", [])}
    if not dipakai <= {"klaster"}:
        return None
    klaster = Klaster.objects.visible_to(filter_.user)
    if "klaster" in dipakai:
        klaster = klaster.filter(pk=filter_.form.cleaned_data["klaster"].pk)
    per_klaster, _acuan = versi.dari_lingkup(klaster)
    return selectors.total_klaster_utuh(per_klaster, per_tanggal=hari_ini)


@login_required
@require_GET
def bantuan_list(request):
    """50 loans a page with their positions and the totals of everything the filter
    matches, both as of today."""
    akses.require_petugas(request.user)  # members' financing: the programme's staff only
    hari_ini = timezone.localdate()
    filter_ = BantuanFilter(
        request.GET,
        queryset=Bantuan.objects.visible_to(request.user),
        user=request.user,
        per_tanggal=hari_ini,
    )
    total = _total_klaster_utuh(filter_, hari_ini) or selectors.total_daftar(
        filter_.qs, per_tanggal=hari_ini
    )
    # the page is chosen on ids alone, in Meta.ordering through bantuan_urutan_daftar_idx
    # (no joins, so the database reads the page off the index instead of sorting every row)
    paginator = Paginator(filter_.qs.values_list("pk", flat=True), PER_HALAMAN)
    paginator.count = total["jumlah_bantuan"]  # known from the totals: no COUNT query
    halaman = paginator.get_page(request.GET.get("halaman"))
    # positions of the page's 50 rows only
    baris = selectors.tambah_hari_tunggakan(
        selectors.anotasi_posisi(
            Bantuan.objects.filter(pk__in=list(halaman.object_list))
            .select_related("klaster", "mitra", "mitra__kelompok", "kelompok", "sumber_dana")
            .order_by(*Bantuan._meta.ordering),
            per_tanggal=hari_ini,
        )
        if halaman.object_list
        else [],
        per_tanggal=hari_ini,
    )
    return render(
        request,
        "bantuan/list.html",
        {
            "filter": filter_,
            "halaman": halaman,
            "bantuan_list": baris,
            "total": total,
            "parameter": _parameter_tanpa_halaman(request),
            "per_tanggal": hari_ini,
            "boleh_ajukan": akses.boleh_menulis(request.user),
        },
    )


def _render_detail(request, bantuan, status=200, **forms):
    hari_ini = timezone.localdate()
    if not hasattr(bantuan, "sisa_pokok"):
        bantuan = _bantuan_terlihat(request, bantuan.pk, posisi=True)
    jadwal = selectors.jadwal_dengan_status(bantuan, per_tanggal=hari_ini)
    angsuran = list(
        bantuan.angsuran.select_related("dicatat_oleh", "koreksi", "koreksi_dari").order_by(
            "tanggal", "pk"
        )
    )
    riwayat = list(
        bantuan.history.select_related(
            "history_user", *riwayat_teks.kunci_asing(Bantuan.history.model)
        ).order_by("-history_date")[:50]
    )
    # each record against the one before it, as people read it (labels, names, Rupiah);
    # rows written in bulk (seed, import) may have no history at all, or start with a
    # change whose earlier state is unknown
    nama = riwayat_teks.nama_terkait(riwayat)
    perubahan = [
        {
            "catatan": baru,
            "perubahan": riwayat_teks.beda(baru, lama, nama) if lama is not None else None,
        }
        for baru, lama in zip(riwayat, [*riwayat[1:], None], strict=False)
    ]
    # the role in this loan's klaster: a manager group member assigned there as fasilitator
    # gets the facilitator's buttons
    peran = akses.peran_di(request.user, bantuan.klaster_id)
    manajer = peran == akses.MANAJER
    petugas = peran is not None
    # kept on the loan from its disbursement on (bantuan/generasi.py)
    generasi = bantuan.generasi if bantuan.status in Bantuan.STATUS_CAIR else None
    for a in angsuran:
        a.boleh_koreksi = (
            petugas
            and a.jumlah > 0
            and not hasattr(a, "koreksi")
            and bantuan.status != Bantuan.Status.DIHAPUSBUKUKAN
            and akses.boleh_koreksi_angsuran(
                request.user, klaster=bantuan.klaster_id, dicatat_oleh_id=a.dicatat_oleh_id
            )
        )
    S = Bantuan.Status
    berjalan = bantuan.status == S.DICAIRKAN and bantuan.jenis == Bantuan.Jenis.MODAL_BERGULIR
    # the decisions have pages of their own with a confirmation step (bantuan_setujui,
    # bantuan_cairkan, bantuan_hapus_buku); the detail page links to them
    konteks = {
        "bantuan": bantuan,
        "jadwal": jadwal["baris"],
        "angsuran_list": angsuran,
        "riwayat": perubahan,
        "generasi": generasi,
        "per_tanggal": hari_ini,
        "boleh_catat": petugas and berjalan,
        "boleh_putuskan": manajer and bantuan.status == S.DIAJUKAN,
        "boleh_cairkan": manajer and bantuan.status == S.DISETUJUI,
        "boleh_hapus_buku": manajer and berjalan,
        "form_tolak": forms.get("form_tolak")
        or (TolakForm() if manajer and bantuan.status == S.DISETUJUI else None),
    }
    return render(request, "bantuan/detail.html", konteks, status=status)


@login_required
@require_GET
def bantuan_detail(request, pk):
    bantuan = _bantuan_terlihat(request, pk, posisi=True)
    akses.require_petugas_di(request.user, bantuan.klaster_id)
    return _render_detail(request, bantuan)


def _penerima_terpilih(form):
    """The chosen recipient (a Mitra or Kelompok in the user's scope) from the bound data or
    the initial ?mitra=/?kelompok=, or None. Read through the form's scoped querysets: an id
    outside the scope shows nothing."""
    for nama in ("mitra", "kelompok"):
        nilai = form[nama].value()
        if nilai not in (None, "") and str(nilai).isdecimal():
            qs = form.fields[nama].queryset
            if nama == "mitra":
                qs = qs.select_related("kelompok")
            terpilih = qs.filter(pk=int(nilai)).first()
            if terpilih is not None:
                return terpilih
    return None


def _hasil_cari(hasil) -> list[dict]:
    """Search results as the page and the JSON endpoint show them: never the full NIK."""
    baris = [
        {
            "jenis": "mitra",
            "id": m.pk,
            "nama": m.nama,
            "keterangan": " · ".join(
                x
                for x in (
                    m.kelompok.kode if m.kelompok_id else _("belum berkelompok"),
                    _("NIK %(nik)s") % {"nik": m.nik_tersamar},
                )
                if x
            ),
        }
        for m in hasil["mitra"]
    ]
    baris += [
        {
            "jenis": "kelompok",
            "id": k.pk,
            "nama": f"{k.kode} {k.nama}",
            "keterangan": _("kelompok"),
        }
        for k in hasil["kelompok"]
    ]
    return baris


@login_required
@require_http_methods(["GET", "POST"])
def bantuan_ajukan(request):
    """Propose a financing. The recipient is found by a search: without JavaScript the
    page's GET form (?q=) lists the matches as links (?mitra= / ?kelompok=); with it
    static/js/bantuan.js asks bantuan:cari_penerima while the user types."""
    akses.require_petugas(request.user)
    initial = {}
    for nama in ("mitra", "kelompok"):
        if str(request.GET.get(nama, "")).isdecimal():
            initial[nama] = int(request.GET[nama])
    form = AjukanForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        penerima = data["mitra"] or data["kelompok"]
        try:
            bantuan = services.bantuan_ajukan(oleh=request.user, klaster=penerima.klaster, **data)
        except ValidationError as e:
            tambah_galat_service(form, e)
        else:
            messages.success(
                request, _("Pengajuan %(nomor)s tersimpan.") % {"nomor": bantuan.nomor}
            )
            return redirect(bantuan)
    cari = CariPenerimaForm(request.GET or None)
    kata = cari.kata()
    return render(
        request,
        "bantuan/ajukan.html",
        {
            "form": form,
            "cari": cari,
            "kata": kata,
            "hasil_cari": _hasil_cari(selectors.cari_penerima(request.user, kata))
            if kata
            else None,
            "penerima": _penerima_terpilih(form),
        },
        status=422 if request.method == "POST" else 200,
    )


@login_required
@require_GET
def cari_penerima(request):
    """JSON for the recipient search of the proposal form: mitra (not keluar) and kelompok
    in the user's scope matching ?q= (a name, a group code or the first digits of a NIK).
    Two queries; the NIK only masked."""
    akses.require_petugas(request.user)
    kata = str(request.GET.get("q", ""))[:100]
    hasil = selectors.cari_penerima(request.user, kata)
    dasar = reverse("bantuan:ajukan")
    return JsonResponse(
        {
            "hasil": [{**r, "url": f"{dasar}?{r['jenis']}={r['id']}"} for r in _hasil_cari(hasil)],
            "lebih": hasil["lebih"],
        }
    )


def _konteks_keputusan(bantuan: Bantuan, hari_ini) -> dict:
    """What a manager weighs before approving or disbursing, in a fixed number of queries
    whatever the borrower's history: the borrower's other financing with their positions
    (arrears, days, kolektibilitas), the member's latest and baseline income, the group's
    portfolio (PAR30) and what the fund can still give."""
    if bantuan.mitra_id:
        milik = Bantuan.objects.filter(mitra_id=bantuan.mitra_id)
        kelompok = bantuan.mitra.kelompok if bantuan.mitra.kelompok_id else None
        pengukuran = mitra_selectors.pengukuran_mitra(bantuan.mitra)
    else:
        milik = Bantuan.objects.filter(kelompok_id=bantuan.kelompok_id)
        kelompok = bantuan.kelompok
        pengukuran = []
    lain = selectors.tambah_hari_tunggakan(
        selectors.anotasi_posisi(
            milik.exclude(pk=bantuan.pk)
            .select_related("sumber_dana")
            .order_by("-tanggal_pengajuan", "-pk"),
            per_tanggal=hari_ini,
        ),
        per_tanggal=hari_ini,
    )
    berjalan = [b for b in lain if b.kolektibilitas is not None]
    baseline = next((p for p in pengukuran if p.jenis == "baseline"), None)
    return {
        "bantuan_lain": lain,
        "lain_berjalan": len(berjalan),
        "lain_sisa_pokok": sum((b.sisa_pokok for b in berjalan), NOL),
        "lain_tunggakan": sum((b.tunggakan for b in berjalan), NOL),
        "lain_hari_maks": max((b.hari_tunggakan for b in berjalan), default=0),
        "pendapatan_terakhir": pengukuran[-1] if pengukuran else None,
        "pendapatan_baseline": baseline,
        "kelompok": kelompok,
        "portofolio_kelompok": selectors.ringkasan_portofolio(
            Bantuan.objects.filter(Q(kelompok=kelompok) | Q(mitra__kelompok=kelompok)),
            per_tanggal=hari_ini,
        )
        if kelompok is not None
        else None,
        "dana": selectors.dana_tersedia(bantuan, per_tanggal=hari_ini),
        "per_tanggal": hari_ini,
    }


def _bantuan_manajer(request, pk) -> Bantuan:
    bantuan = _bantuan_terlihat(request, pk)
    akses.require_manajer_di(request.user, bantuan.klaster_id)
    return bantuan


@login_required
@require_http_methods(["GET", "POST"])
def bantuan_setujui(request, pk):
    """The approval screen: the proposal with its context, a confirmation checkbox, and the
    reject form. Maker-checker: the proposer is told up front that another manager must
    approve (settings.EMPAT_MATA), and the service refuses them anyway."""
    bantuan = _bantuan_manajer(request, pk)
    form = SetujuiForm(request.POST or None, bantuan=bantuan)
    if request.method == "POST" and form.is_valid():
        try:
            services.bantuan_setujui(
                bantuan=bantuan, oleh=request.user, tanggal=form.cleaned_data["tanggal"]
            )
        except ValidationError as e:
            tambah_galat_service(form, e)
        else:
            messages.success(
                request,
                _("Pengajuan %(nomor)s disetujui. Langkah berikutnya: pencairan.")
                % {"nomor": bantuan.nomor},
            )
            return redirect(bantuan)
    return _render_setujui(request, bantuan, form_setujui=form)


def _render_setujui(request, bantuan, *, form_setujui=None, form_tolak=None):
    hari_ini = timezone.localdate()
    terbuka = bantuan.status == Bantuan.Status.DIAJUKAN
    konteks = {
        "bantuan": bantuan,
        "terbuka": terbuka,
        "empat_mata": aturan.periksa_empat_mata(
            diajukan_oleh_id=bantuan.diajukan_oleh_id, oleh_id=request.user.pk
        ),
        "form_setujui": form_setujui or SetujuiForm(bantuan=bantuan),
        "form_tolak": form_tolak or TolakForm(),
        **(_konteks_keputusan(bantuan, hari_ini) if terbuka else {}),
    }
    return render(
        request,
        "bantuan/setujui.html",
        konteks,
        status=422 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def bantuan_tolak(request, pk):
    bantuan = _bantuan_manajer(request, pk)
    form = TolakForm(request.POST)
    if form.is_valid():
        try:
            services.bantuan_tolak(
                bantuan=bantuan, oleh=request.user, alasan=form.cleaned_data["alasan"]
            )
        except ValidationError as e:
            tambah_galat_service(form, e)
        else:
            messages.success(request, _("Pengajuan %(nomor)s ditolak.") % {"nomor": bantuan.nomor})
            return redirect(bantuan)
    if bantuan.status == Bantuan.Status.DIAJUKAN:
        return _render_setujui(request, bantuan, form_tolak=form)
    return _render_detail(request, bantuan, status=422, form_tolak=form)


@login_required
@require_http_methods(["GET", "POST"])
def bantuan_cairkan(request, pk):
    """Disbursement with a confirmation step: the amount, the recipient and the fund's
    balance, a date and a checkbox. Afterwards the loan's page offers the schedule and
    recording an instalment."""
    bantuan = _bantuan_manajer(request, pk)
    hari_ini = timezone.localdate()
    form = CairkanForm(request.POST or None, bantuan=bantuan, initial={"tanggal_cair": hari_ini})
    if request.method == "POST" and form.is_valid():
        try:
            services.bantuan_cairkan(
                bantuan=bantuan, oleh=request.user, tanggal_cair=form.cleaned_data["tanggal_cair"]
            )
        except ValidationError as e:
            tambah_galat_service(form, e)
        else:
            messages.success(request, _("Bantuan %(nomor)s dicairkan.") % {"nomor": bantuan.nomor})
            return redirect(f"{bantuan.get_absolute_url()}#langkah-berikutnya")
    terbuka = bantuan.status == Bantuan.Status.DISETUJUI
    return render(
        request,
        "bantuan/cairkan.html",
        {
            "bantuan": bantuan,
            "terbuka": terbuka,
            "form": form,
            "dana": selectors.dana_tersedia(bantuan, per_tanggal=hari_ini) if terbuka else None,
        },
        status=422 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def bantuan_hapus_buku(request, pk):
    """Write-off, reached from the loan's secondary menu: its own page with the remaining
    principal, a reason, a date and a checkbox that says what it means."""
    bantuan = _bantuan_terlihat(request, pk, posisi=True)
    akses.require_manajer_di(request.user, bantuan.klaster_id)
    form = HapusBukuForm(
        request.POST or None, bantuan=bantuan, initial={"tanggal": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.bantuan_hapus_buku(
                bantuan=bantuan,
                oleh=request.user,
                alasan=form.cleaned_data["alasan"],
                tanggal=form.cleaned_data["tanggal"],
            )
        except ValidationError as e:
            tambah_galat_service(form, e)
        else:
            messages.success(
                request, _("Pinjaman %(nomor)s dihapusbukukan.") % {"nomor": bantuan.nomor}
            )
            return redirect(bantuan)
    return render(
        request,
        "bantuan/hapus_buku.html",
        {
            "bantuan": bantuan,
            "terbuka": bantuan.status == Bantuan.Status.DICAIRKAN
            and bantuan.jenis == Bantuan.Jenis.MODAL_BERGULIR,
            "form": form,
            "per_tanggal": timezone.localdate(),
        },
        status=422 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def angsuran_catat(request, pk):
    """Record a repayment: the facilitator's phone form (works at 360 px)."""
    bantuan = _bantuan_terlihat(request, pk, posisi=True)
    akses.require_petugas_di(request.user, bantuan.klaster_id)
    form = AngsuranForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            angsuran = services.angsuran_catat(
                bantuan=bantuan, oleh=request.user, **form.cleaned_data
            )
        except ValidationError as e:
            tambah_galat_service(form, e)
        else:
            messages.success(
                request,
                _("Angsuran %(jumlah)s untuk %(nomor)s tercatat.")
                % {
                    "jumlah": format_rupiah(angsuran.jumlah),
                    "nomor": bantuan.nomor,
                },
            )
            return redirect(bantuan)
    return render(
        request,
        "bantuan/angsuran_form.html",
        {"bantuan": bantuan, "form": form},
        status=422 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def angsuran_koreksi(request, pk):
    """Reverse a repayment with a reason (never an edit or a delete)."""
    angsuran = get_object_or_404(
        Angsuran.objects.visible_to(request.user).select_related(
            "bantuan", "bantuan__mitra", "bantuan__kelompok", "dicatat_oleh"
        ),
        pk=pk,
    )
    if not akses.boleh_koreksi_angsuran(
        request.user, klaster=angsuran.bantuan.klaster_id, dicatat_oleh_id=angsuran.dicatat_oleh_id
    ):
        raise PermissionDenied
    form = KoreksiForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.angsuran_koreksi(
                angsuran=angsuran, oleh=request.user, alasan=form.cleaned_data["alasan"]
            )
        except ValidationError as e:
            tambah_galat_service(form, e)
        else:
            messages.success(request, _("Angsuran dibatalkan dengan entri koreksi."))
            return redirect(angsuran.bantuan)
    return render(
        request,
        "bantuan/koreksi_form.html",
        {"angsuran": angsuran, "bantuan": angsuran.bantuan, "form": form},
        status=422 if request.method == "POST" else 200,
    )


@login_required
@require_GET
@baca_replika
def portofolio(request):
    akses.require_petugas(request.user)
    per_tanggal = _per_tanggal_mentah(request)
    semua = list(versi.dengan_versi(Klaster.objects.visible_to(request.user)).order_by("nama"))
    pilihan = PerTanggalForm(request.GET or None, klaster_list=semua)
    _tanggal, klaster = pilihan.nilai()
    klaster_list = semua if klaster is None else [k for k in semua if k.pk == klaster.pk]
    # every figure from the parts kept per klaster under the versions of its data
    isi = selectors.portofolio_halaman(*versi.dari_klaster(klaster_list), per_tanggal=per_tanggal)
    for k in klaster_list:
        dana = isi["bergulir"].get(k.pk, {})
        k.bergulir_masuk = dana.get("masuk", NOL)
        k.bergulir_keluar = dana.get("keluar", NOL)
        k.bergulir_saldo = dana.get("saldo", NOL)
    # every kelompok counts in the totals; the table shows 50 a page
    per_kelompok = Paginator(isi["per_kelompok"], PER_HALAMAN).get_page(request.GET.get("halaman"))
    # the two per-klaster tables (a thousand rows each nationally) are kept rendered under a
    # digest of their rows, the language and the number style
    umum = (get_language(), gaya_angka_aktif())
    bergulir = [
        (k.pk, k.nama, k.bergulir_masuk, k.bergulir_keluar, k.bergulir_saldo) for k in klaster_list
    ]
    return render(
        request,
        "bantuan/portofolio.html",
        {
            "sidik_bergulir": simpanan.sidik((umum, bergulir)),
            "sidik_sumber": simpanan.sidik((umum, isi["per_sumber_dana"])),
            "pilihan": pilihan,
            "per_tanggal": per_tanggal,
            "klaster_pilihan": klaster,
            "ringkasan": isi["ringkasan"],
            "per_kelompok": per_kelompok.object_list,
            "halaman": per_kelompok,
            "parameter": _parameter_tanpa_halaman(request),
            "per_sumber_dana": isi["per_sumber_dana"],
            "klaster_list": klaster_list,
            "generasi": isi["generasi"],
        },
    )


@login_required
@require_GET
@baca_replika
def tunggakan(request):
    akses.require_petugas(request.user)  # members in arrears, with their phone numbers
    klaster_semua = list(
        versi.dengan_versi(Klaster.objects.visible_to(request.user)).order_by("nama")
    )
    pilihan = PerTanggalForm(request.GET or None, klaster_list=klaster_semua)
    per_tanggal, klaster = pilihan.nilai()
    terpilih = klaster_semua if klaster is None else [klaster]
    # every overdue loan's figures (for the totals and the order), kept per klaster under
    # the versions of its data; the page's 50 rows are then read with their relations
    per_klaster, _acuan = versi.dari_klaster(terpilih)
    urutan = selectors.tunggakan_halaman(per_klaster, per_tanggal=per_tanggal)
    halaman = Paginator(urutan["baris"], PER_HALAMAN).get_page(request.GET.get("halaman"))
    return render(
        request,
        "bantuan/tunggakan.html",
        {
            "pilihan": pilihan,
            "per_tanggal": per_tanggal,
            "baris": selectors.baris_tunggakan(halaman.object_list, per_tanggal=per_tanggal),
            "halaman": halaman,
            "parameter": _parameter_tanpa_halaman(request),
            "jumlah_penunggak": len(urutan["baris"]),
            "total_tunggakan": urutan["total_tunggakan"],
            "total_sisa_pokok": urutan["total_sisa_pokok"],
            "boleh_catat": akses.boleh_menulis(request.user),
        },
    )


def _per_tanggal_mentah(request):
    """The as-of date from ?per_tanggal= alone (today when missing or not a date), needed
    before the klaster list that the report form chooses from."""
    form = PerTanggalForm({"per_tanggal": request.GET.get("per_tanggal", "")}, klaster_list=[])
    return form.nilai()[0]

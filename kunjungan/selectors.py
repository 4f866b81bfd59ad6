"""Read-side queries for field visits (kunjungan): the meeting screen's roster, the
facilitator's risk-ordered visit list, history, a kelompok's timeline, a mitra's record,
and the manager's tables. Every function issues a fixed number of queries, whatever the
number of members or visits."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, IntegerField, Max, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce, ExtractMonth

from bantuan import selectors as bantuan_selectors
from bantuan.models import Angsuran, Bantuan, JadwalAngsuran
from kelompok.models import Kelompok
from kunjungan.models import Kunjungan
from mitra.models import Mitra, PengukuranPendapatan

# A kelompok not visited for this many days goes on the facilitator's list.
HARI_BELUM_DIKUNJUNGI = 30


# ---------------------------------------------------------------- the meeting screen


def anggota_kelompok(kelompok) -> QuerySet[Mitra]:
    """The roster a visit is taken against: the kelompok's members who have not left."""
    return Mitra.objects.filter(kelompok=kelompok).exclude(status=Mitra.Status.KELUAR)


def q_anggota_pada(tanggal, awalan: str = "") -> Q:
    """Mitra who are members at a date: joined on or before it and not left before it.
    `tanggal` may be an expression (OuterRef("tanggal")); `awalan` reaches the mitra."""
    return Q(**{awalan + "tanggal_bergabung__lte": tanggal}) & (
        Q(**{awalan + "tanggal_keluar__isnull": True})
        | Q(**{awalan + "tanggal_keluar__gte": tanggal})
    )


def anggota_pada(kelompok, tanggal: datetime.date) -> set[int]:
    """Ids of the kelompok's members at the date (q_anggota_pada). One query."""
    return set(
        Mitra.objects.filter(q_anggota_pada(tanggal), kelompok=kelompok).values_list(
            "pk", flat=True
        )
    )


def pinjaman_aktif_per_mitra(mitra_ids, *, per_tanggal: datetime.date) -> dict[int, Bantuan]:
    """Each mitra's active revolving loan (the oldest disbursed one, repaid first), annotated
    with its position (sisa_pokok, tunggakan, ...) and the regular instalment amount.
    One query."""
    qs = Bantuan.objects.filter(
        mitra_id__in=list(mitra_ids),
        jenis=Bantuan.Jenis.MODAL_BERGULIR,
        status=Bantuan.Status.DICAIRKAN,
    ).annotate(
        angsuran_rutin=Subquery(
            JadwalAngsuran.objects.filter(bantuan=OuterRef("pk"), ke=1).values("jumlah")[:1]
        )
    )
    qs = bantuan_selectors.pinjaman_dengan_posisi(qs, per_tanggal=per_tanggal)
    pinjaman: dict[int, Bantuan] = {}
    qs = bantuan_selectors.aktif_saja(qs, per_tanggal=per_tanggal).order_by("tanggal_cair", "pk")
    for b in bantuan_selectors.tambah_hari_tunggakan(qs, per_tanggal=per_tanggal):
        pinjaman.setdefault(b.mitra_id, b)
    return pinjaman


def tambah_pinjaman(anggota: list[Mitra], *, per_tanggal: datetime.date) -> list[Mitra]:
    """Set `.pinjaman` (the active loan with its position, or None) on each member.
    One query (none for an empty roster)."""
    pinjaman = pinjaman_aktif_per_mitra([m.pk for m in anggota], per_tanggal=per_tanggal)
    for m in anggota:
        m.pinjaman = pinjaman.get(m.pk)
    return anggota


def daftar_hadir(kelompok, *, per_tanggal: datetime.date) -> list[Mitra]:
    """The meeting screen's rows: members with `.pinjaman` (the active loan or None).
    Two queries."""
    anggota = list(anggota_kelompok(kelompok).order_by("nama", "pk"))
    return tambah_pinjaman(anggota, per_tanggal=per_tanggal)


def kelompok_dan_anggota(user, pk) -> tuple[Kelompok, list[Mitra]] | None:
    """A kelompok in the user's scope and its roster (ordered by name), or None when it is
    outside the scope. One query: the scope check rides on the roster's; a kelompok
    without active members takes a second to tell "empty" from "not yours"."""
    dalam_lingkup = Kelompok.objects.visible_to(user).filter(pk=pk).values("pk")
    anggota = list(
        anggota_kelompok(pk)
        .filter(kelompok__in=dalam_lingkup)
        .select_related("kelompok__klaster")
        .order_by("nama", "pk")
    )
    if not anggota:
        kelompok = Kelompok.objects.visible_to(user).select_related("klaster").filter(pk=pk)
        kelompok = kelompok.first()
        return None if kelompok is None else (kelompok, [])
    kelompok = anggota[0].kelompok
    for m in anggota:
        m.kelompok = kelompok  # one object for the whole roster, as a prefetch would give
    return kelompok, anggota


# ---------------------------------------------------------------- the facilitator's home


@dataclass
class KelompokRencana:
    """A kelompok on the "kunjungi minggu ini" list and why it is there."""

    kelompok: Kelompok
    terakhir: datetime.date | None
    hari_sejak: int | None
    # visited this week (from Monday): marked "sudah dikunjungi" and moved to the end
    sudah_dikunjungi: bool = False
    jumlah_mitra_menunggak: int = 0
    tunggakan: Decimal = Decimal("0")
    hari_tunggakan_maks: int = 0
    alasan: list[str] = field(default_factory=list)

    @property
    def menunggak(self) -> bool:
        # a loan to the group itself adds to tunggakan without counting a member
        return self.tunggakan > 0

    @property
    def lama_tidak_dikunjungi(self) -> bool:
        return self.hari_sejak is None or self.hari_sejak >= HARI_BELUM_DIKUNJUNGI


def kelompok_dengan_kunjungan_terakhir(user):
    """Visible kelompok annotated with the date of their last visit and member count."""
    anggota = (
        Mitra.objects.filter(kelompok=OuterRef("pk"))
        .exclude(status=Mitra.Status.KELUAR)
        .order_by()
        .values("kelompok")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        Kelompok.objects.visible_to(user)
        .select_related("desa", "klaster")
        .annotate(
            kunjungan_terakhir=Max("kunjungan__tanggal"),
            jumlah_anggota=Coalesce(Subquery(anggota, output_field=IntegerField()), Value(0)),
        )
    )


def awal_minggu(tanggal: datetime.date) -> datetime.date:
    """The Monday of the date's week (the facilitator's week runs Monday to Sunday)."""
    return tanggal - datetime.timedelta(days=tanggal.weekday())


def rencana_kunjungan(user, *, per_tanggal: datetime.date) -> dict:
    """The facilitator's week: every visible active kelompok (`kelompok_saya`) and, ordered
    by risk, those with members in arrears or not visited for 30 days or more
    (`kunjungi`). A kelompok that was on the list and has been visited since Monday stays
    on it, marked `sudah_dikunjungi`, after the ones still to visit. Three queries."""
    senin = awal_minggu(per_tanggal)
    kelompok = list(
        kelompok_dengan_kunjungan_terakhir(user)
        .exclude(status=Kelompok.Status.TIDAK_AKTIF)
        .annotate(
            kunjungan_sebelum_minggu=Max(
                "kunjungan__tanggal", filter=Q(kunjungan__tanggal__lt=senin)
            )
        )
        .order_by("kode", "pk")
    )
    tunggakan = bantuan_selectors.tunggakan_per_kelompok(
        Kelompok.objects.filter(pk__in=[k.pk for k in kelompok]), per_tanggal=per_tanggal
    )
    rencana = []
    for k in kelompok:
        t = tunggakan.get(k.pk) or {}
        terakhir = k.kunjungan_terakhir
        r = KelompokRencana(
            kelompok=k,
            terakhir=terakhir,
            hari_sejak=(per_tanggal - terakhir).days if terakhir else None,
            jumlah_mitra_menunggak=int(t.get("jumlah_mitra") or 0),
            tunggakan=t.get("tunggakan") or Decimal("0"),
            hari_tunggakan_maks=int(t.get("hari_tunggakan_maks") or 0),
        )
        if terakhir is not None and senin <= terakhir <= per_tanggal:
            # on the list as the week began (arrears, or the visit before this week's was
            # 30 days or more before today): keep it, marked as done
            sebelumnya = k.kunjungan_sebelum_minggu
            if (
                r.menunggak
                or sebelumnya is None
                or (per_tanggal - sebelumnya).days >= HARI_BELUM_DIKUNJUNGI
            ):
                r.sudah_dikunjungi = True
                rencana.append(r)
        elif r.menunggak or r.lama_tidak_dikunjungi:
            rencana.append(r)
    # still to visit first: arrears first, the oldest arrears first; then the longest
    # without a visit (never first); the ones visited this week last, by visit date
    rencana.sort(
        key=lambda r: (
            1 if r.sudah_dikunjungi else 0,
            r.terakhir.toordinal() if r.sudah_dikunjungi else 0,
            0 if r.menunggak else 1,
            -r.hari_tunggakan_maks,
            -r.tunggakan,
            -(r.hari_sejak if r.hari_sejak is not None else 10**6),
            r.kelompok.kode,
        )
    )
    return {"kelompok_saya": kelompok, "kunjungi": rencana}


def tindak_lanjut_terbuka(user, *, batas: int = 50) -> list[Kunjungan]:
    """Follow-ups written on visits in the user's scope and not closed yet, newest first
    (the one typed at today's meeting on top). Ask for one more than you show to know
    whether there are more. One query."""
    return list(
        Kunjungan.objects.visible_to(user)
        .exclude(tindak_lanjut="")
        .filter(tindak_lanjut_selesai=False)
        .select_related("kelompok", "fasilitator")
        .order_by("-tanggal", "-pk")[:batas]
    )


# ---------------------------------------------------------------- history


def kunjungan_list(user):
    """Visits in the user's scope for the history list, with what each row shows (the
    attendance count is kept on the visit: Kunjungan.jumlah_hadir)."""
    return (
        Kunjungan.objects.visible_to(user)
        .select_related("kelompok", "fasilitator", "klaster")
        .order_by("-tanggal", "-pk")
    )


def kunjungan_detail(kunjungan: Kunjungan) -> dict:
    """Everything the detail page shows: attendance, readings, instalments. Three queries."""
    hadir = list(kunjungan.hadir.order_by("nama", "pk"))
    pengukuran = list(kunjungan.pengukuran.select_related("mitra").order_by("mitra__nama", "pk"))
    angsuran = list(
        kunjungan.angsuran.select_related("bantuan", "bantuan__mitra").order_by(
            "bantuan__mitra__nama", "pk"
        )
    )
    return {
        "hadir": hadir,
        "pengukuran": pengukuran,
        "angsuran": angsuran,
        "total_angsuran": sum((a.jumlah for a in angsuran), Decimal("0")),
    }


def kunjungan_untuk_kelompok(kelompok, *, batas: int | None = None) -> list[Kunjungan]:
    """A kelompok's visit timeline, newest first, with attendance count (kept on the visit),
    readings taken and instalments collected per visit. One query."""
    pengukuran = (
        PengukuranPendapatan.objects.filter(kunjungan=OuterRef("pk"))
        .order_by()
        .values("kunjungan")
        .annotate(n=Count("pk"))
        .values("n")
    )
    angsuran = (
        Angsuran.objects.filter(kunjungan=OuterRef("pk"))
        .order_by()
        .values("kunjungan")
        .annotate(s=Sum("jumlah"))
        .values("s")
    )
    qs = (
        Kunjungan.objects.filter(kelompok=kelompok)
        .select_related("fasilitator")
        .annotate(
            jumlah_pengukuran=Coalesce(Subquery(pengukuran, output_field=IntegerField()), Value(0)),
            total_angsuran=Subquery(angsuran),
        )
        .order_by("-tanggal", "-pk")
    )
    if batas:
        qs = qs[:batas]
    return list(qs)


def kunjungan_untuk_mitra(mitra) -> dict:
    """A mitra's record from visits: visits attended, income readings and instalments taken
    at visits. Three queries."""
    hadir = list(
        mitra.kunjungan_hadir.select_related("kelompok", "fasilitator").order_by("-tanggal", "-pk")
    )
    pengukuran = list(
        PengukuranPendapatan.objects.filter(mitra=mitra, kunjungan__isnull=False)
        .select_related("kunjungan_link__kunjungan")
        .order_by("-tanggal", "-pk")
    )
    angsuran = list(
        Angsuran.objects.filter(bantuan__mitra=mitra, kunjungan__isnull=False)
        .select_related("kunjungan_link__kunjungan", "bantuan")
        .order_by("-tanggal", "-pk")
    )
    return {"hadir": hadir, "pengukuran": pengukuran, "angsuran": angsuran}


# ---------------------------------------------------------------- manager tables


def rekap_per_fasilitator(user, *, tahun: int) -> dict:
    """Visits per facilitator per month of a year: rows of 12 counts and a total, and the
    column totals. One query."""
    hitung = (
        Kunjungan.objects.visible_to(user)
        .filter(tanggal__year=tahun)
        .annotate(bulan_ke=ExtractMonth("tanggal"))
        .order_by()
        .values(
            "fasilitator_id",
            "fasilitator__username",
            "fasilitator__first_name",
            "fasilitator__last_name",
            "bulan_ke",
        )
        .annotate(n=Count("pk"))
    )
    baris: dict[int, dict] = {}
    total_bulan = [0] * 12
    for h in hitung:
        nama = f"{h['fasilitator__first_name']} {h['fasilitator__last_name']}".strip()
        b = baris.setdefault(
            h["fasilitator_id"],
            {"nama": nama or h["fasilitator__username"], "bulan": [0] * 12, "total": 0},
        )
        b["bulan"][h["bulan_ke"] - 1] += h["n"]
        b["total"] += h["n"]
        total_bulan[h["bulan_ke"] - 1] += h["n"]
    return {
        "baris": sorted(baris.values(), key=lambda b: b["nama"].lower()),
        "total_bulan": total_bulan,
        "total": sum(total_bulan),
    }


def tahun_kunjungan(user, *, termasuk: int) -> list[int]:
    """Years with visits in the user's scope (newest first), plus `termasuk`. One query."""
    tahun = {d.year for d in Kunjungan.objects.visible_to(user).dates("tanggal", "year")}
    return sorted(tahun | {termasuk}, reverse=True)


AMBANG_CAKUPAN = (30, 60, 90)


def cakupan(user, *, per_tanggal: datetime.date, ambang: int = 30) -> dict:
    """Coverage: how many active kelompok went 30, 60, 90 days or more without a visit (never
    visited counts as not visited), and the list for the chosen threshold, longest first.
    Two queries."""
    kelompok = list(
        kelompok_dengan_kunjungan_terakhir(user)
        .exclude(status=Kelompok.Status.TIDAK_AKTIF)
        .order_by("kode", "pk")
    )
    for k in kelompok:
        k.hari_sejak = (per_tanggal - k.kunjungan_terakhir).days if k.kunjungan_terakhir else None

    def belum(k, hari):
        return k.hari_sejak is None or k.hari_sejak >= hari

    daftar = [k for k in kelompok if belum(k, ambang)]
    daftar.sort(key=lambda k: (k.hari_sejak is not None, -(k.hari_sejak or 0), k.kode))
    return {
        "jumlah_kelompok": len(kelompok),
        "ringkasan": [
            {"hari": h, "jumlah": sum(1 for k in kelompok if belum(k, h))} for h in AMBANG_CAKUPAN
        ],
        "daftar": daftar,
        "ambang": ambang,
    }


def fasilitator_pilihan(user):
    """Users who logged visits in the user's scope (choices of the history filter)."""
    from django.contrib.auth import get_user_model

    User = get_user_model()
    return (
        User.objects.filter(Q(kunjungan__in=Kunjungan.objects.visible_to(user).values("pk")))
        .distinct()
        .order_by("first_name", "username")
    )

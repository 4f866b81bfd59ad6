"""Read side of financing: positions, arrears, kolektibilitas, PAR30, the revolving fund.

Every function takes `per_tanggal` (the as-of date). As of today, positions come from what
each loan keeps (Bantuan.pokok_terbayar and jatuh_tempo_belum_lunas, kept by the services at
write time, bantuan/posisi.py): one set-based query. For any other date they are computed
from the instalments and schedules, in SQL that runs on PostgreSQL and SQLite alike: no date
arithmetic inside SQL; thresholds such as "30 days before per_tanggal" are computed in Python
and compared against columns. Both give the same figures (bantuan/tests/test_posisi.py).

Definitions (as of date D):
- A *loan* is a `modal_bergulir` Bantuan disbursed on or before D (status dicairkan, lunas or
  dihapusbukukan with tanggal_cair <= D). Only loans are repaid; grants never have arrears.
- terbayar = sum of Angsuran with tanggal <= D, reversals (negative entries) included.
- sisa_pokok = jumlah - terbayar.
- An instalment is *overdue* when its jatuh_tempo is before D and the paid sum does not cover
  its `kumulatif`. jatuh_tempo_tertunggak is the oldest overdue instalment's date; days past
  due = D - that date (an instalment falling due on D itself is not yet overdue).
- tunggakan = sum scheduled before D minus terbayar, when positive.
- Kolektibilitas by POJK 40/2019 from days past due: 0 → 1, 1–90 → 2, 91–120 → 3,
  121–180 → 4, >180 → 5.
- Written off (tanggal_hapus_buku <= D): no longer outstanding, not in PAR30 nor in the
  kolektibilitas table; reported on their own line with the principal written off.
  Before its write-off date such a loan counts like any other.
- Outstanding = sum of sisa_pokok of loans not written off with sisa_pokok > 0.
- PAR30 = sisa_pokok of outstanding loans more than 30 days past due ÷ outstanding.
- Repayment rate = collected ÷ due: due is the scheduled sum with jatuh_tempo <= D
  (up to the write-off date for written-off loans); collected is, per loan, the paid sum capped
  at what was due, so paying ahead does not hide someone else's arrears.
"""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.db.models import (
    Case,
    Count,
    DateField,
    DecimalField,
    ExpressionWrapper,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import pgettext_lazy

from bantuan.jadwal import bulan_jatuh_tempo, kumulatif_ke
from bantuan.models import Angsuran, Bantuan, JadwalAngsuran, SumberDana
from kelompok.models import Kelompok
from klaster import simpanan
from klaster.models import Klaster
from mitra.models import Mitra
from mitra.nik import normalisasi_nik

NOL = Decimal("0")
UANG = DecimalField(max_digits=15, decimal_places=2)
STATUS_CAIR = [s.value for s in Bantuan.STATUS_CAIR]

# names read in the interface's language when shown (lazy): kept as they are in cached sections
KOLEKTIBILITAS = {
    1: pgettext_lazy("kolektibilitas", "Lancar"),
    2: pgettext_lazy("kolektibilitas", "Dalam Perhatian Khusus"),
    3: pgettext_lazy("kolektibilitas", "Kurang Lancar"),
    4: pgettext_lazy("kolektibilitas", "Diragukan"),
    5: pgettext_lazy("kolektibilitas", "Macet"),
}


def kolektibilitas_dari_hari(hari: int) -> int:
    """Kolektibilitas 1..5 from days past due (POJK 40/2019)."""
    if hari <= 0:
        return 1
    if hari <= 90:
        return 2
    if hari <= 120:
        return 3
    if hari <= 180:
        return 4
    return 5


def _tersimpan(per_tanggal: datetime.date) -> bool:
    """Whether the position as of the date is the one each loan keeps (today's)."""
    return per_tanggal == timezone.localdate()


def _uang(expr):
    return Coalesce(expr, Value(NOL), output_field=UANG)


def _jumlah_subquery(qs, field: str):
    """A correlated SUM(field) over qs as a scalar subquery (0 when nothing matches)."""
    return _uang(
        Subquery(
            qs.order_by().values("bantuan").annotate(total=Sum(field)).values("total")[:1],
            output_field=UANG,
        )
    )


def _q_pinjaman(per_tanggal) -> Q:
    return Q(
        jenis=Bantuan.Jenis.MODAL_BERGULIR,
        status__in=STATUS_CAIR,
        tanggal_cair__lte=per_tanggal,
    )


def _q_hapus_buku(per_tanggal) -> Q:
    return Q(tanggal_hapus_buku__isnull=False, tanggal_hapus_buku__lte=per_tanggal)


def _hari_sebelum(d: datetime.date, n: int) -> datetime.date:
    return d - datetime.timedelta(days=n)


def anotasi_posisi(qs, *, per_tanggal: datetime.date):
    """Annotate every Bantuan in qs with its position as of per_tanggal (no filtering):
    terbayar, sisa_pokok, kewajiban_lewat, kewajiban_jatuh_tempo, jatuh_tempo_tertunggak,
    tunggakan, terkumpul, kolektibilitas.

    Rows that are not loans as of the date (grants, not yet disbursed) get terbayar 0,
    sisa_pokok 0, no arrears and kolektibilitas None.
    """
    d = per_tanggal
    jadwal = JadwalAngsuran.objects.filter(bantuan=OuterRef("pk"))
    if _tersimpan(d):
        qs = qs.annotate(terbayar=ExpressionWrapper(F("pokok_terbayar"), UANG))
    else:
        qs = qs.annotate(
            terbayar=_jumlah_subquery(
                Angsuran.objects.filter(bantuan=OuterRef("pk"), tanggal__lte=d), "jumlah"
            )
        )
    qs = qs.annotate(
        # scheduled sum due strictly before D (overdue if unpaid) and up to D (due to date)
        kewajiban_lewat=_uang(
            Subquery(
                jadwal.filter(jatuh_tempo__lt=d).order_by("-ke").values("kumulatif")[:1],
                output_field=UANG,
            )
        ),
        kewajiban_jatuh_tempo=Case(
            When(
                _q_hapus_buku(d),
                then=_uang(
                    # written off by D: nothing falls due after the write-off date
                    Subquery(
                        jadwal.filter(jatuh_tempo__lte=OuterRef("tanggal_hapus_buku"))
                        .order_by("-ke")
                        .values("kumulatif")[:1],
                        output_field=UANG,
                    )
                ),
            ),
            default=_uang(
                Subquery(
                    jadwal.filter(jatuh_tempo__lte=d).order_by("-ke").values("kumulatif")[:1],
                    output_field=UANG,
                )
            ),
            output_field=UANG,
        ),
    )
    if _tersimpan(d):
        # the oldest instalment the paid sum does not reach, when it fell due before D
        tertunggak = When(
            _q_pinjaman(d) & Q(jatuh_tempo_belum_lunas__lt=d), then=F("jatuh_tempo_belum_lunas")
        )
    else:
        tertunggak = When(
            _q_pinjaman(d),
            then=Subquery(
                jadwal.filter(jatuh_tempo__lt=d, kumulatif__gt=OuterRef("terbayar"))
                .order_by("ke")
                .values("jatuh_tempo")[:1]
            ),
        )
    qs = qs.annotate(
        sisa_pokok=Case(
            When(_q_pinjaman(d), then=ExpressionWrapper(F("jumlah") - F("terbayar"), UANG)),
            default=Value(NOL),
            output_field=UANG,
        ),
        jatuh_tempo_tertunggak=Case(tertunggak, default=None, output_field=DateField()),
        tunggakan=Case(
            When(
                _q_pinjaman(d) & Q(kewajiban_lewat__gt=F("terbayar")),
                then=ExpressionWrapper(F("kewajiban_lewat") - F("terbayar"), UANG),
            ),
            default=Value(NOL),
            output_field=UANG,
        ),
        terkumpul=Case(
            When(Q(terbayar__gt=F("kewajiban_jatuh_tempo")), then=F("kewajiban_jatuh_tempo")),
            default=F("terbayar"),
            output_field=UANG,
        ),
    )
    aktif = _q_pinjaman(d) & ~_q_hapus_buku(d) & Q(sisa_pokok__gt=0)
    return qs.annotate(
        kolektibilitas=Case(
            When(~aktif, then=Value(None)),
            When(jatuh_tempo_tertunggak__isnull=True, then=Value(1)),
            When(jatuh_tempo_tertunggak__lt=_hari_sebelum(d, 180), then=Value(5)),
            When(jatuh_tempo_tertunggak__lt=_hari_sebelum(d, 120), then=Value(4)),
            When(jatuh_tempo_tertunggak__lt=_hari_sebelum(d, 90), then=Value(3)),
            default=Value(2),
            output_field=IntegerField(),
        ),
    )


def pinjaman_dengan_posisi(qs, *, per_tanggal: datetime.date):
    """Loans (modal_bergulir disbursed by per_tanggal) in qs, annotated in SQL with
    terbayar, sisa_pokok, jatuh_tempo_tertunggak, tunggakan, kewajiban_jatuh_tempo,
    terkumpul and kolektibilitas (None for written-off or fully repaid loans).

    Written-off loans are kept (filter with `aktif_saja`); rows get hari_tunggakan in
    Python through `tambah_hari_tunggakan`.
    """
    return anotasi_posisi(qs.filter(_q_pinjaman(per_tanggal)), per_tanggal=per_tanggal)


def aktif_saja(qs, *, per_tanggal: datetime.date):
    """Outstanding loans: not written off as of the date and not fully repaid."""
    return qs.exclude(_q_hapus_buku(per_tanggal)).filter(sisa_pokok__gt=0)


def tambah_hari_tunggakan(rows, *, per_tanggal: datetime.date):
    """Set hari_tunggakan (int) on each annotated row; no queries. Returns a list."""
    rows = list(rows)
    for b in rows:
        jt = getattr(b, "jatuh_tempo_tertunggak", None)
        b.hari_tunggakan = (per_tanggal - jt).days if jt else 0
    return rows


def _terbayar(bantuan: Bantuan, per_tanggal: datetime.date) -> Decimal:
    """What was repaid on one loan by the date (one query; the row is re-read, so a stale
    instance does not matter)."""
    if _tersimpan(per_tanggal):
        return Bantuan.objects.values_list("pokok_terbayar", flat=True).get(pk=bantuan.pk)
    return (
        Angsuran.objects.filter(bantuan=bantuan, tanggal__lte=per_tanggal).aggregate(
            s=Sum("jumlah")
        )["s"]
        or NOL
    )


def sisa_pokok(bantuan: Bantuan, *, per_tanggal: datetime.date) -> Decimal:
    """Remaining principal of one revolving loan as of the date (0 before disbursement)."""
    if not (
        bantuan.jenis == Bantuan.Jenis.MODAL_BERGULIR
        and bantuan.status in STATUS_CAIR
        and bantuan.tanggal_cair <= per_tanggal
    ):
        return NOL
    return bantuan.jumlah - _terbayar(bantuan, per_tanggal)


def jadwal_dengan_status(bantuan: Bantuan, *, per_tanggal: datetime.date) -> dict:
    """The schedule with each instalment's state as of the date: lunas, sebagian, belum
    (not yet due) or tertunggak (overdue). One query for the schedule, one for the paid sum."""
    terbayar = _terbayar(bantuan, per_tanggal)
    baris = []
    sebelumnya = NOL
    for j in bantuan.jadwal.order_by("ke"):
        dibayar = min(max(terbayar - sebelumnya, NOL), j.jumlah)
        if dibayar >= j.jumlah:
            keadaan = "lunas"
        elif j.jatuh_tempo < per_tanggal:
            keadaan = "tertunggak"
        elif dibayar > 0:
            keadaan = "sebagian"
        else:
            keadaan = "belum"
        baris.append({"jadwal": j, "dibayar": dibayar, "keadaan": keadaan})
        sebelumnya = j.kumulatif
    return {"baris": baris, "terbayar": terbayar}


def posisi_satu(bantuan: Bantuan, *, per_tanggal: datetime.date) -> Bantuan:
    """One Bantuan re-read with its position annotations and hari_tunggakan (one query)."""
    b = anotasi_posisi(Bantuan.objects.filter(pk=bantuan.pk), per_tanggal=per_tanggal).get()
    return tambah_hari_tunggakan([b], per_tanggal=per_tanggal)[0]


class _Posisi:
    """One loan's position as of a date, computed in Python from set-based queries."""

    __slots__ = (
        "pk",
        "jumlah",
        "sumber_dana_id",
        "kelompok_efektif",
        "mitra_id",
        "klaster_id",
        "pinjaman",
        "hapus_buku",
        "terbayar",
        "sisa_pokok",
        "kewajiban_lewat",
        "kewajiban_jatuh_tempo",
        "jatuh_tempo_tertunggak",
        "tunggakan",
        "terkumpul",
        "aktif",
        "kolektibilitas",
    )

    def __init__(
        self, pk, jumlah, jenis, tanggal_hapus_buku, sumber_dana_id, mitra_id, klaster_id,
        kelompok, d,
    ):  # fmt: skip
        self.pk = pk
        self.jumlah = jumlah
        self.sumber_dana_id = sumber_dana_id
        self.mitra_id = mitra_id
        self.klaster_id = klaster_id
        self.kelompok_efektif = kelompok
        self.pinjaman = jenis == Bantuan.Jenis.MODAL_BERGULIR
        self.hapus_buku = tanggal_hapus_buku is not None and tanggal_hapus_buku <= d
        self.jatuh_tempo_tertunggak = None
        if not self.pinjaman:  # grants are never repaid: like anotasi_posisi, no position
            self.terbayar = self.kewajiban_lewat = self.kewajiban_jatuh_tempo = NOL

    def lengkapi(self, d: datetime.date) -> "_Posisi":
        """The figures that follow from terbayar, the schedule sums and the overdue date."""
        self.sisa_pokok = self.jumlah - self.terbayar if self.pinjaman else NOL
        lewat = self.kewajiban_lewat
        self.tunggakan = lewat - self.terbayar if self.pinjaman and lewat > self.terbayar else NOL
        self.terkumpul = min(self.terbayar, self.kewajiban_jatuh_tempo)
        self.aktif = self.pinjaman and not self.hapus_buku and self.sisa_pokok > 0
        jt = self.jatuh_tempo_tertunggak
        if not self.aktif:
            self.kolektibilitas = None
        elif jt is None:
            self.kolektibilitas = 1
        else:
            self.kolektibilitas = kolektibilitas_dari_hari((d - jt).days)
        return self


# what every position reads of its Bantuan row, in _Posisi's order
_KOLOM_POSISI = (
    "pk", "jumlah", "jenis", "tanggal_hapus_buku", "sumber_dana_id", "mitra_id", "klaster_id"
)  # fmt: skip


def _kelompok_efektif(kelompok: bool):
    # a loan to a group counts for that group; a loan to a member for the member's group
    # (a join to mitra, so only for the figures per kelompok)
    if not kelompok:
        return Value(None, output_field=IntegerField())
    return Coalesce(F("kelompok_id"), F("mitra__kelompok_id"))


def _cair(bantuan_qs, d: datetime.date):
    return bantuan_qs.filter(status__in=STATUS_CAIR, tanggal_cair__lte=d).order_by()


def _posisi_tersimpan(bantuan_qs, d: datetime.date, kelompok: bool) -> list[_Posisi]:
    """Today's positions from the fields each loan keeps: one query. The schedule sums
    follow from the loan's terms (bantuan.jadwal: equal instalments, the last absorbing
    rounding), as the rows of its schedule say."""
    # instalments due before / by the date, per disbursement date (before the tenor caps them)
    lewat: dict[datetime.date, int] = {}
    sampai: dict[datetime.date, int] = {}
    hasil = []
    for *baris, kel, cair, tenor, terbayar, belum in _cair(bantuan_qs, d).values_list(
        *_KOLOM_POSISI,
        _kelompok_efektif(kelompok),
        "tanggal_cair",
        "tenor_bulan",
        "pokok_terbayar",
        "jatuh_tempo_belum_lunas",
    ):
        p = _Posisi(*baris, kel, d)
        if p.pinjaman:
            if cair not in lewat:
                lewat[cair] = bulan_jatuh_tempo(tanggal_cair=cair, batas=d, termasuk=False)
                sampai[cair] = bulan_jatuh_tempo(tanggal_cair=cair, batas=d, termasuk=True)
            if p.hapus_buku:  # nothing falls due after the write-off date
                n_sampai = bulan_jatuh_tempo(tanggal_cair=cair, batas=baris[3], termasuk=True)
            else:
                n_sampai = sampai[cair]
            p.terbayar = terbayar
            p.kewajiban_lewat = kumulatif_ke(pokok=p.jumlah, tenor_bulan=tenor, ke=lewat[cair])
            p.kewajiban_jatuh_tempo = kumulatif_ke(pokok=p.jumlah, tenor_bulan=tenor, ke=n_sampai)
            if belum is not None and belum < d:
                p.jatuh_tempo_tertunggak = belum
        hasil.append(p.lengkapi(d))
    return hasil


def _posisi_riwayat(bantuan_qs, d: datetime.date, kelompok: bool) -> list[_Posisi]:
    """Positions as of a past date from the instalments and schedules, in three set-based
    queries:
    1. the disbursed Bantuan with their paid-to-date (a scalar subquery per loan on
       angsuran_bantuan_tanggal_idx);
    2. the schedules of those loans, grouped: the cumulative sum due before / up to the
       date and up to the write-off date (kumulatif grows with ke, so MAX is the last);
    3. only for loans behind (due before the date > paid): their overdue schedule rows, to
       find the oldest unpaid instalment.
    """
    rows = _cair(bantuan_qs, d).values_list(
        *_KOLOM_POSISI,
        _kelompok_efektif(kelompok),
        _jumlah_subquery(Angsuran.objects.filter(bantuan=OuterRef("pk"), tanggal__lte=d), "jumlah"),
    )
    jadwal = {
        r["bantuan_id"]: r
        for r in JadwalAngsuran.objects.filter(
            bantuan__in=_cair(bantuan_qs, d).filter(jenis=Bantuan.Jenis.MODAL_BERGULIR).values("pk")
        )
        .order_by()
        .values("bantuan_id")
        .annotate(
            lewat=Max("kumulatif", filter=Q(jatuh_tempo__lt=d)),
            sampai=Max("kumulatif", filter=Q(jatuh_tempo__lte=d)),
            sampai_hb=Max("kumulatif", filter=Q(jatuh_tempo__lte=F("bantuan__tanggal_hapus_buku"))),
        )
    }
    hasil = []
    for *baris, kel, terbayar in rows:
        p = _Posisi(*baris, kel, d)
        if p.pinjaman:
            j = jadwal.get(p.pk, {})
            p.terbayar = terbayar or NOL
            p.kewajiban_lewat = j.get("lewat") or NOL
            p.kewajiban_jatuh_tempo = (
                j.get("sampai_hb") if p.hapus_buku else j.get("sampai")
            ) or NOL
        hasil.append(p)
    tertunggak = {p.pk: p for p in hasil if p.pinjaman and p.kewajiban_lewat > p.terbayar}
    if tertunggak:
        for bantuan_id, jatuh_tempo, kumulatif in (
            JadwalAngsuran.objects.filter(bantuan_id__in=list(tertunggak), jatuh_tempo__lt=d)
            .order_by("bantuan_id", "ke")
            .values_list("bantuan_id", "jatuh_tempo", "kumulatif")
        ):
            p = tertunggak[bantuan_id]
            if p.jatuh_tempo_tertunggak is None and kumulatif > p.terbayar:
                p.jatuh_tempo_tertunggak = jatuh_tempo
    return [p.lengkapi(d) for p in hasil]


def _posisi_massal(
    bantuan_qs, *, per_tanggal: datetime.date, kelompok: bool = False
) -> list[_Posisi]:
    """The position of every disbursed Bantuan in bantuan_qs (loans and grants), with the
    same definitions as `anotasi_posisi`: today's from the kept fields, another date's from
    the history. kelompok_efektif is filled only when `kelompok`."""
    if _tersimpan(per_tanggal):
        return _posisi_tersimpan(bantuan_qs, per_tanggal, kelompok)
    return _posisi_riwayat(bantuan_qs, per_tanggal, kelompok)


def ringkasan_portofolio(bantuan_qs, *, per_tanggal: datetime.date) -> dict:
    """Portfolio health as of the date.

    Keys: outstanding, par30 (ratio or None), par30_sisa_pokok, tingkat_pengembalian (ratio or
    None), kewajiban_jatuh_tempo, terkumpul, kolektibilitas {1..5: {jumlah_pinjaman,
    sisa_pokok}}, total_dicairkan (every jenis), total_pinjaman_dicairkan (modal bergulir),
    jumlah_pinjaman (loans disbursed), jumlah_pinjaman_aktif, jumlah_lunas, tunggakan,
    terbayar, hapus_buku {jumlah_pinjaman, sisa_pokok}.
    """
    return _ringkas_posisi(_posisi_massal(bantuan_qs, per_tanggal=per_tanggal), per_tanggal)


def portofolio_lengkap(bantuan_qs, *, per_tanggal: datetime.date) -> dict:
    """The portfolio page's three tables from one read of the positions:
    {"ringkasan", "per_kelompok", "per_sumber_dana"} as the functions of those names."""
    semua = _posisi_massal(bantuan_qs, per_tanggal=per_tanggal, kelompok=True)
    return {
        "ringkasan": _ringkas_posisi(semua, per_tanggal),
        "per_kelompok": _per_kelompok(semua, per_tanggal),
        "per_sumber_dana": _per_sumber_dana(semua),
    }


def _ringkas_posisi(semua, d: datetime.date) -> dict:
    batas30 = d - datetime.timedelta(days=30)
    dicairkan = pinjaman_dicairkan = terbayar = outstanding = tunggakan = NOL
    par30_sisa = kewajiban = terkumpul = hb_sisa = NOL
    n_pinjaman = n_aktif = n_lunas = n_hb = 0
    kol_n = dict.fromkeys(KOLEKTIBILITAS, 0)
    kol_sisa = dict.fromkeys(KOLEKTIBILITAS, NOL)
    for p in semua:
        dicairkan += p.jumlah
        if not p.pinjaman:
            continue
        n_pinjaman += 1
        pinjaman_dicairkan += p.jumlah
        terbayar += p.terbayar
        kewajiban += p.kewajiban_jatuh_tempo
        terkumpul += p.terkumpul
        if p.hapus_buku:
            n_hb += 1
            hb_sisa += p.sisa_pokok
        elif p.sisa_pokok <= 0:
            n_lunas += 1
        if p.aktif:
            n_aktif += 1
            outstanding += p.sisa_pokok
            tunggakan += p.tunggakan
            kol_n[p.kolektibilitas] += 1
            kol_sisa[p.kolektibilitas] += p.sisa_pokok
            if p.jatuh_tempo_tertunggak and p.jatuh_tempo_tertunggak < batas30:
                par30_sisa += p.sisa_pokok
    return {
        "per_tanggal": d,
        "total_dicairkan": dicairkan,
        "total_pinjaman_dicairkan": pinjaman_dicairkan,
        "jumlah_pinjaman": n_pinjaman,
        "jumlah_pinjaman_aktif": n_aktif,
        "jumlah_lunas": n_lunas,
        "terbayar": terbayar,
        "outstanding": outstanding,
        "tunggakan": tunggakan,
        "par30_sisa_pokok": par30_sisa,
        "par30": (par30_sisa / outstanding) if outstanding > 0 else None,
        "kewajiban_jatuh_tempo": kewajiban,
        "terkumpul": terkumpul,
        "tingkat_pengembalian": (terkumpul / kewajiban) if kewajiban > 0 else None,
        "kolektibilitas": {
            k: {"nama": nama, "jumlah_pinjaman": kol_n[k], "sisa_pokok": kol_sisa[k]}
            for k, nama in KOLEKTIBILITAS.items()
        },
        "hapus_buku": {"jumlah_pinjaman": n_hb, "sisa_pokok": hb_sisa},
    }


def portofolio_per_kelompok(bantuan_qs, *, per_tanggal: datetime.date) -> list[dict]:
    """Loans grouped by kelompok: count, disbursed, outstanding, arrears, PAR30."""
    return _per_kelompok(
        _posisi_massal(bantuan_qs, per_tanggal=per_tanggal, kelompok=True), per_tanggal
    )


def _per_kelompok(semua, d: datetime.date) -> list[dict]:
    return _urut_per_kelompok(_dengan_nama_kelompok(_per_kelompok_baris(semua, d)))


def _per_kelompok_baris(semua, d: datetime.date) -> dict:
    """{kelompok id (None: loans to mitra without one): its row, without its names}."""
    batas30 = d - datetime.timedelta(days=30)
    grup: dict = {}
    for p in semua:
        if not p.pinjaman:
            continue
        g = grup.get(p.kelompok_efektif)
        if g is None:
            g = grup[p.kelompok_efektif] = {
                "kelompok_efektif": p.kelompok_efektif,
                "jumlah_pinjaman": 0,
                "dicairkan": NOL,
                "outstanding": NOL,
                "tunggakan": NOL,
                "par30_sisa_pokok": NOL,
            }
        g["jumlah_pinjaman"] += 1
        g["dicairkan"] += p.jumlah
        if p.aktif:
            g["outstanding"] += p.sisa_pokok
            g["tunggakan"] += p.tunggakan
            if p.jatuh_tempo_tertunggak and p.jatuh_tempo_tertunggak < batas30:
                g["par30_sisa_pokok"] += p.sisa_pokok
    return grup


def _nama_kelompok(ids) -> dict[int, tuple[str, str]]:
    return {
        pk: (kode, nama)
        for pk, kode, nama in Kelompok.objects.filter(pk__in=[k for k in ids if k]).values_list(
            "pk", "kode", "nama"
        )
    }


def _dengan_nama_kelompok(grup: dict) -> dict:
    nama = _nama_kelompok(grup)  # one query for the names of every kelompok of the rows
    for pk, g in grup.items():
        g["kelompok_kode"], g["kelompok_nama"] = nama.get(pk, (None, None))
    return grup


def _urut_per_kelompok(grup: dict) -> list[dict]:
    # by code, loans to mitra without a kelompok last (PostgreSQL's NULLS LAST)
    return sorted(
        grup.values(),
        key=lambda g: (
            g["kelompok_kode"] is None,
            g["kelompok_kode"] or "",
            g["kelompok_efektif"] or 0,
        ),
    )


def portofolio_per_sumber_dana(bantuan_qs, *, per_tanggal: datetime.date) -> list[dict]:
    """Money disbursed (every jenis) and loans outstanding per source of funds."""
    return _per_sumber_dana(_posisi_massal(bantuan_qs, per_tanggal=per_tanggal))


def _per_sumber_dana(semua) -> list[dict]:
    return _urut_per_sumber_dana(_dengan_nama_sumber_dana(_per_sumber_dana_baris(semua)))


def _per_sumber_dana_baris(semua) -> dict:
    grup: dict = {}
    for p in semua:
        g = grup.get(p.sumber_dana_id)
        if g is None:
            g = grup[p.sumber_dana_id] = {
                "sumber_dana_id": p.sumber_dana_id,
                "jumlah_bantuan": 0,
                "dicairkan": NOL,
                "outstanding": NOL,
            }
        g["jumlah_bantuan"] += 1
        g["dicairkan"] += p.jumlah
        if p.aktif:
            g["outstanding"] += p.sisa_pokok
    return grup


def _nama_sumber_dana(ids) -> dict[int, tuple[str, str]]:
    return {
        pk: (nama, jenis)
        for pk, nama, jenis in SumberDana.objects.filter(pk__in=list(ids)).values_list(
            "pk", "nama", "jenis"
        )
    }


def _dengan_nama_sumber_dana(grup: dict) -> dict:
    for pk, (nama, jenis) in _nama_sumber_dana(grup).items():
        grup[pk]["sumber_dana__nama"], grup[pk]["sumber_dana__jenis"] = nama, jenis
    return grup


def _urut_per_sumber_dana(grup: dict) -> list[dict]:
    return sorted(grup.values(), key=lambda g: (g["sumber_dana__nama"], g["sumber_dana_id"]))


def dana_bergulir_per_klaster(klaster_qs, *, per_tanggal: datetime.date):
    """Klaster annotated with masuk (repaid money of its loans), keluar (re-lent from its
    dana_bergulir) and saldo, one query. Repayments of every revolving loan of the klaster
    flow into its fund, whatever funded the loan; reversals reduce them. As of today masuk
    is the sum of what the loans keep as repaid."""
    d = per_tanggal
    if _tersimpan(d):
        masuk = (
            Bantuan.objects.filter(klaster=OuterRef("pk"), jenis=Bantuan.Jenis.MODAL_BERGULIR)
            .order_by()
            .values("klaster")
            .annotate(t=Sum("pokok_terbayar"))
            .values("t")[:1]
        )
    else:
        masuk = (
            Angsuran.objects.filter(
                bantuan__klaster=OuterRef("pk"),
                bantuan__jenis=Bantuan.Jenis.MODAL_BERGULIR,
                tanggal__lte=d,
            )
            .order_by()
            .values("bantuan__klaster")
            .annotate(t=Sum("jumlah"))
            .values("t")[:1]
        )
    keluar = Bantuan.objects.filter(
        klaster=OuterRef("pk"),
        sumber_dana__jenis=SumberDana.Jenis.DANA_BERGULIR,
        sumber_dana__klaster=OuterRef("pk"),
        status__in=STATUS_CAIR,
        tanggal_cair__lte=d,
    )
    return klaster_qs.annotate(
        bergulir_masuk=_uang(Subquery(masuk, output_field=UANG)),
        bergulir_keluar=_uang(
            Subquery(
                keluar.order_by().values("klaster").annotate(t=Sum("jumlah")).values("t")[:1],
                output_field=UANG,
            )
        ),
    ).annotate(bergulir_saldo=ExpressionWrapper(F("bergulir_masuk") - F("bergulir_keluar"), UANG))


def dana_bergulir(klaster: Klaster, *, per_tanggal: datetime.date) -> dict:
    """The klaster's revolving fund as of the date: dict(masuk, keluar, saldo)."""
    k = dana_bergulir_per_klaster(Klaster.objects.filter(pk=klaster.pk), per_tanggal=per_tanggal)
    k = k.values("bergulir_masuk", "bergulir_keluar", "bergulir_saldo").get()
    return {
        "masuk": k["bergulir_masuk"],
        "keluar": k["bergulir_keluar"],
        "saldo": k["bergulir_saldo"],
    }


def _dengan_generasi(klaster_ids, per_tanggal: datetime.date):
    return Bantuan.objects.filter(
        klaster_id__in=list(klaster_ids),
        status__in=STATUS_CAIR,
        tanggal_cair__lte=per_tanggal,
        generasi__isnull=False,
    ).order_by()


def generasi_pinjaman(klaster_ids, *, per_tanggal: datetime.date) -> dict[int, int]:
    """Generation of each loan disbursed by the date in the given klaster: bantuan_id → n
    (bantuan/generasi.py; kept on the loan, and the same for every date from its
    disbursement on). One query."""
    return dict(_dengan_generasi(klaster_ids, per_tanggal).values_list("pk", "generasi"))


def ringkasan_generasi(klaster_ids, *, per_tanggal: datetime.date) -> list[dict]:
    """Count and amount of loans per generation: [{generasi, jumlah_pinjaman, jumlah}].
    One query."""
    return [
        {"generasi": r["generasi"], "jumlah_pinjaman": r["n"], "jumlah": r["total"]}
        for r in _dengan_generasi(klaster_ids, per_tanggal)
        .values("generasi")
        .annotate(n=Count("pk"), total=Sum("jumlah"))
        .order_by("generasi")
    ]


# --- the portfolio per klaster, merged: the portfolio page and the impact report ---------

# the sums of ringkasan_portofolio: a merge of klaster adds them up
JUMLAH_RINGKASAN = (
    "total_dicairkan",
    "total_pinjaman_dicairkan",
    "jumlah_pinjaman",
    "jumlah_pinjaman_aktif",
    "jumlah_lunas",
    "terbayar",
    "outstanding",
    "tunggakan",
    "par30_sisa_pokok",
    "kewajiban_jatuh_tempo",
    "terkumpul",
)


def _per_klaster(semua, klaster_ids) -> dict[int, list]:
    grup = {k: [] for k in klaster_ids}
    for p in semua:
        grup.setdefault(p.klaster_id, []).append(p)
    return grup


def ringkasan_per_klaster(bantuan_qs, klaster_ids, *, per_tanggal: datetime.date) -> dict:
    """{klaster id: ringkasan_portofolio of its Bantuan in bantuan_qs}, every klaster at
    once (the queries of one ringkasan_portofolio)."""
    ids = sorted(klaster_ids)
    semua = _posisi_massal(bantuan_qs.filter(klaster_id__in=ids), per_tanggal=per_tanggal)
    return {
        k: _bagian_ringkasan(_ringkas_posisi(ps, per_tanggal))
        for k, ps in _per_klaster(semua, ids).items()
    }


def _bagian_ringkasan(r: dict) -> dict:
    """A klaster's ringkasan as a cached part: without the kolektibilitas names, which are
    lazy translations (unpickling one rebuilds its proxy class); gabung_ringkasan names
    them in the page's language."""
    kol = {k: {"jumlah_pinjaman": v["jumlah_pinjaman"], "sisa_pokok": v["sisa_pokok"]}
           for k, v in r["kolektibilitas"].items()}  # fmt: skip
    return {**r, "kolektibilitas": kol}


def gabung_ringkasan(parts, per_tanggal: datetime.date) -> dict:
    """ringkasan_portofolio of several klaster from theirs: the sums added, PAR30 and the
    repayment rate recomputed from them (so, the same figures as one ringkasan_portofolio
    over every loan)."""
    parts = list(parts)
    r = {"per_tanggal": per_tanggal, **{k: 0 for k in JUMLAH_RINGKASAN}}
    kol = {k: {"nama": nama, "jumlah_pinjaman": 0, "sisa_pokok": NOL}
           for k, nama in KOLEKTIBILITAS.items()}  # fmt: skip
    hb = {"jumlah_pinjaman": 0, "sisa_pokok": NOL}
    for p in parts:
        for k in JUMLAH_RINGKASAN:
            r[k] += p[k]
        for k, v in p["kolektibilitas"].items():
            kol[k]["jumlah_pinjaman"] += v["jumlah_pinjaman"]
            kol[k]["sisa_pokok"] += v["sisa_pokok"]
        hb["jumlah_pinjaman"] += p["hapus_buku"]["jumlah_pinjaman"]
        hb["sisa_pokok"] += p["hapus_buku"]["sisa_pokok"]
    for k in ("total_dicairkan", "total_pinjaman_dicairkan", "terbayar", "outstanding",
              "tunggakan", "par30_sisa_pokok", "kewajiban_jatuh_tempo", "terkumpul"):  # fmt: skip
        r[k] = r[k] or NOL
    r["par30"] = r["par30_sisa_pokok"] / r["outstanding"] if r["outstanding"] > 0 else None
    r["tingkat_pengembalian"] = (
        r["terkumpul"] / r["kewajiban_jatuh_tempo"] if r["kewajiban_jatuh_tempo"] > 0 else None
    )
    r["kolektibilitas"] = kol
    r["hapus_buku"] = hb
    return r


def _halaman_per_klaster(klaster_ids, d: datetime.date) -> dict[int, dict]:
    """{klaster id: its part of the portfolio page}: its summary, its rows per kelompok
    and per source of funds, its revolving fund and its loans per generation. Every klaster
    at once, in a fixed number of queries."""
    ids = sorted(klaster_ids)
    semua = _posisi_massal(Bantuan.objects.filter(klaster_id__in=ids), per_tanggal=d, kelompok=True)
    per_klaster = _per_klaster(semua, ids)
    baris_kelompok = {k: _per_kelompok_baris(ps, d) for k, ps in per_klaster.items()}
    baris_sumber = {k: _per_sumber_dana_baris(ps) for k, ps in per_klaster.items()}
    # the names: one query each, for every klaster
    nama_kelompok = _nama_kelompok({kel for b in baris_kelompok.values() for kel in b})
    nama_sumber = _nama_sumber_dana({sd for b in baris_sumber.values() for sd in b})
    for b in baris_kelompok.values():
        for kel, g in b.items():
            g["kelompok_kode"], g["kelompok_nama"] = nama_kelompok.get(kel, (None, None))
    for b in baris_sumber.values():
        for sd, g in b.items():
            g["sumber_dana__nama"], g["sumber_dana__jenis"] = nama_sumber[sd]
    bergulir = {
        r["pk"]: {"masuk": r["bergulir_masuk"], "keluar": r["bergulir_keluar"],
                  "saldo": r["bergulir_saldo"]}
        for r in dana_bergulir_per_klaster(Klaster.objects.filter(pk__in=ids), per_tanggal=d)
        .values("pk", "bergulir_masuk", "bergulir_keluar", "bergulir_saldo")
    }  # fmt: skip
    generasi: dict[int, list] = {k: [] for k in ids}
    for r in (
        _dengan_generasi(ids, d)
        .values("klaster_id", "generasi")
        .annotate(n=Count("pk"), total=Sum("jumlah"))
        .order_by("klaster_id", "generasi")
    ):
        generasi[r["klaster_id"]].append(
            {"generasi": r["generasi"], "jumlah_pinjaman": r["n"], "jumlah": r["total"]}
        )
    return {
        k: {
            "ringkasan": _bagian_ringkasan(_ringkas_posisi(per_klaster[k], d)),
            "per_kelompok": list(baris_kelompok[k].values()),
            "per_sumber_dana": list(baris_sumber[k].values()),
            "bergulir": bergulir[k],
            "generasi": generasi[k],
        }
        for k in ids
    }


def _gabung_halaman(parts: list[dict], d: datetime.date) -> dict:
    """The portfolio page over several klaster from their parts: the same figures as over
    every loan at once."""
    kelompok: dict = {}
    sumber: dict = {}
    generasi: dict = {}
    for part in parts:
        for g in part["per_kelompok"]:
            _tambahkan(kelompok, g["kelompok_efektif"], g,
                       ("jumlah_pinjaman", "dicairkan", "outstanding", "tunggakan",
                        "par30_sisa_pokok"))  # fmt: skip
        for g in part["per_sumber_dana"]:
            _tambahkan(sumber, g["sumber_dana_id"], g,
                       ("jumlah_bantuan", "dicairkan", "outstanding"))  # fmt: skip
        for g in part["generasi"]:
            _tambahkan(generasi, g["generasi"], g, ("jumlah_pinjaman", "jumlah"))
    return {
        "ringkasan": gabung_ringkasan([p["ringkasan"] for p in parts], d),
        "per_kelompok": _urut_per_kelompok(kelompok),
        "per_sumber_dana": _urut_per_sumber_dana(sumber),
        "generasi": [generasi[g] for g in sorted(generasi)],
    }


def _tambahkan(grup: dict, kunci, baris: dict, jumlah: tuple) -> None:
    # a row of one part into the merged rows: a copy, so that cached parts stay as they are
    ada = grup.get(kunci)
    if ada is None:
        grup[kunci] = dict(baris)
    else:
        for k in jumlah:
            ada[k] += baris[k]


def portofolio_halaman(versi_klaster: dict[int, int], versi_acuan: int, *, per_tanggal):
    """The portfolio page's figures over the klaster of `versi_klaster` ({id: version of
    its figures}, klaster/versi.py) as of the date: {"ringkasan", "per_kelompok",
    "per_sumber_dana", "generasi", "bergulir" {klaster id: masuk/keluar/saldo}}.

    Each klaster's part is kept under its version and the reference tables' (fund names),
    and the merged page under all of them (klaster/simpanan.py): after a write only the
    klaster it touched is recomputed; the others' parts are read."""
    d = per_tanggal
    kunci_semua = simpanan.kunci(
        "portofolio-halaman", tuple(sorted(versi_klaster.items())), versi_acuan, d
    )
    hasil = simpanan.ambil([kunci_semua]).get(kunci_semua)
    if hasil is not None:
        return hasil
    kunci = {
        k: simpanan.kunci("portofolio-klaster", k, v, versi_acuan, d)
        for k, v in versi_klaster.items()
    }
    ada = simpanan.ambil(kunci.values())
    parts = {k: ada[kunci[k]] for k in kunci if kunci[k] in ada}
    kurang = [k for k in kunci if k not in parts]
    if kurang:
        baru = _halaman_per_klaster(kurang, d)
        simpanan.simpan({kunci[k]: baru[k] for k in kurang}, setelah_jawaban=True)
        parts.update(baru)
    hasil = _gabung_halaman([parts[k] for k in sorted(parts)], d)
    hasil["bergulir"] = {k: p["bergulir"] for k, p in parts.items()}
    simpanan.simpan({kunci_semua: hasil}, setelah_jawaban=True)
    return hasil


def tunggakan_per_kelompok(kelompok_qs, *, per_tanggal: datetime.date) -> dict:
    """kelompok_id → {"jumlah_mitra", "tunggakan", "hari_tunggakan_maks"}, for every kelompok
    in kelompok_qs (zeros when none is behind). jumlah_mitra counts the members with an
    overdue loan of their own; a loan to the group itself adds to tunggakan and days only."""
    d = per_tanggal
    baris = list(kelompok_qs.values_list("pk", "klaster_id"))
    ids = [pk for pk, _k in baris]
    hasil = {pk: {"jumlah_mitra": 0, "tunggakan": NOL, "hari_tunggakan_maks": 0} for pk in ids}
    if not ids:
        return hasil
    # a loan is in its recipient's klaster (bantuan/aturan.py), so the klaster narrows the
    # search first: the OR across the join to mitra alone read every loan in the database
    # (176 ms for a facilitator's one klaster at 1000x, issue 18)
    bantuan = Bantuan.objects.filter(
        Q(kelompok_id__in=ids) | Q(mitra__kelompok_id__in=ids),
        klaster_id__in={k for _pk, k in baris},
    )
    mitra: dict = defaultdict(set)
    for p in _posisi_massal(_hanya_tertunggak(bantuan, d), per_tanggal=d, kelompok=True):
        if not (p.aktif and p.tunggakan > 0) or p.kelompok_efektif not in hasil:
            continue
        h = hasil[p.kelompok_efektif]
        h["tunggakan"] += p.tunggakan
        if p.mitra_id:
            mitra[p.kelompok_efektif].add(p.mitra_id)
        if p.jatuh_tempo_tertunggak:
            h["hari_tunggakan_maks"] = max(
                h["hari_tunggakan_maks"], (d - p.jatuh_tempo_tertunggak).days
            )
    for pk, anggota in mitra.items():
        hasil[pk]["jumlah_mitra"] = len(anggota)
    return hasil


def _hanya_tertunggak(bantuan_qs, d: datetime.date):
    """bantuan_qs narrowed, as of today, to the loans whose oldest unpaid instalment fell due
    before the date (the only ones with arrears); any other date: unchanged."""
    if _tersimpan(d):
        return bantuan_qs.filter(jatuh_tempo_belum_lunas__lt=d)
    return bantuan_qs


def daftar_tunggakan(bantuan_qs, *, per_tanggal: datetime.date) -> list:
    """The collection list: outstanding loans with an overdue amount, most days past due
    first, with the borrower's phone and kelompok (`urutan_tunggakan`, then the rows with
    their relations in one more query)."""
    urutan = urutan_tunggakan(bantuan_qs, per_tanggal=per_tanggal)["baris"]
    return baris_tunggakan(urutan, per_tanggal=per_tanggal)


def total_daftar(bantuan_qs, *, per_tanggal: datetime.date) -> dict:
    """Totals of the financing list for bantuan_qs: count and amount of every Bantuan,
    remaining principal and arrears of the running loans (kolektibilitas not None). As of
    today one aggregate on the kept fields, and the positions of the overdue loans only.
    (The list over whole klaster reads them from the parts of tunggakan_halaman.)"""
    d = per_tanggal
    if not _tersimpan(d):
        total = bantuan_qs.order_by().aggregate(n=Count("pk"), total_jumlah=Sum("jumlah"))
        posisi = [p for p in _posisi_massal(bantuan_qs, per_tanggal=d) if p.aktif]
        total["sisa"] = sum((p.sisa_pokok for p in posisi), NOL)
    else:
        total = bantuan_qs.order_by().aggregate(**_jumlah_tersimpan(d))
        posisi = [
            p for p in _posisi_massal(_hanya_tertunggak(bantuan_qs, d), per_tanggal=d) if p.aktif
        ]
    return _total(total, sum((p.tunggakan for p in posisi), NOL))


def _jumlah_tersimpan(d: datetime.date) -> dict:
    # the list's count, amount and remaining principal as of today, from the kept fields
    return {
        "n": Count("pk"),
        "total_jumlah": Sum("jumlah"),
        "sisa": Sum(
            F("jumlah") - F("pokok_terbayar"), filter=_q_aktif_tersimpan(d), output_field=UANG
        ),
    }


def _total(jumlah: dict, tunggakan) -> dict:
    return {
        "jumlah_bantuan": jumlah["n"],
        "jumlah": jumlah["total_jumlah"] or NOL,
        "sisa_pokok": jumlah["sisa"] or NOL,
        "tunggakan": tunggakan,
    }


def _q_aktif_tersimpan(d: datetime.date) -> Q:
    # running loans as of today, from the kept paid sum
    return _q_pinjaman(d) & ~_q_hapus_buku(d) & Q(jumlah__gt=F("pokok_terbayar"))


def saring_kolektibilitas(bantuan_qs, kolektibilitas: int, *, per_tanggal: datetime.date):
    """The running loans of bantuan_qs with the given kolektibilitas as of the date. As of
    today a condition on the kept fields; another date: the ids of the positions."""
    d = per_tanggal
    if not _tersimpan(d):
        return bantuan_qs.filter(
            pk__in=[
                p.pk
                for p in _posisi_massal(bantuan_qs, per_tanggal=d)
                if p.kolektibilitas == kolektibilitas
            ]
        )
    belum = "jatuh_tempo_belum_lunas"
    # days past due n = d - belum; kolektibilitas from n (kolektibilitas_dari_hari)
    rentang = {
        1: Q(**{f"{belum}__isnull": True}) | Q(**{f"{belum}__gte": d}),
        2: Q(**{f"{belum}__lt": d, f"{belum}__gte": _hari_sebelum(d, 90)}),
        3: Q(**{f"{belum}__lt": _hari_sebelum(d, 90), f"{belum}__gte": _hari_sebelum(d, 120)}),
        4: Q(**{f"{belum}__lt": _hari_sebelum(d, 120), f"{belum}__gte": _hari_sebelum(d, 180)}),
        5: Q(**{f"{belum}__lt": _hari_sebelum(d, 180)}),
    }[kolektibilitas]
    return bantuan_qs.filter(_q_aktif_tersimpan(d) & rentang)


_ATRIBUT_TUNGGAKAN = (
    "terbayar",
    "sisa_pokok",
    "kewajiban_lewat",
    "kewajiban_jatuh_tempo",
    "jatuh_tempo_tertunggak",
    "tunggakan",
    "terkumpul",
    "kolektibilitas",
)


def urutan_tunggakan(bantuan_qs, *, per_tanggal: datetime.date) -> dict:
    """The collection list as small data: {"baris": [(pk, *figures)] most days past due
    first, "total_tunggakan", "total_sisa_pokok"}; a page of it gets its rows through
    `baris_tunggakan`."""
    return _urutan_dari_posisi(
        _posisi_massal(_hanya_tertunggak(bantuan_qs, per_tanggal), per_tanggal=per_tanggal)
    )


def _urutan_dari_posisi(posisi) -> dict:
    posisi = [p for p in posisi if p.aktif and p.tunggakan > 0]
    posisi.sort(key=lambda p: (p.jatuh_tempo_tertunggak, -p.tunggakan, p.pk))
    return {
        "baris": [(p.pk, *(getattr(p, a) for a in _ATRIBUT_TUNGGAKAN)) for p in posisi],
        "total_tunggakan": sum((p.tunggakan for p in posisi), NOL),
        "total_sisa_pokok": sum((p.sisa_pokok for p in posisi), NOL),
    }


# where the order of urutan_tunggakan reads a row (pk, *_ATRIBUT_TUNGGAKAN)
_I_JATUH_TEMPO = 1 + _ATRIBUT_TUNGGAKAN.index("jatuh_tempo_tertunggak")
_I_TUNGGAKAN = 1 + _ATRIBUT_TUNGGAKAN.index("tunggakan")


def _urutan_baris(t: tuple) -> tuple:
    return (t[_I_JATUH_TEMPO], -t[_I_TUNGGAKAN], t[0])


def tunggakan_halaman(versi_klaster: dict[int, int], *, per_tanggal: datetime.date) -> dict:
    """urutan_tunggakan over every loan of the klaster of `versi_klaster` ({id: version of
    its figures}, klaster/versi.py) as of the date, from parts kept per klaster under its
    version, and the merged list under all of them (klaster/simpanan.py), as
    portofolio_halaman does: at 1000x a national list of 20,000 loans behind took 400 ms
    to work out on every request; after a write only the klaster it touched is worked out
    again, and the others' (already ordered) rows are merged."""
    d = per_tanggal
    kunci_semua = simpanan.kunci("daftar-halaman", tuple(sorted(versi_klaster.items())), d)
    hasil = simpanan.ambil([kunci_semua]).get(kunci_semua)
    if hasil is not None:
        return hasil
    kunci = {k: simpanan.kunci("daftar-klaster", k, v, d) for k, v in versi_klaster.items()}
    ada = simpanan.ambil(kunci.values())
    parts = {k: ada[kunci[k]] for k in kunci if kunci[k] in ada}
    kurang = [k for k in kunci if k not in parts]
    if kurang:
        per_klaster = defaultdict(list)
        bantuan = Bantuan.objects.filter(klaster_id__in=kurang)
        for p in _posisi_massal(_hanya_tertunggak(bantuan, d), per_tanggal=d):
            per_klaster[p.klaster_id].append(p)
        baru = {k: _urutan_dari_posisi(per_klaster.get(k, [])) for k in kurang}
        if _tersimpan(d):  # the financing list's totals too (total_klaster_utuh)
            jumlah = {
                r["klaster_id"]: r
                for r in bantuan.order_by().values("klaster_id").annotate(**_jumlah_tersimpan(d))
            }
            kosong = {"n": 0, "total_jumlah": None, "sisa": None}
            for k in kurang:
                baru[k]["daftar"] = _total(jumlah.get(k, kosong), baru[k]["total_tunggakan"])
        simpanan.simpan({kunci[k]: baru[k] for k in kurang}, setelah_jawaban=True)
        parts.update(baru)
    urut = [parts[k] for k in sorted(parts)]
    # each part is in order already: the sort merges their runs
    hasil = {
        "baris": sorted((t for part in urut for t in part["baris"]), key=_urutan_baris),
        "total_tunggakan": sum((part["total_tunggakan"] for part in urut), NOL),
        "total_sisa_pokok": sum((part["total_sisa_pokok"] for part in urut), NOL),
    }
    if _tersimpan(d):
        hasil["daftar"] = {
            nama: sum(
                (part["daftar"][nama] for part in urut), 0 if nama == "jumlah_bantuan" else NOL
            )
            for nama in ("jumlah_bantuan", "jumlah", "sisa_pokok", "tunggakan")
        }
    simpanan.simpan_di_proses({kunci_semua: hasil})
    return hasil


def total_klaster_utuh(versi_klaster: dict[int, int], *, per_tanggal: datetime.date) -> dict:
    """total_daftar of every Bantuan of the klaster of `versi_klaster` as of today, from
    the parts kept per klaster (tunggakan_halaman): the financing list without a filter."""
    return tunggakan_halaman(versi_klaster, per_tanggal=per_tanggal)["daftar"]


def baris_tunggakan(urutan, *, per_tanggal: datetime.date) -> list:
    """Bantuan rows (with the relations the list prints, one query) for a slice of
    `urutan_tunggakan(...)["baris"]`, in that order, with their figures and days past due."""
    figur = {t[0]: t[1:] for t in urutan}
    rows = (
        Bantuan.objects.filter(pk__in=list(figur)).select_related(
            "mitra", "mitra__kelompok", "kelompok", "kelompok__ketua", "klaster"
        )
        if figur
        else []
    )
    per_pk = {b.pk: b for b in rows}
    hasil = []
    for pk, nilai in figur.items():
        b = per_pk[pk]
        for attr, v in zip(_ATRIBUT_TUNGGAKAN, nilai, strict=True):
            setattr(b, attr, v)
        hasil.append(b)
    return tambah_hari_tunggakan(hasil, per_tanggal=per_tanggal)


def dana_tersedia(bantuan: Bantuan, *, per_tanggal: datetime.date) -> dict:
    """What the fund of a proposal can still give, for the approval and disbursement pages.

    - The klaster's revolving fund (sumber dana jenis dana_bergulir): its balance
      (`dana_bergulir`) less what other approved loans from it will take when disbursed.
    - A donor's fund (zakat, CSR, ...) keeps no balance of its own here: the klaster's budget
      (Klaster.anggaran) less what donors' funds disbursed in the klaster and what other
      approved financing will take. `saldo` is None when no budget is recorded.

    Keys: bergulir (bool), saldo, terikat (approved, not yet disbursed, this one left out),
    tersedia (saldo - terikat), sesudah (tersedia - this proposal), cukup (bool or None).
    Two queries at most (`bantuan.klaster` and `bantuan.sumber_dana` already loaded).
    """
    klaster = bantuan.klaster
    lain = Bantuan.objects.filter(klaster=klaster).exclude(pk=bantuan.pk).order_by()
    bergulir = bantuan.sumber_dana.jenis == SumberDana.Jenis.DANA_BERGULIR
    if bergulir:
        saldo = dana_bergulir(klaster, per_tanggal=per_tanggal)["saldo"]
        terikat = lain.filter(
            sumber_dana_id=bantuan.sumber_dana_id, status=Bantuan.Status.DISETUJUI
        ).aggregate(t=Sum("jumlah"))["t"]
    else:
        donor = lain.exclude(sumber_dana__jenis=SumberDana.Jenis.DANA_BERGULIR)
        total = donor.aggregate(
            cair=Sum("jumlah", filter=Q(status__in=STATUS_CAIR, tanggal_cair__lte=per_tanggal)),
            terikat=Sum("jumlah", filter=Q(status=Bantuan.Status.DISETUJUI)),
        )
        terikat = total["terikat"]
        saldo = klaster.anggaran - (total["cair"] or NOL) if klaster.anggaran > 0 else None
    terikat = terikat or NOL
    tersedia = None if saldo is None else saldo - terikat
    return {
        "bergulir": bergulir,
        "saldo": saldo,
        "terikat": terikat,
        "tersedia": tersedia,
        "sesudah": None if tersedia is None else tersedia - bantuan.jumlah,
        "cukup": None if tersedia is None else tersedia >= bantuan.jumlah,
    }


CARI_BATAS = 10
CARI_NIK_MIN = 4  # digits: fewer would match half the programme


def cari_penerima(user, kata: str, *, batas: int = CARI_BATAS) -> dict:
    """Who a financing may go to, matching `kata`, in the user's scope: mitra not keluar by
    name, or by the first digits of the NIK (at least CARI_NIK_MIN; spaces and dots ignored),
    and kelompok by code or name. {"mitra": [...], "kelompok": [...], "lebih": bool}; two
    queries (none for fewer than two characters). The NIK is never returned in full."""
    kata = "".join(ch for ch in (kata or "") if ch.isprintable()).strip()
    nik = normalisasi_nik(kata)
    hasil = {"mitra": [], "kelompok": [], "lebih": False}
    if nik.isascii() and nik.isdigit():
        if len(nik) < CARI_NIK_MIN:
            return hasil
        syarat_mitra, syarat_kelompok = Q(nik__startswith=nik), Q(kode__icontains=kata)
    elif len(kata) >= 2:
        syarat_mitra = Q(nama__icontains=kata)
        syarat_kelompok = Q(nama__icontains=kata) | Q(kode__icontains=kata)
    else:
        return hasil
    mitra = list(
        Mitra.objects.visible_to(user)
        .exclude(status=Mitra.Status.KELUAR)
        .filter(syarat_mitra)
        .select_related("kelompok")
        .order_by("nama", "pk")[: batas + 1]
    )
    kelompok = list(
        Kelompok.objects.visible_to(user)
        .filter(syarat_kelompok)
        .order_by("kode", "pk")[: batas + 1]
    )
    hasil["lebih"] = len(mitra) > batas or len(kelompok) > batas
    hasil["mitra"], hasil["kelompok"] = mitra[:batas], kelompok[:batas]
    return hasil

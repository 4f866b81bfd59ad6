"""Read side of the impact report (laporan dampak) and the programme dashboard.

Every function takes a `Saringan`: the klaster (an already scoped queryset of Klaster), the
period (dari, sampai), the filters (sektor, kelompok, desa, jenis kelamin) and the as-of date
(per_tanggal). Counts and sums are aggregated in SQL; each function makes a fixed number of
queries whatever the amount of data. The income figures fetch one row per mitra in one query
and compute means and medians in Python (a median is not portable SQL).

Definitions (also printed under each table of the report, see METODE):
- Mitra in the report: mitra of the klaster who joined on or before `sampai` and match the
  filters. Status is the status recorded today.
- Disbursed: Bantuan with status dicairkan, lunas or dihapusbukukan and tanggal_cair in the
  period. A grant to a kelompok matches the sektor/kelompok/desa filters through the kelompok
  and is left out when a jenis kelamin filter is set.
- Portfolio (outstanding, PAR30, repayment rate, kolektibilitas): bantuan.selectors as of
  per_tanggal over the same filtered Bantuan.
- Income change: baseline = the mitra's baseline reading dated on or before `sampai`;
  "sesudah" = the latest monitoring or endline reading dated within [dari, sampai] and after
  the baseline. Mitra lacking either are counted and listed, never dropped silently.
- Poverty line: per-capita income = monthly income ÷ jumlah_anggota_keluarga (the household
  size recorded on the mitra today), against the BPS line for the mitra's kabupaten (desa →
  kecamatan → kabupaten; else the klaster's kabupaten) and the reading's date
  (laporan.garis_kemiskinan explains the fallbacks). Below the line: per capita < line.
- Attendance: over visits to a kelompok, members present ÷ members of that kelompok at the
  visit date (joined on or before it and not left before it), pooled over visits.
"""

import datetime
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import (
    Case,
    CharField,
    Count,
    DecimalField,
    F,
    IntegerField,
    Q,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.functions import Cast, ExtractYear, RowNumber, TruncMonth
from django.utils.translation import gettext_lazy as _

from bantuan import selectors as bantuan_selectors
from bantuan.models import Bantuan
from kelompok.models import Kelompok, Lembaga
from klaster import versi_data
from kunjungan.models import Kunjungan
from laporan.garis_kemiskinan import Garis, PencariGaris
from laporan.models import GarisKemiskinan
from mitra.models import JenisKelamin, Mitra, PengukuranPendapatan, Sektor, samarkan_nik

NOL = Decimal("0")
SEN = Decimal("0.01")
RASIO = Decimal("0.000001")


def _bulat_uang(x: Decimal | None) -> Decimal | None:
    return None if x is None else x.quantize(SEN, rounding=ROUND_HALF_UP)


def _bulat_rasio(x: Decimal | None) -> Decimal | None:
    return None if x is None else x.quantize(RASIO, rounding=ROUND_HALF_UP)


def _rasio(pembilang, penyebut) -> Decimal | None:
    if not penyebut:
        return None
    return _bulat_rasio(Decimal(pembilang) / Decimal(penyebut))


@dataclass(frozen=True)
class Saringan:
    """What a report is about. `klaster` must already be scoped to the user."""

    klaster: object  # QuerySet[Klaster]
    sampai: datetime.date
    dari: datetime.date | None = None
    per_tanggal: datetime.date | None = None
    sektor: str = ""
    kelompok_id: int | None = None
    desa_kode: str = ""
    jenis_kelamin: str = ""

    @property
    def tanggal_posisi(self) -> datetime.date:
        return self.per_tanggal or self.sampai

    def klaster_ids(self):
        return self.klaster.values("pk")


# --- querysets every section starts from -------------------------------------------------


def mitra_qs(s: Saringan):
    qs = Mitra.objects.filter(klaster__in=s.klaster_ids(), tanggal_bergabung__lte=s.sampai)
    if s.sektor:
        qs = qs.filter(sektor=s.sektor)
    if s.kelompok_id:
        qs = qs.filter(kelompok_id=s.kelompok_id)
    if s.desa_kode:
        qs = qs.filter(desa_id=s.desa_kode)
    if s.jenis_kelamin:
        qs = qs.filter(jenis_kelamin=s.jenis_kelamin)
    return qs


def kelompok_qs(s: Saringan):
    qs = Kelompok.objects.filter(klaster__in=s.klaster_ids(), tanggal_dibentuk__lte=s.sampai)
    if s.sektor:
        qs = qs.filter(sektor=s.sektor)
    if s.kelompok_id:
        qs = qs.filter(pk=s.kelompok_id)
    if s.desa_kode:
        qs = qs.filter(desa_id=s.desa_kode)
    return qs


def _ada_saringan_kelompok(s: Saringan) -> bool:
    return bool(s.sektor or s.kelompok_id or s.desa_kode)


def bantuan_qs(s: Saringan):
    """Every Bantuan of the klaster matching the filters (any status, any date)."""
    untuk_mitra = Q(mitra__isnull=False)
    untuk_kelompok = Q(kelompok__isnull=False)
    if s.sektor:
        untuk_mitra &= Q(mitra__sektor=s.sektor)
        untuk_kelompok &= Q(kelompok__sektor=s.sektor)
    if s.kelompok_id:
        untuk_mitra &= Q(mitra__kelompok_id=s.kelompok_id)
        untuk_kelompok &= Q(kelompok_id=s.kelompok_id)
    if s.desa_kode:
        untuk_mitra &= Q(mitra__desa_id=s.desa_kode)
        untuk_kelompok &= Q(kelompok__desa_id=s.desa_kode)
    qs = Bantuan.objects.filter(klaster__in=s.klaster_ids())
    if s.jenis_kelamin:
        # a grant to a group has no gender: left out under a gender filter
        return qs.filter(untuk_mitra & Q(mitra__jenis_kelamin=s.jenis_kelamin))
    if not _ada_saringan_kelompok(s):
        return qs
    return qs.filter(untuk_mitra | untuk_kelompok)


def _saring_kunjungan(qs, s: Saringan, awalan: str = ""):
    """The visits of the report on `qs`, reached through `awalan` (e.g. "kunjungan__" from
    the attendance rows): filtering the joined visit directly, not through an IN
    (subquery), lets the database hash-join a million attendance rows."""

    def q(**kw):
        return Q(**{awalan + k: v for k, v in kw.items()})

    qs = qs.filter(q(klaster__in=s.klaster_ids(), tanggal__lte=s.sampai))
    if s.dari:
        qs = qs.filter(q(tanggal__gte=s.dari))
    if s.sektor:
        qs = qs.filter(q(kelompok__sektor=s.sektor))
    if s.kelompok_id:
        qs = qs.filter(q(kelompok_id=s.kelompok_id))
    if s.desa_kode:
        qs = qs.filter(q(kelompok__desa_id=s.desa_kode))
    return qs


def kunjungan_qs(s: Saringan):
    return _saring_kunjungan(Kunjungan.objects.all(), s)


# --- people ------------------------------------------------------------------------------


def _kolom(bagian: str, a="", b="", c="", d=""):
    """The five text columns every part of the UNION in `ringkasan_dasar` selects."""

    def teks(x):
        if not x:
            return Value("", output_field=CharField())
        return F(x) if isinstance(x, str) else x

    return {
        "bagian": Value(bagian, output_field=CharField()),
        "a": teks(a),
        "b": teks(b),
        "c": teks(c),
        "d": teks(d),
    }


def _angka(n, m=None, e=None):
    return {
        "n": n,
        "m": m if m is not None else Value(0, output_field=IntegerField()),
        "e": e if e is not None else Cast(Value(None), UANG),
    }


UANG = DecimalField(max_digits=15, decimal_places=2)
KOLOM = ("bagian", "a", "b", "c", "d")


def ringkasan_dasar(s: Saringan, *, dengan_opsi_kelompok: bool = False) -> dict:
    """People counts (mitra by status, sektor and jenis kelamin; kelompok by sektor and
    status; lembaga by bentuk), money disbursed by (year, jenis, sumber dana), the poverty
    lines, and optionally every kelompok of the chosen klaster (the report form's choices),
    in ONE round trip: a UNION ALL of grouped queries, each part tagged by `bagian`, with the
    same columns (a-d text, n and m integers, e money). The counts are still aggregated in SQL; the union only saves round
    trips, which keeps the report inside its query budget (tests/test_anggaran_kueri.py).
    """
    mitra = (
        mitra_qs(s)
        .order_by()
        .annotate(**_kolom("mitra", "status", "sektor", "jenis_kelamin"))
        .values(*KOLOM)
        .annotate(**_angka(Count("pk")))
    )
    kelompok = (
        kelompok_qs(s)
        .order_by()
        .annotate(**_kolom("kelompok", "sektor", "status"))
        .values(*KOLOM)
        .annotate(**_angka(Count("pk")))
    )
    lembaga = Lembaga.objects.filter(klaster__in=s.klaster_ids())
    if _ada_saringan_kelompok(s):
        lembaga = lembaga.filter(pk__in=kelompok_qs(s).values("lembaga"))
    berbadan_hukum = ~Q(nomor_badan_hukum="") & (
        Q(tanggal_pengesahan__isnull=True) | Q(tanggal_pengesahan__lte=s.sampai)
    )
    lembaga = (
        lembaga.order_by()
        .annotate(**_kolom("lembaga", "bentuk"))
        .values(*KOLOM)
        .annotate(**_angka(Count("pk"), Count("pk", filter=berbadan_hukum)))
    )
    garis = (
        GarisKemiskinan.objects.order_by()
        .annotate(**_kolom("garis", "wilayah_id", "periode", "wilayah__nama", "sumber"))
        .values(*KOLOM)
        .annotate(**_angka(F("tahun"), e=F("nilai")))
    )
    cair = (
        _cair_qs(s)
        .order_by()
        .annotate(
            **_kolom(
                "cair",
                "jenis",
                "sumber_dana__nama",
                "sumber_dana__jenis",
                Cast(ExtractYear("tanggal_cair"), CharField()),
            ),
        )
        .values(*KOLOM)
        .annotate(**_angka(Count("pk"), F("sumber_dana_id"), Sum("jumlah")))
    )
    bagian = [kelompok, lembaga, garis, cair]
    if dengan_opsi_kelompok:
        bagian.append(
            Kelompok.objects.filter(klaster__in=s.klaster_ids())
            .order_by()
            .annotate(**_kolom("opsi", "kode", "nama", "desa_id", "desa__nama"))
            .values(*KOLOM)
            .annotate(**_angka(F("pk")))
        )
    rows = list(mitra.union(*bagian, all=True))

    per_status = {k: 0 for k, _l in Mitra.Status.choices}
    per_sektor = {k: 0 for k, _l in Sektor.choices}
    per_jk = {k: 0 for k, _l in JenisKelamin.choices}
    sektor_jk = {k: {j: 0 for j, _l in JenisKelamin.choices} for k, _l in Sektor.choices}
    kelompok_per_sektor = {k: 0 for k, _l in Sektor.choices}
    kelompok_per_status = {k: 0 for k, _l in Kelompok.Status.choices}
    lembaga_per_bentuk = {
        k: {"label": label, "n": 0, "berbadan_hukum": 0} for k, label in Lembaga.Bentuk.choices
    }
    garis_list, opsi, cair_rows = [], [], []
    for r in rows:
        if r["bagian"] == "mitra":
            per_status[r["a"]] += r["n"]
            per_sektor[r["b"]] += r["n"]
            per_jk[r["c"]] += r["n"]
            sektor_jk[r["b"]][r["c"]] += r["n"]
        elif r["bagian"] == "kelompok":
            kelompok_per_sektor[r["a"]] += r["n"]
            kelompok_per_status[r["b"]] += r["n"]
        elif r["bagian"] == "lembaga":
            lembaga_per_bentuk[r["a"]]["n"] = r["n"]
            lembaga_per_bentuk[r["a"]]["berbadan_hukum"] = r["m"]
        elif r["bagian"] == "garis":
            garis_list.append(
                Garis(
                    wilayah_id=r["a"],
                    wilayah_nama=r["c"],
                    tahun=r["n"],
                    periode=r["b"],
                    nilai=Decimal(r["e"]).quantize(SEN),
                    sumber=r["d"],
                )
            )
        elif r["bagian"] == "cair":
            cair_rows.append(
                {
                    "tahun": int(r["d"]),
                    "jenis": r["a"],
                    "sumber_dana_id": r["m"],
                    "sumber_dana__nama": r["b"],
                    "sumber_dana__jenis": r["c"],
                    "jumlah": Decimal(r["e"]).quantize(SEN),
                    "n": r["n"],
                }
            )
        else:
            opsi.append(
                {"pk": r["n"], "kode": r["a"], "nama": r["b"], "desa_kode": r["c"],
                 "desa_nama": r["d"]}
            )  # fmt: skip
    opsi.sort(key=lambda g: (g["kode"], g["pk"]))

    orang = {
        "mitra_total": sum(per_status.values()),
        "mitra_per_status": [(k, label, per_status[k]) for k, label in Mitra.Status.choices],
        "mitra_per_sektor": [
            (k, label, per_sektor[k], sektor_jk[k]["L"], sektor_jk[k]["P"])
            for k, label in Sektor.choices
        ],
        "mitra_per_jenis_kelamin": [(k, label, per_jk[k]) for k, label in JenisKelamin.choices],
        "kelompok_total": sum(kelompok_per_sektor.values()),
        "kelompok_per_sektor": [(k, label, kelompok_per_sektor[k]) for k, label in Sektor.choices],
        "kelompok_per_status": [
            (k, label, kelompok_per_status[k]) for k, label in Kelompok.Status.choices
        ],
        "lembaga_per_bentuk": list(lembaga_per_bentuk.values()),
        "lembaga_total": sum(v["n"] for v in lembaga_per_bentuk.values()),
        "koperasi": lembaga_per_bentuk[Lembaga.Bentuk.KOPERASI]["n"],
    }
    return {
        "orang": orang,
        "uang": _lipat_pencairan(cair_rows),
        "pencari": PencariGaris(garis_list),
        "opsi_kelompok": opsi,
    }


def ringkasan_orang(s: Saringan) -> dict:
    """Mitra by status, sektor and jenis kelamin; kelompok by sektor and status; lembaga by
    bentuk (one query, see ringkasan_dasar)."""
    return ringkasan_dasar(s)["orang"]


# --- money -------------------------------------------------------------------------------


def _cair_qs(s: Saringan):
    qs = bantuan_qs(s).filter(status__in=Bantuan.STATUS_CAIR, tanggal_cair__lte=s.sampai)
    if s.dari:
        qs = qs.filter(tanggal_cair__gte=s.dari)
    return qs


def pencairan(s: Saringan) -> dict:
    """Money disbursed in the period by year, jenis and sumber dana: one grouped query."""
    rows = list(
        _cair_qs(s)
        .annotate(tahun=ExtractYear("tanggal_cair"))
        .order_by()
        .values("tahun", "jenis", "sumber_dana_id", "sumber_dana__nama", "sumber_dana__jenis")
        .annotate(jumlah=Sum("jumlah"), n=Count("pk"))
    )
    return _lipat_pencairan(rows)


def _lipat_pencairan(rows) -> dict:
    """Fold the rows grouped by (year, jenis, sumber dana) into the report's tables."""
    label_jenis = dict(Bantuan.Jenis.choices)
    per_tahun: dict[int, dict] = {}
    per_jenis: dict[str, dict] = {}
    per_sumber: dict[int, dict] = {}
    total, n = NOL, 0
    for r in rows:
        total += r["jumlah"]
        n += r["n"]
        t = per_tahun.setdefault(r["tahun"], {"tahun": r["tahun"], "jumlah": NOL, "n": 0})
        t["jumlah"] += r["jumlah"]
        t["n"] += r["n"]
        t.setdefault("per_jenis", defaultdict(lambda: NOL))[r["jenis"]] += r["jumlah"]
        j = per_jenis.setdefault(
            r["jenis"],
            {"jenis": r["jenis"], "label": label_jenis[r["jenis"]], "jumlah": NOL, "n": 0},
        )
        j["jumlah"] += r["jumlah"]
        j["n"] += r["n"]
        sd = per_sumber.setdefault(
            r["sumber_dana_id"],
            {
                "nama": r["sumber_dana__nama"],
                "jenis": r["sumber_dana__jenis"],
                "jumlah": NOL,
                "n": 0,
            },
        )
        sd["jumlah"] += r["jumlah"]
        sd["n"] += r["n"]
    jenis_urut = [k for k, _l in Bantuan.Jenis.choices if k in per_jenis]
    tahun_list = []
    for tahun in sorted(per_tahun):
        t = per_tahun[tahun]
        t["per_jenis"] = [t["per_jenis"].get(k, NOL) for k in jenis_urut]
        tahun_list.append(t)
    for v in list(per_jenis.values()) + list(per_sumber.values()):
        v["porsi"] = _rasio(v["jumlah"], total)
    return {
        "total": total,
        "n": n,
        "per_tahun": tahun_list,
        "jenis_kolom": [(k, label_jenis[k]) for k in jenis_urut],
        "per_jenis": [per_jenis[k] for k in jenis_urut],
        "per_sumber": sorted(per_sumber.values(), key=lambda v: (-v["jumlah"], v["nama"])),
    }


def portofolio(s: Saringan, versi: dict | None = None) -> dict:
    """Outstanding, PAR30, repayment rate and kolektibilitas as of per_tanggal, from
    bantuan.selectors.ringkasan_portofolio over the filtered Bantuan (three queries). With
    `versi` (the tables' versions and the scope's, see laporan.cache_bagian) and no filter,
    every loan of the scope: each loan's figures are kept across instalments
    (ringkasan_portofolio_bertahap) — the same figures."""
    if versi is not None and not (_ada_saringan_kelompok(s) or s.jenis_kelamin):
        r = bantuan_selectors.ringkasan_portofolio_bertahap(
            s.klaster_ids(), per_tanggal=s.tanggal_posisi, versi=versi
        )
    else:
        r = bantuan_selectors.ringkasan_portofolio(bantuan_qs(s), per_tanggal=s.tanggal_posisi)
    r["kolektibilitas_list"] = [
        {
            "kol": k,
            "nama": v.get("nama", ""),
            "jumlah_pinjaman": v["jumlah_pinjaman"],
            "sisa_pokok": v["sisa_pokok"],
            "porsi": _rasio(v["sisa_pokok"], r["outstanding"]),
        }
        for k, v in sorted(r["kolektibilitas"].items())
    ]
    return r


def klaster_dengan_dana_bergulir(klaster_qs, *, per_tanggal: datetime.date):
    """Klaster annotated with their revolving fund as of the date (bantuan.selectors),
    so the klaster list a view needs anyway carries the fund at no extra query."""
    return bantuan_selectors.dana_bergulir_per_klaster(klaster_qs, per_tanggal=per_tanggal)


def dana_bergulir(klaster_list) -> list[dict]:
    """Rows of the fund table from klaster annotated by klaster_dengan_dana_bergulir."""
    return [
        {
            "klaster": k.nama,
            "masuk": k.bergulir_masuk,
            "keluar": k.bergulir_keluar,
            "saldo": k.bergulir_saldo,
        }
        for k in klaster_list
    ]


# --- income change and the poverty line --------------------------------------------------

LENGKAP = "lengkap"
TANPA_BASELINE = "tanpa_baseline"
TANPA_LANJUTAN = "tanpa_lanjutan"

ALASAN_KECUALI = {
    TANPA_BASELINE: _("Tidak ada pengukuran baseline (sampai akhir periode)"),
    TANPA_LANJUTAN: _("Tidak ada pengukuran monitoring/endline dalam periode setelah baseline"),
}


@dataclass
class BarisPendapatan:
    """One mitra's income readings and what the report derives from them."""

    mitra_id: int
    nama: str
    nik_tersamar: str
    sektor: str
    sektor_label: str
    jenis_kelamin: str
    kelompok_id: int | None
    kelompok_label: str
    desa: str
    anggota_keluarga: int
    kabupaten_kode: str | None
    tanggal_sebelum: datetime.date | None
    sebelum: Decimal | None
    tanggal_sesudah: datetime.date | None
    sesudah: Decimal | None
    jenis_sesudah: str = ""
    keadaan: str = LENGKAP
    perubahan: Decimal | None = None  # ratio, None when the baseline is 0
    kapita_sebelum: Decimal | None = None
    kapita_sesudah: Decimal | None = None
    garis_sebelum: object = None  # GarisTerpakai
    garis_sesudah: object = None
    miskin_sebelum: bool | None = None
    miskin_sesudah: bool | None = None

    @property
    def alasan(self) -> str:
        return str(ALASAN_KECUALI.get(self.keadaan, ""))


def _statistik(rows: list[BarisPendapatan]) -> dict:
    """n, mean/median before and after, mean/median % change, shares rising/falling and
    below the poverty line, over mitra with both readings."""
    n = len(rows)
    sebelum = [r.sebelum for r in rows]
    sesudah = [r.sesudah for r in rows]
    persen = [r.perubahan for r in rows if r.perubahan is not None]
    naik = sum(1 for r in rows if r.sesudah > r.sebelum)
    turun = sum(1 for r in rows if r.sesudah < r.sebelum)
    garis_sebelum = [r for r in rows if r.miskin_sebelum is not None]
    garis_sesudah = [r for r in rows if r.miskin_sesudah is not None]
    miskin_sebelum = sum(1 for r in garis_sebelum if r.miskin_sebelum)
    miskin_sesudah = sum(1 for r in garis_sesudah if r.miskin_sesudah)
    rata_sebelum = sum(sebelum, NOL) / n if n else None
    rata_sesudah = sum(sesudah, NOL) / n if n else None
    return {
        "n": n,
        "rata_sebelum": _bulat_uang(rata_sebelum),
        "median_sebelum": _bulat_uang(statistics.median(sebelum)) if n else None,
        "rata_sesudah": _bulat_uang(rata_sesudah),
        "median_sesudah": _bulat_uang(statistics.median(sesudah)) if n else None,
        # change of the mean (what "income up 50%" usually means) ...
        "perubahan_rata": (
            _bulat_rasio(rata_sesudah / rata_sebelum - 1) if n and rata_sebelum else None
        ),
        # ... and the mean and median of each mitra's own % change
        "n_persen": len(persen),
        "rata_persen": _bulat_rasio(sum(persen, NOL) / len(persen)) if persen else None,
        "median_persen": _bulat_rasio(statistics.median(persen)) if persen else None,
        "naik": naik,
        "turun": turun,
        "tetap": n - naik - turun,
        "porsi_naik": _rasio(naik, n),
        "porsi_turun": _rasio(turun, n),
        "n_garis_sebelum": len(garis_sebelum),
        "miskin_sebelum": miskin_sebelum,
        "porsi_miskin_sebelum": _rasio(miskin_sebelum, len(garis_sebelum)),
        "n_garis_sesudah": len(garis_sesudah),
        "miskin_sesudah": miskin_sesudah,
        "porsi_miskin_sesudah": _rasio(miskin_sesudah, len(garis_sesudah)),
    }


def _bacaan_pendapatan(s: Saringan) -> tuple[dict, dict]:
    """Each mitra's baseline (the earliest dated on or before `sampai`) and latest follow-up
    (monitoring or endline dated within [dari, sampai]), as {mitra_id: (tanggal, nilai,
    jenis)}: ONE set-based query. A window numbers each mitra's readings of a kind, earliest
    first for the baseline and latest first for a follow-up (ties broken by id, as before),
    and keeps number 1 of each; the filter on the window runs on SQLite and PostgreSQL."""
    Jenis = PengukuranPendapatan.Jenis
    lanjutan = Q(jenis__in=[Jenis.MONITORING, Jenis.ENDLINE])
    if s.dari:
        lanjutan &= Q(tanggal__gte=s.dari)
    adalah_baseline = Q(jenis=Jenis.BASELINE)
    grup = Case(When(adalah_baseline, then=Value(0)), default=Value(1))
    rows = (
        PengukuranPendapatan.objects.filter(
            adalah_baseline | lanjutan,
            mitra__in=mitra_qs(s).order_by().values("pk"),
            tanggal__lte=s.sampai,
        )
        .annotate(
            urut_awal=Window(
                RowNumber(), partition_by=[F("mitra_id"), grup], order_by=["tanggal", "pk"]
            ),
            urut_akhir=Window(
                RowNumber(),
                partition_by=[F("mitra_id"), grup],
                order_by=[F("tanggal").desc(), F("pk").desc()],
            ),
        )
        .filter(Q(adalah_baseline, urut_awal=1) | Q(~adalah_baseline, urut_akhir=1))
        .order_by()
        .values_list("mitra_id", "jenis", "tanggal", "pendapatan_bulanan")
    )
    baseline, akhir = {}, {}
    for mitra_id, jenis, tanggal, nilai in rows:
        (baseline if jenis == Jenis.BASELINE else akhir)[mitra_id] = (tanggal, nilai, jenis)
    return baseline, akhir


def baris_pendapatan(s: Saringan, pencari: PencariGaris | None = None) -> list[BarisPendapatan]:
    """One row per mitra in the report with baseline and latest reading: two set-based
    queries (the mitra, their readings; see _bacaan_pendapatan) joined in Python, plus one
    for the poverty lines when no PencariGaris is given."""
    baseline, akhir = _bacaan_pendapatan(s)
    rows = (
        mitra_qs(s)
        .order_by("sektor", "kelompok__kode", "nama", "pk")
        .values(
            "pk",
            "nama",
            "nik",
            "sektor",
            "jenis_kelamin",
            "kelompok_id",
            "kelompok__kode",
            "kelompok__nama",
            "desa__nama",
            "desa__induk__induk_id",
            "desa__induk__induk__tingkat",
            "klaster__kabupaten_id",
            "jumlah_anggota_keluarga",
        )
    )
    if pencari is None:
        pencari = PencariGaris()
    label_sektor = dict(Sektor.choices)
    hasil = []
    tanpa = (None, None, "")
    for r in rows:
        b_tanggal, b_nilai, _j = baseline.get(r["pk"], tanpa)
        a_tanggal, a_nilai, a_jenis = akhir.get(r["pk"], tanpa)
        kab = r["desa__induk__induk_id"]
        if r["desa__induk__induk__tingkat"] != "kabupaten":
            kab = r["klaster__kabupaten_id"]
        b = BarisPendapatan(
            mitra_id=r["pk"],
            nama=r["nama"],
            nik_tersamar=samarkan_nik(r["nik"]),
            sektor=r["sektor"],
            sektor_label=str(label_sektor.get(r["sektor"], r["sektor"])),
            jenis_kelamin=r["jenis_kelamin"],
            kelompok_id=r["kelompok_id"],
            kelompok_label=(
                f"{r['kelompok__kode']} {r['kelompok__nama']}"
                if r["kelompok_id"]
                else str(_("Tanpa kelompok"))
            ),
            desa=r["desa__nama"] or "",
            anggota_keluarga=r["jumlah_anggota_keluarga"],
            kabupaten_kode=kab,
            tanggal_sebelum=b_tanggal,
            # quantized so SQLite (which may drop the scale) and PostgreSQL read alike
            sebelum=_bulat_uang(b_nilai),
            tanggal_sesudah=a_tanggal,
            sesudah=_bulat_uang(a_nilai),
            jenis_sesudah=a_jenis,
        )
        if b.sebelum is None:
            b.keadaan = TANPA_BASELINE
        elif b.sesudah is None or b.tanggal_sesudah <= b.tanggal_sebelum:
            b.keadaan = TANPA_LANJUTAN
        if b.sebelum is not None:
            b.kapita_sebelum = b.sebelum / b.anggota_keluarga
            b.garis_sebelum = pencari.cari(kab, b.tanggal_sebelum)
            if b.garis_sebelum.nilai is not None:
                b.miskin_sebelum = b.kapita_sebelum < b.garis_sebelum.nilai
        if b.keadaan == LENGKAP:
            if b.sebelum > 0:
                b.perubahan = (b.sesudah - b.sebelum) / b.sebelum
            b.kapita_sesudah = b.sesudah / b.anggota_keluarga
            b.garis_sesudah = pencari.cari(kab, b.tanggal_sesudah)
            if b.garis_sesudah.nilai is not None:
                b.miskin_sesudah = b.kapita_sesudah < b.garis_sesudah.nilai
        hasil.append(b)
    return hasil


def perubahan_pendapatan(s: Saringan, pencari: PencariGaris | None = None) -> dict:
    """Income change per sector, per kelompok and overall, the per-mitra table, the
    excluded mitra and which poverty lines were used. Two queries (three without
    `pencari`)."""
    semua = baris_pendapatan(s, pencari)
    lengkap = [b for b in semua if b.keadaan == LENGKAP]
    dikecualikan = [b for b in semua if b.keadaan != LENGKAP]

    # grouped in one pass each: a scan per kelompok was quadratic (3,000 × 30,000 rows)
    lengkap_per_sektor, kecuali_per_sektor = defaultdict(list), defaultdict(int)
    lengkap_per_kelompok, kecuali_per_kelompok = defaultdict(list), defaultdict(int)
    for b in lengkap:
        lengkap_per_sektor[b.sektor].append(b)
        lengkap_per_kelompok[b.kelompok_id].append(b)
    for b in dikecualikan:
        kecuali_per_sektor[b.sektor] += 1
        kecuali_per_kelompok[b.kelompok_id] += 1
    per_sektor = []
    for kode, label in Sektor.choices:
        rows = lengkap_per_sektor.get(kode, [])
        kecuali = kecuali_per_sektor.get(kode, 0)
        if rows or kecuali:
            per_sektor.append(
                {"kode": kode, "label": label, "dikecualikan": kecuali, **_statistik(rows)}
            )
    kelompok_label: dict = {}
    for b in semua:
        kelompok_label.setdefault(b.kelompok_id, b.kelompok_label)
    per_kelompok = []
    for kid, label in sorted(kelompok_label.items(), key=lambda kv: (kv[0] is None, kv[1])):
        rows = lengkap_per_kelompok.get(kid, [])
        kecuali = kecuali_per_kelompok.get(kid, 0)
        per_kelompok.append({"label": label, "dikecualikan": kecuali, **_statistik(rows)})

    garis_dipakai: dict = {}
    for b in semua:
        for g in (b.garis_sebelum, b.garis_sesudah):
            if g is not None:
                key = (g.cara, g.wilayah_kode, g.tahun, g.periode)
                item = garis_dipakai.setdefault(key, {"garis": g, "n": 0})
                item["n"] += 1
    return {
        "n_mitra": len(semua),
        "n_lengkap": len(lengkap),
        "total": _statistik(lengkap),
        "per_sektor": per_sektor,
        "per_kelompok": per_kelompok,
        "per_mitra": lengkap,
        "dikecualikan": dikecualikan,
        # the lists' lengths, kept when a page shows only their first rows
        "n_per_mitra": len(lengkap),
        "n_dikecualikan": len(dikecualikan),
        "n_per_kelompok": len(per_kelompok),
        "n_tanpa_baseline": sum(1 for b in dikecualikan if b.keadaan == TANPA_BASELINE),
        "n_tanpa_lanjutan": sum(1 for b in dikecualikan if b.keadaan == TANPA_LANJUTAN),
        "n_baseline_nol": sum(1 for b in lengkap if b.perubahan is None),
        "garis_dipakai": sorted(
            garis_dipakai.values(),
            key=lambda v: (v["garis"].cara, v["garis"].tahun or 0, v["garis"].periode),
        ),
    }


# --- activity ----------------------------------------------------------------------------


def _daftar_bulan(awal: datetime.date, akhir: datetime.date) -> list[datetime.date]:
    bulan, hasil = awal.replace(day=1), []
    while bulan <= akhir:
        hasil.append(bulan)
        bulan = (bulan + datetime.timedelta(days=32)).replace(day=1)
    return hasil


def _kunci_bulan(bulan) -> datetime.date:
    # TruncMonth reads back as a datetime on some backends
    return bulan.date() if isinstance(bulan, datetime.datetime) else bulan


def _bulan_berikut(bulan: datetime.date) -> datetime.date:
    return (bulan + datetime.timedelta(days=32)).replace(day=1)


def _q_bulan(bulan, awalan: str = "") -> Q:
    """Visits dated in the given months (first days), adjacent months as one range."""
    q = Q()
    rentang: list[list[datetime.date]] = []
    for b in sorted(set(bulan)):
        if rentang and rentang[-1][1] == b:
            rentang[-1][1] = _bulan_berikut(b)
        else:
            rentang.append([b, _bulan_berikut(b)])
    for awal, akhir in rentang:
        q |= Q(**{awalan + "tanggal__gte": awal, awalan + "tanggal__lt": akhir})
    return q


def kegiatan_baris(s: Saringan, bulan=None) -> list[dict]:
    """The activity section's partial sums, one row per (month, facilitator): two round
    trips of set-based queries — the visits; then (a UNION ALL) their attendance rows joined
    to the attending mitra (members of the visited kelompok at the visit date) and the
    visits joined to every member of their kelompok at the visit date. `bulan` (first days
    of months): only the visits dated in those months, for laporan.cache_bagian to
    recompute the months a write changed.
    (Each used to be a correlated subquery per visit: seconds at national scale.)"""
    if bulan is not None and not bulan:
        return []
    d = s.tanggal_posisi
    ada_tl = ~Q(tindak_lanjut="")
    selesai = Q(tindak_lanjut_selesai=True) & (
        Q(tindak_lanjut_selesai_pada__isnull=True) | Q(tindak_lanjut_selesai_pada__lte=d)
    )
    kunjungan = kunjungan_qs(s)
    hadir_qs = _saring_kunjungan(Kunjungan.hadir.through.objects.all(), s, "kunjungan__")
    if bulan is not None:
        kunjungan = kunjungan.filter(_q_bulan(bulan))
        hadir_qs = hadir_qs.filter(_q_bulan(bulan, "kunjungan__"))
    rows = list(
        kunjungan.annotate(bulan=TruncMonth("tanggal"))
        .order_by()
        .values(
            "bulan",
            "fasilitator_id",
            "fasilitator__username",
            "fasilitator__first_name",
            "fasilitator__last_name",
        )
        .annotate(
            n=Count("pk"),
            n_kelompok=Count("pk", filter=Q(kelompok__isnull=False)),
            tl=Count("pk", filter=ada_tl),
            tl_selesai=Count("pk", filter=ada_tl & selesai),
            n_30_hari=Count("pk", filter=Q(tanggal__gt=d - datetime.timedelta(days=30))),
        )
    )
    # members present: the attending mitra belongs to the visited kelompok at the visit date
    hadir_rows = (
        hadir_qs.filter(
            Q(mitra__tanggal_keluar__isnull=True)
            | Q(mitra__tanggal_keluar__gte=F("kunjungan__tanggal")),
            mitra__kelompok_id=F("kunjungan__kelompok_id"),
            mitra__tanggal_bergabung__lte=F("kunjungan__tanggal"),
        )
        .annotate(bulan=TruncMonth("kunjungan__tanggal"), apa=Value("hadir"))
        .order_by()
        .values_list("apa", "bulan", "kunjungan__fasilitator_id")
        .annotate(c=Count("pk"))
    )
    # members at the visit date: one filter() so both conditions apply to the same member
    anggota_rows = (
        kunjungan.filter(
            Q(kelompok__anggota__tanggal_bergabung__lte=F("tanggal"))
            & (
                Q(kelompok__anggota__tanggal_keluar__isnull=True)
                | Q(kelompok__anggota__tanggal_keluar__gte=F("tanggal"))
            )
        )
        .annotate(bulan=TruncMonth("tanggal"), apa=Value("anggota"))
        .order_by()
        .values_list("apa", "bulan", "fasilitator_id")
        .annotate(c=Count("kelompok__anggota"))
    )
    # one round trip for both counts (the report's query budget, tests/test_anggaran_kueri)
    hitungan = {"hadir": {}, "anggota": {}}
    for apa, b, f, c in hadir_rows.union(anggota_rows, all=True):
        hitungan[apa][_kunci_bulan(b), f] = c
    hadir, anggota = hitungan["hadir"], hitungan["anggota"]
    for r in rows:
        r["bulan"] = _kunci_bulan(r["bulan"])
        r["hadir"] = hadir.get((r["bulan"], r["fasilitator_id"]), 0)
        r["anggota"] = anggota.get((r["bulan"], r["fasilitator_id"]), 0)
    return rows


def riwayat_kunjungan_sejak(batas: int) -> frozenset[int]:
    """The visit history ids above `batas` (an index range on the primary key)."""
    return frozenset(
        Kunjungan.history.filter(history_id__gt=batas).values_list("history_id", flat=True)
    )


def kegiatan_bulan_berubah(
    s: Saringan, *, riwayat: int, dilihat: frozenset
) -> tuple[list[datetime.date], list[tuple[int, int]]]:
    """(the months whose activity figures may have changed, the new history rows): the visit
    history rows a cache kept at highest id `riwayat` with `dilihat` has not taken into
    account (versi_data.riwayat_baru) are the new writes; the months are those of every
    history row of the visits they wrote — the new date and, for a visit edited or deleted,
    its earlier dates, so a visit moved to another month changes both. Two queries (an
    index range on history_id, then the history rows of those visits by id)."""
    baru = versi_data.riwayat_baru(
        Kunjungan.history.all(), riwayat=riwayat, dilihat=dilihat, kolom="id"
    )
    if not baru:
        return [], []
    qs = Kunjungan.history.filter(
        id__in={i for _h, i in baru}, klaster_id__in=s.klaster_ids(), tanggal__lte=s.sampai
    )
    if s.dari:
        qs = qs.filter(tanggal__gte=s.dari)
    bulan = qs.annotate(bulan=TruncMonth("tanggal")).order_by().values_list("bulan", flat=True)
    return sorted({_kunci_bulan(b) for b in bulan.distinct()}), baru


def kegiatan_lipat(s: Saringan, rows) -> dict:
    """The activity section from the rows of `kegiatan_baris` (all months), folded in
    Python. The rows are sorted first, so the result does not depend on their order."""
    rows = sorted(rows, key=lambda r: (r["bulan"], r["fasilitator_id"]))
    per_bulan: dict = defaultdict(int)
    per_fasilitator: dict = {}
    tot = defaultdict(int)
    for r in rows:
        bulan = r["bulan"]
        per_bulan[bulan] += r["n"]
        nama = (
            f"{r['fasilitator__first_name']} {r['fasilitator__last_name']}".strip()
            or r["fasilitator__username"]
        )
        f = per_fasilitator.setdefault(
            r["fasilitator_id"], {"nama": nama, "n": 0, "hadir": 0, "anggota": 0}
        )
        f["n"] += r["n"]
        f["hadir"] += r["hadir"] or 0
        f["anggota"] += r["anggota"] or 0
        for key in ("n", "n_kelompok", "hadir", "anggota", "tl", "tl_selesai", "n_30_hari"):
            tot[key] += r[key] or 0
    bulan_list = []
    if per_bulan:
        awal = min(per_bulan)
        akhir = max(per_bulan)
        if s.dari:
            awal = min(awal, s.dari.replace(day=1))
        bulan_list = [{"bulan": b, "n": per_bulan.get(b, 0)} for b in _daftar_bulan(awal, akhir)]
    fasilitator_list = sorted(per_fasilitator.values(), key=lambda f: (-f["n"], f["nama"]))
    for f in fasilitator_list:
        f["tingkat_hadir"] = _rasio(f["hadir"], f["anggota"])
    return {
        "n": tot["n"],
        "n_kelompok": tot["n_kelompok"],
        "n_tanpa_kelompok": tot["n"] - tot["n_kelompok"],
        "n_30_hari": tot["n_30_hari"],
        "hadir": tot["hadir"],
        "anggota": tot["anggota"],
        "tingkat_hadir": _rasio(tot["hadir"], tot["anggota"]),
        "tindak_lanjut": tot["tl"],
        "tindak_lanjut_selesai": tot["tl_selesai"],
        "tindak_lanjut_terbuka": tot["tl"] - tot["tl_selesai"],
        "per_bulan": bulan_list,
        "per_fasilitator": fasilitator_list,
    }


def kegiatan(s: Saringan) -> dict:
    """Visits per month and per facilitator, attendance rate and follow-ups, from the whole
    history in two round trips (kegiatan_baris). laporan.cache_bagian keeps the rows per
    month and, after a new visit, recomputes only the months it changed."""
    return kegiatan_lipat(s, kegiatan_baris(s))


# --- the whole report --------------------------------------------------------------------


@dataclass
class LaporanDampak:
    saringan: Saringan
    orang: dict = field(default_factory=dict)
    uang: dict = field(default_factory=dict)
    portofolio: dict = field(default_factory=dict)
    dana_bergulir: list = field(default_factory=list)
    pendapatan: dict = field(default_factory=dict)
    kegiatan: dict = field(default_factory=dict)


def laporan_dampak(s: Saringan, *, dasar: dict | None = None, dana_bergulir=None) -> LaporanDampak:
    """Every section of the impact report in a fixed number of queries: people, money
    disbursed and poverty lines (1, or `dasar` already fetched), portfolio (bantuan.selectors),
    mitra and their readings (2), visits (2). The revolving fund is passed in
    (`dana_bergulir`) or left out. The pages read the sections through laporan.cache_bagian."""
    if dasar is None:
        dasar = ringkasan_dasar(s)
    return LaporanDampak(
        saringan=s,
        orang=dasar["orang"],
        uang=dasar["uang"],
        portofolio=portofolio(s),
        dana_bergulir=dana_bergulir or [],
        pendapatan=perubahan_pendapatan(s, dasar["pencari"]),
        kegiatan=kegiatan(s),
    )


# --- method notes, printed under each table (page, PDF, XLSX) ----------------------------

CATATAN_METODE = {
    "orang": _(
        "Mitra: anggota klaster yang bergabung paling lambat tanggal akhir periode dan sesuai "
        "saringan; status adalah status yang tercatat saat ini. Kelompok: dibentuk paling "
        "lambat akhir periode. Lembaga berbadan hukum: punya nomor badan hukum yang disahkan "
        "paling lambat akhir periode."
    ),
    "uang": _(
        "Bantuan berstatus dicairkan, lunas atau dihapusbukukan dengan tanggal cair dalam "
        "periode. Bantuan kepada kelompok mengikuti saringan sektor/kelompok/desa lewat "
        "kelompoknya dan tidak dihitung bila saringan jenis kelamin dipakai. Pengajuan yang "
        "belum cair atau ditolak tidak dihitung."
    ),
    "portofolio": _(
        "Posisi per tanggal posisi. Pinjaman = modal bergulir yang sudah cair. Outstanding = "
        "sisa pokok pinjaman yang belum lunas dan tidak dihapusbukukan. PAR30 = sisa pokok "
        "pinjaman dengan angsuran tertunggak lebih dari 30 hari ÷ outstanding (ditimbang "
        "saldo, bukan jumlah pinjaman). Tingkat pengembalian = angsuran terkumpul (paling "
        "banyak sebesar yang sudah jatuh tempo) ÷ angsuran yang sudah jatuh tempo. "
        "Kolektibilitas menurut hari tunggakan (POJK 40/2019): 1 Lancar 0 hari, 2 Dalam "
        "Perhatian Khusus 1–90, 3 Kurang Lancar 91–120, 4 Diragukan 121–180, 5 Macet >180. "
        "Dihitung dengan bantuan.selectors (sama dengan halaman bantuan)."
    ),
    "pendapatan": _(
        "Per mitra: sebelum = pengukuran baseline (paling lambat akhir periode); sesudah = "
        "pengukuran monitoring/endline terakhir yang bertanggal dalam periode dan setelah "
        "baseline. Rata-rata dan median dihitung atas mitra yang punya keduanya (n). "
        "Perubahan rata-rata = rata-rata sesudah ÷ rata-rata sebelum − 1; rata-rata dan "
        "median % perubahan = rata-rata dan median perubahan tiap mitra (mitra dengan "
        "baseline Rp0 tidak ikut di kolom itu). Naik/turun: pendapatan sesudah lebih "
        "tinggi/lebih rendah daripada baseline. Mitra tanpa baseline atau tanpa pengukuran "
        "lanjutan tidak masuk perhitungan; jumlahnya ditulis di kolom \u201cdikecualikan\u201d "
        "dan namanya di daftar mitra yang dikecualikan."
    ),
    "kemiskinan": _(
        "Pendapatan per kapita = pendapatan bulanan ÷ jumlah anggota keluarga (yang tercatat "
        "saat ini; pendapatan dipakai sebagai proksi pengeluaran). Dibandingkan dengan garis "
        "kemiskinan BPS (Rp/kapita/bulan) kabupaten tempat mitra tinggal (desa → kecamatan → "
        "kabupaten) pada tahun pengukuran; bila tahun itu tidak tersedia dipakai tahun "
        "terdekat sebelumnya, lalu garis provinsi yang berlaku; bila tidak ada sama sekali, "
        "pengukuran itu tidak dihitung (n ditulis terpisah untuk sebelum dan sesudah). Di "
        "bawah garis: per kapita kurang dari garis."
    ),
    "kegiatan": _(
        "Kunjungan bertanggal dalam periode. Tingkat kehadiran = anggota yang hadir ÷ "
        "anggota kelompok pada tanggal kunjungan (bergabung paling lambat tanggal itu dan "
        "belum keluar sebelumnya), dijumlahkan atas semua kunjungan ke kelompok; tamu yang "
        "bukan anggota dan kunjungan tanpa kelompok tidak dihitung. Tindak lanjut selesai: "
        "ditandai selesai paling lambat tanggal posisi. Saringan jenis kelamin tidak berlaku "
        "untuk kunjungan; saringan sektor, kelompok dan desa berlaku lewat kelompok yang "
        "dikunjungi."
    ),
}

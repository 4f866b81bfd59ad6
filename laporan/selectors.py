"""Read side of the impact report (laporan dampak) and the programme dashboard.

Every function takes a `Saringan`: the klaster (an already scoped queryset of Klaster), the
period (dari, sampai), the filters (sektor, kelompok, desa, jenis kelamin) and the as-of date
(per_tanggal; the report date, defaulting to sampai). Counts and sums are aggregated in SQL;
each function makes a fixed number of queries whatever the amount of data. The income
figures fetch one row per mitra in one query and compute means and medians in Python (a
median is not portable SQL).

Each section comes in two steps, so that laporan/bagian.py can cache it per klaster and a
write recomputes only the klaster it touched: `<bagian>_per_klaster(s, klaster_ids)` computes
the part of each klaster (set-based, every klaster at once) and `gabung_<bagian>(parts)`
merges the parts into the figures the pages show. The whole-scope functions (ringkasan_dasar,
portofolio, perubahan_pendapatan, kegiatan) are the same two steps over one part.

Definitions (also printed under each table of the report, see CATATAN_METODE):
- Mitra in the report: mitra of the klaster who joined on or before `sampai` and match the
  filters. Status as of the report date: keluar from tanggal_keluar on (a mitra who left
  later is counted aktif), calon before tanggal_bergabung, otherwise as recorded.
- Cooperatives: a koperasi counts from its approval date (tanggal_pengesahan) on.
- Disbursed: Bantuan with status dicairkan, lunas or dihapusbukukan and tanggal_cair in the
  period. A grant to a kelompok matches the sektor/kelompok/desa filters through the kelompok
  and is left out when a jenis kelamin filter is set.
- Portfolio (outstanding, PAR30, repayment rate, kolektibilitas): bantuan.selectors as of
  per_tanggal over the same filtered Bantuan.
- Income change: baseline = the mitra's baseline reading dated on or before `sampai`;
  "terakhir" = the latest monitoring or endline reading dated within [dari, sampai] and after
  the baseline. Mitra lacking either are counted and listed, never dropped silently.
- Poverty line: per-capita income = monthly income ÷ jumlah_anggota_keluarga (the household
  size recorded on the mitra today), against the BPS line for the mitra's kabupaten (desa →
  kecamatan → kabupaten; else the klaster's kabupaten) and the reading's date
  (klaster.garis_kemiskinan explains the fallbacks). Below the line: per capita < line.
- Attendance: over visits to a kelompok, members present ÷ members of that kelompok at the
  visit date (joined on or before it and not left before it), pooled over visits; both
  counts are kept on each visit when it is recorded (Kunjungan.jumlah_hadir_anggota,
  jumlah_anggota).
"""

import datetime
import heapq
from bisect import bisect_left, bisect_right
from collections import defaultdict
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal
from itertools import islice
from math import isqrt
from operator import itemgetter

from django.contrib.auth import get_user_model
from django.db import connection
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
from klaster.garis_kemiskinan import PencariGaris
from klaster.models import Klaster
from kunjungan.models import Kunjungan
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
        """The report date: loan positions, statuses and cooperatives are as of it."""
        return self.per_tanggal or self.sampai

    def klaster_ids(self):
        return self.klaster.values("pk")

    def parameter(self) -> tuple:
        """Everything but the klaster, for cache keys."""
        return (
            self.dari,
            self.sampai,
            self.tanggal_posisi,
            self.sektor,
            self.kelompok_id,
            self.desa_kode,
            self.jenis_kelamin,
        )


def untuk_klaster(s: Saringan, klaster_ids) -> Saringan:
    """The same report over the given klaster (ids from the user's scope)."""
    return replace(s, klaster=Klaster.objects.filter(pk__in=sorted(klaster_ids)))


def _semua_klaster(s: Saringan) -> list[int]:
    return list(s.klaster.order_by().values_list("pk", flat=True))


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


def kunjungan_qs(s: Saringan):
    """The visits of the report: dated in the period, to a kelompok matching the filters
    (the jenis kelamin filter does not apply to visits)."""
    qs = Kunjungan.objects.filter(klaster__in=s.klaster_ids(), tanggal__lte=s.sampai)
    if s.dari:
        qs = qs.filter(tanggal__gte=s.dari)
    if s.sektor:
        qs = qs.filter(kelompok__sektor=s.sektor)
    if s.kelompok_id:
        qs = qs.filter(kelompok_id=s.kelompok_id)
    if s.desa_kode:
        qs = qs.filter(kelompok__desa_id=s.desa_kode)
    return qs


# --- people and money disbursed ------------------------------------------------------------


def _kolom(bagian: str, k, a="", b="", c="", d=""):
    """The klaster and five text columns every part of the UNION in `dasar_per_klaster`
    selects."""

    def teks(x):
        if not x:
            return Value("", output_field=CharField())
        return F(x) if isinstance(x, str) else x

    return {
        "bagian": Value(bagian, output_field=CharField()),
        "k": F(k),
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
KOLOM = ("bagian", "k", "a", "b", "c", "d")


def status_pada(tanggal: datetime.date):
    """A mitra's status as of a date: keluar from the date they left (tanggal_keluar) on,
    so one who left later was still aktif; calon before they joined; otherwise the status
    recorded (lulus has no date of its own)."""
    return Case(
        When(tanggal_bergabung__gt=tanggal, then=Value(Mitra.Status.CALON)),
        When(
            status=Mitra.Status.KELUAR,
            tanggal_keluar__gt=tanggal,
            then=Value(Mitra.Status.AKTIF),
        ),
        default=F("status"),
        output_field=CharField(),
    )


def q_lembaga_ada(tanggal: datetime.date) -> Q:
    """Lembaga that exist as of a date: a koperasi from its approval date (a cooperative
    is one once approved, so one without that date is not counted yet); another form
    from its approval date when it has one."""
    koperasi = Q(bentuk=Lembaga.Bentuk.KOPERASI)
    return (koperasi & Q(tanggal_pengesahan__lte=tanggal)) | (
        ~koperasi & (Q(tanggal_pengesahan__isnull=True) | Q(tanggal_pengesahan__lte=tanggal))
    )


def dasar_per_klaster(s: Saringan, klaster_ids, *, dengan_opsi_kelompok: bool = True) -> dict:
    """Per klaster: mitra by status (as of the report date), sektor and jenis kelamin;
    kelompok by sektor and status; lembaga by bentuk; money disbursed by (year, jenis,
    sumber dana); and optionally every kelompok (the report form's choices) and the desa they
    meet in — in ONE round trip: a UNION ALL of grouped queries, each part tagged by
    `bagian` and grouped by klaster too, with the same columns (k klaster, a-d text, n and
    m integers, e money). {klaster id: part}; gabung_dasar merges the parts."""
    ids = sorted(klaster_ids)
    hasil = {
        k: {"mitra": [], "kelompok": [], "lembaga": [], "cair": [], "opsi": [], "desa": []}
        for k in ids
    }
    if not ids:
        return hasil
    s = untuk_klaster(s, ids)
    d = s.tanggal_posisi
    mitra = (
        mitra_qs(s)
        .order_by()
        .annotate(**_kolom("mitra", "klaster_id", status_pada(d), "sektor", "jenis_kelamin"))
        .values(*KOLOM)
        .annotate(**_angka(Count("pk")))
    )
    kelompok = (
        kelompok_qs(s)
        .order_by()
        .annotate(**_kolom("kelompok", "klaster_id", "sektor", "status"))
        .values(*KOLOM)
        .annotate(**_angka(Count("pk")))
    )
    lembaga = Lembaga.objects.filter(klaster__in=s.klaster_ids())
    if _ada_saringan_kelompok(s):
        lembaga = lembaga.filter(pk__in=kelompok_qs(s).values("lembaga"))
    ada = q_lembaga_ada(d)
    lembaga = (
        lembaga.order_by()
        .annotate(**_kolom("lembaga", "klaster_id", "bentuk"))
        .values(*KOLOM)
        .annotate(
            **_angka(Count("pk", filter=ada), Count("pk", filter=ada & ~Q(nomor_badan_hukum="")))
        )
    )
    cair = (
        _cair_qs(s)
        .order_by()
        .annotate(
            **_kolom(
                "cair",
                "klaster_id",
                "jenis",
                "sumber_dana__nama",
                "sumber_dana__jenis",
                Cast(ExtractYear("tanggal_cair"), CharField()),
            ),
        )
        .values(*KOLOM)
        .annotate(**_angka(Count("pk"), F("sumber_dana_id"), Sum("jumlah")))
    )
    bagian = [kelompok, lembaga, cair]
    if dengan_opsi_kelompok:
        bagian.append(
            Kelompok.objects.filter(klaster__in=s.klaster_ids())
            .order_by()
            .annotate(**_kolom("opsi", "klaster_id", "kode", "nama", "desa_id", "desa__nama"))
            .values(*KOLOM)
            .annotate(**_angka(F("pk")))
        )
    for r in mitra.union(*bagian, all=True):
        part = hasil[r["k"]][r["bagian"]]
        if r["bagian"] == "mitra":
            part.append((r["a"], r["b"], r["c"], r["n"]))
        elif r["bagian"] == "kelompok":
            part.append((r["a"], r["b"], r["n"]))
        elif r["bagian"] == "lembaga":
            part.append((r["a"], r["n"], r["m"]))
        elif r["bagian"] == "cair":
            part.append(
                (int(r["d"]), r["a"], r["m"], r["b"], r["c"], Decimal(r["e"]).quantize(SEN), r["n"])
            )
        else:
            part.append((r["n"], r["a"], r["b"], r["c"], r["d"]))
    for part in hasil.values():
        part["desa"] = sorted({(desa, nama) for _pk, _kode, _nama, desa, nama in part["opsi"]})
    return hasil


def urut_desa(desa) -> list[tuple[str, str]]:
    """(kode, nama) pairs of desa as the report's desa filter lists them: by name, then
    code (two desa of one name keep one order)."""
    return sorted(desa, key=lambda d: (d[1], d[0]))


def gabung_dasar(parts) -> dict:
    """{"orang", "uang", "opsi_kelompok", "desa_opsi"} from the parts of dasar_per_klaster.
    The kelompok choices are listed for one klaster only (one part): across several the
    form offers only the kelompok chosen, and a national list (32,000 kelompok at 1000x)
    cost the dashboard and the report a fifth of their time after every write, merged,
    sorted, digested and cached again. The desa they meet in are listed for any scope (a
    few thousand nationally), by name."""
    per_status = {k: 0 for k, _l in Mitra.Status.choices}
    per_sektor = {k: 0 for k, _l in Sektor.choices}
    per_jk = {k: 0 for k, _l in JenisKelamin.choices}
    sektor_jk = {k: {j: 0 for j, _l in JenisKelamin.choices} for k, _l in Sektor.choices}
    kelompok_per_sektor = {k: 0 for k, _l in Sektor.choices}
    kelompok_per_status = {k: 0 for k, _l in Kelompok.Status.choices}
    lembaga_per_bentuk = {
        k: {"label": label, "n": 0, "berbadan_hukum": 0} for k, label in Lembaga.Bentuk.choices
    }
    parts = list(parts)
    cair_rows, desa = [], set()
    for part in parts:
        for status, sektor, jk, n in part["mitra"]:
            per_status[status] += n
            per_sektor[sektor] += n
            per_jk[jk] += n
            sektor_jk[sektor][jk] += n
        for sektor, status, n in part["kelompok"]:
            kelompok_per_sektor[sektor] += n
            kelompok_per_status[status] += n
        for bentuk, n, berbadan_hukum in part["lembaga"]:
            lembaga_per_bentuk[bentuk]["n"] += n
            lembaga_per_bentuk[bentuk]["berbadan_hukum"] += berbadan_hukum
        for tahun, jenis, sd_id, sd_nama, sd_jenis, jumlah, n in part["cair"]:
            cair_rows.append(
                {
                    "tahun": tahun,
                    "jenis": jenis,
                    "sumber_dana_id": sd_id,
                    "sumber_dana__nama": sd_nama,
                    "sumber_dana__jenis": sd_jenis,
                    "jumlah": jumlah,
                    "n": n,
                }
            )
        desa.update(part["desa"])
    opsi = (
        sorted(
            (
                {"pk": pk, "kode": kode, "nama": nama, "desa_kode": d, "desa_nama": d_nama}
                for pk, kode, nama, d, d_nama in parts[0]["opsi"]
            ),
            key=lambda g: (g["kode"], g["pk"]),
        )
        if len(parts) == 1
        else []
    )
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
        # as of the report date, by approval date: the same count as the lembaga table's
        "koperasi": lembaga_per_bentuk[Lembaga.Bentuk.KOPERASI]["n"],
    }
    return {
        "orang": orang,
        "uang": _lipat_pencairan(cair_rows),
        "opsi_kelompok": opsi,
        "desa_opsi": urut_desa(desa),
    }


def jumlahkan_dasar(parts) -> dict:
    """One part of dasar_per_klaster standing for several (gabung_dasar gives the same from
    it as from them): the counts and amounts added up per key, in the order each key first
    appears; the desa united; the kelompok choices kept for one klaster (gabung_dasar lists
    them for one part only)."""
    mitra: dict = {}
    kelompok: dict = {}
    lembaga: dict = {}
    cair: dict = {}
    desa: set = set()
    parts = list(parts)
    for part in parts:
        for status, sektor, jk, n in part["mitra"]:
            mitra[status, sektor, jk] = mitra.get((status, sektor, jk), 0) + n
        for sektor, status, n in part["kelompok"]:
            kelompok[sektor, status] = kelompok.get((sektor, status), 0) + n
        for bentuk, n, berbadan_hukum in part["lembaga"]:
            a, b = lembaga.get(bentuk, (0, 0))
            lembaga[bentuk] = (a + n, b + berbadan_hukum)
        for tahun, jenis, sd_id, sd_nama, sd_jenis, jumlah, n in part["cair"]:
            kunci = (tahun, jenis, sd_id, sd_nama, sd_jenis)
            a, b = cair.get(kunci, (NOL, 0))
            cair[kunci] = (a + jumlah, b + n)
        desa.update(part["desa"])
    return {
        "mitra": [(*k, n) for k, n in mitra.items()],
        "kelompok": [(*k, n) for k, n in kelompok.items()],
        "lembaga": [(k, n, m) for k, (n, m) in lembaga.items()],
        "cair": [(*k, jumlah, n) for k, (jumlah, n) in cair.items()],
        "opsi": parts[0]["opsi"] if len(parts) == 1 else [],
        "desa": sorted(desa),
    }


def ringkasan_dasar(s: Saringan, *, dengan_opsi_kelompok: bool = False) -> dict:
    """People, money disbursed, the poverty lines and optionally the kelompok choices over
    every klaster of `s` (three queries): {"orang", "uang", "pencari", "opsi_kelompok"}."""
    bagian = dasar_per_klaster(s, _semua_klaster(s), dengan_opsi_kelompok=dengan_opsi_kelompok)
    return {**gabung_dasar(bagian.values()), "pencari": PencariGaris()}


def ringkasan_orang(s: Saringan) -> dict:
    """Mitra by status, sektor and jenis kelamin; kelompok by sektor and status; lembaga by
    bentuk (see dasar_per_klaster)."""
    return gabung_dasar(
        dasar_per_klaster(s, _semua_klaster(s), dengan_opsi_kelompok=False).values()
    )["orang"]


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


# --- loans -------------------------------------------------------------------------------


def portofolio_per_klaster(s: Saringan, klaster_ids) -> dict:
    """{klaster id: bantuan.selectors.ringkasan_portofolio over its filtered Bantuan as of
    per_tanggal}, every klaster at once (set-based: laporan/bagian.py asks only for the
    klaster whose cached part is missing — after a write, one)."""
    return bantuan_selectors.ringkasan_per_klaster(
        bantuan_qs(untuk_klaster(s, klaster_ids)), klaster_ids, per_tanggal=s.tanggal_posisi
    )


def gabung_portofolio(parts, per_tanggal: datetime.date) -> dict:
    """The portfolio of several klaster from their ringkasan_portofolio (the same figures as
    one ringkasan_portofolio over every loan), plus the rows of the kolektibilitas table."""
    return _dengan_daftar_kolektibilitas(bantuan_selectors.gabung_ringkasan(parts, per_tanggal))


def _dengan_daftar_kolektibilitas(r: dict) -> dict:
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


def portofolio(s: Saringan) -> dict:
    """Outstanding, PAR30, repayment rate and kolektibilitas as of per_tanggal over every
    filtered Bantuan of `s` (bantuan.selectors.ringkasan_portofolio)."""
    r = bantuan_selectors.ringkasan_portofolio(bantuan_qs(s), per_tanggal=s.tanggal_posisi)
    return _dengan_daftar_kolektibilitas(dict(r))


def dana_bergulir_per_klaster(s: Saringan, klaster_ids) -> dict:
    """{klaster id: its revolving fund as of per_tanggal} (bantuan.selectors, one query)."""
    klaster = bantuan_selectors.dana_bergulir_per_klaster(
        Klaster.objects.filter(pk__in=sorted(klaster_ids)), per_tanggal=s.tanggal_posisi
    )
    return {
        k.pk: {
            "klaster": k.nama,
            "masuk": k.bergulir_masuk,
            "keluar": k.bergulir_keluar,
            "saldo": k.bergulir_saldo,
        }
        for k in klaster
    }


def gabung_dana_bergulir(parts) -> list[dict]:
    """Rows of the fund table, by klaster name."""
    return sorted(parts, key=lambda d: d["klaster"])


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
    klaster_id: int | None = None
    kelompok_kode: str | None = None

    @property
    def alasan(self) -> str:
        return str(ALASAN_KECUALI.get(self.keadaan, ""))


def _sen(x: Decimal) -> int:
    # an amount quantized to the sen, as an exact integer (compact in a cache entry)
    return int(x.scaleb(2))


def _rupiah(sen: int) -> Decimal:
    # back to the very Decimal the row held (same value and exponent)
    return Decimal(sen).scaleb(-2)


def _nilai(b: BarisPendapatan) -> tuple:
    """What the statistics read of a mitra with both readings: (baseline in sen, latest in
    sen, below the line at baseline, below the line at the latest reading)."""
    return (_sen(b.sebelum), _sen(b.sesudah), b.miskin_sebelum, b.miskin_sesudah)


def _kunci_persen(ab: tuple[int, int]) -> int:
    """The order of a mitra's % change (b - a) / a by its exact ratio b / a (a > 0): the
    floor of b / a scaled by 2**128, distinct for distinct ratios of amounts under 10**19
    sen. The Decimal quotient rounds monotonically, so this order is also its order."""
    a, b = ab
    return (b << 128) // a


def _persen(ab: tuple[int, int]) -> Decimal:
    # a mitra's own change: the same quotient, exponent included, as in rupiah
    a, b = ab
    return Decimal(b - a) / Decimal(a)


def _peringkat(daftar: list[list], awal: int, akhir: int) -> list:
    """The elements of rank awal .. akhir - 1 (from 0) of the union of the sorted lists
    `daftar`, without merging them: a sample of every list gives two bounds around those
    ranks, bisect counts exactly what lies below the lower one, and only the elements
    between the bounds are sorted. A sample that misses is widened (at worst
    to every element), so the answer is always exact."""
    daftar = [d for d in daftar if d]
    n = sum(len(d) for d in daftar)
    langkah = max(1, n // 8192)
    contoh = sorted(x for d in daftar for x in d[langkah // 2 :: langkah])
    skala = len(contoh) / n
    # each list's sample can put a rank off by up to one step, in either direction, so the
    # error of many lists grows like the square root of their number: a window that wide
    # usually holds the ranks at the first try (a miss widens it)
    lebar = max(16, 4 * isqrt(len(daftar)))
    while True:
        i = int(awal * skala) - lebar
        j = int(akhir * skala) + lebar
        bawah = contoh[i] if i >= 0 else None
        atas = contoh[j] if j < len(contoh) else None
        di_bawah, calon = 0, []
        for d in daftar:
            lo = bisect_left(d, bawah) if bawah is not None else 0
            hi = bisect_right(d, atas) if atas is not None else len(d)
            di_bawah += lo
            calon.extend(d[lo:hi])
        if di_bawah <= awal and akhir <= di_bawah + len(calon):
            calon.sort()
            return calon[awal - di_bawah : akhir - di_bawah]
        lebar *= 4


def _tengah(daftar: list[list], n: int) -> list:
    """The middle element of n (odd n) or the middle two (even n), as statistics.median
    takes them."""
    return _peringkat(daftar, (n - 1) // 2, n // 2 + 1)


def sebaran(nilai: list[tuple]) -> dict:
    """The values of a set of mitra with both readings (`nilai`: see _nilai) in a form that
    merges with other sets' without reading a value twice: counts and sums that add up,
    and the amounts and changes sorted (medians by selection across the sets' lists)."""
    sebelum = sorted(a for a, _b, _ms, _mt in nilai)
    sesudah = sorted(b for _a, b, _ms, _mt in nilai)
    persen = sorted(((a, b) for a, b, _ms, _mt in nilai if a > 0), key=_kunci_persen)
    # the order's keys beside the pairs: the merge selects on plain ints
    persen_kunci = [_kunci_persen(ab) for ab in persen]
    garis_sebelum = [ms for _a, _b, ms, _mt in nilai if ms is not None]
    garis_sesudah = [mt for _a, _b, _ms, mt in nilai if mt is not None]
    return {
        "n": len(nilai),
        "naik": sum(1 for a, b, _ms, _mt in nilai if b > a),
        "turun": sum(1 for a, b, _ms, _mt in nilai if b < a),
        "n_garis_sebelum": len(garis_sebelum),
        "miskin_sebelum": sum(1 for ms in garis_sebelum if ms),
        "n_garis_sesudah": len(garis_sesudah),
        "miskin_sesudah": sum(1 for mt in garis_sesudah if mt),
        "jumlah_sebelum": sum(sebelum),
        "jumlah_sesudah": sum(sesudah),
        "jumlah_persen": sum((_persen(ab) for ab in persen), NOL),
        "sebelum": sebelum,
        "sesudah": sesudah,
        "persen": persen,
        "persen_kunci": persen_kunci,
    }


_JUMLAH = (
    "n", "naik", "turun", "n_garis_sebelum", "miskin_sebelum", "n_garis_sesudah",
    "miskin_sesudah", "jumlah_sebelum", "jumlah_sesudah",
)  # fmt: skip


def _pasangan_kunci(daftar: list[dict], k: int) -> tuple[int, int]:
    """A (baseline, latest) pair of the sebaran whose % change has the order key k."""
    for d in daftar:
        i = bisect_left(d["persen_kunci"], k)
        if i < len(d["persen_kunci"]) and d["persen_kunci"][i] == k:
            return d["persen"][i]
    raise ValueError(k)


def _statistik_sebaran(daftar: list[dict]) -> dict:
    """n, mean/median baseline and latest, mean/median % change, shares rising/falling and
    below the poverty line, over the mitra of several sebaran (one set each)."""
    # in integer sen where the result is the same Decimal (sums, orders, medians)
    t = {k: sum(d[k] for d in daftar) for k in _JUMLAH}
    n, naik, turun = t["n"], t["naik"], t["turun"]
    n_persen = sum(len(d["persen"]) for d in daftar)
    rata_sebelum = _rupiah(t["jumlah_sebelum"]) / n if n else None
    rata_sesudah = _rupiah(t["jumlah_sesudah"]) / n if n else None

    def median_sen(nama):
        tengah = [_rupiah(x) for x in _tengah([d[nama] for d in daftar], n)]
        return _bulat_uang(sum(tengah, NOL) / 2 if len(tengah) == 2 else tengah[0])

    median_persen = None
    if n_persen:
        # the middle keys, then a pair with each key (one key is one ratio, so one change)
        tengah = [
            _persen(_pasangan_kunci(daftar, k))
            for k in _tengah([d["persen_kunci"] for d in daftar], n_persen)
        ]
        median_persen = sum(tengah, NOL) / 2 if len(tengah) == 2 else tengah[0]
    jumlah_persen = sum((d["jumlah_persen"] for d in daftar), NOL)
    return {
        "n": n,
        "rata_sebelum": _bulat_uang(rata_sebelum),
        "median_sebelum": median_sen("sebelum") if n else None,
        "rata_sesudah": _bulat_uang(rata_sesudah),
        "median_sesudah": median_sen("sesudah") if n else None,
        # change of the mean (what "income up 50%" usually means) ...
        "perubahan_rata": (
            _bulat_rasio(rata_sesudah / rata_sebelum - 1) if n and rata_sebelum else None
        ),
        # ... and the mean and median of each mitra's own % change
        "n_persen": n_persen,
        "rata_persen": _bulat_rasio(jumlah_persen / n_persen) if n_persen else None,
        "median_persen": _bulat_rasio(median_persen) if n_persen else None,
        "naik": naik,
        "turun": turun,
        "tetap": n - naik - turun,
        "porsi_naik": _rasio(naik, n),
        "porsi_turun": _rasio(turun, n),
        "n_garis_sebelum": t["n_garis_sebelum"],
        "miskin_sebelum": t["miskin_sebelum"],
        "porsi_miskin_sebelum": _rasio(t["miskin_sebelum"], t["n_garis_sebelum"]),
        "n_garis_sesudah": t["n_garis_sesudah"],
        "miskin_sesudah": t["miskin_sesudah"],
        "porsi_miskin_sesudah": _rasio(t["miskin_sesudah"], t["n_garis_sesudah"]),
    }


def satukan_sebaran(daftar: list[dict]) -> dict:
    """One sebaran of the mitra of several (_statistik_sebaran gives the same from it as
    from them): counts and sums added, the sorted lists merged (Python's sort finds the
    sorted runs and merges them; equal keys stay in the lists' order, as in heapq.merge)."""
    persen = sorted(
        (kp for d in daftar for kp in zip(d["persen_kunci"], d["persen"], strict=True)),
        key=itemgetter(0),
    )
    return {
        **{k: sum(d[k] for d in daftar) for k in _JUMLAH},
        "jumlah_persen": sum((d["jumlah_persen"] for d in daftar), NOL),
        "sebelum": sorted(x for d in daftar for x in d["sebelum"]),
        "sesudah": sorted(x for d in daftar for x in d["sesudah"]),
        "persen": [ab for _k, ab in persen],
        "persen_kunci": [k for k, _ab in persen],
    }


def _statistik(nilai: list[tuple]) -> dict:
    """_statistik_sebaran of one set of mitra (`nilai`: see _nilai)."""
    return _statistik_sebaran([sebaran(nilai)])


def _kunci_garis(g) -> tuple:
    return (g.cara, g.wilayah_kode, g.tahun, g.periode)


def ringkas_pendapatan(rows: list[BarisPendapatan]) -> dict:
    """The part of a set of mitra (one klaster's) that the summary of the income section
    merges: counts, per sektor the values of mitra with both readings (see _nilai), and the
    poverty lines used by those mitra's baseline and latest readings."""
    sektor: dict = defaultdict(list)
    kecuali: dict = defaultdict(int)
    garis: dict = {}
    baseline_nol = 0
    for b in rows:
        if b.keadaan != LENGKAP:
            kecuali[b.sektor, b.keadaan] += 1
            continue
        sektor[b.sektor].append(_nilai(b))
        baseline_nol += b.perubahan is None
        # the readings that enter the poverty figures, so the table adds up to their n
        for g, i in ((b.garis_sebelum, 1), (b.garis_sesudah, 2)):
            item = garis.setdefault(_kunci_garis(g), [g, 0, 0])
            item[i] += 1
    return {
        "n_mitra": len(rows),
        "sektor": {kode: sebaran(nilai) for kode, nilai in sektor.items()},
        "kecuali": dict(kecuali),
        "n_baseline_nol": baseline_nol,
        "garis": garis,
    }


def _kumpulkan_pendapatan(parts) -> tuple[dict, dict, dict]:
    """({sektor: its sebaran from each part}, the excluded counts added up, {line: [line,
    readings before, readings after]} added up) over parts made by ringkas_pendapatan."""
    sektor: dict = defaultdict(list)
    kecuali: dict = defaultdict(int)
    garis: dict = {}
    for part in parts:
        for kode, sebaran_sektor in part["sektor"].items():
            sektor[kode].append(sebaran_sektor)
        for kunci, n in part["kecuali"].items():
            kecuali[kunci] += n
        for kunci, (g, n_sebelum, n_sesudah) in part["garis"].items():
            item = garis.setdefault(kunci, [g, 0, 0])
            item[1] += n_sebelum
            item[2] += n_sesudah
    return sektor, kecuali, garis


def jumlahkan_pendapatan(parts) -> dict:
    """One part of ringkas_pendapatan standing for several (gabung_pendapatan gives the same
    from it as from them)."""
    sektor, kecuali, garis = _kumpulkan_pendapatan(parts)
    return {
        "n_mitra": sum(p["n_mitra"] for p in parts),
        "sektor": {kode: satukan_sebaran(daftar) for kode, daftar in sektor.items()},
        "kecuali": dict(kecuali),
        "n_baseline_nol": sum(p["n_baseline_nol"] for p in parts),
        "garis": garis,
    }


def gabung_pendapatan(parts) -> dict:
    """The summary of the income section from parts made by ringkas_pendapatan: n, the
    statistics overall and per sektor, what was left out and the poverty lines used."""
    # the sebaran of a sektor are not merged here (satukan_sebaran sorts): the statistics
    # read medians across the sorted lists as they are
    sektor, kecuali, garis = _kumpulkan_pendapatan(parts)
    n_mitra = sum(p["n_mitra"] for p in parts)
    baseline_nol = sum(p["n_baseline_nol"] for p in parts)
    per_sektor = []
    semua: list = []
    for kode, label in Sektor.choices:
        daftar = sektor.get(kode, [])
        semua.extend(daftar)
        n_kecuali = kecuali.get((kode, TANPA_BASELINE), 0) + kecuali.get((kode, TANPA_LANJUTAN), 0)
        statistik = _statistik_sebaran(daftar)
        if statistik["n"] or n_kecuali:
            per_sektor.append(
                {"kode": kode, "label": label, "dikecualikan": n_kecuali, **statistik}
            )
    n_tanpa_baseline = sum(n for (_s, k), n in kecuali.items() if k == TANPA_BASELINE)
    n_tanpa_lanjutan = sum(n for (_s, k), n in kecuali.items() if k == TANPA_LANJUTAN)
    total = _statistik_sebaran(semua)
    n_lengkap = total["n"]
    garis_dipakai = sorted(
        ({"garis": g, "n_sebelum": a, "n_sesudah": b, "n": a + b} for g, a, b in garis.values()),
        key=lambda v: (v["garis"].cara, v["garis"].tahun or 0, v["garis"].periode),
    )
    return {
        "n_mitra": n_mitra,
        "n_lengkap": n_lengkap,
        "total": total,
        "per_sektor": per_sektor,
        # the lists' lengths, also when a page shows only their first rows
        "n_per_mitra": n_lengkap,
        "n_dikecualikan": n_tanpa_baseline + n_tanpa_lanjutan,
        "n_tanpa_baseline": n_tanpa_baseline,
        "n_tanpa_lanjutan": n_tanpa_lanjutan,
        "n_baseline_nol": baseline_nol,
        "garis_dipakai": garis_dipakai,
        # readings on a line marked as an estimate (its source says so), baseline + latest
        "n_garis_perkiraan": sum(v["n"] for v in garis_dipakai if v["garis"].perkiraan),
    }


def _baris_kelompok(label: str, nilai: list, kecuali: int) -> dict:
    return {"label": label, "dikecualikan": kecuali, **_statistik(nilai)}


def _per_kelompok(rows: list[BarisPendapatan]) -> tuple[list[dict], dict | None]:
    """(a statistics row per kelompok, in label order; the "Tanpa kelompok" part — the
    values and the excluded count of mitra without a kelompok — or None)."""
    nilai: dict = defaultdict(list)
    kecuali: dict = defaultdict(int)
    label: dict = {}
    for b in rows:
        label.setdefault(b.kelompok_id, b.kelompok_label)
        if b.keadaan == LENGKAP:
            nilai[b.kelompok_id].append(_nilai(b))
        else:
            kecuali[b.kelompok_id] += 1
    kelompok = sorted(
        (_baris_kelompok(lbl, nilai.get(kid, []), kecuali.get(kid, 0))
         for kid, lbl in label.items() if kid is not None),
        key=lambda r: r["label"],
    )  # fmt: skip
    tanpa = None
    if None in label:
        tanpa = {"nilai": nilai.get(None, []), "kecuali": kecuali.get(None, 0)}
    return kelompok, tanpa


def _baris_tanpa_kelompok(tanpa: dict) -> dict:
    return _baris_kelompok(str(_("Tanpa kelompok")), tanpa["nilai"], tanpa["kecuali"])


def daftar_pendapatan(rows: list[BarisPendapatan], batas: int) -> dict:
    """The part of a set of mitra (one klaster's) that the report page's tables merge: the
    first `batas` kelompok rows, the "Tanpa kelompok" part, and the places (kunci_urut_mitra)
    of the first `batas` mitra with both readings and of the first `batas` left out."""
    kelompok, tanpa = _per_kelompok(rows)
    lengkap = [kunci_urut_mitra(b) for b in rows if b.keadaan == LENGKAP]
    kecuali = [kunci_urut_mitra(b) for b in rows if b.keadaan != LENGKAP]
    return {
        "kelompok": kelompok[:batas],
        "n_kelompok": len(kelompok),
        "tanpa_kelompok": tanpa,
        # in the database's order, which kunci_urut_mitra follows
        "mitra": lengkap[:batas],
        "kecuali": kecuali[:batas],
    }


def jumlahkan_daftar_pendapatan(parts, batas: int) -> dict:
    """One part of daftar_pendapatan standing for several (gabung_daftar_pendapatan gives
    the same from it as from them): the first `batas` kelompok rows by label and mitra
    places of the whole are among the first `batas` of each part."""
    parts = list(parts)
    kelompok = sorted((r for p in parts for r in p["kelompok"]), key=lambda r: r["label"])
    tanpa = [p["tanpa_kelompok"] for p in parts if p["tanpa_kelompok"] is not None]
    return {
        "kelompok": kelompok[:batas],
        "n_kelompok": sum(p["n_kelompok"] for p in parts),
        "tanpa_kelompok": (
            {
                "nilai": [v for t in tanpa for v in t["nilai"]],
                "kecuali": sum(t["kecuali"] for t in tanpa),
            }
            if tanpa
            else None
        ),
        "mitra": list(islice(heapq.merge(*(p["mitra"] for p in parts)), batas)),
        "kecuali": list(islice(heapq.merge(*(p["kecuali"] for p in parts)), batas)),
    }


def gabung_daftar_pendapatan(parts, batas: int, ambil_baris) -> dict:
    """The report page's income tables from parts made by daftar_pendapatan: the first
    `batas` rows of the per-kelompok table ("Tanpa kelompok" last), of the per-mitra table
    and of the mitra left out, with the full tables' lengths. `ambil_baris(ids)` reads
    those mitra's rows (baris_pendapatan with mitra_ids)."""
    parts = list(parts)
    kelompok = sorted((r for p in parts for r in p["kelompok"]), key=lambda r: r["label"])
    n_kelompok = sum(p["n_kelompok"] for p in parts)
    tanpa = [p["tanpa_kelompok"] for p in parts if p["tanpa_kelompok"] is not None]
    if tanpa:
        kelompok.append(
            _baris_tanpa_kelompok(
                {
                    "nilai": [v for t in tanpa for v in t["nilai"]],
                    "kecuali": sum(t["kecuali"] for t in tanpa),
                }
            )
        )
        n_kelompok += 1
    # each part is in the database's order already: merged, not sorted again
    mitra = list(islice(heapq.merge(*(p["mitra"] for p in parts)), batas))
    kecuali = list(islice(heapq.merge(*(p["kecuali"] for p in parts)), batas))
    baris = {b.mitra_id: b for b in ambil_baris([k[-1] for k in mitra + kecuali])}
    return {
        "per_kelompok": kelompok[:batas],
        "n_per_kelompok": n_kelompok,
        "per_mitra": [baris[k[-1]] for k in mitra if k[-1] in baris],
        "dikecualikan": [baris[k[-1]] for k in kecuali if k[-1] in baris],
    }


def pendapatan_per_klaster(s: Saringan, klaster_ids, pencari: PencariGaris, *, batas: int):
    """{klaster id: {"pendapatan": ringkas_pendapatan part, "pendapatan_daftar":
    daftar_pendapatan part}}: the mitra of every klaster asked for in two queries."""
    ids = sorted(klaster_ids)
    per_klaster: dict = {k: [] for k in ids}
    if ids:
        for b in baris_pendapatan(untuk_klaster(s, ids), pencari):
            per_klaster[b.klaster_id].append(b)
    return {
        k: {
            "pendapatan": ringkas_pendapatan(rows),
            "pendapatan_daftar": daftar_pendapatan(rows, batas),
        }
        for k, rows in per_klaster.items()
    }


def perubahan_pendapatan(s: Saringan, pencari: PencariGaris | None = None) -> dict:
    """Income change per sector, per kelompok and overall, the whole per-mitra table, every
    excluded mitra and which poverty lines were used (the exports; the pages merge the
    cached parts). Two queries (three without `pencari`)."""
    semua = baris_pendapatan(s, pencari)
    kelompok, tanpa = _per_kelompok(semua)
    if tanpa is not None:
        kelompok.append(_baris_tanpa_kelompok(tanpa))
    return {
        **gabung_pendapatan([ringkas_pendapatan(semua)]),
        "per_kelompok": kelompok,
        "n_per_kelompok": len(kelompok),
        "per_mitra": [b for b in semua if b.keadaan == LENGKAP],
        "dikecualikan": [b for b in semua if b.keadaan != LENGKAP],
    }


def _bacaan_pendapatan(s: Saringan, mitra_ids=None) -> tuple[dict, dict]:
    """Each mitra's baseline (the earliest dated on or before `sampai`) and latest follow-up
    (monitoring or endline dated within [dari, sampai]), as {mitra_id: (tanggal, nilai,
    jenis)}: ONE set-based query. A window numbers each mitra's readings of a kind, earliest
    first for the baseline and latest first for a follow-up (ties broken by id, as before),
    and keeps number 1 of each; the filter on the window runs on SQLite and PostgreSQL.
    `mitra_ids`: only these mitra of the report."""
    Jenis = PengukuranPendapatan.Jenis
    lanjutan = Q(jenis__in=[Jenis.MONITORING, Jenis.ENDLINE])
    if s.dari:
        lanjutan &= Q(tanggal__gte=s.dari)
    adalah_baseline = Q(jenis=Jenis.BASELINE)
    grup = Case(When(adalah_baseline, then=Value(0)), default=Value(1))
    rows = (
        PengukuranPendapatan.objects.filter(
            adalah_baseline | lanjutan,
            mitra__in=_mitra_pendapatan(s, mitra_ids).order_by().values("pk"),
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


def _mitra_pendapatan(s: Saringan, mitra_ids=None):
    qs = mitra_qs(s)
    return qs if mitra_ids is None else qs.filter(pk__in=list(mitra_ids))


URUTAN_MITRA = ("sektor", "kelompok__kode", "nama", "pk")


def kunci_urut_mitra(b: "BarisPendapatan") -> tuple:
    """A row's place in URUTAN_MITRA, as the database sorts it (PostgreSQL puts a missing
    kelompok last, SQLite first), to merge the rows of several klaster in that order."""
    tanpa = b.kelompok_kode is None
    return (
        b.sektor,
        tanpa if connection.vendor == "postgresql" else not tanpa,
        b.kelompok_kode or "",
        b.nama,
        b.mitra_id,
    )


def baris_pendapatan(
    s: Saringan, pencari: PencariGaris | None = None, *, mitra_ids=None
) -> list[BarisPendapatan]:
    """One row per mitra in the report with baseline and latest reading, in URUTAN_MITRA:
    two set-based queries (the mitra, their readings; see _bacaan_pendapatan) joined in
    Python, plus one for the poverty lines when no PencariGaris is given. `mitra_ids`: only
    these mitra of the report."""
    baseline, akhir = _bacaan_pendapatan(s, mitra_ids)
    rows = (
        _mitra_pendapatan(s, mitra_ids)
        .order_by(*URUTAN_MITRA)
        .values(
            "pk",
            "klaster_id",
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
            klaster_id=r["klaster_id"],
            kelompok_kode=r["kelompok__kode"],
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


HARI_KUNJUNGAN_TERAKHIR = 30


def kegiatan_baris(s: Saringan) -> list[dict]:
    """The activity section's partial sums, one row per (klaster, month, facilitator), in
    ONE grouped query over the visits: the attendance comes from the counts each visit
    keeps (members present, members of its kelompok at its date)."""
    d = s.tanggal_posisi
    ada_tl = ~Q(tindak_lanjut="")
    selesai = Q(tindak_lanjut_selesai=True) & (
        Q(tindak_lanjut_selesai_pada__isnull=True) | Q(tindak_lanjut_selesai_pada__lte=d)
    )
    ke_kelompok = Q(kelompok__isnull=False)
    rows = list(
        kunjungan_qs(s)
        .annotate(bulan=TruncMonth("tanggal"))
        .order_by()
        .values("klaster_id", "bulan", "fasilitator_id")
        .annotate(
            n=Count("pk"),
            n_kelompok=Count("pk", filter=ke_kelompok),
            tl=Count("pk", filter=ada_tl),
            tl_selesai=Count("pk", filter=ada_tl & selesai),
            # "in the last 30 days": dated in the 30 days that end on the report date
            n_30_hari=Count(
                "pk",
                filter=Q(tanggal__gt=d - datetime.timedelta(days=HARI_KUNJUNGAN_TERAKHIR)),
            ),
            hadir=Sum("jumlah_hadir_anggota", filter=ke_kelompok),
            anggota=Sum("jumlah_anggota", filter=ke_kelompok),
        )
    )
    for r in rows:
        r["bulan"] = _kunci_bulan(r["bulan"])
        r["hadir"] = r["hadir"] or 0
        r["anggota"] = r["anggota"] or 0
    return rows


def kegiatan_per_klaster(s: Saringan, klaster_ids) -> dict:
    """{klaster id: its rows of kegiatan_baris folded by kegiatan_ringkas} (one query for
    all)."""
    ids = sorted(klaster_ids)
    rows: dict = {k: [] for k in ids}
    if ids:
        for r in kegiatan_baris(untuk_klaster(s, ids)):
            rows[r["klaster_id"]].append(r)
    return {k: kegiatan_ringkas(r) for k, r in rows.items()}


def _nama_fasilitator(ids) -> dict[int, str]:
    """Each facilitator's name as shown (read live: a rename shows at once). One query,
    none without visits."""
    if not ids:
        return {}
    return {
        pk: f"{depan} {belakang}".strip() or username
        for pk, username, depan, belakang in get_user_model()
        .objects.filter(pk__in=sorted(ids))
        .values_list("pk", "username", "first_name", "last_name")
    }


_JUMLAH_KEGIATAN = ("n", "n_kelompok", "hadir", "anggota", "tl", "tl_selesai", "n_30_hari")


def kegiatan_ringkas(rows) -> dict:
    """Rows of kegiatan_baris folded into what adds up across klaster: visits per month,
    per facilitator (visits, attendance, their first month) and the totals."""
    bulan: dict = defaultdict(int)
    fasilitator: dict = {}
    tot = dict.fromkeys(_JUMLAH_KEGIATAN, 0)
    for r in rows:
        bulan[r["bulan"]] += r["n"]
        f = fasilitator.setdefault(r["fasilitator_id"], [0, 0, 0, r["bulan"]])
        f[0] += r["n"]
        f[1] += r["hadir"]
        f[2] += r["anggota"]
        f[3] = min(f[3], r["bulan"])
        for key in _JUMLAH_KEGIATAN:
            tot[key] += r[key] or 0
    return {"bulan": dict(bulan), "fasilitator": fasilitator, "tot": tot}


def kegiatan_jumlahkan(parts) -> dict:
    """One part of kegiatan_ringkas standing for several (kegiatan_gabung gives the same
    from it as from them)."""
    bulan: dict = defaultdict(int)
    fasilitator: dict = {}
    tot = dict.fromkeys(_JUMLAH_KEGIATAN, 0)
    for part in parts:
        for b, n in part["bulan"].items():
            bulan[b] += n
        for fid, (n, hadir, anggota, awal) in part["fasilitator"].items():
            f = fasilitator.setdefault(fid, [0, 0, 0, awal])
            f[0] += n
            f[1] += hadir
            f[2] += anggota
            f[3] = min(f[3], awal)
        for key in _JUMLAH_KEGIATAN:
            tot[key] += part["tot"][key]
    return {"bulan": dict(bulan), "fasilitator": fasilitator, "tot": tot}


def kegiatan_gabung(s: Saringan, parts) -> dict:
    """The activity section from parts of kegiatan_ringkas (any klaster), and the
    facilitators' names (one query)."""
    jumlah = kegiatan_jumlahkan(parts)
    per_bulan, per_id, tot = jumlah["bulan"], jumlah["fasilitator"], jumlah["tot"]
    nama = _nama_fasilitator(per_id)
    bulan_list = []
    if per_bulan:
        awal = min(per_bulan)
        akhir = max(per_bulan)
        if s.dari:
            awal = min(awal, s.dari.replace(day=1))
        bulan_list = [{"bulan": b, "n": per_bulan.get(b, 0)} for b in _daftar_bulan(awal, akhir)]
    # by visits, then name; equal ones in the order of their first month, then id
    urut = sorted(per_id.items(), key=lambda kv: (kv[1][3], kv[0]))
    fasilitator_list = sorted(
        (
            {"nama": nama.get(fid, ""), "n": n, "hadir": hadir, "anggota": anggota}
            for fid, (n, hadir, anggota, _awal) in urut
        ),
        key=lambda f: (-f["n"], f["nama"]),
    )
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
    """Visits per month and per facilitator, attendance rate and follow-ups (two queries)."""
    return kegiatan_gabung(s, [kegiatan_ringkas(kegiatan_baris(s))])


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
    # the programme's half (program/selectors.py gabung_program): activities, market
    # access, social capital, CIBEST, and the dashboard's cards ("kartu")
    program: dict | None = None
    # group savings (tabungan/selectors.py gabung_tabungan)
    tabungan: dict | None = None


# --- method notes, printed under each table (page, PDF, XLSX) ----------------------------

CATATAN_METODE = {
    "orang": _(
        "Mitra: anggota klaster yang bergabung paling lambat tanggal akhir periode dan sesuai "
        "saringan. Status per tanggal posisi: keluar sejak tanggal keluarnya (mitra yang "
        "keluar sesudah tanggal itu dihitung aktif), calon sebelum tanggal bergabungnya, "
        "selain itu status yang tercatat saat ini (status lulus tidak bertanggal). Kelompok: "
        "dibentuk paling lambat akhir periode. Koperasi dihitung sejak tanggal pengesahannya: "
        "koperasi yang belum disahkan per tanggal posisi belum dihitung; lembaga lain sejak "
        "tanggal pengesahannya bila ada. Lembaga berbadan hukum: lembaga yang dihitung itu "
        "dan punya nomor badan hukum."
    ),
    "uang": _(
        "Bantuan berstatus dicairkan, lunas atau dihapusbukukan dengan tanggal cair dalam "
        "periode. Bantuan kepada kelompok mengikuti saringan sektor/kelompok/desa lewat "
        "kelompoknya dan tidak dihitung bila saringan jenis kelamin dipakai. Pengajuan yang "
        "belum cair atau ditolak tidak dihitung."
    ),
    "portofolio": _(
        "Posisi per tanggal posisi. Pinjaman = modal bergulir yang sudah cair. Pinjaman beredar = "
        "sisa pokok pinjaman yang belum lunas dan tidak dihapusbukukan. PAR30 = sisa pokok "
        "pinjaman dengan angsuran tertunggak lebih dari 30 hari ÷ pinjaman beredar (ditimbang "
        "saldo, bukan jumlah pinjaman). Tingkat pengembalian = angsuran terkumpul (paling "
        "banyak sebesar yang sudah jatuh tempo) ÷ angsuran yang sudah jatuh tempo; angsuran "
        "yang jatuh tempo tepat pada tanggal posisi ikut dihitung (baru tertunggak sehari "
        "sesudahnya), dan pinjaman yang dihapusbukukan tetap ikut dengan angsuran yang jatuh "
        "tempo sampai tanggal hapus bukunya. Kolektibilitas menurut hari tunggakan (POJK "
        "40/2019): 1 Lancar 0 hari, 2 Dalam Perhatian Khusus 1–90, 3 Kurang Lancar 91–120, "
        "4 Diragukan 121–180, 5 Macet >180. Dihitung dengan cara yang sama seperti halaman "
        "Bantuan dan Portofolio."
    ),
    "dana_bergulir": _(
        "Masuk = angsuran semua pinjaman modal bergulir klaster sampai tanggal posisi (entri "
        "koreksi mengurangi). Keluar = bantuan yang dicairkan dari dana bergulir klaster itu. "
        "Generasi: pinjaman dari dana donatur adalah generasi 1; pinjaman dari dana bergulir "
        "memakai uang yang paling dulu masuk, dan bila uang itu berasal dari angsuran "
        "pinjaman beberapa generasi, pinjaman itu digolongkan satu generasi di atas generasi "
        "tertinggi di antaranya."
    ),
    "pendapatan": _(
        "Per mitra: baseline = pengukuran baseline (paling lambat akhir periode); terakhir = "
        "pengukuran monitoring/endline terakhir yang bertanggal dalam periode dan setelah "
        "baseline. Pendapatan nominal: rupiah pada tanggal pengukuran, tanpa penyesuaian "
        "inflasi. Rata-rata dan median dihitung atas mitra yang punya keduanya (n). "
        "Perubahan rata-rata = rata-rata terakhir ÷ rata-rata baseline − 1; rata-rata dan "
        "median % perubahan = rata-rata dan median perubahan tiap mitra (mitra dengan "
        "baseline Rp0 tidak ikut di kolom itu). Naik/turun: pendapatan terakhir lebih "
        "tinggi/lebih rendah daripada baseline. Mitra tanpa baseline atau tanpa pengukuran "
        "lanjutan tidak masuk perhitungan; jumlahnya ditulis di kolom “dikecualikan” "
        "dan namanya di daftar mitra yang dikecualikan."
    ),
    "kemiskinan": _(
        "Pendapatan per kapita = pendapatan bulanan ÷ jumlah anggota keluarga (yang tercatat "
        "saat ini; pendapatan dipakai sebagai proksi pengeluaran). Dibandingkan dengan garis "
        "kemiskinan BPS (Rp/kapita/bulan) kabupaten tempat mitra tinggal (desa → kecamatan → "
        "kabupaten) pada tahun pengukuran; bila tahun itu tidak tersedia dipakai tahun "
        "terdekat sebelumnya, lalu garis provinsi yang berlaku; bila tidak ada sama sekali, "
        "pengukuran itu tidak dihitung (n ditulis terpisah untuk baseline dan terakhir). Di "
        "bawah garis: per kapita kurang dari garis. Tabel garis yang dipakai menghitung "
        "pengukuran baseline dan terakhir dari n mitra yang masuk perhitungan, sehingga "
        "jumlahnya sama dengan n; pengukuran tanpa garis tidak ikut dalam n garis. Garis "
        "bertanda perkiraan berasal dari sumber yang menyebut nilainya perkiraan (Kabupaten "
        "Lebak 2023, Rp419.000, dibulatkan dalam kutipan pers); banyaknya pengukuran yang "
        "memakainya tertulis di tabel."
    ),
    "kegiatan": _(
        "Kunjungan bertanggal dalam periode. Tingkat kehadiran = anggota yang hadir ÷ "
        "anggota kelompok pada tanggal kunjungan (bergabung paling lambat tanggal itu dan "
        "belum keluar sebelumnya, sebagaimana tercatat saat kunjungan disimpan), "
        "dijumlahkan atas semua kunjungan ke kelompok; tamu yang bukan anggota dan kunjungan "
        "tanpa kelompok tidak dihitung. Kunjungan 30 hari terakhir: kunjungan bertanggal "
        "dalam 30 hari yang berakhir pada tanggal posisi (tanggal itu dan 29 hari "
        "sebelumnya). Tindak lanjut selesai: ditandai selesai paling lambat tanggal posisi. "
        "Saringan jenis kelamin tidak berlaku untuk kunjungan; saringan sektor, kelompok dan "
        "desa berlaku lewat kelompok yang dikunjungi."
    ),
}

"""Read side of the programme's other half: the lists and detail pages, and the impact
report's sections (activities, market access, social capital, CIBEST and graduation).

A report section takes `s`, anything with the impact report's filter attributes —
laporan.selectors.Saringan or `Lingkup` below: `klaster` (a queryset already scoped to the
user), the period `dari`..`sampai`, the as-of date (`per_tanggal`, default `sampai`) and the
filters `sektor`, `kelompok_id`, `desa_kode`, `jenis_kelamin` — and returns a dict of plain
values (Decimal money and ratios, lists of rows) that the HTML, XLSX, PDF and CSV all render.
Each makes a fixed number of queries whatever the amount of data; means and medians are
computed in Python from one row per household.

Definitions (printed under each table as its method note, CATATAN_METODE):
- Mitra in the report: as in the impact report — mitra of the klaster who joined on or
  before `sampai` and match the filters.
- Activities: dated within the period. With a mitra filter (sektor, kelompok, desa, jenis
  kelamin) only activities attended by at least one mitra of the report count, and only
  those mitra count as participants. Person-hours = Σ over activities of hours × the mitra
  of the report who attended.
- Market access: a mitra has access at a date when a market link of their own, or of their
  kelompok, has started on or before it and not ended before it.
- Survey pairs: a mitra's baseline answer is their earliest answer in a baseline round dated
  on or before `sampai`; their endline answer the latest in an endline round dated within the
  period and after the baseline. Mitra with a baseline and no endline are excluded and
  named; so are mitra with an endline and no baseline.
- Social capital: index 0–100 per dimension (program/instrumen.py); "naik" = endline index
  above baseline.
- CIBEST: MV = the BPS poverty line per capita per month in force at the answer's date
  (klaster/garis_kemiskinan.py, the impact report's rule) × the household size given in
  that answer; SV = 3. Boundary rule: program/aturan.py (on the line = need met). A pair
  without a poverty line at either date is excluded and named.
- Graduation: household income at the endline answer >= the nisab in force at its date
  (program/nisab.py); over every mitra with an endline answer in the period.
"""

import datetime
import heapq
from collections import Counter
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal
from itertools import islice

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from klaster.garis_kemiskinan import KETERANGAN_CARA, TIDAK_TERSEDIA, PencariGaris
from klaster.models import Klaster
from mitra.models import Mitra
from program import penilaian
from program.aturan import ATURAN_BATAS, KUADRAN, NAMA_KUADRAN, kuadran_cibest, lulus_nisab
from program.instrumen import DIMENSI, GARIS_SPIRITUAL, NAMA_DIMENSI, TOTAL
from program.models import JawabanSurvei, KegiatanProgram, PihakLuar, PutaranSurvei, TautanPasar
from program.nisab import PencariNisab

SEN = Decimal("0.01")
RASIO = Decimal("0.000001")


def _bulat(x: Decimal | None, q=SEN) -> Decimal | None:
    return None if x is None else Decimal(x).quantize(q, rounding=ROUND_HALF_UP)


def _rasio(pembilang, penyebut) -> Decimal | None:
    if not penyebut:
        return None
    return _bulat(Decimal(pembilang) / Decimal(penyebut), RASIO)


@dataclass(frozen=True)
class Lingkup:
    """The impact report's filters (laporan.selectors.Saringan has the same attributes),
    for the programme's own pages."""

    klaster: object  # QuerySet[Klaster], already scoped
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


def _tanggal_posisi(s) -> datetime.date:
    return getattr(s, "per_tanggal", None) or s.sampai


def _klaster_ids(s):
    return s.klaster.order_by().values("pk")


def _ada_saringan_mitra(s) -> bool:
    return bool(s.sektor or s.kelompok_id or s.desa_kode or s.jenis_kelamin)


def mitra_qs(s):
    """The mitra of the report (the impact report's definition)."""
    qs = Mitra.objects.filter(klaster__in=_klaster_ids(s), tanggal_bergabung__lte=s.sampai)
    if s.sektor:
        qs = qs.filter(sektor=s.sektor)
    if s.kelompok_id:
        qs = qs.filter(kelompok_id=s.kelompok_id)
    if s.desa_kode:
        qs = qs.filter(desa_id=s.desa_kode)
    if s.jenis_kelamin:
        qs = qs.filter(jenis_kelamin=s.jenis_kelamin)
    return qs


# --- activities ----------------------------------------------------------------------------


def kegiatan_qs(s):
    qs = KegiatanProgram.objects.filter(klaster__in=_klaster_ids(s), tanggal__lte=s.sampai)
    if s.dari:
        qs = qs.filter(tanggal__gte=s.dari)
    if _ada_saringan_mitra(s):
        Hadir = KegiatanProgram.peserta.through
        qs = qs.filter(
            pk__in=Hadir.objects.filter(mitra__in=mitra_qs(s).values("pk")).values(
                "kegiatanprogram_id"
            )
        )
    return qs


def _kegiatan_per_klaster(s, ids) -> dict[int, dict]:
    """Each klaster's activity counts (additive across klaster: a mitra and an outside party
    belong to one klaster): four set-based queries for every klaster in `ids`."""
    hasil = {k: {"jenis": {}, "hadir": {}, "mitra": 0, "pihak": {}} for k in ids}
    kegiatan = kegiatan_qs(s).order_by()
    Hadir = KegiatanProgram.peserta.through
    hadir = Hadir.objects.filter(
        kegiatanprogram__in=kegiatan.values("pk"), mitra__in=mitra_qs(s).values("pk")
    ).order_by()
    for r in kegiatan.values("klaster_id", "jenis").annotate(
        n=Count("pk"), jam=Sum("jam"), biaya=Sum("biaya")
    ):
        hasil[r["klaster_id"]]["jenis"][r["jenis"]] = (r["n"], r["jam"], r["biaya"])
    for r in hadir.values("kegiatanprogram__klaster_id", "kegiatanprogram__jenis").annotate(
        kehadiran=Count("pk"),
        mitra=Count("mitra_id", distinct=True),
        jam_orang=Sum("kegiatanprogram__jam"),
    ):
        hasil[r["kegiatanprogram__klaster_id"]]["hadir"][r["kegiatanprogram__jenis"]] = (
            r["kehadiran"],
            r["mitra"],
            r["jam_orang"],
        )
    for r in hadir.values("kegiatanprogram__klaster_id").annotate(
        mitra=Count("mitra_id", distinct=True)
    ):
        hasil[r["kegiatanprogram__klaster_id"]]["mitra"] = r["mitra"]
    Pihak = KegiatanProgram.pihak_luar.through
    for r in (
        Pihak.objects.filter(kegiatanprogram__in=kegiatan.values("pk"))
        .order_by()
        .values("kegiatanprogram__klaster_id", "pihakluar__jenis")
        .annotate(n=Count("pihakluar_id", distinct=True))
    ):
        hasil[r["kegiatanprogram__klaster_id"]]["pihak"][r["pihakluar__jenis"]] = r["n"]
    return hasil


def gabung_kegiatan(parts: list[dict], n_mitra: int) -> dict:
    """Activities by type, unique mitra reached, person-hours, cost, and the outside parties
    present by kind, over the klaster's parts."""
    nol = Decimal(0)
    baris = []
    for jenis, label in KegiatanProgram.Jenis.choices:
        n = sum(p["jenis"].get(jenis, (0, 0, 0))[0] for p in parts)
        jam = sum((p["jenis"].get(jenis, (0, 0, 0))[1] or nol for p in parts), nol)
        biaya = sum((p["jenis"].get(jenis, (0, 0, 0))[2] or nol for p in parts), nol)
        h = [p["hadir"].get(jenis, (0, 0, 0)) for p in parts]
        baris.append(
            {
                "jenis": jenis,
                "nama": str(label),
                "kegiatan": n,
                "jam": _bulat(jam),
                "biaya": _bulat(biaya),
                "kehadiran": sum(x[0] for x in h),
                "mitra": sum(x[1] for x in h),
                "jam_orang": _bulat(sum((x[2] or nol for x in h), nol)),
            }
        )
    pihak_baris = [
        {"jenis": jenis, "nama": str(label), "pihak": sum(p["pihak"].get(jenis, 0) for p in parts)}
        for jenis, label in PihakLuar.Jenis.choices
    ]
    terjangkau = sum(p["mitra"] for p in parts)
    return {
        "per_jenis": baris,
        "kegiatan": sum(b["kegiatan"] for b in baris),
        "jam": _bulat(sum((b["jam"] for b in baris), nol)),
        "biaya": _bulat(sum((b["biaya"] for b in baris), nol)),
        "kehadiran": sum(b["kehadiran"] for b in baris),
        "mitra_terjangkau": terjangkau,
        "jam_orang": _bulat(sum((b["jam_orang"] for b in baris), nol)),
        "n_mitra": n_mitra,
        "porsi_terjangkau": _rasio(terjangkau, n_mitra),
        "pihak_per_jenis": pihak_baris,
        "pihak_luar": sum(b["pihak"] for b in pihak_baris),
        "catatan": str(CATATAN_METODE["kegiatan"]),
    }


def kegiatan_program(s) -> dict:
    """Activities by type, unique mitra reached, person-hours, outside parties by kind."""
    return bagian_program(s)["kegiatan_program"]


# --- market access -------------------------------------------------------------------------


def _tautan_aktif(s, tanggal: datetime.date):
    return TautanPasar.objects.filter(
        Q(tanggal_selesai__isnull=True) | Q(tanggal_selesai__gte=tanggal),
        klaster__in=_klaster_ids(s),
        tanggal_mulai__lte=tanggal,
    )


def _q_punya_akses(s, tanggal: datetime.date) -> Q:
    aktif = _tautan_aktif(s, tanggal).order_by()
    return Q(pk__in=aktif.filter(mitra__isnull=False).values("mitra_id")) | Q(
        kelompok_id__in=aktif.filter(kelompok__isnull=False).values("kelompok_id")
    )


def _pasar_per_klaster(s, ids) -> dict[int, dict]:
    """Each klaster's mitra (the report's), those with market access at the report date
    and at the start of the period, and the links in force by type and by the outside
    party's kind: three set-based queries for every klaster in `ids`."""
    hasil = {k: {"n": 0, "akhir": 0, "awal": None, "jenis": {}, "pihak": {}} for k in ids}
    d = _tanggal_posisi(s)
    mitra = mitra_qs(s).order_by()
    hitung = {"n": Count("pk"), "akhir": Count("pk", filter=_q_punya_akses(s, d))}
    if s.dari:
        hitung["awal"] = Count("pk", filter=_q_punya_akses(s, s.dari))
    for r in mitra.values("klaster_id").annotate(**hitung):
        hasil[r["klaster_id"]].update({k: r[k] for k in hitung})
    aktif = _tautan_aktif(s, d).filter(
        Q(mitra__in=mitra.values("pk")) | Q(kelompok__in=mitra.values("kelompok_id"))
    )
    for r in (
        aktif.order_by()
        .values("klaster_id", "jenis")
        .annotate(n=Count("pk"), nilai=Sum("nilai_per_bulan"), n_nilai=Count("nilai_per_bulan"))
    ):
        hasil[r["klaster_id"]]["jenis"][r["jenis"]] = (r["n"], r["nilai"], r["n_nilai"])
    for r in (
        aktif.order_by()
        .values("klaster_id", "pihak_luar__jenis")
        .annotate(n=Count("pk"), pihak=Count("pihak_luar_id", distinct=True))
    ):
        hasil[r["klaster_id"]]["pihak"][r["pihak_luar__jenis"]] = (r["n"], r["pihak"])
    return hasil


def gabung_pasar(s, parts: list[dict]) -> dict:
    """ "Mitra dengan akses pasar/jejaring" at the report date (and at the start of the
    period when it has one), and the links in force by type and by the party's kind."""
    nol = Decimal(0)
    n = sum(p["n"] for p in parts)
    akhir = sum(p["akhir"] for p in parts)
    awal = sum(p["awal"] or 0 for p in parts) if s.dari else None
    baris = []
    for jenis, label in TautanPasar.Jenis.choices:
        x = [p["jenis"].get(jenis, (0, None, 0)) for p in parts]
        baris.append(
            {
                "jenis": jenis,
                "nama": str(label),
                "tautan": sum(t[0] for t in x),
                "nilai_per_bulan": _bulat(sum((t[1] or nol for t in x), nol)),
                "n_nilai": sum(t[2] for t in x),
            }
        )
    pihak_baris = []
    for jenis, label in PihakLuar.Jenis.choices:
        x = [p["pihak"].get(jenis, (0, 0)) for p in parts]
        pihak_baris.append(
            {
                "jenis": jenis,
                "nama": str(label),
                "tautan": sum(t[0] for t in x),
                "pihak": sum(t[1] for t in x),
            }
        )
    return {
        "tanggal": _tanggal_posisi(s),
        "dari": s.dari,
        "n_mitra": n,
        "mitra_akses": akhir,
        "porsi_akses": _rasio(akhir, n),
        "mitra_akses_awal": awal,
        "porsi_akses_awal": _rasio(awal, n) if awal is not None else None,
        "per_jenis": baris,
        "per_pihak": pihak_baris,
        "tautan": sum(b["tautan"] for b in baris),
        "nilai_per_bulan": _bulat(sum((b["nilai_per_bulan"] for b in baris), nol)),
        "catatan": str(CATATAN_METODE["akses_pasar"]),
    }


def akses_pasar(s) -> dict:
    return bagian_program(s)["akses_pasar"]


# --- surveys -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Jawaban:
    mitra_id: int
    tanggal: datetime.date
    putaran: str
    indeks: dict  # {relasi, kapasitas, jejaring, total: Decimal | None}
    anggota: int
    pendapatan: Decimal
    skor: Decimal


@dataclass
class Rumah:
    """One household (mitra) of the report with its baseline and endline answers."""

    mitra_id: int
    klaster_id: int
    nama: str
    kelompok: str
    kabupaten_kode: str | None
    baseline: Jawaban | None = None
    endline: Jawaban | None = None
    endline_periode: Jawaban | None = None  # latest endline in the period, any baseline


_KOLOM_INDEKS = {
    "relasi": "indeks_relasi",
    "kapasitas": "indeks_kapasitas",
    "jejaring": "indeks_jejaring",
    TOTAL: "indeks_modal_sosial",
}


def rumah_tangga(s) -> list[Rumah]:
    """Every mitra of the report with a baseline or endline answer: ONE query (the answers
    with their mitra), paired in Python."""
    return [h for part in _rumah_per_klaster(s, None).values() for h in part]


def _rumah_per_klaster(s, ids) -> dict[int, list[Rumah]]:
    Jenis = PutaranSurvei.Jenis
    rows = (
        JawabanSurvei.objects.filter(
            mitra__in=mitra_qs(s).values("pk"),
            putaran__klaster__in=_klaster_ids(s),
            putaran__jenis__in=[Jenis.BASELINE, Jenis.ENDLINE],
            tanggal__lte=s.sampai,
        )
        .order_by("mitra__nama", "mitra_id", "tanggal", "pk")
        .values(
            "mitra_id",
            "mitra__klaster_id",
            "mitra__nama",
            "mitra__kelompok__kode",
            "mitra__desa__induk__induk_id",
            "mitra__desa__induk__induk__tingkat",
            "mitra__klaster__kabupaten_id",
            "putaran__jenis",
            "putaran__nama",
            "tanggal",
            "jumlah_anggota_keluarga",
            "pendapatan_rumah_tangga",
            "skor_spiritual",
            *_KOLOM_INDEKS.values(),
        )
    )
    rumah: dict[int, Rumah] = {}
    for r in rows:
        h = rumah.get(r["mitra_id"])
        if h is None:
            kab = r["mitra__desa__induk__induk_id"]
            if r["mitra__desa__induk__induk__tingkat"] != "kabupaten":
                kab = r["mitra__klaster__kabupaten_id"]
            h = rumah[r["mitra_id"]] = Rumah(
                r["mitra_id"], r["mitra__klaster_id"], r["mitra__nama"],
                r["mitra__kelompok__kode"] or "", kab,
            )  # fmt: skip
        j = Jawaban(
            mitra_id=r["mitra_id"],
            tanggal=r["tanggal"],
            putaran=r["putaran__nama"],
            indeks={
                d: _bulat(r[k]) if r[k] is not None else None for d, k in _KOLOM_INDEKS.items()
            },
            anggota=r["jumlah_anggota_keluarga"],
            pendapatan=_bulat(r["pendapatan_rumah_tangga"]),
            skor=_bulat(r["skor_spiritual"]),
        )
        if r["putaran__jenis"] == Jenis.BASELINE:
            if h.baseline is None:  # rows come earliest first
                h.baseline = j
        elif s.dari is None or j.tanggal >= s.dari:
            h.endline_periode = j  # the latest wins
    hasil: dict[int, list[Rumah]] = {k: [] for k in ids or ()}
    for h in rumah.values():
        if h.baseline and h.endline_periode and h.endline_periode.tanggal > h.baseline.tanggal:
            h.endline = h.endline_periode
        hasil.setdefault(h.klaster_id, []).append(h)
    return hasil


# why a household is left out of a section, translated when the parts are merged (a part is
# cached per klaster whatever the language)
ALASAN = {
    "tanpa_endline": _("ada baseline, belum ada endline"),
    "tanpa_baseline": _("ada endline, tidak ada baseline"),
    "tanpa_garis": _("garis kemiskinan tidak tersedia"),
    "tanpa_nisab": _("nisab tidak tersedia untuk tanggal endline"),
}


def _urutan(h) -> tuple:
    # the report's order of households (and of the named lists)
    return (h["nama"], h["mitra_id"]) if isinstance(h, dict) else (h.nama, h.mitra_id)


def _nama(h: Rumah, kode: str) -> dict:
    return {"mitra_id": h.mitra_id, "nama": h.nama, "kelompok": h.kelompok, "kode": kode}


class _Daftar:
    """A named list in the report's order, cut to `batas` rows (None: every row), with the
    count of every row."""

    def __init__(self, batas: int | None):
        self.batas, self.n, self.daftar = batas, 0, []

    def tambah(self, baris: dict) -> None:
        self.n += 1
        if self.batas is None or len(self.daftar) < self.batas:
            self.daftar.append(baris)

    def isi(self) -> dict:
        return {"n": self.n, "daftar": self.daftar}


def _gabung_daftar(bagian: list[dict], batas: int | None) -> dict:
    """Named lists of several parts, each in the report's order: merged in that order and
    cut again (the first `batas` of the whole are among the first `batas` of each part)."""
    urut = heapq.merge(*(p["daftar"] for p in bagian), key=_urutan)
    daftar = list(urut if batas is None else islice(urut, batas))
    return {"n": sum(p["n"] for p in bagian), "daftar": daftar}


def ringkas_rumah(
    rumah: list[Rumah], pencari: PencariGaris, nisab: PencariNisab, batas: int | None = None
) -> dict:
    """Households reduced to what the survey sections need, in parts that add up across
    klaster: counts, and value counts of the indices (for means and medians); the named
    lists (excluded, graduated) in the report's order, cut to `batas` (None: every one, with
    each household's own figures for the CSV)."""
    rumah = sorted(rumah, key=_urutan)
    lengkap = batas is None
    kecuali_pasangan, kecuali_garis, tanpa_nisab, lulus = (_Daftar(batas) for _i in range(4))
    nilai = {d: {"awal": Counter(), "akhir": Counter(), "naik": 0} for d in (*DIMENSI, TOTAL)}
    awal, akhir, pindah, garis_dipakai, nisab_dipakai = (Counter() for _i in range(5))
    per_rumah, per_mitra = [], {}
    n_pasangan = n_lulus = 0
    for h in rumah:
        if lengkap:
            per_mitra[h.mitra_id] = {
                "modal_sosial_baseline": h.baseline.indeks[TOTAL] if h.baseline else None,
                "modal_sosial_endline": h.endline.indeks[TOTAL] if h.endline else None,
            }
        if h.baseline and not h.endline:
            kecuali_pasangan.tambah(_nama(h, "tanpa_endline"))
        elif h.endline_periode and not h.baseline:
            kecuali_pasangan.tambah(_nama(h, "tanpa_baseline"))
        j = h.endline_periode
        if j is not None:  # graduation: every endline answer of the period
            berlaku = nisab.cari(j.tanggal)
            if berlaku is None:
                tanpa_nisab.tambah(_nama(h, "tanpa_nisab"))
            else:
                n_lulus += 1
                nisab_dipakai[
                    (
                        berlaku.berlaku_sejak,
                        berlaku.nilai_bulanan,
                        berlaku.perkiraan,
                        berlaku.sumber,
                    )
                ] += 1
                if lulus_nisab(pendapatan=j.pendapatan, nisab=berlaku.nilai_bulanan):
                    lulus.tambah(
                        {
                            "mitra_id": h.mitra_id,
                            "nama": h.nama,
                            "kelompok": h.kelompok,
                            "pendapatan": j.pendapatan,
                            "nisab": _bulat(berlaku.nilai_bulanan),
                        }
                    )
        if not (h.baseline and h.endline):
            continue
        n_pasangan += 1
        for d, v in nilai.items():
            a, b = h.baseline.indeks[d], h.endline.indeks[d]
            if a is not None and b is not None:
                v["awal"][a] += 1
                v["akhir"][b] += 1
                v["naik"] += b > a
        g_awal = pencari.cari(h.kabupaten_kode, h.baseline.tanggal)
        g_akhir = pencari.cari(h.kabupaten_kode, h.endline.tanggal)
        if TIDAK_TERSEDIA in (g_awal.cara, g_akhir.cara):
            kecuali_garis.tambah(_nama(h, "tanpa_garis"))
            continue
        for g in (g_awal, g_akhir):
            garis_dipakai[(g.wilayah_nama, g.tahun, g.periode, g.nilai, g.cara, g.perkiraan)] += 1
        k_awal, k_akhir = _kuadran(h.baseline, g_awal), _kuadran(h.endline, g_akhir)
        awal[k_awal] += 1
        akhir[k_akhir] += 1
        pindah[(k_awal, k_akhir)] += 1
        if lengkap:
            per_rumah.append(
                {
                    "mitra_id": h.mitra_id,
                    "nama": h.nama,
                    "kelompok": h.kelompok,
                    "baseline": k_awal,
                    "endline": k_akhir,
                    "mv_baseline": _bulat(g_awal.nilai * h.baseline.anggota),
                    "mv_endline": _bulat(g_akhir.nilai * h.endline.anggota),
                }
            )
    return {
        "n_pasangan": n_pasangan,
        "nilai": nilai,
        "kecuali_pasangan": kecuali_pasangan.isi(),
        "kecuali_garis": kecuali_garis.isi(),
        "awal": awal,
        "akhir": akhir,
        "pindah": pindah,
        "garis_dipakai": garis_dipakai,
        "lulus": lulus.isi(),
        "n_lulus": n_lulus,
        "tanpa_nisab": tanpa_nisab.isi(),
        "nisab_dipakai": nisab_dipakai,
        "per_rumah": per_rumah,
        "per_mitra": per_mitra,
    }


def _jumlah_hitungan(hitungan) -> Counter:
    """The Counters added up, as sum(..., Counter()) gives them (positive counts, keys in
    order of first appearance) without a new Counter per addition (a thousand klaster)."""
    total = Counter()
    for h in hitungan:
        total.update(h)
    return +total


def _gabung_ringkas(parts: list[dict], batas: int | None) -> dict:
    """ringkas_rumah of several klaster as one (the same as over all their households)."""
    hasil = {
        "n_pasangan": sum(p["n_pasangan"] for p in parts),
        "n_lulus": sum(p["n_lulus"] for p in parts),
        "nilai": {
            d: {
                "awal": _jumlah_hitungan(p["nilai"][d]["awal"] for p in parts),
                "akhir": _jumlah_hitungan(p["nilai"][d]["akhir"] for p in parts),
                "naik": sum(p["nilai"][d]["naik"] for p in parts),
            }
            for d in (*DIMENSI, TOTAL)
        },
        "per_rumah": sorted((r for p in parts for r in p["per_rumah"]), key=_urutan),
        "per_mitra": {k: v for p in parts for k, v in p["per_mitra"].items()},
    }
    for nama in ("awal", "akhir", "pindah", "garis_dipakai", "nisab_dipakai"):
        hasil[nama] = _jumlah_hitungan(p[nama] for p in parts)
    for nama in ("kecuali_pasangan", "kecuali_garis", "lulus", "tanpa_nisab"):
        hasil[nama] = _gabung_daftar([p[nama] for p in parts], batas)
    return hasil


def _dengan_alasan(daftar: list[dict]) -> list[dict]:
    return [
        {"mitra_id": b["mitra_id"], "nama": b["nama"], "kelompok": b["kelompok"],
         "alasan": str(ALASAN[b["kode"]])}
        for b in daftar
    ]  # fmt: skip


def _median_hitungan(hitungan: Counter, n: int) -> Decimal | None:
    """statistics.median of the values counted in `hitungan` (n values in all)."""
    if not n:
        return None
    tengah = [(n - 1) // 2, n // 2]  # the middle position(s), 0-based
    hasil, dilewati = [], 0
    for nilai, jumlah in sorted(hitungan.items()):
        while tengah and tengah[0] < dilewati + jumlah:
            hasil.append(nilai)
            tengah.pop(0)
        dilewati += jumlah
    return _bulat((hasil[0] + hasil[1]) / 2 if n % 2 == 0 else hasil[0])


def _rerata_hitungan(hitungan: Counter, n: int) -> Decimal | None:
    return _bulat(sum((v * c for v, c in hitungan.items()), Decimal(0)) / n) if n else None


def _modal_sosial(r: dict) -> dict:
    baris = []
    for d in (*DIMENSI, TOTAL):
        v = r["nilai"][d]
        n = sum(v["awal"].values())
        rerata_awal, rerata_akhir = _rerata_hitungan(v["awal"], n), _rerata_hitungan(v["akhir"], n)
        baris.append(
            {
                "dimensi": d,
                "nama": str(NAMA_DIMENSI[d]),
                "n": n,
                "baseline_rerata": rerata_awal,
                "baseline_median": _median_hitungan(v["awal"], n),
                "endline_rerata": rerata_akhir,
                "endline_median": _median_hitungan(v["akhir"], n),
                "perubahan_rerata": (rerata_akhir - rerata_awal if n else None),
                "naik": v["naik"],
                "porsi_naik": _rasio(v["naik"], n),
            }
        )
    kecuali = r["kecuali_pasangan"]
    return {
        "baris": baris,
        "n": r["n_pasangan"],
        "dikecualikan": _dengan_alasan(kecuali["daftar"]),
        "n_dikecualikan": kecuali["n"],
        "catatan": str(CATATAN_METODE["modal_sosial"]),
    }


INDEKS_CIBEST = (
    ("kesejahteraan", "I", _("Indeks kesejahteraan (W)")),
    ("kemiskinan_material", "II", _("Indeks kemiskinan material (Pm)")),
    ("kemiskinan_spiritual", "III", _("Indeks kemiskinan spiritual (Ps)")),
    ("kemiskinan_absolut", "IV", _("Indeks kemiskinan absolut (Pa)")),
)


def _kuadran(j: Jawaban, garis) -> str:
    return kuadran_cibest(
        pendapatan=j.pendapatan, garis_material=garis.nilai * j.anggota, skor=j.skor
    )


def _cibest(r: dict, batas: int | None) -> dict:
    awal, akhir, pindah = r["awal"], r["akhir"], r["pindah"]
    n = sum(awal.values())
    sebaran = [
        {
            "kuadran": k,
            "nama": str(NAMA_KUADRAN[k]),
            "baseline": awal[k],
            "baseline_porsi": _rasio(awal[k], n),
            "endline": akhir[k],
            "endline_porsi": _rasio(akhir[k], n),
        }
        for k in KUADRAN
    ]
    transisi = [
        {
            "dari": k,
            "nama": str(NAMA_KUADRAN[k]),
            "ke": [pindah[(k, k2)] for k2 in KUADRAN],
            "jumlah": awal[k],
        }
        for k in KUADRAN
    ]
    indeks = []
    for kode, kuadran, nama in INDEKS_CIBEST:
        a, b = _rasio(awal[kuadran], n), _rasio(akhir[kuadran], n)
        indeks.append(
            {
                "kode": kode,
                "kuadran": kuadran,
                "nama": str(nama),
                "baseline": a,
                "endline": b,
                "perubahan": b - a if n else None,
                "perubahan_relatif": _bulat((b - a) / a, RASIO) if n and a else None,
            }
        )
    # the pairs left out first, then those without a poverty line, as the page lists them
    kecuali = r["kecuali_pasangan"]["daftar"] + r["kecuali_garis"]["daftar"]
    return {
        "n": n,
        "sebaran": sebaran,
        "transisi": transisi,
        "transisi_kolom": [akhir[k] for k in KUADRAN],
        "indeks": indeks,
        "per_rumah": r["per_rumah"],
        "dikecualikan": _dengan_alasan(kecuali if batas is None else kecuali[:batas]),
        "n_dikecualikan": r["kecuali_pasangan"]["n"] + r["kecuali_garis"]["n"],
        "garis_dipakai": [
            {
                "wilayah": w,
                "tahun": t,
                "periode": p,
                "nilai": _bulat(v),
                "keterangan": str(KETERANGAN_CARA[cara]),
                "perkiraan": perk,
                "n": jumlah,
            }
            for (w, t, p, v, cara, perk), jumlah in sorted(
                r["garis_dipakai"].items(), key=lambda x: (x[0][1], x[0][2], x[0][0], x[0][3])
            )
        ],
        "garis_spiritual": GARIS_SPIRITUAL,
        "aturan_batas": str(ATURAN_BATAS),
        "lulus": {
            "n": r["n_lulus"],
            "jumlah": r["lulus"]["n"],
            "porsi": _rasio(r["lulus"]["n"], r["n_lulus"]),
            "daftar": r["lulus"]["daftar"],
            "dikecualikan": _dengan_alasan(r["tanpa_nisab"]["daftar"]),
            "n_dikecualikan": r["tanpa_nisab"]["n"],
            "nisab_dipakai": [
                {
                    "berlaku_sejak": d,
                    "nilai": _bulat(v),
                    "perkiraan": p,
                    "sumber": sumber,
                    "n": jumlah,
                }
                for (d, v, p, sumber), jumlah in sorted(r["nisab_dipakai"].items())
            ],  # fmt: skip
        },
        "catatan": str(CATATAN_METODE["cibest"]),
    }


def modal_sosial(s) -> dict:
    """Social capital by dimension, baseline → endline over the pairs: mean, median, change
    of the mean, share whose index rose, n; every excluded mitra named."""
    return bagian_program(s)["modal_sosial"]


def cibest(s) -> dict:
    """CIBEST quadrants at baseline and endline, the transition matrix, the four indices and
    their change, and graduated mitra; every household named."""
    return bagian_program(s)["cibest"]


def program_per_klaster(
    s,
    klaster_ids,
    pencari: PencariGaris | None = None,
    nisab: PencariNisab | None = None,
    batas: int | None = None,
) -> dict[int, dict]:
    """{klaster id: its part of the programme's sections} for the klaster `klaster_ids`
    (every one at once, set-based: eight queries, plus one each for the poverty lines and
    the nisab when not given); gabung_program merges the parts. The parts hold numbers and
    the first `batas` households of each named list (every one when None), no labels
    (laporan/bagian.py caches them per klaster under its version and the reference
    tables')."""
    ids = sorted(klaster_ids)
    if not ids:
        return {}
    pencari = pencari if pencari is not None else PencariGaris()
    nisab = nisab if nisab is not None else PencariNisab()
    s = replace(s, klaster=Klaster.objects.filter(pk__in=ids))
    kegiatan = _kegiatan_per_klaster(s, ids)
    pasar = _pasar_per_klaster(s, ids)
    rumah = _rumah_per_klaster(s, ids)
    tingkat = penilaian.sebaran_per_klaster(s, ids)
    return {
        k: {
            "kegiatan": kegiatan[k],
            "pasar": pasar[k],
            "rumah": ringkas_rumah(rumah[k], pencari, nisab, batas),
            "tingkat": tingkat[k],
        }
        for k in ids
    }


def _jumlah_tupel(daftar) -> tuple:
    """Tuples added up place by place (None as nothing: a sum of no rows)."""
    return tuple(sum((x for x in kolom if x is not None), 0) for kolom in zip(*daftar, strict=True))


def _jumlah_per_kunci(dicts) -> dict:
    """{key: tuple} of several parts added up per key (in the order keys first appear)."""
    hasil: dict = {}
    for d in dicts:
        for k, t in d.items():
            hasil.setdefault(k, []).append(t)
    return {k: _jumlah_tupel(t) for k, t in hasil.items()}


def jumlahkan_program(parts: list[dict], batas: int | None = None) -> dict:
    """One part of program_per_klaster standing for several (gabung_program gives the same
    from it as from them)."""
    kegiatan = [p["kegiatan"] for p in parts]
    pasar = [p["pasar"] for p in parts]
    tingkat: dict = {}
    for p in parts:
        for k, n in p["tingkat"].items():
            tingkat[k] = tingkat.get(k, 0) + n
    awal = [p["awal"] for p in pasar if p["awal"] is not None]
    return {
        "kegiatan": {
            "jenis": _jumlah_per_kunci(k["jenis"] for k in kegiatan),
            "hadir": _jumlah_per_kunci(k["hadir"] for k in kegiatan),
            "mitra": sum(k["mitra"] for k in kegiatan),
            "pihak": {
                j: sum(k["pihak"].get(j, 0) for k in kegiatan)
                for j in dict.fromkeys(j for k in kegiatan for j in k["pihak"])
            },
        },
        "pasar": {
            "n": sum(p["n"] for p in pasar),
            "akhir": sum(p["akhir"] for p in pasar),
            "awal": sum(awal) if awal else None,
            "jenis": _jumlah_per_kunci(p["jenis"] for p in pasar),
            "pihak": _jumlah_per_kunci(p["pihak"] for p in pasar),
        },
        "rumah": _gabung_ringkas([p["rumah"] for p in parts], batas),
        "tingkat": tingkat,
    }


def gabung_program(s, parts: list[dict], batas: int | None = None) -> dict:
    """The four sections over the klaster's parts (no query but gabung_pasar's), with the
    named lists cut to `batas` rows (their counts are whole)."""
    pasar = gabung_pasar(s, [p["pasar"] for p in parts])
    r = _gabung_ringkas([p["rumah"] for p in parts], batas)
    hasil = {
        "kegiatan_program": gabung_kegiatan([p["kegiatan"] for p in parts], pasar["n_mitra"]),
        "akses_pasar": pasar,
        "modal_sosial": _modal_sosial(r),
        "cibest": _cibest(r, batas),
        "per_mitra": r["per_mitra"],
        "tingkat_kelompok": penilaian.gabung_sebaran([p["tingkat"] for p in parts]),
    }
    hasil["kartu"] = kartu_program(hasil)
    return hasil


def bagian_program(s) -> dict:
    """Every section of the programme's half of the impact report with every household
    named, uncached (the report page caches them through laporan/bagian.py; its exports
    call this): thirteen queries."""
    ids = list(s.klaster.order_by().values_list("pk", flat=True))
    return gabung_program(s, list(program_per_klaster(s, ids).values()))


def kartu_program(bagian: dict) -> dict:
    """The dashboard's headline of each section, from bagian_program's result."""
    kegiatan, pasar = bagian["kegiatan_program"], bagian["akses_pasar"]
    ms, cb = bagian["modal_sosial"], bagian["cibest"]
    total = next(b for b in ms["baris"] if b["dimensi"] == TOTAL)
    w = next(i for i in cb["indeks"] if i["kode"] == "kesejahteraan")
    return {
        "kegiatan": kegiatan["kegiatan"],
        "mitra_terjangkau": kegiatan["mitra_terjangkau"],
        "jam_orang": kegiatan["jam_orang"],
        "mitra_akses": pasar["mitra_akses"],
        "porsi_akses": pasar["porsi_akses"],
        "modal_sosial_awal": total["baseline_rerata"],
        "modal_sosial_akhir": total["endline_rerata"],
        "modal_sosial_n": total["n"],
        "kesejahteraan_awal": w["baseline"],
        "kesejahteraan_akhir": w["endline"],
        "cibest_n": cb["n"],
        "lulus": cb["lulus"]["jumlah"],
        "lulus_n": cb["lulus"]["n"],
    }


CATATAN_METODE = {
    "kegiatan": _(
        "Kegiatan bertanggal dalam periode. Dengan saringan mitra (sektor, kelompok, desa, "
        "jenis kelamin) hanya kegiatan yang dihadiri mitra laporan yang dihitung, dan hanya "
        "mitra itu yang dihitung sebagai peserta. Jam-orang = jumlah, per kegiatan, lama "
        "kegiatan × mitra laporan yang hadir. Pihak luar dihitung sekali per pihak."
    ),
    "akses_pasar": _(
        "Mitra dengan akses pasar/jejaring: punya tautan pasar sendiri atau lewat kelompoknya "
        "(kontrak pembeli, pemasok, rekening/kredit bank, program pemerintah) yang sudah "
        "dimulai dan belum berakhir pada tanggal laporan. Nilai per bulan dijumlahkan dari "
        "tautan yang nilainya diketahui."
    ),
    "modal_sosial": _(
        "Indeks 0–100 per dimensi = (rata-rata butir Likert 1–5 − 1) ÷ 4 × 100. Pasangan: "
        "jawaban baseline paling awal (sampai akhir periode) dan jawaban endline terakhir "
        "dalam periode, sesudah baseline. Naik = indeks endline lebih tinggi dari baseline. "
        "Mitra tanpa pasangan lengkap tidak dihitung dan disebut namanya."
    ),
    "cibest": _(
        "Model CIBEST (Beik & Arsyianti 2014). MV = garis kemiskinan BPS per kapita per "
        "bulan yang berlaku pada tanggal wawancara × jumlah anggota rumah tangga pada "
        "wawancara itu; SV = 3 (rata-rata lima butir spiritual). Kuadran I sejahtera, "
        "II miskin material, III miskin spiritual, IV miskin absolut; indeks = porsi rumah "
        "tangga di tiap kuadran. Lulus (mustahik → muzakki): pendapatan rumah tangga saat "
        "endline ≥ nisab zakat penghasilan yang berlaku pada tanggalnya."
    ),
}


# --- the programme's own pages -------------------------------------------------------------


def kegiatan_list(user):
    return (
        KegiatanProgram.objects.visible_to(user)
        .select_related("klaster", "kelompok", "desa", "fasilitator")
        .order_by("-tanggal", "-pk")
    )


def _jumlah(qs):
    """A correlated count per row (not a join: two joined counts would multiply)."""
    return Coalesce(Subquery(qs.values("n")[:1], output_field=IntegerField()), Value(0))


def pihak_luar_list(user):
    Pihak = KegiatanProgram.pihak_luar.through
    kegiatan = (
        Pihak.objects.filter(pihakluar_id=OuterRef("pk"))
        .order_by()
        .values("pihakluar_id")
        .annotate(n=Count("pk"))
    )
    tautan = (
        TautanPasar.objects.filter(pihak_luar_id=OuterRef("pk"))
        .order_by()
        .values("pihak_luar_id")
        .annotate(n=Count("pk"))
    )
    return (
        PihakLuar.objects.visible_to(user)
        .select_related("klaster", "desa", "kabupaten")
        .annotate(n_kegiatan=_jumlah(kegiatan), n_tautan=_jumlah(tautan))
        .order_by("nama", "pk")
    )


def tautan_list(user):
    return (
        TautanPasar.objects.visible_to(user)
        .select_related("klaster", "mitra", "kelompok", "pihak_luar")
        .order_by("-tanggal_mulai", "-pk")
    )


def putaran_list(user):
    jawaban = (
        JawabanSurvei.objects.filter(putaran_id=OuterRef("pk"))
        .order_by()
        .values("putaran_id")
        .annotate(n=Count("pk"))
    )
    return (
        PutaranSurvei.objects.visible_to(user)
        .select_related("klaster")
        .annotate(n_jawaban=_jumlah(jawaban))
        .order_by("-tanggal_mulai", "-pk")
    )

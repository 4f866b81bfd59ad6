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
import statistics
from collections import Counter
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from klaster.garis_kemiskinan import TIDAK_TERSEDIA, PencariGaris
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


def _rerata(nilai: list[Decimal]) -> Decimal | None:
    return _bulat(sum(nilai, Decimal(0)) / len(nilai)) if nilai else None


def _median(nilai: list[Decimal]) -> Decimal | None:
    return _bulat(statistics.median(nilai)) if nilai else None


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


def _dikecualikan(h: Rumah, alasan) -> dict:
    return {"mitra_id": h.mitra_id, "nama": h.nama, "kelompok": h.kelompok, "alasan": str(alasan)}


def _pengecualian_pasangan(rumah: list[Rumah]) -> list[dict]:
    hasil = []
    for h in rumah:
        if h.baseline and not h.endline:
            hasil.append(_dikecualikan(h, _("ada baseline, belum ada endline")))
        elif h.endline_periode and not h.baseline:
            hasil.append(_dikecualikan(h, _("ada endline, tidak ada baseline")))
    return hasil


def modal_sosial(s, rumah: list[Rumah] | None = None) -> dict:
    """Social capital by dimension, baseline → endline over the pairs: mean, median, change
    of the mean, share whose index rose, n. One query (none when `rumah` is given)."""
    if rumah is None:
        rumah = rumah_tangga(s)
    pasangan = [h for h in rumah if h.baseline and h.endline]
    baris = []
    for d in (*DIMENSI, TOTAL):
        data = [
            (h.baseline.indeks[d], h.endline.indeks[d])
            for h in pasangan
            if h.baseline.indeks[d] is not None and h.endline.indeks[d] is not None
        ]
        awal = [a for a, _b in data]
        akhir = [b for _a, b in data]
        naik = sum(1 for a, b in data if b > a)
        rerata_awal, rerata_akhir = _rerata(awal), _rerata(akhir)
        baris.append(
            {
                "dimensi": d,
                "nama": str(NAMA_DIMENSI[d]),
                "n": len(data),
                "baseline_rerata": rerata_awal,
                "baseline_median": _median(awal),
                "endline_rerata": rerata_akhir,
                "endline_median": _median(akhir),
                "perubahan_rerata": (rerata_akhir - rerata_awal if data else None),
                "naik": naik,
                "porsi_naik": _rasio(naik, len(data)),
            }
        )
    return {
        "baris": baris,
        "n": len(pasangan),
        "dikecualikan": _pengecualian_pasangan(rumah),
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


def cibest(
    s,
    rumah: list[Rumah] | None = None,
    pencari: PencariGaris | None = None,
    nisab: PencariNisab | None = None,
) -> dict:
    """CIBEST quadrants at baseline and endline, the transition matrix, the four indices and
    their change, and graduated mitra. One query for the answers (none when `rumah` is
    given), one for the poverty lines and one for the nisab (none when given)."""
    if rumah is None:
        rumah = rumah_tangga(s)
    pencari = pencari if pencari is not None else PencariGaris()
    nisab = nisab if nisab is not None else PencariNisab()
    dikecualikan = _pengecualian_pasangan(rumah)
    per_rumah = []
    garis_dipakai = Counter()
    for h in rumah:
        if not (h.baseline and h.endline):
            continue
        g_awal = pencari.cari(h.kabupaten_kode, h.baseline.tanggal)
        g_akhir = pencari.cari(h.kabupaten_kode, h.endline.tanggal)
        if TIDAK_TERSEDIA in (g_awal.cara, g_akhir.cara):
            dikecualikan.append(_dikecualikan(h, _("garis kemiskinan tidak tersedia")))
            continue
        for g in (g_awal, g_akhir):
            garis_dipakai[
                (g.wilayah_nama, g.tahun, g.periode, g.nilai, g.keterangan, g.perkiraan)
            ] += 1
        per_rumah.append(
            {
                "mitra_id": h.mitra_id,
                "nama": h.nama,
                "kelompok": h.kelompok,
                "baseline": _kuadran(h.baseline, g_awal),
                "endline": _kuadran(h.endline, g_akhir),
                "mv_baseline": _bulat(g_awal.nilai * h.baseline.anggota),
                "mv_endline": _bulat(g_akhir.nilai * h.endline.anggota),
            }
        )
    n = len(per_rumah)
    awal = Counter(r["baseline"] for r in per_rumah)
    akhir = Counter(r["endline"] for r in per_rumah)
    pindah = Counter((r["baseline"], r["endline"]) for r in per_rumah)
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
    return {
        "n": n,
        "sebaran": sebaran,
        "transisi": transisi,
        "transisi_kolom": [akhir[k] for k in KUADRAN],
        "indeks": indeks,
        "per_rumah": per_rumah,
        "dikecualikan": dikecualikan,
        "garis_dipakai": [
            {
                "wilayah": w,
                "tahun": t,
                "periode": p,
                "nilai": _bulat(v),
                "keterangan": ket,
                "perkiraan": perk,
                "n": jumlah,
            }
            for (w, t, p, v, ket, perk), jumlah in sorted(
                garis_dipakai.items(), key=lambda x: (x[0][1], x[0][2])
            )
        ],
        "garis_spiritual": GARIS_SPIRITUAL,
        "aturan_batas": str(ATURAN_BATAS),
        "lulus": kelulusan(rumah, nisab),
        "catatan": str(CATATAN_METODE["cibest"]),
    }


def kelulusan(rumah: list[Rumah], nisab: PencariNisab) -> dict:
    """Mustahik → muzakki: mitra whose household income at their endline answer in the
    period is at or above the nisab in force at its date."""
    lulus, tanpa_nisab, n = [], [], 0
    nisab_dipakai = Counter()
    for h in rumah:
        j = h.endline_periode
        if j is None:
            continue
        berlaku = nisab.cari(j.tanggal)
        if berlaku is None:
            tanpa_nisab.append(_dikecualikan(h, _("nisab tidak tersedia untuk tanggal endline")))
            continue
        n += 1
        nisab_dipakai[
            (berlaku.berlaku_sejak, berlaku.nilai_bulanan, berlaku.perkiraan, berlaku.sumber)
        ] += 1
        if lulus_nisab(pendapatan=j.pendapatan, nisab=berlaku.nilai_bulanan):
            lulus.append(
                {
                    "mitra_id": h.mitra_id,
                    "nama": h.nama,
                    "kelompok": h.kelompok,
                    "pendapatan": j.pendapatan,
                    "nisab": _bulat(berlaku.nilai_bulanan),
                }
            )
    return {
        "n": n,
        "jumlah": len(lulus),
        "porsi": _rasio(len(lulus), n),
        "daftar": lulus,
        "dikecualikan": tanpa_nisab,
        "nisab_dipakai": [
            {"berlaku_sejak": d, "nilai": _bulat(v), "perkiraan": p, "sumber": sumber, "n": jumlah}
            for (d, v, p, sumber), jumlah in sorted(nisab_dipakai.items())
        ],
    }


def program_per_klaster(s, klaster_ids) -> dict[int, dict]:
    """{klaster id: its part of the programme's sections} for the klaster `klaster_ids`
    (every one at once, set-based: eight queries); gabung_program merges the parts. The
    parts hold numbers and households, no labels (laporan/bagian.py caches them per
    klaster under its version)."""
    ids = sorted(klaster_ids)
    if not ids:
        return {}
    s = replace(s, klaster=Klaster.objects.filter(pk__in=ids))
    kegiatan = _kegiatan_per_klaster(s, ids)
    pasar = _pasar_per_klaster(s, ids)
    rumah = _rumah_per_klaster(s, ids)
    tingkat = penilaian.sebaran_per_klaster(s, ids)
    return {
        k: {"kegiatan": kegiatan[k], "pasar": pasar[k], "rumah": rumah[k], "tingkat": tingkat[k]}
        for k in ids
    }


def gabung_program(
    s, parts: list[dict], pencari: PencariGaris | None = None, nisab: PencariNisab | None = None
) -> dict:
    """The four sections over the klaster's parts: one query for the poverty lines and one
    for the nisab when they are not given."""
    rumah = sorted((h for p in parts for h in p["rumah"]), key=lambda h: (h.nama, h.mitra_id))
    pasar = gabung_pasar(s, [p["pasar"] for p in parts])
    hasil = {
        "kegiatan_program": gabung_kegiatan([p["kegiatan"] for p in parts], pasar["n_mitra"]),
        "akses_pasar": pasar,
        "modal_sosial": modal_sosial(s, rumah),
        "cibest": cibest(s, rumah, pencari, nisab),
        "per_mitra": per_mitra(rumah),
        "tingkat_kelompok": penilaian.gabung_sebaran([p["tingkat"] for p in parts]),
    }
    hasil["kartu"] = kartu_program(hasil)
    return hasil


def per_mitra(rumah: list[Rumah]) -> dict[int, dict]:
    """Each household's social-capital index at baseline and endline (the CSV's columns;
    the quadrants come from cibest's per_rumah)."""
    return {
        h.mitra_id: {
            "modal_sosial_baseline": h.baseline.indeks[TOTAL] if h.baseline else None,
            "modal_sosial_endline": h.endline.indeks[TOTAL] if h.endline else None,
        }
        for h in rumah
    }


def bagian_program(s) -> dict:
    """Every section of the programme's half of the impact report, uncached (the report
    caches them through laporan/bagian.py): thirteen queries."""
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

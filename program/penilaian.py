"""The maturity rubric of a kelompok (penilaian kelompok) and its reading.

Nine indicators, each scored 1–3, in four areas:

- organisation: regular meetings (computed), officers, bookkeeping (judged);
- business: joint business, members' businesses running (judged);
- finance: savings growth (computed), repayment record (judged), PAR30 (computed);
- networks: links with outside parties (computed).

The level follows the total (9–27) — the rule the method note states:
mandiri when the total is at least 23 and no indicator scores 1; berkembang when the total is
at least 16; tumbuh otherwise.
"""

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy as _

from bantuan.models import Bantuan
from bantuan.selectors import portofolio_per_kelompok
from kelompok.models import Kelompok
from kunjungan.models import Kunjungan
from program.models import PenilaianKelompok, TautanPasar, TingkatKelompok
from tabungan.selectors import saldo_per_kelompok

# the assessment looks back this many days for meetings, attendance and savings growth
JENDELA_HARI = 182

BATAS_MANDIRI = 23
BATAS_BERKEMBANG = 16


def tingkat_dari_skor(skor: Iterable[int]) -> tuple[int, str]:
    """(total, level) of the nine scores, by the rule above."""
    skor = list(skor)
    total = sum(skor)
    if total >= BATAS_MANDIRI and min(skor) > 1:
        return total, TingkatKelompok.MANDIRI.value
    if total >= BATAS_BERKEMBANG:
        return total, TingkatKelompok.BERKEMBANG.value
    return total, TingkatKelompok.TUMBUH.value


def skor_pertemuan(jumlah_pertemuan: int, tingkat_kehadiran: Decimal | None) -> int:
    """3: at least 5 group meetings in the six months and attendance of 75% or more;
    2: at least 3 meetings and attendance of 50% or more; 1 otherwise."""
    hadir = tingkat_kehadiran if tingkat_kehadiran is not None else Decimal(0)
    if jumlah_pertemuan >= 5 and hadir >= 75:
        return 3
    if jumlah_pertemuan >= 3 and hadir >= 50:
        return 2
    return 1


def skor_tabungan(saldo: Decimal, saldo_awal: Decimal) -> int:
    """3: the group's savings balance grew by 10% or more in six months (or from nothing to
    something); 2: it grew, or held a positive balance; 1: no savings or a falling balance."""
    if saldo <= 0 or saldo < saldo_awal:
        return 1
    if saldo_awal <= 0 or saldo >= saldo_awal * Decimal("1.10"):
        return 3
    return 2


def skor_par30(par30: Decimal | None) -> int:
    """3: PAR30 below 5% or no outstanding loan; 2: below 10%; 1: 10% or more."""
    if par30 is None or par30 < 5:
        return 3
    if par30 < 10:
        return 2
    return 1


def skor_jejaring(jumlah_tautan: int) -> int:
    """3: two or more running links with outside parties (the group's or its members');
    2: one; 1: none."""
    if jumlah_tautan >= 2:
        return 3
    if jumlah_tautan == 1:
        return 2
    return 1


def tingkat_per_kelompok(kelompok_ids, per_tanggal: datetime.date) -> dict[int, str]:
    """{kelompok id: level of its latest assessment on or before the date}; a kelompok
    without one is absent. One query."""
    ids = list(kelompok_ids)
    if not ids:
        return {}
    hasil: dict[int, str] = {}
    baris = (
        PenilaianKelompok.objects.filter(kelompok_id__in=ids, tanggal__lte=per_tanggal)
        .order_by("kelompok_id", "-tanggal", "-pk")
        .values_list("kelompok_id", "tingkat")
    )
    for kelompok_id, tingkat in baris:
        hasil.setdefault(kelompok_id, tingkat)
    return hasil


# --- the indicators taken from the records ----------------------------------------------

# what the facilitator judges, with what each score means (the form shows these)
DINILAI = {
    "skor_pengurus": (
        _("Pengurus"),
        (
            _("1 — belum ada pengurus yang berjalan"),
            _("2 — ketua ada, pengurus lain belum aktif"),
            _("3 — ketua, sekretaris dan bendahara aktif"),
        ),
    ),
    "skor_pembukuan": (
        _("Pembukuan"),
        (
            _("1 — belum ada catatan"),
            _("2 — ada catatan, belum rutin"),
            _("3 — buku kas dan tabungan rutin dan rapi"),
        ),
    ),
    "skor_usaha_bersama": (
        _("Usaha bersama"),
        (
            _("1 — belum ada"),
            _("2 — direncanakan atau baru mulai"),
            _("3 — berjalan dan menghasilkan"),
        ),
    ),
    "skor_usaha_anggota": (
        _("Usaha anggota berjalan"),
        (
            _("1 — kurang dari separuh anggota"),
            _("2 — separuh sampai tiga perempat"),
            _("3 — lebih dari tiga perempat anggota"),
        ),
    ),
    "skor_angsuran": (
        _("Riwayat angsuran"),
        (
            _("1 — sering terlambat"),
            _("2 — kadang terlambat"),
            _("3 — selalu tepat waktu, atau tidak punya pinjaman"),
        ),
    ),
}


def indikator(kelompok, tanggal: datetime.date) -> dict:
    """The indicators computed from the records for one kelompok on a date, with their
    scores (indikator_banyak). Five queries."""
    return indikator_banyak([kelompok.pk], tanggal)[kelompok.pk]


def indikator_banyak(kelompok_ids, tanggal: datetime.date) -> dict[int, dict]:
    """{kelompok id: its indicators on the date, with their scores}: group meetings and
    members' attendance in the JENDELA_HARI days up to the date (kunjungan), the group's
    savings balance then and JENDELA_HARI days before (tabungan), PAR30 of the loans to the
    group and its members (bantuan), and running links with outside parties, the group's
    or its members' (program). Five queries whatever the number of kelompok."""
    ids = sorted(set(kelompok_ids))
    awal = tanggal - datetime.timedelta(days=JENDELA_HARI)
    rapat = {
        r["kelompok_id"]: r
        for r in Kunjungan.objects.filter(
            kelompok_id__in=ids,
            jenis_kegiatan=Kunjungan.JenisKegiatan.PERTEMUAN_KELOMPOK,
            tanggal__gt=awal,
            tanggal__lte=tanggal,
        )
        .order_by()
        .values("kelompok_id")
        .annotate(n=Count("pk"), hadir=Sum("jumlah_hadir_anggota"), anggota=Sum("jumlah_anggota"))
    }
    saldo = saldo_per_kelompok(ids, tanggal)
    saldo_awal = saldo_per_kelompok(ids, awal)
    posisi = {
        b["kelompok_efektif"]: b
        for b in portofolio_per_kelompok(
            Bantuan.objects.filter(Q(kelompok_id__in=ids) | Q(mitra__kelompok_id__in=ids)),
            per_tanggal=tanggal,
        )
    }
    tautan: dict[int, int] = {}
    for g, m_g in (
        TautanPasar.objects.filter(Q(kelompok_id__in=ids) | Q(mitra__kelompok_id__in=ids))
        .filter(tanggal_mulai__lte=tanggal)
        .filter(Q(tanggal_selesai__isnull=True) | Q(tanggal_selesai__gte=tanggal))
        .values_list("kelompok_id", "mitra__kelompok_id")
    ):
        k = g or m_g
        tautan[k] = tautan.get(k, 0) + 1
    hasil = {}
    for k in ids:
        r = rapat.get(k, {"n": 0, "hadir": 0, "anggota": 0})
        kehadiran = (
            (Decimal(r["hadir"] or 0) * 100 / r["anggota"]).quantize(Decimal("0.1"))
            if r["anggota"]
            else None
        )
        g = posisi.get(k)
        par30 = (
            (g["par30_sisa_pokok"] * 100 / g["outstanding"]).quantize(Decimal("0.1"))
            if g and g["outstanding"] > 0
            else None
        )
        s1, s0 = saldo.get(k, Decimal(0)), saldo_awal.get(k, Decimal(0))
        hasil[k] = {
            "jumlah_pertemuan": r["n"],
            "tingkat_kehadiran": kehadiran,
            "saldo_tabungan": s1,
            "saldo_tabungan_awal": s0,
            "par30": par30,
            "jumlah_tautan": tautan.get(k, 0),
            "skor_pertemuan": skor_pertemuan(r["n"], kehadiran),
            "skor_tabungan": skor_tabungan(s1, s0),
            "skor_par30": skor_par30(par30),
            "skor_jejaring": skor_jejaring(tautan.get(k, 0)),
        }
    return hasil


def riwayat(kelompok_id: int) -> list[PenilaianKelompok]:
    """A kelompok's assessments, newest first: one query."""
    return list(
        PenilaianKelompok.objects.filter(kelompok_id=kelompok_id)
        .select_related("dinilai_oleh")
        .order_by("-tanggal", "-pk")
    )


def sebaran_per_klaster(s, klaster_ids) -> dict[int, dict]:
    """{klaster id: {level: number of kelompok}} for the impact report `s`: each kelompok
    of the klaster formed by the end of the period (and of the report's sector or
    kelompok) at the level of its latest assessment on or before the report date, "belum"
    without one. Two queries for every klaster at once."""
    ids = sorted(klaster_ids)
    hasil = {k: dict.fromkeys([*TingkatKelompok.values, "belum"], 0) for k in ids}
    if not ids:
        return hasil
    qs = Kelompok.objects.filter(klaster_id__in=ids, tanggal_dibentuk__lte=s.sampai)
    if getattr(s, "sektor", ""):
        qs = qs.filter(sektor=s.sektor)
    if getattr(s, "kelompok_id", None):
        qs = qs.filter(pk=s.kelompok_id)
    if getattr(s, "desa_kode", ""):
        qs = qs.filter(desa_id=s.desa_kode)
    kelompok = dict(qs.order_by().values_list("pk", "klaster_id"))
    tingkat = tingkat_per_kelompok(kelompok, s.tanggal_posisi)
    for pk, klaster_id in kelompok.items():
        hasil[klaster_id][tingkat.get(pk, "belum")] += 1
    return hasil


def gabung_sebaran(parts: list[dict]) -> dict:
    total = dict.fromkeys([*TingkatKelompok.values, "belum"], 0)
    for p in parts:
        for k, n in p.items():
            total[k] += n
    n = sum(total.values())
    return {
        "baris": [
            {
                "kode": kode,
                "label": label,
                "n": total[kode],
                "porsi": total[kode] / n if n else None,
            }
            for kode, label in [*TingkatKelompok.choices, ("belum", _("Belum dinilai"))]
        ],
        "n": n,
    }

"""The hand-made programme fixture, shared by the program tests (no tests here).

Klaster Lebak, report period 1 Jan – 31 Dec 2024, as of 31 Dec 2024. Every expected figure
in EXPECTED was worked out by hand from the rows below — not by the code under test.

Poverty line: Lebak 2024 = Rp440.705 per capita per month (both survey dates are in 2024).
Rounds: "Baseline 2024" (answers 1 Mar 2024) and "Endline 2024" (answers 1 Nov 2024).

Households (kelompok; size; baseline income, score → endline income, score; MV = 440.705 × size):
  H1 Ahmad  LBK-01 4: 1.500.000 2,8 (MV 1.762.820: IV) → 2.000.000 3,4 (I)
  H2 Siti   LBK-01 4: 1.762.820 3,0 (exactly MV and SV: I) → 2.100.000 3,6 (I)
  H3 Budi   LBK-01 3: 1.000.000 3,2 (MV 1.322.115: II) → 1.400.000 3,2 (I)
  H4 Dedi   LBK-01 5: 2.500.000 2,4 (MV 2.203.525: III) → 2.600.000 3,0 (I)
  H5 Euis   LBK-01 2:   600.000 2,0 (MV 881.410: IV) → 700.000 2,6 (IV)
  H6 Fitri  LBK-02 4 → 5 at endline: 1.800.000 3,4 (MV 1.762.820: I)
            → 2.000.000 3,4 (MV 2.203.525: II — the household grew, the line with it)
  H7 Gugun  LBK-02 3:   900.000 3,8 (II) → 1.000.000 3,8 (II)
  H8 Hasan  LBK-02 4: 1.762.819 2,8 (one rupiah below MV: IV) → 1.900.000 2,8 (III)
  H9 Iis    LBK-02 4: baseline only (1.200.000 3,0): excluded and named
  H10 Jaja  LBK-02 6: endline only, income 6.859.394 = the 2024 nisab exactly: graduated
Pairs n = 8. Baseline quadrants I 2 (H2 H6), II 2 (H3 H7), III 1 (H4), IV 3 (H1 H5 H8);
endline I 4 (H1 H2 H3 H4), II 2 (H6 H7), III 1 (H8), IV 1 (H5).
Transition (rows from, columns to I II III IV): I [1 1 0 0], II [1 1 0 0], III [1 0 0 0],
IV [1 0 1 1]. Indices W 0,25 → 0,5 (+0,25; +100%), Pm 0,25 → 0,25, Ps 0,125 → 0,125,
Pa 0,375 → 0,125 (−0,25).

Social capital: every item of a dimension gets one value v, index (v − 1) × 25.
  (relasi, kapasitas, jejaring) baseline → endline:
  H1 (2,2,1)→(4,3,3)  H2 (3,3,2)→(4,4,3)  H3 (3,2,2)→(3,3,3)  H4 (4,3,2)→(4,4,4)
  H5 (2,2,1)→(2,2,1)  H6 (3,3,3)→(4,3,4)  H7 (4,4,3)→(3,4,4)  H8 (2,1,1)→(3,2,2)
  relasi   25 50 50 75 25 50 75 25 → mean 46,88 median 50; end 75 75 50 75 25 75 50 50 →
           59,38, median 62,5; rose H1 H2 H6 H8 = 4/8
  kapasitas 25 50 25 50 25 50 75 0 → 37,5, median 37,5; end 50 75 50 75 25 50 75 25 →
           53,13, median 50; rose H1 H2 H3 H4 H8 = 5/8
  jejaring 0 25 25 25 0 50 50 0 → 21,88, median 25; end 50 50 50 75 0 75 75 25 → 50,
           median 50; rose all but H5 = 7/8
  total (mean of the 12 items, kept to 2 decimals per household): baseline 16,67 41,67 33,33
           50 16,67 50 66,67 8,33 → 35,42, median 37,5; endline 58,33 66,67 50 75 16,67
           66,67 66,67 33,33 → 54,17, median 62,5; rose all but H5 and H7 = 6/8

Graduation: nisab 2024 Rp6.859.394/month; endline answers in the period: H1–H8 and H10 =
9; graduated H10 only (income exactly at the nisab) → 1/9.

Activities (period 2024):
  K1 pelatihan 10 Apr, 3 jam, Rp1.500.000 (Dana Zakat): H1 H2 H3 H6; Dinas Koperasi
  K2 pelatihan 15 Jun, 2,5 jam: H1 H4
  K3 sosialisasi 20 May, 2 jam, no mitra: Dinas Koperasi, Bappeda Lebak, Bank BRI
  K4 akses pasar 1 Aug, 4 jam: H6 H7 H8; CV Aren Sejahtera
  K5 pelatihan 1 Dec 2023 (before the period): H9 — not counted
  → 4 activities, 11,5 jam, Rp1.500.000; attendances 9; mitra reached 7 of 10 (0,7);
    person-hours 3×4 + 2,5×2 + 0 + 4×3 = 29. Pelatihan: 2, 5,5 jam, 5 mitra, 17 jam-orang.
    Outside parties: pemerintah 2, lembaga keuangan 1, pembeli 1 → 4.
  With the kelompok filter LBK-02: K1 and K4; mitra H6 H7 H8; person-hours 3 + 12 = 15.

Market links:
  T1 kelompok LBK-01 ↔ CV Aren Sejahtera, kontrak pembeli, from 1 Jul 2024, Rp5.000.000/month
  T2 H6 ↔ Bank BRI, rekening/kredit, from 1 Mar 2024
  T3 H7 ↔ Bank BRI, rekening/kredit, 1 Jun 2023 – 31 May 2024 (ended)
  T4 H1 ↔ Bappeda Lebak, program pemerintah, from 15 Jan 2025 (after the report date)
  → access on 31 Dec 2024: H1–H5 (through LBK-01) and H6 = 6 of 10 (0,6); on 1 Jan 2024:
    H7 only = 1 (0,1). Links in force: 2 (kontrak pembeli 1 with Rp5.000.000, rekening 1).

The Malingping klaster holds an activity, a link and two answers that must never show.
"""

import datetime
import uuid
from decimal import Decimal
from types import SimpleNamespace

from bantuan.tests.factories import SumberDanaFactory
from kelompok.tests.factories import KelompokFactory
from klaster.garis_kemiskinan import muat_garis_kemiskinan
from laporan.selectors import Saringan
from mitra.models import Sektor
from mitra.tests.factories import MitraFactory
from program import services
from program.models import KegiatanProgram, PihakLuar, PutaranSurvei, TautanPasar
from program.nisab import muat_nisab
from program.tests.factories import butir_modal_sosial, butir_spiritual

D = datetime.date
DARI, SAMPAI = D(2024, 1, 1), D(2024, 12, 31)
TGL_BASELINE, TGL_ENDLINE = D(2024, 3, 1), D(2024, 11, 1)
PARAMS = {"dari": "2024-01-01", "sampai": "2024-12-31", "per_tanggal": "2024-12-31"}

# (kode, nama, kelompok, size at baseline, baseline (income, score, dims) or None,
#  endline (income, score, dims, size) or None)
RUMAH = [
    ("H1", "Ahmad", "a", 4, ("1500000", "2.8", (2, 2, 1)), ("2000000", "3.4", (4, 3, 3), 4)),
    ("H2", "Siti", "a", 4, ("1762820", "3.0", (3, 3, 2)), ("2100000", "3.6", (4, 4, 3), 4)),
    ("H3", "Budi", "a", 3, ("1000000", "3.2", (3, 2, 2)), ("1400000", "3.2", (3, 3, 3), 3)),
    ("H4", "Dedi", "a", 5, ("2500000", "2.4", (4, 3, 2)), ("2600000", "3.0", (4, 4, 4), 5)),
    ("H5", "Euis", "a", 2, ("600000", "2.0", (2, 2, 1)), ("700000", "2.6", (2, 2, 1), 2)),
    ("H6", "Fitri", "b", 4, ("1800000", "3.4", (3, 3, 3)), ("2000000", "3.4", (4, 3, 4), 5)),
    ("H7", "Gugun", "b", 3, ("900000", "3.8", (4, 4, 3)), ("1000000", "3.8", (3, 4, 4), 3)),
    ("H8", "Hasan", "b", 4, ("1762819", "2.8", (2, 1, 1)), ("1900000", "2.8", (3, 2, 2), 4)),
    ("H9", "Iis", "b", 4, ("1200000", "3.0", (3, 3, 3)), None),
    ("H10", "Jaja", "b", 6, None, ("6859394", "3.4", (4, 4, 4), 6)),
]

EXPECTED = {
    "kuadran_baseline": {"I": 2, "II": 2, "III": 1, "IV": 3},
    "kuadran_endline": {"I": 4, "II": 2, "III": 1, "IV": 1},
    "transisi": [[1, 1, 0, 0], [1, 1, 0, 0], [1, 0, 0, 0], [1, 0, 1, 1]],
    "indeks": {
        "kesejahteraan": ("0.25", "0.5", "0.25"),
        "kemiskinan_material": ("0.25", "0.25", "0"),
        "kemiskinan_spiritual": ("0.125", "0.125", "0"),
        "kemiskinan_absolut": ("0.375", "0.125", "-0.25"),
    },
    # dimension: (n, baseline mean, median, endline mean, median, rose, share rose)
    "modal_sosial": {
        "relasi": (8, "46.88", "50", "59.38", "62.5", 4, "0.5"),
        "kapasitas": (8, "37.5", "37.5", "53.13", "50", 5, "0.625"),
        "jejaring": (8, "21.88", "25", "50", "50", 7, "0.875"),
        "total": (8, "35.42", "37.5", "54.17", "62.5", 6, "0.75"),
    },
}


def saringan(personas, **kw) -> Saringan:
    from klaster.models import Klaster

    return Saringan(
        klaster=Klaster.objects.filter(pk=personas.klaster_lebak.pk),
        dari=kw.pop("dari", DARI),
        sampai=kw.pop("sampai", SAMPAI),
        per_tanggal=kw.pop("per_tanggal", SAMPAI),
        **kw,
    )


def jawab(oleh, putaran, mitra, tanggal, pendapatan, skor, dims, anggota):
    return services.jawaban_survei_catat(
        oleh=oleh,
        putaran=putaran,
        mitra=mitra,
        uuid=uuid.uuid4(),
        tanggal=tanggal,
        modal_sosial=butir_modal_sosial(*dims),
        spiritual=butir_spiritual(skor),
        jumlah_anggota_keluarga=anggota,
        pendapatan_rumah_tangga=Decimal(pendapatan),
    )


def buat_data_program(personas) -> SimpleNamespace:
    muat_garis_kemiskinan()
    muat_nisab()
    k = personas.klaster_lebak
    fas, man = personas.fasilitator, personas.manajer
    ka = personas.kelompok_lebak  # LBK-01
    kb = KelompokFactory(klaster=k, kode="LBK-02", nama="Ternak Maju", sektor=Sektor.PETERNAKAN)
    kelompok = {"a": ka, "b": kb}
    h = {}
    for kode, nama, kel, ukuran, _b, _e in RUMAH:
        h[kode] = MitraFactory(nama=nama, kelompok=kelompok[kel], jumlah_anggota_keluarga=ukuran)

    baseline = services.putaran_buat(
        oleh=man, klaster=k, nama="Baseline 2024", jenis=PutaranSurvei.Jenis.BASELINE,
        tanggal_mulai=D(2024, 2, 1), tanggal_selesai=D(2024, 4, 30),
    )  # fmt: skip
    endline = services.putaran_buat(
        oleh=man, klaster=k, nama="Endline 2024", jenis=PutaranSurvei.Jenis.ENDLINE,
        tanggal_mulai=D(2024, 10, 1), tanggal_selesai=D(2024, 12, 15),
    )  # fmt: skip
    for kode, _n, _k, ukuran, b, e in RUMAH:
        if b:
            jawab(fas, baseline, h[kode], TGL_BASELINE, b[0], b[1], b[2], ukuran)
        if e:
            jawab(fas, endline, h[kode], TGL_ENDLINE, e[0], e[1], e[2], e[3])

    dinas = services.pihak_luar_buat(
        oleh=fas, klaster=k, nama="Dinas Koperasi dan UKM Lebak", jenis=PihakLuar.Jenis.PEMERINTAH
    )
    bappeda = services.pihak_luar_buat(
        oleh=fas, klaster=k, nama="Bappeda Lebak", jenis=PihakLuar.Jenis.PEMERINTAH
    )
    bri = services.pihak_luar_buat(
        oleh=fas, klaster=k, nama="Bank BRI Unit Leuwidamar",
        jenis=PihakLuar.Jenis.LEMBAGA_KEUANGAN,
    )  # fmt: skip
    cv = services.pihak_luar_buat(
        oleh=fas, klaster=k, nama="CV Aren Sejahtera", jenis=PihakLuar.Jenis.PEMBELI
    )
    zakat = SumberDanaFactory(nama="Dana Zakat", jenis="zakat")

    def kegiatan(jenis, judul, tanggal, jam, peserta, pihak, biaya="0", sumber=None):
        return services.kegiatan_catat(
            oleh=fas, klaster=k, uuid=uuid.uuid4(), jenis=jenis, judul=judul,
            tanggal=tanggal, jam=Decimal(jam), biaya=Decimal(biaya), sumber_dana=sumber,
            peserta=[h[x] for x in peserta], pihak_luar=pihak,
        )  # fmt: skip

    J = KegiatanProgram.Jenis
    k1 = kegiatan(J.PELATIHAN, "Pelatihan pembukuan", D(2024, 4, 10), "3",
                  ["H1", "H2", "H3", "H6"], [dinas], "1500000", zakat)  # fmt: skip
    kegiatan(J.PELATIHAN, "Pelatihan pengemasan", D(2024, 6, 15), "2.5", ["H1", "H4"], [])
    kegiatan(J.SOSIALISASI, "Sosialisasi program ke Pemda", D(2024, 5, 20), "2", [],
             [dinas, bappeda, bri])  # fmt: skip
    kegiatan(J.AKSES_PASAR, "Temu pembeli gula aren", D(2024, 8, 1), "4",
             ["H6", "H7", "H8"], [cv])  # fmt: skip
    kegiatan(J.PELATIHAN, "Pelatihan sebelum periode", D(2023, 12, 1), "2", ["H9"], [])

    T = TautanPasar.Jenis

    def tautan(jenis, pihak, mulai, selesai=None, nilai=None, mitra=None, kel=None):
        return services.tautan_pasar_buat(
            oleh=fas, klaster=k, pihak_luar=pihak, jenis=jenis, tanggal_mulai=mulai,
            tanggal_selesai=selesai, nilai_per_bulan=Decimal(nilai) if nilai else None,
            mitra=mitra, kelompok=kel, komoditas="Gula aren",
        )  # fmt: skip

    t1 = tautan(T.KONTRAK_PEMBELI, cv, D(2024, 7, 1), nilai="5000000", kel=ka)
    tautan(T.REKENING_KREDIT, bri, D(2024, 3, 1), mitra=h["H6"])
    tautan(T.REKENING_KREDIT, bri, D(2023, 6, 1), D(2024, 5, 31), mitra=h["H7"])
    tautan(T.PROGRAM_PEMERINTAH, bappeda, D(2025, 1, 15), mitra=h["H1"])

    # the other klaster: never in Lebak's figures
    lain = personas.klaster_lain
    fas2 = personas.fasilitator2
    m_lain = MitraFactory(nama="Orang Malingping", kelompok=personas.kelompok_lain)
    pihak_lain = services.pihak_luar_buat(
        oleh=fas2, klaster=lain, nama="Dinas Malingping", jenis=PihakLuar.Jenis.PEMERINTAH
    )
    services.kegiatan_catat(
        oleh=fas2, klaster=lain, uuid=uuid.uuid4(), jenis=J.PELATIHAN,
        judul="Pelatihan Malingping", tanggal=D(2024, 5, 5), jam=Decimal("8"),
        peserta=[m_lain], pihak_luar=[pihak_lain],
    )  # fmt: skip
    services.tautan_pasar_buat(
        oleh=fas2, klaster=lain, pihak_luar=pihak_lain, jenis=T.PROGRAM_PEMERINTAH,
        tanggal_mulai=D(2024, 1, 1), mitra=m_lain,
    )  # fmt: skip
    from klaster.tests.factories import PenugasanFactory, UserFactory

    man_lain = UserFactory(username="manajer_lain", grup="Manajer Program")
    PenugasanFactory(pengguna=man_lain, klaster=lain, peran="manajer")
    b_lain = services.putaran_buat(
        oleh=man_lain, klaster=lain, nama="Baseline Malingping", jenis="baseline",
        tanggal_mulai=D(2024, 2, 1),
    )  # fmt: skip
    e_lain = services.putaran_buat(
        oleh=man_lain, klaster=lain, nama="Endline Malingping", jenis="endline",
        tanggal_mulai=D(2024, 10, 1),
    )  # fmt: skip
    jawab(fas2, b_lain, m_lain, TGL_BASELINE, "100000", "1.0", (1, 1, 1), 9)
    jawab(fas2, e_lain, m_lain, TGL_ENDLINE, "9000000", "5.0", (5, 5, 5), 9)

    return SimpleNamespace(
        klaster=k, kelompok_a=ka, kelompok_b=kb, h=h, baseline=baseline, endline=endline,
        kegiatan=k1, tautan=t1, pihak=dinas, bri=bri, cv=cv, zakat=zakat,
    )  # fmt: skip

"""The hand-made impact-report fixture, shared by the test_dampak_* modules (no tests here).

Klaster Lebak, period 1 Jan 2023 – 31 Dec 2024, as of 31 Dec 2024. Every expected figure
below was worked out by hand from these rows (see the comments) — not by the code under test.

Mitra (household size; baseline 1 Mar 2023 → latest reading in the period, 1 Jun 2024):
  A1 Ahmad  L pertanian LBK-01 hh 4: 1.200.000 → 2.000.000 (+66,67%) [monitoring 1.500.000
            on 1 Sep 2023 is not the latest]   per capita 300.000 (poor) → 500.000 (not)
  A2 Siti   P pertanian LBK-01 hh 5: 2.000.000 → 2.400.000 (+20%) [an endline of 5.000.000
            on 1 Feb 2025 is after the period]  400.000 (poor) → 480.000 (not)
  A3 Budi   L pertanian LBK-01 hh 2: 1.000.000 →   900.000 (−10%)   500.000 → 450.000 (not)
  B1 Dedi   L peternakan LBK-02 hh 3:  300.000 →   600.000 (+100%)  100.000 → 200.000 (poor)
  B2 Euis   P peternakan LBK-02 hh 1: 1.500.000 → 1.500.000 (0%), status lulus
  C1 Fitri  P pertanian LBK-01: no baseline (monitoring 800.000 on 1 Jan 2024), joined 1 Jun 2023
  C2 Gugun  L umkm, no kelompok: baseline 900.000 only
Poverty lines (Lebak): 2023 ≈419.000, 2024 440.705 — both "same year".

All five with both readings: before 1.2, 2.0, 1.0, 0.3, 1.5 M → mean 1.200.000, median
1.200.000; after 2.0, 2.4, 0.9, 0.6, 1.5 M → mean 1.480.000, median 1.500.000; change of the
mean 1.48/1.2−1 = 23,33%; per-mitra % change 66.67, 20, −10, 100, 0 → mean 35,33%, median
20%; rose 3/5 = 60%, fell 1/5 = 20%; below the line 3/5 = 60% at baseline, 1/5 = 20% now.
Pertanian (A1–A3): mean 1.400.000 → 1.766.666,67, medians 1.200.000 → 2.000.000, change of
the mean 5.3/4.2−1 = 26,19%, mean % 25,56%, median % 20%, rose 2/3, fell 1/3, poor 2/3 → 0/3.
Peternakan (B1, B2): 900.000 → 1.050.000 (means and medians), 16,67%, mean % 50%, rose 1/2.

Money: hibah modal 500.000 to LBK-01 (Infak, 10 May 2023); modal bergulir 1.200.000 to A1
(Zakat, 15 Jan 2024, 12 × 100.000, three paid) and 1.200.000 to B1 (Zakat, 1 Oct 2024,
two paid); a proposal of 700.000 never disbursed. Disbursed 2.900.000: 2023 500.000,
2024 2.400.000. As of 31 Dec 2024: A1 owes 900.000 and its oldest unpaid instalment
(15 May 2024) is 230 days late → kolektibilitas 5; B1 owes 1.000.000, current → kol 1.
Outstanding 1.900.000, PAR30 900/1900 = 47,37%; repayment: due 1.100.000 + 200.000,
collected 300.000 + 200.000 → 500/1300 = 38,46%.

Visits: 10 Mar 2023 LBK-01, A1+A2 of 3 members (Fitri joined later); 10 Jul 2023 LBK-01, 4 of 4;
5 Feb 2024 LBK-02, Dedi (+ Ahmad, a guest, not counted) of 2, follow-up open; 20 Feb 2024
a training without kelompok (by the manager), follow-up closed 1 Mar 2024.
Attendance 7/9 = 77,78%. Per facilitator: fasilitator 3, manajer 1.
Another klaster (Malingping) holds a mitra, a loan and a visit that must never show.
"""

import datetime
from decimal import Decimal
from types import SimpleNamespace

from bantuan.jadwal import hitung_jadwal
from bantuan.models import Angsuran, Bantuan, JadwalAngsuran
from bantuan.posisi import posisi_segarkan
from bantuan.tests.factories import BantuanFactory, SumberDanaFactory
from kelompok.models import Lembaga
from kelompok.tests.factories import KelompokFactory, LembagaFactory
from klaster.garis_kemiskinan import muat_garis_kemiskinan
from kunjungan.models import Kunjungan
from kunjungan.tests.factories import KunjunganFactory
from laporan.selectors import Saringan
from mitra.models import Mitra, PengukuranPendapatan, Sektor
from mitra.tests.factories import MitraFactory

D = datetime.date
DARI, SAMPAI = D(2023, 1, 1), D(2024, 12, 31)
TGL_BASELINE, TGL_AKHIR = D(2023, 3, 1), D(2024, 6, 1)
Jenis = PengukuranPendapatan.Jenis

PARAMS = {"dari": "2023-01-01", "sampai": "2024-12-31", "per_tanggal": "2024-12-31"}


def baca(mitra, tanggal, nilai, jenis):
    return PengukuranPendapatan.objects.create(
        mitra=mitra, tanggal=tanggal, pendapatan_bulanan=Decimal(nilai), jenis=jenis
    )


def cairkan(bantuan, tanggal_cair, bayar=()):
    """Disburse directly (rows as the bantuan services would write them) and record repayments."""
    bantuan.status = Bantuan.Status.DICAIRKAN
    bantuan.tanggal_cair = tanggal_cair
    bantuan.save()
    if bantuan.jenis == Bantuan.Jenis.MODAL_BERGULIR:
        JadwalAngsuran.objects.bulk_create(
            JadwalAngsuran(
                bantuan=bantuan, ke=c.ke, jatuh_tempo=c.jatuh_tempo, jumlah=c.jumlah,
                kumulatif=c.kumulatif,
            )
            for c in hitung_jadwal(
                pokok=bantuan.jumlah, tenor_bulan=bantuan.tenor_bulan, tanggal_cair=tanggal_cair
            )
        )  # fmt: skip
    for tanggal, jumlah in bayar:
        Angsuran.objects.create(bantuan=bantuan, tanggal=tanggal, jumlah=Decimal(jumlah))
    # the position the loan keeps, as the services keep it (today's pages read it)
    posisi_segarkan(Bantuan.objects.filter(pk=bantuan.pk))
    return bantuan


def buat_data_tangan(personas) -> SimpleNamespace:
    muat_garis_kemiskinan()
    k = personas.klaster_lebak
    ka = personas.kelompok_lebak  # LBK-01, pertanian
    kb = KelompokFactory(klaster=k, kode="LBK-02", nama="Ternak Maju", sektor=Sektor.PETERNAKAN)
    kop = LembagaFactory(klaster=k, nama="Koperasi Tani Mandiri", bentuk=Lembaga.Bentuk.KOPERASI)
    LembagaFactory(
        klaster=k, nama="Paguyuban", bentuk=Lembaga.Bentuk.INFORMAL, nomor_badan_hukum=""
    )
    ka.lembaga = kb.lembaga = kop
    ka.save()
    kb.save()

    def mitra(nama, kelompok, jk, hh, **kw):
        kw.setdefault("tanggal_bergabung", D(2023, 1, 15))
        if kelompok is None:
            kw.setdefault("klaster", k)
        return MitraFactory(
            nama=nama, kelompok=kelompok, jenis_kelamin=jk, jumlah_anggota_keluarga=hh, **kw
        )

    a1 = mitra("Ahmad", ka, "L", 4)
    a2 = mitra("Siti", ka, "P", 5)
    a3 = mitra("Budi", ka, "L", 2)
    b1 = mitra("Dedi", kb, "L", 3)
    b2 = mitra("Euis", kb, "P", 1, status=Mitra.Status.LULUS)
    c1 = mitra("Fitri", ka, "P", 4, tanggal_bergabung=D(2023, 6, 1))
    c2 = mitra("Gugun", None, "L", 4, sektor=Sektor.UMKM)

    for m, sebelum, sesudah in [
        (a1, 1_200_000, 2_000_000),
        (a2, 2_000_000, 2_400_000),
        (a3, 1_000_000, 900_000),
        (b1, 300_000, 600_000),
        (b2, 1_500_000, 1_500_000),
    ]:
        baca(m, TGL_BASELINE, sebelum, Jenis.BASELINE)
        baca(m, TGL_AKHIR, sesudah, Jenis.ENDLINE if m is b2 else Jenis.MONITORING)
    baca(a1, D(2023, 9, 1), 1_500_000, Jenis.MONITORING)
    baca(a2, D(2025, 2, 1), 5_000_000, Jenis.ENDLINE)
    baca(c1, D(2024, 1, 1), 800_000, Jenis.MONITORING)
    baca(c2, TGL_BASELINE, 900_000, Jenis.BASELINE)

    zakat = SumberDanaFactory(nama="Zakat Produktif")
    infak = SumberDanaFactory(nama="Infak Umat", jenis="infak")
    hibah = BantuanFactory(
        mitra=None, kelompok=ka, jenis=Bantuan.Jenis.HIBAH_MODAL, sumber_dana=infak,
        jumlah=Decimal("500000"), tanggal_pengajuan=D(2023, 5, 1),
    )  # fmt: skip
    cairkan(hibah, D(2023, 5, 10))
    pinjaman_a1 = BantuanFactory(
        mitra=a1, sumber_dana=zakat, jumlah=Decimal("1200000"), tanggal_pengajuan=D(2024, 1, 5)
    )
    cairkan(
        pinjaman_a1,
        D(2024, 1, 15),
        bayar=[(D(2024, 2, 15), 100_000), (D(2024, 3, 15), 100_000), (D(2024, 4, 15), 100_000)],
    )
    pinjaman_b1 = BantuanFactory(
        mitra=b1, sumber_dana=zakat, jumlah=Decimal("1200000"), tanggal_pengajuan=D(2024, 9, 20)
    )
    cairkan(
        pinjaman_b1, D(2024, 10, 1), bayar=[(D(2024, 11, 1), 100_000), (D(2024, 12, 1), 100_000)]
    )
    BantuanFactory(mitra=a2, sumber_dana=zakat, jumlah=Decimal("700000"))  # never disbursed

    fas = personas.fasilitator
    KunjunganFactory(fasilitator=fas, kelompok=ka, tanggal=D(2023, 3, 10), hadir=[a1, a2])
    KunjunganFactory(fasilitator=fas, kelompok=ka, tanggal=D(2023, 7, 10), hadir=[a1, a2, a3, c1])
    KunjunganFactory(
        fasilitator=fas, kelompok=kb, tanggal=D(2024, 2, 5), hadir=[b1, a1],
        tindak_lanjut="Cek kandang",
    )  # fmt: skip
    KunjunganFactory(
        fasilitator=personas.manajer, klaster=k, kelompok=None, tanggal=D(2024, 2, 20),
        jenis_kegiatan=Kunjungan.JenisKegiatan.PELATIHAN, tindak_lanjut="Kirim modul",
        tindak_lanjut_selesai=True, tindak_lanjut_selesai_pada=D(2024, 3, 1),
    )  # fmt: skip

    # another klaster: must never appear in the Lebak figures
    lain = MitraFactory(
        nama="Orang Lain", kelompok=personas.kelompok_lain, jumlah_anggota_keluarga=1
    )
    baca(lain, TGL_BASELINE, 100_000, Jenis.BASELINE)
    baca(lain, TGL_AKHIR, 10_000_000, Jenis.ENDLINE)
    cairkan(BantuanFactory(mitra=lain, jumlah=Decimal("99000000")), D(2024, 1, 15))
    KunjunganFactory(fasilitator=personas.fasilitator2, kelompok=personas.kelompok_lain,
                     tanggal=D(2024, 1, 3), hadir=[lain])  # fmt: skip

    return SimpleNamespace(
        klaster=k, ka=ka, kb=kb, a1=a1, a2=a2, a3=a3, b1=b1, b2=b2, c1=c1, c2=c2, lain=lain
    )


def saringan_lebak(personas, **kw) -> Saringan:
    from klaster.models import Klaster

    return Saringan(
        klaster=Klaster.objects.filter(pk=personas.klaster_lebak.pk),
        dari=DARI,
        sampai=SAMPAI,
        per_tanggal=SAMPAI,
        **kw,
    )

import datetime
from decimal import Decimal

import pytest

from bantuan import selectors
from bantuan.models import Bantuan, SumberDana
from bantuan.tests.factories import SumberDanaFactory, pinjaman_cair
from mitra.tests.factories import MitraFactory

D = datetime.date


@pytest.fixture
def mitra(personas):
    return MitraFactory(klaster=personas.klaster_lebak, kelompok=personas.kelompok_lebak)


@pytest.mark.parametrize(
    ("hari", "kol"),
    [(0, 1), (1, 2), (90, 2), (91, 3), (120, 3), (121, 4), (180, 4), (181, 5), (1000, 5)],
)
def test_kolektibilitas_boundaries_in_python(hari, kol):
    assert selectors.kolektibilitas_dari_hari(hari) == kol


@pytest.mark.parametrize(
    ("hari", "kol"), [(0, 1), (1, 2), (90, 2), (91, 3), (120, 3), (121, 4), (180, 4), (181, 5)]
)
def test_kolektibilitas_boundaries_in_sql(mitra, hari, kol):
    # first instalment falls due 15 Feb 2012 and nothing is paid
    b = pinjaman_cair(mitra=mitra, tanggal_cair=D(2012, 1, 15), tenor_bulan=24)
    per = D(2012, 2, 15) + datetime.timedelta(days=hari)
    row = selectors.posisi_satu(b, per_tanggal=per)
    assert row.hari_tunggakan == hari
    assert row.kolektibilitas == kol
    assert selectors.kolektibilitas_dari_hari(row.hari_tunggakan) == kol


def _portofolio_contoh(mitra_factory):
    """Four outstanding loans and one repaid, as of 1 January 2013 (worked by hand below)."""
    a = pinjaman_cair(
        mitra=mitra_factory(),
        jumlah="1200000",
        tenor_bulan=12,
        tanggal_cair=D(2012, 1, 15),
        bayar=[(D(2012, 2, 15), "100000"), (D(2012, 3, 15), "100000"), (D(2012, 4, 14), "100000")],
    )
    b = pinjaman_cair(
        mitra=mitra_factory(),
        jumlah="600000",
        tenor_bulan=6,
        tanggal_cair=D(2012, 6, 10),
        bayar=[(D(2012, 7, 10), "300000"), (D(2012, 11, 1), "200000")],
    )
    c = pinjaman_cair(
        mitra=mitra_factory(), jumlah="1000000", tenor_bulan=10, tanggal_cair=D(2012, 10, 20)
    )
    d = pinjaman_cair(
        mitra=mitra_factory(), jumlah="500000", tenor_bulan=5, tanggal_cair=D(2012, 12, 5)
    )
    e = pinjaman_cair(
        mitra=mitra_factory(),
        jumlah="300000",
        tenor_bulan=3,
        tanggal_cair=D(2012, 3, 1),
        bayar=[(D(2012, 6, 1), "300000")],
    )
    return a, b, c, d, e


def test_par30_and_kolektibilitas_worked_by_hand(personas, mitra):
    def mf():
        return MitraFactory(klaster=personas.klaster_lebak, kelompok=personas.kelompok_lebak)

    a, b, c, d, e = _portofolio_contoh(mf)
    per = D(2013, 1, 1)
    # A: 1.2M, paid 300k (Feb-Apr); oldest unpaid #4 due 15 May 2012 -> 231 days -> kol 5
    # B: 600k, paid 500k; oldest unpaid #6 due 10 Dec 2012 -> 22 days -> kol 2
    # C: 1M, nothing paid; #1 due 20 Nov 2012 -> 42 days -> kol 2, PAR30
    # D: 500k, first due 5 Jan 2013 -> not overdue -> kol 1
    # E: repaid in full -> not outstanding
    posisi = {
        r.pk: r
        for r in selectors.tambah_hari_tunggakan(
            selectors.pinjaman_dengan_posisi(Bantuan.objects.all(), per_tanggal=per),
            per_tanggal=per,
        )
    }
    assert posisi[a.pk].hari_tunggakan == 231 and posisi[a.pk].kolektibilitas == 5
    assert posisi[a.pk].tunggakan == Decimal("800000")  # Feb..Dec = 11 x 100k - 300k
    assert posisi[b.pk].hari_tunggakan == 22 and posisi[b.pk].kolektibilitas == 2
    assert posisi[c.pk].hari_tunggakan == 42 and posisi[c.pk].tunggakan == Decimal("200000")
    assert posisi[d.pk].hari_tunggakan == 0 and posisi[d.pk].kolektibilitas == 1
    assert posisi[e.pk].sisa_pokok == 0 and posisi[e.pk].kolektibilitas is None

    r = selectors.ringkasan_portofolio(Bantuan.objects.all(), per_tanggal=per)
    outstanding = Decimal("900000") + Decimal("100000") + Decimal("1000000") + Decimal("500000")
    assert r["outstanding"] == outstanding == Decimal("2500000")
    assert r["par30_sisa_pokok"] == Decimal("1900000")  # A + C
    assert r["par30"] == Decimal("0.76")
    assert r["kolektibilitas"][1] == {
        "nama": "Lancar",
        "jumlah_pinjaman": 1,
        "sisa_pokok": Decimal("500000"),
    }
    assert r["kolektibilitas"][2]["jumlah_pinjaman"] == 2
    assert r["kolektibilitas"][2]["sisa_pokok"] == Decimal("1100000")
    assert r["kolektibilitas"][5]["sisa_pokok"] == Decimal("900000")
    assert r["kolektibilitas"][3]["jumlah_pinjaman"] == 0
    assert r["total_dicairkan"] == Decimal("3600000")
    assert r["jumlah_lunas"] == 1
    # repayment rate: due to date A 1.1M (Feb..Dec), B 600k, C 200k, D 0, E 300k = 2.2M;
    # collected (capped per loan) A 300k, B 500k, C 0, E 300k = 1.1M
    assert r["kewajiban_jatuh_tempo"] == Decimal("2200000")
    assert r["terkumpul"] == Decimal("1100000")
    assert r["tingkat_pengembalian"] == Decimal("0.5")


def test_report_for_a_past_date_ignores_later_payments_and_loans(personas, mitra):
    b = pinjaman_cair(
        mitra=mitra,
        jumlah="1200000",
        tanggal_cair=D(2012, 1, 15),
        bayar=[(D(2012, 2, 15), "100000"), (D(2012, 9, 1), "700000")],
    )
    pinjaman_cair(mitra=mitra, jumlah="999000", tanggal_cair=D(2012, 8, 1))
    per = D(2012, 6, 1)
    row = selectors.posisi_satu(b, per_tanggal=per)
    assert row.terbayar == Decimal("100000")
    assert row.sisa_pokok == Decimal("1100000")
    assert row.jatuh_tempo_tertunggak == D(2012, 3, 15)
    assert row.hari_tunggakan == 78
    assert selectors.sisa_pokok(b, per_tanggal=per) == Decimal("1100000")
    r = selectors.ringkasan_portofolio(Bantuan.objects.all(), per_tanggal=per)
    assert r["outstanding"] == Decimal("1100000")
    assert r["total_dicairkan"] == Decimal("1200000")
    # and today the later payment counts and the oldest unpaid moves on
    # later on, the September payment covers Feb..Sep; October's is the oldest unpaid
    assert selectors.posisi_satu(b, per_tanggal=D(2012, 10, 1)).jatuh_tempo_tertunggak is None
    row = selectors.posisi_satu(b, per_tanggal=D(2012, 10, 20))
    assert row.sisa_pokok == Decimal("400000")
    assert row.jatuh_tempo_tertunggak == D(2012, 10, 15)
    assert row.hari_tunggakan == 5


def test_reversal_counts_in_the_paid_sum(personas, mitra):
    from bantuan.models import Angsuran

    b = pinjaman_cair(
        mitra=mitra,
        jumlah="600000",
        tenor_bulan=6,
        tanggal_cair=D(2012, 1, 15),
        bayar=[(D(2012, 2, 15), "100000"), (D(2012, 3, 15), "100000")],
    )
    asli = b.angsuran.order_by("tanggal").last()
    Angsuran.objects.create(
        bantuan=b, tanggal=asli.tanggal, jumlah=-asli.jumlah, koreksi_dari=asli, alasan="salah"
    )
    row = selectors.posisi_satu(b, per_tanggal=D(2012, 4, 1))
    assert row.terbayar == Decimal("100000")
    assert row.jatuh_tempo_tertunggak == D(2012, 3, 15)


def test_written_off_loan_leaves_outstanding_from_its_date(personas, mitra):
    b = pinjaman_cair(mitra=mitra, jumlah="1000000", tanggal_cair=D(2012, 1, 15))
    pinjaman_cair(mitra=mitra, jumlah="500000", tanggal_cair=D(2012, 1, 15))
    Bantuan.objects.filter(pk=b.pk).update(
        status=Bantuan.Status.DIHAPUSBUKUKAN, tanggal_hapus_buku=D(2012, 12, 1), alasan="pindah"
    )
    before = selectors.ringkasan_portofolio(Bantuan.objects.all(), per_tanggal=D(2012, 11, 30))
    after = selectors.ringkasan_portofolio(Bantuan.objects.all(), per_tanggal=D(2012, 12, 1))
    assert before["outstanding"] == Decimal("1500000")
    assert before["hapus_buku"] == {"jumlah_pinjaman": 0, "sisa_pokok": Decimal("0")}
    assert after["outstanding"] == Decimal("500000")
    assert after["hapus_buku"] == {"jumlah_pinjaman": 1, "sisa_pokok": Decimal("1000000")}
    assert after["par30"] == Decimal("1")  # the other loan is overdue since 15 Feb
    assert sum(k["jumlah_pinjaman"] for k in after["kolektibilitas"].values()) == 1


def test_dana_bergulir_and_generations(personas):
    klaster = personas.klaster_lebak
    fund = SumberDanaFactory(
        nama="Dana bergulir LBK", jenis=SumberDana.Jenis.DANA_BERGULIR, klaster=klaster
    )

    def mf():
        return MitraFactory(klaster=klaster, kelompok=personas.kelompok_lebak)

    g1 = pinjaman_cair(
        mitra=mf(),
        jumlah="600000",
        tenor_bulan=6,
        tanggal_cair=D(2012, 1, 1),
        bayar=[(D(2012, 2, 1), "300000"), (D(2012, 5, 1), "300000")],
    )
    g2 = pinjaman_cair(
        mitra=mf(),
        jumlah="500000",
        tenor_bulan=5,
        tanggal_cair=D(2012, 6, 1),
        sumber_dana=fund,
        bayar=[(D(2012, 7, 1), "400000")],
    )
    g3 = pinjaman_cair(
        mitra=mf(), jumlah="450000", tenor_bulan=3, tanggal_cair=D(2012, 8, 1), sumber_dana=fund
    )
    # the other klaster's repayments never enter this fund
    pinjaman_cair(
        mitra=MitraFactory(klaster=personas.klaster_lain),
        tanggal_cair=D(2012, 1, 1),
        bayar=[(D(2012, 2, 1), "50000")],
    )
    per = D(2012, 12, 31)
    assert selectors.dana_bergulir(klaster, per_tanggal=per) == {
        "masuk": Decimal("1000000"),
        "keluar": Decimal("950000"),
        "saldo": Decimal("50000"),
    }
    assert selectors.dana_bergulir(klaster, per_tanggal=D(2012, 6, 30)) == {
        "masuk": Decimal("600000"),
        "keluar": Decimal("500000"),
        "saldo": Decimal("100000"),
    }
    gen = selectors.generasi_pinjaman([klaster.pk], per_tanggal=per)
    # g3 (450k) takes g1's remaining 100k first, then 350k of g2's repayment -> 3rd generation
    assert gen == {g1.pk: 1, g2.pk: 2, g3.pk: 3}
    assert selectors.generasi_pinjaman([klaster.pk], per_tanggal=D(2012, 7, 1)) == {
        g1.pk: 1,
        g2.pk: 2,
    }


def test_tunggakan_per_kelompok(personas):
    from kelompok.models import Kelompok
    from kelompok.tests.factories import KelompokFactory

    kel = personas.kelompok_lebak
    kosong = KelompokFactory(klaster=personas.klaster_lebak)
    m1, m2 = (MitraFactory(klaster=personas.klaster_lebak, kelompok=kel) for _ in range(2))
    pinjaman_cair(mitra=m1, jumlah="1200000", tanggal_cair=D(2012, 1, 15))  # 2 due by 1 Apr
    pinjaman_cair(
        mitra=m2, jumlah="1200000", tanggal_cair=D(2012, 1, 15), bayar=[(D(2012, 2, 15), "100000")]
    )
    pinjaman_cair(
        mitra=None, kelompok=kel, jumlah="600000", tenor_bulan=6, tanggal_cair=D(2012, 2, 1)
    )
    hasil = selectors.tunggakan_per_kelompok(Kelompok.objects.all(), per_tanggal=D(2012, 4, 1))
    assert hasil[kel.pk] == {
        "jumlah_mitra": 2,
        # m1 Feb+Mar, m2 March, the group's 1 March (1 April falls due today: not overdue)
        "tunggakan": Decimal("200000") + Decimal("100000") + Decimal("100000"),
        "hari_tunggakan_maks": 46,  # 15 Feb -> 1 Apr 2012 (a leap year)
    }
    assert hasil[kosong.pk] == {
        "jumlah_mitra": 0,
        "tunggakan": Decimal("0"),
        "hari_tunggakan_maks": 0,
    }

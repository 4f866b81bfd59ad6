"""Revolving-fund generations (bantuan/generasi.py), kept on each loan by the services.

Worked by hand: which money a disbursement from the fund takes on a busy day, and how a
correction, a backdated repayment or a backdated disbursement recorded later changes the
generation a loan keeps."""

import datetime
from decimal import Decimal

import pytest

from bantuan import selectors, services
from bantuan.generasi import jalan_generasi
from bantuan.models import Bantuan, SumberDana
from bantuan.tests.factories import SumberDanaFactory, pinjaman_cair
from mitra.tests.factories import MitraFactory

D = datetime.date
RP = Decimal


@pytest.fixture
def dana(personas):
    return SumberDanaFactory(jenis=SumberDana.Jenis.DANA_BERGULIR, klaster=personas.klaster_lebak)


@pytest.fixture
def zakat():
    return SumberDanaFactory(jenis=SumberDana.Jenis.ZAKAT)


def _mitra(personas):
    return MitraFactory(klaster=personas.klaster_lebak, kelompok=personas.kelompok_lebak)


def _donor(personas, zakat, jumlah, cair):
    return pinjaman_cair(
        mitra=_mitra(personas), jumlah=jumlah, tenor_bulan=6, tanggal_cair=cair, sumber_dana=zakat
    )


def _dari_dana(personas, dana, jumlah, cair):
    b = services.bantuan_ajukan(
        oleh=personas.fasilitator,
        klaster=personas.klaster_lebak,
        jenis=Bantuan.Jenis.MODAL_BERGULIR,
        sumber_dana=dana,
        jumlah=RP(jumlah),
        tanggal_pengajuan=cair,
        mitra=_mitra(personas),
        tenor_bulan=6,
    )
    services.bantuan_setujui(bantuan=b, oleh=personas.manajer, tanggal=cair)
    return services.bantuan_cairkan(bantuan=b, oleh=personas.manajer, tanggal_cair=cair)


def _bayar(personas, b, tanggal, jumlah):
    return services.angsuran_catat(
        bantuan=b, jumlah=RP(jumlah), tanggal=tanggal, oleh=personas.fasilitator
    )


def _generasi(*bantuan):
    simpan = dict(Bantuan.objects.values_list("pk", "generasi"))
    return [simpan[b.pk] for b in bantuan]


def test_on_one_day_repayments_come_before_the_funds_disbursements(personas, dana, zakat):
    l1 = _donor(personas, zakat, "600000", D(2012, 1, 1))
    _bayar(personas, l1, D(2012, 3, 1), "200000")
    # a donors' loan on that same day is generation 1 whatever the fund holds
    l2 = _donor(personas, zakat, "300000", D(2012, 3, 1))
    # the fund lends on the day the repayment came in: it takes 150k of l1's money
    f1 = _dari_dana(personas, dana, "150000", D(2012, 3, 1))
    assert _generasi(l1, l2, f1) == [1, 1, 2]
    # f1 repays 150k; f2 (100k) takes l1's remaining 50k, then 50k of f1's repayment
    koreksi = _bayar(personas, f1, D(2012, 4, 1), "150000")
    f2 = _dari_dana(personas, dana, "100000", D(2012, 4, 1))
    assert _generasi(f2) == [3]
    # f1's repayment was a mistake; reversed later, dated 1 April: f2 took l1's 50k only
    services.angsuran_koreksi(angsuran=koreksi, oleh=personas.manajer, alasan="salah catat")
    assert _generasi(l1, l2, f1, f2) == [1, 1, 2, 2]
    assert selectors.generasi_pinjaman([personas.klaster_lebak.pk], per_tanggal=D(2012, 3, 31)) == {
        l1.pk: 1,
        l2.pk: 1,
        f1.pk: 2,
    }


def test_a_backdated_repayment_changes_a_later_generation(personas, dana, zakat):
    l1 = _donor(personas, zakat, "500000", D(2012, 1, 1))
    _bayar(personas, l1, D(2012, 2, 1), "100000")
    f1 = _dari_dana(personas, dana, "100000", D(2012, 3, 1))  # l1's 100k
    _bayar(personas, f1, D(2012, 4, 1), "100000")
    f2 = _dari_dana(personas, dana, "100000", D(2012, 5, 1))  # f1's 100k
    assert _generasi(l1, f1, f2) == [1, 2, 3]
    # a repayment of l1 dated 15 March is recorded only now: older money, f2 takes it first
    _bayar(personas, l1, D(2012, 3, 15), "100000")
    assert _generasi(l1, f1, f2) == [1, 2, 2]
    # one dated after f2 changes nothing
    _bayar(personas, l1, D(2012, 5, 2), "100000")
    assert _generasi(l1, f1, f2) == [1, 2, 2]


def test_a_backdated_disbursement_from_the_fund_changes_a_later_one(personas, dana, zakat):
    l1 = _donor(personas, zakat, "500000", D(2012, 1, 1))
    l2 = _donor(personas, zakat, "500000", D(2012, 1, 1))
    _bayar(personas, l1, D(2012, 2, 1), "100000")
    f1 = _dari_dana(personas, dana, "100000", D(2012, 3, 1))
    _bayar(personas, f1, D(2012, 4, 1), "100000")
    _bayar(personas, l2, D(2012, 4, 10), "100000")
    f2 = _dari_dana(personas, dana, "100000", D(2012, 5, 1))  # f1's repayment is older
    assert _generasi(f1, f2) == [2, 3]
    # a disbursement dated 5 April, recorded now, takes f1's repayment before f2 can
    f0 = _dari_dana(personas, dana, "100000", D(2012, 4, 5))
    assert _generasi(f1, f0, f2) == [2, 3, 2]


def test_grants_from_the_fund_have_a_generation_grants_from_donors_none(personas, dana, zakat):
    l1 = _donor(personas, zakat, "500000", D(2012, 1, 1))
    _bayar(personas, l1, D(2012, 2, 1), "300000")
    aset = services.bantuan_ajukan(
        oleh=personas.fasilitator,
        klaster=personas.klaster_lebak,
        jenis=Bantuan.Jenis.ASET,
        sumber_dana=dana,
        jumlah=RP("200000"),
        tanggal_pengajuan=D(2012, 3, 1),
        kelompok=personas.kelompok_lebak,
    )
    services.bantuan_setujui(bantuan=aset, oleh=personas.manajer, tanggal=D(2012, 3, 1))
    services.bantuan_cairkan(bantuan=aset, oleh=personas.manajer, tanggal_cair=D(2012, 3, 1))
    hibah = services.bantuan_ajukan(
        oleh=personas.fasilitator,
        klaster=personas.klaster_lebak,
        jenis=Bantuan.Jenis.HIBAH_MODAL,
        sumber_dana=zakat,
        jumlah=RP("200000"),
        tanggal_pengajuan=D(2012, 3, 1),
        kelompok=personas.kelompok_lebak,
    )
    services.bantuan_setujui(bantuan=hibah, oleh=personas.manajer, tanggal=D(2012, 3, 1))
    services.bantuan_cairkan(bantuan=hibah, oleh=personas.manajer, tanggal_cair=D(2012, 3, 1))
    assert _generasi(l1, aset, hibah) == [1, 2, None]


def test_the_walk_by_hand_without_a_database():
    d = D(2012, 3, 1)
    # a reversal takes back the newest money of its loan's generation
    pinjaman = [(1, D(2012, 1, 1), RP(500), False), (2, d, RP(100), True), (3, d, RP(100), True)]
    bayar = [
        (D(2012, 2, 1), 1, 10, RP(100)),
        (D(2012, 2, 2), 1, 11, RP(100)),
        (D(2012, 2, 3), 1, 12, RP(-100)),
    ]
    # 2 takes the 100k left after the reversal; 3 finds the fund empty: generation 2 still
    assert jalan_generasi(pinjaman, bayar) == {1: 1, 2: 2, 3: 2}
    assert jalan_generasi([(5, d, RP(100), True)], []) == {5: 2}


def test_summary_of_generations_counts_loans_and_amounts(personas, dana):
    klaster = personas.klaster_lebak
    pinjaman_cair(
        mitra=_mitra(personas),
        jumlah="600000",
        tanggal_cair=D(2012, 1, 1),
        bayar=[(D(2012, 2, 1), "300000")],
    )
    pinjaman_cair(
        mitra=_mitra(personas), jumlah="200000", tanggal_cair=D(2012, 3, 1), sumber_dana=dana
    )
    assert selectors.ringkasan_generasi([klaster.pk], per_tanggal=D(2012, 12, 31)) == [
        {"generasi": 1, "jumlah_pinjaman": 1, "jumlah": Decimal("600000")},
        {"generasi": 2, "jumlah_pinjaman": 1, "jumlah": Decimal("200000")},
    ]
    assert selectors.ringkasan_generasi([klaster.pk], per_tanggal=D(2012, 2, 29)) == [
        {"generasi": 1, "jumlah_pinjaman": 1, "jumlah": Decimal("600000")},
    ]

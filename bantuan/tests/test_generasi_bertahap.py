"""The revolving-fund generations on the portfolio page are reused across repayments that
cannot change them (bantuan.selectors._generasi_tersimpan): money paid in on date T only
reaches fund loans disbursed on T or later. Each step compares with the full walk."""

import datetime
from decimal import Decimal

import pytest
from django.core.cache import cache

from bantuan import selectors
from bantuan.models import Angsuran, SumberDana
from bantuan.tests.factories import SumberDanaFactory, pinjaman_cair
from klaster import versi_data
from mitra.tests.factories import MitraFactory

D = datetime.date
PER = D(2024, 12, 31)


@pytest.fixture
def jalan(monkeypatch):
    """How many times the full walk ran."""
    hitungan = []
    asli = selectors._jalan_generasi

    def catat(klaster_ids, per_tanggal):
        hitungan.append(per_tanggal)
        return asli(klaster_ids, per_tanggal)

    monkeypatch.setattr(selectors, "_jalan_generasi", catat)
    cache.clear()
    yield hitungan
    cache.clear()


@pytest.fixture
def dana(personas):
    klaster = personas.klaster_lebak

    def mitra():
        return MitraFactory(klaster=klaster, kelompok=personas.kelompok_lebak)

    fund = SumberDanaFactory(jenis=SumberDana.Jenis.DANA_BERGULIR, klaster=klaster)
    donor = SumberDanaFactory(jenis=SumberDana.Jenis.ZAKAT)
    a = pinjaman_cair(
        mitra=mitra(),
        jumlah="600000",
        tanggal_cair=D(2024, 1, 1),
        sumber_dana=donor,
        bayar=[(D(2024, 2, 1), "300000")],
    )
    pinjaman_cair(
        mitra=mitra(),
        jumlah="200000",
        tanggal_cair=D(2024, 3, 1),  # the latest disbursement from the fund, for now
        sumber_dana=fund,
    )
    return {"klaster": klaster, "a": a, "fund": fund, "mitra": mitra}


def _ringkasan(klaster):
    versi, _lingkup = versi_data.versi_per_tabel(None, selectors.MODEL_CACHE)
    hasil = selectors.ringkasan_generasi([klaster.pk], per_tanggal=PER, versi=versi)
    assert hasil == selectors.ringkasan_generasi([klaster.pk], per_tanggal=PER)
    return hasil


def _bayar(bantuan, tanggal, jumlah="50000"):
    return Angsuran.objects.create(bantuan=bantuan, tanggal=tanggal, jumlah=Decimal(jumlah))


def test_a_repayment_after_the_latest_fund_loan_reuses_the_walk_an_earlier_one_does_not(
    dana, jalan
):
    k = dana["klaster"]
    awal = _ringkasan(k)
    assert [g["generasi"] for g in awal] == [1, 2]
    n = len(jalan)  # the cached path's walk, and the reference walk of _ringkasan
    assert _ringkasan(k) == awal
    assert len(jalan) == n + 1  # only the reference walk: the cache answered

    # repaid today, after the fund's latest disbursement: no generation can change
    _bayar(dana["a"], D(2024, 6, 1))
    _ringkasan(k)
    assert len(jalan) == n + 2
    # a reversal of it after it, the same
    asal = dana["a"].angsuran.get(tanggal=D(2024, 6, 1))
    Angsuran.objects.create(
        bantuan=dana["a"],
        tanggal=D(2024, 7, 1),
        jumlah=-asal.jumlah,
        koreksi_dari=asal,
        alasan="salah catat",
    )
    _ringkasan(k)
    assert len(jalan) == n + 3

    # a repayment recorded late, dated on or before that disbursement: walk again
    _bayar(dana["a"], D(2024, 3, 1))
    _ringkasan(k)
    assert len(jalan) == n + 5

    # a new loan from the fund (a Bantuan write): walk again; a repayment dated before it
    # now counts as early
    baru = pinjaman_cair(
        mitra=dana["mitra"](),
        jumlah="100000",
        tanggal_cair=D(2024, 8, 1),
        sumber_dana=dana["fund"],
    )
    sesudah = _ringkasan(k)
    assert len(jalan) == n + 7
    assert sum(g["jumlah_pinjaman"] for g in sesudah) == 3
    _bayar(dana["a"], D(2024, 7, 20))
    _ringkasan(k)
    assert len(jalan) == n + 9
    assert baru.pk in selectors.generasi_pinjaman([k.pk], per_tanggal=PER)


def test_a_repayment_in_another_klaster_reuses_the_walk(dana, jalan, personas):
    k = dana["klaster"]
    _ringkasan(k)
    n = len(jalan)
    lain = pinjaman_cair(
        mitra=MitraFactory(klaster=personas.klaster_lain),
        tanggal_cair=D(2024, 1, 1),
        klaster=personas.klaster_lain,
    )
    # the other klaster's new loan is a Bantuan write: the key changes, one walk
    _ringkasan(k)
    assert len(jalan) == n + 2
    _bayar(lain, D(2024, 2, 1))  # early, but in a klaster this summary does not cover
    _ringkasan(k)
    assert len(jalan) == n + 3


def test_a_repayment_committed_late_with_a_lower_history_id_is_still_seen(dana, jalan):
    """Two saves at once: the one holding the lower history id commits second. Simulated by
    moving a new history row into a free id below the highest."""
    k = dana["klaster"]
    celah = _bayar(dana["a"], D(2024, 6, 2))
    id_celah = Angsuran.history.get(id=celah.pk).history_id
    Angsuran.history.filter(id=celah.pk).delete()
    Angsuran.objects.filter(pk=celah.pk).delete()  # leaves a '-' row above the free id
    _ringkasan(k)
    n = len(jalan)

    telat = _bayar(dana["a"], D(2024, 2, 20))  # early: it changes what the fund holds
    Angsuran.history.filter(id=telat.pk).update(history_id=id_celah)
    assert (
        versi_data.riwayat_maks(
            versi_data.versi_per_tabel(None, ["bantuan.Angsuran"])[0]["bantuan.Angsuran"]
        )
        > id_celah
    )
    _ringkasan(k)
    assert len(jalan) == n + 2  # found, and it called for a new walk

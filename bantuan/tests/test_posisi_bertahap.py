"""The dashboard's and report's portfolio keeps each loan's figures across instalments
(bantuan.selectors.ringkasan_portofolio_bertahap): after a repayment only that loan is
recomputed, and the summary equals the full computation at every step."""

import datetime
from decimal import Decimal

import pytest
from django.core.cache import cache
from freezegun import freeze_time

from bantuan import selectors, services
from bantuan.models import Angsuran, Bantuan
from bantuan.tests.factories import pinjaman_cair
from klaster import versi_data
from klaster.models import Klaster
from mitra.tests.factories import MitraFactory

D = datetime.date
HARI_INI = D(2025, 6, 30)


@pytest.fixture
def dihitung(monkeypatch):
    """The loan ids each computation of positions covered (None: the whole scope)."""
    catatan = []
    asli = selectors._angka_posisi

    def catat(bantuan_qs, d):
        hasil = asli(bantuan_qs, d)
        where = str(bantuan_qs.query)
        catatan.append(sorted(hasil) if '"id" IN' in where or ".id IN" in where else None)
        return hasil

    monkeypatch.setattr(selectors, "_angka_posisi", catat)
    cache.clear()
    yield catatan
    cache.clear()


@pytest.fixture
def pinjaman(personas):
    k = personas.klaster_lebak

    def baru(jumlah, cair, bayar=()):
        return pinjaman_cair(
            mitra=MitraFactory(klaster=k, kelompok=personas.kelompok_lebak),
            jumlah=jumlah,
            tenor_bulan=6,
            tanggal_cair=cair,
            bayar=bayar,
        )

    return [
        baru("600000", D(2024, 12, 1), [(D(2025, 1, 1), "100000")]),  # behind
        baru("1200000", D(2025, 1, 15), [(D(2025, 2, 15), "200000"), (D(2025, 3, 15), "200000")]),
        baru("300000", D(2025, 5, 1)),
    ]


def _lingkup(user):
    return Klaster.objects.visible_to(user).order_by().values("pk")


def _sama(personas, d=HARI_INI):
    lingkup = _lingkup(personas.manajer)
    per_tabel, lingkup_teks = versi_data.versi_per_tabel(
        lingkup, ["bantuan.Bantuan", "bantuan.Angsuran"]
    )
    hasil = selectors.ringkasan_portofolio_bertahap(
        lingkup, per_tanggal=d, versi={**per_tabel, "lingkup": lingkup_teks}
    )
    penuh = selectors.ringkasan_portofolio(
        Bantuan.objects.filter(klaster__in=lingkup), per_tanggal=d
    )
    assert hasil == penuh
    return hasil


def _sisa_sendiri(b, d=HARI_INI) -> Decimal:
    dibayar = sum((a.jumlah for a in b.angsuran.filter(tanggal__lte=d)), Decimal("0"))
    return b.jumlah - dibayar


@freeze_time(HARI_INI)
def test_each_repayment_recomputes_only_its_loan_and_the_summary_stays_exact(
    personas, pinjaman, dihitung
):
    a, b, c = pinjaman
    awal = _sama(personas)
    assert dihitung == [None]
    assert awal["outstanding"] == sum((_sisa_sendiri(x) for x in pinjaman), Decimal("0"))
    _sama(personas)
    assert dihitung == [None]  # unchanged: from the cache

    services.angsuran_catat(
        bantuan=a, jumlah=Decimal("100000"), tanggal=HARI_INI, oleh=personas.fasilitator
    )
    sesudah = _sama(personas)
    # the first step after a full computation rechecks the loans of the whole window of
    # recent history ids (the full computation does not list them); later steps only theirs
    assert a.pk in dihitung[-1]
    assert sesudah["outstanding"] == awal["outstanding"] - Decimal("100000")
    services.angsuran_catat(
        bantuan=a, jumlah=Decimal("100000"), tanggal=HARI_INI, oleh=personas.fasilitator
    )
    _sama(personas)
    assert dihitung[-1] == [a.pk]

    salah = services.angsuran_catat(
        bantuan=b, jumlah=Decimal("50000"), tanggal=HARI_INI, oleh=personas.fasilitator
    )
    _sama(personas)
    assert dihitung[-1] == [b.pk]
    services.angsuran_koreksi(angsuran=salah, oleh=personas.manajer, alasan="salah catat")
    koreksi = _sama(personas)
    assert dihitung[-1] == [b.pk]
    assert koreksi["outstanding"] == sum((_sisa_sendiri(x) for x in pinjaman), Decimal("0"))

    # a write-off is a Bantuan write: everything again
    services.bantuan_hapus_buku(bantuan=c, oleh=personas.manajer, alasan="meninggal")
    hb = _sama(personas)
    assert dihitung[-1] is None
    assert hb["hapus_buku"]["jumlah_pinjaman"] == 1


@freeze_time(HARI_INI)
def test_a_repayment_committed_late_with_a_lower_history_id_is_still_seen(
    personas, pinjaman, dihitung
):
    a, b, _c = pinjaman
    celah = Angsuran.objects.create(bantuan=b, tanggal=HARI_INI, jumlah=Decimal("1000"))
    id_celah = Angsuran.history.get(id=celah.pk).history_id
    Angsuran.history.filter(id=celah.pk).delete()
    Angsuran.objects.filter(pk=celah.pk).delete()  # leaves a '-' row above the free id
    _sama(personas)
    Angsuran.objects.create(bantuan=b, tanggal=HARI_INI, jumlah=Decimal("2000"))
    _sama(personas)  # an incremental step: the window's ids are now listed as seen

    telat = Angsuran.objects.create(bantuan=a, tanggal=HARI_INI, jumlah=Decimal("70000"))
    Angsuran.history.filter(id=telat.pk).update(history_id=id_celah)
    _sama(personas)
    assert dihitung[-1] == [a.pk]


@freeze_time(HARI_INI)
def test_another_date_or_scope_has_its_own_entry(personas, pinjaman, dihitung):
    _sama(personas)
    _sama(personas, d=D(2025, 3, 31))
    assert dihitung == [None, None]


@freeze_time(HARI_INI)
def test_the_list_and_arrears_pages_share_the_kept_figures(client, personas, pinjaman, dihitung):
    from django.urls import reverse

    a = pinjaman[0]
    client.force_login(personas.manajer)
    for nama in ("bantuan:tunggakan", "bantuan:list"):
        assert client.get(reverse(nama)).status_code == 200
    assert dihitung == [None]  # one computation of the scope's figures for both pages
    _sama(personas)  # and the dashboard's portfolio reads the same entry
    assert dihitung == [None]

    services.angsuran_catat(
        bantuan=a, jumlah=Decimal("100000"), tanggal=HARI_INI, oleh=personas.fasilitator
    )
    assert client.get(reverse("bantuan:tunggakan")).status_code == 200
    assert dihitung[-1] is not None and a.pk in dihitung[-1]
    assert client.get(reverse("bantuan:list")).status_code == 200
    assert len(dihitung) == 2  # the list reused the figures the arrears page updated
    _sama(personas)

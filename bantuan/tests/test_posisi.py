"""The position each loan keeps (bantuan/posisi.py) and today's figures read from it.

Hand-worked cases: a loan written through the services day by day, its position asserted
as of each day twice: with the day frozen as "today" (the kept fields) and from today's real
date (the instalments). Then random portfolios where both paths must agree on every figure.
"""

import datetime
import random
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from bantuan import posisi, selectors, services
from bantuan.jadwal import hitung_jadwal, jumlah_jatuh_tempo, kumulatif_ke
from bantuan.models import Angsuran, Bantuan, SumberDana
from bantuan.tests.factories import BantuanFactory, SumberDanaFactory, pinjaman_cair
from kelompok.models import Kelompok
from kelompok.tests.factories import KelompokFactory
from klaster.models import Klaster
from mitra.tests.factories import MitraFactory

D = datetime.date
RP = Decimal


def _hari(d: datetime.date):
    # 12:00 in Jakarta: timezone.localdate() is d
    return freeze_time(datetime.datetime(d.year, d.month, d.day, 5, 0, tzinfo=datetime.UTC))


def _ajukan_cair(personas, *, jumlah, tenor, pengajuan, cair, sumber_dana, mitra=None):
    with _hari(cair):
        b = services.bantuan_ajukan(
            oleh=personas.fasilitator,
            klaster=personas.klaster_lebak,
            jenis=Bantuan.Jenis.MODAL_BERGULIR,
            sumber_dana=sumber_dana,
            jumlah=RP(jumlah),
            tanggal_pengajuan=pengajuan,
            mitra=mitra
            or MitraFactory(klaster=personas.klaster_lebak, kelompok=personas.kelompok_lebak),
            tenor_bulan=tenor,
        )
        services.bantuan_setujui(bantuan=b, oleh=personas.manajer, tanggal=pengajuan)
        return services.bantuan_cairkan(bantuan=b, oleh=personas.manajer, tanggal_cair=cair)


def _bayar(personas, b, tanggal, jumlah):
    with _hari(tanggal):
        return services.angsuran_catat(
            bantuan=b, jumlah=RP(jumlah), tanggal=tanggal, oleh=personas.fasilitator
        )


def _kedua_jalan(fungsi, d):
    """fungsi(d) with d frozen as today (kept fields), and from the real today (history)."""
    with _hari(d):
        tersimpan = fungsi(d)
    assert d != timezone.localdate()
    return tersimpan, fungsi(d)


def _posisi(b, d):
    row = selectors.posisi_satu(b, per_tanggal=d)
    return {
        "terbayar": row.terbayar,
        "sisa_pokok": row.sisa_pokok,
        "jatuh_tempo_tertunggak": row.jatuh_tempo_tertunggak,
        "hari": row.hari_tunggakan,
        "tunggakan": row.tunggakan,
        "kolektibilitas": row.kolektibilitas,
        "kewajiban_jatuh_tempo": row.kewajiban_jatuh_tempo,
        "terkumpul": row.terkumpul,
    }


@pytest.fixture
def zakat():
    return SumberDanaFactory(nama="Zakat", jenis=SumberDana.Jenis.ZAKAT)


def test_a_loan_day_by_day_worked_by_hand(personas, zakat):
    # Rp1.200.000 over 12 months from 15 Jan 2012: Rp100.000 due on the 15th, Feb 2012 ..
    # Jan 2013 (kumulatif 100k, 200k, ... 1.2M)
    a = _ajukan_cair(
        personas, jumlah="1200000", tenor=12, pengajuan=D(2012, 1, 5), cair=D(2012, 1, 15),
        sumber_dana=zakat,
    )  # fmt: skip
    a.refresh_from_db()
    assert (a.pokok_terbayar, a.jatuh_tempo_belum_lunas) == (RP(0), D(2012, 2, 15))

    _bayar(personas, a, D(2012, 2, 15), "100000")  # #1 paid
    _bayar(personas, a, D(2012, 3, 20), "150000")  # #2 paid, 50k of #3
    salah = _bayar(personas, a, D(2012, 4, 10), "50000")  # would complete #3 ...
    a.refresh_from_db()
    assert (a.pokok_terbayar, a.jatuh_tempo_belum_lunas) == (RP(300000), D(2012, 5, 15))
    with _hari(D(2012, 4, 12)):  # ... but was a mistake: reversed, dated 10 April
        services.angsuran_koreksi(angsuran=salah, oleh=personas.manajer, alasan="salah catat")
    a.refresh_from_db()
    assert (a.pokok_terbayar, a.jatuh_tempo_belum_lunas) == (RP(250000), D(2012, 4, 15))

    def harapan(hari, tunggakan, kol, kewajiban):
        return {
            "terbayar": RP(250000),
            "sisa_pokok": RP(950000),
            "jatuh_tempo_tertunggak": D(2012, 4, 15) if hari else None,
            "hari": hari,
            "tunggakan": RP(tunggakan),
            "kolektibilitas": kol,
            "kewajiban_jatuh_tempo": RP(kewajiban),
            "terkumpul": RP(250000),
        }

    kasus = {
        # #3 falls due on 15 April itself: not overdue yet; due to date #1..#3
        D(2012, 4, 15): harapan(0, 0, 1, 300000),
        D(2012, 4, 16): harapan(1, 50000, 2, 300000),
        # 15 Apr -> 14 Jul = 30 + 31 + 29 days; #1..#5 due before, #6 due on the day
        D(2012, 7, 14): harapan(90, 250000, 2, 500000),
        D(2012, 7, 15): harapan(91, 250000, 3, 600000),
        D(2012, 8, 13): harapan(120, 350000, 3, 600000),
        D(2012, 8, 14): harapan(121, 350000, 4, 600000),
        D(2012, 10, 12): harapan(180, 550000, 4, 800000),
        D(2012, 10, 13): harapan(181, 550000, 5, 800000),
    }
    for d, diharapkan in kasus.items():
        tersimpan, riwayat = _kedua_jalan(lambda d: _posisi(a, d), d)
        assert tersimpan == riwayat == diharapkan, d

    # written off on 1 Nov 2012: the kept position stays, the loan leaves the portfolio
    with _hari(D(2012, 11, 1)):
        services.bantuan_hapus_buku(
            bantuan=a, oleh=personas.manajer, alasan="pindah", tanggal=D(2012, 11, 1)
        )
    a.refresh_from_db()
    assert (a.pokok_terbayar, a.jatuh_tempo_belum_lunas) == (RP(250000), D(2012, 4, 15))
    tersimpan, riwayat = _kedua_jalan(lambda d: _posisi(a, d), D(2012, 11, 20))
    # due up to the write-off date: #1..#9 (15 Oct)
    assert tersimpan == riwayat == harapan(219, 750000, None, 900000)
    tersimpan, riwayat = _kedua_jalan(
        lambda d: selectors.ringkasan_portofolio(Bantuan.objects.all(), per_tanggal=d),
        D(2012, 11, 20),
    )
    assert tersimpan == riwayat
    assert tersimpan["outstanding"] == 0
    assert tersimpan["hapus_buku"] == {"jumlah_pinjaman": 1, "sisa_pokok": RP(950000)}
    assert tersimpan["kewajiban_jatuh_tempo"] == RP(900000)


def test_a_portfolio_of_two_worked_by_hand(personas, zakat):
    a = _ajukan_cair(
        personas, jumlah="1200000", tenor=12, pengajuan=D(2012, 1, 5), cair=D(2012, 1, 15),
        sumber_dana=zakat,
    )  # fmt: skip
    _bayar(personas, a, D(2012, 2, 15), "100000")
    _bayar(personas, a, D(2012, 3, 20), "150000")
    # Rp600.000 over 6 months from 1 June 2012: Rp100.000 due on the 1st, Jul .. Dec
    b = _ajukan_cair(
        personas, jumlah="600000", tenor=6, pengajuan=D(2012, 5, 20), cair=D(2012, 6, 1),
        sumber_dana=zakat,
    )  # fmt: skip
    _bayar(personas, b, D(2012, 7, 1), "100000")
    _bayar(personas, b, D(2012, 8, 1), "100000")
    d = D(2012, 8, 14)

    tersimpan, riwayat = _kedua_jalan(
        lambda d: selectors.ringkasan_portofolio(Bantuan.objects.all(), per_tanggal=d), d
    )
    assert tersimpan == riwayat
    # A: 950k left, 121 days past due (15 Apr) -> kol 4, in PAR30; B: 400k, current -> kol 1
    assert tersimpan["outstanding"] == RP(1350000)
    assert tersimpan["par30_sisa_pokok"] == RP(950000)
    assert tersimpan["par30"] == RP(950000) / RP(1350000)
    assert tersimpan["kolektibilitas"][4] == {
        "nama": "Diragukan",
        "jumlah_pinjaman": 1,
        "sisa_pokok": RP(950000),
    }
    assert tersimpan["kolektibilitas"][1]["sisa_pokok"] == RP(400000)
    # due by 14 Aug: A #1..#6 = 600k, B #1..#2 = 200k; collected 250k + 200k
    assert tersimpan["kewajiban_jatuh_tempo"] == RP(800000)
    assert tersimpan["terkumpul"] == RP(450000)
    assert tersimpan["tingkat_pengembalian"] == RP("0.5625")
    assert tersimpan["tunggakan"] == RP(350000)  # A: #1..#6 due before, 600k - 250k

    tersimpan, riwayat = _kedua_jalan(
        lambda d: selectors.urutan_tunggakan(Bantuan.objects.all(), per_tanggal=d), d
    )
    assert tersimpan == riwayat
    assert [r[0] for r in tersimpan["baris"]] == [a.pk]
    tersimpan, riwayat = _kedua_jalan(
        lambda d: [
            list(selectors.saring_kolektibilitas(Bantuan.objects.all(), k, per_tanggal=d))
            for k in range(1, 6)
        ],
        d,
    )
    assert tersimpan == riwayat == [[b], [], [], [a], []]


@pytest.mark.parametrize(
    ("cair", "batas", "termasuk", "n"),
    [
        (D(2012, 1, 31), D(2012, 2, 29), False, 0),  # due 29 Feb (clamped): on the day
        (D(2012, 1, 31), D(2012, 2, 29), True, 1),
        (D(2012, 1, 31), D(2012, 3, 1), False, 1),
        (D(2012, 1, 31), D(2012, 3, 31), True, 2),
        (D(2012, 1, 15), D(2012, 1, 20), True, 0),
        (D(2012, 1, 15), D(2013, 6, 1), True, 12),  # past the end: all of them
    ],
)
def test_instalments_due_by_a_date_worked_by_hand(cair, batas, termasuk, n):
    assert (
        jumlah_jatuh_tempo(tanggal_cair=cair, tenor_bulan=12, batas=batas, termasuk=termasuk) == n
    )


def test_schedule_sums_by_date_equal_the_schedule_rows():
    acak = random.Random(40)
    for _ in range(300):
        pokok = RP(acak.randrange(1, 80_000_000)) / acak.choice([1, 1, 100])
        tenor = acak.randrange(1, 61)
        cair = D(2011, 1, 1) + datetime.timedelta(days=acak.randrange(0, 1500))
        jadwal = hitung_jadwal(pokok=pokok, tenor_bulan=tenor, tanggal_cair=cair)
        for _ in range(5):
            batas = cair + datetime.timedelta(days=acak.randrange(-10, 1900))
            for termasuk in (False, True):
                sudah = [
                    c
                    for c in jadwal
                    if c.jatuh_tempo < batas or (termasuk and c.jatuh_tempo == batas)
                ]
                n = jumlah_jatuh_tempo(
                    tanggal_cair=cair, tenor_bulan=tenor, batas=batas, termasuk=termasuk
                )
                assert n == len(sudah)
                assert kumulatif_ke(pokok=pokok, tenor_bulan=tenor, ke=n) == (
                    sudah[-1].kumulatif if sudah else 0
                )


# --- random portfolios: the kept fields and the history agree ------------------------------


def _portofolio_acak(personas, seed: int) -> None:
    """Loans disbursed over the last three years; repayments (some backdated, out of order),
    reversals and write-offs through the services; loans from the revolving fund too."""
    acak = random.Random(seed)
    hari_ini = timezone.localdate()
    k = personas.klaster_lebak
    zakat = SumberDanaFactory(jenis=SumberDana.Jenis.ZAKAT)
    dana = SumberDanaFactory(jenis=SumberDana.Jenis.DANA_BERGULIR, klaster=k)
    kelompok = [personas.kelompok_lebak, KelompokFactory(klaster=k), KelompokFactory(klaster=k)]
    awal = hari_ini - datetime.timedelta(days=3 * 365)
    pinjaman = []
    for i in range(24):
        kel = acak.choice(kelompok)
        cair = awal + datetime.timedelta(days=acak.randrange(0, 3 * 365 - 30))
        tenor = acak.choice([3, 6, 10, 12, 18])
        jumlah = RP(acak.randrange(3, 40) * 100_000 + acak.choice([0, 0, 333]))
        penerima = (
            {"mitra": None, "kelompok": kel}
            if i % 5 == 0
            else {"mitra": MitraFactory(klaster=k, kelompok=kel)}
        )
        pinjaman.append(
            pinjaman_cair(
                tanggal_cair=cair, jumlah=jumlah, tenor_bulan=tenor, sumber_dana=zakat, **penerima
            )
        )
    # disbursed today, a grant, a proposal: nothing repaid, nothing overdue
    pinjaman_cair(mitra=MitraFactory(klaster=k), tanggal_cair=hari_ini, sumber_dana=zakat)
    BantuanFactory(
        mitra=None, kelompok=kelompok[1], jenis=Bantuan.Jenis.ASET, sumber_dana=zakat,
        status=Bantuan.Status.DICAIRKAN, tanggal_pengajuan=awal, tanggal_cair=awal,
    )  # fmt: skip
    BantuanFactory(mitra=MitraFactory(klaster=k), sumber_dana=zakat, tanggal_pengajuan=hari_ini)
    peristiwa = []
    for b in pinjaman:
        t = b.tanggal_cair
        for _ in range(acak.randrange(0, 14)):
            t += datetime.timedelta(days=acak.randrange(10, 60))
            if t > hari_ini:
                break
            peristiwa.append((acak.random(), "bayar", b, t))
    acak.shuffle(peristiwa)  # recorded in any order: many are backdated
    dari_dana = []
    for _urut, _jenis, b, t in peristiwa:
        b.refresh_from_db()
        sisa = b.jumlah - b.pokok_terbayar
        if b.status != Bantuan.Status.DICAIRKAN or sisa <= 0 or t < b.tanggal_cair:
            continue
        jumlah = min(sisa, RP(acak.randrange(1, 5) * 50_000))
        a = services.angsuran_catat(bantuan=b, jumlah=jumlah, tanggal=t, oleh=personas.fasilitator)
        if acak.random() < 0.12:
            services.angsuran_koreksi(angsuran=a, oleh=personas.manajer, alasan="salah catat")
        elif acak.random() < 0.15 and b.tanggal_cair < hari_ini - datetime.timedelta(days=60):
            # re-lend repaid money from the fund, backdated between earlier events
            tanggal = min(hari_ini, t + datetime.timedelta(days=acak.randrange(0, 30)))
            saldo = min(
                selectors.dana_bergulir(k, per_tanggal=tanggal)["saldo"],
                selectors.dana_bergulir(k, per_tanggal=hari_ini)["saldo"],
            )
            if saldo >= 100_000:
                baru = services.bantuan_ajukan(
                    oleh=personas.fasilitator, klaster=k, jenis=Bantuan.Jenis.MODAL_BERGULIR,
                    sumber_dana=dana, jumlah=min(saldo, RP(acak.randrange(1, 8) * 100_000)),
                    tanggal_pengajuan=tanggal, mitra=MitraFactory(klaster=k, kelompok=kel),
                    tenor_bulan=6,
                )  # fmt: skip
                services.bantuan_setujui(bantuan=baru, oleh=personas.manajer, tanggal=tanggal)
                services.bantuan_cairkan(bantuan=baru, oleh=personas.manajer, tanggal_cair=tanggal)
                dari_dana.append(baru)
    # the re-loans repay too, on dates before other disbursements from the fund
    for b in dari_dana:
        for _ in range(acak.randrange(1, 4)):
            b.refresh_from_db()
            t = b.tanggal_cair + datetime.timedelta(days=acak.randrange(0, 200))
            if b.status == Bantuan.Status.DICAIRKAN and t <= hari_ini:
                services.angsuran_catat(
                    bantuan=b, jumlah=min(b.jumlah - b.pokok_terbayar, RP(100_000)), tanggal=t,
                    oleh=personas.fasilitator,
                )  # fmt: skip
    for b in acak.sample(pinjaman, 3):
        b.refresh_from_db()
        if b.status == Bantuan.Status.DICAIRKAN:
            terakhir = max([b.tanggal_cair, *b.angsuran.values_list("tanggal", flat=True)])
            services.bantuan_hapus_buku(
                bantuan=b, oleh=personas.manajer, alasan="uji",
                tanggal=min(hari_ini, terakhir + datetime.timedelta(days=acak.randrange(0, 90))),
            )  # fmt: skip


def _sama(a, b):
    """Positions (objects with __slots__ or model rows) compared attribute by attribute."""
    if isinstance(a, list):
        assert len(a) == len(b)
        for x, y in zip(a, b, strict=True):
            _sama(x, y)
    elif isinstance(a, selectors._Posisi):
        assert {s: getattr(a, s) for s in a.__slots__} == {s: getattr(b, s) for s in b.__slots__}
    else:
        assert a == b


def _riwayat(monkeypatch):
    """From here on, today's figures come from the instalments too."""
    monkeypatch.setattr(selectors, "_tersimpan", lambda per_tanggal: False)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_kept_fields_and_history_agree_on_random_loans(personas, monkeypatch, seed):
    _portofolio_acak(personas, seed)
    hari_ini = timezone.localdate()
    semua = Bantuan.objects.all()
    # the services kept exactly what the entries give
    dari_riwayat = posisi.posisi_dari_riwayat(semua)
    assert {
        pk: (t, j)
        for pk, t, j in semua.values_list("pk", "pokok_terbayar", "jatuh_tempo_belum_lunas")
    } == dari_riwayat
    klaster_ids = list(Klaster.objects.values_list("pk", flat=True))
    assert dict(
        semua.filter(generasi__isnull=False).values_list("pk", "generasi")
    ) == posisi.generasi_hitung(klaster_ids)
    assert Angsuran.objects.filter(jumlah__lt=0).exists()
    assert semua.filter(status=Bantuan.Status.DIHAPUSBUKUKAN).exists()

    def semua_angka():
        bantuan = Bantuan.objects.order_by("pk")
        return {
            "posisi": sorted(
                selectors._posisi_massal(bantuan, per_tanggal=hari_ini, kelompok=True),
                key=lambda p: p.pk,
            ),
            "anotasi": [
                (
                    b.pk,
                    b.terbayar,
                    b.sisa_pokok,
                    b.jatuh_tempo_tertunggak,
                    b.tunggakan,
                    b.kewajiban_lewat,
                    b.kewajiban_jatuh_tempo,
                    b.terkumpul,
                    b.kolektibilitas,
                )
                for b in selectors.anotasi_posisi(bantuan, per_tanggal=hari_ini)
            ],  # fmt: skip
            "lengkap": selectors.portofolio_lengkap(bantuan, per_tanggal=hari_ini),
            "ringkasan": selectors.ringkasan_portofolio(bantuan, per_tanggal=hari_ini),
            "urutan": selectors.urutan_tunggakan(bantuan, per_tanggal=hari_ini),
            "total": selectors.total_daftar(bantuan, per_tanggal=hari_ini),
            "kolektibilitas": [
                sorted(
                    selectors.saring_kolektibilitas(bantuan, k, per_tanggal=hari_ini).values_list(
                        "pk", flat=True
                    )
                )
                for k in range(1, 6)
            ],
            "per_kelompok": selectors.tunggakan_per_kelompok(
                Kelompok.objects.all(), per_tanggal=hari_ini
            ),
            "dana": list(
                selectors.dana_bergulir_per_klaster(
                    Klaster.objects.order_by("pk"), per_tanggal=hari_ini
                ).values("pk", "bergulir_masuk", "bergulir_keluar", "bergulir_saldo")
            ),
            "sisa": [selectors.sisa_pokok(b, per_tanggal=hari_ini) for b in bantuan],
        }

    tersimpan = semua_angka()
    _riwayat(monkeypatch)
    riwayat = semua_angka()
    for nama in tersimpan:
        _sama(tersimpan[nama], riwayat[nama])
    # the data reach every case: arrears in several classes, paid off, written off
    kelas = {p.kolektibilitas for p in tersimpan["posisi"]}
    assert {None, 1} <= kelas and len(kelas - {None, 1}) >= 2, kelas
    assert max(dict(semua.values_list("pk", "generasi")).values(), key=lambda g: g or 0) >= 2


# --- pages read today's kept figures --------------------------------------------------------


@pytest.fixture
def pinjaman(personas):
    """A loan disbursed 70 days ago, nothing paid: two instalments overdue."""
    hari_ini = timezone.localdate()
    return pinjaman_cair(
        mitra=MitraFactory(klaster=personas.klaster_lebak, kelompok=personas.kelompok_lebak),
        jumlah="1200000",
        tanggal_cair=hari_ini - datetime.timedelta(days=70),
        sumber_dana=SumberDanaFactory(jenis=SumberDana.Jenis.ZAKAT),
    )


def _angka(client):
    daftar = client.get(reverse("bantuan:list")).context
    portofolio = client.get(reverse("bantuan:portofolio")).context
    tunggakan = client.get(reverse("bantuan:tunggakan")).context
    return (
        daftar["total"]["sisa_pokok"],
        portofolio["ringkasan"]["outstanding"],
        tunggakan["total_tunggakan"],
    )


def test_a_new_instalment_and_its_correction_show_on_the_next_request(client, personas, pinjaman):
    client.force_login(personas.manajer)
    sebelum = _angka(client)
    assert sebelum == (RP(1200000), RP(1200000), RP(200000))
    a = services.angsuran_catat(
        bantuan=pinjaman, jumlah=RP(100000), tanggal=timezone.localdate(), oleh=personas.fasilitator
    )
    assert _angka(client) == (RP(1100000), RP(1100000), RP(100000))
    services.angsuran_koreksi(angsuran=a, oleh=personas.manajer, alasan="salah catat")
    assert _angka(client) == sebelum


def test_figures_stay_in_the_users_scope(client, personas, pinjaman):
    client.force_login(personas.manajer)
    assert client.get(reverse("bantuan:list")).context["total"]["jumlah_bantuan"] == 1
    client.force_login(personas.fasilitator2)
    assert client.get(reverse("bantuan:list")).context["total"]["jumlah_bantuan"] == 0
    r = client.get(reverse("bantuan:tunggakan"))
    assert r.context["jumlah_penunggak"] == 0 and pinjaman.nomor not in r.content.decode()
    r = client.get(reverse("bantuan:portofolio"))
    assert r.context["ringkasan"]["jumlah_pinjaman"] == 0


def test_arrears_are_paginated_with_totals_for_all(client, personas):
    hari_ini = timezone.localdate()
    zakat = SumberDanaFactory(jenis=SumberDana.Jenis.ZAKAT)
    for i in range(55):
        pinjaman_cair(
            mitra=MitraFactory(klaster=personas.klaster_lebak, kelompok=personas.kelompok_lebak),
            jumlah="1200000",
            tanggal_cair=hari_ini - datetime.timedelta(days=40 + i),
            sumber_dana=zakat,
        )
    client.force_login(personas.manajer)
    r = client.get(reverse("bantuan:tunggakan"))
    assert r.context["jumlah_penunggak"] == 55
    assert len(r.context["baris"]) == 50
    hari = [b.hari_tunggakan for b in r.context["baris"]]
    assert hari == sorted(hari, reverse=True)
    r2 = client.get(reverse("bantuan:tunggakan"), {"halaman": 2})
    assert len(r2.context["baris"]) == 5
    assert r2.context["baris"][0].hari_tunggakan <= hari[-1]
    semua = r.context["baris"] + r2.context["baris"]
    assert r.context["total_tunggakan"] == sum((b.tunggakan for b in semua), RP(0))
    assert "halaman=2" in r.content.decode()


def test_portfolio_per_kelompok_table_is_paginated(client, personas):
    hari_ini = timezone.localdate()
    zakat = SumberDanaFactory(jenis=SumberDana.Jenis.ZAKAT)
    for _ in range(52):
        pinjaman_cair(
            kelompok=KelompokFactory(klaster=personas.klaster_lebak),
            mitra=None,
            tanggal_cair=hari_ini - datetime.timedelta(days=10),
            sumber_dana=zakat,
        )
    client.force_login(personas.manajer)
    r = client.get(reverse("bantuan:portofolio"))
    assert len(r.context["per_kelompok"]) == 50
    assert r.context["halaman"].paginator.count == 52
    assert r.context["ringkasan"]["jumlah_pinjaman"] == 52  # totals cover every kelompok
    r2 = client.get(reverse("bantuan:portofolio"), {"halaman": 2})
    assert len(r2.context["per_kelompok"]) == 2


def test_list_kolektibilitas_filter_moves_with_a_payment(client, personas, pinjaman):
    client.force_login(personas.manajer)
    r = client.get(reverse("bantuan:list"), {"kolektibilitas": "2"})
    assert [b.pk for b in r.context["bantuan_list"]] == [pinjaman.pk]
    assert r.context["total"]["tunggakan"] == RP(200000)
    assert (
        client.get(reverse("bantuan:list"), {"kolektibilitas": "1"}).context["bantuan_list"] == []
    )
    # a payment that clears the arrears moves it to kolektibilitas 1 at once
    services.angsuran_catat(
        bantuan=pinjaman, jumlah=RP(200000), tanggal=timezone.localdate(), oleh=personas.fasilitator
    )
    r = client.get(reverse("bantuan:list"), {"kolektibilitas": "1"})
    assert [b.pk for b in r.context["bantuan_list"]] == [pinjaman.pk]
    assert (
        client.get(reverse("bantuan:list"), {"kolektibilitas": "2"}).context["bantuan_list"] == []
    )


def test_saving_an_instance_read_earlier_leaves_the_kept_position_alone(personas, pinjaman):
    lama = Bantuan.objects.get(pk=pinjaman.pk)  # e.g. an admin form opened before
    services.angsuran_catat(
        bantuan=pinjaman, jumlah=RP(100000), tanggal=timezone.localdate(), oleh=personas.fasilitator
    )
    lama.tujuan = "Modal warung kelontong"
    lama.save()
    baru = Bantuan.objects.get(pk=pinjaman.pk)
    assert (baru.tujuan, baru.pokok_terbayar) == ("Modal warung kelontong", RP(100000))
    assert baru.jatuh_tempo_belum_lunas == pinjaman.jadwal.order_by("ke")[1].jatuh_tempo

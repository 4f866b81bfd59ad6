"""The selectors and the portfolio page against a plain-Python computation on random data."""

import datetime
import random
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from bantuan import selectors, services
from bantuan.jadwal import hitung_jadwal
from bantuan.models import Angsuran, Bantuan, SumberDana
from bantuan.tests.factories import SumberDanaFactory, pinjaman_cair
from mitra.tests.factories import MitraFactory
from tests.dunia import sekali_per_modul
from tests.personas import buat_personas

D = datetime.date


def hitung_manual(per: datetime.date) -> dict:
    """Independent: schedules recomputed with hitung_jadwal, payments summed in Python."""
    bayar = {}
    for a in Angsuran.objects.all():
        if a.tanggal <= per:
            bayar[a.bantuan_id] = bayar.get(a.bantuan_id, Decimal(0)) + a.jumlah
    outstanding = par30 = kewajiban = terkumpul = Decimal(0)
    kol = {k: [0, Decimal(0)] for k in range(1, 6)}
    tunggak = {}
    total_tunggakan = Decimal(0)
    for b in Bantuan.objects.filter(jenis="modal_bergulir", tanggal_cair__isnull=False):
        if b.tanggal_cair > per:
            continue
        dibayar = bayar.get(b.pk, Decimal(0))
        sisa = b.jumlah - dibayar
        jadwal = hitung_jadwal(
            pokok=b.jumlah, tenor_bulan=b.tenor_bulan, tanggal_cair=b.tanggal_cair
        )
        batas_due = (
            min(per, b.tanggal_hapus_buku)
            if b.tanggal_hapus_buku and b.tanggal_hapus_buku <= per
            else per
        )
        due = sum((c.jumlah for c in jadwal if c.jatuh_tempo <= batas_due), Decimal(0))
        kewajiban += due
        terkumpul += min(dibayar, due)
        if (b.tanggal_hapus_buku and b.tanggal_hapus_buku <= per) or sisa <= 0:
            continue
        hari = 0
        for c in jadwal:
            if c.jatuh_tempo < per and c.kumulatif > dibayar:
                hari = (per - c.jatuh_tempo).days
                break
        outstanding += sisa
        if hari > 30:
            par30 += sisa
        k = 1 if hari == 0 else 2 if hari <= 90 else 3 if hari <= 120 else 4 if hari <= 180 else 5
        kol[k][0] += 1
        kol[k][1] += sisa
        if hari:
            tunggak[b.pk] = hari
            lewat = sum((c.jumlah for c in jadwal if c.jatuh_tempo < per), Decimal(0))
            total_tunggakan += lewat - dibayar
    return {
        "outstanding": outstanding,
        "par30": par30 / outstanding if outstanding else None,
        "kol": kol,
        "tingkat": terkumpul / kewajiban if kewajiban else None,
        "tunggak": tunggak,
        "total_tunggakan": total_tunggakan,
    }


@pytest.fixture(scope="class")
def _portofolio_kelas(django_db_setup, django_db_blocker):
    """The random portfolio, built once for TestPortofolioAcak and rolled back at its end;
    each test reads it in a savepoint of its own (tests/dunia.py)."""
    with sekali_per_modul(django_db_blocker):
        personas = buat_personas()
        _bangun_portofolio_acak(personas)
        yield personas


@pytest.fixture
def portofolio_acak(_portofolio_kelas, db):
    """The personas, with 40 random loans and their instalments in the Lebak klaster."""
    return _portofolio_kelas


def _bangun_portofolio_acak(personas):
    rng = random.Random(20120101)
    k = personas.klaster_lebak
    zakat = SumberDanaFactory(jenis=SumberDana.Jenis.ZAKAT)
    for _ in range(40):
        cair = D(2011, 6, 1) + datetime.timedelta(days=rng.randrange(0, 900))
        jumlah = Decimal(rng.randrange(5, 60) * 100000 + rng.randrange(0, 1000))
        tenor = rng.choice([7, 10, 12, 18, 24])
        b = pinjaman_cair(
            mitra=MitraFactory(klaster=k, kelompok=personas.kelompok_lebak),
            jumlah=jumlah,
            tenor_bulan=tenor,
            tanggal_cair=cair,
            sumber_dana=zakat,
        )
        sisa, t = jumlah, cair
        for _ in range(rng.randrange(0, tenor + 1)):
            t += datetime.timedelta(days=rng.randrange(20, 70))
            x = min(sisa, Decimal(rng.randrange(1, 4)) * (jumlah / tenor).quantize(Decimal(1)))
            if x <= 0:
                break
            Angsuran.objects.create(bantuan=b, tanggal=t, jumlah=x)
            sisa -= x
        if rng.random() < 0.1 and sisa > 0:
            b.status = Bantuan.Status.DIHAPUSBUKUKAN
            b.tanggal_hapus_buku = t + datetime.timedelta(days=200)
            b.alasan = "uji"
            b.save()


class TestPortofolioAcak:
    """The random portfolio is built once for these tests (a class, so that it is rolled
    back before the tests below, which build their own klaster)."""

    @pytest.mark.parametrize("per", [D(2012, 1, 1), D(2012, 12, 31), D(2013, 6, 30), D(2014, 3, 6)])
    def test_selectors_match_an_independent_computation(self, portofolio_acak, per):
        manual = hitung_manual(per)
        r = selectors.ringkasan_portofolio(Bantuan.objects.all(), per_tanggal=per)
        assert r["outstanding"] == manual["outstanding"]
        assert r["par30"] == manual["par30"]
        assert r["tingkat_pengembalian"] == manual["tingkat"]
        for k in range(1, 6):
            assert [
                r["kolektibilitas"][k]["jumlah_pinjaman"],
                r["kolektibilitas"][k]["sisa_pokok"],
            ] == manual["kol"][k]
        daftar = selectors.daftar_tunggakan(Bantuan.objects.all(), per_tanggal=per)
        assert {b.pk: b.hari_tunggakan for b in daftar} == manual["tunggak"]
        assert sum(b.tunggakan for b in daftar) == manual["total_tunggakan"]
        assert [b.hari_tunggakan for b in daftar] == sorted(
            manual["tunggak"].values(), reverse=True
        )

    def test_portfolio_page_for_a_past_date_shows_the_independent_figures(
        self, client, portofolio_acak
    ):
        from klaster.format import format_persen, format_rupiah

        personas = portofolio_acak

        per = D(2013, 6, 30)
        manual = hitung_manual(per)
        client.force_login(personas.manajer)
        r = client.get(reverse("bantuan:portofolio"), {"per_tanggal": per.isoformat()})
        html = r.content.decode()
        assert r.context["ringkasan"]["outstanding"] == manual["outstanding"]
        assert f'id="outstanding">{format_rupiah(manual["outstanding"])}<' in html
        assert f'id="par30">{format_persen(manual["par30"])}<' in html
        for k in range(1, 6):
            assert r.context["ringkasan"]["kolektibilitas"][k]["sisa_pokok"] == manual["kol"][k][1]
        r = client.get(reverse("bantuan:tunggakan"), {"per_tanggal": per.isoformat()})
        baris = r.context["baris"]
        assert {b.pk: b.hari_tunggakan for b in baris} == manual["tunggak"]
        assert [b.hari_tunggakan for b in baris] == sorted(manual["tunggak"].values(), reverse=True)
        assert (
            f'id="total-tunggakan">{format_rupiah(manual["total_tunggakan"])}<'
            in r.content.decode()
        )


def _pinjaman_di(klaster, kelompok, sumber, rng, n):
    for _ in range(n):
        cair = D(2011, 6, 1) + datetime.timedelta(days=rng.randrange(0, 900))
        jumlah = Decimal(rng.randrange(5, 60) * 100000)
        b = pinjaman_cair(
            mitra=MitraFactory(klaster=klaster, kelompok=kelompok),
            jumlah=jumlah,
            tenor_bulan=rng.choice([10, 12]),
            tanggal_cair=cair,
            sumber_dana=sumber,
        )
        for i in range(rng.randrange(0, 6)):
            Angsuran.objects.create(
                bantuan=b, tanggal=cair + datetime.timedelta(days=30 * (i + 1)), jumlah=jumlah / 10
            )


@pytest.mark.parametrize("per", [None, D(2013, 6, 30)])
def test_portfolio_page_over_two_klaster_is_the_whole_computed_at_once(client, personas, per):
    """The page merges the parts kept per klaster (bantuan.selectors.portofolio_halaman):
    its every table equals portofolio_lengkap over all loans at once, before and after an
    instalment recorded in one klaster."""
    from tests.test_anggaran_kueri import _nasional

    rng = random.Random(7)
    zakat = SumberDanaFactory(jenis=SumberDana.Jenis.ZAKAT)
    _pinjaman_di(personas.klaster_lebak, personas.kelompok_lebak, zakat, rng, 12)
    _pinjaman_di(personas.klaster_lain, None, zakat, rng, 8)  # same fund, no kelompok
    client.force_login(_nasional())
    params = {"per_tanggal": per.isoformat()} if per else {}
    d = per or timezone.localdate()
    for putaran in range(2):
        r = client.get(reverse("bantuan:portofolio"), params)
        utuh = selectors.portofolio_lengkap(Bantuan.objects.all(), per_tanggal=d)
        assert r.context["ringkasan"] == utuh["ringkasan"]
        assert r.context["halaman"].paginator.object_list == utuh["per_kelompok"]
        assert r.context["per_sumber_dana"] == utuh["per_sumber_dana"]
        assert r.context["generasi"] == selectors.ringkasan_generasi(
            [personas.klaster_lebak.pk, personas.klaster_lain.pk], per_tanggal=d
        )
        if putaran == 0:  # an instalment in Lebak, through the service
            b = Bantuan.objects.filter(klaster=personas.klaster_lebak).order_by("pk").first()
            services.angsuran_catat(
                bantuan=b,
                jumlah=Decimal("12345"),
                tanggal=b.tanggal_cair + datetime.timedelta(days=3),
                oleh=personas.manajer,
            )

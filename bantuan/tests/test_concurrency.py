"""Twenty facilitators post repayments on one loan at the same moment (PostgreSQL)."""

import datetime
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from bantuan import services
from bantuan.models import Angsuran, Bantuan
from bantuan.tests.factories import pinjaman_cair
from klaster.models import Penugasan
from klaster.tests.factories import KlasterFactory, PenugasanFactory, UserFactory
from mitra.tests.factories import MitraFactory

JUMLAH_THREAD = 20


@pytest.fixture(autouse=True)
def _grup_peran(transactional_db):
    # a transactional test flushes the tables, including the groups made by a migration
    from django.contrib.auth.models import Group

    for nama in ("Fasilitator", "Manajer Program"):
        Group.objects.get_or_create(name=nama)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_repayments_never_exceed_the_principal():
    klaster = KlasterFactory()
    petugas = []
    for i in range(JUMLAH_THREAD):
        u = UserFactory(username=f"fasil{i}", grup="Fasilitator")
        PenugasanFactory(pengguna=u, klaster=klaster, peran=Penugasan.Peran.FASILITATOR)
        petugas.append(u)
    # Rp1.000.000; each thread posts Rp150.000, so at most 6 fit (Rp900.000) and the 7th
    # could only pay the last Rp100.000: most posts must be refused
    b = pinjaman_cair(mitra=MitraFactory(klaster=klaster), tanggal_cair=datetime.date(2012, 1, 1))
    mulai = threading.Barrier(JUMLAH_THREAD)
    hasil, lock = [], threading.Lock()

    def bayar(user):
        try:
            mulai.wait()
            services.angsuran_catat(
                bantuan=b, jumlah=Decimal("150000"), tanggal=datetime.date(2012, 2, 1), oleh=user
            )
            r = ("ok", None)
        except ValidationError as e:
            r = ("ditolak", " ".join(e.messages))
        except Exception as e:  # noqa: BLE001 (any other failure is a test failure below)
            r = ("galat", repr(e))
        finally:
            connection.close()
        with lock:
            hasil.append(r)

    threads = [threading.Thread(target=bayar, args=(u,)) for u in petugas]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)

    assert len(hasil) == JUMLAH_THREAD
    assert [r for r in hasil if r[0] == "galat"] == []
    diterima = [r for r in hasil if r[0] == "ok"]
    ditolak = [r for r in hasil if r[0] == "ditolak"]
    assert len(diterima) == 6
    total = sum(a.jumlah for a in Angsuran.objects.filter(bantuan=b))
    assert total == Decimal("900000") <= b.jumlah
    # every refused post says why and what is still owed
    assert len(ditolak) == JUMLAH_THREAD - 6
    assert all("melebihi sisa pokok Rp100.000,00" in pesan for _s, pesan in ditolak)
    assert Bantuan.objects.get(pk=b.pk).status == Bantuan.Status.DICAIRKAN


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_exact_payoffs_mark_lunas_once():
    klaster = KlasterFactory()
    users = []
    for i in range(JUMLAH_THREAD):
        u = UserFactory(username=f"lunas{i}", grup="Fasilitator")
        PenugasanFactory(pengguna=u, klaster=klaster, peran=Penugasan.Peran.FASILITATOR)
        users.append(u)
    b = pinjaman_cair(
        mitra=MitraFactory(klaster=klaster), jumlah="500000", tanggal_cair=datetime.date(2012, 1, 1)
    )
    mulai = threading.Barrier(JUMLAH_THREAD)
    pesan, lock = [], threading.Lock()

    def lunasi(user):
        try:
            mulai.wait()
            services.angsuran_catat(
                bantuan=b, jumlah=Decimal("500000"), tanggal=datetime.date(2012, 2, 1), oleh=user
            )
            r = "ok"
        except ValidationError as e:
            r = " ".join(e.messages)
        finally:
            connection.close()
        with lock:
            pesan.append(r)

    threads = [threading.Thread(target=lunasi, args=(u,)) for u in users]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert pesan.count("ok") == 1
    assert all("sudah lunas" in p for p in pesan if p != "ok")
    assert sum(a.jumlah for a in Angsuran.objects.filter(bantuan=b)) == Decimal("500000")
    assert Bantuan.objects.get(pk=b.pk).status == Bantuan.Status.LUNAS


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_proposals_get_distinct_numbers():
    from bantuan.models import SumberDana
    from bantuan.tests.factories import SumberDanaFactory

    klaster = KlasterFactory()
    zakat = SumberDanaFactory(jenis=SumberDana.Jenis.ZAKAT)
    users = []
    for i in range(10):
        u = UserFactory(username=f"aju{i}", grup="Fasilitator")
        PenugasanFactory(pengguna=u, klaster=klaster, peran=Penugasan.Peran.FASILITATOR)
        users.append(u)
    mitra = MitraFactory(klaster=klaster)
    mulai = threading.Barrier(len(users))
    galat, lock = [], threading.Lock()

    def ajukan(user):
        try:
            mulai.wait()
            services.bantuan_ajukan(
                oleh=user,
                klaster=klaster,
                jenis=Bantuan.Jenis.MODAL_BERGULIR,
                sumber_dana=zakat,
                jumlah=Decimal("1000000"),
                tanggal_pengajuan=datetime.date(2012, 5, 1),
                mitra=mitra,
                tenor_bulan=12,
            )
        except Exception as e:  # noqa: BLE001
            with lock:
                galat.append(repr(e))
        finally:
            connection.close()

    threads = [threading.Thread(target=ajukan, args=(u,)) for u in users]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert galat == []
    nomor = sorted(Bantuan.objects.filter(klaster=klaster).values_list("nomor", flat=True))
    assert nomor == [f"BTN-2012-{i:04d}" for i in range(1, 11)]

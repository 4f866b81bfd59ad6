"""Twenty facilitators post repayments on one loan at the same moment (PostgreSQL)."""

import datetime
import threading
import time
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


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_backdated_writes_keep_positions_and_generations_exact():
    """Backdated repayments, two-loan visits in opposite orders and disbursements from the
    fund at once: nobody deadlocks, and what the loans keep equals what the entries give."""
    from django.db import transaction

    from bantuan import posisi
    from bantuan.models import SumberDana
    from bantuan.tests.factories import SumberDanaFactory

    klaster = KlasterFactory()
    dana = SumberDanaFactory(jenis=SumberDana.Jenis.DANA_BERGULIR, klaster=klaster)
    manajer = UserFactory(username="manajer_paralel", grup="Manajer Program")
    PenugasanFactory(pengguna=manajer, klaster=klaster, peran=Penugasan.Peran.MANAJER)
    petugas = []
    for i in range(8):
        u = UserFactory(username=f"mundur{i}", grup="Fasilitator")
        PenugasanFactory(pengguna=u, klaster=klaster, peran=Penugasan.Peran.FASILITATOR)
        petugas.append(u)
    D = datetime.date
    pinjaman = [
        pinjaman_cair(
            mitra=MitraFactory(klaster=klaster),
            tanggal_cair=D(2012, 1, 1),
            bayar=[(D(2012, 1, 20), "200000")],
        )
        for _ in range(8)
    ]
    disetujui = []
    for _ in range(3):
        b = services.bantuan_ajukan(
            oleh=petugas[0], klaster=klaster, jenis=Bantuan.Jenis.MODAL_BERGULIR, sumber_dana=dana,
            jumlah=Decimal("300000"), tanggal_pengajuan=D(2012, 2, 1),
            mitra=MitraFactory(klaster=klaster), tenor_bulan=6,
        )  # fmt: skip
        disetujui.append(services.bantuan_setujui(bantuan=b, oleh=manajer, tanggal=D(2012, 2, 1)))
    tugas = []
    for i, u in enumerate(petugas):
        # visits 2k and 2k+1 post instalments on the same two loans, in opposite orders,
        # each in one transaction: without one lock taken first they would deadlock
        a, b = pinjaman[i - i % 2], pinjaman[i - i % 2 + 1]
        urutan = (a, b) if i % 2 == 0 else (b, a)
        tanggal = D(2012, 2 + i % 4, 10 + i)

        def kunjungan(u=u, urutan=urutan, tanggal=tanggal):
            with transaction.atomic():
                for x in urutan:
                    services.angsuran_catat_di_transaksi(
                        bantuan=x, jumlah=Decimal("50000"), tanggal=tanggal, oleh=u
                    )
                    time.sleep(0.2)

        tugas.append(kunjungan)
    for i, b in enumerate(disetujui):
        tugas.append(
            lambda b=b, i=i: services.bantuan_cairkan(
                bantuan=b, oleh=manajer, tanggal_cair=D(2012, 2 + i, 15)
            )
        )
    mulai = threading.Barrier(len(tugas))
    galat, lock = [], threading.Lock()

    def jalankan(fungsi):
        try:
            mulai.wait()
            fungsi()
        except Exception as e:  # noqa: BLE001 (any failure is a test failure below)
            with lock:
                galat.append(repr(e))
        finally:
            connection.close()

    threads = [threading.Thread(target=jalankan, args=(f,)) for f in tugas]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert galat == []
    semua = Bantuan.objects.filter(klaster=klaster)
    assert {
        pk: (t, j)
        for pk, t, j in semua.values_list("pk", "pokok_terbayar", "jatuh_tempo_belum_lunas")
    } == posisi.posisi_dari_riwayat(semua)
    assert dict(
        semua.filter(generasi__isnull=False).values_list("pk", "generasi")
    ) == posisi.generasi_hitung([klaster.pk])
    assert semua.filter(status=Bantuan.Status.DICAIRKAN, sumber_dana=dana).count() == 3

"""The same visit sent several times at the same moment (PostgreSQL): one visit."""

import threading
import uuid
from decimal import Decimal

import pytest
from django.db import connection

from bantuan.models import Angsuran
from kunjungan import services
from kunjungan.models import Kunjungan
from kunjungan.tests.kunjungan_data import beri_pinjaman, hari_ini, kelompok_dengan_anggota
from mitra.models import PengukuranPendapatan

JUMLAH_THREAD = 8


@pytest.fixture(autouse=True)
def _grup_peran(transactional_db):
    # a transactional test flushes the tables, including the groups made by a migration
    from django.contrib.auth.models import Group

    for nama in ("Fasilitator", "Manajer Program"):
        Group.objects.get_or_create(name=nama)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_sends_of_one_uuid_make_one_visit(personas):
    kelompok, anggota = kelompok_dengan_anggota(personas.klaster_lebak, 3)
    pinjaman = beri_pinjaman(personas, anggota[0])
    u = uuid.uuid4()
    mulai = threading.Barrier(JUMLAH_THREAD)
    hasil, lock = [], threading.Lock()

    def kirim():
        try:
            mulai.wait()
            k = services.kunjungan_catat(
                oleh=personas.fasilitator,
                uuid=u,
                kelompok=kelompok,
                tanggal=hari_ini(),
                jenis_kegiatan="penagihan",
                hadir=anggota,
                pendapatan={anggota[1].pk: Decimal("800000")},
                angsuran={anggota[0].pk: Decimal("100000")},
            )
            r = ("ok", k.pk)
        except Exception as e:  # noqa: BLE001 (any failure is a test failure below)
            r = ("galat", repr(e))
        finally:
            connection.close()
        with lock:
            hasil.append(r)

    threads = [threading.Thread(target=kirim) for _ in range(JUMLAH_THREAD)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)

    assert [r for r in hasil if r[0] == "galat"] == []
    assert len({pk for _s, pk in hasil}) == 1  # every send answered with the same visit
    assert Kunjungan.objects.count() == 1
    assert Angsuran.objects.filter(bantuan=pinjaman).count() == 1
    assert PengukuranPendapatan.objects.count() == 1
    assert Kunjungan.objects.get().hadir.count() == 3

"""The activity section after a write to visits recomputes only the months that write
touched (laporan.cache_bagian._kegiatan), and stays exactly equal to the full computation
(selectors.kegiatan) and to an independent count."""

import datetime

import pytest
from django.core.cache import cache

from klaster.models import Klaster
from kunjungan.models import Kunjungan
from kunjungan.tests.factories import KunjunganFactory
from laporan import cache_bagian, selectors
from mitra.tests.factories import MitraFactory

HARI_INI = datetime.date(2024, 6, 20)
JAN, FEB, MAR, APR, JUN = (datetime.date(2024, m, 1) for m in (1, 2, 3, 4, 6))


@pytest.fixture
def bulan_dihitung(monkeypatch):
    """The `bulan` argument of every call to selectors.kegiatan_baris (None: all months)."""
    panggilan = []
    asli = selectors.kegiatan_baris

    def catat(s, bulan=None):
        panggilan.append(None if bulan is None else sorted(bulan))
        return asli(s, bulan)

    monkeypatch.setattr(selectors, "kegiatan_baris", catat)
    cache.clear()
    yield panggilan
    cache.clear()


def _saringan(user, per_tanggal=HARI_INI):
    return selectors.Saringan(
        klaster=Klaster.objects.visible_to(user), sampai=HARI_INI, per_tanggal=per_tanggal
    )


def _bagian(s):
    versi = cache_bagian.versi_bagian(s.klaster.order_by().values("pk"))
    return cache_bagian.ambil(s, ["kegiatan"], versi)["kegiatan"]


def _hitung_sendiri(s) -> dict:
    """Visits, members present and members at the visit date, counted visit by visit."""
    n = hadir = anggota = 0
    for k in Kunjungan.objects.filter(klaster__in=s.klaster_ids(), tanggal__lte=s.sampai):
        n += 1
        if k.kelompok is None:
            continue
        pada_tanggal = {
            m.pk
            for m in k.kelompok.anggota.all()
            if m.tanggal_bergabung <= k.tanggal
            and (m.tanggal_keluar is None or m.tanggal_keluar >= k.tanggal)
        }
        anggota += len(pada_tanggal)
        hadir += len(pada_tanggal & set(k.hadir.values_list("pk", flat=True)))
    return {"n": n, "hadir": hadir, "anggota": anggota}


def _sama_dengan_penuh(s, bulan_dihitung) -> dict:
    bagian = _bagian(s)
    n = len(bulan_dihitung)
    assert bagian == selectors.kegiatan(s)
    del bulan_dihitung[n:]  # the full computation's own call is not the cache's
    sendiri = _hitung_sendiri(s)
    assert (bagian["n"], bagian["hadir"], bagian["anggota"]) == (
        sendiri["n"],
        sendiri["hadir"],
        sendiri["anggota"],
    )
    return bagian


@pytest.fixture
def kunjungan(personas):
    """Visits in January to April by two facilitators, with attendance and follow-ups;
    one member joins in March, one leaves in February."""
    kelompok = personas.kelompok_lebak
    lama = MitraFactory.create_batch(
        3, kelompok=kelompok, tanggal_bergabung=datetime.date(2023, 1, 1)
    )
    keluar = MitraFactory(
        kelompok=kelompok,
        tanggal_bergabung=datetime.date(2023, 1, 1),
        tanggal_keluar=datetime.date(2024, 2, 10),
    )
    baru = MitraFactory(kelompok=kelompok, tanggal_bergabung=datetime.date(2024, 3, 1))
    semua = [*lama, keluar, baru]
    hasil = {}
    for i, (tanggal, fasilitator) in enumerate(
        [
            (datetime.date(2024, 1, 8), personas.fasilitator),
            (datetime.date(2024, 1, 22), personas.fasilitator2),
            (datetime.date(2024, 2, 5), personas.fasilitator),
            (datetime.date(2024, 2, 19), personas.fasilitator),
            (datetime.date(2024, 3, 4), personas.fasilitator2),
            (datetime.date(2024, 4, 15), personas.fasilitator),
        ]
    ):
        hasil[tanggal] = KunjunganFactory(
            kelompok=kelompok,
            fasilitator=fasilitator,
            tanggal=tanggal,
            hadir=semua[: 2 + i % 4],
            tindak_lanjut="Cek pembukuan" if i % 2 else "",
        )
    # a visit without a kelompok
    KunjunganFactory(
        klaster=personas.klaster_lebak,
        fasilitator=personas.fasilitator,
        tanggal=datetime.date(2024, 3, 20),
    )
    return hasil


def test_each_visit_write_recomputes_only_the_months_it_touched(
    personas, kunjungan, bulan_dihitung, django_assert_num_queries
):
    s = _saringan(personas.manajer)
    awal = _sama_dengan_penuh(s, bulan_dihitung)
    assert bulan_dihitung == [None]  # nothing cached: the whole history
    assert awal["n"] == 7

    # unchanged data: from the cache, nothing recomputed
    _sama_dengan_penuh(s, bulan_dihitung)
    assert bulan_dihitung == [None]

    # a visit in an old month
    KunjunganFactory(
        kelompok=personas.kelompok_lebak,
        fasilitator=personas.fasilitator2,
        tanggal=datetime.date(2024, 2, 27),
        hadir=list(personas.kelompok_lebak.anggota.all()[:3]),
        tindak_lanjut="Kunjungi lagi",
    )
    sesudah = _sama_dengan_penuh(s, bulan_dihitung)
    assert bulan_dihitung[-1] == [FEB]
    assert sesudah["n"] == 8

    # a visit today, with a follow-up
    KunjunganFactory(
        kelompok=personas.kelompok_lebak,
        fasilitator=personas.fasilitator,
        tanggal=HARI_INI,
        hadir=list(personas.kelompok_lebak.anggota.all()),
        tindak_lanjut="Siapkan pelatihan",
    )
    sesudah = _sama_dengan_penuh(s, bulan_dihitung)
    assert bulan_dihitung[-1] == [JUN]
    assert sesudah["n_30_hari"] == 1

    # a visit moved to another month: its old month and its new one
    pindah = kunjungan[datetime.date(2024, 1, 22)]
    pindah.tanggal = datetime.date(2024, 3, 28)
    pindah.save()
    sesudah = _sama_dengan_penuh(s, bulan_dihitung)
    assert bulan_dihitung[-1] == [JAN, MAR]
    assert [b["n"] for b in sesudah["per_bulan"]][:3] == [1, 3, 3]

    # a follow-up marked done
    tl = kunjungan[datetime.date(2024, 4, 15)]
    assert tl.tindak_lanjut == "Cek pembukuan"
    terbuka = sesudah["tindak_lanjut_terbuka"]
    tl.tindak_lanjut_selesai = True
    tl.tindak_lanjut_selesai_pada = datetime.date(2024, 5, 2)
    tl.save()
    sesudah = _sama_dengan_penuh(s, bulan_dihitung)
    assert bulan_dihitung[-1] == [APR]
    assert sesudah["tindak_lanjut_terbuka"] == terbuka - 1

    # attendance added to an old visit (a history row of the visit too)
    kunjungan[datetime.date(2024, 1, 8)].hadir.add(*personas.kelompok_lebak.anggota.all())
    _sama_dengan_penuh(s, bulan_dihitung)
    assert bulan_dihitung[-1] == [JAN]

    # a visit deleted
    kunjungan[datetime.date(2024, 2, 5)].delete()
    sesudah = _sama_dengan_penuh(s, bulan_dihitung)
    assert bulan_dihitung[-1] == [FEB]
    assert sesudah["n"] == 8

    # the new history rows, their months, then the changed months' two round trips
    KunjunganFactory(kelompok=personas.kelompok_lebak, tanggal=datetime.date(2024, 3, 11))
    versi = cache_bagian.versi_bagian(s.klaster.order_by().values("pk"))
    with django_assert_num_queries(4):
        cache_bagian.ambil(s, ["kegiatan"], versi)
    assert bulan_dihitung[-1] == [MAR]


def test_a_visit_outside_the_scope_recomputes_no_month(
    personas, kunjungan, bulan_dihitung, django_assert_num_queries
):
    s = _saringan(personas.manajer)
    _sama_dengan_penuh(s, bulan_dihitung)
    KunjunganFactory(kelompok=personas.kelompok_lain, tanggal=datetime.date(2024, 2, 1))
    versi = cache_bagian.versi_bagian(s.klaster.order_by().values("pk"))
    # the new history rows and their months: none in the manager's klaster
    with django_assert_num_queries(2):
        cache_bagian.ambil(s, ["kegiatan"], versi)
    assert bulan_dihitung == [None]
    _sama_dengan_penuh(s, bulan_dihitung)


def test_a_visit_committed_after_one_with_a_higher_history_id_is_still_seen(
    personas, kunjungan, bulan_dihitung
):
    """Two saves at once: the one holding the lower history id commits second. The
    highest id does not move; the version's window count and the ids already seen find
    it. Simulated by giving a new visit's history row a free id below the highest."""
    s = _saringan(personas.manajer)
    celah = KunjunganFactory(kelompok=personas.kelompok_lebak, tanggal=datetime.date(2024, 1, 3))
    id_celah = Kunjungan.history.get(id=celah.pk).history_id
    Kunjungan.history.filter(id=celah.pk).delete()
    Kunjungan.objects.filter(pk=celah.pk).delete()  # raw: no history row, a free id remains
    KunjunganFactory(kelompok=personas.kelompok_lebak, tanggal=datetime.date(2024, 1, 4))
    maks = Kunjungan.history.order_by("-history_id").values_list("history_id", flat=True)[0]
    assert id_celah < maks
    awal = _sama_dengan_penuh(s, bulan_dihitung)

    telat = KunjunganFactory(kelompok=personas.kelompok_lebak, tanggal=datetime.date(2024, 2, 9))
    Kunjungan.history.filter(id=telat.pk).update(history_id=id_celah)
    assert Kunjungan.history.order_by("-history_id").values_list("history_id", flat=True)[0] == maks
    sesudah = _sama_dengan_penuh(s, bulan_dihitung)
    assert bulan_dihitung[-1] == [FEB]
    assert sesudah["n"] == awal["n"] + 1


def test_a_member_joining_or_leaving_recomputes_every_month(personas, kunjungan, bulan_dihitung):
    # the attendance denominators of every month depend on members' dates
    s = _saringan(personas.manajer)
    _sama_dengan_penuh(s, bulan_dihitung)
    anggota = personas.kelompok_lebak.anggota.order_by("pk").first()
    anggota.tanggal_keluar = datetime.date(2024, 1, 15)
    anggota.save()
    _sama_dengan_penuh(s, bulan_dihitung)
    assert bulan_dihitung == [None, None]


def test_another_date_has_its_own_rows(personas, kunjungan, bulan_dihitung):
    # follow-ups closed and visits in the last 30 days count as of the date
    tl = kunjungan[datetime.date(2024, 4, 15)]
    tl.tindak_lanjut_selesai = True
    tl.tindak_lanjut_selesai_pada = datetime.date(2024, 5, 2)
    tl.save()
    hari_ini = _sama_dengan_penuh(_saringan(personas.manajer), bulan_dihitung)
    april = _sama_dengan_penuh(
        _saringan(personas.manajer, datetime.date(2024, 4, 30)), bulan_dihitung
    )
    assert bulan_dihitung == [None, None]
    assert april["tindak_lanjut_terbuka"] == hari_ini["tindak_lanjut_terbuka"] + 1
    assert april["n_30_hari"] == 1


def test_rows_older_than_the_backstop_are_recomputed_whole(
    personas, kunjungan, bulan_dihitung, monkeypatch
):
    # a visit committed after one with a higher history id is not seen as new: the whole
    # history is recomputed once the rows are older than CACHE_DETIK
    s = _saringan(personas.manajer)
    _sama_dengan_penuh(s, bulan_dihitung)
    monkeypatch.setattr(cache_bagian.versi_data, "CACHE_DETIK", -1)
    KunjunganFactory(kelompok=personas.kelompok_lebak, tanggal=datetime.date(2024, 3, 11))
    _sama_dengan_penuh(s, bulan_dihitung)
    assert bulan_dihitung == [None, None]

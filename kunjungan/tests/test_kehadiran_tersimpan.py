"""Each visit keeps its attendance counts (Kunjungan.jumlah_hadir, jumlah_hadir_anggota,
jumlah_anggota), written in the visit's own transaction, recounted after an admin edit; the
pages and reports read them instead of counting attendance rows."""

import datetime
import uuid

from django.urls import reverse
from django.utils import timezone

from kunjungan import services
from kunjungan.models import Kunjungan
from kunjungan.tests.factories import KunjunganFactory
from mitra.models import Mitra
from mitra.tests.factories import MitraFactory

D = datetime.date


def _tiga(personas, **kw):
    kelompok = personas.kelompok_lebak
    return [
        MitraFactory(kelompok=kelompok, tanggal_bergabung=D(2024, 1, 1), **kw) for _ in range(3)
    ]


def _kept(k: Kunjungan) -> tuple:
    k.refresh_from_db()
    return (k.jumlah_hadir, k.jumlah_hadir_anggota, k.jumlah_anggota)


def test_the_visit_service_keeps_the_counts_as_of_the_visit_date(personas):
    anggota = _tiga(personas)
    # joined after the visit's date: present in the roster, not a member on that day
    baru = MitraFactory(kelompok=personas.kelompok_lebak, tanggal_bergabung=D(2024, 5, 2))
    # left after the visit's date: a member on that day (not on today's roster)
    keluar = MitraFactory(
        kelompok=personas.kelompok_lebak,
        tanggal_bergabung=D(2024, 1, 1),
        status=Mitra.Status.KELUAR,
        tanggal_keluar=D(2024, 6, 1),
    )
    k = services.kunjungan_catat(
        oleh=personas.fasilitator,
        uuid=uuid.uuid4(),
        kelompok=personas.kelompok_lebak,
        tanggal=D(2024, 5, 1),
        jenis_kegiatan="pertemuan_kelompok",
        hadir=[anggota[0], anggota[1], baru],
    )
    # present 3; members present 2 (the newcomer was not one yet); members that day: the
    # three and the one who left later
    assert _kept(k) == (3, 2, 4)
    assert keluar.pk  # (used above through the kelompok)


def test_the_recount_follows_an_edit_of_the_attendance(personas):
    anggota = _tiga(personas)
    k = KunjunganFactory(kelompok=personas.kelompok_lebak, tanggal=D(2024, 5, 1), hadir=anggota[:1])
    assert _kept(k) == (1, 1, 3)
    k.hadir.add(*anggota[1:])
    services.kunjungan_hitung_kehadiran(kunjungan_ids=[k.pk])
    assert _kept(k) == (3, 3, 3)


def test_a_visit_without_a_kelompok_counts_no_members(personas):
    anggota = _tiga(personas)
    k = KunjunganFactory(
        klaster=personas.klaster_lebak, kelompok=None, tanggal=D(2024, 5, 1), hadir=anggota
    )
    assert _kept(k) == (3, 0, 0)


def test_the_visit_list_shows_the_kept_count_without_counting_rows(
    client, personas, django_assert_max_num_queries
):
    anggota = _tiga(personas)
    KunjunganFactory(
        fasilitator=personas.fasilitator,
        kelompok=personas.kelompok_lebak,
        tanggal=timezone.localdate(),
        hadir=anggota,
    )
    client.force_login(personas.fasilitator)
    response = client.get(reverse("kunjungan:list"))
    assert response.status_code == 200
    assert [k.jumlah_hadir for k in response.context["halaman"]] == [3]

"""Recording a visit through the API: the meeting screen's service, its rules and its
idempotency by uuid."""

import datetime
import uuid
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from bantuan.models import Angsuran, Bantuan
from bantuan.tests.factories import pinjaman_cair
from klaster.tests.factories import UserFactory
from kunjungan.models import Kunjungan, KunjunganAngsuran, KunjunganPengukuran
from mitra.models import PengukuranPendapatan
from mitra.tests.factories import MitraFactory

URL = reverse("api:kunjungan-list")


@pytest.fixture
def rapat(personas):
    hari_ini = timezone.localdate()
    kelompok = personas.kelompok_lebak
    ani, budi, cici = (
        MitraFactory(kelompok=kelompok, nama=nama, tanggal_bergabung=datetime.date(2012, 1, 1))
        for nama in ("Ani", "Budi", "Cici")
    )
    pinjaman = pinjaman_cair(
        mitra=budi, tanggal_cair=hari_ini - datetime.timedelta(days=70), jumlah="1200000"
    )
    return kelompok, ani, budi, cici, pinjaman, hari_ini


def _isi(rapat, **lain):
    kelompok, ani, budi, cici, _pinjaman, hari_ini = rapat
    return {
        "uuid": str(uuid.uuid4()),
        "kelompok": kelompok.pk,
        "tanggal": hari_ini.isoformat(),
        "jenis_kegiatan": "pertemuan_kelompok",
        "hadir": [ani.pk, budi.pk],
        "ringkasan": "Membahas pemasaran",
        "tindak_lanjut": "Cek kandang Budi",
        "pendapatan": [
            {"mitra": ani.pk, "jumlah": "1500000"},
            {"mitra": budi.pk, "jumlah": "900000.50"},
        ],
        "angsuran": [{"mitra": budi.pk, "jumlah": "100000"}],
        **lain,
    }


def test_a_visit_with_attendance_readings_and_instalments(rapat, personas, klien_token):
    kelompok, ani, budi, cici, pinjaman, hari_ini = rapat
    isi = _isi(rapat)
    respons = klien_token(personas.fasilitator).post(URL, isi, format="json")
    assert respons.status_code == 201, respons.json()
    data = respons.json()
    kunjungan = Kunjungan.objects.get(uuid=isi["uuid"])
    assert respons["Location"] == reverse("api:kunjungan-detail", args=[kunjungan.pk])
    assert data["id"] == kunjungan.pk and data["uuid"] == isi["uuid"]
    assert kunjungan.fasilitator == personas.fasilitator and kunjungan.kelompok == kelompok
    assert set(kunjungan.hadir.values_list("pk", flat=True)) == {ani.pk, budi.pk}
    assert (kunjungan.jumlah_hadir, kunjungan.jumlah_anggota) == (2, 3)
    bacaan = PengukuranPendapatan.objects.filter(kunjungan=kunjungan)
    assert {(p.mitra_id, p.pendapatan_bulanan, p.jenis) for p in bacaan} == {
        (ani.pk, Decimal("1500000"), "monitoring"),
        (budi.pk, Decimal("900000.50"), "monitoring"),
    }
    angsuran = Angsuran.objects.get(kunjungan=kunjungan)
    assert (angsuran.bantuan_id, angsuran.jumlah, angsuran.tanggal) == (
        pinjaman.pk,
        Decimal("100000"),
        hari_ini,
    )
    # the loan's kept position moved with it, as through the meeting screen
    assert Bantuan.objects.get(pk=pinjaman.pk).pokok_terbayar == Decimal("100000")
    assert sorted(data["hadir"]) == sorted([ani.pk, budi.pk])
    assert {p["mitra"]: p["jumlah"] for p in data["pengukuran"]} == {
        ani.pk: "1500000.00",
        budi.pk: "900000.50",
    }
    assert [(a["bantuan"], a["jumlah"]) for a in data["angsuran"]] == [(pinjaman.pk, "100000.00")]


def test_the_same_uuid_posted_twice_makes_one_visit(rapat, personas, klien_token):
    klien = klien_token(personas.fasilitator)
    isi = _isi(rapat)
    pertama = klien.post(URL, isi, format="json")
    kedua = klien.post(URL, isi, format="json")
    assert (pertama.status_code, kedua.status_code) == (201, 200)
    assert pertama.json()["id"] == kedua.json()["id"]
    assert Kunjungan.objects.filter(uuid=isi["uuid"]).count() == 1
    assert KunjunganAngsuran.objects.count() == 1 and KunjunganPengukuran.objects.count() == 2
    assert Bantuan.objects.get(pk=rapat[4].pk).pokok_terbayar == Decimal("100000")


def test_a_uuid_used_by_someone_else_is_refused(rapat, personas, klien_token):
    isi = _isi(rapat)
    assert klien_token(personas.fasilitator).post(URL, isi, format="json").status_code == 201
    respons = klien_token(personas.manajer).post(URL, isi, format="json")
    assert respons.status_code == 400
    assert "sudah dipakai orang lain" in str(respons.json())
    assert Kunjungan.objects.count() == 1


@pytest.mark.parametrize(
    ("ubah", "field", "pesan"),
    [
        (lambda r: {"tanggal": "2999-01-01"}, "tanggal", "masa depan"),
        (lambda r: {"jenis_kegiatan": "pesta"}, "jenis_kegiatan", "pesta"),
        (
            lambda r: {"pendapatan": [{"mitra": r[1].pk, "jumlah": "-5"}]},
            "pendapatan_{ani}",
            "tidak boleh di bawah nol",
        ),
        (
            lambda r: {"angsuran": [{"mitra": r[1].pk, "jumlah": "1000"}]},
            "angsuran_{ani}",
            "tidak punya pinjaman",
        ),
        (
            lambda r: {"angsuran": [{"mitra": r[2].pk, "jumlah": "5000000"}]},
            "angsuran_{budi}",
            "ditolak",
        ),
        (
            lambda r: {"hadir": [MitraFactory().pk]},
            "hadir",
            "bukan anggota kelompok",
        ),
        (
            lambda r: {"pendapatan": [{"mitra": r[1].pk, "jumlah": "1"}] * 2},
            "pendapatan",
            "sekali",
        ),
    ],
)
def test_bad_input_is_a_400_naming_the_field_and_nothing_is_saved(
    rapat, personas, klien_token, ubah, field, pesan
):
    _kelompok, ani, budi, *_ = rapat
    isi = _isi(rapat, **ubah(rapat))
    respons = klien_token(personas.fasilitator).post(URL, isi, format="json")
    assert respons.status_code == 400
    galat = respons.json()
    field = field.format(ani=ani.pk, budi=budi.pk)
    assert field in galat, galat
    assert pesan in str(galat[field]), galat
    assert not Kunjungan.objects.exists()
    assert not Angsuran.objects.filter(tanggal=rapat[5]).exists()
    assert not PengukuranPendapatan.objects.filter(kunjungan__isnull=False).exists()


def test_a_user_without_a_role_cannot_record_a_visit(rapat, personas, klien_token):
    from klaster.tests.factories import PenugasanFactory

    tamu = UserFactory(username="tamu")
    PenugasanFactory(pengguna=tamu, klaster=personas.klaster_lebak)
    respons = klien_token(tamu).post(URL, _isi(rapat), format="json")
    assert respons.status_code == 403
    assert not Kunjungan.objects.exists()


def test_a_visit_reads_back_as_recorded(rapat, personas, klien_token):
    klien = klien_token(personas.fasilitator)
    dibuat = klien.post(URL, _isi(rapat), format="json").json()
    detail = klien.get(reverse("api:kunjungan-detail", args=[dibuat["id"]])).json()
    assert detail == dibuat
    daftar = klien.get(URL, {"kelompok": rapat[0].pk}).json()["results"]
    assert [k["id"] for k in daftar] == [dibuat["id"]]

"""Query budgets of the programme pages: at most 15 queries each, and the same number at
1× and at 10× data (tests/test_anggaran_kueri.py does the same for the other pages).

A "unit" adds a kelompok of three mitra in the Lebak klaster with an activity they attend
(and an outside party present), a market link, and baseline and endline answers for each;
it also grows the records the detail pages show: a participant of the measured activity,
an activity and a link of the measured party, a member of the measured kelompok on the
survey screen (with an answer), and an activity and a party in the other klaster.
Transactional, like the other budgets, so the counts are what production sends."""

import datetime
import uuid
from decimal import Decimal

import pytest
from django.core.cache import cache, caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kelompok.tests.factories import KelompokFactory
from mitra.tests.factories import MitraFactory
from program.models import JawabanSurvei, KegiatanProgram, PutaranSurvei, TautanPasar
from program.tests.factories import (
    JawabanSurveiFactory,
    KegiatanProgramFactory,
    PihakLuarFactory,
    PutaranSurveiFactory,
    TautanPasarFactory,
    butir_modal_sosial,
    butir_spiritual,
)
from tests.test_anggaran_kueri import periksa_anggaran

ANGGARAN = 15
# Above the ceiling, with the reason. Recording an activity (SQLite, 17): session, user,
# roles, the klaster, its mitra (the attendance choices), the outside parties posted; then
# BEGIN, the version, the activity, its attendance, its parties, its history row and the
# attendance's history rows, COMMIT; and the session's message (BEGIN, UPDATE, COMMIT).
ANGGARAN_KHUSUS = {"kegiatan_post": 17}
D = datetime.date


class Data:
    def __init__(self, personas):
        self.p = personas
        k = personas.klaster_lebak
        self.kelompok = personas.kelompok_lebak
        self.anggota = MitraFactory(kelompok=self.kelompok, nama="Siti Survei")
        self.pihak = PihakLuarFactory(klaster=k, nama="Dinas Ukur")
        self.kegiatan = KegiatanProgramFactory(
            klaster=k, fasilitator=personas.fasilitator, peserta=[self.anggota],
            pihak_luar=[self.pihak],
        )  # fmt: skip
        self.tautan = TautanPasarFactory(pihak_luar=self.pihak, mitra=self.anggota)
        self.baseline = PutaranSurveiFactory(klaster=k, nama="Baseline ukur")
        self.endline = PutaranSurveiFactory(
            klaster=k, nama="Endline ukur", jenis=PutaranSurvei.Jenis.ENDLINE,
            tanggal_mulai=D(2024, 10, 1),
        )  # fmt: skip
        self.unit = 0

    def tambah(self, n):
        p = self.p
        k = p.klaster_lebak
        for _ in range(n):
            self.unit += 1
            kelompok = KelompokFactory(klaster=k)
            anggota = MitraFactory.create_batch(3, kelompok=kelompok)
            pihak = PihakLuarFactory(klaster=k)
            KegiatanProgramFactory(
                klaster=k, kelompok=kelompok, fasilitator=p.fasilitator, peserta=anggota,
                pihak_luar=[pihak, self.pihak],
            )  # fmt: skip
            TautanPasarFactory(pihak_luar=pihak, kelompok=kelompok)
            TautanPasarFactory(pihak_luar=self.pihak, mitra=anggota[0])
            for m in anggota:
                JawabanSurveiFactory(putaran=self.baseline, mitra=m, dimensi=(2, 2, 2))
                JawabanSurveiFactory(
                    putaran=self.endline, mitra=m, tanggal=D(2024, 11, 1), dimensi=(4, 3, 4)
                )
            # the measured records grow too
            baru = MitraFactory(kelompok=self.kelompok)
            self.kegiatan.peserta.add(baru)
            JawabanSurveiFactory(putaran=self.endline, mitra=baru, tanggal=D(2024, 11, 1))
            # and the other klaster, which the facilitator must not see
            lain = PihakLuarFactory(klaster=p.klaster_lain)
            KegiatanProgramFactory(klaster=p.klaster_lain, fasilitator=p.fasilitator2,
                                   pihak_luar=[lain])  # fmt: skip


def _halaman(data):
    k = data.p.klaster_lebak.pk
    return {
        "kegiatan_list": ("get", reverse("program:kegiatan_list")),
        "kegiatan_baru": ("get", reverse("program:kegiatan_baru") + f"?klaster={k}"),
        "kegiatan_detail": ("get", reverse("program:kegiatan_detail", args=[data.kegiatan.pk])),
        "pihak_luar_list": ("get", reverse("program:pihak_luar_list")),
        "pihak_luar_detail": ("get", reverse("program:pihak_luar_detail", args=[data.pihak.pk])),
        "tautan_list": ("get", reverse("program:tautan_list")),
        "tautan_detail": ("get", reverse("program:tautan_detail", args=[data.tautan.pk])),
        "putaran_list": ("get", reverse("program:putaran_list")),
        "putaran_detail": ("get", reverse("program:putaran_detail", args=[data.endline.pk])),
        "survei_isi": (
            "get",
            reverse("program:survei_isi", args=[data.endline.pk, data.kelompok.pk]),
        ),
        "survei_post": (
            "post",
            reverse("program:survei_isi", args=[data.baseline.pk, data.kelompok.pk]),
        ),
        "kegiatan_post": ("post", reverse("program:kegiatan_baru") + f"?klaster={k}"),
    }


def _kirim(client, data, nama, mitra=None):
    method, url = _halaman(data)[nama]
    if method == "get":
        r = client.get(url)
        assert r.status_code == 200, (url, r.status_code)
        return
    if nama == "survei_post":
        # a member not yet interviewed in the baseline round
        mitra = mitra or MitraFactory(kelompok=data.kelompok)
        isian = {
            "uuid": str(uuid.uuid4()),
            "mitra": mitra.pk,
            "tanggal": "2024-03-01",
            "jumlah_anggota_keluarga": "4",
            "pendapatan_rumah_tangga": "1500000",
            **{f"ms_{k}": v for k, v in butir_modal_sosial(3, 3, 3).items()},
            **butir_spiritual("3"),
        }
        r = client.post(url, isian, headers={"X-Requested-With": "fetch"})
        assert r.status_code == 200 and r.json()["ok"], r.content[:500]
        return
    r = client.post(
        url,
        {
            "uuid": str(uuid.uuid4()),
            "jenis": "pelatihan",
            "judul": "Pelatihan ukur",
            "tanggal": "2024-05-01",
            "fasilitator": data.p.fasilitator.pk,
            "jam": "2",
            "peserta": data.peserta,
            "pihak_luar": [data.pihak.pk],
        },
    )
    assert r.status_code == 302, r.content[:2000]


def _hitung(client, data, nama) -> list[str]:
    cache.clear()
    caches["laporan"].clear()
    # the member a survey answer is for and the attendance list, read outside the measurement
    data.peserta = list(data.kelompok.anggota.values_list("pk", flat=True))
    mitra = MitraFactory(kelompok=data.kelompok) if nama == "survei_post" else None
    with CaptureQueriesContext(connection) as ctx:
        _kirim(client, data, nama, mitra)
    return [q["sql"] for q in ctx.captured_queries]


HALAMAN = [
    "kegiatan_list",
    "kegiatan_baru",
    "kegiatan_detail",
    "pihak_luar_list",
    "pihak_luar_detail",
    "tautan_list",
    "tautan_detail",
    "putaran_list",
    "putaran_detail",
    "survei_isi",
    "kegiatan_post",
]


def _ukur_semua(client, data) -> dict[str, list[str]]:
    hasil = {}
    for nama in HALAMAN:
        data.peserta = []
        _kirim(client, data, nama)  # warm per-process caches
        hasil[nama] = _hitung(client, data, nama)
    # the survey answer: measured on its first post (no warm-up: a second answer for the
    # same member would be refused)
    hasil["survei_post"] = _hitung(client, data, "survei_post")
    return hasil


# One world for every page, grown from 1x to 10x once (tests/test_anggaran_kueri.py does
# the same): every page measured cold at both sizes, every breach reported.
@pytest.mark.django_db(transaction=True)
def test_every_programme_page_stays_within_budget_and_flat_from_1x_to_10x(client, personas):
    data = Data(personas)
    data.tambah(1)
    client.force_login(personas.fasilitator)
    kali_1 = _ukur_semua(client, data)
    data.tambah(9)
    kali_10 = _ukur_semua(client, data)
    for nama in kali_1:
        print(f"{nama}: {len(kali_1[nama])} queries at 1x, {len(kali_10[nama])} at 10x")
    galat = periksa_anggaran(kali_1, kali_10, ANGGARAN, ANGGARAN_KHUSUS)
    assert not galat, "\n".join(galat)
    # the survey posts saved what they claim: the two measured answers beside the 30 of
    # the units' members
    assert JawabanSurvei.objects.filter(putaran=data.baseline).count() == 2 + 30


@pytest.mark.django_db(transaction=True)
def test_the_measured_posts_wrote_what_they_claim(client, personas):
    data = Data(personas)
    data.tambah(1)
    client.force_login(personas.fasilitator)
    sebelum = KegiatanProgram.objects.count()
    data.peserta = list(data.kelompok.anggota.values_list("pk", flat=True))
    _kirim(client, data, "kegiatan_post")
    k = KegiatanProgram.objects.latest("pk")
    assert KegiatanProgram.objects.count() == sebelum + 1
    assert k.jumlah_peserta == data.kelompok.anggota.count() == k.peserta.count()
    assert TautanPasar.objects.filter(klaster=personas.klaster_lebak).count() == 3
    assert Decimal(k.jam) == Decimal("2")

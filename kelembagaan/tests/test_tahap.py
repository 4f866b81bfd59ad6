"""The stage gates on a hand-made klaster: three kelompok of two mitra (target 6), two
loans, one cooperative, assessment levels given per date. Each checklist is written out
literally: the criteria, whether met, and what the data say."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from bantuan.tests.factories import pinjaman_cair
from kelembagaan import selectors, services
from kelembagaan.models import RiwayatTahap, TonggakLembaga
from kelompok.tests.factories import KelompokFactory, LembagaFactory
from klaster.models import Klaster
from klaster.tests.factories import KlasterFactory, UserFactory
from mitra.models import Sektor
from mitra.tests.factories import MitraFactory
from program.tests.factories import PenilaianKelompokFactory

D = datetime.date
T = Klaster.Tahap

# the facilitator's assessments: level per kelompok from a date on
TINGKAT = [
    (D(2012, 9, 1), {"A": "berkembang", "B": "tumbuh"}),
    (D(2013, 6, 1), {"A": "mandiri", "B": "berkembang", "C": "tumbuh"}),
]


@pytest.fixture
def dunia(db):
    k = KlasterFactory(target_mitra=6, tahap=T.PENUMBUHAN, tanggal_mulai=D(2011, 3, 1))
    koperasi = LembagaFactory(klaster=k, nama="Koperasi Tani", nomor_badan_hukum="",
                              tanggal_pengesahan=None)  # fmt: skip
    g = {
        "A": KelompokFactory(klaster=k, sektor=Sektor.PERTANIAN, tanggal_dibentuk=D(2011, 4, 1),
                             lembaga=koperasi),
        "B": KelompokFactory(klaster=k, sektor=Sektor.PETERNAKAN, tanggal_dibentuk=D(2011, 5, 1),
                             lembaga=koperasi),
        "C": KelompokFactory(klaster=k, sektor=Sektor.UMKM, tanggal_dibentuk=D(2012, 2, 1)),
    }  # fmt: skip
    mitra = {
        nama: MitraFactory.create_batch(
            2, kelompok=grup, tanggal_bergabung=D(2012, 3, 1) if nama == "C" else D(2011, 6, 1)
        )
        for nama, grup in g.items()
    }
    # L1: 10 x Rp100.000 from Aug 2011; three paid, then nothing until it is all paid in Feb
    pinjaman_cair(mitra=mitra["A"][0], klaster=k, tanggal_cair=D(2011, 7, 1), tenor_bulan=10,
                  jumlah="1000000",
                  bayar=[(D(2011, 8, 1), "100000"), (D(2011, 9, 1), "100000"),
                         (D(2011, 10, 1), "100000"), (D(2012, 2, 15), "700000")])  # fmt: skip
    # L2: 10 x Rp400.000 from Aug 2011, each paid on its due date
    pinjaman_cair(mitra=mitra["B"][0], klaster=k, tanggal_cair=D(2011, 7, 1), tenor_bulan=10,
                  jumlah="4000000",
                  bayar=[(D(2011 + (7 + i) // 12, (7 + i) % 12 + 1, 1), "400000")
                         for i in range(10)])  # fmt: skip
    manajer = UserFactory(grup="Manajer Program")
    J = TonggakLembaga.Jenis
    services.tonggak_catat(lembaga=koperasi, oleh=manajer, jenis=J.RAPAT_PENDIRIAN,
                           tanggal=D(2012, 10, 1))  # fmt: skip
    services.tonggak_catat(lembaga=koperasi, oleh=manajer, jenis=J.PENGESAHAN,
                           tanggal=D(2013, 5, 1), nomor="AHU-1")  # fmt: skip

    # the facilitator's assessments (program.penilaian reads the latest on or before a date)
    for sejak, level in TINGKAT:
        for nama, tingkat_ in level.items():
            PenilaianKelompokFactory(kelompok=g[nama], tanggal=sejak, tingkat=tingkat_)
    return k, manajer


def _daftar(k, ke, tanggal):
    return [
        (s.kode, s.terpenuhi, s.nilai) for s in selectors.syarat_tahap(k, ke, per_tanggal=tanggal)
    ]


def test_gate_into_penguatan(dunia):
    k, _m = dunia
    assert _daftar(k, T.PENGUATAN, D(2012, 1, 1)) == [
        ("kelompok_terbentuk", False, "4 dari target 6 mitra dalam 2 kelompok; 0 mitra belum berkelompok"),
        ("par30", False, "PAR30 30,4%"),  # L1 Rp700.000 over 30 days late of Rp700.000 + L2 Rp1.600.000
    ]  # fmt: skip
    assert _daftar(k, T.PENGUATAN, D(2012, 3, 1)) == [
        ("kelompok_terbentuk", True, "6 dari target 6 mitra dalam 3 kelompok; 0 mitra belum berkelompok"),
        ("par30", True, "PAR30 0,0%"),
    ]  # fmt: skip


def test_gate_into_pemandirian(dunia):
    k, _m = dunia
    assert _daftar(k, T.PEMANDIRIAN, D(2012, 9, 30)) == [
        ("kelompok_terbentuk", True, "6 dari target 6 mitra dalam 3 kelompok; 0 mitra belum berkelompok"),
        ("tingkat_kelompok", False, "1 dari 3 kelompok aktif (33,3%); 1 belum dinilai"),
        ("koperasi_dibentuk", False, "0 koperasi"),
        ("par30", True, "tidak ada pinjaman beredar"),
    ]  # fmt: skip
    assert _daftar(k, T.PEMANDIRIAN, D(2013, 6, 1)) == [
        ("kelompok_terbentuk", True, "6 dari target 6 mitra dalam 3 kelompok; 0 mitra belum berkelompok"),
        ("tingkat_kelompok", True, "2 dari 3 kelompok aktif (66,7%); 0 belum dinilai"),
        ("koperasi_dibentuk", True, "1 koperasi"),
        ("par30", True, "tidak ada pinjaman beredar"),
    ]  # fmt: skip


def test_gate_into_selesai(dunia):
    k, _m = dunia
    assert _daftar(k, T.SELESAI, D(2014, 1, 1)) == [
        ("tingkat_kelompok", False, "2 dari 3 kelompok aktif (66,7%); 0 belum dinilai"),
        ("kelompok_berbadan_hukum", False, "2 dari 3 kelompok aktif"),
        ("par30", True, "tidak ada pinjaman beredar"),
    ]


def test_a_move_keeps_its_checklist_and_unmet_criteria_need_a_reason(dunia):
    k, manajer = dunia
    with pytest.raises(ValidationError) as e:
        services.tahap_pindah(klaster=k, ke=T.PENGUATAN, tanggal=D(2012, 1, 1), oleh=manajer)
    assert "Tulis alasan" in e.value.message_dict["catatan"][0]
    k.refresh_from_db()
    assert k.tahap == T.PENUMBUHAN and not RiwayatTahap.objects.exists()

    r = services.tahap_pindah(klaster=k, ke=T.PENGUATAN, tanggal=D(2012, 3, 1), oleh=manajer)
    k.refresh_from_db()
    assert k.tahap == T.PENGUATAN
    assert r.semua_terpenuhi and r.dari == T.PENUMBUHAN and r.diputuskan_oleh == manajer
    assert [s["kode"] for s in r.syarat] == ["kelompok_terbentuk", "par30"]

    r2 = services.tahap_pindah(klaster=k, ke=T.PEMANDIRIAN, tanggal=D(2012, 9, 30),
                               oleh=manajer, catatan="Koperasi segera didirikan.")  # fmt: skip
    assert not r2.semua_terpenuhi and r2.catatan == "Koperasi segera didirikan."


@pytest.mark.parametrize(
    ("ke", "tanggal", "field", "pesan"),
    [
        (T.PEMANDIRIAN, D(2012, 3, 1), "ke", "hanya bisa pindah ke tahap Penguatan"),
        (T.PENGUATAN, D(2011, 1, 1), "tanggal", "sebelum klaster"),
        (T.PENGUATAN, D(2099, 1, 1), "tanggal", "masa depan"),
    ],
)
def test_bad_moves_are_refused(dunia, ke, tanggal, field, pesan):
    k, manajer = dunia
    with pytest.raises(ValidationError) as e:
        services.tahap_pindah(klaster=k, ke=ke, tanggal=tanggal, oleh=manajer, catatan="x")
    assert any(pesan in m for m in e.value.message_dict[field])
    assert not RiwayatTahap.objects.exists()


def test_a_move_is_not_dated_before_the_previous_one(dunia):
    k, manajer = dunia
    services.tahap_pindah(klaster=k, ke=T.PENGUATAN, tanggal=D(2012, 3, 1), oleh=manajer)
    with pytest.raises(ValidationError, match="sebelum perpindahan tahap sebelumnya"):
        services.tahap_pindah(klaster=k, ke=T.PEMANDIRIAN, tanggal=D(2012, 2, 1), oleh=manajer,
                              catatan="x")  # fmt: skip

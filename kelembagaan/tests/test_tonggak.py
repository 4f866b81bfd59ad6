"""A lembaga's milestones: the order of a cooperative's life, the status derived from them,
the approval kept on the lembaga, and the impact report's count of cooperatives with legal
status as of the report date (before, on and after the approval)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from kelembagaan import selectors, services
from kelembagaan.models import TonggakLembaga
from kelompok.models import Lembaga
from kelompok.tests.factories import KelompokFactory, LembagaFactory
from klaster.models import Klaster
from laporan import selectors as laporan_selectors
from mitra.tests.factories import MitraFactory

D = datetime.date
J = TonggakLembaga.Jenis


@pytest.fixture
def koperasi(personas):
    return LembagaFactory(
        klaster=personas.klaster_lebak, nama="Koperasi Tani", nomor_badan_hukum="",
        tanggal_pengesahan=None,
    )  # fmt: skip


def _catat(lembaga, oleh, jenis, tanggal, **kw):
    return services.tonggak_catat(lembaga=lembaga, oleh=oleh, jenis=jenis, tanggal=tanggal, **kw)


def test_milestones_make_the_status_step_by_step(koperasi, personas):
    m = personas.manajer
    _catat(koperasi, m, J.RAPAT_PENDIRIAN, D(2012, 10, 1))
    _catat(koperasi, m, J.AKTA_NOTARIS, D(2012, 12, 3), nomor="12")
    _catat(koperasi, m, J.PENGESAHAN, D(2013, 5, 1), nomor="AHU-0001.AH.01.26.2013")
    _catat(koperasi, m, J.NIB, D(2013, 8, 1), nomor="9120301234567")
    tonggak = list(koperasi.tonggak.all())
    assert selectors.status_dari(tonggak, D(2012, 9, 30)) == "rintisan"
    assert selectors.status_dari(tonggak, D(2012, 10, 1)) == "didirikan"
    assert selectors.status_dari(tonggak, D(2013, 1, 1)) == "berakta"
    assert selectors.status_dari(tonggak, D(2013, 5, 1)) == "berbadan_hukum"
    assert selectors.status_dari(tonggak, D(2013, 8, 1)) == "berizin"
    koperasi.refresh_from_db()
    # kept on the lembaga: what the impact report counts cooperatives by
    assert koperasi.nomor_badan_hukum == "AHU-0001.AH.01.26.2013"
    assert koperasi.tanggal_pengesahan == D(2013, 5, 1)


def test_rat_reports_members_and_savings(koperasi, personas):
    m = personas.manajer
    _catat(koperasi, m, J.PENGESAHAN, D(2013, 5, 1), nomor="AHU-1")
    _catat(koperasi, m, J.RAT, D(2014, 2, 20), tahun_buku=2013, jumlah_anggota=98,
           simpanan_pokok=Decimal("4900000"), simpanan_wajib=Decimal("11760000"))  # fmt: skip
    g = KelompokFactory(klaster=personas.klaster_lebak, lembaga=koperasi)
    MitraFactory.create_batch(3, kelompok=g)
    MitraFactory(kelompok=g, tanggal_keluar=D(2013, 1, 1), status="keluar")
    r = selectors.lembaga_ringkas(Lembaga.objects.filter(pk=koperasi.pk),
                                  per_tanggal=D(2014, 3, 6))[0]  # fmt: skip
    assert r.jumlah_mitra == 3  # the one who left is not a member any more
    assert r.rat_terakhir.jumlah_anggota == 98
    assert r.rat_terakhir.simpanan_pokok == Decimal("4900000")
    assert r.rat_terakhir.simpanan_wajib == Decimal("11760000")


@pytest.mark.parametrize(
    ("jenis", "tanggal", "kw", "field", "pesan"),
    [
        (J.AKTA_NOTARIS, D(2012, 9, 1), {"nomor": "5"}, "tanggal", "tidak boleh sebelum Rapat"),
        (J.AKTA_NOTARIS, D(2012, 12, 1), {}, "nomor", "Isi nomor"),
        (J.NIB, D(2013, 8, 1), {"nomor": "9120301234567"}, "jenis", "Catat dulu pengesahan"),
        (J.RAT, D(2014, 2, 1), {"tahun_buku": 2013}, "jenis", "Catat dulu pengesahan"),
        (J.RAPAT_PENDIRIAN, D(2013, 1, 1), {}, "jenis", "sudah tercatat"),
        (J.RAPAT_PENDIRIAN, D(2099, 1, 1), {}, "tanggal", "masa depan"),
        (J.RAPAT_PENDIRIAN, D(2013, 1, 1), {"jumlah_anggota": 5}, "jumlah_anggota", "RAT"),
    ],
)
def test_bad_milestones_are_refused_with_a_message(koperasi, personas, jenis, tanggal, kw,
                                                   field, pesan):  # fmt: skip
    _catat(koperasi, personas.manajer, J.RAPAT_PENDIRIAN, D(2012, 10, 1))
    with pytest.raises(ValidationError) as e:
        _catat(koperasi, personas.manajer, jenis, tanggal, **kw)
    assert any(pesan in m for m in e.value.message_dict[field])
    assert koperasi.tonggak.count() == 1


def test_nib_is_13_digits_and_rat_a_closed_book_year_once(koperasi, personas):
    m = personas.manajer
    _catat(koperasi, m, J.PENGESAHAN, D(2013, 5, 1), nomor="AHU-1")
    with pytest.raises(ValidationError, match="13 angka"):
        _catat(koperasi, m, J.NIB, D(2013, 8, 1), nomor="12345")
    with pytest.raises(ValidationError, match="sudah ditutup"):
        _catat(koperasi, m, J.RAT, D(2014, 2, 1), tahun_buku=2014)
    with pytest.raises(ValidationError, match="sebelum koperasi disahkan"):
        _catat(koperasi, m, J.RAT, D(2014, 2, 1), tahun_buku=2012)
    _catat(koperasi, m, J.RAT, D(2014, 2, 1), tahun_buku=2013)
    with pytest.raises(ValidationError, match="sudah tercatat"):
        _catat(koperasi, m, J.RAT, D(2014, 3, 1), tahun_buku=2013)


def _koperasi_per(klaster, tanggal):
    s = laporan_selectors.Saringan(
        klaster=Klaster.objects.filter(pk=klaster.pk), sampai=tanggal, per_tanggal=tanggal
    )
    return laporan_selectors.ringkasan_orang(s)["koperasi"]


def test_report_counts_cooperatives_with_legal_status_as_of_its_date(koperasi, personas):
    _catat(koperasi, personas.manajer, J.RAPAT_PENDIRIAN, D(2012, 10, 1))
    _catat(koperasi, personas.manajer, J.PENGESAHAN, D(2013, 5, 1), nomor="AHU-1")
    k = personas.klaster_lebak
    assert _koperasi_per(k, D(2013, 4, 30)) == 0  # founded, not yet a legal body
    assert _koperasi_per(k, D(2013, 5, 1)) == 1  # the day of the decree
    assert _koperasi_per(k, D(2014, 3, 6)) == 1


@pytest.mark.parametrize(("tanggal", "n"), [("2013-04-30", "0"), ("2013-05-01", "1"),
                                            ("2013-05-02", "1")])  # fmt: skip
def test_report_headline_counts_cooperatives_by_approval_date(
    client, koperasi, personas, tanggal, n
):
    _catat(koperasi, personas.manajer, J.PENGESAHAN, D(2013, 5, 1), nomor="AHU-1")
    client.force_login(personas.manajer)
    html = client.get(
        reverse("laporan:dampak"),
        {"klaster": personas.klaster_lebak.pk, "sampai": tanggal, "per_tanggal": tanggal},
    ).content.decode()
    assert f'id="angka-koperasi">{n}<' in html

"""The maturity assessment from the records: a hand-made kelompok whose indicators and
level are written out, the form page (scope, roles, bad input, query budget), the history
panel and the report's distribution by level."""

import datetime
import re
import uuid
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from kunjungan.services import kunjungan_catat
from kunjungan.tests.kunjungan_data import kelompok_dengan_anggota
from program import services
from program.models import PenilaianKelompok
from program.tests.factories import PenilaianKelompokFactory, PihakLuarFactory, TautanPasarFactory
from tabungan.services import setoran_catat

pytestmark = pytest.mark.django_db
D = Decimal


def hari(n):
    return timezone.localdate() - datetime.timedelta(days=n)


JUDGED_BAIK = {
    "skor_pengurus": 3,
    "skor_pembukuan": 3,
    "skor_usaha_bersama": 2,
    "skor_usaha_anggota": 2,
    "skor_angsuran": 3,
}


@pytest.fixture
def kelompok_kuat(personas):
    """Four members; five group meetings in the last six months with three present each
    time (75%); savings 100.000 seven months ago and 20.000 more last month (+20%); no
    loans; one running market link."""
    kelompok, anggota = kelompok_dengan_anggota(personas.klaster_lebak, 4)
    for n in (10, 40, 70, 100, 130):
        kunjungan_catat(
            oleh=personas.fasilitator,
            uuid=uuid.uuid4(),
            kelompok=kelompok,
            tanggal=hari(n),
            jenis_kegiatan="pertemuan_kelompok",
            hadir=anggota[:3],
        )
    setoran_catat(oleh=personas.fasilitator, mitra=anggota[0], tanggal=hari(210), jumlah=D(100000))
    setoran_catat(oleh=personas.fasilitator, mitra=anggota[1], tanggal=hari(30), jumlah=D(20000))
    TautanPasarFactory(
        pihak_luar=PihakLuarFactory(klaster=personas.klaster_lebak),
        kelompok=kelompok,
        tanggal_mulai=hari(300),
    )
    return kelompok


def test_indicators_and_level_of_a_hand_made_kelompok(personas, kelompok_kuat):
    p = services.penilaian_kelompok_catat(
        oleh=personas.fasilitator, kelompok=kelompok_kuat, tanggal=hari(0), **JUDGED_BAIK
    )
    assert (p.jumlah_pertemuan, p.tingkat_kehadiran) == (5, D("75.0"))
    assert (p.saldo_tabungan, p.saldo_tabungan_awal) == (D("120000"), D("100000"))
    assert (p.par30, p.jumlah_tautan) == (None, 1)
    assert (p.skor_pertemuan, p.skor_tabungan, p.skor_par30, p.skor_jejaring) == (3, 3, 3, 2)
    # 3+3+3 + 2+2 + 3+3+3 + 2 = 24, none at 1
    assert (p.skor_total, p.tingkat) == (24, "mandiri")


def test_the_same_kelompok_assessed_before_its_records_is_lower(personas, kelompok_kuat):
    # a year ago: no meetings, no savings, no link yet (the link started 300 days ago)
    p = services.penilaian_kelompok_catat(
        oleh=personas.fasilitator,
        kelompok=kelompok_kuat,
        tanggal=hari(365),
        **dict.fromkeys(JUDGED_BAIK, 2),
    )
    assert (p.skor_pertemuan, p.skor_tabungan, p.skor_par30, p.skor_jejaring) == (1, 1, 3, 1)
    # 1+2+2 + 2+2 + 1+2+3 + 1 = 16
    assert (p.skor_total, p.tingkat) == (16, "berkembang")
    p = services.penilaian_kelompok_catat(
        oleh=personas.fasilitator,
        kelompok=kelompok_kuat,
        tanggal=hari(365),
        **dict.fromkeys(JUDGED_BAIK, 1),
    )
    assert (p.skor_total, p.tingkat) == (11, "tumbuh")


def test_a_judged_score_outside_1_3_or_a_future_date_is_refused(personas, kelompok_kuat):
    with pytest.raises(ValidationError) as e:
        services.penilaian_kelompok_catat(
            oleh=personas.fasilitator,
            kelompok=kelompok_kuat,
            tanggal=hari(-1),
            **{**JUDGED_BAIK, "skor_pengurus": 4},
        )
    assert set(e.value.message_dict) == {"tanggal", "skor_pengurus"}
    with pytest.raises(PermissionDenied):
        services.penilaian_kelompok_catat(
            oleh=personas.fasilitator2, kelompok=kelompok_kuat, tanggal=hari(0), **JUDGED_BAIK
        )
    assert PenilaianKelompok.objects.count() == 0


def test_form_page_shows_the_computed_indicators_and_saves(client, personas, kelompok_kuat):
    client.force_login(personas.fasilitator)
    url = reverse("program:penilaian_baru", args=[kelompok_kuat.pk])
    html = client.get(url).content.decode()
    assert re.search(r'id="ind-kehadiran">75[,.]0%<', html)
    assert "Rp120.000 (Rp100.000)" in html
    data = {"tanggal": hari(0).isoformat(), "catatan": "Rapat rutin", **JUDGED_BAIK}
    r = client.post(url, data)
    assert r.status_code == 302
    assert PenilaianKelompok.objects.get().tingkat == "mandiri"
    html = client.get(kelompok_kuat.get_absolute_url()).content.decode()
    assert "Mandiri" in html and "24/27" in html


def test_form_page_refuses_missing_scores_with_a_message(client, personas, kelompok_kuat):
    client.force_login(personas.fasilitator)
    url = reverse("program:penilaian_baru", args=[kelompok_kuat.pk])
    r = client.post(url, {"tanggal": hari(0).isoformat(), "skor_pengurus": "3"})
    assert r.status_code == 422
    assert "Pilih skor untuk butir ini." in r.content.decode()
    assert PenilaianKelompok.objects.count() == 0


def test_outsider_404_no_role_403_wrong_method_405(client, personas, kelompok_kuat):
    from klaster.tests.factories import UserFactory

    url = reverse("program:penilaian_baru", args=[kelompok_kuat.pk])
    client.force_login(personas.fasilitator2)
    assert client.get(url).status_code == 404
    client.force_login(UserFactory())
    assert client.get(url).status_code in (403, 404)
    client.force_login(personas.fasilitator)
    assert client.put(url).status_code == 405


@pytest.mark.parametrize("n", [1, 8])
def test_form_page_queries_do_not_grow(client, personas, n, django_assert_num_queries):
    kelompok, anggota = kelompok_dengan_anggota(personas.klaster_lebak, 4)
    for i in range(n):
        kunjungan_catat(
            oleh=personas.fasilitator,
            uuid=uuid.uuid4(),
            kelompok=kelompok,
            tanggal=hari(5 + i),
            jenis_kegiatan="pertemuan_kelompok",
            hadir=anggota,
        )
        setoran_catat(
            oleh=personas.fasilitator, mitra=anggota[i % 4], tanggal=hari(5 + i), jumlah=D(1000)
        )
    client.force_login(personas.fasilitator)
    url = reverse("program:penilaian_baru", args=[kelompok.pk])
    client.get(url)
    # session, user, groups and assignments, the kelompok; meetings, two balances, the
    # loans' positions, the links
    with django_assert_num_queries(9):
        assert client.get(url).status_code == 200


def test_history_panel_one_query(personas, django_assert_num_queries):
    from program.templatetags.penilaian_panel import panel_penilaian_kelompok

    p = PenilaianKelompokFactory(kelompok=personas.kelompok_lebak)
    PenilaianKelompokFactory(kelompok=personas.kelompok_lebak, tanggal=datetime.date(2024, 12, 1))
    with django_assert_num_queries(1):
        hasil = panel_penilaian_kelompok({}, personas.kelompok_lebak)
    assert [x.tanggal for x in hasil["riwayat"]] == [datetime.date(2024, 12, 1), p.tanggal]


def test_report_distribution_by_level(client, personas):
    from kelompok.tests.factories import KelompokFactory

    lebak = personas.klaster_lebak
    a, b, c = KelompokFactory.create_batch(3, klaster=lebak)
    PenilaianKelompokFactory(kelompok=a, tanggal=datetime.date(2024, 3, 1), tingkat="tumbuh")
    PenilaianKelompokFactory(kelompok=a, tanggal=datetime.date(2024, 9, 1), tingkat="mandiri")
    PenilaianKelompokFactory(kelompok=b, tanggal=datetime.date(2024, 5, 1), tingkat="berkembang")
    # after the report date: c counts as not assessed
    PenilaianKelompokFactory(kelompok=c, tanggal=datetime.date(2025, 2, 1), tingkat="mandiri")
    client.force_login(personas.manajer)
    params = {"klaster": lebak.pk, "dari": "2024-01-01", "sampai": "2024-12-31"}
    html = client.get(reverse("laporan:dampak"), params).content.decode()
    baris = {
        kode: re.sub(r"<[^>]+>", "|", m).split("|")
        for kode, m in re.findall(r'<tr id="tingkat-(\w+)">(.*?)</tr>', html, re.S)
    }
    n = {kode: [x for x in sel if x.strip()][1] for kode, sel in baris.items()}
    # kelompok_lebak of the personas is formed by 2024 and never assessed
    assert n == {"tumbuh": "0", "berkembang": "1", "mandiri": "1", "belum": "2"}

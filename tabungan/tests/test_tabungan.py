"""Group savings: every money path (a deposit at a meeting, an offline resend, a
withdrawal, a correction, the balance as of a date), the pages' scope and roles, and
their query budgets. Expected figures are written out by hand."""

import datetime
import uuid
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from klaster.tests.factories import UserFactory
from kunjungan.models import Kunjungan, KunjunganTabungan
from kunjungan.tests.kunjungan_data import data_kunjungan, hari_ini, kelompok_dengan_anggota
from tabungan import selectors, services
from tabungan.models import TransaksiTabungan

pytestmark = pytest.mark.django_db

D = Decimal
URL_BARU = reverse("kunjungan:baru")


def url_baru(kelompok):
    return f"{URL_BARU}?kelompok={kelompok.pk}"


@pytest.fixture
def rapat(personas):
    """A Lebak kelompok of four members who joined long ago."""
    kelompok, anggota = kelompok_dengan_anggota(personas.klaster_lebak, 4)
    return kelompok, anggota


def _setor(personas, mitra, jumlah, tanggal):
    return services.setoran_catat(
        oleh=personas.fasilitator, mitra=mitra, tanggal=tanggal, jumlah=D(jumlah)
    )


# ---------------------------------------------------------------- at a meeting


def test_deposits_at_a_meeting_are_recorded_with_the_visit(client, personas, rapat):
    kelompok, anggota = rapat
    client.force_login(personas.fasilitator)
    data = data_kunjungan(
        hadir=anggota[:3],
        **{f"tabungan_{anggota[0].pk}": "10.000", f"tabungan_{anggota[1].pk}": "Rp25.000"},
    )
    assert client.post(url_baru(kelompok), data).status_code == 302
    kunjungan = Kunjungan.objects.get()
    entri = list(TransaksiTabungan.objects.order_by("mitra__nama", "mitra_id"))
    assert [(t.mitra_id, t.jumlah, t.jenis, t.tanggal) for t in entri] == [
        (anggota[0].pk, D("10000.00"), "setoran", hari_ini()),
        (anggota[1].pk, D("25000.00"), "setoran", hari_ini()),
    ]
    assert {k.transaksi_id for k in KunjunganTabungan.objects.filter(kunjungan=kunjungan)} == {
        t.pk for t in entri
    }
    assert selectors.saldo_kelompok(kelompok.pk)["saldo"] == D("35000")
    assert entri[0].history.count() == 1  # simple-history, as for every money model


def test_the_meeting_screen_shows_a_deposit_field_and_the_balance(client, personas, rapat):
    kelompok, anggota = rapat
    _setor(personas, anggota[0], "12500", hari_ini())
    client.force_login(personas.fasilitator)
    html = client.get(url_baru(kelompok)).content.decode()
    for m in anggota:
        assert f'name="tabungan_{m.pk}"' in html
    assert "Saldo Rp12.500" in html


def test_offline_resend_records_the_deposits_exactly_once(client, personas, rapat):
    kelompok, anggota = rapat
    client.force_login(personas.fasilitator)
    data = data_kunjungan(hadir=anggota[:1], **{f"tabungan_{anggota[0].pk}": "10000"})
    for _ in range(3):  # the queue flushed three times
        r = client.post(url_baru(kelompok), data, headers={"x-requested-with": "fetch"})
        assert r.status_code == 200 and r.json()["ok"]
    assert Kunjungan.objects.count() == 1
    assert TransaksiTabungan.objects.count() == 1
    assert selectors.saldo_mitra(anggota[0].pk)["saldo"] == D("10000")


def test_a_deposit_for_an_absent_member_refuses_the_meeting(client, personas, rapat):
    kelompok, anggota = rapat
    client.force_login(personas.fasilitator)
    data = data_kunjungan(hadir=anggota[:1], **{f"tabungan_{anggota[1].pk}": "10000"})
    r = client.post(url_baru(kelompok), data)
    assert r.status_code == 422
    assert "tidak ditandai hadir; tandai hadir atau kosongkan setoran" in r.content.decode()
    assert (Kunjungan.objects.count(), TransaksiTabungan.objects.count()) == (0, 0)


@pytest.mark.parametrize("nilai", ["0", "-5000", "abc"])
def test_a_bad_deposit_amount_is_refused_with_a_message(client, personas, rapat, nilai):
    kelompok, anggota = rapat
    client.force_login(personas.fasilitator)
    data = data_kunjungan(hadir=anggota[:1], **{f"tabungan_{anggota[0].pk}": nilai})
    r = client.post(url_baru(kelompok), data)
    assert r.status_code == 422
    assert TransaksiTabungan.objects.count() == 0


# ---------------------------------------------------------------- balances


def test_balance_as_of_a_date(personas, rapat):
    kelompok, anggota = rapat
    a, b = anggota[:2]
    _setor(personas, a, "10000", datetime.date(2024, 1, 10))
    _setor(personas, a, "15000", datetime.date(2024, 2, 10))
    _setor(personas, b, "5000", datetime.date(2024, 2, 10))
    services.penarikan_catat(
        oleh=personas.manajer, mitra=a, tanggal=datetime.date(2024, 3, 5), jumlah=D("8000")
    )
    assert selectors.saldo_mitra(a.pk, datetime.date(2024, 1, 9))["saldo"] == D("0")
    assert selectors.saldo_mitra(a.pk, datetime.date(2024, 1, 10))["saldo"] == D("10000")
    assert selectors.saldo_mitra(a.pk, datetime.date(2024, 2, 29))["saldo"] == D("25000")
    assert selectors.saldo_mitra(a.pk, datetime.date(2024, 3, 5)) == {
        "setoran": D("25000"),
        "penarikan": D("8000"),
        "saldo": D("17000"),
    }
    assert selectors.saldo_kelompok(kelompok.pk, datetime.date(2024, 2, 10))["saldo"] == D("30000")
    assert selectors.saldo_per_mitra(kelompok.pk, datetime.date(2024, 3, 31)) == {
        a.pk: D("17000"),
        b.pk: D("5000"),
    }


# ---------------------------------------------------------------- withdrawals


def test_a_withdrawal_cannot_exceed_the_balance_then_or_later(personas, rapat):
    _kelompok, anggota = rapat
    a = anggota[0]
    _setor(personas, a, "10000", datetime.date(2024, 1, 10))
    services.penarikan_catat(
        oleh=personas.manajer, mitra=a, tanggal=datetime.date(2024, 3, 1), jumlah=D("6000")
    )
    with pytest.raises(ValidationError, match="melebihi saldo tabungan yang tersedia"):
        services.penarikan_catat(
            oleh=personas.manajer, mitra=a, tanggal=datetime.date(2024, 3, 2), jumlah=D("4001")
        )
    # dated before the first withdrawal, when 10.000 was there: still only 4.000 may go,
    # or the balance after 1 March would be negative
    with pytest.raises(ValidationError, match=r"Rp4\.000"):
        services.penarikan_catat(
            oleh=personas.manajer, mitra=a, tanggal=datetime.date(2024, 2, 1), jumlah=D("5000")
        )
    assert TransaksiTabungan.objects.count() == 2


def test_only_the_manajer_records_a_withdrawal(personas, rapat):
    _kelompok, anggota = rapat
    _setor(personas, anggota[0], "10000", datetime.date(2024, 1, 10))
    with pytest.raises(PermissionDenied):
        services.penarikan_catat(
            oleh=personas.fasilitator,
            mitra=anggota[0],
            tanggal=datetime.date(2024, 2, 1),
            jumlah=D("1000"),
        )


def test_withdrawal_page_records_once_with_the_confirmation(client, personas, rapat):
    _kelompok, anggota = rapat
    a = anggota[0]
    _setor(personas, a, "50000", datetime.date(2024, 1, 10))
    client.force_login(personas.manajer)
    url = reverse("tabungan:penarikan", args=[a.pk])
    assert "Rp50.000" in client.get(url).content.decode()
    data = {"uuid": str(uuid.uuid4()), "jumlah": "20.000", "tanggal": "2024-02-01"}
    r = client.post(url, data)  # without the confirmation box
    assert r.status_code == 422 and "Centang kotak konfirmasi" in r.content.decode()
    assert TransaksiTabungan.objects.count() == 1
    data["konfirmasi"] = "on"
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302  # a double tap: the same uuid
    assert TransaksiTabungan.objects.filter(jenis="penarikan").count() == 1
    assert selectors.saldo_mitra(a.pk)["saldo"] == D("30000")


def test_withdrawal_page_refuses_more_than_the_balance(client, personas, rapat):
    _kelompok, anggota = rapat
    a = anggota[0]
    _setor(personas, a, "5000", datetime.date(2024, 1, 10))
    client.force_login(personas.manajer)
    data = {
        "uuid": str(uuid.uuid4()),
        "jumlah": "6000",
        "tanggal": "2024-02-01",
        "konfirmasi": "on",
    }
    r = client.post(reverse("tabungan:penarikan", args=[a.pk]), data)
    assert r.status_code == 422
    assert "Penarikan melebihi saldo tabungan yang tersedia (Rp5.000)" in r.content.decode()
    assert TransaksiTabungan.objects.count() == 1


# ---------------------------------------------------------------- corrections


def test_a_correction_is_a_new_entry_that_names_the_one_it_reverses(personas, rapat):
    _kelompok, anggota = rapat
    a = anggota[0]
    salah = _setor(personas, a, "100000", datetime.date(2024, 1, 10))
    _setor(personas, a, "10000", datetime.date(2024, 2, 10))
    balik = services.transaksi_koreksi(
        oleh=personas.manajer, transaksi=salah, alasan="Salah ketik, seharusnya Rp10.000"
    )
    assert (balik.jumlah, balik.jenis, balik.tanggal, balik.koreksi_dari_id) == (
        D("-100000"),
        "setoran",
        datetime.date(2024, 1, 10),
        salah.pk,
    )
    assert TransaksiTabungan.objects.filter(pk=salah.pk, jumlah=D("100000")).exists()
    # restated as of the mistaken entry's date too
    assert selectors.saldo_mitra(a.pk, datetime.date(2024, 1, 31))["saldo"] == D("0")
    assert selectors.saldo_mitra(a.pk)["saldo"] == D("10000")
    with pytest.raises(ValidationError, match="sudah pernah dikoreksi"):
        services.transaksi_koreksi(oleh=personas.manajer, transaksi=salah, alasan="lagi")
    with pytest.raises(ValidationError, match="koreksi tidak bisa dikoreksi"):
        services.transaksi_koreksi(oleh=personas.manajer, transaksi=balik, alasan="lagi")


def test_a_deposit_already_withdrawn_cannot_be_reversed(personas, rapat):
    _kelompok, anggota = rapat
    a = anggota[0]
    setoran = _setor(personas, a, "10000", datetime.date(2024, 1, 10))
    services.penarikan_catat(
        oleh=personas.manajer, mitra=a, tanggal=datetime.date(2024, 2, 1), jumlah=D("10000")
    )
    with pytest.raises(ValidationError, match="saldonya sudah ditarik"):
        services.transaksi_koreksi(oleh=personas.manajer, transaksi=setoran, alasan="salah")


def test_correction_page(client, personas, rapat):
    _kelompok, anggota = rapat
    salah = _setor(personas, anggota[0], "7000", datetime.date(2024, 1, 10))
    client.force_login(personas.manajer)
    url = reverse("tabungan:koreksi", args=[salah.pk])
    assert client.get(url).status_code == 200
    r = client.post(url, {"alasan": ""})
    assert r.status_code == 422 and TransaksiTabungan.objects.count() == 1
    assert client.post(url, {"alasan": "Dobel dicatat"}).status_code == 302
    assert selectors.saldo_mitra(anggota[0].pk)["saldo"] == D("0")


# ---------------------------------------------------------------- pages: scope and roles


def test_kelompok_page_shows_balances_as_of_the_date(client, personas, rapat):
    kelompok, anggota = rapat
    _setor(personas, anggota[0], "10000", datetime.date(2024, 1, 10))
    _setor(personas, anggota[1], "2500", datetime.date(2024, 6, 1))
    client.force_login(personas.fasilitator)
    url = reverse("tabungan:kelompok", args=[kelompok.pk])
    html = client.get(url, {"per": "2024-03-31"}).content.decode()
    assert "Rp10.000" in html and anggota[1].nama not in html
    html = client.get(url).content.decode()
    assert "Rp12.500" in html and anggota[1].nama in html


def test_mitra_and_kelompok_pages_show_the_savings_panels(client, personas, rapat):
    kelompok, anggota = rapat
    _setor(personas, anggota[0], "10000", datetime.date(2024, 1, 10))
    _setor(personas, anggota[1], "2500", datetime.date(2024, 6, 1))
    client.force_login(personas.manajer)
    html = client.get(reverse("mitra:detail", args=[anggota[0].pk])).content.decode()
    assert 'id="saldo-tabungan-mitra">Rp10.000<' in html
    assert reverse("tabungan:penarikan", args=[anggota[0].pk]) in html
    html = client.get(kelompok.get_absolute_url()).content.decode()
    assert 'id="saldo-tabungan-kelompok">Rp12.500<' in html


def test_outsiders_get_404_and_the_facilitator_403_on_manager_pages(client, personas, rapat):
    kelompok, anggota = rapat
    t = _setor(personas, anggota[0], "10000", datetime.date(2024, 1, 10))
    client.force_login(personas.fasilitator2)  # assigned to another klaster
    for url in (
        reverse("tabungan:kelompok", args=[kelompok.pk]),
        reverse("tabungan:penarikan", args=[anggota[0].pk]),
        reverse("tabungan:koreksi", args=[t.pk]),
    ):
        assert client.get(url).status_code == 404
    client.force_login(personas.fasilitator)
    assert client.get(reverse("tabungan:kelompok", args=[kelompok.pk])).status_code == 200
    assert client.get(reverse("tabungan:penarikan", args=[anggota[0].pk])).status_code == 403
    assert client.get(reverse("tabungan:koreksi", args=[t.pk])).status_code == 403
    client.force_login(UserFactory())  # no programme role
    assert client.get(reverse("tabungan:kelompok", args=[kelompok.pk])).status_code in (403, 404)


def test_wrong_method_gets_405(client, personas, rapat):
    kelompok, _anggota = rapat
    client.force_login(personas.manajer)
    assert client.post(reverse("tabungan:kelompok", args=[kelompok.pk])).status_code == 405


# ---------------------------------------------------------------- query budgets


@pytest.mark.parametrize("n", [2, 20])
def test_kelompok_page_queries_do_not_grow(client, personas, n, django_assert_num_queries):
    kelompok, anggota = kelompok_dengan_anggota(personas.klaster_lebak, n)
    for m in anggota:
        _setor(personas, m, "1000", datetime.date(2024, 1, 10))
    client.force_login(personas.fasilitator)
    url = reverse("tabungan:kelompok", args=[kelompok.pk])
    client.get(url)
    # session, user, groups and assignments (role and scope), the kelompok, balances per
    # member, their names, the kelompok's totals
    with django_assert_num_queries(7):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("n", [2, 20])
def test_withdrawal_page_queries_do_not_grow(client, personas, n, django_assert_num_queries):
    _kelompok, anggota = kelompok_dengan_anggota(personas.klaster_lebak, 1)
    for i in range(n):
        _setor(personas, anggota[0], "1000", datetime.date(2024, 1, 1) + datetime.timedelta(i))
    client.force_login(personas.manajer)
    url = reverse("tabungan:penarikan", args=[anggota[0].pk])
    client.get(url)
    # session, user, groups and assignments, the member, the balance
    with django_assert_num_queries(5):
        assert client.get(url).status_code == 200

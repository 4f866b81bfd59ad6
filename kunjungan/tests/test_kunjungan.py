"""The meeting screen (kunjungan:baru) and the service behind it."""

import datetime
import uuid
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse, reverse_lazy

from bantuan.models import Angsuran
from bantuan.selectors import sisa_pokok
from klaster.tests.factories import UserFactory
from kunjungan import services
from kunjungan.models import Kunjungan
from kunjungan.tests.kunjungan_data import (
    beri_pinjaman,
    data_kunjungan,
    hari_ini,
    kelompok_dengan_anggota,
)
from mitra.models import Mitra, PengukuranPendapatan
from mitra.tests.factories import MitraFactory

URL_BARU = reverse_lazy("kunjungan:baru")


def url_baru(kelompok):
    return f"{URL_BARU}?kelompok={kelompok.pk}"


@pytest.fixture
def rapat(personas):
    """A Lebak kelompok of 5 members; the third has a disbursed loan of Rp1.200.000."""
    kelompok, anggota = kelompok_dengan_anggota(personas.klaster_lebak, 5)
    pinjaman = beri_pinjaman(personas, anggota[2])
    return kelompok, anggota, pinjaman


def jumlah_baris():
    return (
        Kunjungan.objects.count(),
        PengukuranPendapatan.objects.count(),
        Angsuran.objects.count(),
        Kunjungan.hadir.through.objects.count(),
    )


# ---------------------------------------------------------------- GET


def test_meeting_screen_lists_members_unticked_and_loan_only_for_borrower(client, personas, rapat):
    kelompok, anggota, pinjaman = rapat
    client.force_login(personas.fasilitator)
    response = client.get(url_baru(kelompok))
    assert response.status_code == 200
    html = response.content.decode()
    for m in anggota:
        assert m.nama in html
        assert f'name="pendapatan_{m.pk}"' in html
    assert "checked" not in html.split('id="form-kunjungan"')[1].split("</fieldset>")[0]
    # the instalment field only for the borrower, labelled with the loan's number
    assert f'name="angsuran_{anggota[2].pk}"' in html
    assert html.count('name="angsuran_') == 1
    assert pinjaman.nomor in html
    # remaining principal shown: nothing paid yet
    assert "Rp1.200.000" in html
    # a fresh uuid in a hidden input, different on every GET
    uuid1 = response.context["form"].initial["uuid"]
    uuid2 = client.get(url_baru(kelompok)).context["form"].initial["uuid"]
    assert uuid1 != uuid2
    assert f'value="{uuid1}"' in html


def test_meeting_screen_shows_arrears_of_the_borrower(client, personas, rapat):
    kelompok, anggota, pinjaman = rapat
    client.force_login(personas.fasilitator)
    html = client.get(url_baru(kelompok)).content.decode()
    # independent computation: Rp100.000 falls due monthly from a month after disbursement
    cair = pinjaman.tanggal_cair
    jatuh_tempo = [_tambah_bulan(cair, k) for k in range(1, 13)]
    lewat = [d for d in jatuh_tempo if d < hari_ini()]
    tunggakan = Decimal(100000) * len(lewat)
    hari = (hari_ini() - lewat[0]).days
    assert f"Tertunggak Rp{int(tunggakan):,}".replace(",", ".") + f" ({hari} hari)" in html


def _tambah_bulan(d, n):
    from dateutil.relativedelta import relativedelta

    return d + relativedelta(months=n)


def test_meeting_screen_without_kelompok_lets_the_user_choose(client, personas, rapat):
    kelompok, _, _ = rapat
    client.force_login(personas.fasilitator)
    response = client.get(URL_BARU)
    assert response.status_code == 200
    assert url_baru(kelompok) in response.content.decode()


# ---------------------------------------------------------------- POST: the happy path


def test_one_submit_saves_visit_attendance_reading_and_instalment(client, personas, rapat):
    kelompok, anggota, pinjaman = rapat
    client.force_login(personas.fasilitator)
    sebelum = sisa_pokok(pinjaman, per_tanggal=hari_ini())
    data = data_kunjungan(
        hadir=anggota[:4],
        pendapatan={anggota[0]: "1.500.000"},
        angsuran={anggota[2]: "100000"},
        tindak_lanjut="Cek kandang Pak RT",
        lokasi_lat="-6.512345",
        lokasi_lon="106.123456",
    )
    response = client.post(url_baru(kelompok), data)
    kunjungan = Kunjungan.objects.get()
    assert response.status_code == 302
    assert response["Location"] == kunjungan.get_absolute_url()
    assert kunjungan.fasilitator == personas.fasilitator
    assert kunjungan.klaster == personas.klaster_lebak
    assert kunjungan.kelompok == kelompok
    assert str(kunjungan.uuid) == data["uuid"]
    assert set(kunjungan.hadir.all()) == set(anggota[:4])
    assert kunjungan.lokasi_lat == Decimal("-6.512345")
    p = PengukuranPendapatan.objects.get()
    assert (p.mitra, p.pendapatan_bulanan, p.jenis) == (
        anggota[0],
        Decimal("1500000"),
        "monitoring",
    )
    assert (p.kunjungan_link.kunjungan, p.dicatat_oleh, p.tanggal) == (
        kunjungan,
        personas.fasilitator,
        hari_ini(),
    )
    a = Angsuran.objects.get()
    assert (a.bantuan, a.jumlah, a.kunjungan_link.kunjungan) == (
        pinjaman,
        Decimal("100000"),
        kunjungan,
    )
    assert a.dicatat_oleh == personas.fasilitator
    assert sisa_pokok(pinjaman, per_tanggal=hari_ini()) == sebelum - Decimal("100000")
    # the history of the visit records who made it
    assert kunjungan.history.first().history_user == personas.fasilitator


def test_same_uuid_twice_makes_one_visit_one_reading_one_instalment(client, personas, rapat):
    kelompok, anggota, pinjaman = rapat
    client.force_login(personas.fasilitator)
    data = data_kunjungan(
        hadir=anggota, pendapatan={anggota[1]: "900000"}, angsuran={anggota[2]: "100000"}
    )
    pertama = client.post(url_baru(kelompok), data)
    kedua = client.post(url_baru(kelompok), data)
    assert pertama.status_code == kedua.status_code == 302
    assert pertama["Location"] == kedua["Location"]
    assert jumlah_baris() == (1, 1, 1, 5)
    assert sisa_pokok(pinjaman, per_tanggal=hari_ini()) == Decimal("1100000")


def test_same_uuid_again_at_the_service_returns_the_visit_without_writing(personas, rapat):
    kelompok, anggota, pinjaman = rapat
    kwargs = dict(
        oleh=personas.fasilitator,
        uuid=uuid.uuid4(),
        kelompok=kelompok,
        tanggal=hari_ini(),
        jenis_kegiatan="pertemuan_kelompok",
        hadir=anggota[:2],
        pendapatan={anggota[0].pk: Decimal("1")},
        angsuran={anggota[2].pk: Decimal("50000")},
    )
    k1 = services.kunjungan_catat(**kwargs)
    # the second send would now be refused on its own (above what is left): still the same
    k2 = services.kunjungan_catat(**{**kwargs, "angsuran": {anggota[2].pk: Decimal("9e9")}})
    assert k1.pk == k2.pk
    assert jumlah_baris() == (1, 1, 1, 2)


def test_uuid_of_another_users_visit_is_refused(personas, rapat):
    kelompok, anggota, _ = rapat
    u = uuid.uuid4()
    services.kunjungan_catat(
        oleh=personas.fasilitator,
        uuid=u,
        kelompok=kelompok,
        tanggal=hari_ini(),
        jenis_kegiatan="pendampingan",
    )
    with pytest.raises(ValidationError, match="sudah dipakai"):
        services.kunjungan_catat(
            oleh=personas.manajer,
            uuid=u,
            kelompok=kelompok,
            tanggal=hari_ini(),
            jenis_kegiatan="pendampingan",
        )


def test_a_resend_stops_at_the_unique_uuid_and_returns_the_visit_saved_first(
    personas, rapat, monkeypatch
):
    """No lookup before the insert (it cost a query on every save): the visit's row is the
    first write, the unique uuid refuses the second send, and only then is the first
    visit looked up. Two sends at once end the same way."""
    kelompok, anggota, _ = rapat
    kwargs = dict(
        oleh=personas.fasilitator,
        uuid=uuid.uuid4(),
        kelompok=kelompok,
        tanggal=hari_ini(),
        jenis_kegiatan="pendampingan",
        hadir=anggota[:1],
    )
    asli = services._kunjungan_sama
    panggilan = []

    def hitung(uuid, oleh):
        panggilan.append(1)
        return asli(uuid, oleh)

    monkeypatch.setattr(services, "_kunjungan_sama", hitung)
    pertama = services.kunjungan_catat(**kwargs)
    assert panggilan == []
    kedua = services.kunjungan_catat(**kwargs)
    assert kedua.pk == pertama.pk
    assert len(panggilan) == 1
    assert jumlah_baris() == (1, 0, 0, 1)


def test_a_resend_the_form_now_refuses_still_answers_with_the_visit(client, personas, rapat):
    # the member ticked present left the kelompok before the offline queue resent the visit
    kelompok, anggota, _ = rapat
    client.force_login(personas.fasilitator)
    data = data_kunjungan(hadir=anggota[:2])
    pertama = client.post(url_baru(kelompok), data)
    anggota[0].status = Mitra.Status.KELUAR
    anggota[0].save()
    kedua = client.post(url_baru(kelompok), data)
    assert pertama.status_code == kedua.status_code == 302
    assert pertama["Location"] == kedua["Location"]
    assert jumlah_baris() == (1, 0, 0, 2)


def test_the_visit_has_one_history_row_with_its_attendance(client, personas, rapat):
    kelompok, anggota, _ = rapat
    client.force_login(personas.fasilitator)
    client.post(url_baru(kelompok), data_kunjungan(hadir=anggota[:3]))
    kunjungan = Kunjungan.objects.get()
    (riwayat,) = kunjungan.history.all()
    assert (riwayat.history_type, riwayat.history_user) == ("+", personas.fasilitator)
    assert riwayat.uuid == kunjungan.uuid
    tercatat = {(h.id, h.mitra_id) for h in riwayat.hadir.all()}
    assert tercatat == set(Kunjungan.hadir.through.objects.values_list("id", "mitra_id"))
    assert {m for _id, m in tercatat} == {m.pk for m in anggota[:3]}


# ---------------------------------------------------------------- POST: refused, nothing saved


def _tolak(client, personas, kelompok, data):
    client.force_login(personas.fasilitator)
    response = client.post(url_baru(kelompok), data)
    assert response.status_code == 422
    assert jumlah_baris() == (0, 0, 0, 0)
    return response, response.content.decode()


def test_visit_in_the_future_is_refused(client, personas, rapat):
    kelompok, anggota, _ = rapat
    besok = hari_ini() + datetime.timedelta(days=1)
    _, html = _tolak(client, personas, kelompok, data_kunjungan(tanggal=besok, hadir=anggota))
    assert "Tanggal kunjungan tidak boleh di masa depan" in html
    with pytest.raises(ValidationError, match="masa depan"):
        services.kunjungan_catat(
            oleh=personas.fasilitator,
            uuid=uuid.uuid4(),
            kelompok=kelompok,
            tanggal=besok,
            jenis_kegiatan="pendampingan",
        )
    assert jumlah_baris() == (0, 0, 0, 0)


def test_attendee_from_another_kelompok_is_refused(client, personas, rapat):
    kelompok, anggota, _ = rapat
    orang_lain = MitraFactory(kelompok=kelompok_dengan_anggota(personas.klaster_lebak, 0)[0])
    data = data_kunjungan(hadir=[anggota[0], orang_lain])
    _, html = _tolak(client, personas, kelompok, data)
    assert "bukan anggota kelompok ini" in html
    with pytest.raises(ValidationError, match="bukan anggota kelompok"):
        services.kunjungan_catat(
            oleh=personas.fasilitator,
            uuid=uuid.uuid4(),
            kelompok=kelompok,
            tanggal=hari_ini(),
            jenis_kegiatan="pendampingan",
            hadir=[anggota[0], orang_lain],
        )
    assert jumlah_baris() == (0, 0, 0, 0)


def test_negative_reading_is_refused_and_the_row_marked(client, personas, rapat):
    kelompok, anggota, pinjaman = rapat
    data = data_kunjungan(
        hadir=anggota[:3],
        pendapatan={anggota[0]: "500000", anggota[1]: "-1"},
        ringkasan="Catatan yang tidak boleh hilang",
    )
    response, html = _tolak(client, personas, kelompok, data)
    assert f"Pendapatan {anggota[1].nama} tidak boleh di bawah nol" in html
    assert f'class="anggota baris-galat" id="anggota-{anggota[1].pk}"' in html
    assert f'class="anggota" id="anggota-{anggota[0].pk}"' in html
    # what was typed is kept: notes, readings, ticks, and the uuid (a resend is the same visit)
    assert "Catatan yang tidak boleh hilang" in html
    assert 'value="500000"' in html
    assert html.count("checked") == 3
    assert f'value="{data["uuid"]}"' in html
    # no instalment was sent, so the loans were read only to draw the page again
    assert f'name="angsuran_{anggota[2].pk}"' in html
    assert pinjaman.nomor in html
    with pytest.raises(ValidationError, match="di bawah nol"):
        services.kunjungan_catat(
            oleh=personas.fasilitator,
            uuid=uuid.uuid4(),
            kelompok=kelompok,
            tanggal=hari_ini(),
            jenis_kegiatan="pendampingan",
            pendapatan={anggota[1].pk: Decimal("-1")},
        )
    assert jumlah_baris() == (0, 0, 0, 0)


def test_instalment_above_remaining_principal_refuses_the_whole_visit(client, personas, rapat):
    kelompok, anggota, pinjaman = rapat
    data = data_kunjungan(
        hadir=anggota,
        pendapatan={anggota[0]: "700000", anggota[2]: "800000"},
        angsuran={anggota[2]: "1200001"},
    )
    response, html = _tolak(client, personas, kelompok, data)
    assert f'class="anggota baris-galat" id="anggota-{anggota[2].pk}"' in html
    assert f"Angsuran {anggota[2].nama} ({pinjaman.nomor}) ditolak" in html
    assert "melebihi sisa pokok Rp1.200.000,00" in html
    assert sisa_pokok(pinjaman, per_tanggal=hari_ini()) == Decimal("1200000")


def test_service_error_names_the_members_row(personas, rapat):
    kelompok, anggota, pinjaman = rapat
    with pytest.raises(ValidationError) as e:
        services.kunjungan_catat(
            oleh=personas.fasilitator,
            uuid=uuid.uuid4(),
            kelompok=kelompok,
            tanggal=hari_ini(),
            jenis_kegiatan="penagihan",
            hadir=anggota,
            pendapatan={anggota[0].pk: Decimal("5")},
            angsuran={anggota[2].pk: Decimal("2000000")},
        )
    assert list(e.value.message_dict) == [f"angsuran_{anggota[2].pk}"]
    assert anggota[2].nama in e.value.message_dict[f"angsuran_{anggota[2].pk}"][0]
    assert jumlah_baris() == (0, 0, 0, 0)


def test_instalment_for_a_member_without_a_loan_is_refused(personas, rapat):
    kelompok, anggota, _ = rapat
    with pytest.raises(ValidationError, match="tidak punya pinjaman"):
        services.kunjungan_catat(
            oleh=personas.fasilitator,
            uuid=uuid.uuid4(),
            kelompok=kelompok,
            tanggal=hari_ini(),
            jenis_kegiatan="penagihan",
            angsuran={anggota[0].pk: Decimal("1000")},
        )
    assert jumlah_baris() == (0, 0, 0, 0)


def test_bad_amount_text_is_refused_with_a_message(client, personas, rapat):
    kelompok, anggota, _ = rapat
    _, html = _tolak(client, personas, kelompok, data_kunjungan(pendapatan={anggota[0]: "seratus"}))
    assert "Tulis angka rupiah saja" in html


# ---------------------------------------------------------------- scope, roles, methods


def test_fasilitator2_gets_404_on_lebak_meeting_screen_and_visits(client, personas, rapat):
    kelompok, anggota, _ = rapat
    k = services.kunjungan_catat(
        oleh=personas.fasilitator,
        uuid=uuid.uuid4(),
        kelompok=kelompok,
        tanggal=hari_ini(),
        jenis_kegiatan="pendampingan",
        tindak_lanjut="x",
    )
    client.force_login(personas.fasilitator2)
    assert client.get(url_baru(kelompok)).status_code == 404
    assert client.post(url_baru(kelompok), data_kunjungan(hadir=anggota)).status_code == 404
    assert client.get(reverse("kunjungan:detail", args=[k.pk])).status_code == 404
    url_selesai = reverse("kunjungan:tindak_lanjut_selesai", args=[k.pk])
    assert client.post(url_selesai).status_code == 404
    daftar = client.get(reverse("kunjungan:list"))
    assert daftar.status_code == 200
    assert list(daftar.context["halaman"]) == []
    assert Kunjungan.objects.count() == 1
    # nor does it appear in the other facilitator's home
    assert kelompok.nama not in client.get(reverse("klaster:beranda")).content.decode()


def test_a_user_without_a_programme_role_gets_403(client, personas, rapat):
    kelompok, _, _ = rapat
    client.force_login(UserFactory(username="tamu"))
    assert client.get(URL_BARU).status_code == 403
    assert client.get(reverse("kunjungan:list")).status_code == 403


def test_anonymous_is_sent_to_login(client, personas, rapat):
    kelompok, _, _ = rapat
    response = client.get(url_baru(kelompok))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("akun:masuk"))


def test_wrong_methods_get_405(client, personas, rapat):
    kelompok, _, _ = rapat
    client.force_login(personas.fasilitator)
    assert client.put(url_baru(kelompok)).status_code == 405
    assert client.post(reverse("kunjungan:list")).status_code == 405
    k = services.kunjungan_catat(
        oleh=personas.fasilitator,
        uuid=uuid.uuid4(),
        kelompok=kelompok,
        tanggal=hari_ini(),
        jenis_kegiatan="pendampingan",
        tindak_lanjut="x",
    )
    url_selesai = reverse("kunjungan:tindak_lanjut_selesai", args=[k.pk])
    assert client.get(url_selesai).status_code == 405
    assert client.post(reverse("kunjungan:detail", args=[k.pk])).status_code == 405


def test_bad_kelompok_parameter_is_404(client, personas):
    client.force_login(personas.fasilitator)
    assert client.get(f"{URL_BARU}?kelompok=abc").status_code == 404
    assert client.get(f"{URL_BARU}?kelompok=999999").status_code == 404


# ---------------------------------------------------------------- query counts


@pytest.mark.parametrize("n", [3, 30])
def test_meeting_screen_get_queries_do_not_grow(client, personas, n, django_assert_num_queries):
    kelompok, anggota = kelompok_dengan_anggota(personas.klaster_lebak, n)
    for m in anggota[: n // 3]:
        beri_pinjaman(personas, m)
    client.force_login(personas.fasilitator)
    url = url_baru(kelompok)
    client.get(url)  # warm the session
    # session, user, groups and permissions (role and scope), the members with their
    # kelompok (the scope check rides on it), loans with their position, savings balances
    with django_assert_num_queries(6):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("n", [3, 30])
def test_meeting_screen_post_queries_do_not_grow(client, personas, n, django_assert_num_queries):
    kelompok, anggota = kelompok_dengan_anggota(personas.klaster_lebak, n)
    beri_pinjaman(personas, anggota[0])
    client.force_login(personas.fasilitator)
    url = url_baru(kelompok)
    client.get(url)
    data = data_kunjungan(
        hadir=anggota,
        pendapatan={m: "1000000" for m in anggota},
        angsuran={anggota[0]: "100000"},
    )
    # every member present with a reading and one instalment: the count is the same for
    # 3 members as for 30 (bulk inserts, one roster query, one loan query).
    # session, user, groups and permissions; members with their kelompok, loans for the
    # form; savepoint; loans as of the visit's date; the klaster's figures' version (first,
    # klaster/versi.py) and the members at the visit's date (the counts the visit keeps);
    # visit, attendance and their two history inserts; readings and their history; the
    # instalment (the version again, loan row lock, paid so far, insert, history, the
    # version from the instalment's save signal, the loan's kept position: oldest unpaid due
    # date, update, fund check); the links of the readings and of the instalment to the
    # visit (one insert each); release; the session save for the message (savepoint,
    # update, release)
    with django_assert_num_queries(30):
        assert client.post(url, data).status_code == 302
    assert Kunjungan.hadir.through.objects.count() == n
    assert PengukuranPendapatan.objects.count() == n


@pytest.mark.postgres
def test_an_instalment_taken_at_a_meeting_locks_the_loan_row(client, personas, rapat):
    # bantuan.services.angsuran_catat runs inside the visit's transaction, lock included
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    kelompok, anggota, pinjaman = rapat
    client.force_login(personas.fasilitator)
    data = data_kunjungan(hadir=anggota, angsuran={anggota[2]: "100000"})
    with CaptureQueriesContext(connection) as ctx:
        assert client.post(url_baru(kelompok), data).status_code == 302
    kunci = [
        q["sql"]
        for q in ctx.captured_queries
        if q["sql"].startswith('SELECT "bantuan_bantuan"') and "FOR UPDATE" in q["sql"]
    ]
    assert len(kunci) == 1
    assert sisa_pokok(pinjaman, per_tanggal=hari_ini()) == Decimal("1100000")

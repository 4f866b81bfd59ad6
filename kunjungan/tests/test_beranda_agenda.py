"""The facilitator's home as an agenda (issue 15, item 1): this week's visits with the
ones done marked and moved down, the newest follow-ups first, long lists cut with a
"lihat semua" link, "Kelompok saya" one tap away."""

import datetime
import uuid

import pytest
from django.urls import reverse_lazy
from freezegun import freeze_time

from kunjungan import selectors, services
from kunjungan.tests.kunjungan_data import beri_pinjaman, hari_ini, kelompok_dengan_anggota
from laporan.views_beranda import BERANDA_RENCANA, BERANDA_TINDAK_LANJUT

BERANDA = reverse_lazy("klaster:beranda")
KAMIS = "2026-12-03 03:00:00"  # Thursday 10:00 in Jakarta; Monday is 30 November


def catat(oleh, kelompok, *, hari_lalu=0, **kwargs):
    kwargs.setdefault("jenis_kegiatan", "pertemuan_kelompok")
    return services.kunjungan_catat(
        oleh=oleh,
        uuid=uuid.uuid4(),
        kelompok=kelompok,
        tanggal=hari_ini() - datetime.timedelta(days=hari_lalu),
        **kwargs,
    )


def bagian(html: str, id_: str) -> str:
    return html.split(f'id="{id_}"')[1].split("</section>")[0]


def test_monday_is_the_start_of_the_week():
    for hari in range(7):
        tanggal = datetime.date(2026, 11, 30) + datetime.timedelta(days=hari)
        assert selectors.awal_minggu(tanggal) == datetime.date(2026, 11, 30)
    assert selectors.awal_minggu(datetime.date(2026, 11, 29)) == datetime.date(2026, 11, 23)


@freeze_time(KAMIS)
def test_a_kelompok_visited_this_week_is_marked_and_moves_down(client, personas):
    klaster = personas.klaster_lebak
    a, anggota_a = kelompok_dengan_anggota(klaster, 2, kode="A-01", nama="Kelompok Arum")
    b, anggota_b = kelompok_dengan_anggota(klaster, 2, kode="B-01", nama="Kelompok Bayam")
    beri_pinjaman(personas, anggota_a[0], tanggal_cair=hari_ini() - datetime.timedelta(days=230))
    beri_pinjaman(personas, anggota_b[0])
    client.force_login(personas.fasilitator)
    sebelum = [r.kelompok.kode for r in client.get(BERANDA).context["kunjungi"]]
    assert sebelum[:2] == ["A-01", "B-01"]  # the older arrears first

    # A is visited today: it stays on the list, marked, after everything still to visit
    catat(personas.fasilitator, a)
    response = client.get(BERANDA)
    rencana = response.context["kunjungi"]
    assert [r.kelompok.kode for r in rencana][-1] == "A-01"
    assert [r.kelompok.kode for r in rencana][0] == "B-01"
    assert rencana[-1].sudah_dikunjungi and not rencana[0].sudah_dikunjungi
    html = bagian(response.content.decode(), "kunjungi-minggu-ini")
    assert "Sudah dikunjungi 3 Desember 2026" in html
    assert f"1 dari {len(rencana)} sudah dikunjungi" in html
    # a kelompok visited last Friday (before Monday) is not marked
    catat(personas.fasilitator, b, hari_lalu=6)
    rencana = client.get(BERANDA).context["kunjungi"]
    assert not next(r for r in rencana if r.kelompok == b).sudah_dikunjungi


@freeze_time(KAMIS)
def test_a_kelompok_that_was_not_due_does_not_join_the_list_when_visited(client, personas):
    # visited 10 days ago and again today, nothing owed: never on this week's list
    k, _ = kelompok_dengan_anggota(personas.klaster_lebak, 2, kode="T-01")
    catat(personas.fasilitator, k, hari_lalu=10)
    catat(personas.fasilitator, k)
    client.force_login(personas.fasilitator)
    assert k not in [r.kelompok for r in client.get(BERANDA).context["kunjungi"]]
    # one that had not been visited for 45 days joins it as done
    lama, _ = kelompok_dengan_anggota(personas.klaster_lebak, 2, kode="T-02")
    catat(personas.fasilitator, lama, hari_lalu=45)
    catat(personas.fasilitator, lama)
    rencana = client.get(BERANDA).context["kunjungi"]
    assert [(r.kelompok, r.sudah_dikunjungi) for r in rencana if r.kelompok == lama] == [
        (lama, True)
    ]


def test_the_follow_up_typed_today_is_first_on_the_home(client, personas):
    k, _ = kelompok_dengan_anggota(personas.klaster_lebak, 2, kode="F-01")
    for i in range(8):
        catat(personas.fasilitator, k, hari_lalu=400 + i, tindak_lanjut=f"Tugas lama {i}")
    catat(personas.fasilitator, k, tindak_lanjut="Antar bibit cabai ke Bu Ketua")
    client.force_login(personas.fasilitator)
    html = bagian(client.get(BERANDA).content.decode(), "tindak-lanjut")
    assert html.index("Antar bibit cabai ke Bu Ketua") < html.index("Tugas lama 0")
    assert html.count("Tandai selesai") == BERANDA_TINDAK_LANJUT
    # the oldest wait behind "lihat semua"
    assert "Tugas lama 7" not in html
    assert 'id="semua-tindak-lanjut"' in html
    semua = bagian(
        client.get(BERANDA, {"semua": "tindak-lanjut"}).content.decode(), "tindak-lanjut"
    )
    assert semua.count("Tandai selesai") == 9 and "Tugas lama 7" in semua
    assert 'id="semua-tindak-lanjut"' not in semua


def test_a_long_visit_list_is_cut_with_a_link_to_all(client, personas):
    for i in range(BERANDA_RENCANA + 3):
        kelompok_dengan_anggota(personas.klaster_lebak, 1, kode=f"N-{i:02d}")
    client.force_login(personas.fasilitator)
    response = client.get(BERANDA)
    total = response.context["kunjungi_total"]
    assert total == BERANDA_RENCANA + 4  # and the personas' own kelompok, never visited
    assert len(response.context["kunjungi"]) == BERANDA_RENCANA
    html = bagian(response.content.decode(), "kunjungi-minggu-ini")
    assert f"Lihat semua ({total} kelompok)" in html
    semua = client.get(BERANDA, {"semua": "rencana"})
    assert len(semua.context["kunjungi"]) == total
    assert "Lihat semua (" not in bagian(semua.content.decode(), "kunjungi-minggu-ini")


def test_kelompok_saya_is_one_tap_away_and_links_every_meeting_screen(client, personas):
    kelompok = [kelompok_dengan_anggota(personas.klaster_lebak, 1)[0] for _ in range(3)]
    client.force_login(personas.fasilitator)
    html = client.get(BERANDA).content.decode()
    pintasan = html.split('id="pintasan"')[1].split("</nav>")[0]
    assert 'href="#daftar-kelompok-saya"' in pintasan and "Kelompok saya (4)" in pintasan
    daftar = html.split('id="daftar-kelompok-saya"')[1].split("</ul>")[0]
    for k in [personas.kelompok_lebak, *kelompok]:
        # every meeting screen linked from the home is kept on the device for offline visits
        assert f"{reverse_lazy('kunjungan:baru')}?kelompok={k.pk}" in daftar


@pytest.mark.parametrize("banyak", [1, 10])
def test_the_agenda_costs_the_same_queries_whatever_the_size(
    client, personas, banyak, django_assert_max_num_queries
):
    for i in range(banyak):
        kelompok, anggota = kelompok_dengan_anggota(personas.klaster_lebak, 2)
        beri_pinjaman(personas, anggota[0])
        catat(personas.fasilitator, kelompok, hari_lalu=35, tindak_lanjut=f"tugas {i}")
        catat(personas.fasilitator, kelompok, tindak_lanjut=f"baru {i}")
    client.force_login(personas.fasilitator)
    client.get(BERANDA)
    # session, user, groups and permissions, kelompok with last visits, arrears per
    # kelompok, open follow-ups: the same for 1 and 10 kelompok
    with django_assert_max_num_queries(9):
        assert client.get(BERANDA).status_code == 200


def test_visit_history_offers_the_months_that_have_visits(client, personas):
    k, _ = kelompok_dengan_anggota(personas.klaster_lebak, 1)
    with freeze_time(KAMIS):
        catat(personas.fasilitator, k, hari_lalu=70)  # 24 September 2026
        catat(personas.fasilitator, k)
        client.force_login(personas.fasilitator)
        html = client.get(reverse_lazy("kunjungan:list")).content.decode()
    pilihan = html.split('name="bulan"')[1].split("</select>")[0]
    assert '<option value="2026-12">Desember 2026</option>' in pilihan
    assert '<option value="2026-09">September 2026</option>' in pilihan
    assert pilihan.index("2026-12") < pilihan.index("2026-11") < pilihan.index("2026-09")
    assert "2026-08" not in pilihan
    # the filters are Bootstrap selects, folded behind one button on a phone
    assert 'class="select form-select"' in html or "form-select" in pilihan
    assert 'data-bs-target="#saringan-kunjungan"' in html

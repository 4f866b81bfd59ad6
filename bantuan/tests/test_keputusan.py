"""Financing decisions with context (issue 15, item 6): the approval screen shows the
borrower's other loans, arrears and latest income, the group's PAR30 and the fund's available
balance in a fixed number of queries; the recipient is chosen by a search; status badges
differ per state; the list is cards on a phone."""

import datetime
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bantuan import selectors
from bantuan.models import Bantuan, SumberDana
from bantuan.tests.factories import BantuanFactory, SumberDanaFactory, pinjaman_cair
from klaster.tests.factories import PenugasanFactory, UserFactory
from mitra.models import Mitra, PengukuranPendapatan
from mitra.tests.factories import MitraFactory, PengukuranPendapatanFactory

D = datetime.date


def bulan_lalu(hari: datetime.date, n: int) -> datetime.date:
    """The first day of the month n months before `hari`'s month."""
    bulan = hari.year * 12 + hari.month - 1 - n
    return D(bulan // 12, bulan % 12 + 1, 1)


@pytest.fixture
def kasus(personas):
    """A member in arrears in a group with one sound loan, a proposal waiting, a budget."""
    hari_ini = timezone.localdate()
    k = personas.klaster_lebak
    k.anggaran = Decimal("10000000")
    k.save()
    zakat = SumberDanaFactory(nama="Zakat Lebak", jenis=SumberDana.Jenis.ZAKAT)
    kel = personas.kelompok_lebak
    mitra = MitraFactory(klaster=k, kelompok=kel, nama="Ani Suryani")
    tetangga = MitraFactory(klaster=k, kelompok=kel)
    # 1.200.000 over 12 months from the 1st of the month 7 months ago, nothing paid: the
    # instalments due on the 1st of the 6 months since, and this month's unless today is
    # the 1st, are overdue (100.000 each)
    menunggak = pinjaman_cair(
        mitra=mitra, jumlah="1200000", tanggal_cair=bulan_lalu(hari_ini, 7), sumber_dana=zakat
    )
    pinjaman_cair(
        mitra=tetangga,
        jumlah="800000",
        tanggal_cair=hari_ini - datetime.timedelta(days=10),
        sumber_dana=zakat,
    )
    BantuanFactory(
        mitra=tetangga,
        jumlah=Decimal("500000"),
        sumber_dana=zakat,
        status=Bantuan.Status.DISETUJUI,
        tanggal_pengajuan=hari_ini,
    )
    PengukuranPendapatanFactory(
        mitra=mitra, tanggal=D(2011, 6, 1), pendapatan_bulanan=Decimal("800000")
    )
    PengukuranPendapatanFactory(
        mitra=mitra,
        tanggal=hari_ini - datetime.timedelta(days=20),
        jenis=PengukuranPendapatan.Jenis.MONITORING,
        pendapatan_bulanan=Decimal("1100000"),
    )
    pengajuan = BantuanFactory(
        mitra=mitra,
        jumlah=Decimal("2500000"),
        sumber_dana=zakat,
        tanggal_pengajuan=hari_ini,
        diajukan_oleh=personas.fasilitator,
    )
    return {
        "hari_ini": hari_ini,
        "mitra": mitra,
        "menunggak": menunggak,
        "pengajuan": pengajuan,
        "zakat": zakat,
    }


def test_the_approval_screen_shows_what_to_weigh(client, personas, kasus):
    hari_ini = kasus["hari_ini"]
    jatuh_tempo = 6 + (1 if hari_ini.day > 1 else 0)
    tunggakan = Decimal("100000") * jatuh_tempo
    hari = (hari_ini - bulan_lalu(hari_ini, 6)).days
    client.force_login(personas.manajer)
    r = client.get(reverse("bantuan:setujui", args=[kasus["pengajuan"].pk]))
    assert r.status_code == 200
    c = r.context
    assert [b.pk for b in c["bantuan_lain"]] == [kasus["menunggak"].pk]
    assert c["lain_berjalan"] == 1 and c["lain_sisa_pokok"] == Decimal("1200000")
    assert c["lain_tunggakan"] == tunggakan and c["lain_hari_maks"] == hari
    assert c["pendapatan_terakhir"].pendapatan_bulanan == Decimal("1100000")
    assert c["pendapatan_baseline"].pendapatan_bulanan == Decimal("800000")
    # the group: 1.200.000 more than 30 days behind out of 1.200.000 + 800.000 outstanding
    assert c["portofolio_kelompok"]["par30"] == Decimal("1200000") / Decimal("2000000")
    # budget 10.000.000, donors' money disbursed 2.000.000, 500.000 approved and waiting
    assert c["dana"]["tersedia"] == Decimal("7500000")
    assert c["dana"]["sesudah"] == Decimal("5000000") and c["dana"]["cukup"] is True
    html = r.content.decode()
    for teks in ("Rp1.200.000", f"Rp{tunggakan:,.0f}".replace(",", "."), "Rp1.100.000"):
        assert teks in html
    assert "60,0%" in html and "Rp7.500.000" in html
    assert 'id="form-setujui"' in html and 'name="konfirmasi"' in html


def test_the_approval_screen_makes_the_same_queries_for_a_long_history(client, personas, kasus):
    client.force_login(personas.manajer)
    url = reverse("bantuan:setujui", args=[kasus["pengajuan"].pk])
    client.get(url)

    def hitung():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    sedikit = hitung()
    mitra = kasus["mitra"]
    for i in range(6):
        pinjaman_cair(
            mitra=mitra,
            jumlah="300000",
            tanggal_cair=D(2020, 1 + i, 5),
            sumber_dana=kasus["zakat"],
            bayar=[(D(2020, 3 + i, 5), "25000")],
        )
        PengukuranPendapatanFactory(
            mitra=mitra,
            tanggal=D(2020, 1 + i, 1),
            jenis=PengukuranPendapatan.Jenis.MONITORING,
        )
        MitraFactory(klaster=personas.klaster_lebak, kelompok=personas.kelompok_lebak)
    assert hitung() == sedikit
    # session, user, roles, the proposal with its relations, the other loans with their
    # positions, the readings, the group's positions, the budget's sums
    assert sedikit <= 8


def test_the_revolving_funds_balance_less_what_is_approved(personas):
    k = personas.klaster_lebak
    fund = SumberDanaFactory(jenis=SumberDana.Jenis.DANA_BERGULIR, klaster=k)
    zakat = SumberDanaFactory(jenis=SumberDana.Jenis.ZAKAT)
    m = MitraFactory(klaster=k, kelompok=personas.kelompok_lebak)
    # 300.000 repaid flows into the fund
    pinjaman_cair(
        mitra=m, tanggal_cair=D(2025, 1, 5), sumber_dana=zakat, bayar=[(D(2025, 2, 5), "300000")]
    )
    BantuanFactory(mitra=m, jumlah=Decimal("50000"), sumber_dana=fund, status="disetujui")
    usul = BantuanFactory(mitra=m, jumlah=Decimal("200000"), sumber_dana=fund)
    usul = Bantuan.objects.select_related("klaster", "sumber_dana").get(pk=usul.pk)
    dana = selectors.dana_tersedia(usul, per_tanggal=timezone.localdate())
    assert dana["bergulir"] is True
    assert dana["saldo"] == Decimal("300000") and dana["terikat"] == Decimal("50000")
    assert dana["tersedia"] == Decimal("250000") and dana["sesudah"] == Decimal("50000")
    # without a recorded budget a donor's fund has no balance to show
    k.anggaran = 0
    k.save()
    usul2 = BantuanFactory(mitra=m, jumlah=Decimal("200000"), sumber_dana=zakat)
    usul2 = Bantuan.objects.select_related("klaster", "sumber_dana").get(pk=usul2.pk)
    assert selectors.dana_tersedia(usul2, per_tanggal=timezone.localdate())["tersedia"] is None


def test_a_decided_proposal_has_nothing_to_approve(client, personas, kasus):
    client.force_login(personas.manajer)
    b = kasus["menunggak"]
    r = client.get(reverse("bantuan:setujui", args=[b.pk]))
    assert r.status_code == 200
    assert 'id="sudah-diputuskan"' in r.content.decode()
    assert 'id="form-setujui"' not in r.content.decode()


def test_the_facilitator_and_an_outsider_cannot_open_the_approval_screen(client, personas, kasus):
    url = reverse("bantuan:setujui", args=[kasus["pengajuan"].pk])
    client.force_login(personas.fasilitator)
    assert client.get(url).status_code == 403
    client.force_login(personas.fasilitator2)
    assert client.get(url).status_code == 404


def test_the_page_refuses_the_proposer_with_the_message(client, personas):
    from bantuan import services

    mitra = MitraFactory(klaster=personas.klaster_lebak, kelompok=personas.kelompok_lebak)
    b = services.bantuan_ajukan(
        oleh=personas.manajer,
        klaster=personas.klaster_lebak,
        jenis=Bantuan.Jenis.HIBAH_MODAL,
        sumber_dana=SumberDanaFactory(),
        jumlah=Decimal("1000000"),
        tanggal_pengajuan=D(2012, 3, 1),
        mitra=mitra,
    )
    client.force_login(personas.manajer)
    url = reverse("bantuan:setujui", args=[b.pk])
    halaman = client.get(url)
    # the approval screen says so before anyone tries, and offers no approve button
    assert halaman.status_code == 200
    assert "manajer lain" in halaman.content.decode()
    assert 'id="form-setujui"' not in halaman.content.decode()
    r = client.post(url, {"tanggal": "2012-03-05", "konfirmasi": "on"})
    assert r.status_code == 422
    assert "manajer lain" in r.content.decode()
    assert Bantuan.objects.get(pk=b.pk).status == Bantuan.Status.DIAJUKAN


# --- choosing the recipient -------------------------------------------------------------


@pytest.fixture
def calon(personas):
    k = personas.klaster_lebak
    return {
        "ani": MitraFactory(klaster=k, kelompok=personas.kelompok_lebak, nama="Ani Suryani"),
        "anita": MitraFactory(klaster=k, nama="Anita Rahayu", nik="3602064501850002"),
        "keluar": MitraFactory(klaster=k, nama="Ani Keluar", status=Mitra.Status.KELUAR),
        "luar": MitraFactory(klaster=personas.klaster_lain, nama="Ani Luar"),
    }


def cari(client, q):
    r = client.get(reverse("bantuan:cari_penerima"), {"q": q})
    assert r.status_code == 200 and r["Content-Type"] == "application/json"
    return r.json()


def test_the_search_finds_by_name_in_scope_only(client, personas, calon):
    client.force_login(personas.fasilitator)
    d = cari(client, "ani")
    nama = [r["nama"] for r in d["hasil"] if r["jenis"] == "mitra"]
    assert nama == ["Ani Suryani", "Anita Rahayu"]  # not the one who left, not Malingping
    ani = d["hasil"][0]
    assert ani["id"] == calon["ani"].pk
    assert ani["url"] == reverse("bantuan:ajukan") + f"?mitra={calon['ani'].pk}"
    assert personas.kelompok_lebak.kode in ani["keterangan"]
    assert calon["ani"].nik not in str(d)  # the NIK only masked
    assert calon["ani"].nik_tersamar in ani["keterangan"]


def test_the_search_finds_by_the_first_digits_of_a_nik(client, personas, calon):
    client.force_login(personas.fasilitator)
    d = cari(client, "3602 0645 01")
    assert [r["id"] for r in d["hasil"] if r["jenis"] == "mitra"] == [calon["anita"].pk]
    assert "3602064501850002" not in str(d)
    # three digits would match half the programme: nothing
    assert cari(client, "360")["hasil"] == []
    # a NIK from another klaster is not found
    assert cari(client, calon["luar"].nik)["hasil"] == []


def test_the_search_finds_groups_by_code(client, personas, calon):
    client.force_login(personas.fasilitator)
    d = cari(client, personas.kelompok_lebak.kode)
    kelompok = [r for r in d["hasil"] if r["jenis"] == "kelompok"]
    assert [r["id"] for r in kelompok] == [personas.kelompok_lebak.pk]
    assert kelompok[0]["url"].endswith(f"?kelompok={personas.kelompok_lebak.pk}")


def test_the_search_is_cheap_and_for_staff_only(client, personas, calon, django_assert_num_queries):
    url = reverse("bantuan:cari_penerima")
    assert client.get(url, {"q": "ani"}).status_code == 302
    tanpa_peran = UserFactory(username="tanpa_peran")
    PenugasanFactory(pengguna=tanpa_peran, klaster=personas.klaster_lebak)
    client.force_login(tanpa_peran)
    assert client.get(url, {"q": "ani"}).status_code == 403
    client.force_login(personas.fasilitator)
    cari(client, "x")
    # session, user, roles, the mitra, the kelompok
    with django_assert_num_queries(5):
        cari(client, "ani")
    with django_assert_num_queries(3):  # too short: no search
        cari(client, "a")
    cari(client, "a\x00b")  # a NUL byte is dropped, not a server error


def test_without_javascript_the_search_is_a_form_with_links(client, personas, calon):
    client.force_login(personas.fasilitator)
    url = reverse("bantuan:ajukan")
    html = client.get(url, {"q": "ani"}).content.decode()
    assert f'href="?mitra={calon["ani"].pk}&amp;q=ani"' in html
    assert "Ani Keluar" not in html and "Ani Luar" not in html
    # choosing fills the proposal form's hidden field and names the recipient
    r = client.get(url, {"mitra": calon["ani"].pk})
    assert r.context["penerima"] == calon["ani"]
    assert re.search(rf'name="mitra" value="{calon["ani"].pk}"', r.content.decode())
    # an id outside the scope shows nobody
    r = client.get(url, {"mitra": calon["luar"].pk})
    assert r.context["penerima"] is None and "Ani Luar" not in r.content.decode()
    # no 323-name dropdown
    assert '<select name="mitra"' not in r.content.decode()


def test_a_proposal_for_someone_out_of_scope_is_refused(client, personas, calon):
    client.force_login(personas.fasilitator)
    r = client.post(
        reverse("bantuan:ajukan"),
        {
            "mitra": calon["luar"].pk,
            "jenis": "hibah_modal",
            "sumber_dana": SumberDanaFactory().pk,
            "jumlah": "500.000",
            "tanggal_pengajuan": timezone.localdate().isoformat(),
        },
    )
    assert r.status_code == 422
    assert "Mitra itu tidak bisa dipilih" in r.content.decode()
    assert not Bantuan.objects.exists()


# --- what every page shows --------------------------------------------------------------


def test_each_status_has_its_own_badge_colour():
    from django.template.loader import render_to_string

    warna = {}
    for status in Bantuan.Status:
        html = render_to_string("bantuan/includes/_status.html", {"b": Bantuan(status=status)})
        kelas = re.search(r'class="([^"]*)"', html).group(1).split()
        warna[status] = next(k for k in kelas if k.startswith("text-bg-"))
        assert str(status.label) in html
    assert len(set(warna.values())) == len(Bantuan.Status)


def test_the_list_is_cards_on_a_phone(client, personas, kasus):
    client.force_login(personas.fasilitator)
    html = client.get(reverse("bantuan:list")).content.decode()
    assert (
        'class="table table-sm table-striped align-middle tabel-kartu" id="tabel-bantuan"' in html
    )
    for label in ("Penerima", "Jumlah", "Sisa pokok", "Tunggakan"):
        assert f'data-label="{label}"' in html

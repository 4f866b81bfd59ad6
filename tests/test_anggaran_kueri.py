"""Query budgets (issue 8): every main page makes at most 15 queries, and the same number
at 1x and at 10x data, so a page's cost does not grow with the programme.

Data is built with the apps' factories and the bantuan services (loans are proposed,
approved, disbursed and repaid through the rules, as in real use). A "unit" of data is one
more kelompok of three mitra in the manager's klaster, each mitra with a baseline and a
monitoring reading and a revolving loan with two instalments, a grant to the group and a
visit; it also adds a member, a visit and a reading to the kelompok and mitra whose detail
pages are measured, so those pages grow too. Measured cold: any page cache is cleared first.

The tests run in transactional mode (no test-wide transaction around them) so that the
count is what production logs: inside a test transaction every atomic block (the session
save, a service) would add SAVEPOINT and RELEASE statements that production never sends.
"""

import datetime
import uuid
from decimal import Decimal

import pytest
from django.core.cache import cache, caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bantuan import services as bantuan_services
from bantuan.models import Bantuan
from bantuan.tests.factories import SumberDanaFactory
from kelompok.tests.factories import KelompokFactory
from klaster import simpanan
from klaster.akses import GRUP_NASIONAL
from kunjungan.models import Kunjungan
from kunjungan.tests.factories import KunjunganFactory
from laporan import bagian
from mitra.models import PengukuranPendapatan
from mitra.tests.factories import MitraFactory, PengukuranPendapatanFactory

ANGGARAN = 15  # the ceiling for any page
# Pages allowed more than ANGGARAN, measured cold (every cache empty):
# - the dashboard: session, user, groups and permissions; the body's key (a digest of the
#   scope's versions that PostgreSQL computes: laporan.bagian.kunci_dasbor) and a read of
#   the shared cache for the body; the scope's versions themselves, then the versions of
#   their groups of sections (klaster/versi.py); two reads of the shared cache (the merged
#   sections, the klaster's parts: laporan/bagian.py); then the klaster's parts,
#   set-based: people and money (one UNION), the portfolio (bantuan.selectors, one), the
#   revolving fund, the poverty lines, readings, mitra, visits; the programme's half
#   (program/selectors.py, issue 16): activities (4 set-based queries), market access (3),
#   survey answers (1), and the nisab when the parts are merged (1); issue 17's group
#   savings (2) and kelompok by level of their latest assessment (2); the facilitators'
#   names; and one write of every new entry of the shared cache after the response (a
#   database table by default: config/cache.TabelCache, one upsert in a transaction with
#   the table's count; one round trip with Redis). Cold only: a warm request reads one
#   entry (tests below).
# - the report page: the same, plus the first rows of its income tables (mitra and readings
#   of those rows) and its rendered body's read of the shared cache.
# - the portfolio page, the same way (bantuan.selectors.portofolio_halaman): session, user,
#   groups; the visible klaster with their versions (and the version rows, created once: two);
#   two reads of the shared cache; the klaster's parts, set-based: positions, kelompok and
#   fund names, revolving fund, generations (five); a write of the shared cache.
# - the financing list without a filter: its totals from the parts kept per klaster
#   (bantuan.selectors.total_klaster_utuh, as the arrears list): the visible klaster with
#   their versions, a read of the shared cache, the overdue positions and the totals of the
#   missing klaster (two), a write of the shared cache; then its own page as before.
# (Before config/cache.TabelCache, Django's DatabaseCache wrote each entry with five
# queries: the dashboard took 75, the report 76, the portfolio 21, the financing list 18.)
ANGGARAN_KHUSUS: dict[str, int] = {
    "beranda_manajer": 34,
    "laporan_dampak": 35,
    "portofolio": 15,
    "bantuan_list": 17,
}


class Data:
    """Grows the personas' klaster by units; keeps the records the detail pages show."""

    def __init__(self, personas):
        self.p = personas
        self.hari_ini = timezone.localdate()
        self.sumber = SumberDanaFactory()
        self.kelompok = personas.kelompok_lebak
        self.mitra = MitraFactory(kelompok=self.kelompok, nama="Siti Aminah")
        self.kelompok.ketua = self.mitra
        self.kelompok.save()
        self._pinjaman(self.mitra, hari_lalu=300)
        self.unit = 0

    def _hari(self, n):
        return self.hari_ini - datetime.timedelta(days=n)

    def _pinjaman(self, mitra, *, hari_lalu, angsuran=2):
        p = self.p
        b = bantuan_services.bantuan_ajukan(
            oleh=p.fasilitator,
            klaster=mitra.klaster,
            jenis=Bantuan.Jenis.MODAL_BERGULIR,
            sumber_dana=self.sumber,
            jumlah=Decimal("1200000"),
            tanggal_pengajuan=self._hari(hari_lalu),
            mitra=mitra,
            tenor_bulan=12,
        )
        bantuan_services.bantuan_setujui(bantuan=b, oleh=p.manajer, tanggal=self._hari(hari_lalu))
        bantuan_services.bantuan_cairkan(
            bantuan=b, oleh=p.manajer, tanggal_cair=self._hari(hari_lalu - 1)
        )
        for i in range(angsuran):
            bantuan_services.angsuran_catat(
                bantuan=b,
                jumlah=Decimal("100000"),
                tanggal=self._hari(hari_lalu - 30 * (i + 1)),
                oleh=p.fasilitator,
            )
        return b

    def tambah(self, n):
        p = self.p
        for _ in range(n):
            self.unit += 1
            u = self.unit
            kelompok = KelompokFactory(klaster=p.klaster_lebak)
            anggota = MitraFactory.create_batch(3, kelompok=kelompok)
            for m in anggota:
                PengukuranPendapatanFactory(mitra=m, tanggal=self._hari(400))
                PengukuranPendapatanFactory(
                    mitra=m,
                    tanggal=self._hari(30),
                    jenis=PengukuranPendapatan.Jenis.MONITORING,
                    pendapatan_bulanan=Decimal("1500000"),
                )
                self._pinjaman(m, hari_lalu=200 + u)
            hibah = bantuan_services.bantuan_ajukan(
                oleh=p.fasilitator,
                klaster=p.klaster_lebak,
                jenis=Bantuan.Jenis.HIBAH_MODAL,
                sumber_dana=self.sumber,
                jumlah=Decimal("5000000"),
                tanggal_pengajuan=self._hari(100),
                kelompok=kelompok,
            )
            bantuan_services.bantuan_setujui(bantuan=hibah, oleh=p.manajer, tanggal=self._hari(99))
            bantuan_services.bantuan_cairkan(
                bantuan=hibah, oleh=p.manajer, tanggal_cair=self._hari(98)
            )
            KunjunganFactory(
                kelompok=kelompok,
                fasilitator=p.fasilitator,
                tanggal=self._hari(u % 60),
                hadir=anggota,
                tindak_lanjut="Cek pembukuan",
            )
            # the measured kelompok and mitra grow too
            baru = MitraFactory(kelompok=self.kelompok)
            KunjunganFactory(
                kelompok=self.kelompok,
                fasilitator=p.fasilitator,
                tanggal=self._hari(u),
                hadir=[self.mitra, baru],
            )
            PengukuranPendapatanFactory(
                mitra=self.mitra,
                tanggal=self._hari(u),
                jenis=PengukuranPendapatan.Jenis.MONITORING,
            )
            # and the other klaster, which the manager must not see
            MitraFactory(kelompok=p.kelompok_lain)


def _halaman(data):
    """name -> (who, method, url, POST data or None)."""
    k = data.kelompok.pk
    return {
        "beranda_manajer": ("manajer", "get", reverse("klaster:beranda"), None),
        "mitra_cari": ("manajer", "get", reverse("mitra:list") + "?q=Siti", None),
        "mitra_detail": ("manajer", "get", reverse("mitra:detail", args=[data.mitra.pk]), None),
        "kelompok_detail": ("manajer", "get", reverse("kelompok:detail", args=[k]), None),
        "bantuan_list": ("manajer", "get", reverse("bantuan:list"), None),
        "portofolio": ("manajer", "get", reverse("bantuan:portofolio"), None),
        "tunggakan": ("manajer", "get", reverse("bantuan:tunggakan"), None),
        "laporan_dampak": ("manajer", "get", reverse("laporan:dampak"), None),
        "beranda_fasilitator": ("fasilitator", "get", reverse("klaster:beranda"), None),
        "pertemuan_get": (
            "fasilitator",
            "get",
            reverse("kunjungan:baru") + f"?kelompok={k}",
            None,
        ),
        "pertemuan_post": (
            "fasilitator",
            "post",
            reverse("kunjungan:baru") + f"?kelompok={k}",
            "POST",
        ),
    }


def _kirim(client, data, method, url, post, hadir=()):
    if post is None:
        response = client.get(url)
        assert response.status_code == 200, url
        return response
    response = client.post(
        url,
        {
            "uuid": str(uuid.uuid4()),
            "tanggal": data.hari_ini.isoformat(),
            "jenis_kegiatan": Kunjungan.JenisKegiatan.PERTEMUAN_KELOMPOK,
            "hadir": hadir,
            "ringkasan": "Pertemuan rutin",
        },
    )
    assert response.status_code == 302, response.content[:2000]
    return response


def _hitung(client, data, nama) -> list[str]:
    """The SQL of one cold request to page `nama`, as its persona."""
    siapa, method, url, post = _halaman(data)[nama]
    hadir = list(data.kelompok.anggota.values_list("pk", flat=True))
    # measure the cold path: a cached page must not hide its queries
    cache.clear()
    caches["laporan"].clear()
    simpanan.kosongkan_salinan()
    with CaptureQueriesContext(connection) as ctx:
        _kirim(client, data, method, url, post, hadir)
    return [q["sql"] for q in ctx.captured_queries]


def periksa_anggaran(kali_1: dict, kali_10: dict, anggaran, anggaran_khusus) -> list[str]:
    """Each page's breaches of its ceiling and of flatness, with the SQL to read: one list
    for every page, so one run names every page that moved."""
    galat = []
    for nama, sql_1 in kali_1.items():
        sql_10 = kali_10[nama]
        batas = anggaran_khusus.get(nama, anggaran)
        if len(sql_1) > batas:
            galat.append(
                f"{nama}: {len(sql_1)} queries at 1x, ceiling {batas}:\n  " + "\n  ".join(sql_1)
            )
        if len(sql_1) != len(sql_10):
            galat.append(
                f"{nama}: {len(sql_1)} queries at 1x, {len(sql_10)} at 10x; at 10x:\n  "
                + "\n  ".join(sql_10)
            )
    return galat


HALAMAN = [
    "beranda_manajer",
    "mitra_cari",
    "mitra_detail",
    "kelompok_detail",
    "bantuan_list",
    "portofolio",
    "tunggakan",
    "laporan_dampak",
    "beranda_fasilitator",
    "pertemuan_get",
    "pertemuan_post",
]


def _ukur_semua(client, personas, data) -> dict[str, list[str]]:
    hasil = {}
    for nama in HALAMAN:
        siapa, *permintaan = _halaman(data)[nama]
        client.force_login(getattr(personas, siapa))
        _kirim(client, data, *permintaan)  # warm up (session, fragments)
        hasil[nama] = _hitung(client, data, nama)
    return hasil


# One world for every page, grown from 1x to 10x once (a world per page took eleven times
# as long); every page is measured cold at both sizes, and every breach is reported.
@pytest.mark.django_db(transaction=True)
def test_every_page_stays_within_budget_and_flat_from_1x_to_10x(client, personas):
    data = Data(personas)
    data.tambah(1)
    kali_1 = _ukur_semua(client, personas, data)
    data.tambah(9)
    kali_10 = _ukur_semua(client, personas, data)
    for nama in HALAMAN:
        print(f"{nama}: {len(kali_1[nama])} queries at 1x, {len(kali_10[nama])} at 10x")
    galat = periksa_anggaran(kali_1, kali_10, ANGGARAN, ANGGARAN_KHUSUS)
    assert not galat, "\n".join(galat)


def test_the_budget_check_names_a_page_over_its_ceiling_and_a_page_that_grows():
    # the check above must not go quiet: a page over its ceiling and a page whose count
    # grows from 1x to 10x are both reported, with their SQL; a page within both is not
    kali_1 = {"a": ["SELECT 1"] * 3, "b": ["SELECT 2"] * 2, "c": ["SELECT 3"]}
    kali_10 = {"a": ["SELECT 1"] * 3, "b": ["SELECT 2"] * 3, "c": ["SELECT 3"]}
    galat = periksa_anggaran(kali_1, kali_10, 2, {"c": 1})
    assert len(galat) == 2
    assert galat[0].startswith("a: 3 queries at 1x, ceiling 2:") and "SELECT 1" in galat[0]
    assert galat[1].startswith("b: 2 queries at 1x, 3 at 10x") and "SELECT 2" in galat[1]


@pytest.mark.django_db(transaction=True)
def test_post_created_the_visits_it_measured(client, personas):
    # the POST budget above measures real writes, not a rejected form
    data = Data(personas)
    data.tambah(1)
    client.force_login(personas.fasilitator)
    sebelum = Kunjungan.objects.filter(kelompok=data.kelompok).count()
    hadir = list(data.kelompok.anggota.values_list("pk", flat=True))
    _kirim(client, data, *_halaman(data)["pertemuan_post"][1:], hadir)
    assert Kunjungan.objects.filter(kelompok=data.kelompok).count() == sebelum + 1


def test_sehat_answers_without_login_and_without_queries(client, db, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get(reverse("sehat"))
    assert response.status_code == 200
    assert response.content == b"ok\n"


def test_sehat_refuses_post(client, db):
    assert client.post(reverse("sehat")).status_code == 405


def _nasional():
    from django.contrib.auth.models import Group

    from klaster.tests.factories import UserFactory

    user = UserFactory(username="nasional", grup="Manajer Program")
    user.groups.add(Group.objects.get_or_create(name=GRUP_NASIONAL)[0])
    return user


def test_mitra_list_offers_a_national_manager_the_chosen_klasters_kelompok_only(client, personas):
    # thousands of <option>s took seconds to render at national scale
    client.force_login(_nasional())
    lain = MitraFactory(kelompok=personas.kelompok_lain, nama="Warsih Lain")
    MitraFactory(kelompok=personas.kelompok_lebak, nama="Ujang Lebak")
    url = reverse("mitra:list")

    def opsi(response):
        return response.context["filter"].form.fields["kelompok"].widget.choices

    semua = client.get(url)
    assert [v for v, _label in opsi(semua) if v] == []
    satu = client.get(url, {"klaster": personas.klaster_lebak.pk})
    assert [v for v, _label in opsi(satu) if v] == [personas.kelompok_lebak.pk]
    # a link filtering on another klaster's kelompok still filters
    saring = client.get(url, {"kelompok": personas.kelompok_lain.pk})
    assert list(saring.context["mitra_list"]) == [lain]
    assert [v for v, _label in opsi(saring) if v] == [personas.kelompok_lain.pk]


# ------------------------------------------------ the dashboard's cache follows every write


def _kartu(response, id_):
    import re

    html = response.content.decode()
    return re.search(rf'id="{id_}">([^<]*)<', html).group(1)


def test_dashboard_is_cached_and_a_new_instalment_or_visit_shows_at_once(
    client, personas, django_assert_max_num_queries
):
    data = Data(personas)
    data.tambah(2)
    client.force_login(personas.manajer)
    url = reverse("klaster:beranda")
    pertama = client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        kedua = client.get(url)
    # the cached page runs none of the report's aggregates
    assert not any("kunjungan_kunjungan" in q["sql"] for q in ctx.captured_queries)
    assert _kartu(kedua, "dasbor-outstanding") == _kartu(pertama, "dasbor-outstanding")

    # an instalment through the service: outstanding drops on the very next request
    pinjaman = Bantuan.objects.filter(mitra=data.mitra).get()
    sebelum = _kartu(kedua, "dasbor-outstanding")
    bantuan_services.angsuran_catat(
        bantuan=pinjaman, jumlah=Decimal("100000"), tanggal=data.hari_ini, oleh=personas.fasilitator
    )
    sesudah = _kartu(client.get(url), "dasbor-outstanding")
    assert sesudah != sebelum

    # a visit logged on the meeting screen: the 30-day visit count goes up at once
    n = int(_kartu(client.get(url), "dasbor-kunjungan-30"))
    client.force_login(personas.fasilitator)
    _kirim(client, data, *_halaman(data)["pertemuan_post"][1:])
    client.force_login(personas.manajer)
    assert int(_kartu(client.get(url), "dasbor-kunjungan-30")) == n + 1


def test_impact_report_page_lists_the_first_rows_and_points_to_the_exports(
    client, personas, monkeypatch
):

    monkeypatch.setattr(bagian, "BARIS_HALAMAN", 2)
    data = Data(personas)
    data.tambah(2)
    client.force_login(personas.manajer)
    html = client.get(reverse("laporan:dampak")).content.decode()
    tabel = html.split('id="tabel-per-mitra"')[1].split("</table>")[0]
    assert tabel.count("<tr>") == 1 + 2  # header and the first two mitra
    assert 'id="per-mitra-terpotong"' in html
    # the CSV export still holds every mitra (6 complete + the excluded)
    csv = client.get(reverse("laporan:dampak_csv")).content.decode()
    assert len(csv.strip().splitlines()) - 1 > 2


# The warm pages and the national pages after a write: tests/test_anggaran_kueri_nasional.py
# (a file of its own so that --dist loadfile runs it beside this one on the other worker).

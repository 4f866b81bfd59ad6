"""The report's cache follows every write on the very next request (laporan/bagian.py, keyed
on the versions the database keeps: klaster/versi.py): admin edits of the reference tables,
writes through the services and the factories, and a process that restarts."""

import datetime
import io
import pickle
import re
from decimal import Decimal
from unittest import mock

import pytest
from django.contrib.auth.models import Group
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from bantuan.models import SumberDana
from klaster import simpanan
from klaster import versi as versi_angka
from klaster.akses import GRUP_MANAJER, GRUP_NASIONAL
from klaster.models import GarisKemiskinan, Penugasan, VersiAngka
from klaster.tests.factories import KlasterFactory, PenugasanFactory, UserFactory
from laporan import bagian, selectors
from laporan.tests.test_dampak_data import PARAMS, buat_data_tangan
from laporan.tests.test_dampak_volume import isi_data

URL = reverse("laporan:dampak")
XLSX = reverse("laporan:dampak_xlsx")


@pytest.fixture
def data(personas):
    return buat_data_tangan(personas)


def _params(personas):
    return {**PARAMS, "klaster": personas.klaster_lebak.pk}


def _teks(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def _sel(html: str, id_: str) -> str:
    """The text of the element with this id (a whole table for a table)."""
    akhir = "table" if re.search(rf'<table[^>]*id="{id_}"', html) else "td|th|div|span|tr|p"
    m = re.search(rf'id="{id_}"[^>]*>(.*?)</({akhir})>', html, re.S)
    assert m, id_
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", m.group(1))).strip()


def _sheet_cells(response, sheet: str) -> list:
    wb = load_workbook(io.BytesIO(response.content))
    return [c.value for row in wb[sheet].iter_rows() for c in row if c.value is not None]


def _ubah_di_admin(client, model, obj, **perubahan):
    """POST the admin change form of `obj` with its current values and the changes."""
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[obj.pk])
    form = client.get(url).context["adminform"].form
    isian = {}
    for nama, field in form.fields.items():
        nilai = form.initial.get(nama, field.initial)
        if callable(nilai):
            nilai = nilai()
        if isinstance(nilai, list | tuple) or hasattr(nilai, "model"):
            nilai = [getattr(x, "pk", x) for x in nilai]
        elif hasattr(nilai, "pk"):
            nilai = nilai.pk
        isian[nama] = "" if nilai is None else nilai
    isian.update(perubahan)
    response = client.post(url, isian)
    assert response.status_code == 302, response.content.decode()[:3000]


def test_poverty_line_edit_in_admin_shows_on_next_request(client, personas, data):
    client.force_login(personas.admin)
    sebelum = _teks(client.get(URL, _params(personas)))
    assert _sel(sebelum, "miskin-sebelum") == "60,0% (3)"
    xlsx_sebelum = _sheet_cells(client.get(XLSX, _params(personas)), "Garis kemiskinan")
    assert Decimal("419000") in [
        Decimal(str(v)) for v in xlsx_sebelum if isinstance(v, int | float)
    ]

    # the 2023 Lebak line (the baseline readings' year) raised above every baseline per capita
    garis = GarisKemiskinan.objects.get(wilayah_id="36.02", tahun=2023)
    _ubah_di_admin(client, GarisKemiskinan, garis, nilai="600000")

    sesudah = _teks(client.get(URL, _params(personas)))
    # per capita at baseline: 300.000, 400.000, 500.000, 100.000, 1.500.000 → 4 of 5 below
    assert _sel(sesudah, "miskin-sebelum") == "80,0% (4)"
    assert "Rp600.000" in _sel(sesudah, "tabel-garis")
    xlsx = _sheet_cells(client.get(XLSX, _params(personas)), "Garis kemiskinan")
    angka = [Decimal(str(v)) for v in xlsx if isinstance(v, int | float)]
    assert Decimal("600000") in angka and Decimal("419000") not in angka


def test_fund_rename_in_admin_shows_on_next_request(client, personas, data):
    client.force_login(personas.admin)
    assert "Zakat Produktif" in _sel(
        _teks(client.get(URL, _params(personas))), "tabel-pencairan-sumber"
    )
    zakat = SumberDana.objects.get(nama="Zakat Produktif")
    _ubah_di_admin(client, SumberDana, zakat, nama="Zakat Usaha Mikro")

    tabel = _sel(_teks(client.get(URL, _params(personas))), "tabel-pencairan-sumber")
    assert "Zakat Usaha Mikro" in tabel and "Zakat Produktif" not in tabel
    xlsx = _sheet_cells(client.get(XLSX, _params(personas)), "Pencairan per sumber dana")
    assert "Zakat Usaha Mikro" in xlsx and "Zakat Produktif" not in xlsx


def test_klaster_rename_shows_in_the_revolving_fund(client, personas, data):
    # as the admin saves it (its change form carries inlines; the save is the same ORM save)
    client.force_login(personas.admin)
    client.get(URL, _params(personas))
    personas.klaster_lebak.nama = "Klaster Lebak Baru"
    personas.klaster_lebak.save()
    assert "Klaster Lebak Baru" in _sel(
        _teks(client.get(URL, _params(personas))), "tabel-dana-bergulir"
    )


def test_a_visit_written_by_a_factory_shows_at_once(client, personas, data):
    from kunjungan.tests.factories import KunjunganFactory

    client.force_login(personas.manajer)
    assert _sel(_teks(client.get(URL, _params(personas))), "angka-kehadiran") == "77,8% (7/9)"
    KunjunganFactory(
        fasilitator=personas.fasilitator,
        kelompok=data.ka,
        tanggal=datetime.date(2024, 3, 1),
        hadir=[data.a1, data.a2, data.a3, data.c1],
    )
    # LBK-01 had 4 members on 1 March 2024, all present: 11/13
    assert _sel(_teks(client.get(URL, _params(personas))), "angka-kehadiran") == "84,6% (11/13)"


def test_the_figures_body_is_rendered_once_per_version_and_again_after_a_write(
    client, personas, data
):
    from kunjungan.tests.factories import KunjunganFactory

    def isi_dirender(response, nama="_isi") -> bool:
        return f"laporan/dampak/{nama}.html" in [t.name for t in response.templates]

    client.force_login(personas.manajer)
    pertama = client.get(URL, _params(personas))
    kedua = client.get(URL, _params(personas))
    assert isi_dirender(pertama) and not isi_dirender(kedua)
    assert "program/includes/_laporan.html" in [t.name for t in pertama.templates]
    assert _teks(kedua).count("angka-kehadiran") == 1
    assert _sel(_teks(kedua), "angka-kehadiran") == _sel(_teks(pertama), "angka-kehadiran")
    # another number style is another body
    assert isi_dirender(client.get(URL, {**_params(personas), "angka": "en"}))
    KunjunganFactory(
        fasilitator=personas.fasilitator,
        kelompok=data.ka,
        tanggal=datetime.date(2024, 3, 1),
        hadir=[data.a1, data.a2, data.a3, data.c1],
    )
    ketiga = client.get(URL, _params(personas))
    assert isi_dirender(ketiga)
    assert _sel(_teks(ketiga), "angka-kehadiran") == "84,6% (11/13)"
    # a visit changes neither the money nor the income: those sections are not rendered
    # again, and show what they showed
    assert not isi_dirender(ketiga, "_bagian_uang")
    assert not isi_dirender(ketiga, "_bagian_pendapatan")
    assert "program/includes/_laporan.html" not in [t.name for t in ketiga.templates]
    for id_ in ("total-dicairkan", "miskin-sebelum", "tabel-per-mitra"):
        assert _sel(_teks(ketiga), id_) == _sel(_teks(pertama), id_)


def test_a_poverty_line_edit_renders_the_income_section_again(client, personas, data):
    client.force_login(personas.admin)
    pertama = client.get(URL, _params(personas))
    assert _sel(_teks(pertama), "miskin-sebelum") == "60,0% (3)"
    garis = GarisKemiskinan.objects.get(wilayah_id="36.02", tahun=2023)
    _ubah_di_admin(client, GarisKemiskinan, garis, nilai="600000")
    kedua = client.get(URL, _params(personas))
    nama = [t.name for t in kedua.templates]
    assert "laporan/dampak/_bagian_pendapatan.html" in nama
    assert "laporan/dampak/_bagian_uang.html" not in nama
    assert _sel(_teks(kedua), "miskin-sebelum") == "80,0% (4)"
    assert _sel(_teks(kedua), "total-dicairkan") == _sel(_teks(pertama), "total-dicairkan")


def test_the_cache_survives_a_restart_and_a_repeat_reads_no_figures(client, personas, data):
    client.force_login(personas.manajer)
    pertama = client.get(URL, _params(personas))
    # a new process: its own memory is empty, the shared cache is not
    caches["default"].clear()
    simpanan.kosongkan_salinan()
    with CaptureQueriesContext(connection) as ctx:
        kedua = client.get(URL, _params(personas))
    sql = " ".join(q["sql"] for q in ctx.captured_queries)
    assert "mitra_pengukuranpendapatan" not in sql and "kunjungan_kunjungan" not in sql
    assert "bantuan_bantuan" not in sql
    assert _sel(_teks(kedua), "angka-outstanding") == _sel(_teks(pertama), "angka-outstanding")
    # nor is the body rendered again: the new process reads it back
    assert "laporan/dampak/_isi.html" in [t.name for t in pertama.templates]
    assert "laporan/dampak/_isi.html" not in [t.name for t in kedua.templates]
    assert kedua.context["isi_html"] == pertama.context["isi_html"]


def test_the_dashboards_body_survives_a_restart(client, personas, data):
    client.force_login(personas.manajer)
    pertama = client.get(reverse("klaster:beranda"))
    caches["default"].clear()
    simpanan.kosongkan_salinan()
    kedua = client.get(reverse("klaster:beranda"))
    nama = "laporan/dasbor/_isi.html"
    assert nama in [t.name for t in pertama.templates]
    assert nama not in [t.name for t in kedua.templates]
    assert kedua.context["isi_html"] == pertama.context["isi_html"]


def test_a_body_asked_with_a_foreign_parameter_stays_in_its_process(client, personas, data):
    # any query string is a key of its own: one the report does not read is not written to
    # the shared cache, so odd URLs cannot fill it
    client.force_login(personas.manajer)
    lain = {**_params(personas), "utm_source": "surel"}
    client.get(URL, lain)
    assert "laporan/dampak/_isi.html" not in [t.name for t in client.get(URL, lain).templates]
    caches["default"].clear()
    simpanan.kosongkan_salinan()
    assert "laporan/dampak/_isi.html" in [t.name for t in client.get(URL, lain).templates]


def _nasional():
    user = UserFactory(username="nasional", grup="Manajer Program")
    user.groups.add(Group.objects.get_or_create(name=GRUP_NASIONAL)[0])
    return user


def test_a_write_recomputes_only_the_klaster_it_touched(client, personas):
    isi_data(personas, n_kelompok=2, n_mitra=4)
    isi_data(personas, n_kelompok=2, n_mitra=4, klaster=personas.klaster_lain, seed=9)
    client.force_login(_nasional())
    client.get(URL)
    lain = personas.klaster_lain.pk
    from mitra.tests.factories import MitraFactory

    MitraFactory(kelompok=personas.kelompok_lebak)  # a write in Lebak only
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(URL).status_code == 200
    # the figures read again are Lebak's: no query names the other klaster's id alone
    dibaca = [q["sql"] for q in ctx.captured_queries if "mitra_mitra" in q["sql"]]
    assert dibaca
    assert not any(re.search(rf"IN \({lain}\)", q) for q in dibaca)


def test_merged_klaster_equal_the_whole_computation(client, personas):
    """Two klaster merged from their cached parts give the figures one computation over both
    gives (selectors' whole-scope functions)."""
    isi_data(personas, n_kelompok=3, n_mitra=6)
    isi_data(personas, n_kelompok=2, n_mitra=5, klaster=personas.klaster_lain, seed=3)
    KlasterFactory()  # a third klaster, empty
    from klaster.models import Klaster
    from klaster.versi import dengan_versi

    klaster = list(dengan_versi(Klaster.objects.all()))
    versi = bagian.versi_dari(klaster)
    for sampai in (datetime.date(2023, 12, 31), datetime.date(2025, 6, 30)):
        s = selectors.Saringan(
            klaster=Klaster.objects.all(), dari=datetime.date(2023, 1, 1), sampai=sampai
        )
        gabungan = bagian.laporan_dampak(s, versi, pendapatan="halaman")
        utuh = selectors.ringkasan_dasar(s)
        assert gabungan.orang == utuh["orang"]
        assert gabungan.uang == utuh["uang"]
        pf = selectors.portofolio(s)
        assert {k: gabungan.portofolio[k] for k in pf} == pf
        pd = selectors.perubahan_pendapatan(s)
        for k in (
            "total",
            "per_sektor",
            "n_mitra",
            "n_lengkap",
            "n_dikecualikan",
            "n_per_kelompok",
        ):
            assert gabungan.pendapatan[k] == pd[k], k
        assert [g["n"] for g in gabungan.pendapatan["garis_dipakai"]] == [
            g["n"] for g in pd["garis_dipakai"]
        ]
        assert gabungan.pendapatan["per_kelompok"] == pd["per_kelompok"][: bagian.BARIS_HALAMAN]
        assert [b.mitra_id for b in gabungan.pendapatan["per_mitra"]] == [
            b.mitra_id for b in pd["per_mitra"][: bagian.BARIS_HALAMAN]
        ]
        assert gabungan.kegiatan == selectors.kegiatan(s)


def test_every_write_bumps_its_klasters_version(personas):
    from kunjungan.tests.factories import KunjunganFactory
    from mitra.tests.factories import MitraFactory

    def nomor(k):
        return (
            VersiAngka.objects.filter(lingkup=f"klaster:{k.pk}")
            .values_list("nomor", flat=True)
            .first()
        )

    lebak, lain = personas.klaster_lebak, personas.klaster_lain
    awal = (nomor(lebak), nomor(lain))
    m = MitraFactory(kelompok=personas.kelompok_lebak)
    setelah_mitra = (nomor(lebak), nomor(lain))
    assert setelah_mitra[0] != awal[0] and setelah_mitra[1] == awal[1]
    KunjunganFactory(kelompok=personas.kelompok_lebak, hadir=[m])
    assert nomor(lebak) != setelah_mitra[0] and nomor(lain) == awal[1]


def test_missing_parts_are_stored_batch_by_batch(personas, monkeypatch):
    """At national scale the missing parts are computed in batches, each stored at once: a
    request cut in the middle (its timeout) leaves the finished batches for the next."""
    isi_data(personas, n_kelompok=2, n_mitra=3)
    isi_data(personas, n_kelompok=2, n_mitra=3, klaster=personas.klaster_lain, seed=5)
    from klaster.models import Klaster
    from klaster.versi import dengan_versi

    versi = bagian.versi_dari(list(dengan_versi(Klaster.objects.all())))
    assert len(versi.ids()) >= 2
    s = selectors.Saringan(
        klaster=Klaster.objects.all(),
        dari=datetime.date(2023, 1, 1),
        sampai=datetime.date(2025, 6, 30),
    )
    simpanan.kosongkan_salinan()
    caches["laporan"].clear()
    monkeypatch.setattr(bagian, "KLASTER_PER_HITUNG", 1)
    asli = bagian._hitung
    dihitung = []

    def hitung_lalu_putus(grup, s_, ids, pencari):
        if len({k for k, *_ in dihitung} | set(ids)) > 1:
            raise TimeoutError("cut by the request's timeout")
        dihitung.append((*ids, grup))
        return asli(grup, s_, ids, pencari)

    monkeypatch.setattr(bagian, "_hitung", hitung_lalu_putus)
    with pytest.raises(TimeoutError):
        bagian.bagian_per_klaster(s, versi, bagian.LAPORAN)
    pertama = versi.ids()[0]
    versi_grup = versi_angka.baca_grup(versi.ids())
    kunci = {
        (k, g): bagian._kunci_grup(k, g, versi_grup[k][g], s, versi)
        for k in versi.ids()
        for g in versi_angka.GRUP
    }
    simpanan.kosongkan_salinan()
    tersimpan = simpanan.ambil(kunci.values())
    # the first batch is kept (an entry per group of sections), the cut one is not
    assert set(tersimpan) == {kunci[(pertama, g)] for g in versi_angka.GRUP}
    for g in versi_angka.GRUP:
        assert set(tersimpan[kunci[(pertama, g)]]) == set(bagian.BAGIAN_GRUP[g])

    # the next request computes only what is missing, and its figures equal a cold run's
    monkeypatch.setattr(bagian, "_hitung", asli)
    dihitung.clear()
    parts = bagian.bagian_per_klaster(s, versi, bagian.LAPORAN)
    monkeypatch.setattr(bagian, "KLASTER_PER_HITUNG", 100)
    simpanan.kosongkan_salinan()
    caches["laporan"].clear()
    assert bagian.bagian_per_klaster(s, versi, bagian.LAPORAN) == parts


def test_hitung_laporan_leaves_the_national_dashboard_nothing_to_compute(client, personas):
    """manage.py hitung_laporan (run by seed_demo, after a deployment, daily) computes what
    the national dashboard reads: its first request afterwards, in a new process, computes
    no klaster's part and answers the same page as one that computed them itself."""
    from django.core.management import call_command

    isi_data(personas, n_kelompok=2, n_mitra=3)
    isi_data(personas, n_kelompok=2, n_mitra=3, klaster=personas.klaster_lain, seed=5)
    client.force_login(_nasional())
    sendiri = client.get("/").content  # computed by the page itself
    caches["laporan"].clear()
    caches["default"].clear()
    simpanan.kosongkan_salinan()
    keluaran = io.StringIO()
    call_command("hitung_laporan", stdout=keluaran)
    assert "Report parts of 2 klaster" in keluaran.getvalue()
    caches["default"].clear()  # a new process: the rendered body and the copies are gone
    simpanan.kosongkan_salinan()
    dihitung = []
    asli = bagian._hitung

    def catat(grup, s, ids, pencari):
        dihitung.append((grup, tuple(ids)))
        return asli(grup, s, ids, pencari)

    import unittest.mock

    with unittest.mock.patch.object(bagian, "_hitung", catat):
        sesudah = client.get("/")
    assert sesudah.status_code == 200
    assert dihitung == []
    # the same page but for the per-response tokens (CSRF, CSP nonce)
    assert _tanpa_token(sesudah.content) == _tanpa_token(sendiri)


def _tanpa_token(html: bytes) -> str:
    teks = html.decode()
    teks = re.sub(r'nonce="[^"]*"', "", teks)
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", teks)


def test_a_digest_does_not_depend_on_shared_objects():
    def baru():  # a new string object each time
        return "".join(["Pertanian ", "1"])

    label = baru()
    dibagi = [{"label": label}, {"label": label}]
    terpisah = [{"label": baru()}, {"label": baru()}]
    assert terpisah[0]["label"] is not terpisah[1]["label"]
    # (plain pickling writes the shared one once and refers to it: other bytes)
    assert pickle.dumps(dibagi) != pickle.dumps(terpisah)
    assert simpanan.sidik(dibagi) == simpanan.sidik(terpisah)
    assert simpanan.sidik(dibagi) != simpanan.sidik(
        [{"label": "Pertanian 1"}, {"label": "Peternakan"}]
    )


def test_the_dashboards_versions_are_those_every_other_page_reads(personas):
    """saringan_dasbor reads the versions as plain rows (no per-row ORM objects): the same
    versions and klaster as versi_dari over the same scope, a klaster without a version row
    yet included (it gets one), and its filter over exactly those klaster."""
    from klaster.models import Klaster
    from klaster.versi import dengan_versi

    baru = KlasterFactory()
    VersiAngka.objects.filter(klaster=baru).delete()  # as a klaster made before versions
    hari_ini = datetime.date(2025, 6, 30)
    saringan, versi = bagian.saringan_dasbor(Klaster.objects.all(), hari_ini)
    assert versi == bagian.versi_dari(list(dengan_versi(Klaster.objects.all())))
    assert baru.pk in versi.ids() and len(versi.ids()) == Klaster.objects.count()
    assert sorted(saringan.klaster.values_list("pk", flat=True)) == versi.ids()
    assert saringan.sampai == saringan.per_tanggal == hari_ini
    # a scope of none: no klaster query at all, only the reference tables' version
    with CaptureQueriesContext(connection) as ctx:
        kosong, versi_kosong = bagian.saringan_dasbor(Klaster.objects.none(), hari_ini)
    assert (
        len(ctx.captured_queries) == 1 and "klaster_klaster" not in ctx.captured_queries[0]["sql"]
    )
    assert versi_kosong == bagian.Versi((), versi.acuan) and not kosong.klaster.exists()


@pytest.mark.postgres
def test_the_dashboards_key_changes_with_any_version_of_its_scope_and_only_then(personas):
    """kunci_dasbor keys the dashboard's body on a digest PostgreSQL computes from the
    scope's (klaster id, version) pairs and the reference version: the same while nothing
    changes; another after a write in any klaster of the scope, after a reference table's
    change, on another day, and for another scope; none (so the versions are read) where a
    klaster has no version row yet."""
    from klaster.models import Klaster

    hari_ini = datetime.date(2025, 6, 30)
    semua = Klaster.objects.all()
    bagian.saringan_dasbor(semua, hari_ini)  # every klaster has its version row
    awal = bagian.kunci_dasbor(semua, hari_ini)
    assert awal is not None and awal == bagian.kunci_dasbor(Klaster.objects.all(), hari_ini)
    dilihat = set()
    for ubah in (
        lambda: versi_angka.naikkan([personas.klaster_lain.pk], grup=[versi_angka.KEGIATAN]),
        lambda: versi_angka.naikkan([personas.klaster_lebak.pk]),
        lambda: versi_angka.naikkan(acuan=True),
    ):
        sebelum = bagian.kunci_dasbor(semua, hari_ini)
        ubah()
        sesudah = bagian.kunci_dasbor(semua, hari_ini)
        assert sesudah != sebelum and sesudah not in dilihat
        dilihat |= {sebelum, sesudah}
    kini = bagian.kunci_dasbor(semua, hari_ini)
    assert bagian.kunci_dasbor(semua, hari_ini + datetime.timedelta(days=1)) != kini
    lebak = Klaster.objects.filter(pk=personas.klaster_lebak.pk)
    assert bagian.kunci_dasbor(lebak, hari_ini) not in (None, kini)
    # a klaster made before versions: no key from the digest, the versions are read
    baru = KlasterFactory()
    VersiAngka.objects.filter(klaster=baru).delete()
    assert bagian.kunci_dasbor(Klaster.objects.all(), hari_ini) is None
    assert bagian.kunci_dasbor(Klaster.objects.none(), hari_ini) is None


@pytest.mark.postgres
def test_the_digest_under_a_scope_name_reads_the_scope_as_it_is_now(personas):
    """With its scope's name, the digest's SQL is composed once per process
    (klaster/versi.py, _SQL_SIDIK); which klaster the scope holds is still read when it
    runs: an assignment added or ended, or the national group given, changes the digest as
    it does without the name."""
    from klaster.models import Klaster, kunci_lingkup

    hari_ini = datetime.date(2025, 6, 30)
    manajer = personas.manajer
    bagian.saringan_dasbor(Klaster.objects.all(), hari_ini)  # every klaster has its version row

    def sidik(user):
        qs = Klaster.objects.visible_to(user, hari_ini)
        dengan = versi_angka.sidik_lingkup(qs, kunci_lingkup(user, hari_ini))
        assert dengan == versi_angka.sidik_lingkup(qs)  # the same as composed afresh
        return dengan

    awal = sidik(manajer)
    with mock.patch.object(versi_angka, "_sql_versi", wraps=versi_angka._sql_versi) as susun:
        for _ in range(3):
            assert sidik(manajer) == awal
    # composed once for the name (and once per call only where it is given none)
    assert susun.call_count == 3
    tugas = PenugasanFactory(
        pengguna=manajer, klaster=personas.klaster_lain, peran=Penugasan.Peran.MANAJER
    )
    dua = sidik(manajer)
    assert dua != awal
    tugas.sampai = hari_ini - datetime.timedelta(days=1)
    tugas.save()
    assert sidik(manajer) == awal
    manajer.groups.add(Group.objects.get_or_create(name=GRUP_NASIONAL)[0])
    manajer = type(manajer).objects.get(pk=manajer.pk)  # the groups are read per request
    nasional = sidik(manajer)
    assert nasional == versi_angka.sidik_lingkup(Klaster.objects.all()) != awal


def test_the_dashboard_shows_a_write_in_any_klaster_on_the_next_request(client, personas):
    """The body kept under the digest's key: the same body while nothing changes; a visit
    recorded in either klaster of a national manager's scope shows on the next request."""
    from kunjungan.tests.factories import KunjunganFactory

    nasional = UserFactory(username="nasional_dasbor", grup=GRUP_MANAJER)
    nasional.groups.add(Group.objects.get_or_create(name=GRUP_NASIONAL)[0])
    client.force_login(nasional)

    def isi():
        respons = client.get(reverse("klaster:beranda"))
        assert respons.status_code == 200
        return respons.context["isi_html"]

    pertama = isi()
    assert isi() == pertama
    KunjunganFactory(klaster=personas.klaster_lain, kelompok=personas.kelompok_lain)
    kedua = isi()
    assert kedua != pertama
    KunjunganFactory(klaster=personas.klaster_lebak, kelompok=personas.kelompok_lebak)
    assert isi() != kedua


def test_a_manager_with_no_klaster_sees_what_to_ask_for(client, db):
    manajer = UserFactory(grup="Manajer Program")
    client.force_login(manajer)
    respons = client.get(reverse("klaster:beranda"))
    assert respons.status_code == 200
    assert "Belum ada klaster yang ditugaskan kepada Anda" in respons.content.decode()


def test_blocks_of_any_size_give_the_figures_the_klaster_give(personas, monkeypatch):
    """A scope larger than BLOK merges one part per block (every section's parts of the
    block added up): for every block size, every figure of every section equals the merge
    of the klaster's own parts."""
    from klaster.models import Klaster
    from klaster.versi import dengan_versi
    from program.tests.data_program import buat_data_program

    buat_data_program(personas)
    isi_data(personas, n_kelompok=3, n_mitra=6)
    isi_data(personas, n_kelompok=2, n_mitra=5, klaster=personas.klaster_lain, seed=3)
    ketiga = KlasterFactory()
    isi_data(personas, n_kelompok=2, n_mitra=4, klaster=ketiga, seed=5)
    KlasterFactory()  # an empty one
    versi = bagian.versi_dari(list(dengan_versi(Klaster.objects.all())))
    assert len(versi.klaster) == 4

    def hitung(blok, s):
        caches["laporan"].clear()
        simpanan.kosongkan_salinan()
        monkeypatch.setattr(bagian, "BLOK", blok)
        return bagian.ambil(s, versi, bagian.LAPORAN)

    for dari, sampai in [
        (datetime.date(2024, 1, 1), datetime.date(2024, 12, 31)),
        (None, datetime.date(2025, 6, 30)),
    ]:
        s = selectors.Saringan(klaster=Klaster.objects.all(), dari=dari, sampai=sampai)
        per_klaster = hitung(100, s)
        assert per_klaster["program"]["cibest"]["n"] > 0  # the programme's half is there
        assert per_klaster["pendapatan"]["n_lengkap"] > 0
        for blok in (1, 2, 3):
            per_blok = hitung(blok, s)
            for nama in bagian.LAPORAN:
                assert per_blok[nama] == per_klaster[nama], (blok, nama)


def _versi_program(klaster) -> int | None:
    return (
        VersiAngka.objects.filter(lingkup=f"program:{klaster.pk}")
        .values_list("nomor", flat=True)
        .first()
    )


def test_field_work_leaves_the_programmes_version_and_the_rest_changes_it(personas):
    """Visits, attendance, income readings, financing, instalments and savings change the
    klaster's version only; a mitra, a kelompok or a programme record changes the version
    of its programme's sections too (klaster/versi.py), through a service or the ORM alone
    (the admin, the shell)."""
    from bantuan.models import Angsuran
    from bantuan.services import angsuran_catat
    from kunjungan.tests.factories import KunjunganFactory
    from kunjungan.tests.kunjungan_data import beri_pinjaman
    from mitra.models import PengukuranPendapatan
    from mitra.tests.factories import MitraFactory
    from program.tests.factories import KegiatanProgramFactory
    from tabungan.models import TransaksiTabungan

    lebak = personas.klaster_lebak
    m = MitraFactory(kelompok=personas.kelompok_lebak)

    def keduanya():
        return (
            VersiAngka.objects.get(lingkup=f"klaster:{lebak.pk}").nomor,
            _versi_program(lebak),
        )

    for tulis in (
        lambda: KunjunganFactory(kelompok=personas.kelompok_lebak, hadir=[m]),
        lambda: PengukuranPendapatan.objects.create(
            mitra=m, tanggal=datetime.date(2024, 1, 5), pendapatan_bulanan=Decimal("900000")
        ),
        lambda: beri_pinjaman(personas, m),  # proposed, approved, disbursed: the services
        lambda: angsuran_catat(
            bantuan=m.bantuan.get(), jumlah=Decimal("100000"), tanggal=datetime.date.today(),
            oleh=personas.fasilitator,
        ),
        lambda: Angsuran.objects.create(
            bantuan=m.bantuan.get(), jumlah=Decimal("50000"), tanggal=datetime.date.today()
        ),
        lambda: TransaksiTabungan.objects.create(
            klaster=lebak, kelompok=personas.kelompok_lebak, mitra=m,
            jenis="setoran", tanggal=datetime.date(2024, 1, 5), jumlah=Decimal("10000"),
            dicatat_oleh=personas.fasilitator,
        ),
    ):  # fmt: skip
        sebelum = keduanya()
        tulis()
        sesudah = keduanya()
        assert sesudah[0] != sebelum[0] and sesudah[1] == sebelum[1]
    for tulis in (
        lambda: MitraFactory(kelompok=personas.kelompok_lebak),
        lambda: KegiatanProgramFactory(klaster=lebak),
    ):
        sebelum = keduanya()
        tulis()
        sesudah = keduanya()
        assert sesudah[0] != sebelum[0] and sesudah[1] != sebelum[1]


@pytest.mark.parametrize("blok", [None, 1], ids=["klaster", "blocks"])
def test_after_a_visit_only_the_groups_it_touched_are_computed(personas, monkeypatch, blok):
    """The report after a visit recorded at a meeting (attendance and an income reading,
    through kunjungan.services) computes the visited klaster's visits and income groups
    again, merges only their sections over the scope, and reads the rest; after a programme
    write (an activity) it computes and merges the programme's part again. Every time, the
    figures equal a computation from an empty cache. With blocks of one klaster (a scope
    larger than BLOK), only the touched groups' blocks are added up again."""
    import uuid

    from klaster.models import Klaster
    from klaster.versi import dengan_versi
    from kunjungan.services import kunjungan_catat
    from program.tests.data_program import buat_data_program
    from program.tests.factories import KegiatanProgramFactory

    buat_data_program(personas)
    isi_data(personas, n_kelompok=2, n_mitra=4)
    isi_data(personas, n_kelompok=1, n_mitra=3, klaster=personas.klaster_lain, seed=3)
    hari_ini = datetime.date.today()
    s = selectors.Saringan(
        klaster=Klaster.objects.all(), dari=datetime.date(2024, 1, 1), sampai=hari_ini
    )
    dihitung, digabung = [], []
    asli, asli_gabung = bagian._hitung, bagian._gabung

    def catat(grup, s_, ids, pencari):
        dihitung.append((grup, tuple(ids)))
        return asli(grup, s_, ids, pencari)

    def catat_gabung(nama, *args):
        digabung.append(nama)
        return asli_gabung(nama, *args)

    dijumlahkan = []
    asli_jumlahkan = bagian._jumlahkan

    def catat_jumlahkan(nama, *args):
        dijumlahkan.append(nama)
        return asli_jumlahkan(nama, *args)

    monkeypatch.setattr(bagian, "_hitung", catat)
    monkeypatch.setattr(bagian, "_gabung", catat_gabung)
    monkeypatch.setattr(bagian, "_jumlahkan", catat_jumlahkan)
    if blok:
        monkeypatch.setattr(bagian, "BLOK", blok)

    def laporan(dari_kosong=False, restart=False):
        if dari_kosong:
            caches["laporan"].clear()
        if dari_kosong or restart:
            simpanan.kosongkan_salinan()
        dihitung.clear()
        digabung.clear()
        dijumlahkan.clear()
        versi = bagian.versi_dari(list(dengan_versi(Klaster.objects.all())))
        return bagian.ambil(s, versi, bagian.LAPORAN)

    laporan()
    lebak = personas.klaster_lebak.pk
    kelompok = personas.kelompok_lebak
    hadir = list(kelompok.anggota.order_by("pk")[:2])
    kunjungan_catat(
        oleh=personas.fasilitator, uuid=uuid.uuid4(), kelompok=kelompok, tanggal=hari_ini,
        jenis_kegiatan="pertemuan_kelompok", hadir=hadir,
        pendapatan={hadir[0].pk: Decimal("1750000")},
    )  # fmt: skip
    setelah_kunjungan = laporan()
    # the visits and the income readings of the visited klaster, nothing else; and only
    # their sections merged again over the scope
    assert sorted(dihitung) == [("kegiatan", (lebak,)), ("pendapatan", (lebak,))]
    assert sorted(digabung) == ["kegiatan", "pendapatan", "pendapatan_daftar"]
    # (blocks of one klaster: the visited klaster's block, its touched groups only)
    assert sorted(dijumlahkan) == (sorted(digabung) if blok else [])
    # in another language every section is merged again (its labels), from the parts and
    # blocks kept: the untouched groups' blocks were kept under their own versions
    with translation.override("en"):
        laporan()
    assert sorted(digabung) == sorted(bagian.LAPORAN) and dihitung == dijumlahkan == []
    # a restarted process reads every section from the shared cache and merges nothing
    assert laporan(restart=True) == setelah_kunjungan and digabung == dihitung == []
    assert setelah_kunjungan == laporan(dari_kosong=True)
    assert "program" in {g for g, _ids in dihitung}  # (the empty cache computed it)
    assert sorted(digabung) == sorted(bagian.LAPORAN)

    KegiatanProgramFactory(klaster=personas.klaster_lebak, tanggal=hari_ini, jam=Decimal("3"))
    setelah_kegiatan = laporan()
    assert ("program", (lebak,)) in dihitung
    # (a factory's save names no groups: every group of the klaster computed again) the
    # sections merged again are those of the groups computed again
    assert sorted(digabung) == sorted(
        n for n, g in bagian.BAGIAN.items() if (g, (lebak,)) in dihitung
    )
    assert (
        setelah_kegiatan["program"]["kegiatan_program"]["kegiatan"]
        == setelah_kunjungan["program"]["kegiatan_program"]["kegiatan"] + 1
    )
    assert setelah_kegiatan == laporan(dari_kosong=True)


_TABEL_SQL = re.compile(r'(?:FROM|JOIN|INTO|UPDATE)\s+"([a-z0-9_]+)"', re.I)


def _tabel(queries, *, menulis: bool) -> set[str]:
    """The tables the SQL reads (menulis=False: FROM/JOIN of every statement) or writes
    (INSERT INTO, UPDATE, DELETE FROM)."""
    hasil = set()
    for q in queries:
        sql = q["sql"]
        tulis = re.match(r"\s*(INSERT|UPDATE|DELETE)\b", sql, re.I)
        if menulis and tulis:
            hasil.add(_TABEL_SQL.search(sql).group(1))
        elif not menulis and not tulis:
            hasil |= set(_TABEL_SQL.findall(sql))
    return hasil


def test_a_write_leaves_only_the_groups_whose_tables_it_does_not_write(personas):
    """Every group of sections whose version a write leaves reads no table the write wrote:
    the groups each write bumps (read from the version rows, before and after) and the
    tables it writes (INSERT, UPDATE, DELETE) against the tables each group's part of a
    klaster reads (laporan.bagian._hitung's SQL) — not a list kept by hand. The writes: a
    meeting with attendance only; one with an income reading, an instalment and a savings
    deposit; a follow-up closed; a financing proposed, approved, disbursed and repaid; a
    deposit and a reading outside a meeting."""
    import uuid

    from bantuan.services import angsuran_catat
    from klaster.models import Klaster
    from kunjungan.services import kunjungan_catat, kunjungan_tindak_lanjut_selesai
    from kunjungan.tests.kunjungan_data import beri_pinjaman
    from mitra.models import PengukuranPendapatan
    from mitra.services import pengukuran_catat
    from program.tests.data_program import buat_data_program
    from tabungan.services import setoran_catat

    buat_data_program(personas)
    isi_data(personas, n_kelompok=1, n_mitra=3)
    hari_ini = datetime.date.today()
    lebak = personas.klaster_lebak
    kelompok = personas.kelompok_lebak
    anggota = list(kelompok.anggota.order_by("pk")[:3])
    fas = personas.fasilitator
    s = selectors.Saringan(klaster=Klaster.objects.all(), sampai=hari_ini)
    dibaca = {}
    for grup in versi_angka.GRUP:
        with CaptureQueriesContext(connection) as baca:
            bagian._hitung(grup, s, [lebak.pk], bagian._Pencari())
        dibaca[grup] = _tabel(baca.captured_queries, menulis=False)
    # and what each section's merge reads (its entry is kept under its group's versions
    # too: laporan.bagian.bagian_gabungan), over the parts of every klaster
    versi_semua = bagian._versi(*versi_angka.baca(Klaster.objects.values_list("pk", flat=True)))
    parts = bagian.bagian_per_blok(s, versi_semua, bagian.LAPORAN)
    for nama, grup in bagian.BAGIAN.items():
        with CaptureQueriesContext(connection) as baca:
            bagian._gabung(nama, s, parts[nama], versi_semua, bagian._Pencari())
        dibaca[grup] |= _tabel(baca.captured_queries, menulis=False)
    assert {"mitra_mitra", "program_jawabansurvei"} <= dibaca["program"]
    assert "kunjungan_kunjungan" in dibaca["kegiatan"]
    assert "auth_user" in dibaca["kegiatan"]  # the facilitators' names, read by the merge
    pinjaman = beri_pinjaman(personas, anggota[0])

    def kunjungan(**catatan):
        return kunjungan_catat(
            oleh=fas, uuid=uuid.uuid4(), kelompok=kelompok, tanggal=hari_ini,
            jenis_kegiatan="pertemuan_kelompok", hadir=anggota, tindak_lanjut="Cek kas", **catatan,
        )  # fmt: skip

    tulisan = {
        "meeting, attendance only": lambda: kunjungan(),
        "meeting with a reading, an instalment, a deposit": lambda: kunjungan(
            pendapatan={anggota[1].pk: Decimal("1500000")},
            angsuran={anggota[0].pk: Decimal("100000")},
            tabungan={anggota[2].pk: Decimal("20000")},
        ),
        "follow-up closed": lambda: kunjungan_tindak_lanjut_selesai(
            kunjungan=kelompok.kunjungan.order_by("-pk").first(), oleh=fas
        ),
        "financing": lambda: beri_pinjaman(personas, anggota[1]),
        "instalment": lambda: angsuran_catat(
            bantuan=pinjaman, jumlah=Decimal("100000"), tanggal=hari_ini, oleh=fas
        ),
        "deposit": lambda: setoran_catat(
            oleh=fas, mitra=anggota[1], tanggal=hari_ini, jumlah=Decimal("5000")
        ),
        "reading": lambda: pengukuran_catat(
            oleh=fas,
            mitra=anggota[2],
            tanggal=hari_ini,
            pendapatan_bulanan=Decimal("1250000"),
            jenis=PengukuranPendapatan.Jenis.MONITORING,
        ),  # fmt: skip
    }

    def versi_grup():
        return versi_angka.baca_grup([lebak.pk])[lebak.pk]

    for nama, tulis in tulisan.items():
        sebelum = versi_grup()
        with CaptureQueriesContext(connection) as ctx:
            tulis()
        sesudah = versi_grup()
        ditulis = _tabel(ctx.captured_queries, menulis=True) - {"klaster_versiangka"}
        assert ditulis, nama
        tetap = [g for g in versi_angka.GRUP if sesudah[g] == sebelum[g]]
        assert tetap, nama  # every one of these writes leaves some group as it was
        for g in tetap:
            assert not dibaca[g] & ditulis, (nama, g, dibaca[g] & ditulis)


def test_the_groups_of_sections_are_the_versions_groups():
    assert set(bagian.BAGIAN.values()) == set(versi_angka.GRUP)
    assert sorted(n for g in versi_angka.GRUP for n in bagian.BAGIAN_GRUP[g]) == sorted(
        bagian.LAPORAN
    )

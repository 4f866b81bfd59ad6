"""seed_demo reproduces the Lebak programme's figures exactly.

The command runs once for the module (skala 1, fixed seed, ending on the real exit workshop
date) inside a transaction that is rolled back at the end, so other modules never see its
rows. Every figure is recomputed here from the raw rows, independently of the generator and
of the app's selectors.
"""

import dataclasses
import datetime as dt
import io
import re
from collections import Counter, defaultdict
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from bantuan import selectors as bantuan_selectors
from bantuan.jadwal import hitung_jadwal
from bantuan.models import Angsuran, Bantuan, JadwalAngsuran
from demo import nama as N
from demo.alur import rencana_berurutan, rencana_paralel
from demo.rencana import KOLOM, Konteks, Nomor, rencanakan
from demo.teks_copy import teks_copy
from kelompok.models import Kelompok, Lembaga
from klaster.models import Klaster, Penugasan
from kunjungan.models import Kunjungan
from mitra import nik
from mitra.models import Mitra, PengukuranPendapatan

SAMPAI = dt.date(2014, 3, 6)
PASSWORD = "sandi-demo-uji-2014"
DESA = {"36.02.06.2002", "36.02.06.2006", "36.02.06.2004", "36.02.06.2011"}
CAIR = ("dicairkan", "lunas", "dihapusbukukan")

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """Seed once for the module; roll everything back afterwards."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            out = io.StringIO()
            call_command(
                "seed_demo", "--force", "--sampai", SAMPAI.isoformat(), "--password", PASSWORD,
                stdout=out,
            )  # fmt: skip
            lebak = Klaster.objects.get(kode="LBK")
            yield SimpleNamespace(
                output=out.getvalue(),
                lebak=lebak,
                fasilitator=get_user_model().objects.get(username="fasilitator"),
                mitra={
                    m.pk: m for m in Mitra.objects.filter(klaster=lebak).select_related("kelompok")
                },
                pinjaman=_posisi_pinjaman(lebak),
            )
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def _kolektibilitas(hari: int) -> int:
    return 1 if hari <= 0 else 2 if hari <= 90 else 3 if hari <= 120 else 4 if hari <= 180 else 5


def _posisi_pinjaman(klaster) -> list[SimpleNamespace]:
    """Each disbursed loan with its paid sum, remaining principal and days past due at
    SAMPAI, from the raw rows: the oldest instalment due before SAMPAI whose cumulative
    amount is not covered by what was paid."""
    terbayar = defaultdict(Decimal)
    for bantuan_id, jumlah in Angsuran.objects.filter(
        bantuan__klaster=klaster, tanggal__lte=SAMPAI
    ).values_list("bantuan_id", "jumlah"):
        terbayar[bantuan_id] += jumlah
    jadwal = defaultdict(list)
    for row in JadwalAngsuran.objects.filter(bantuan__klaster=klaster).order_by("bantuan", "ke"):
        jadwal[row.bantuan_id].append(row)
    hasil = []
    for b in Bantuan.objects.filter(klaster=klaster, jenis="modal_bergulir", status__in=CAIR):
        bayar = terbayar[b.pk]
        tertunggak = [j for j in jadwal[b.pk] if j.kumulatif > bayar and j.jatuh_tempo < SAMPAI]
        hari = (SAMPAI - tertunggak[0].jatuh_tempo).days if tertunggak else 0
        hasil.append(
            SimpleNamespace(
                bantuan=b, terbayar=bayar, sisa=b.jumlah - bayar, hari=hari,
                kolektibilitas=_kolektibilitas(hari), jadwal=jadwal[b.pk],
            )
        )  # fmt: skip
    return hasil


# --- people and structure ---------------------------------------------------------------


@pytest.mark.postgres
def test_skala_2_runs_on_postgresql_without_the_regions_loaded_first(db):
    # Defined before the tests that use `demo` so it runs on an empty database. The bulk
    # load alters tables inside the seed's transaction; the regions it needs used to be
    # inserted in that same transaction ("pending trigger events" on a fresh database).
    from klaster.models import Wilayah

    assert not Wilayah.objects.filter(kode="36.02.06").exists()
    out = io.StringIO()
    call_command(
        "seed_demo", "--force", "--skala", "2", "--sampai", SAMPAI.isoformat(),
        "--password", PASSWORD, stdout=out,
    )  # fmt: skip
    assert Klaster.objects.count() == 3
    assert Wilayah.objects.filter(kode="36.02.06").exists()
    assert "wilayah" in out.getvalue()


def test_it_builds_lebak_and_a_small_second_klaster(demo):
    assert Klaster.objects.count() == 2
    lebak = demo.lebak
    assert lebak.nama == "Klaster Mandiri Lebak"
    assert lebak.kabupaten_id == "36.02"
    assert list(lebak.kecamatan.values_list("kode", flat=True)) == ["36.02.06"]
    lain = Klaster.objects.exclude(pk=lebak.pk).get()
    assert list(lain.kecamatan.values_list("kode", flat=True)) == ["36.02.01"]
    assert lain.kabupaten_id == "36.02"


def test_demo_users_have_roles_scope_and_the_password(demo, settings):
    # the module's seed ran before conftest switched this test to the MD5 hasher
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]
    User = get_user_model()
    users = User.objects.in_bulk(
        ["admin", "manajer", "fasilitator", "fasilitator2"], field_name="username"
    )
    assert users["admin"].is_superuser and users["admin"].is_staff
    # one hash for all (hashing is slow): checking one checks them all
    assert len({u.password for u in users.values()}) == 1
    assert users["fasilitator"].check_password(PASSWORD)
    assert users["manajer"].groups.filter(name="Manajer Program").exists()
    assert users["fasilitator"].groups.filter(name="Fasilitator").exists()
    assert users["fasilitator2"].groups.filter(name="Fasilitator").exists()
    tugas = set(Penugasan.objects.values_list("pengguna__username", "klaster__kode", "peran"))
    assert ("manajer", "LBK", "manajer") in tugas
    assert ("fasilitator", "LBK", "fasilitator") in tugas
    assert {(k, p) for u, k, p in tugas if u == "fasilitator2"} == {("MLP", "fasilitator")}
    # scoping is visible: fasilitator2 sees only the small klaster
    assert list(
        Klaster.objects.visible_to(users["fasilitator2"]).values_list("kode", flat=True)
    ) == ["MLP"]
    assert list(
        Klaster.objects.visible_to(users["fasilitator"]).values_list("kode", flat=True)
    ) == ["LBK"]


def test_lebak_has_32_kelompok_and_324_mitra_by_sector(demo):
    kelompok = list(Kelompok.objects.filter(klaster=demo.lebak))
    assert len(kelompok) == 32
    assert {k.desa_id for k in kelompok} == DESA
    mitra = demo.mitra.values()
    assert len(mitra) == 324
    assert Counter(m.sektor for m in mitra) == {"pertanian": 100, "peternakan": 85, "umkm": 139}
    per_kelompok = defaultdict(list)
    for m in mitra:
        per_kelompok[m.kelompok_id].append(m)
        assert m.sektor == m.kelompok.sektor and m.desa_id == m.kelompok.desa_id
    for k in kelompok:
        assert k.ketua_id in {m.pk for m in per_kelompok[k.pk]}, "the leader is a member"
        assert demo.mitra[k.ketua_id].status == "aktif"


def test_three_koperasi_one_per_sector_hold_the_kelompok(demo):
    lembaga = list(Lembaga.objects.filter(klaster=demo.lebak))
    assert len(lembaga) == 3
    assert all(
        lb.bentuk == "koperasi" and lb.nomor_badan_hukum and lb.tanggal_pengesahan for lb in lembaga
    )
    sektor_lembaga = defaultdict(set)
    for k in Kelompok.objects.filter(klaster=demo.lebak):
        sektor_lembaga[k.sektor].add(k.lembaga_id)
    assert all(len(ids) == 1 for ids in sektor_lembaga.values())
    assert set().union(*sektor_lembaga.values()) == {lb.pk for lb in lembaga}


def test_mitra_records_are_plausible(demo):
    for m in demo.mitra.values():
        depan = m.nama.split()[0]
        assert depan in (N.NAMA_PEREMPUAN if m.jenis_kelamin == "P" else N.NAMA_LAKI)
        assert 2 <= m.jumlah_anggota_keluarga <= 7
        assert m.telepon == "" or re.fullmatch(r"08\d{9,10}", m.telepon)
        assert m.desa_id in DESA
        assert (m.status == "keluar") == (m.tanggal_keluar is not None)


def test_every_nik_is_valid_and_agrees_with_the_record(demo):
    niks = [m.nik for m in demo.mitra.values()]
    assert len(set(niks)) == len(niks)
    for m in demo.mitra.values():
        nik = m.nik
        assert re.fullmatch(r"360206\d{10}", nik)
        hari = int(nik[6:8])
        assert (hari > 40) == (m.jenis_kelamin == "P")
        lahir = m.tanggal_lahir
        assert hari - (40 if hari > 40 else 0) == lahir.day
        assert int(nik[8:10]) == lahir.month and int(nik[10:12]) == lahir.year % 100
        assert nik[12:] != "0000"


def test_nik_passes_the_mitra_nik_rules(demo):
    dikenal = nik.kode_kecamatan_dikenal()
    for m in demo.mitra.values():
        hasil = nik.periksa_nik(m.nik, kecamatan_dikenal=dikenal)
        assert hasil.valid, (m.nik, hasil.galat)
        assert (
            nik.beda_dengan_data(
                hasil, tanggal_lahir=m.tanggal_lahir, jenis_kelamin=m.jenis_kelamin
            )
            == []
        )


def test_every_mitra_has_exactly_one_baseline(demo):
    baseline = list(
        PengukuranPendapatan.objects.filter(mitra__klaster=demo.lebak, jenis="baseline")
    )
    assert len(baseline) == 324
    assert len({p.mitra_id for p in baseline}) == 324
    assert all(Decimal(300_000) <= p.pendapatan_bulanan <= Decimal(2_000_000) for p in baseline)


# --- money ------------------------------------------------------------------------------


def test_total_disbursed_is_exactly_the_programme_figure(demo):
    total = sum(
        Bantuan.objects.filter(klaster=demo.lebak, status__in=CAIR).values_list(
            "jumlah", flat=True
        ),
        Decimal(0),
    )
    assert total == Decimal("1714661978")
    assert "Rp1.714.661.978" in demo.output
    assert PASSWORD in demo.output


def test_bantuan_numbers_dates_and_kinds(demo):
    semua = list(Bantuan.objects.filter(klaster=demo.lebak).select_related("sumber_dana"))
    assert len({b.nomor for b in semua}) == len(semua)
    for b in semua:
        assert re.fullmatch(rf"BTN-{b.tanggal_pengajuan.year}-\d{{4}}", b.nomor)
        assert (b.tanggal_cair is not None) == (b.status in CAIR)
        assert b.tanggal_cair is None or b.tanggal_pengajuan <= b.tanggal_cair <= SAMPAI
        if b.jenis == "modal_bergulir" and b.status in CAIR:
            assert 12 <= b.tenor_bulan <= 24 and b.mitra_id
    status = Counter(b.status for b in semua)
    assert (
        status["diajukan"]
        and status["disetujui"]
        and status["ditolak"]
        and status["dihapusbukukan"]
    )
    cair = [b for b in semua if b.status in CAIR]
    jenis = Counter(b.jenis for b in cair)
    assert jenis["modal_bergulir"] > 200 and jenis["beasiswa"] and jenis["kesehatan"]
    # group capital for every kelompok; livestock assets for every peternakan kelompok
    assert {b.kelompok_id for b in cair if b.jenis == "hibah_modal"} == set(
        Kelompok.objects.filter(klaster=demo.lebak).values_list("pk", flat=True)
    )
    assert {b.kelompok_id for b in cair if b.jenis == "aset"} >= set(
        Kelompok.objects.filter(klaster=demo.lebak, sektor="peternakan").values_list(
            "pk", flat=True
        )
    )
    sumber = {b.sumber_dana.jenis for b in cair}
    assert sumber == {"zakat", "infak", "csr", "dana_bergulir"}
    assert all(b.sumber_dana.klaster_id in (None, demo.lebak.pk) for b in cair)


def test_schedules_and_repayments_follow_the_rules(demo):
    for p in demo.pinjaman:
        b = p.bantuan
        dihitung = hitung_jadwal(
            pokok=b.jumlah, tenor_bulan=b.tenor_bulan, tanggal_cair=b.tanggal_cair
        )
        assert [(j.ke, j.jatuh_tempo, j.jumlah, j.kumulatif) for j in p.jadwal] == [
            (c.ke, c.jatuh_tempo, c.jumlah, c.kumulatif) for c in dihitung
        ]
        assert Decimal(0) <= p.terbayar <= b.jumlah
        if b.status == "lunas":
            assert p.terbayar == b.jumlah
        else:
            assert p.terbayar < b.jumlah and b.tanggal_lunas is None
    angsuran = list(Angsuran.objects.filter(bantuan__klaster=demo.lebak).select_related("bantuan"))
    assert all(a.tanggal <= SAMPAI for a in angsuran), "no repayment after the end date"
    assert all(a.tanggal >= a.bantuan.tanggal_cair for a in angsuran)
    assert {a.dicatat_oleh_id for a in angsuran} == {demo.fasilitator.pk}
    assert {a.bantuan.jenis for a in angsuran} == {"modal_bergulir"}
    terakhir = defaultdict(lambda: dt.date.min)
    for a in angsuran:
        terakhir[a.bantuan_id] = max(terakhir[a.bantuan_id], a.tanggal)
    for p in demo.pinjaman:
        if p.bantuan.status == "lunas":
            assert p.bantuan.tanggal_lunas == terakhir[p.bantuan.pk]
    # the correction trail: each reversal cancels the entry it names
    koreksi = [a for a in angsuran if a.jumlah < 0]
    assert koreksi and all(a.koreksi_dari.jumlah == -a.jumlah and a.alasan for a in koreksi)


def test_kolektibilitas_2_to_5_and_par30_are_not_empty(demo):
    aktif = [p for p in demo.pinjaman if p.bantuan.status == "dicairkan" and p.sisa > 0]
    kol = Counter(p.kolektibilitas for p in aktif)
    assert all(kol[k] >= 1 for k in (2, 3, 4, 5)), kol
    outstanding = sum((p.sisa for p in aktif), Decimal(0))
    par30 = sum((p.sisa for p in aktif if p.hari > 30), Decimal(0)) / outstanding
    assert par30 > 0
    # most loans are repaid or current
    sehat = sum(1 for p in demo.pinjaman if p.bantuan.status == "lunas") + kol[1]
    assert sehat > 0.8 * len(demo.pinjaman)


def test_portfolio_selectors_agree_with_the_raw_rows(demo):
    r = bantuan_selectors.ringkasan_portofolio(
        Bantuan.objects.filter(klaster=demo.lebak), per_tanggal=SAMPAI
    )
    assert r["total_dicairkan"] == Decimal("1714661978")
    aktif = [p for p in demo.pinjaman if p.bantuan.status == "dicairkan" and p.sisa > 0]
    kol = Counter(p.kolektibilitas for p in aktif)
    assert {k: v["jumlah_pinjaman"] for k, v in r["kolektibilitas"].items()} == {
        k: kol[k] for k in range(1, 6)
    }
    outstanding = sum((p.sisa for p in aktif), Decimal(0))
    assert r["outstanding"] == outstanding
    assert r["par30"] == sum((p.sisa for p in aktif if p.hari > 30), Decimal(0)) / outstanding


def test_relending_never_exceeds_what_was_repaid(demo):
    masuk = list(
        Angsuran.objects.filter(bantuan__klaster=demo.lebak).values_list("tanggal", "jumlah")
    )
    ulang = sorted(
        (b.tanggal_cair, b.jumlah)
        for b in Bantuan.objects.filter(
            klaster=demo.lebak, sumber_dana__jenis="dana_bergulir", status__in=CAIR
        )
    )
    assert len(ulang) >= 10, "second-generation loans exist"
    keluar = Decimal(0)
    for tanggal, jumlah in ulang:
        keluar += jumlah
        assert keluar <= sum((j for t, j in masuk if t <= tanggal), Decimal(0))


def test_every_loan_keeps_the_position_its_rows_give(demo):
    # COPY bypasses the services: the generator derives what they would have kept
    from bantuan.posisi import generasi_hitung

    klaster = list(Klaster.objects.all())
    assert len(klaster) == 2
    for k in klaster:
        for p in _posisi_pinjaman(k):
            b = p.bantuan
            belum = next((j.jatuh_tempo for j in p.jadwal if j.kumulatif > p.terbayar), None)
            assert (b.pokok_terbayar, b.jatuh_tempo_belum_lunas) == (p.terbayar, belum), b.nomor
    # grants keep nothing repaid nor due
    hibah = Bantuan.objects.exclude(jenis="modal_bergulir")
    assert set(hibah.values_list("pokok_terbayar", "jatuh_tempo_belum_lunas")) == {(0, None)}
    # generations: what the walk over the written rows gives, donors' loans first
    generasi = dict(Bantuan.objects.filter(generasi__isnull=False).values_list("pk", "generasi"))
    assert generasi == generasi_hitung([k.pk for k in klaster])
    dari_dana = set(
        Bantuan.objects.filter(sumber_dana__jenis="dana_bergulir", status__in=CAIR).values_list(
            "pk", flat=True
        )
    )
    assert {g for pk, g in generasi.items() if pk not in dari_dana} == {1}
    assert min(generasi[pk] for pk in dari_dana) == 2


def test_todays_figures_from_the_kept_fields_equal_those_from_the_history(demo):
    from django.utils import timezone

    hari_ini = timezone.localdate()
    semua = Bantuan.objects.all()
    tersimpan = bantuan_selectors._posisi_tersimpan(semua, hari_ini, True)
    riwayat = bantuan_selectors._posisi_riwayat(semua, hari_ini, True)
    slot = bantuan_selectors._Posisi.__slots__
    assert [[getattr(p, a) for a in slot] for p in sorted(tersimpan, key=lambda p: p.pk)] == [
        [getattr(p, a) for a in slot] for p in sorted(riwayat, key=lambda p: p.pk)
    ]


# --- income and visits ------------------------------------------------------------------


def _baseline_dan_terakhir(demo):
    bacaan = defaultdict(list)
    for p in PengukuranPendapatan.objects.filter(mitra__klaster=demo.lebak).order_by(
        "tanggal", "pk"
    ):
        bacaan[p.mitra_id].append(p)
    pasangan, tanpa = {}, []
    for mitra_id, rows in bacaan.items():
        baseline = next(p for p in rows if p.jenis == "baseline")
        sesudah = [p for p in rows if p.jenis != "baseline" and p.tanggal >= baseline.tanggal]
        if sesudah:
            pasangan[mitra_id] = (baseline.pendapatan_bulanan, sesudah[-1].pendapatan_bulanan)
        else:
            tanpa.append(mitra_id)
    return pasangan, tanpa


def test_income_change_matches_the_programme_report(demo):
    pasangan, tanpa = _baseline_dan_terakhir(demo)
    assert len(tanpa) == 6, "the exclusion list: six mitra without a reading after baseline"
    per_sektor = defaultdict(list)
    for mitra_id, (awal, akhir) in pasangan.items():
        per_sektor[demo.mitra[mitra_id].sektor].append((awal, akhir))
    for sektor, rows in per_sektor.items():
        rata_awal = sum(a for a, _ in rows) / len(rows)
        rata_akhir = sum(b for _, b in rows) / len(rows)
        rata_perubahan = sum((b - a) / a for a, b in rows) / len(rows)
        batas = Decimal("0.5") if sektor == "pertanian" else Decimal(0)
        assert rata_akhir / rata_awal - 1 > batas, sektor
        assert rata_perubahan > batas, sektor
    # the livestock farmer the programme quoted, and households whose income fell
    assert (Decimal(300_000), Decimal(600_000)) in per_sektor["peternakan"]
    assert sum(1 for a, b in pasangan.values() if b < a) >= 5
    # nothing measured after the exit workshop; the endline is on it
    readings = PengukuranPendapatan.objects.filter(mitra__klaster=demo.lebak)
    assert not readings.filter(tanggal__gt=SAMPAI).exists()
    assert readings.filter(jenis="endline", tanggal=SAMPAI).count() == 318


def test_monitoring_readings_come_from_visits_the_mitra_attended(demo):
    monitoring = PengukuranPendapatan.objects.filter(mitra__klaster=demo.lebak, jenis="monitoring")
    assert monitoring.count() > 1000
    hadir = set(
        Kunjungan.hadir.through.objects.filter(kunjungan__klaster=demo.lebak).values_list(
            "kunjungan_id", "mitra_id"
        )
    )
    for p in monitoring.select_related("kunjungan_link__kunjungan", "mitra"):
        kunjungan = p.kunjungan_link.kunjungan
        assert kunjungan.kelompok_id == p.mitra.kelompok_id and kunjungan.tanggal == p.tanggal
        assert (kunjungan.pk, p.mitra_id) in hadir


def test_visits_cover_three_years_with_attendance_and_stale_groups(demo):
    kunjungan = list(Kunjungan.objects.filter(klaster=demo.lebak, kelompok__isnull=False))
    assert {k.fasilitator_id for k in kunjungan} == {demo.fasilitator.pk}
    assert max(k.tanggal for k in kunjungan) < SAMPAI
    hadir = defaultdict(set)
    for kunjungan_id, mitra_id in Kunjungan.hadir.through.objects.filter(
        kunjungan__klaster=demo.lebak
    ).values_list("kunjungan_id", "mitra_id"):
        hadir[kunjungan_id].add(mitra_id)
    anggota = defaultdict(set)
    for m in demo.mitra.values():
        anggota[m.kelompok_id].add(m.pk)
    per_kelompok = defaultdict(list)
    for k in kunjungan:
        per_kelompok[k.kelompok_id].append(k.tanggal)
        assert hadir[k.pk] and hadir[k.pk] <= anggota[k.kelompok_id]
    assert len(per_kelompok) == 32
    for tanggal in per_kelompok.values():
        tanggal.sort()
        jarak = [(b - a).days for a, b in zip(tanggal, tanggal[1:], strict=False)]
        assert 11 <= sum(jarak) / len(jarak) <= 28
    # most kelompok visited lately; some not for 30+, 60+ and 90+ days
    sejak = sorted((SAMPAI - t[-1]).days for t in per_kelompok.values())
    assert sum(1 for h in sejak if h <= 14) >= 25
    assert any(30 <= h < 60 for h in sejak)
    assert any(60 <= h < 90 for h in sejak)
    assert any(h >= 90 for h in sejak)
    # follow-ups: most closed, some still open lately
    terbuka = [k for k in kunjungan if k.tindak_lanjut and not k.tindak_lanjut_selesai]
    assert terbuka and any((SAMPAI - k.tanggal).days <= 60 for k in terbuka)
    assert all(
        k.tindak_lanjut_selesai_pada and k.tanggal <= k.tindak_lanjut_selesai_pada <= SAMPAI
        for k in kunjungan
        if k.tindak_lanjut_selesai
    )
    # the exit workshop on the end date
    lokakarya = Kunjungan.objects.get(klaster=demo.lebak, kelompok__isnull=True)
    assert lokakarya.tanggal == SAMPAI


def test_instalments_collected_at_visits_were_paid_by_members_present(demo):
    dari_kunjungan = list(
        Angsuran.objects.filter(
            bantuan__klaster=demo.lebak, kunjungan__isnull=False
        ).select_related("kunjungan_link__kunjungan", "bantuan__mitra")
    )
    assert len(dari_kunjungan) > 500
    hadir = set(
        Kunjungan.hadir.through.objects.filter(kunjungan__klaster=demo.lebak).values_list(
            "kunjungan_id", "mitra_id"
        )
    )
    for a in dari_kunjungan:
        kunjungan = a.kunjungan_link.kunjungan
        assert kunjungan.jenis_kegiatan in ("penagihan", "pertemuan_kelompok")
        assert kunjungan.tanggal == a.tanggal
        assert kunjungan.kelompok_id == a.bantuan.mitra.kelompok_id
        assert (kunjungan.pk, a.bantuan.mitra_id) in hadir


# --- the command's guards ---------------------------------------------------------------


def test_it_refuses_a_database_that_already_has_klaster(demo):
    with pytest.raises(CommandError, match="already has klaster"):
        call_command("seed_demo", "--force", "--password", PASSWORD, stdout=io.StringIO())


def test_it_refuses_to_run_without_debug_unless_forced(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--force"):
        call_command("seed_demo", stdout=io.StringIO())


# --- the pure planning part -------------------------------------------------------------


def _konteks(seed="2014", akhir=SAMPAI):
    return Konteks(
        seed=seed, indeks=0, klaster_id=1, kode="LBK", nama_tempat="Leuwidamar",
        kecamatan_kode="36.02.06", desa=tuple(sorted(DESA)), fasilitator_id=3, manajer_id=2,
        sumber={"zakat": 1, "infak": 2, "csr": 3, "dana_bergulir": 4}, akhir=akhir,
    )  # fmt: skip


def test_the_plan_is_deterministic_under_a_seed():
    pertama = rencanakan(_konteks(), Nomor()).baris
    kedua = rencanakan(_konteks(), Nomor()).baris
    assert pertama == kedua
    lain = rencanakan(_konteks(seed="lain"), Nomor()).baris
    assert [m[1] for m in lain["mitra"]] != [m[1] for m in pertama["mitra"]]


def test_the_timeline_ends_on_the_given_date():
    hari_ini = dt.date(2026, 11, 28)
    asli = rencanakan(_konteks(), Nomor())
    geser = rencanakan(_konteks(akhir=hari_ini), Nomor())
    assert geser.total_cair == asli.total_cair == Decimal("1714661978")
    i = KOLOM["kelompok"].index("tanggal_dibentuk")
    selisih = {
        (b[i] - a[i]).days
        for a, b in zip(asli.baris["kelompok"], geser.baris["kelompok"], strict=True)
    }
    assert selisih == {(hari_ini - SAMPAI).days}, "formation dates move with the end date"
    for tabel in ("kunjungan", "pengukuran", "angsuran"):
        j = KOLOM[tabel].index("tanggal")
        terakhir = max(r[j] for r in geser.baris[tabel])
        assert terakhir == hari_ini if tabel != "angsuran" else terakhir <= hari_ini


def test_planned_text_is_safe_for_copy():
    # tulis.py joins these tables' values without escaping
    for tabel, rows in rencanakan(_konteks(), Nomor()).baris.items():
        for row in rows:
            for v in row:
                if isinstance(v, str):
                    assert not any(c in v for c in "\t\n\r\\") and "None" not in v, (tabel, v)


def test_copy_text_escapes_what_the_fast_join_cannot_carry():
    assert teks_copy("mitra", [(1, "Asep", None), (2, "Euis", "x")]) == "1\tAsep\t\\N\n2\tEuis\tx"
    # a tab, a newline or a backslash inside a value falls back to escaping each value
    assert teks_copy("mitra", [(1, "a\tb", None)]) == "1\ta\\tb\t\\N"
    assert teks_copy("mitra", [(1, "a\nb", "c\\d")]) == "1\ta\\nb\tc\\\\d"
    assert teks_copy("hadir", [(1, 2, None)]) == "1\t2\t\\N"


def test_the_helper_process_plans_exactly_what_this_process_would():
    konteks = [
        dataclasses.replace(_konteks(), indeks=i, klaster_id=i + 1, kode=f"K{i}") for i in range(3)
    ]
    awal = {"mitra": 1000, "bantuan": 50}
    for teks in (False, True):
        assert list(rencana_paralel(konteks, awal, teks=teks)) == list(
            rencana_berurutan(konteks, awal, teks=teks)
        )

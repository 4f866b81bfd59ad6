"""The impact-report selectors against the hand-made fixture (figures worked out by hand in
test_dampak_data) and against the poverty-line rules."""

import datetime
from decimal import Decimal

import pytest

from klaster.garis_kemiskinan import (
    PROVINSI,
    TAHUN_SEBELUMNYA,
    TEPAT,
    TIDAK_TERSEDIA,
    PencariGaris,
    muat_garis_kemiskinan,
)
from klaster.models import GarisKemiskinan, Wilayah
from klaster.wilayah_data import pastikan_wilayah_lebak
from laporan import selectors
from laporan.tests.test_dampak_data import buat_data_tangan, saringan_lebak

D = datetime.date


@pytest.fixture
def data(personas):
    return buat_data_tangan(personas)


def test_people_counts(personas, data):
    orang = selectors.ringkasan_orang(saringan_lebak(personas))
    assert orang["mitra_total"] == 7
    assert {k: n for k, _l, n in orang["mitra_per_status"]} == {
        "calon": 0, "aktif": 6, "lulus": 1, "keluar": 0,
    }  # fmt: skip
    assert [(k, n, lk, p) for k, _l, n, lk, p in orang["mitra_per_sektor"]] == [
        ("pertanian", 4, 2, 2),
        ("peternakan", 2, 1, 1),
        ("umkm", 1, 1, 0),
    ]
    assert {k: n for k, _l, n in orang["mitra_per_jenis_kelamin"]} == {"L": 4, "P": 3}
    assert orang["kelompok_total"] == 2
    assert orang["koperasi"] == 1
    assert orang["lembaga_total"] == 2
    assert [(v["n"], v["berbadan_hukum"]) for v in orang["lembaga_per_bentuk"]] == [
        (1, 1),  # koperasi
        (0, 0),  # bumdes
        (1, 0),  # informal
    ]


def test_people_counts_with_filters(personas, data):
    s = saringan_lebak(personas, sektor="peternakan")
    orang = selectors.ringkasan_orang(s)
    assert orang["mitra_total"] == 2
    assert orang["kelompok_total"] == 1
    assert orang["lembaga_total"] == 1  # only the cooperative LBK-02 belongs to
    s = saringan_lebak(personas, jenis_kelamin="P")
    assert selectors.ringkasan_orang(s)["mitra_total"] == 3
    s = saringan_lebak(personas, kelompok_id=data.ka.pk)
    assert selectors.ringkasan_orang(s)["mitra_total"] == 4


def test_money_disbursed_by_year_jenis_and_source(personas, data):
    uang = selectors.pencairan(saringan_lebak(personas))
    assert uang["total"] == Decimal("2900000")
    assert uang["n"] == 3
    assert [(t["tahun"], t["jumlah"]) for t in uang["per_tahun"]] == [
        (2023, Decimal("500000")),
        (2024, Decimal("2400000")),
    ]
    assert [(j["jenis"], j["jumlah"], j["n"]) for j in uang["per_jenis"]] == [
        ("modal_bergulir", Decimal("2400000"), 2),
        ("hibah_modal", Decimal("500000"), 1),
    ]
    assert uang["per_tahun"][0]["per_jenis"] == [Decimal("0"), Decimal("500000")]
    assert [(s["nama"], s["jumlah"]) for s in uang["per_sumber"]] == [
        ("Zakat Produktif", Decimal("2400000")),
        ("Infak Umat", Decimal("500000")),
    ]


def test_money_filters_follow_the_recipient(personas, data):
    # peternakan: only the loan to Dedi; the group grant went to a pertanian kelompok
    assert selectors.pencairan(saringan_lebak(personas, sektor="peternakan"))["total"] == Decimal(
        "1200000"
    )
    # pertanian: Ahmad's loan and the grant to LBK-01
    assert selectors.pencairan(saringan_lebak(personas, sektor="pertanian"))["total"] == Decimal(
        "1700000"
    )
    # a group has no gender: under a gender filter only loans to women count (none here)
    assert selectors.pencairan(saringan_lebak(personas, jenis_kelamin="P"))["total"] == 0
    # the period: only 2024
    s = saringan_lebak(personas)
    s = selectors.Saringan(klaster=s.klaster, dari=D(2024, 1, 1), sampai=s.sampai)
    assert selectors.pencairan(s)["total"] == Decimal("2400000")


def test_portfolio_reuses_bantuan_selectors(personas, data):
    p = selectors.portofolio(saringan_lebak(personas))
    assert p["outstanding"] == Decimal("1900000")
    assert round(p["par30"], 4) == Decimal("0.4737")
    assert round(p["tingkat_pengembalian"], 4) == Decimal("0.3846")
    kol = {r["kol"]: (r["jumlah_pinjaman"], r["sisa_pokok"]) for r in p["kolektibilitas_list"]}
    assert kol[1] == (1, Decimal("1000000"))
    assert kol[5] == (1, Decimal("900000"))
    assert kol[2] == kol[3] == kol[4] == (0, Decimal("0"))


def test_income_change_overall_and_per_sector(personas, data):
    p = selectors.perubahan_pendapatan(saringan_lebak(personas))
    t = p["total"]
    assert t["n"] == 5
    assert t["rata_sebelum"] == Decimal("1200000.00")
    assert t["median_sebelum"] == Decimal("1200000.00")
    assert t["rata_sesudah"] == Decimal("1480000.00")
    assert t["median_sesudah"] == Decimal("1500000.00")
    assert t["perubahan_rata"] == Decimal("0.233333")
    assert t["rata_persen"] == Decimal("0.353333")
    assert t["median_persen"] == Decimal("0.200000")
    assert (t["naik"], t["turun"], t["tetap"]) == (3, 1, 1)
    assert t["porsi_naik"] == Decimal("0.600000")
    assert t["porsi_turun"] == Decimal("0.200000")
    assert (t["n_garis_sebelum"], t["miskin_sebelum"]) == (5, 3)
    assert t["porsi_miskin_sebelum"] == Decimal("0.600000")
    assert (t["n_garis_sesudah"], t["miskin_sesudah"]) == (5, 1)
    assert t["porsi_miskin_sesudah"] == Decimal("0.200000")

    sektor = {r["kode"]: r for r in p["per_sektor"]}
    tani = sektor["pertanian"]
    assert (tani["n"], tani["dikecualikan"]) == (3, 1)
    assert tani["rata_sebelum"] == Decimal("1400000.00")
    assert tani["median_sebelum"] == Decimal("1200000.00")
    assert tani["rata_sesudah"] == Decimal("1766666.67")
    assert tani["median_sesudah"] == Decimal("2000000.00")
    assert tani["perubahan_rata"] == Decimal("0.261905")
    assert tani["rata_persen"] == Decimal("0.255556")
    assert tani["median_persen"] == Decimal("0.200000")
    assert tani["porsi_naik"] == Decimal("0.666667")
    assert tani["porsi_turun"] == Decimal("0.333333")
    assert tani["porsi_miskin_sebelum"] == Decimal("0.666667")
    assert tani["porsi_miskin_sesudah"] == Decimal("0")
    ternak = sektor["peternakan"]
    assert ternak["n"] == 2
    assert ternak["rata_sebelum"] == ternak["median_sebelum"] == Decimal("900000.00")
    assert ternak["rata_sesudah"] == ternak["median_sesudah"] == Decimal("1050000.00")
    assert ternak["perubahan_rata"] == Decimal("0.166667")
    assert ternak["rata_persen"] == ternak["median_persen"] == Decimal("0.500000")
    assert ternak["porsi_naik"] == Decimal("0.500000")
    assert ternak["porsi_miskin_sebelum"] == ternak["porsi_miskin_sesudah"] == Decimal("0.5")
    assert (sektor["umkm"]["n"], sektor["umkm"]["dikecualikan"]) == (0, 1)


def test_income_change_per_kelompok_and_exclusions(personas, data):
    p = selectors.perubahan_pendapatan(saringan_lebak(personas))
    per_kelompok = {r["label"]: r for r in p["per_kelompok"]}
    assert list(per_kelompok) == [
        f"LBK-01 {data.ka.nama}",
        "LBK-02 Ternak Maju",
        "Tanpa kelompok",
    ]
    assert per_kelompok[f"LBK-01 {data.ka.nama}"]["rata_sesudah"] == Decimal("1766666.67")
    assert per_kelompok["LBK-02 Ternak Maju"]["median_persen"] == Decimal("0.500000")
    assert per_kelompok["Tanpa kelompok"]["n"] == 0
    assert per_kelompok["Tanpa kelompok"]["dikecualikan"] == 1
    # never silently dropped: listed by name, with the reason
    assert [(b.nama, b.keadaan) for b in p["dikecualikan"]] == [
        ("Fitri", "tanpa_baseline"),
        ("Gugun", "tanpa_lanjutan"),
    ]
    assert (p["n_mitra"], p["n_lengkap"], p["n_tanpa_baseline"], p["n_tanpa_lanjutan"]) == (
        7, 5, 1, 1,
    )  # fmt: skip
    # the latest reading in the period is used, not the later endline nor the earlier one
    ahmad = next(b for b in p["per_mitra"] if b.nama == "Ahmad")
    siti = next(b for b in p["per_mitra"] if b.nama == "Siti")
    assert (ahmad.sesudah, ahmad.tanggal_sesudah) == (Decimal("2000000.00"), D(2024, 6, 1))
    assert siti.sesudah == Decimal("2400000.00")
    assert ahmad.nik_tersamar == data.a1.nik[:6] + "******" + data.a1.nik[-4:]
    assert ahmad.kapita_sebelum == Decimal("300000")
    assert ahmad.garis_sebelum.nilai == Decimal("419000") and ahmad.garis_sebelum.cara == TEPAT
    assert ahmad.garis_sesudah.nilai == Decimal("440705")


def test_income_change_without_period_start_and_other_klaster_never_counted(personas, data):
    s = saringan_lebak(personas)
    s = selectors.Saringan(klaster=s.klaster, sampai=s.sampai)
    assert selectors.perubahan_pendapatan(s)["total"]["n"] == 5
    names = {b.nama for b in selectors.baris_pendapatan(s)}
    assert "Orang Lain" not in names


def test_activity(personas, data):
    k = selectors.kegiatan(saringan_lebak(personas))
    assert k["n"] == 4
    assert (k["n_kelompok"], k["n_tanpa_kelompok"]) == (3, 1)
    assert (k["hadir"], k["anggota"]) == (7, 9)
    assert k["tingkat_hadir"] == Decimal("0.777778")
    assert (k["tindak_lanjut"], k["tindak_lanjut_selesai"], k["tindak_lanjut_terbuka"]) == (2, 1, 1)
    per_bulan = {b["bulan"]: b["n"] for b in k["per_bulan"]}
    assert per_bulan[D(2023, 3, 1)] == 1
    assert per_bulan[D(2023, 7, 1)] == 1
    assert per_bulan[D(2024, 2, 1)] == 2
    assert per_bulan[D(2023, 4, 1)] == 0  # months without a visit are shown as 0
    assert len(k["per_bulan"]) == 14  # January 2023 … February 2024
    assert [(f["nama"], f["n"]) for f in k["per_fasilitator"]][0][1] == 3
    assert sorted(f["n"] for f in k["per_fasilitator"]) == [1, 3]
    # a follow-up closed after the as-of date is still open on that date
    s = saringan_lebak(personas)
    s = selectors.Saringan(
        klaster=s.klaster, dari=s.dari, sampai=D(2024, 2, 29), per_tanggal=D(2024, 2, 29)
    )
    assert selectors.kegiatan(s)["tindak_lanjut_selesai"] == 0


def test_garis_kemiskinan_loads_idempotently(db):
    pastikan_wilayah_lebak()
    hasil = muat_garis_kemiskinan()
    assert (hasil.dibuat, hasil.dilewati) == (8, 0)
    hasil = muat_garis_kemiskinan()
    assert (hasil.dibuat, hasil.diubah, hasil.tetap) == (0, 0, 8)
    assert GarisKemiskinan.objects.count() == 8
    g = GarisKemiskinan.objects.get(wilayah_id="36.02", tahun=2023)
    assert g.nilai == Decimal("419000") and "perkiraan" in g.sumber
    assert GarisKemiskinan.objects.get(wilayah_id="36", tahun=2022, periode="september").nilai == (
        Decimal("598748")
    )


def test_garis_kemiskinan_skips_regions_not_loaded(db):
    Wilayah.objects.create(kode="36", nama="Banten", tingkat="provinsi")
    hasil = muat_garis_kemiskinan()
    assert (hasil.dibuat, hasil.dilewati) == (4, 4)


def test_garis_kemiskinan_lookup_rules(db):
    pastikan_wilayah_lebak()
    muat_garis_kemiskinan()
    cari = PencariGaris().cari
    assert (cari("36.02", D(2024, 7, 1)).nilai, cari("36.02", D(2024, 7, 1)).cara) == (
        Decimal("440705"), TEPAT,
    )  # fmt: skip
    g = cari("36.02", D(2026, 1, 5))
    assert (g.nilai, g.tahun, g.cara) == (Decimal("440705"), 2024, TAHUN_SEBELUMNYA)
    g = cari("36.02", D(2019, 5, 1))
    assert (g.nilai, g.cara) == (Decimal("283901"), TAHUN_SEBELUMNYA)
    assert cari("36.02", D(2014, 3, 6)).cara == TIDAK_TERSEDIA
    # Pandeglang has no line of its own: the Banten line in force at the date
    g = cari("36.01", D(2022, 5, 1))
    assert (g.nilai, g.cara) == (Decimal("570368"), PROVINSI)
    assert cari("36.01", D(2022, 10, 1)).nilai == Decimal("598748")
    assert cari("36.01", D(2025, 2, 1)).nilai == Decimal("667403")
    assert cari("36.01", D(2025, 4, 1)).nilai == Decimal("684232")
    assert cari("36.01", D(2021, 12, 31)).cara == TIDAK_TERSEDIA
    assert cari(None, D(2024, 1, 1)).cara == TIDAK_TERSEDIA

"""The report sections against the hand-made fixture (program/tests/data_program.py: every
figure worked out by hand there) and the boundary cases of the CIBEST rules."""

from decimal import Decimal

import pytest

from program import selectors
from program.aturan import KUADRAN
from program.tests.data_program import EXPECTED, buat_data_program, saringan


@pytest.fixture
def data(personas):
    return buat_data_program(personas)


def test_cibest_quadrants_transition_and_indices_match_the_hand_worked_figures(data, personas):
    hasil = selectors.cibest(saringan(personas))
    assert hasil["n"] == 8
    assert {b["kuadran"]: b["baseline"] for b in hasil["sebaran"]} == EXPECTED["kuadran_baseline"]
    assert {b["kuadran"]: b["endline"] for b in hasil["sebaran"]} == EXPECTED["kuadran_endline"]
    assert [b["ke"] for b in hasil["transisi"]] == EXPECTED["transisi"]
    assert [b["dari"] for b in hasil["transisi"]] == list(KUADRAN)
    for i in hasil["indeks"]:
        awal, akhir, beda = EXPECTED["indeks"][i["kode"]]
        assert (i["baseline"], i["endline"], i["perubahan"]) == (
            Decimal(awal),
            Decimal(akhir),
            Decimal(beda),
        ), i["kode"]
    w = next(i for i in hasil["indeks"] if i["kode"] == "kesejahteraan")
    assert w["perubahan_relatif"] == Decimal("1")  # +100%


def test_cibest_per_household_quadrants_and_boundaries(data, personas):
    per = {
        r["nama"]: (r["baseline"], r["endline"])
        for r in selectors.cibest(saringan(personas))["per_rumah"]
    }
    # income exactly MV and score exactly 3: both needs met
    assert per["Siti"][0] == "I"
    # one rupiah below MV, score 2.8: both unmet
    assert per["Hasan"][0] == "IV"
    # score exactly 3 with income above MV at endline
    assert per["Dedi"] == ("III", "I")
    # the household grew from 4 to 5: same score, more income, but poor at 5 people
    assert per["Fitri"] == ("I", "II")


def test_cibest_household_size_is_each_answers_own(data, personas):
    rumah = {r["nama"]: r for r in selectors.cibest(saringan(personas))["per_rumah"]}
    assert rumah["Fitri"]["mv_baseline"] == Decimal("1762820.00")  # 440.705 × 4
    assert rumah["Fitri"]["mv_endline"] == Decimal("2203525.00")  # 440.705 × 5


def test_baseline_without_endline_is_excluded_and_named(data, personas):
    s = saringan(personas)
    for bagian in (selectors.cibest(s), selectors.modal_sosial(s)):
        nama = {d["nama"]: d["alasan"] for d in bagian["dikecualikan"]}
        assert nama["Iis"] == "ada baseline, belum ada endline"
        assert nama["Jaja"] == "ada endline, tidak ada baseline"
        assert "Orang Malingping" not in nama


def test_social_capital_by_dimension(data, personas):
    hasil = selectors.modal_sosial(saringan(personas))
    assert hasil["n"] == 8
    for b in hasil["baris"]:
        n, b_mean, b_med, e_mean, e_med, naik, porsi = EXPECTED["modal_sosial"][b["dimensi"]]
        assert (b["n"], b["naik"]) == (n, naik), b["dimensi"]
        assert b["baseline_rerata"] == Decimal(b_mean), b["dimensi"]
        assert b["baseline_median"] == Decimal(b_med), b["dimensi"]
        assert b["endline_rerata"] == Decimal(e_mean), b["dimensi"]
        assert b["endline_median"] == Decimal(e_med), b["dimensi"]
        assert b["porsi_naik"] == Decimal(porsi), b["dimensi"]
        assert b["perubahan_rerata"] == Decimal(e_mean) - Decimal(b_mean)


def test_graduation_counts_income_at_the_nisab_as_graduated(data, personas):
    lulus = selectors.cibest(saringan(personas))["lulus"]
    assert (lulus["n"], lulus["jumlah"]) == (9, 1)
    assert [m["nama"] for m in lulus["daftar"]] == ["Jaja"]
    assert lulus["daftar"][0]["nisab"] == Decimal("6859394.00")
    assert lulus["porsi"] == Decimal("0.111111")


def test_graduation_before_any_nisab_is_excluded_and_counted(data, personas):
    from program.models import Nisab

    Nisab.objects.all().delete()
    lulus = selectors.cibest(saringan(personas))["lulus"]
    assert lulus["n"] == 0 and lulus["jumlah"] == 0
    assert len(lulus["dikecualikan"]) == 9


def test_activities_section(data, personas):
    hasil = selectors.kegiatan_program(saringan(personas))
    assert hasil["kegiatan"] == 4
    assert hasil["jam"] == Decimal("11.50")
    assert hasil["biaya"] == Decimal("1500000.00")
    assert hasil["kehadiran"] == 9
    assert hasil["mitra_terjangkau"] == 7
    assert hasil["n_mitra"] == 10
    assert hasil["porsi_terjangkau"] == Decimal("0.7")
    assert hasil["jam_orang"] == Decimal("29.00")
    pelatihan = next(b for b in hasil["per_jenis"] if b["jenis"] == "pelatihan")
    assert (
        pelatihan["kegiatan"],
        pelatihan["jam"],
        pelatihan["mitra"],
        pelatihan["jam_orang"],
    ) == (
        2,
        Decimal("5.50"),
        5,
        Decimal("17.00"),
    )
    pihak = {b["jenis"]: b["pihak"] for b in hasil["pihak_per_jenis"]}
    assert pihak == {
        "pemerintah": 2,
        "pembeli": 1,
        "lembaga_keuangan": 1,
        "perguruan_tinggi": 0,
        "lsm": 0,
        "swasta": 0,
    }
    assert hasil["pihak_luar"] == 4


def test_activities_under_a_kelompok_filter_count_only_its_members(data, personas):
    hasil = selectors.kegiatan_program(saringan(personas, kelompok_id=data.kelompok_b.pk))
    assert hasil["kegiatan"] == 2
    assert hasil["mitra_terjangkau"] == 3
    assert hasil["jam_orang"] == Decimal("15.00")
    assert hasil["n_mitra"] == 5


def test_market_access(data, personas):
    hasil = selectors.akses_pasar(saringan(personas))
    assert (hasil["mitra_akses"], hasil["n_mitra"]) == (6, 10)
    assert hasil["porsi_akses"] == Decimal("0.6")
    assert hasil["mitra_akses_awal"] == 1
    assert hasil["porsi_akses_awal"] == Decimal("0.1")
    assert hasil["tautan"] == 2
    per = {b["jenis"]: (b["tautan"], b["nilai_per_bulan"]) for b in hasil["per_jenis"]}
    assert per["kontrak_pembeli"] == (1, Decimal("5000000.00"))
    assert per["rekening_kredit"] == (1, Decimal("0.00"))
    assert per["pemasok"] == (0, Decimal("0.00"))


def test_the_report_sections_take_a_fixed_number_of_queries(
    data, personas, django_assert_num_queries
):
    s = saringan(personas)
    # kegiatan: per type, attendance per type, attendance total, parties, mitra count (5);
    # market: counts, per type, per party kind (3); answers (1); poverty lines, nisab (2);
    # kelompok and their latest assessment levels (2)
    with django_assert_num_queries(13):
        selectors.bagian_program(s)

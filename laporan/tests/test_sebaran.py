"""The income statistics merged from per-klaster sets (laporan.selectors.sebaran): the
medians found by selection across sorted lists and the sums that add up give, for any split
of the mitra into sets, the figures of statistics.median and plain sums over all of them."""

import random
import statistics
from decimal import ROUND_HALF_UP, Decimal

import pytest

from laporan.selectors import _peringkat, _statistik_sebaran, sebaran


def _rupiah(sen):
    return Decimal(sen).scaleb(-2)


def _oracle(nilai):
    # the figures worked out directly, in rupiah, over every mitra at once
    sebelum = [_rupiah(a) for a, _b, _ms, _mt in nilai]
    sesudah = [_rupiah(b) for _a, b, _ms, _mt in nilai]
    persen = [(_rupiah(b) - _rupiah(a)) / _rupiah(a) for a, b, _ms, _mt in nilai if a > 0]

    def uang(x):
        return x.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)

    def rasio(x):
        return x.quantize(Decimal("0.000001"), rounding=ROUND_HALF_UP)

    return {
        "n": len(nilai),
        "median_sebelum": uang(statistics.median(sebelum)),
        "median_sesudah": uang(statistics.median(sesudah)),
        "rata_sebelum": uang(sum(sebelum) / len(nilai)),
        "median_persen": rasio(statistics.median(persen)) if persen else None,
        "rata_persen": rasio(sum(persen) / len(persen)) if persen else None,
        "naik": sum(1 for a, b, _ms, _mt in nilai if b > a),
        "miskin_sesudah": sum(1 for _a, _b, _ms, mt in nilai if mt),
    }


def _acak(rng, n):
    nilai = []
    for _ in range(n):
        a = rng.choice([0, rng.randint(1, 50) * 100_000, rng.randint(1, 10**9)])
        b = rng.choice([a, a * 3 // 2, rng.randint(0, 2 * 10**9)])
        nilai.append((a, b, rng.choice([None, True, False]), rng.choice([None, True, False])))
    return nilai


@pytest.mark.parametrize("benih", range(25))
def test_merged_sets_give_the_figures_of_every_mitra_at_once(benih):
    rng = random.Random(benih)
    nilai = _acak(rng, rng.choice([1, 2, 3, 50, 999, 4000]))
    # split into sets of random sizes (some empty), as klaster are
    potong = sorted(rng.randint(0, len(nilai)) for _ in range(rng.randint(0, 40)))
    batas = [0, *potong, len(nilai)]
    bagian = [sebaran(nilai[i:j]) for i, j in zip(batas, batas[1:], strict=False)]
    hasil = _statistik_sebaran(bagian)
    harapan = _oracle(nilai)
    for kunci, nilai_harapan in harapan.items():
        assert hasil[kunci] == nilai_harapan, kunci


@pytest.mark.parametrize("benih", range(40))
def test_ranks_found_by_selection_equal_the_sorted_union(benih):
    rng = random.Random(1000 + benih)
    daftar = [
        sorted(rng.randint(-50, 50) * rng.choice([1, 1000]) for _ in range(rng.randint(0, 300)))
        for _ in range(rng.randint(1, 60))
    ]
    semua = sorted(x for d in daftar for x in d)
    if not semua:
        return
    awal = rng.randrange(len(semua))
    akhir = rng.randint(awal + 1, min(len(semua), awal + 3))
    assert _peringkat(daftar, awal, akhir) == semua[awal:akhir]

"""The maturity rubric: its level rule on hand-made score sets, and the level per kelompok
as of a date."""

import datetime

import pytest

from kelompok.tests.factories import KelompokFactory
from program.models import TingkatKelompok
from program.penilaian import tingkat_dari_skor, tingkat_per_kelompok
from program.tests.factories import PenilaianKelompokFactory

# hand-made rubric fixture: nine scores in the rubric's order -> literal total and level
RUBRIK = [
    ((3, 3, 3, 3, 3, 3, 3, 3, 3), 27, "mandiri"),
    ((3, 3, 3, 3, 3, 2, 2, 2, 2), 23, "mandiri"),
    # 23 points but one indicator at 1: not mandiri
    ((3, 3, 3, 3, 3, 3, 3, 1, 1), 23, "berkembang"),
    ((3, 3, 3, 2, 2, 2, 2, 2, 3), 22, "berkembang"),
    ((2, 2, 2, 2, 2, 2, 2, 1, 1), 16, "berkembang"),
    ((2, 2, 2, 2, 2, 2, 1, 1, 1), 15, "tumbuh"),
    ((1, 1, 1, 1, 1, 1, 1, 1, 1), 9, "tumbuh"),
]


@pytest.mark.parametrize(("skor", "total", "tingkat"), RUBRIK)
def test_level_follows_the_written_rule(skor, total, tingkat):
    assert tingkat_dari_skor(skor) == (total, tingkat)


@pytest.mark.django_db
def test_tingkat_per_kelompok_takes_the_latest_assessment_on_or_before_the_date(
    django_assert_num_queries,
):
    a, b, c = KelompokFactory.create_batch(3)
    PenilaianKelompokFactory(kelompok=a, tanggal=datetime.date(2024, 1, 31), tingkat="tumbuh")
    PenilaianKelompokFactory(kelompok=a, tanggal=datetime.date(2024, 7, 31), tingkat="mandiri")
    PenilaianKelompokFactory(kelompok=b, tanggal=datetime.date(2024, 8, 1), tingkat="berkembang")
    with django_assert_num_queries(1):
        hasil = tingkat_per_kelompok([a.pk, b.pk, c.pk], datetime.date(2024, 7, 31))
    # b's only assessment is after the date, c has none: both absent
    assert hasil == {a.pk: TingkatKelompok.MANDIRI}
    assert tingkat_per_kelompok([a.pk, b.pk], datetime.date(2024, 6, 30)) == {a.pk: "tumbuh"}
    assert tingkat_per_kelompok([], datetime.date(2024, 6, 30)) == {}

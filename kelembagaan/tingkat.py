"""The maturity level of each kelompok as of a date, from the kelompok assessment of
program/ (issue 17 item 2): `program.penilaian.tingkat_per_kelompok(kelompok_ids,
per_tanggal) -> {kelompok id: level}`, levels of `program.models.TingkatKelompok`; a
kelompok never assessed by that date is absent. Kept behind this module so the gates read
one name whatever the assessment's internals become."""

import datetime

from program import penilaian
from program.models import TingkatKelompok

BERKEMBANG_ATAU_LEBIH = frozenset({TingkatKelompok.BERKEMBANG.value, TingkatKelompok.MANDIRI.value})


def tingkat_per_kelompok(kelompok_ids, per_tanggal: datetime.date) -> dict[int, str]:
    return penilaian.tingkat_per_kelompok(list(kelompok_ids), per_tanggal)

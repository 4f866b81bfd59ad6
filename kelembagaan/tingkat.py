"""The maturity level of each kelompok as of a date, from the kelompok assessment of
program/ (issue 17 item 2, built in parallel on branch `tabungan`).

The interface agreed: `program.penilaian.tingkat_per_kelompok(kelompok_ids, per_tanggal)
-> {kelompok id: level}` with the levels of `program.models.TingkatKelompok` (tumbuh,
berkembang, mandiri); a kelompok never assessed by that date is absent. Until that module
is present every kelompok counts as not assessed.
"""

import datetime

TUMBUH, BERKEMBANG, MANDIRI = "tumbuh", "berkembang", "mandiri"
BERKEMBANG_ATAU_LEBIH = frozenset({BERKEMBANG, MANDIRI})


def tingkat_per_kelompok(kelompok_ids, per_tanggal: datetime.date) -> dict[int, str]:
    try:
        from program.penilaian import tingkat_per_kelompok as dari_program
    except ImportError:  # the assessment is not merged yet
        return {}
    return {int(k): str(v) for k, v in dari_program(list(kelompok_ids), per_tanggal).items()}

"""The worker's start-up warm-up (config/pemanasan.py): every project template compiles."""

from config import pemanasan


def test_every_project_template_compiles_at_start():
    nama = pemanasan._nama_template()
    assert "laporan/dasbor/_isi.html" in nama
    assert "base.html" in nama
    # each one compiled: none of the project's templates is skipped as broken
    assert pemanasan.panaskan() == len(nama)

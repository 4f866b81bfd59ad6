"""The worker's start-up warm-up (config/pemanasan.py): every project template compiles."""

from config import pemanasan


def test_every_project_template_compiles_at_start():
    nama = pemanasan._nama_template()
    assert "laporan/dasbor/_isi.html" in nama
    assert "base.html" in nama
    # each one compiled: none of the project's templates is skipped as broken
    assert pemanasan.panaskan() == len(nama)


def test_after_the_warm_up_no_link_builds_a_url_lookup(monkeypatch):
    from django.conf import settings
    from django.urls import URLResolver, clear_url_caches, reverse
    from django.utils import translation

    clear_url_caches()  # a new resolver, as in a new worker
    pemanasan.panaskan()

    def dibangun(self):
        raise AssertionError(f"a lookup built on first use: {self!r}")

    monkeypatch.setattr(URLResolver, "_populate", dibangun)
    for kode, _nama in settings.LANGUAGES:
        with translation.override(kode):
            reverse("klaster:beranda")
            reverse("kunjungan:detail", args=[1])
            reverse("admin:mitra_mitra_changelist")
            reverse("api:docs")


def test_after_the_warm_up_the_objects_made_so_far_are_out_of_the_collectors_scans():
    import gc

    sebelum = gc.get_freeze_count()
    hidup = [[i] for i in range(1000)]  # tracked containers made after the last freeze
    pemanasan.bekukan()
    assert gc.get_freeze_count() >= sebelum + len(hidup)

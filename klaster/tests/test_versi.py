"""The versions of the figures (klaster/versi.py): rows linked to their klaster, read through
a join, and the migration that linked the rows kept before the link existed."""

import importlib

from django.apps import apps

from klaster import versi
from klaster.models import Klaster, VersiAngka
from klaster.tests.factories import KlasterFactory


def test_a_new_version_row_points_at_its_klaster(db):
    k = KlasterFactory()
    VersiAngka.objects.filter(klaster=k).delete()
    versi.naikkan([k.pk], acuan=True)
    baris = VersiAngka.objects.get(lingkup=f"klaster:{k.pk}")
    assert baris.klaster_id == k.pk
    assert VersiAngka.objects.get(lingkup=versi.ACUAN).klaster_id is None


def test_the_klaster_list_reads_each_version_through_the_join(db):
    a, b = KlasterFactory(), KlasterFactory()
    per_klaster, acuan = versi.baca([a.pk, b.pk])
    versi.naikkan([b.pk])
    dibaca = {
        k.pk: (k.versi_angka, k.versi_acuan)
        for k in versi.dengan_versi(Klaster.objects.filter(pk__in=[a.pk, b.pk]))
    }
    assert dibaca == {a.pk: (per_klaster[a.pk], acuan), b.pk: (per_klaster[b.pk] + 1, acuan)}


def test_the_migration_links_old_rows_and_drops_those_of_deleted_klaster(db):
    k = KlasterFactory()
    versi.baca([k.pk])
    VersiAngka.objects.filter(lingkup=f"klaster:{k.pk}").update(klaster=None)
    VersiAngka.objects.create(lingkup="klaster:999999", nomor=5)  # its klaster is gone
    migrasi = importlib.import_module("klaster.migrations.0007_versi_angka_klaster")
    migrasi.isi_klaster(apps, None)
    assert VersiAngka.objects.get(lingkup=f"klaster:{k.pk}").klaster_id == k.pk
    assert not VersiAngka.objects.filter(lingkup="klaster:999999").exists()
    assert VersiAngka.objects.get(lingkup=versi.ACUAN).klaster_id is None

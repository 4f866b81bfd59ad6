"""Each `klaster:<pk>` version row points at its klaster, so the klaster list reads the
versions through a plain join instead of a subquery per klaster on the row's text key. A row
of a klaster that no longer exists is dropped (no page reads it)."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models.functions import Cast, Substr


def isi_klaster(apps, schema_editor):
    VersiAngka = apps.get_model("klaster", "VersiAngka")
    Klaster = apps.get_model("klaster", "Klaster")
    baris = VersiAngka.objects.filter(lingkup__startswith="klaster:")
    ada = [f"klaster:{pk}" for pk in Klaster.objects.values_list("pk", flat=True)]
    baris.exclude(lingkup__in=ada).delete()
    baris.update(klaster_id=Cast(Substr("lingkup", len("klaster:") + 1), models.BigIntegerField()))


class Migration(migrations.Migration):
    dependencies = [
        ("klaster", "0006_grup_nasional"),
    ]

    operations = [
        migrations.AddField(
            model_name="versiangka",
            name="klaster",
            field=models.OneToOneField(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="versi",
                to="klaster.klaster",
                verbose_name="klaster",
            ),
        ),
        migrations.RunPython(isi_klaster, migrations.RunPython.noop),
    ]

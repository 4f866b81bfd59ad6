# The BPS poverty lines moved down to klaster (klaster.models.GarisKemiskinan, same table
# name): dropped here, created again by klaster 0004. Nothing was deployed; the lines are
# reference data that `manage.py muat_garis_kemiskinan` loads again.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("laporan", "0001_initial"),
    ]

    operations = [
        migrations.DeleteModel(name="GarisKemiskinan"),
    ]

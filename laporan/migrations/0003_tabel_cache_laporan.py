"""The report cache's table (CACHES["laporan"], a database cache unless REDIS_URL is set),
created by `migrate` itself so that no deployment can forget `createcachetable`."""

from django.core.management import call_command
from django.db import migrations


def buat_tabel_cache(apps, schema_editor):
    # idempotent; does nothing for caches that are not database caches (Redis)
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("laporan", "0002_garis_kemiskinan_pindah")]

    operations = [migrations.RunPython(buat_tabel_cache, migrations.RunPython.noop)]

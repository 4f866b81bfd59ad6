"""manage.py hitung_laporan: compute and store the report parts of every klaster and the
national dashboard now, so that no page has to (laporan/bagian.py hitung_dasbor).

At national scale a cold start (a new database, a release that changes the entries' shape,
entries expired after CACHE_LAPORAN_DETIK without a write) makes the first dashboard compute
a thousand klaster's parts: about a minute, longer than gunicorn lets a request run. Run it
after seed_demo (which does), after a deployment and daily (cron), e.g.
    0 1 * * *  cd /srv/klaster && .venv/bin/python manage.py hitung_laporan
"""

import time

from django.core.management.base import BaseCommand
from django.utils import timezone

from klaster.models import Klaster
from laporan import bagian


class Command(BaseCommand):
    help = "Compute and store every klaster's report parts and the national dashboard."

    def handle(self, *args, **options):
        mulai = time.monotonic()
        n = bagian.hitung_dasbor(Klaster.objects.all(), timezone.localdate())
        self.stdout.write(
            f"Report parts of {n} klaster and the national dashboard stored "
            f"in {time.monotonic() - mulai:.1f} s."
        )

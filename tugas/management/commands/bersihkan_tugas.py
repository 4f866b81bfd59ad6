from django.core.management.base import BaseCommand

from tugas.services import bersihkan


class Command(BaseCommand):
    help = (
        "Delete the files of background jobs whose 24 hours are over, fail jobs a stopped "
        "worker left behind, forget old jobs. Run it hourly (cron or a systemd timer)."
    )

    def handle(self, *args, **options):
        hitung = bersihkan()
        self.stdout.write(
            f"{hitung['berkas_dihapus']} file(s) deleted, {hitung['macet']} stuck job(s) "
            f"failed, {hitung['dihapus']} old job(s) forgotten"
        )

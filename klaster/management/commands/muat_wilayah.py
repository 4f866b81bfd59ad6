import time
from pathlib import Path

from django.core.management.base import BaseCommand

from klaster.wilayah_data import FILE_NASIONAL, muat_wilayah


class Command(BaseCommand):
    help = "Load the Kemendagri regions (91,599 rows) into Wilayah. Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument(
            "--file", type=Path, default=FILE_NASIONAL, help="CSV or CSV.gz to load"
        )

    def handle(self, *args, file: Path, **options):
        start = time.monotonic()
        hasil = muat_wilayah(file)
        self.stdout.write(
            f"wilayah: {hasil.dibaca} read, {hasil.dibuat} created, {hasil.diubah} updated, "
            f"{hasil.tetap} unchanged in {time.monotonic() - start:.1f} s"
        )

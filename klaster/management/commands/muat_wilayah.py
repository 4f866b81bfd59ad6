import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from klaster.wilayah_data import FILE_NASIONAL, muat_wilayah


class Command(BaseCommand):
    help = "Load the Kemendagri regions (91,599 rows) into Wilayah. Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument(
            "--file", type=Path, default=FILE_NASIONAL, help="CSV or CSV.gz to load"
        )

    def handle(self, *args, file: Path, **options):
        start = time.monotonic()
        try:
            hasil = muat_wilayah(file)
        except FileNotFoundError as exc:
            raise CommandError(
                _("Berkas %(berkas)s tidak ada. Periksa jalur yang diberikan ke --file.")
                % {"berkas": file}
            ) from exc
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(
                _("Berkas %(berkas)s tidak bisa dibaca (%(sebab)s).")
                % {"berkas": file, "sebab": exc}
            ) from exc
        except (KeyError, ValueError) as exc:
            raise CommandError(
                _(
                    "Berkas %(berkas)s bukan CSV wilayah yang dikenal (%(sebab)s); kolom yang "
                    "diperlukan: kode, nama, tingkat, kode_induk."
                )
                % {"berkas": file, "sebab": exc}
            ) from exc
        self.stdout.write(
            f"wilayah: {hasil.dibaca} read, {hasil.dibuat} created, {hasil.diubah} updated, "
            f"{hasil.tetap} unchanged in {time.monotonic() - start:.1f} s"
        )

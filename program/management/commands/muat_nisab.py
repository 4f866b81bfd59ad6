from django.core.management.base import BaseCommand

from program.nisab import muat_nisab


class Command(BaseCommand):
    help = "Load the zakat nisab on income (BAZNAS) into Nisab. Safe to run again."

    def handle(self, *args, **options):
        hasil = muat_nisab()
        self.stdout.write(
            f"nisab: {hasil.dibuat} created, {hasil.diubah} updated, {hasil.tetap} unchanged"
        )

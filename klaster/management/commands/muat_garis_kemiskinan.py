from django.core.management.base import BaseCommand

from klaster.garis_kemiskinan import muat_garis_kemiskinan


class Command(BaseCommand):
    help = "Load the BPS poverty lines (Lebak, Banten) into GarisKemiskinan. Safe to run again."

    def handle(self, *args, **options):
        hasil = muat_garis_kemiskinan()
        self.stdout.write(
            f"garis kemiskinan: {hasil.dibuat} created, {hasil.diubah} updated, "
            f"{hasil.tetap} unchanged, {hasil.dilewati} skipped (region not loaded; "
            "run muat_wilayah first)"
        )

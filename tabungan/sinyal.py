"""Cache bookkeeping for savings entries, as laporan/sinyal.py does for the others: an ORM
save of an entry (the admin, the shell, test factories) changes the version of its klaster's
figures (klaster/versi.py). The services bump first themselves; the meeting's bulk insert
runs inside the visit's transaction, which bumped already."""

from django.db.models.signals import post_delete, post_save

from klaster import versi
from tabungan.models import TransaksiTabungan


def _dengan_klaster(sender, instance, **kwargs) -> None:
    if not getattr(instance, "versi_dinaikkan", False):
        # savings: the klaster's savings section only (klaster/versi.py)
        versi.naikkan([instance.klaster_id], grup=[versi.TABUNGAN])


def hubungkan() -> None:
    uid = "tabungan_versi_transaksi"
    post_save.connect(_dengan_klaster, sender=TransaksiTabungan, dispatch_uid=uid + "_simpan")
    post_delete.connect(_dengan_klaster, sender=TransaksiTabungan, dispatch_uid=uid + "_hapus")

"""Cache bookkeeping: every ORM save or delete of a row the reports read changes the version
of the figures it belongs to (klaster/versi.py), in the same transaction as the write.

The services bump the version themselves, first in their transaction (see klaster/versi.py
for why first); these receivers cover every other door — the admin's change forms, the
shell, test factories — and the reference tables (poverty lines, funds, regions), which only
the admin and the loading commands write. Writes that bypass the ORM's signals (bulk_create,
QuerySet.update, raw SQL: the import, seed_demo) must bump the version themselves. No rule of
the programme lives here: a receiver only says "this klaster's figures may have changed".
"""

from django.db.models.signals import m2m_changed, post_delete, post_save

from bantuan.models import Angsuran, Bantuan, SumberDana
from kelompok.models import Kelompok, Lembaga
from klaster import versi
from klaster.models import GarisKemiskinan, Klaster, Penugasan, Wilayah
from kunjungan.models import Kunjungan
from mitra.models import Mitra, PengukuranPendapatan


def _naikkan_klaster(klaster_id, *, grup=versi.GRUP) -> None:
    if klaster_id is not None:
        versi.naikkan([klaster_id], grup=grup)


def _dengan_klaster(sender, instance, **kwargs) -> None:
    # rows that carry their klaster (mitra, kelompok, lembaga, assignments); a service that
    # bumped the version already says so on the object
    if not getattr(instance, "versi_dinaikkan", False):
        _naikkan_klaster(instance.klaster_id)


def _pinjaman(sender, instance, **kwargs) -> None:
    # a financing: the money, the portfolio and the revolving fund (klaster/versi.py)
    if not getattr(instance, "versi_dinaikkan", False):
        _naikkan_klaster(instance.klaster_id, grup=versi.PINJAMAN)


def _kunjungan(sender, instance, **kwargs) -> None:
    if not getattr(instance, "versi_dinaikkan", False):
        _naikkan_klaster(instance.klaster_id, grup=[versi.KEGIATAN])


def _klaster_itu(sender, instance, **kwargs) -> None:
    _naikkan_klaster(instance.pk)


def _klaster_induk(instance, nama: str, model, grup) -> None:
    # the klaster of the row this one belongs to: from the object when it is loaded already
    induk = instance._state.fields_cache.get(nama)
    if induk is not None:
        _naikkan_klaster(induk.klaster_id, grup=grup)
    else:
        pk = getattr(instance, nama + "_id")
        klaster_ids = model.objects.filter(pk=pk).values_list("klaster_id", flat=True)
        versi.naikkan(klaster_ids, grup=grup)


def _lewat_mitra(sender, instance, **kwargs) -> None:
    _klaster_induk(instance, "mitra", Mitra, [versi.PENDAPATAN])  # an income reading


def _lewat_bantuan(sender, instance, **kwargs) -> None:
    _klaster_induk(instance, "bantuan", Bantuan, versi.PINJAMAN)  # an instalment


def _acuan(sender, instance, **kwargs) -> None:
    versi.naikkan(acuan=True)


def _hadir_berubah(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    if not action.startswith("post_"):
        return
    if not reverse:  # a visit's attendance
        _naikkan_klaster(instance.klaster_id, grup=[versi.KEGIATAN])
    elif pk_set:  # a mitra added to or removed from visits
        versi.naikkan(
            Kunjungan.objects.filter(pk__in=pk_set).values_list("klaster_id", flat=True).distinct(),
            grup=[versi.KEGIATAN],
        )


def _kecamatan_berubah(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    if not action.startswith("post_"):
        return
    if not reverse:
        _naikkan_klaster(instance.pk)
    elif pk_set:
        versi.naikkan(pk_set)


# (models, receiver): what each kind of row tells
PENERIMA = [
    ((Mitra, Kelompok, Lembaga, Penugasan), _dengan_klaster),
    ((Bantuan,), _pinjaman),
    ((Kunjungan,), _kunjungan),
    ((Klaster,), _klaster_itu),
    ((PengukuranPendapatan,), _lewat_mitra),
    ((Angsuran,), _lewat_bantuan),
    ((GarisKemiskinan, SumberDana, Wilayah), _acuan),
]


def hubungkan() -> None:
    for models, penerima in PENERIMA:
        for model in models:
            uid = f"laporan_versi_{model._meta.label_lower}"
            post_save.connect(penerima, sender=model, dispatch_uid=uid + "_simpan")
            post_delete.connect(penerima, sender=model, dispatch_uid=uid + "_hapus")
    m2m_changed.connect(
        _hadir_berubah, sender=Kunjungan.hadir.through, dispatch_uid="laporan_versi_hadir"
    )
    m2m_changed.connect(
        _kecamatan_berubah,
        sender=Klaster.kecamatan.through,
        dispatch_uid="laporan_versi_kecamatan",
    )

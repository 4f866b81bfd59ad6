"""Cache bookkeeping for the programme's rows, as laporan/sinyal.py does for the others:
every ORM save or delete of a row the impact report reads changes its klaster's version of
the figures (klaster/versi.py), in the same transaction. The services bump first themselves
and mark the object (`versi_dinaikkan`); these receivers cover the other doors (the admin,
the shell, test factories). The nisab is reference data: it changes every klaster's
figures. No rule of the programme lives here."""

from django.db.models.signals import m2m_changed, post_delete, post_save

from klaster import versi
from program.models import (
    JawabanSurvei,
    KegiatanProgram,
    Nisab,
    PenilaianKelompok,
    PihakLuar,
    PutaranSurvei,
    TautanPasar,
)


def _dengan_klaster(sender, instance, **kwargs) -> None:
    if not getattr(instance, "versi_dinaikkan", False):
        versi.naikkan([instance.klaster_id])


def _lewat_putaran(sender, instance, **kwargs) -> None:
    if getattr(instance, "versi_dinaikkan", False):
        return
    putaran = instance._state.fields_cache.get("putaran")
    if putaran is not None:
        versi.naikkan([putaran.klaster_id])
    else:
        versi.naikkan(
            PutaranSurvei.objects.filter(pk=instance.putaran_id).values_list(
                "klaster_id", flat=True
            )
        )


def _acuan(sender, instance, **kwargs) -> None:
    versi.naikkan(acuan=True)


def _daftar_berubah(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    if not action.startswith("post_") or getattr(instance, "versi_dinaikkan", False):
        return
    if not reverse:  # an activity's participants or outside parties
        versi.naikkan([instance.klaster_id])
    elif pk_set:  # a mitra or a party added to or removed from activities
        versi.naikkan(
            KegiatanProgram.objects.filter(pk__in=pk_set)
            .values_list("klaster_id", flat=True)
            .distinct()
        )


PENERIMA = [
    ((PihakLuar, KegiatanProgram, TautanPasar, PutaranSurvei, PenilaianKelompok), _dengan_klaster),
    ((JawabanSurvei,), _lewat_putaran),
    ((Nisab,), _acuan),
]


def hubungkan() -> None:
    for models, penerima in PENERIMA:
        for model in models:
            uid = f"program_versi_{model._meta.label_lower}"
            post_save.connect(penerima, sender=model, dispatch_uid=uid + "_simpan")
            post_delete.connect(penerima, sender=model, dispatch_uid=uid + "_hapus")
    for through, nama in (
        (KegiatanProgram.peserta.through, "peserta"),
        (KegiatanProgram.pihak_luar.through, "pihak_luar"),
    ):
        m2m_changed.connect(_daftar_berubah, sender=through, dispatch_uid=f"program_versi_{nama}")

"""Import and export in the admin (django-import-export), through the import engine's
rules: the admin classes of mitra, kelompok and bantuan get the import/export buttons here,
so that those lower apps never import the engine."""

from django.contrib import admin
from import_export.admin import ImportExportMixin

from bantuan.models import Angsuran, Bantuan
from impor.sumber import FORMAT_EKSPOR, buat_sumber
from kelompok.models import Kelompok
from mitra.models import Mitra, PengukuranPendapatan

SUMBER = {
    Mitra: buat_sumber("mitra", Mitra),
    PengukuranPendapatan: buat_sumber("pengukuran", PengukuranPendapatan),
    Kelompok: buat_sumber("kelompok", Kelompok),
    Bantuan: buat_sumber("bantuan", Bantuan),
    # instalments go through bantuan.services.angsuran_catat like every other door
    Angsuran: buat_sumber("angsuran", Angsuran),
}


def _dengan_impor_ekspor(model, sumber) -> None:
    dasar = type(admin.site.get_model_admin(model))
    admin.site.unregister(model)
    admin.site.register(
        model,
        type(
            dasar.__name__,
            (ImportExportMixin, dasar),
            # exports through the app's safe cell writer (klaster/ekspor.py)
            {"resource_classes": [sumber], "export_formats": FORMAT_EKSPOR},
        ),
    )


for _model, _sumber in SUMBER.items():
    _dengan_impor_ekspor(_model, _sumber)

"""django-import-export resources that run the import engine (impor.layanan).

The admin keeps django-import-export's workflow — upload, dry-run preview with per-row errors,
confirm — but every row goes through the same engine as the manager's /impor/ page, so the
admin cannot bypass a rule: the same messy-cell parsing, the same all-or-nothing transaction
(the confirm button only appears when no row is rejected), the same history (history_user =
the importer, history_change_reason = "impor: <file>"). In the admin, rows name their klaster
in the "Kode Klaster" column (the /impor/ page takes it from the klaster chosen).

Mapping of the engine's outcome to django-import-export's Result:
created → new, updated → update, unchanged / blank / total / duplicate → skip (reported,
report_skipped), rejected → invalid (one ValidationError per column, in Indonesian).
Exports have the template's columns whatever fields are ticked: export → edit → import must
be a round trip. They are offered as CSV and XLSX only, written by the same cell writer as
every other export of the app (klaster/ekspor.py): text never becomes a formula.
"""

import tablib
from django.core.exceptions import ValidationError
from django.utils.html import escape
from import_export import fields, resources
from import_export.formats import base_formats
from import_export.results import Error, Result, RowResult

from impor import ekspor as ek
from impor.hasil import AKSI_BARU, AKSI_DUPLIKAT, AKSI_TETAP, AKSI_TOLAK, AKSI_UBAH
from impor.layanan import impor_tabel
from impor.skema import SKEMA

_JENIS_BARIS = {
    AKSI_BARU: RowResult.IMPORT_TYPE_NEW,
    AKSI_UBAH: RowResult.IMPORT_TYPE_UPDATE,
    AKSI_TETAP: RowResult.IMPORT_TYPE_SKIP,
    AKSI_DUPLIKAT: RowResult.IMPORT_TYPE_SKIP,
    AKSI_TOLAK: RowResult.IMPORT_TYPE_INVALID,
}


class SumberImpor(resources.ModelResource):
    # not "jenis": that is also a column (a Field) of the bantuan and pengukuran kinds
    jenis_impor: str = ""

    def import_data(self, dataset, dry_run=False, raise_errors=False, **kwargs):
        tabel = [list(dataset.headers or []), *[list(row) for row in dataset]]
        ringkasan = impor_tabel(
            jenis=self.jenis_impor,
            tabel=tabel,
            nama_berkas=kwargs.get("file_name") or "admin",
            oleh=kwargs.get("user"),
            klaster=None,
            simpan=not dry_run,
        )
        return hasil_import_export(ringkasan)

    def export(self, queryset=None, **kwargs):
        qs = queryset if queryset is not None else self.get_queryset()
        jenis = self.jenis_impor
        data = tablib.Dataset(headers=SKEMA[jenis].judul)
        for row in ek.baris_ekspor(jenis, ek.siapkan_queryset(jenis, qs)):
            data.append(row)
        return data


class CsvAman(base_formats.CSV):
    """CSV whose text cells cannot run as formulas in a spreadsheet."""

    def export_data(self, dataset, **kwargs):
        return ek.csv_tabel(list(dataset.headers or []), dataset)


class XlsxAman(base_formats.XLSX):
    """XLSX whose text cells are string cells, never formulas."""

    def export_data(self, dataset, **kwargs):
        judul = list(dataset.headers or [])
        skema = next((s for s in SKEMA.values() if s.judul == judul), None)
        teks = [k.teks for k in skema.kolom] if skema else None
        return ek.xlsx_tabel(judul, dataset, judul_lembar=dataset.title or "Data", teks=teks)


FORMAT_EKSPOR = [CsvAman, XlsxAman]


def hasil_import_export(ringkasan) -> Result:
    """The engine's summary as django-import-export's Result (what its admin pages show)."""
    result = Result()
    result.diff_headers = list(ringkasan.judul_asli)
    result.total_rows = ringkasan.dibaca
    for pesan in ringkasan.galat_berkas:
        result.append_base_error(Error(ValidationError(pesan)))
    for b in ringkasan.baris:
        rr = RowResult()
        rr.import_type = _JENIS_BARIS[b.aksi]
        rr.diff = [escape("" if v is None else v) for v in b.asli]
        if b.obj is not None and b.obj.pk is not None:
            rr.add_instance_info(b.obj)
            rr.instance = b.obj
        if b.galat:
            pesan: dict[str, list[str]] = {}
            for g in b.galat:
                pesan.setdefault(g.kolom, []).append(g.alasan)
            rr.validation_error = ValidationError(pesan)
            result.append_invalid_row(b.nomor, dict(zip(ringkasan.judul_asli, b.asli, strict=False)),
                                      rr.validation_error)  # fmt: skip
        result.increment_row_result_total(rr)
        result.append_row_result(rr)
    return result


def buat_sumber(jenis: str, model) -> type[SumberImpor]:
    """A resource class for one import kind: its fields are the template's columns."""
    kolom = {
        k.kunci: fields.Field(attribute=None, column_name=k.judul, readonly=True)
        for k in SKEMA[jenis].kolom
    }
    meta = type("Meta", (), {"model": model, "fields": tuple(kolom), "report_skipped": True,
                             "skip_unchanged": True})  # fmt: skip
    nama = f"{model.__name__}Resource"
    return type(nama, (SumberImpor,), {"jenis_impor": jenis, "Meta": meta, "__module__": model.__module__,
                                       **kolom})  # fmt: skip

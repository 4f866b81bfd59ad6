"""The admin's django-import-export workflow runs the same engine: preview, confirm, history."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from impor.admin import SUMBER
from impor.skema import SKEMA
from impor.tests.test_views import baris_mitra
from impor.tests.util import sidik_db, xlsx
from mitra.models import Mitra


def _format_xlsx(form):
    return next(v for v, label in form.fields["format"].choices if str(label).lower() == "xlsx")


def _unggah(client, form_awal, rows, nama):
    return client.post(
        reverse("admin:mitra_mitra_import"),
        {"import_file": SimpleUploadedFile(nama, xlsx(rows)), "format": _format_xlsx(form_awal)},
    )


def _dengan_klaster(rows, kode):
    return [rows[0] + ["Kode Klaster"]] + [r + [kode] for r in rows[1:]]


def test_admin_import_previews_then_confirms_with_history(client, personas):
    client.force_login(personas.admin)
    halaman = client.get(reverse("admin:mitra_mitra_import"))
    assert halaman.status_code == 200
    rows = _dengan_klaster(baris_mitra(3), "LBK")
    response = _unggah(client, halaman.context["form"], rows, "mitra-admin.xlsx")
    assert response.status_code == 200
    result = response.context["result"]
    assert (result.totals["new"], result.totals["invalid"]) == (3, 0)
    assert not Mitra.objects.exists()
    konfirmasi = response.context["confirm_form"]
    response = client.post(reverse("admin:mitra_mitra_process_import"), konfirmasi.initial)
    assert response.status_code == 302
    assert Mitra.objects.filter(klaster=personas.klaster_lebak).count() == 3
    h = Mitra.history.first()
    assert (h.history_user, h.history_change_reason) == (personas.admin, "impor: mitra-admin.xlsx")


def test_admin_preview_lists_rejected_rows_and_offers_no_confirm(client, personas):
    client.force_login(personas.admin)
    halaman = client.get(reverse("admin:mitra_mitra_import"))
    rows = _dengan_klaster(baris_mitra(3), "LBK")
    rows[2][-1] = "TIDAK-ADA"
    rows[3][6] = "31/02/2014"
    sebelum = sidik_db()
    response = _unggah(client, halaman.context["form"], rows, "mitra-salah.xlsx")
    result = response.context["result"]
    assert "confirm_form" not in response.context
    assert [(r.number, r.error_dict) for r in result.invalid_rows] == [
        (3, {"Kode Klaster": ["Klaster 'TIDAK-ADA' tidak ada atau bukan klaster yang Anda kelola."]}),
        (4, {"Tanggal Bergabung": ["Tanggal '31/02/2014' tidak ada di kalender; periksa hari dan "
                                   "bulannya."]}),
    ]  # fmt: skip
    assert b"tidak ada di kalender" in response.content
    assert sidik_db() == sebelum


def test_resource_export_has_the_template_shape(personas):
    from mitra.tests.factories import MitraFactory

    MitraFactory(klaster=personas.klaster_lebak, kelompok=personas.kelompok_lebak)
    data = SUMBER[Mitra]().export()
    assert data.headers == SKEMA["mitra"].judul
    assert data[0][-1] == "LBK" and data[0][7] == "LBK-01"

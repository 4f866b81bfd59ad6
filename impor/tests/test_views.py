"""The /impor/ pages: who may use them, the preview → confirm flow, downloads, query counts."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from impor.skema import SKEMA
from impor.tests.util import sidik_db, xlsx
from mitra.models import Mitra
from mitra.tests.factories import nik_untuk

JUDUL = ["NIK", "Nama", "Jenis Kelamin", "Tanggal Lahir", "Desa", "Sektor", "Tanggal Bergabung"]


def baris_mitra(n: int, mulai: int = 0) -> list[list]:
    rows = [JUDUL]
    for i in range(mulai, mulai + n):
        lahir = datetime.date(1960, 1, 1) + datetime.timedelta(days=i * 7)
        jk = "L" if i % 2 else "P"
        rows.append([nik_untuk("36.02.06", lahir, jk, i), f"Mitra {i}", jk, lahir,
                     "Cisimeut", "tani", "01/06/2011"])  # fmt: skip
    return rows


def unggah(client, personas, data, nama="mitra.xlsx", jenis="mitra", klaster=None):
    berkas = SimpleUploadedFile(nama, data)
    klaster = klaster or personas.klaster_lebak
    return client.post(
        reverse("impor:unggah", args=[jenis]), {"klaster": klaster.pk, "berkas": berkas}
    )


def test_index_for_manager_lists_kinds_and_managed_klaster_only(client, personas):
    client.force_login(personas.manajer)
    response = client.get(reverse("impor:index"))
    assert response.status_code == 200
    assert [s.jenis for s in response.context["skema_list"]] == list(SKEMA)
    assert response.context["klaster_list"] == [personas.klaster_lebak]
    assert reverse("impor:index").encode() in response.content  # nav link for managers


@pytest.mark.parametrize(
    "nama_url,args",
    [("impor:index", []), ("impor:unggah", ["mitra"]), ("impor:templat", ["mitra"]),
     ("impor:ekspor", ["mitra"])],
)  # fmt: skip
def test_fasilitator_cannot_import_or_export(client, personas, nama_url, args):
    client.force_login(personas.fasilitator)
    assert client.get(reverse(nama_url, args=args)).status_code == 403


def test_fasilitator_post_is_refused_and_nothing_saved(client, personas):
    client.force_login(personas.fasilitator)
    sebelum = sidik_db()
    assert unggah(client, personas, xlsx(baris_mitra(2))).status_code == 403
    response = client.post(reverse("impor:konfirmasi", args=["mitra"]), {"token": "x"})
    assert response.status_code == 403
    assert sidik_db() == sebelum


def test_anonymous_goes_to_login(client, db):
    response = client.get(reverse("impor:index"))
    assert response.status_code == 302 and reverse("akun:masuk") in response["Location"]


def test_upload_page_offers_only_managed_klaster(client, personas):
    client.force_login(personas.manajer)
    response = client.get(reverse("impor:unggah", args=["mitra"]))
    assert response.status_code == 200
    assert list(response.context["form"].fields["klaster"].queryset) == [personas.klaster_lebak]
    assert b"Periksa berkas" in response.content


def test_wrong_methods(client, personas):
    client.force_login(personas.manajer)
    assert client.post(reverse("impor:index")).status_code == 405
    assert client.get(reverse("impor:konfirmasi", args=["mitra"])).status_code == 405
    assert client.post(reverse("impor:templat", args=["mitra"])).status_code == 405


def test_unknown_kind_is_404(client, personas):
    client.force_login(personas.manajer)
    assert client.get(reverse("impor:unggah", args=["rahasia"])).status_code == 404


def test_manager_cannot_import_into_a_klaster_they_do_not_manage(client, personas):
    client.force_login(personas.manajer)
    sebelum = sidik_db()
    response = unggah(client, personas, xlsx(baris_mitra(2)), klaster=personas.klaster_lain)
    assert response.status_code == 422
    assert "klaster" in response.context["form"].errors
    assert sidik_db() == sebelum
    ekspor = reverse("impor:ekspor", args=["mitra"]) + f"?klaster={personas.klaster_lain.pk}"
    assert client.get(ekspor).status_code == 404


def test_bad_upload_comes_back_with_a_message(client, personas):
    client.force_login(personas.manajer)
    response = unggah(client, personas, b"not a spreadsheet", nama="mitra.pdf")
    assert response.status_code == 422
    assert response.context["form"].errors["berkas"] == [
        "Unggah berkas .xlsx atau .csv; berkas .xls lama simpan ulang sebagai .xlsx."
    ]


def test_preview_then_confirm_imports_with_history(client, personas):
    client.force_login(personas.manajer)
    response = unggah(client, personas, xlsx(baris_mitra(3)), nama="mitra-baru.xlsx")
    assert response.status_code == 200
    r = response.context["r"]
    assert (r.dibaca, r.dibuat, r.ditolak) == (3, 3, 0)
    assert not Mitra.objects.exists()  # the preview writes nothing
    token = response.context["token"]
    response = client.post(reverse("impor:konfirmasi", args=["mitra"]), {"token": token})
    assert response.status_code == 302 and response["Location"] == reverse("impor:index")
    assert Mitra.objects.filter(klaster=personas.klaster_lebak).count() == 3
    h = Mitra.history.first()
    assert (h.history_user, h.history_change_reason) == (personas.manajer, "impor: mitra-baru.xlsx")
    # the token is spent
    response = client.post(reverse("impor:konfirmasi", args=["mitra"]), {"token": token})
    assert response.status_code == 302
    assert response["Location"] == reverse("impor:unggah", args=["mitra"])


def test_rejected_rows_block_confirm_and_the_error_file_has_the_original_values(client, personas):
    client.force_login(personas.manajer)
    rows = baris_mitra(3)
    rows[2][0] = 3602060101800001.0  # NIK as a number
    rows[3][6] = "31/02/2014"
    response = unggah(client, personas, xlsx(rows))
    assert response.status_code == 422
    r = response.context["r"]
    assert (r.dibaca, r.dibuat, r.ditolak) == (3, 1, 2)
    assert b'id="galat"' in response.content and b"Simpan impor" not in response.content
    token = response.context["token"]
    sebelum = sidik_db()
    response = client.post(reverse("impor:konfirmasi", args=["mitra"]), {"token": token})
    assert response.status_code == 422
    assert sidik_db() == sebelum

    response = client.get(reverse("impor:galat", args=[token]))
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(response.content)).active
    isi = [list(row) for row in ws.iter_rows(values_only=True)]
    assert isi[0] == ["Baris", "Kolom", "Alasan", *JUDUL]
    assert [(row[0], row[1]) for row in isi[1:]] == [(3, "NIK"), (4, "Tanggal Bergabung")]
    assert isi[1][3] == 3602060101800001  # the original (mangled) value, as it was
    assert isi[2][9] == "31/02/2014"


def test_error_file_of_another_session_is_404(client, personas):
    client.force_login(personas.manajer)
    assert client.get(reverse("impor:galat", args=["tidak-ada"])).status_code == 404


def test_template_has_the_schema_columns_and_text_format_for_nik(client, personas):
    client.force_login(personas.manajer)
    response = client.get(reverse("impor:templat", args=["mitra"]))
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content))
    ws = wb.worksheets[0]
    assert [c.value for c in ws[1]] == SKEMA["mitra"].judul
    assert ws["A2"].number_format == "@"
    assert wb.sheetnames[1] == "Petunjuk"
    csv_response = client.get(reverse("impor:templat", args=["mitra"]) + "?format=csv")
    assert csv_response.content.decode("utf-8-sig").splitlines()[0] == ",".join(
        SKEMA["mitra"].judul
    )


def test_the_template_is_written_in_the_language_asked_each_time(client, personas):
    # (each process writes a template once per kind and language)
    from django.utils import translation

    from impor.ekspor import templat_xlsx

    lembar = {}
    for bahasa in ("id", "en", "id", "en"):
        with translation.override(bahasa):
            wb = load_workbook(io.BytesIO(templat_xlsx("mitra")))
        lembar.setdefault(bahasa, set()).add(tuple(wb.sheetnames))
    assert lembar["id"] == {(str(SKEMA["mitra"].nama)[:31], "Petunjuk")}
    with translation.override("en"):
        assert lembar["en"] == {(str(SKEMA["mitra"].nama)[:31], "Instructions")}


def test_export_edit_import_is_a_round_trip(client, personas):
    client.force_login(personas.manajer)
    token = unggah(client, personas, xlsx(baris_mitra(4))).context["token"]
    client.post(reverse("impor:konfirmasi", args=["mitra"]), {"token": token})
    url = reverse("impor:ekspor", args=["mitra"]) + f"?klaster={personas.klaster_lebak.pk}"
    response = client.get(url)
    assert response.status_code == 200
    ekspor = response.content
    wb = load_workbook(io.BytesIO(ekspor))
    ws = wb.active
    assert [c.value for c in ws[1]] == SKEMA["mitra"].judul
    assert len(ws["A"]) == 5

    sebelum = sidik_db()
    r = unggah(client, personas, ekspor, nama="ekspor.xlsx").context["r"]
    assert (r.dibaca, r.tetap, r.dibuat, r.diubah, r.ditolak) == (4, 4, 0, 0, 0)
    assert sidik_db() == sebelum

    ws["B2"] = "Nama Diubah Di Excel"  # edit in "Excel"
    buf = io.BytesIO()
    wb.save(buf)
    response = unggah(client, personas, buf.getvalue(), nama="ekspor-diubah.xlsx")
    r = response.context["r"]
    assert (r.tetap, r.diubah) == (3, 1)
    client.post(reverse("impor:konfirmasi", args=["mitra"]), {"token": response.context["token"]})
    nik = ws["A2"].value
    assert Mitra.objects.get(nik=nik).nama == "Nama Diubah Di Excel"


@pytest.mark.parametrize("n", [5, 50])
def test_preview_queries_do_not_grow_with_rows(client, personas, django_assert_max_num_queries, n):
    client.force_login(personas.manajer)
    data = xlsx(baris_mitra(n))
    # session, user, groups, user and group permissions, the klaster chosen (form), is it
    # managed, mitra by NIK, kecamatan codes of the NIKs, kecamatan of the klaster, desa,
    # kelompok, session save (savepoint, update, release)
    with django_assert_max_num_queries(15):
        response = unggah(client, personas, data)
    assert response.context["r"].dibuat == n


@pytest.mark.parametrize("n", [4, 40])
def test_confirm_queries_do_not_grow_with_rows(client, personas, django_assert_max_num_queries, n):
    client.force_login(personas.manajer)
    token = unggah(client, personas, xlsx(baris_mitra(n))).context["token"]
    # as the preview, plus savepoints, the klaster lock, one bulk insert of mitra and one of
    # their history. (Bulk inserts are batched: SQLite allows 999 parameters per statement, so
    # beyond ~45 rows the history insert splits; 4 and 40 rows stay within one batch.)
    with django_assert_max_num_queries(22):
        client.post(reverse("impor:konfirmasi", args=["mitra"]), {"token": token})
    assert Mitra.objects.count() == n


def test_index_queries_are_few(client, personas, django_assert_max_num_queries):
    client.force_login(personas.manajer)
    # session, user, groups, user and group permissions, managed klaster, session save (3)
    with django_assert_max_num_queries(9):
        assert client.get(reverse("impor:index")).status_code == 200


def test_unconfirmed_uploads_older_than_a_day_are_removed(client, personas, settings):
    import os
    import time

    lama = settings.MEDIA_ROOT / "impor_sementara" / "lama.xlsx"
    lama.parent.mkdir(parents=True)
    lama.write_bytes(b"x")
    dua_hari_lalu = time.time() - 2 * 24 * 3600
    os.utime(lama, (dua_hari_lalu, dua_hari_lalu))
    client.force_login(personas.manajer)
    unggah(client, personas, xlsx(baris_mitra(1)))
    assert not lama.exists()
    assert len(list(lama.parent.iterdir())) == 1  # the new upload waits for its confirm


def test_preview_page_shows_the_counts_of_the_messy_file(client, personas, mitra_lama):
    import re

    from impor.tests.test_impor_mitra import berkas_berantakan

    client.force_login(personas.manajer)
    response = unggah(client, personas, xlsx(berkas_berantakan(personas)))
    html = response.content.decode()
    angka = dict(re.findall(r'data-n="(\w+)">(\d+)<', html))
    # counted by hand from the fixture's comments: rows 4..19; 4 new (4, 5, 9, 14), 1 updated
    # (12), 1 unchanged (13), 7 rejected, 3 skipped (blank 6, duplicate 10, total 19)
    assert angka == {"dibaca": "16", "dibuat": "4", "diubah": "1", "tetap": "1",
                     "ditolak": "7", "dilewati": "3"}  # fmt: skip
    assert html.count('class="baris-galat"') == 7
    assert "Simpan impor" not in html


def test_filled_in_template_imports(client, personas):
    client.force_login(personas.manajer)
    wb = load_workbook(io.BytesIO(client.get(reverse("impor:templat", args=["mitra"])).content))
    ws = wb.worksheets[0]
    isi = [
        "3602064501800001",
        "Siti",
        "P",
        datetime.date(1980, 1, 5),
        "081234567890",
        "Cisimeut",
        "",
        "LBK-01",
        "tani",
        "",
        "aktif",
        "06/03/2014",
        None,
        3,
        "LBK",
    ]
    for kolom, nilai in enumerate(isi, 1):  # typed into row 2, as a person would
        ws.cell(row=2, column=kolom, value=nilai)
    buf = io.BytesIO()
    wb.save(buf)
    r = unggah(client, personas, buf.getvalue(), nama="templat-mitra.xlsx").context["r"]
    # the 1,000 rows pre-formatted as Text below are empty, not rows
    assert (r.dibaca, r.dibuat, r.ditolak, r.kosong) == (1, 1, 0, 0), r.galat

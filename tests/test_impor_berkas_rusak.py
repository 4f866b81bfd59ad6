"""Crafted and broken files get a clear Indonesian message from the import, never a 500.

The XLSX files are written by hand (zipfile + XML strings), so each one carries exactly the
defect named: a cell reference or row number no reader understands, a shared string that does
not exist, a boolean or a date cell holding nonsense, an XML external entity (XXE), a
billion-laughs DTD, a formula with an empty stored value, a zip bomb. Each goes through the
engine (impor.layanan.impor_berkas) and through the /impor/ upload page; nothing is saved.
"""

import io
import tracemalloc
import zipfile
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from impor import baca
from impor.layanan import impor_berkas
from impor.tests.test_views import baris_mitra
from impor.tests.util import sidik_db
from mitra.models import Mitra

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NS_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS_PKG = "http://schemas.openxmlformats.org/package/2006"

CONTENT_TYPES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="{NS_PKG}/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>
</Types>"""
RELS = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="{NS_PKG}/relationships">
<Relationship Id="rId1" Type="{NS_R}/officeDocument" Target="xl/workbook.xml"/>
</Relationships>"""
WORKBOOK = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="{NS}" xmlns:r="{NS_R}"><sheets><sheet name="Mitra" sheetId="1" r:id="rId1"/></sheets></workbook>"""
WORKBOOK_RELS = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="{NS_PKG}/relationships">
<Relationship Id="rId1" Type="{NS_R}/worksheet" Target="worksheets/sheet1.xml"/>
<Relationship Id="rId2" Type="{NS_R}/sharedStrings" Target="sharedStrings.xml"/>
</Relationships>"""
SHARED = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<sst xmlns="{NS}" count="1" uniqueCount="1"><si><t>tani</t></si></sst>"""


def _kolom(i: int) -> str:
    return "ABCDEFGHIJ"[i]


def _sel(ref: str, nilai) -> str:
    if nilai is None:
        return ""
    if hasattr(nilai, "isoformat"):
        return f'<c r="{ref}" t="d"><v>{nilai.isoformat()}</v></c>'
    teks = str(nilai).replace("&", "&amp;").replace("<", "&lt;")
    return f'<c r="{ref}" t="inlineStr"><is><t>{teks}</t></is></c>'


def lembar(rows: list[list], *, sisip: str = "", doctype: str = "") -> str:
    """sheet1.xml of these rows; `sisip`: raw XML put in as the last row's extra cell (or as
    a row of its own when it starts with "<row"); `doctype`: a DTD before the root."""
    baris = []
    for r, row in enumerate(rows, start=1):
        sel = "".join(_sel(f"{_kolom(i)}{r}", v) for i, v in enumerate(row))
        baris.append(f'<row r="{r}">{sel}</row>')
    if sisip.startswith("<row"):
        baris.append(sisip)
    elif sisip:
        baris[-1] = baris[-1].replace("</row>", sisip + "</row>")
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>{doctype}'
        f'<worksheet xmlns="{NS}"><sheetData>{"".join(baris)}</sheetData></worksheet>'
    )


def xlsx_tangan(sheet_xml: str, *, shared: str = SHARED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("_rels/.rels", RELS)
        z.writestr("xl/workbook.xml", WORKBOOK)
        z.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        z.writestr("xl/sharedStrings.xml", shared)
        z.writestr("xl/worksheets/sheet1.xml", sheet_xml)
    return buf.getvalue()


def _rows():
    return baris_mitra(2)


# row 3 is the last data row; its column H (past the header) gets the crafted cell
CACAT = {
    "referensi sel AAAAAAAA1": lembar(
        _rows(), sisip='<c r="AAAAAAAA1" t="inlineStr"><is><t>x</t></is></c>'
    ),
    "nomor baris abc": lembar(
        _rows(), sisip='<row r="abc"><c r="A4" t="inlineStr"><is><t>x</t></is></c></row>'
    ),
    "indeks shared string di luar jangkauan": lembar(
        _rows(), sisip='<c r="H3" t="s"><v>99</v></c>'
    ),
    "sel boolean x": lembar(_rows(), sisip='<c r="H3" t="b"><v>x</v></c>'),
    "sel tanggal notadate": lembar(_rows(), sisip='<c r="H3" t="d"><v>notadate</v></c>'),
    "entitas eksternal (XXE)": lembar(
        _rows(),
        doctype='<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
        sisip='<c r="H3" t="inlineStr"><is><t>&xxe;</t></is></c>',
    ),
    "billion laughs": lembar(
        _rows(),
        doctype=(
            '<!DOCTYPE worksheet [<!ENTITY a "ha"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
            '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">'
            '<!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;"><!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">'
            '<!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;"><!ENTITY h "&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;">]>'
        ),
        sisip='<c r="H3" t="inlineStr"><is><t>&h;</t></is></c>',
    ),
}


def _pesan_berkas(r) -> str:
    assert r.galat_berkas, "the file should have been refused as a whole"
    return " ".join(r.galat_berkas)


def test_the_hand_written_file_itself_imports(personas):
    # the builder writes a good file, so each case below fails for its own defect only
    r = impor_berkas(
        jenis="mitra", data=xlsx_tangan(lembar(_rows())), nama_berkas="baik.xlsx",
        oleh=personas.manajer, klaster=personas.klaster_lebak,
    )  # fmt: skip
    assert (r.galat_berkas, r.dibaca, r.dibuat, r.ditolak) == ([], 2, 2, 0)


@pytest.mark.parametrize("cacat", list(CACAT))
def test_a_crafted_xlsx_is_refused_with_a_message_by_the_engine(personas, cacat):
    sebelum = sidik_db()
    r = impor_berkas(
        jenis="mitra", data=xlsx_tangan(CACAT[cacat]), nama_berkas="rusak.xlsx",
        oleh=personas.manajer, klaster=personas.klaster_lebak, simpan=True,
    )  # fmt: skip
    pesan = _pesan_berkas(r)
    assert "rusak atau tidak didukung" in pesan
    assert "simpan ulang" in pesan
    assert not r.tersimpan and sidik_db() == sebelum


def test_the_entities_are_never_expanded(personas):
    # defusedxml refuses the DTD's entities: no file content, no expansion reaches a cell
    data = xlsx_tangan(CACAT["entitas eksternal (XXE)"])
    with pytest.raises(ValidationError) as e:
        baca.baca_tabel(data, "x.xlsx")
    assert "root:" not in str(e.value)
    tracemalloc.start()
    try:
        with pytest.raises(ValidationError):
            baca.baca_tabel(xlsx_tangan(CACAT["billion laughs"]), "x.xlsx")
        _now, puncak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert puncak < 20 * 2**20  # 10^7 "ha" would be 20 MB and more


def unggah(client, personas, data, nama):
    return client.post(
        reverse("impor:unggah", args=["mitra"]),
        {"klaster": personas.klaster_lebak.pk, "berkas": SimpleUploadedFile(nama, data)},
    )


@pytest.mark.parametrize("cacat", list(CACAT))
def test_a_crafted_xlsx_is_refused_with_a_message_by_the_upload_page(client, personas, cacat):
    client.force_login(personas.manajer)
    response = unggah(client, personas, xlsx_tangan(CACAT[cacat]), "rusak.xlsx")
    assert response.status_code == 422
    halaman = response.content.decode()
    assert "rusak atau tidak didukung" in halaman
    assert response.context["r"].boleh_disimpan is False
    assert not Mitra.objects.exists()


def test_a_formula_with_an_empty_stored_value_is_a_row_message_not_a_500(client, personas):
    # some tools save <f> with an empty <v/>: the cell has no value; the row says what is
    # missing (here the required Nama), the rest of the file is read
    rows = _rows()
    rows[2][1] = None
    xml = lembar(rows, sisip='<c r="B3"><f>CONCATENATE("Mitra ","1")</f><v/></c>')
    r = impor_berkas(
        jenis="mitra", data=xlsx_tangan(xml), nama_berkas="rumus.xlsx",
        oleh=personas.manajer, klaster=personas.klaster_lebak,
    )  # fmt: skip
    assert r.galat_berkas == []
    assert [(g.baris, g.kolom) for g in r.galat] == [(3, "Nama")]
    assert "kosong" in r.galat[0].alasan
    client.force_login(personas.manajer)
    response = unggah(client, personas, xlsx_tangan(xml), "rumus.xlsx")
    assert response.status_code == 422
    assert "Kolom Nama kosong" in response.content.decode()


# --- CSV ------------------------------------------------------------------------------------


def test_a_csv_with_nul_bytes_is_refused_with_a_message(client, personas):
    data = b"NIK,Nama,Jenis Kelamin\n3602060101800001,Siti\x00Aminah,P\n"
    r = impor_berkas(
        jenis="mitra", data=data, nama_berkas="nul.csv", oleh=personas.manajer,
        klaster=personas.klaster_lebak,
    )  # fmt: skip
    assert "rusak atau bukan teks CSV" in _pesan_berkas(r)
    client.force_login(personas.manajer)
    response = unggah(client, personas, data, "nul.csv")
    assert response.status_code == 422
    assert "karakter NUL" in response.content.decode()
    assert not Mitra.objects.exists()


def test_excel_unicode_text_utf16_is_read_not_refused(personas):
    # Excel's "Unicode Text" is UTF-16 (full of NUL bytes when read as 8-bit): it is text
    rows = _rows()
    teks = "\n".join("\t".join(str(v) for v in row) for row in rows) + "\n"
    r = impor_berkas(
        jenis="mitra", data=teks.encode("utf-16"), nama_berkas="unicode.txt",
        oleh=personas.manajer, klaster=personas.klaster_lebak,
    )  # fmt: skip
    assert (r.galat_berkas, r.dibaca, r.ditolak) == ([], 2, 0)


def test_a_csv_cell_beyond_the_field_limit_is_a_message():
    data = b"NIK,Nama\n1," + b"x" * (200 * 1024) + b"\n"
    with pytest.raises(ValidationError) as e:
        baca.baca_tabel(data, "besar.csv")
    assert "tidak terbaca" in " ".join(e.value.messages)


# --- zip bombs ------------------------------------------------------------------------------


def _bom(ukuran_mb: int) -> bytes:
    """A valid-looking XLSX whose sheet is `ukuran_mb` MB of XML that compresses ~1000:1."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("_rels/.rels", RELS)
        z.writestr("xl/workbook.xml", WORKBOOK)
        z.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        z.writestr("xl/sharedStrings.xml", SHARED)
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
            f.write(f'<worksheet xmlns="{NS}"><sheetData>'.encode())
            potong = b'<row><c t="inlineStr"><is><t>x</t></is></c></row>' * 20_000
            for _ in range(ukuran_mb * 2**20 // len(potong)):
                f.write(potong)
            f.write(b"</sheetData></worksheet>")
    return buf.getvalue()


@pytest.fixture(scope="module")
def bom_200mb():
    return _bom(200)


def test_a_zip_bomb_is_refused_before_any_xml_is_parsed(personas, bom_200mb):
    assert len(bom_200mb) < 1 * 2**20  # the upload is small; its sheet expands to 200 MB
    tracemalloc.start()
    try:
        with mock.patch("openpyxl.load_workbook", side_effect=AssertionError("parsed")):
            r = impor_berkas(
                jenis="mitra", data=bom_200mb, nama_berkas="bom.xlsx", oleh=personas.manajer,
                klaster=personas.klaster_lebak,
            )  # fmt: skip
        _now, puncak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    pesan = _pesan_berkas(r)
    assert "tidak didukung" in pesan and "MB setelah dibuka" in pesan
    assert puncak < 10 * 2**20


def test_a_zip_bomb_through_the_upload_page(client, personas, bom_200mb):
    client.force_login(personas.manajer)
    with mock.patch("openpyxl.load_workbook", side_effect=AssertionError("parsed")):
        response = unggah(client, personas, bom_200mb, "bom.xlsx")
    assert response.status_code == 422
    assert "MB setelah dibuka" in response.content.decode()


def test_a_small_sheet_that_expands_a_thousand_times_is_refused():
    # under the size ceiling, but no spreadsheet compresses like this
    with mock.patch("openpyxl.load_workbook", side_effect=AssertionError("parsed")):
        with pytest.raises(ValidationError) as e:
            baca.baca_tabel(_bom(20), "bom.xlsx")
    assert "mengembang" in " ".join(e.value.messages)


def test_an_archive_of_thousands_of_entries_is_refused():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for i in range(baca.ARSIP_ENTRI_MAKS + 1):
            z.writestr(f"xl/x{i}.xml", "")
    with pytest.raises(ValidationError) as e:
        baca.baca_tabel(buf.getvalue(), "banyak.xlsx")
    assert "bagian" in " ".join(e.value.messages)


def test_an_honest_export_is_far_below_the_archive_ceilings():
    # the ceilings leave room for honest files: 5,000 rows of the mitra template shape, then
    # scaled to MAKS_BARIS rows (the sheet grows linearly)
    from impor.ekspor import xlsx_dari_baris
    from impor.skema import SKEMA

    n = 5_000
    baris = [
        [f"36020601018{i:05d}", f"Mitra Nama Panjang {i}", "L", None, "081234567890",
         "36.02.06.2002", "Kampung Cisimeut RT 01 RW 02", "LBK-01", "Pertanian", "padi", "aktif",
         None, None, 4, "LBK"]
        for i in range(n)
    ]  # fmt: skip
    data = xlsx_dari_baris(SKEMA["mitra"], baris, judul_lembar="Mitra")
    baca._periksa_arsip(data)  # raises if refused
    lembar_ = zipfile.ZipFile(io.BytesIO(data)).getinfo("xl/worksheets/sheet1.xml")
    assert lembar_.file_size * (baca.MAKS_BARIS / n) < baca.ARSIP_UKURAN_MAKS / 2
    assert lembar_.file_size / lembar_.compress_size < baca.ARSIP_RASIO_MAKS / 4


def test_a_stated_sheet_size_or_a_far_cell_does_not_blow_rows_up(personas):
    # a sheet stating A1:XFD1048576, and a cell in the last column: read as the rows there
    # are (the far cell is past the columns read), not a million rows of 16,384 cells
    xml = lembar(_rows(), sisip='<c r="XFD3" t="inlineStr"><is><t>jauh</t></is></c>')
    xml = xml.replace("<sheetData>", '<dimension ref="A1:XFD1048576"/><sheetData>')
    tracemalloc.start()
    try:
        tabel = baca.baca_tabel(xlsx_tangan(xml), "x.xlsx")
        _now, puncak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert [len(row) for row in tabel] == [7, 7, 7]
    assert puncak < 10 * 2**20
    r = impor_berkas(
        jenis="mitra", data=xlsx_tangan(xml), nama_berkas="luas.xlsx",
        oleh=personas.manajer, klaster=personas.klaster_lebak,
    )  # fmt: skip
    assert (r.galat_berkas, r.dibaca, r.dibuat) == ([], 2, 2)

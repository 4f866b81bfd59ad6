"""Reading an uploaded XLSX or CSV file into rows of cell values."""

import csv
import io
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from impor import bersih

BARIS_JUDUL_MAKS = 15  # the header may sit below a title block; look this far down
MAKS_BARIS = 50_000  # a request-sized import; bigger files belong in a task queue
EKSTENSI = (".xlsx", ".csv")


# --- reading files --------------------------------------------------------------------------


def baca_tabel(data: bytes, nama_berkas: str) -> list[list]:
    """The cells of the first sheet (XLSX) or of a CSV file, row by row from row 1."""
    ext = Path(nama_berkas or "").suffix.lower()
    if ext == ".xlsx" or ext == ".xlsm":
        return _baca_xlsx(data)
    if ext in (".csv", ".txt"):
        return _baca_csv(data)
    if ext == ".xls":
        raise ValidationError(
            _(
                "Berkas .xls (Excel 97-2003) tidak didukung; buka di Excel lalu simpan sebagai .xlsx."
            )
        )
    raise ValidationError(_("Unggah berkas .xlsx atau .csv (templat tersedia di halaman Impor)."))


def _baca_xlsx(data: bytes) -> list[list]:
    # openpyxl's reader, step by step, without the read-only worksheet object: that object
    # scans the whole sheet once just to find its size when the file does not state it
    # (openpyxl-written files do not), which doubled the reading time.
    from openpyxl.reader.excel import ExcelReader
    from openpyxl.styles.stylesheet import apply_stylesheet

    try:
        reader = ExcelReader(io.BytesIO(data), read_only=True, data_only=True)
        reader.read_manifest()
        reader.read_strings()
        reader.read_workbook()
        apply_stylesheet(reader.archive, reader.wb)
        lembar = [
            rel.target
            for _sheet, rel in reader.parser.find_sheets()
            if rel.target in reader.valid_files and "chartsheet" not in rel.Type
        ]
    except Exception:  # a broken or mislabelled file raises many kinds of error
        raise ValidationError(
            _("Berkas tidak terbaca sebagai .xlsx; buka di Excel lalu simpan ulang sebagai .xlsx.")
        ) from None
    if not lembar:
        raise ValidationError(_("Berkas .xlsx ini tidak berisi lembar data."))
    try:
        with reader.archive.open(lembar[0]) as src:
            return _baris_lembar(src, reader.shared_strings, reader.wb)
    finally:
        reader.archive.close()


def _baris_lembar(src, shared_strings, wb) -> list[list]:
    """The cell values of a sheet's XML, row by row (rows the file leaves out are empty).

    A lean loop instead of openpyxl's cell objects (its read-only worksheet took 9 s for
    10,000 rows written by openpyxl, whose text cells are inline strings). Values follow
    openpyxl's rules: shared and inline strings, numbers, booleans, and numbers in a date
    format become datetimes.
    """
    from openpyxl.utils.cell import column_index_from_string
    from openpyxl.utils.datetime import from_excel, from_ISO8601
    from openpyxl.worksheet._reader import _cast_number
    from openpyxl.xml.constants import SHEET_MAIN_NS
    from openpyxl.xml.functions import iterparse

    tag_row, tag_c = f"{{{SHEET_MAIN_NS}}}row", f"{{{SHEET_MAIN_NS}}}c"
    tag_v, tag_t = f"{{{SHEET_MAIN_NS}}}v", f"{{{SHEET_MAIN_NS}}}t"
    tanggal, durasi, epoch = wb._date_formats, wb._timedelta_formats, wb.epoch
    rows: list[list] = []
    indeks_kolom: dict[str, int] = {}
    for _event, el in iterparse(src, events=("end",)):
        if el.tag != tag_row:
            continue
        nomor = int(el.get("r") or len(rows) + 1)
        if nomor > MAKS_BARIS + BARIS_JUDUL_MAKS:
            raise ValidationError(
                _("Berkas lebih dari %(n)d baris; bagi menjadi beberapa berkas.")
                % {"n": MAKS_BARIS}
            )
        while len(rows) < nomor - 1:
            rows.append([])
        row: list = []
        for c in el.iter(tag_c):
            ref = c.get("r")
            if ref:
                huruf = ref.rstrip("0123456789")
                kolom = indeks_kolom.get(huruf) or indeks_kolom.setdefault(
                    huruf, column_index_from_string(huruf)
                )
            else:
                kolom = len(row) + 1
            jenis = c.get("t", "n")
            if jenis == "inlineStr":
                nilai = "".join(t.text or "" for t in c.iter(tag_t))
            else:
                v = c.findtext(tag_v)
                if v is None:
                    nilai = None
                elif jenis == "n":
                    nilai = _cast_number(v)
                    gaya = int(c.get("s") or 0)
                    if gaya in tanggal:
                        try:
                            nilai = from_excel(nilai, epoch, timedelta=gaya in durasi)
                        except (OverflowError, ValueError):
                            pass  # not a date after all: keep the number, the parser decides
                elif jenis == "s":
                    nilai = str(shared_strings[int(v)])
                elif jenis == "b":
                    nilai = bool(int(v))
                elif jenis == "d":
                    nilai = from_ISO8601(v)
                else:  # "str" (a formula's text result) and "e" (an error such as #N/A)
                    nilai = v
            if len(row) < kolom:
                row.extend([None] * (kolom - len(row)))
            row[kolom - 1] = nilai
        rows.append(row)
        el.clear()
    return rows


def _baca_csv(data: bytes) -> list[list]:
    # UTF-8 (with or without Excel's BOM), else the Windows code page Excel uses for CSV in
    # Indonesia; latin-1 last, which reads any byte
    for encoding in ("utf-8-sig", "cp1252", "latin-1"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    contoh = text[:8192]
    try:
        dialect = csv.Sniffer().sniff(contoh, delimiters=",;\t")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ";" if contoh.count(";") > contoh.count(",") else ","
    rows = [list(r) for r in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
    if len(rows) > MAKS_BARIS + BARIS_JUDUL_MAKS:
        raise ValidationError(
            _("Berkas lebih dari %(n)d baris; bagi menjadi beberapa berkas.") % {"n": MAKS_BARIS}
        )
    return rows


def _baris_kosong(row) -> bool:
    return all(bersih.kosong(v) for v in row)


_KATA_TOTAL = ("total", "jumlah", "grand total", "sub total", "subtotal", "jumlah total")


def _baris_total(row) -> bool:
    """A totals line: its first filled cell says TOTAL or JUMLAH (and nothing else)."""
    for v in row:
        if bersih.kosong(v):
            continue
        if not isinstance(v, str):
            return False
        kata = bersih.kunci_judul(v)
        return kata in _KATA_TOTAL or kata.startswith(("total ", "jumlah total"))
    return False

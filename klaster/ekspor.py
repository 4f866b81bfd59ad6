"""Writing cells of exported spreadsheets safely: one place for every XLSX and CSV export.

Any text in an export may come from a user or an imported file (a name, a note, a reason), and
a spreadsheet program must show it, never run it:

- XLSX: openpyxl turns every str that starts with "=" into a formula, and "#N/A" and the
  other error codes into error cells. `isi_sel` writes text as a string cell whatever it
  starts with, and drops the control characters that openpyxl refuses (it raises
  IllegalCharacterError, which would make the whole export fail).
- CSV: a spreadsheet opening a CSV runs a cell that starts with = + - @, a tab or a carriage
  return as a formula. `nilai_csv` neutralises such a text cell as OWASP recommends (a single
  quote in front; https://owasp.org/www-community/attacks/CSV_Injection).

Only text is touched: numbers, Decimals, dates and booleans stay what they are, so a negative
amount stays a number in XLSX and "-1500" in CSV.
"""

import datetime
import re

from django.utils.functional import Promise
from openpyxl.cell import Cell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

# the characters that start a formula when a spreadsheet program reads a text cell
AWALAN_RUMUS = ("=", "+", "-", "@", "\t", "\r")
# what openpyxl refuses in a cell (C0 controls except tab, line feed and carriage return);
# those that separate words (vertical tab, form feed, the separators) become a space
_KENDALI_XLSX = ILLEGAL_CHARACTERS_RE
_KENDALI_PEMISAH = re.compile(r"[\x0b\x0c\x1c-\x1f]")
# the rest of the C0 and C1 controls mean nothing in a CSV cell either; keep tab and line
# breaks, which a quoted CSV cell may hold
_KENDALI_CSV = re.compile(r"[\x00-\x08\x0e-\x1b\x7f]")


def _teks(nilai):
    """Lazy translations count as text."""
    return str(nilai) if isinstance(nilai, Promise) else nilai


# --- XLSX -----------------------------------------------------------------------------------


def teks_xlsx(teks: str) -> str:
    """Text without the control characters openpyxl refuses: "Siti\\x0bAminah\\x1b" →
    "Siti Aminah"."""
    if teks.isprintable():
        return teks
    return _KENDALI_XLSX.sub("", _KENDALI_PEMISAH.sub(" ", teks))


def isi_sel(cell, nilai, number_format: str | None = None):
    """Put a value in a cell: text always as a string cell (never a formula or an error code),
    anything else as openpyxl types it. Returns the cell."""
    nilai = _teks(nilai)
    if isinstance(nilai, str):
        cell.value = teks_xlsx(nilai)
        cell.data_type = "s"  # after the assignment, which makes "=…" a formula
    else:
        cell.value = nilai
    if number_format and nilai is not None:
        cell.number_format = number_format
    return cell


def sel(ws, row: int, column: int, nilai, number_format: str | None = None):
    """`ws.cell(row, column, value)` for a normal worksheet, through `isi_sel`."""
    return isi_sel(ws.cell(row=row, column=column), nilai, number_format)


def sel_baru(ws, nilai, number_format: str | None = None) -> Cell:
    """A cell not yet placed, for `ws.append` (a normal or a write-only sheet)."""
    return isi_sel(Cell(ws, row=1, column=1), nilai, number_format)


def tambah_baris(ws, nilai_list, formats=()) -> None:
    """`ws.append(values)` through `isi_sel`, for normal and write-only sheets alike.
    `formats`: a number format per column (None or missing: none)."""
    formats = list(formats) + [None] * (len(nilai_list) - len(formats))
    ws.append(
        [
            c if isinstance(c, Cell) else sel_baru(ws, c, f)
            for c, f in zip(nilai_list, formats, strict=False)
        ]
    )


def buku_tanpa_rumus(wb) -> None:
    """A last check over a normal (not write-only) workbook before it is saved: any cell that
    still became a formula or an error code is turned back into the text it was."""
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type in ("f", "e") and isinstance(cell.value, str):
                    cell.data_type = "s"


# --- CSV ------------------------------------------------------------------------------------


def nilai_csv(nilai, *, format_tanggal=None) -> str:
    """One CSV cell: None → "", text neutralised, dates through `format_tanggal` (ISO by
    default), anything else str()."""
    nilai = _teks(nilai)
    if nilai is None:
        return ""
    if isinstance(nilai, str):
        return teks_csv(nilai)
    if isinstance(nilai, datetime.date):
        return format_tanggal(nilai) if format_tanggal else nilai.isoformat()
    return str(nilai)


def teks_csv(teks: str) -> str:
    """Text a spreadsheet will show, not run: "=1+2" → "'=1+2"; control characters dropped."""
    if not teks.isprintable():
        teks = _KENDALI_CSV.sub("", _KENDALI_PEMISAH.sub(" ", teks))
    return "'" + teks if teks.startswith(AWALAN_RUMUS) else teks


def baris_csv(nilai_list, **kwargs) -> list[str]:
    return [nilai_csv(v, **kwargs) for v in nilai_list]

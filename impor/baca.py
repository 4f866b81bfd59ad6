"""Reading an uploaded XLSX or CSV file into rows of cell values."""

import codecs
import csv
import io
import zipfile
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from impor import bersih

BARIS_JUDUL_MAKS = 15  # the header may sit below a title block; look this far down
MAKS_BARIS = 50_000  # a request-sized import; bigger files belong in a task queue
EKSTENSI = (".xlsx", ".csv")
KOLOM_MAKS = 200  # cells read per row; a template has about fifteen columns

# An XLSX file of MAKS_BARIS rows written by Excel or openpyxl expands to some tens of MB and
# a few dozen archive entries, its sheet compressed 10-30 times. A zip bomb (200 MB of XML in
# a 208 KB upload) is refused on these numbers, before any XML is parsed.
ARSIP_ENTRI_MAKS = 1_000
ARSIP_UKURAN_MAKS = 100 * 2**20
ARSIP_RASIO_MAKS = 100
ARSIP_RASIO_DARI = 2**20  # small entries may compress well without harm

_BERKAS_RUSAK = gettext_lazy(
    "Berkas tidak terbaca sebagai .xlsx (rusak atau tidak didukung); buka di Excel lalu simpan "
    "ulang sebagai .xlsx."
)
_BERKAS_BOM = gettext_lazy(
    "Berkas .xlsx ini tidak didukung: %(sebab)s, jauh di atas lembar data biasa. Simpan ulang "
    "datanya saja sebagai .xlsx baru, atau bagi menjadi beberapa berkas."
)


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


def perkiraan_baris(data: bytes, nama_berkas: str) -> int:
    """About how many rows a file has, without reading its cells: only to decide whether
    its import runs in the background (tugas/). A file this cannot estimate counts as 0 and
    is read in the request, where a broken file gets its message."""
    ext = Path(nama_berkas or "").suffix.lower()
    if ext in (".csv", ".txt"):
        return data.count(b"\n") + 1
    if ext not in (".xlsx", ".xlsm"):
        return 0
    from openpyxl import load_workbook

    try:
        _periksa_arsip(data)
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # refused or unreadable: the request's reading says why
        return 0
    try:
        # the size the sheet states (its <dimension>); a file may lie, which only chooses
        # the other, equally safe, path
        return (wb.worksheets[0].max_row or 0) if wb.worksheets else 0
    except Exception:
        return 0
    finally:
        wb.close()


def _baca_xlsx(data: bytes) -> list[list]:
    """openpyxl's own read-only reader; the archive is checked before any XML is parsed, and
    openpyxl parses through defusedxml (installed: no entity, no external reference)."""
    from openpyxl import load_workbook

    _periksa_arsip(data)
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # a broken or mislabelled file raises many kinds of error
        raise ValidationError(_BERKAS_RUSAK) from None
    try:
        if not wb.worksheets:
            raise ValidationError(_("Berkas .xlsx ini tidak berisi lembar data."))
        ws = wb.worksheets[0]
        # the size a file states is not trusted: a stated A1:XFD1048576 would pad every row
        # to 16,384 cells and add rows up to a million
        ws.reset_dimensions()
        return _baris_lembar(ws)
    finally:
        wb.close()


def _baris_lembar(ws) -> list[list]:
    """The values of a sheet, row by row from row 1 (rows the file leaves out are empty);
    each row up to its last filled cell, at most KOLOM_MAKS cells."""
    rows: list[list] = []
    try:
        for row in ws.iter_rows(max_col=KOLOM_MAKS, values_only=True):
            if len(rows) >= MAKS_BARIS + BARIS_JUDUL_MAKS:
                raise ValidationError(
                    _("Berkas lebih dari %(n)d baris; bagi menjadi beberapa berkas.")
                    % {"n": MAKS_BARIS}
                )
            n = len(row)
            while n and row[n - 1] is None:
                n -= 1
            rows.append(list(row[:n]))
    except ValidationError:
        raise
    except Exception:  # a cell or row the reader cannot understand (a crafted or broken file)
        raise ValidationError(
            _(
                "Berkas .xlsx rusak atau tidak didukung: isi lembarnya tidak terbaca sekitar "
                "baris %(baris)d. Buka di Excel lalu simpan ulang sebagai .xlsx."
            )
            % {"baris": len(rows) + 1}
        ) from None
    return rows


def _periksa_arsip(data: bytes) -> None:
    """An XLSX file is a zip archive: refuse one that would expand to an absurd size (a zip
    bomb) before anything is decompressed. The sizes are those the archive states; Python's
    zipfile never returns more than the stated size of an entry (a lie fails its CRC check)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as arsip:
            entri = arsip.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise ValidationError(_BERKAS_RUSAK) from None
    if len(entri) > ARSIP_ENTRI_MAKS:
        raise ValidationError(
            _BERKAS_BOM
            % {"sebab": _("berisi %(n)d bagian (wajar: beberapa puluh)") % {"n": len(entri)}}
        )
    total = sum(e.file_size for e in entri)
    if total > ARSIP_UKURAN_MAKS:
        raise ValidationError(
            _BERKAS_BOM
            % {
                "sebab": _("isinya %(mb)d MB setelah dibuka (paling banyak %(maks)d MB)")
                % {"mb": total // 2**20, "maks": ARSIP_UKURAN_MAKS // 2**20}
            }
        )
    for e in entri:
        if e.file_size > ARSIP_RASIO_DARI and e.file_size > ARSIP_RASIO_MAKS * e.compress_size:
            raise ValidationError(
                _BERKAS_BOM
                % {
                    "sebab": _("satu bagiannya mengembang %(rasio)d kali saat dibuka")
                    % {"rasio": e.file_size // max(e.compress_size, 1)}
                }
            )


def _baca_csv(data: bytes) -> list[list]:
    # Excel's "Unicode Text" is UTF-16 with a byte-order mark; otherwise UTF-8 (with or without
    # Excel's BOM), else the Windows code page Excel uses for CSV in Indonesia; latin-1 last,
    # which reads any byte
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        pengkodean = ("utf-16",)
    else:
        pengkodean = ("utf-8-sig", "cp1252", "latin-1")
    text = None
    for encoding in pengkodean:
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    if text is None or "\x00" in text:
        # NUL never occurs in a text file: a binary file (or a spreadsheet) named .csv
        raise ValidationError(
            _(
                "Berkas .csv ini rusak atau bukan teks CSV (berisi karakter NUL). Buka datanya "
                "di Excel lalu simpan sebagai CSV (dipisah koma) atau sebagai .xlsx."
            )
        )
    contoh = text[:8192]
    try:
        dialect = csv.Sniffer().sniff(contoh, delimiters=",;\t")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ";" if contoh.count(";") > contoh.count(",") else ","
    rows = []
    try:
        for r in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            if len(rows) >= MAKS_BARIS + BARIS_JUDUL_MAKS:
                raise ValidationError(
                    _("Berkas lebih dari %(n)d baris; bagi menjadi beberapa berkas.")
                    % {"n": MAKS_BARIS}
                )
            rows.append(r[:KOLOM_MAKS])
    except csv.Error:  # e.g. a cell longer than the csv module's field limit
        raise ValidationError(
            _(
                "Berkas .csv rusak atau tidak didukung: baris %(baris)d tidak terbaca. Buka di "
                "Excel lalu simpan ulang sebagai CSV atau .xlsx."
            )
            % {"baris": len(rows) + 1}
        ) from None
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

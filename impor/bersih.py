"""Parsers for the values people actually type into spreadsheets.

Every function here is pure (no database): it takes one cell as read from an XLSX or CSV
file — a str, int, float, date, datetime or None — and returns a clean Python value, or
raises `NilaiTidakValid` whose message (Indonesian) says what to fix in the file.

Choices documented here because a user will ask:
- Names keep the user's capitalization ("SITI AMINAH" stays capitals): turning capitals into
  Title Case mangles names such as "McDonald" or "binti"; only the spacing is normalized.
- Ambiguous dates are read day-first (06/03/2014 is 6 March 2014), the Indonesian usage.
  A two-digit year up to this year's two digits is 20yy, otherwise 19yy.
- A NIK that arrives as a number (an XLSX numeric cell, or "3.60206E+15" in a CSV) is refused:
  Excel keeps only 15 significant digits, so the 16th digit is already lost.
- Money is parsed to Decimal from the text of the cell; a float cell goes through repr(),
  never through float arithmetic.
"""

import datetime
import re
import unicodedata
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from klaster.ekspor import AWALAN_RUMUS  # what the app's CSV exports neutralise with a quote

# patterns compiled once: the parsers run for every cell of files of 10,000 rows
_BUKAN_ALNUM = re.compile(r"[^0-9a-z]+")
_NIK_FLOAT = re.compile(r"\d{15,16}[.,]0+")
_JAM_NOL = re.compile(r"[ T]00:00(:00(\.0+)?)?$")
_SERIAL = re.compile(r"\d{1,5}([.,]\d+)?")
_TGL_ISO = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")
_TGL_DMY = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{2}|\d{4})")
_TGL_NAMA_BULAN = re.compile(r"(\d{1,2})[\s\-/.]+([A-Za-z]+)\.?[\s\-/.,]+(\d{2}|\d{4})")
_AWALAN_RP = re.compile(r"^(rp\.?|idr)", re.IGNORECASE)
_AKHIRAN_STRIP = re.compile(r",-$|\.-$")
_ANGKA_PEMISAH = re.compile(r"[0-9.,]+")
_BULAT = re.compile(r"(\d+)(?:[.,]0+)?(?:\s*[A-Za-z]+)?")
_PEMISAH_TELEPON = re.compile(r"[\s\-.()]")
_TELEPON = re.compile(r"\+?\d{6,15}")
_KODE_DESA_TITIK = re.compile(r"\d{2}(\.\d{2}){2}\.\d{4}")
_KODE_DESA_ANGKA = re.compile(r"\d{10}")
# control characters: those that separate words become a space, the others go
_SPASI_KENDALI = re.compile(r"[\x0b\x0c\x1c-\x1f\x85]")
_KENDALI = re.compile(r"[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f]")


class NilaiTidakValid(ValueError):
    """A cell that cannot be understood; the message tells the user what to fix."""

    def __init__(self, pesan: str):
        super().__init__(pesan)
        self.pesan = pesan

    def __str__(self):
        return self.pesan


# --- generic text ---------------------------------------------------------------------------


def kosong(nilai) -> bool:
    """A cell with nothing in it (None, "", only spaces or non-breaking spaces)."""
    if nilai is None:
        return True
    if isinstance(nilai, str):
        return not nilai.strip()  # str.strip() removes every Unicode space, NBSP included
    return False


def teks(nilai) -> str:
    """Text with spacing normalized: trimmed, runs of spaces (incl. NBSP, tabs) made one,
    control characters dropped, and the quote that the app's own CSV exports put before a
    text starting with = + - @ removed ("'=Siti" → "=Siti"; see klaster/ekspor.py)."""
    if nilai is None:
        return ""
    if isinstance(nilai, float) and nilai.is_integer():
        nilai = int(nilai)
    s = str(nilai)
    if not s.isascii():
        s = unicodedata.normalize("NFKC", s)
    if s[:1] == "'" and s[1:2] and s[1] in AWALAN_RUMUS:
        s = s[1:]
    if not s.isprintable():
        s = _KENDALI.sub("", _SPASI_KENDALI.sub(" ", s))
    return " ".join(s.split())


# --- Excel error values ---------------------------------------------------------------------

# What a cell shows when its formula failed; the text is no data (a name "#N/A" is a failed
# VLOOKUP, not a person). The newer codes come from Excel 365.
GALAT_EXCEL = {
    "#N/A": gettext_lazy("nilai tidak ditemukan, mis. VLOOKUP yang gagal"),
    "#NAME?": gettext_lazy("nama fungsi atau rentang tidak dikenal"),
    "#REF!": gettext_lazy("rujukan ke sel yang sudah dihapus"),
    "#VALUE!": gettext_lazy("jenis nilai yang salah dalam rumus"),
    "#DIV/0!": gettext_lazy("pembagian dengan nol"),
    "#NUM!": gettext_lazy("angka yang tidak sah dalam rumus"),
    "#NULL!": gettext_lazy("dua rentang yang tidak beririsan"),
    "#SPILL!": gettext_lazy("hasil rumus tertutup sel lain"),
    "#CALC!": gettext_lazy("rumus yang tidak bisa dihitung"),
    "#GETTING_DATA": gettext_lazy("data yang belum selesai dimuat"),
    "#FIELD!": gettext_lazy("kolom data yang tidak ada"),
    "#BLOCKED!": gettext_lazy("akses yang diblokir"),
    "#CONNECT!": gettext_lazy("sambungan yang gagal"),
    "#BUSY!": gettext_lazy("perhitungan yang belum selesai"),
    "#UNKNOWN!": gettext_lazy("jenis data yang tidak dikenal"),
}


def bukan_galat_excel(nilai) -> None:
    """Refuse a cell holding an Excel error value (an XLSX error cell, or its text in a CSV)."""
    if not isinstance(nilai, str) or not nilai.lstrip().startswith("#"):
        return
    kode = nilai.strip().upper()
    if kode in GALAT_EXCEL:
        raise NilaiTidakValid(
            _(
                "Sel ini berisi galat Excel %(kode)s (%(arti)s), bukan data. Perbaiki rumusnya "
                "atau ketik nilainya langsung, lalu simpan ulang berkasnya."
            )
            % {"kode": kode, "arti": GALAT_EXCEL[kode]}
        )


def nama_orang(nilai) -> str:
    """A person's or group's name: spacing normalized, capitalization kept as typed."""
    s = teks(nilai)
    if not s:
        raise NilaiTidakValid(_("Nama kosong; isi nama lengkap."))
    if any(ch.isdigit() for ch in s) and not any(ch.isalpha() for ch in s):
        raise NilaiTidakValid(
            _("Nama '%(nilai)s' hanya berisi angka; isi nama lengkap.") % {"nilai": s}
        )
    return s


def kunci_teks(nilai) -> str:
    """Comparison key for codes and names: spacing normalized, case folded."""
    return teks(nilai).casefold()


# --- header names ---------------------------------------------------------------------------


def kunci_judul(nilai) -> str:
    """Comparison key for a column header: case, punctuation and spacing ignored.

    "  No. KTP " → "no ktp"; "Tenor (bulan)" → "tenor bulan"; "Tgl.Lahir" → "tgl lahir".
    """
    s = unicodedata.normalize("NFKC", str(nilai or "")).casefold()
    s = _BUKAN_ALNUM.sub(" ", s)
    return " ".join(s.split())


# --- NIK ------------------------------------------------------------------------------------

_PESAN_NIK_ANGKA = gettext_lazy(
    "NIK terbaca sebagai angka (%(nilai)s), sehingga digit terakhirnya bisa hilang: "
    "Excel hanya menyimpan 15 digit angka. Format kolom NIK sebagai Teks (Format Cells → "
    "Text) lalu ketik ulang NIK-nya, atau awali dengan tanda petik ('3602…)."
)

_NIK_PEMISAH = re.compile(r"[\s.\-_/]")
_ANGKA_ILMIAH = re.compile(r"^\d+(?:[.,]\d+)?[eE]\+?\d+$")


def nik(nilai) -> str:
    """A 16-digit NIK from a cell.

    Accepts spaces, dots, dashes and a leading apostrophe (Excel's "treat as text" mark).
    Refuses numeric cells and scientific notation: the column must be formatted as Text.
    """
    if isinstance(nilai, bool):
        raise NilaiTidakValid(_("NIK tidak valid; isi 16 digit NIK."))
    if isinstance(nilai, int | float | Decimal):
        raise NilaiTidakValid(_PESAN_NIK_ANGKA % {"nilai": _tampil_angka(nilai)})
    s = teks(nilai)
    if not s:
        raise NilaiTidakValid(_("NIK kosong; isi 16 digit NIK dari KTP/KK."))
    s = s.lstrip("'’`")
    if _ANGKA_ILMIAH.match(s.replace(" ", "")):
        raise NilaiTidakValid(_PESAN_NIK_ANGKA % {"nilai": s})
    if _NIK_FLOAT.fullmatch(s):
        # "3602061234567890.0": a number that passed through a float
        raise NilaiTidakValid(_PESAN_NIK_ANGKA % {"nilai": s})
    angka = _NIK_PEMISAH.sub("", s)
    if not angka.isdigit():
        raise NilaiTidakValid(
            _("NIK '%(nilai)s' mengandung huruf atau tanda lain; NIK hanya 16 angka.")
            % {"nilai": s}
        )
    if len(angka) != 16:
        raise NilaiTidakValid(
            _("NIK '%(nilai)s' berisi %(n)d digit; NIK harus tepat 16 digit.")
            % {"nilai": s, "n": len(angka)}
        )
    return angka


def _tampil_angka(nilai) -> str:
    if isinstance(nilai, float):
        return f"{nilai:.6g}".replace("e+", "E+")
    return str(nilai)


# --- choices --------------------------------------------------------------------------------


def pilihan(nilai, peta: dict[str, str], *, nama_kolom: str, contoh: str, wajib: bool = True):
    """Map a free-typed choice to its stored value through a table of spellings."""
    s = kunci_judul(nilai)
    if not s:
        if wajib:
            raise NilaiTidakValid(
                _("%(kolom)s kosong; isi salah satu: %(contoh)s.")
                % {"kolom": nama_kolom, "contoh": contoh}
            )
        return None
    if s in peta:
        return peta[s]
    raise NilaiTidakValid(
        _("%(kolom)s '%(nilai)s' tidak dikenal; isi salah satu: %(contoh)s.")
        % {"kolom": nama_kolom, "nilai": teks(nilai), "contoh": contoh}
    )


PETA_SEKTOR = {
    "pertanian": "pertanian",
    "tani": "pertanian",
    "petani": "pertanian",
    "perkebunan": "pertanian",
    "peternakan": "peternakan",
    "ternak": "peternakan",
    "peternak": "peternakan",
    "umkm": "umkm",
    "usaha": "umkm",
    "usaha kecil": "umkm",
    "usaha mikro": "umkm",
    "ukm": "umkm",
    "dagang": "umkm",
    "perdagangan": "umkm",
}

PETA_JENIS_KELAMIN = {
    "l": "L",
    "lk": "L",
    "laki laki": "L",
    "laki": "L",
    "lakilaki": "L",
    "pria": "L",
    "p": "P",
    "pr": "P",
    "perempuan": "P",
    "wanita": "P",
}


_KOLOM_SEKTOR = gettext_lazy("Sektor")
_CONTOH_SEKTOR = gettext_lazy("Pertanian (tani), Peternakan (ternak), UMKM (usaha)")
_KOLOM_JK = gettext_lazy("Jenis kelamin")
_CONTOH_JK = gettext_lazy("L atau Laki-laki, P atau Perempuan")


def sektor(nilai) -> str:
    return pilihan(
        nilai,
        PETA_SEKTOR,
        nama_kolom=_KOLOM_SEKTOR,
        contoh=_CONTOH_SEKTOR,
    )


def jenis_kelamin(nilai) -> str:
    return pilihan(
        nilai,
        PETA_JENIS_KELAMIN,
        nama_kolom=_KOLOM_JK,
        contoh=_CONTOH_JK,
    )


# --- dates ----------------------------------------------------------------------------------

BULAN = {
    "januari": 1,
    "jan": 1,
    "februari": 2,
    "pebruari": 2,
    "feb": 2,
    "peb": 2,
    "maret": 3,
    "mar": 3,
    "april": 4,
    "apr": 4,
    "mei": 5,
    "juni": 6,
    "jun": 6,
    "juli": 7,
    "jul": 7,
    "agustus": 8,
    "agu": 8,
    "agt": 8,
    "agus": 8,
    "september": 9,
    "sep": 9,
    "sept": 9,
    "oktober": 10,
    "okt": 10,
    "november": 11,
    "nov": 11,
    "nopember": 11,
    "nop": 11,
    "desember": 12,
    "des": 12,
    # English spellings found in files exported from English-locale Excel
    "january": 1,
    "february": 2,
    "march": 3,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "aug": 8,
    "october": 10,
    "oct": 10,
    "december": 12,
    "dec": 12,
}

_CONTOH_TANGGAL = gettext_lazy("tulis seperti 06/03/2014 atau 6 Maret 2014")
_CONTOH_UANG = gettext_lazy("tulis seperti 1.500.000 atau Rp1.500.000")

# Excel's day zero (its serial numbers count from here; the 1900 leap-year bug is absorbed
# by starting on 30 December 1899 for every serial after 60, i.e. every date that matters).
_EXCEL_NOL = datetime.date(1899, 12, 30)
_SERIAL_MIN, _SERIAL_MAX = 367, 73050  # 1901-01-01 .. 2099-12-31


def _tahun(yy: int, hari_ini: datetime.date | None) -> int:
    if yy >= 100:
        return yy
    hari_ini = hari_ini or datetime.date.today()
    return 2000 + yy if yy <= hari_ini.year % 100 else 1900 + yy


def tanggal(nilai, *, hari_ini: datetime.date | None = None) -> datetime.date:
    """A date from a cell: a date/datetime cell, an Excel serial number or text.

    Text forms: 06/03/2014, 6-3-14, 6.3.2014, 2014-03-06, "6 Maret 2014", "06 Mar 2014".
    Day-first when ambiguous.
    """
    contoh = _CONTOH_TANGGAL
    if isinstance(nilai, datetime.datetime):
        return nilai.date()
    if isinstance(nilai, datetime.date):
        return nilai
    if isinstance(nilai, bool):
        raise NilaiTidakValid(_("Tanggal tidak dikenali; %(contoh)s.") % {"contoh": contoh})
    if isinstance(nilai, int | float | Decimal):
        return _dari_serial(nilai, contoh)
    s = teks(nilai)
    if not s:
        raise NilaiTidakValid(_("Tanggal kosong; %(contoh)s.") % {"contoh": contoh})
    s = _JAM_NOL.sub("", s)  # "2014-03-06 00:00:00" from CSV exports
    if _SERIAL.fullmatch(s):
        return _dari_serial(Decimal(s.replace(",", ".")), contoh)
    try:
        m = _TGL_ISO.fullmatch(s)
        if m:
            return datetime.date(int(m[1]), int(m[2]), int(m[3]))
        m = _TGL_DMY.fullmatch(s)
        if m:
            return datetime.date(_tahun(int(m[3]), hari_ini), int(m[2]), int(m[1]))
        m = _TGL_NAMA_BULAN.fullmatch(s)
        if m and m[2].casefold() in BULAN:
            return datetime.date(_tahun(int(m[3]), hari_ini), BULAN[m[2].casefold()], int(m[1]))
    except ValueError:
        raise NilaiTidakValid(
            _("Tanggal '%(nilai)s' tidak ada di kalender; periksa hari dan bulannya.")
            % {"nilai": s}
        ) from None
    raise NilaiTidakValid(
        _("Tanggal '%(nilai)s' tidak dikenali; %(contoh)s.") % {"nilai": s, "contoh": contoh}
    )


def _dari_serial(nilai, contoh) -> datetime.date:
    angka = Decimal(repr(nilai)) if isinstance(nilai, float) else Decimal(nilai)
    if angka != angka.to_integral_value() or not (_SERIAL_MIN <= angka <= _SERIAL_MAX):
        raise NilaiTidakValid(
            _("Tanggal '%(nilai)s' tidak dikenali; %(contoh)s.")
            % {"nilai": _tampil_angka(nilai), "contoh": contoh}
        )
    return _EXCEL_NOL + datetime.timedelta(days=int(angka))


def tanggal_opsional(nilai, **kwargs) -> datetime.date | None:
    return None if kosong(nilai) else tanggal(nilai, **kwargs)


# --- money ----------------------------------------------------------------------------------

_MAKS_UANG = Decimal("9999999999999.99")  # DecimalField(max_digits=15, decimal_places=2)


def uang(nilai, *, boleh_nol: bool = False) -> Decimal:
    """Rupiah from "Rp 1.500.000", "Rp1.500.000,00", "1.500.000", "1500000" or 1500000.0.

    Indonesian separators (dot for thousands, comma for sen) are the default reading; where
    both appear, the last one is the decimal separator. Negative amounts are refused, and zero
    too unless `boleh_nol` (a monthly income may honestly be zero).
    """
    contoh = _CONTOH_UANG
    if isinstance(nilai, bool):
        raise NilaiTidakValid(_("Jumlah uang tidak dikenali; %(contoh)s.") % {"contoh": contoh})
    if isinstance(nilai, float):
        jumlah = Decimal(repr(nilai))  # repr is the shortest exact text of the float
    elif isinstance(nilai, int | Decimal):
        jumlah = Decimal(nilai)
    else:
        s = teks(nilai)
        if not s:
            raise NilaiTidakValid(_("Jumlah uang kosong; %(contoh)s.") % {"contoh": contoh})
        jumlah = _uang_dari_teks(s, contoh)
    if not jumlah.is_finite():
        raise NilaiTidakValid(_("Jumlah uang tidak dikenali; %(contoh)s.") % {"contoh": contoh})
    if jumlah < 0:
        raise NilaiTidakValid(
            _("Jumlah %(nilai)s negatif; isi jumlah lebih dari nol.") % {"nilai": teks(nilai)}
        )
    if jumlah == 0 and not boleh_nol:
        raise NilaiTidakValid(_("Jumlah nol; isi jumlah lebih dari nol."))
    if jumlah > _MAKS_UANG:  # before quantize(), which cannot hold huge numbers
        raise NilaiTidakValid(
            _("Jumlah %(nilai)s terlalu besar; periksa apakah ada angka berlebih.")
            % {"nilai": teks(nilai)}
        )
    if jumlah != jumlah.quantize(Decimal("0.01")):
        raise NilaiTidakValid(
            _("Jumlah %(nilai)s punya lebih dari 2 angka desimal; bulatkan ke sen.")
            % {"nilai": teks(nilai)}
        )
    return jumlah.quantize(Decimal("0.01"))


def _uang_dari_teks(s: str, contoh: str) -> Decimal:
    t = s.replace(" ", "")
    negatif = False
    if t.startswith("(") and t.endswith(")"):
        negatif, t = True, t[1:-1]
    if t.startswith("-"):
        negatif, t = True, t[1:]
    t = _AWALAN_RP.sub("", t)
    if t.startswith("-"):
        negatif, t = True, t[1:]
    t = _AKHIRAN_STRIP.sub("", t)  # "Rp1.500.000,-"
    if not t or not _ANGKA_PEMISAH.fullmatch(t) or not t[0].isdigit():
        raise NilaiTidakValid(
            _("Jumlah uang '%(nilai)s' tidak dikenali; %(contoh)s.")
            % {"nilai": s, "contoh": contoh}
        )
    titik, koma = t.count("."), t.count(",")
    if titik and koma:
        desimal = "." if t.rfind(".") > t.rfind(",") else ","
        ribuan = "," if desimal == "." else "."
    elif titik or koma:
        pemisah = "." if titik else ","
        bagian = t.split(pemisah)
        ribuan_sah = all(len(b) == 3 for b in bagian[1:]) and 1 <= len(bagian[0]) <= 3
        if len(bagian) > 2 or ribuan_sah:
            desimal, ribuan = ("," if pemisah == "." else "."), pemisah
        else:
            desimal, ribuan = pemisah, ("," if pemisah == "." else ".")
    else:
        desimal, ribuan = ",", "."
    utuh, _sep, pecahan = t.partition(desimal) if desimal in t else (t, "", "")
    kelompok = utuh.split(ribuan)
    if len(kelompok) > 1 and (
        not (1 <= len(kelompok[0]) <= 3) or any(len(k) != 3 for k in kelompok[1:])
    ):
        raise NilaiTidakValid(
            _("Jumlah uang '%(nilai)s' tidak dikenali; %(contoh)s.")
            % {"nilai": s, "contoh": contoh}
        )
    if desimal in pecahan or ribuan in pecahan:
        raise NilaiTidakValid(
            _("Jumlah uang '%(nilai)s' tidak dikenali; %(contoh)s.")
            % {"nilai": s, "contoh": contoh}
        )
    try:
        jumlah = Decimal("".join(kelompok) + ("." + pecahan if pecahan else ""))
    except InvalidOperation:
        raise NilaiTidakValid(
            _("Jumlah uang '%(nilai)s' tidak dikenali; %(contoh)s.")
            % {"nilai": s, "contoh": contoh}
        ) from None
    return -jumlah if negatif else jumlah


# --- whole numbers --------------------------------------------------------------------------


def bilangan_bulat(nilai, *, nama_kolom: str, minimum: int = 0, maksimum: int = 32767) -> int:
    """A count such as a tenor in months or a household size: 12, "12", 12.0, "12 bulan"."""
    if isinstance(nilai, bool):
        raise NilaiTidakValid(_("%(kolom)s harus bilangan bulat.") % {"kolom": nama_kolom})
    if isinstance(nilai, float):
        if not nilai.is_integer():
            raise NilaiTidakValid(
                _("%(kolom)s '%(nilai)s' harus bilangan bulat.")
                % {"kolom": nama_kolom, "nilai": nilai}
            )
        angka = int(nilai)
    elif isinstance(nilai, int):
        angka = nilai
    else:
        s = teks(nilai)
        m = _BULAT.fullmatch(s)
        if not m:
            raise NilaiTidakValid(
                _("%(kolom)s '%(nilai)s' harus bilangan bulat.") % {"kolom": nama_kolom, "nilai": s}
            )
        angka = int(m[1])
    if not (minimum <= angka <= maksimum):
        raise NilaiTidakValid(
            _("%(kolom)s %(nilai)s di luar batas %(min)d–%(maks)d.")
            % {"kolom": nama_kolom, "nilai": angka, "min": minimum, "maks": maksimum}
        )
    return angka


def telepon(nilai) -> str:
    """A phone number kept as text; a numeric cell lost its leading zero, so it is restored."""
    if isinstance(nilai, int | float) and not isinstance(nilai, bool):
        s = str(int(nilai))
        return "0" + s if s.startswith("8") else s
    s = teks(nilai).lstrip("'")
    s = _PEMISAH_TELEPON.sub("", s)
    if s.startswith("+62"):
        s = "0" + s[3:]
    if s and not _TELEPON.fullmatch(s):
        raise NilaiTidakValid(
            _("Nomor telepon '%(nilai)s' tidak dikenali; tulis angka saja, mis. 081234567890.")
            % {"nilai": teks(nilai)}
        )
    return s


def kode_wilayah(nilai) -> str:
    """Kemendagri code with dots from "36.02.06.2002" or "3602062002"; "" if not a code."""
    s = teks(nilai).replace(" ", "")
    if _KODE_DESA_TITIK.fullmatch(s):
        return s
    if _KODE_DESA_ANGKA.fullmatch(s):
        return f"{s[:2]}.{s[2:4]}.{s[4:6]}.{s[6:]}"
    return ""

"""Pieces every app's rule set (`<app>/aturan.py`) is built from: clean text and plausible
dates. Pure functions: no query, no request, no clock (today is passed in).

A checker returns its findings as a `Galat`, {field name: [messages]}, so one call can report
every problem of a write at once; `wajib_lolos` turns it into the ValidationError that the
services raise, the forms show on their fields and the import shows on its columns.
"""

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from klaster.format import format_tanggal

Galat = dict[str, list[str]]

# No birth, founding or any other date the programme records lies before this.
TANGGAL_PALING_AWAL = datetime.date(1900, 1, 1)

# C0 controls, DEL and C1 controls. openpyxl refuses most of them in a cell (an export would
# fail), and none of them means anything in a name or a note.
_KENDALI = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_SPASI_KENDALI = re.compile(r"[\t\n\r\x0b\x0c\x1c-\x1f\x85]")  # controls that separate words
_KENDALI_CATATAN = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # keeps \t and \n


def tambah(galat: Galat, field: str, pesan: str | None) -> None:
    if pesan:
        galat.setdefault(field, []).append(pesan)


def wajib_lolos(galat: Galat) -> None:
    """Raise the findings as one ValidationError keyed by field."""
    if galat:
        raise ValidationError(galat)


def teks_satu_baris(nilai) -> str:
    """A name or a code as typed, without control characters: a tab, a vertical tab or a
    line break becomes a space, any other control character goes, runs of spaces become
    one, and the ends are trimmed ("Siti\\x0bAminah\\x1b" -> "Siti Aminah")."""
    if nilai is None:
        return ""
    s = _SPASI_KENDALI.sub(" ", str(nilai))
    return " ".join(_KENDALI.sub("", s).split())


def teks_catatan(nilai) -> str:
    """A note of several lines without control characters: line breaks (\\r\\n, \\r) become
    \\n and tabs stay; every other control character goes; the ends are trimmed."""
    if nilai is None:
        return ""
    s = str(nilai).replace("\r\n", "\n").replace("\r", "\n")
    return _KENDALI_CATATAN.sub("", s).strip()


def periksa_panjang(nilai: str, *, label: str, maks: int) -> str | None:
    if nilai and len(nilai) > maks:
        return _("%(label)s berisi %(n)d karakter; paling banyak %(maks)d. Persingkat.") % {
            "label": label,
            "n": len(nilai),
            "maks": maks,
        }
    return None


def periksa_tanggal(
    tanggal: datetime.date | None,
    *,
    label: str,
    hari_ini: datetime.date,
    paling_awal: datetime.date = TANGGAL_PALING_AWAL,
    sebab_awal: str | None = None,
) -> str | None:
    """A date that happened (not after `hari_ini`) and not before `paling_awal`; the
    message names the date and the limit. `sebab_awal` says what the limit is ("klaster
    Lebak dimulai")."""
    if tanggal is None:
        return None
    if tanggal > hari_ini:
        return _(
            "%(label)s tidak boleh di masa depan (%(tanggal)s belum terjadi); isi tanggal hari "
            "ini atau sebelumnya."
        ) % {"label": label, "tanggal": format_tanggal(tanggal)}
    if tanggal < paling_awal:
        return _("%(label)s %(tanggal)s sebelum %(sebab)s (%(batas)s); periksa tahunnya.") % {
            "label": label,
            "tanggal": format_tanggal(tanggal),
            "sebab": sebab_awal or _("batas paling awal"),
            "batas": format_tanggal(paling_awal),
        }
    return None


def sebab_klaster_mulai(klaster) -> str:
    return _("klaster %(klaster)s dimulai") % {"klaster": klaster.nama}


def awal_klaster(klaster) -> datetime.date:
    """The earliest date a record of the klaster may carry: the day it started."""
    return max(klaster.tanggal_mulai, TANGGAL_PALING_AWAL)

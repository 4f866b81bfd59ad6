"""The rules of a mitra record, one set for every door: the web form (through
mitra.services), the spreadsheet import (impor/jenis/mitra.py) and the admin form.

Pure: the caller passes the values and what it already loaded (the klaster, today), so the
import checks 10,000 rows without a query per row. The NIK's own rules live in mitra/nik.py;
the rules that need the database (a unique NIK, the klaster's desa, the kelompok's klaster,
the user's scope) stay in mitra/services.py and the import's lookups.

Decided once, here:
- A member is at least USIA_MINIMAL_BERGABUNG (15) years old on the day they join: the
  programme works with the adult who runs the household's business, and 15 is the lower
  bound of the working-age population in Indonesian statistics (BPS, Sakernas). A birth date
  that does not fit is almost always a mistyped year (born 2015, joined 2014).
- Births are not before 1900; joining is not before the klaster started; no date is in the
  future; leaving is not before joining.
- A phone number is kept as digits with an optional leading +: spaces, dashes, dots and
  brackets are dropped, an Indonesian +62 becomes 0, and 8 to 15 digits remain (E.164 allows
  15; the shortest Indonesian landline with its area code has 8).
- A household has 1 to 50 members.
- Names lose their control characters (klaster.aturan.teks_satu_baris) and keep the
  capitalisation they were typed with.
"""

import datetime
import re

from django.utils.translation import gettext as _

from klaster.aturan import (
    TANGGAL_PALING_AWAL,
    Galat,
    awal_klaster,
    periksa_panjang,
    periksa_tanggal,
    sebab_klaster_mulai,
    tambah,
    teks_satu_baris,
)
from klaster.format import format_tanggal
from mitra.models import Mitra

USIA_MINIMAL_BERGABUNG = 15
ANGGOTA_KELUARGA_MIN, ANGGOTA_KELUARGA_MAKS = 1, 50
TELEPON_DIGIT_MIN, TELEPON_DIGIT_MAKS = 8, 15
NAMA_MAKS = Mitra._meta.get_field("nama").max_length

_PEMISAH_TELEPON = re.compile(r"[\s\-.()/]")
_TELEPON = re.compile(r"\+?\d+")


def bersihkan_nama(nilai) -> str:
    return teks_satu_baris(nilai)


def bersihkan_telepon(nilai) -> str:
    """The number as stored: "+62 812-3456-7890" -> "081234567890"; "" stays ""."""
    s = teks_satu_baris(nilai).lstrip("'’`")
    s = _PEMISAH_TELEPON.sub("", s)
    if s.startswith("+62"):
        s = "0" + s[3:]
    return s


def periksa_telepon(telepon: str) -> str | None:
    """A message when a cleaned number (bersihkan_telepon) is not a phone number."""
    if not telepon:
        return None
    digit = telepon.lstrip("+")
    if _TELEPON.fullmatch(telepon) and TELEPON_DIGIT_MIN <= len(digit) <= TELEPON_DIGIT_MAKS:
        return None
    return _(
        "Nomor telepon '%(nilai)s' tidak dikenali; tulis %(min)d–%(maks)d angka (boleh diawali "
        "+), misalnya 081234567890."
    ) % {"nilai": telepon, "min": TELEPON_DIGIT_MIN, "maks": TELEPON_DIGIT_MAKS}


def umur_pada(lahir: datetime.date, tanggal: datetime.date) -> int:
    """Whole years between a birth date and a date (a birthday on 29 February counts from
    1 March in other years)."""
    return tanggal.year - lahir.year - ((tanggal.month, tanggal.day) < (lahir.month, lahir.day))


def periksa_mitra(
    *,
    nama: str,
    tanggal_lahir: datetime.date | None,
    tanggal_bergabung: datetime.date | None,
    tanggal_keluar: datetime.date | None = None,
    status: str = "",
    telepon: str = "",
    jumlah_anggota_keluarga: int | None = 1,
    klaster,
    hari_ini: datetime.date,
) -> Galat:
    """Every rule of a mitra that needs no query. Values are the cleaned ones
    (bersihkan_nama, bersihkan_telepon); `klaster` is the mitra's Klaster."""
    galat: Galat = {}
    if not nama:
        tambah(galat, "nama", _("Isi nama lengkap mitra."))
    tambah(galat, "nama", periksa_panjang(nama, label=_("Nama"), maks=NAMA_MAKS))

    tambah(
        galat,
        "tanggal_lahir",
        periksa_tanggal(
            tanggal_lahir,
            label=_("Tanggal lahir"),
            hari_ini=hari_ini,
            paling_awal=TANGGAL_PALING_AWAL,
        ),
    )
    tambah(
        galat,
        "tanggal_bergabung",
        periksa_tanggal(
            tanggal_bergabung,
            label=_("Tanggal bergabung"),
            hari_ini=hari_ini,
            paling_awal=awal_klaster(klaster),
            sebab_awal=sebab_klaster_mulai(klaster),
        ),
    )
    if (
        tanggal_lahir
        and tanggal_bergabung
        and "tanggal_lahir" not in galat
        and umur_pada(tanggal_lahir, tanggal_bergabung) < USIA_MINIMAL_BERGABUNG
    ):
        tambah(
            galat,
            "tanggal_lahir",
            _(
                "Mitra paling muda berumur %(min)d tahun saat bergabung, sedangkan tanggal "
                "lahir %(lahir)s dan tanggal bergabung %(bergabung)s; periksa tahun lahir dan "
                "tanggal bergabung."
            )
            % {
                "min": USIA_MINIMAL_BERGABUNG,
                "lahir": format_tanggal(tanggal_lahir),
                "bergabung": format_tanggal(tanggal_bergabung),
            },
        )

    if tanggal_keluar:
        if tanggal_bergabung and tanggal_keluar < tanggal_bergabung:
            tambah(
                galat,
                "tanggal_keluar",
                _("Tanggal keluar tidak boleh sebelum tanggal bergabung."),
            )
        else:
            tambah(
                galat,
                "tanggal_keluar",
                periksa_tanggal(tanggal_keluar, label=_("Tanggal keluar"), hari_ini=hari_ini),
            )
    elif status == Mitra.Status.KELUAR:
        tambah(
            galat,
            "tanggal_keluar",
            _("Isi tanggal keluar untuk mitra yang berstatus keluar."),
        )

    tambah(galat, "telepon", periksa_telepon(telepon))

    if jumlah_anggota_keluarga is None or not (
        ANGGOTA_KELUARGA_MIN <= jumlah_anggota_keluarga <= ANGGOTA_KELUARGA_MAKS
    ):
        tambah(
            galat,
            "jumlah_anggota_keluarga",
            _(
                "Jumlah anggota keluarga %(n)s di luar batas %(min)d–%(maks)d; isi jumlah orang "
                "dalam satu rumah tangga."
            )
            % {
                "n": "" if jumlah_anggota_keluarga is None else jumlah_anggota_keluarga,
                "min": ANGGOTA_KELUARGA_MIN,
                "maks": ANGGOTA_KELUARGA_MAKS,
            },
        )
    return galat

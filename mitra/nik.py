"""NIK (Nomor Induk Kependudukan) rules: pure helpers shared by forms, services and imports.

Stable API (other areas, e.g. the spreadsheet import, code against these names):

    normalisasi_nik(raw) -> str
        Strip spaces and dots (also accepts an int, e.g. from a spreadsheet cell).
        Does not validate: "3602 0645.0180 0001" -> "3602064501800001".

    periksa_nik(raw, *, kecamatan_dikenal=None, hari_ini=None) -> HasilNik
        Normalise and check: 16 digits; digits 1-6 a kecamatan code that exists in Wilayah;
        digits 7-12 a real date DDMMYY (day + 40 for women); serial (13-16) not 0000.
        Never raises: HasilNik.galat lists Indonesian messages that say what to fix, and
        HasilNik.valid is True when there are none. On success HasilNik.tanggal_lahir and
        HasilNik.jenis_kelamin ("L"/"P") hold what the NIK encodes.
        `kecamatan_dikenal` (a set of 6-digit codes from kode_kecamatan_dikenal()) avoids one
        query per NIK when checking thousands of rows; without it one query is made.

    kode_kecamatan_dikenal() -> set[str]
        Every kecamatan code in Wilayah without dots ("360206"), one query.

    beda_dengan_data(hasil, *, tanggal_lahir, jenis_kelamin) -> list[str]
        Warnings (not errors) when the record's birth date or gender disagrees with the NIK.
        The user confirms these; the NIK itself never changes after a date correction, so a
        mismatch is common and legitimate.

    HasilNik.wajib_valid() raises django.core.exceptions.ValidationError with the messages.

The birth year in a NIK has two digits. For display we read it as 20YY unless that is in the
future, then 19YY; comparisons with a record use day, month and the two-digit year only, so
the century guess never causes a false warning.
"""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from klaster.format import format_tanggal

PANJANG_NIK = 16
TAMBAHAN_HARI_PEREMPUAN = 40
LAKI_LAKI = "L"
PEREMPUAN = "P"


@dataclass
class HasilNik:
    nik: str
    galat: list[str] = field(default_factory=list)
    kode_kecamatan: str = ""  # dotted, as in Wilayah: "36.02.06"
    tanggal_lahir: datetime.date | None = None
    jenis_kelamin: str | None = None

    @property
    def valid(self) -> bool:
        return not self.galat

    def wajib_valid(self) -> "HasilNik":
        if self.galat:
            raise ValidationError(self.galat)
        return self


def normalisasi_nik(raw) -> str:
    if raw is None:
        return ""
    text = str(raw)
    for ch in (" ", ".", "\u00a0", "\t", "\n", "\r"):
        text = text.replace(ch, "")
    return text


def kode_kecamatan_dikenal() -> set[str]:
    from klaster.models import Wilayah

    return {
        kode.replace(".", "")
        for kode in Wilayah.objects.filter(tingkat=Wilayah.Tingkat.KECAMATAN).values_list(
            "kode", flat=True
        )
    }


def _kecamatan_ada(kode_enam: str, kecamatan_dikenal: set[str] | None) -> bool:
    if kecamatan_dikenal is not None:
        return kode_enam in kecamatan_dikenal
    from klaster.models import Wilayah

    return Wilayah.objects.filter(
        tingkat=Wilayah.Tingkat.KECAMATAN, kode=_kode_bertitik(kode_enam)
    ).exists()


def _kode_bertitik(kode_enam: str) -> str:
    return f"{kode_enam[0:2]}.{kode_enam[2:4]}.{kode_enam[4:6]}"


def _tanggal_dari_nik(bagian: str, hari_ini: datetime.date):
    """(date, gender) from DDMMYY with day + 40 for women, or None when no such date exists."""
    hari, bulan, tahun2 = int(bagian[0:2]), int(bagian[2:4]), int(bagian[4:6])
    jenis_kelamin = LAKI_LAKI
    if hari > TAMBAHAN_HARI_PEREMPUAN:
        hari -= TAMBAHAN_HARI_PEREMPUAN
        jenis_kelamin = PEREMPUAN
    for abad in (2000, 1900):
        try:
            tanggal = datetime.date(abad + tahun2, bulan, hari)
        except ValueError:
            continue
        if tanggal <= hari_ini:
            return tanggal, jenis_kelamin
    return None


def periksa_nik(
    raw, *, kecamatan_dikenal: set[str] | None = None, hari_ini: datetime.date | None = None
) -> HasilNik:
    nik = normalisasi_nik(raw)
    hasil = HasilNik(nik=nik)
    if not nik:
        hasil.galat.append(_("NIK wajib diisi: 16 digit angka seperti tertulis di KTP atau KK."))
        return hasil
    if not nik.isascii() or not nik.isdigit():
        bukan_angka = "".join(sorted({ch for ch in nik if not ("0" <= ch <= "9")}))
        hasil.galat.append(
            _(
                "NIK hanya boleh berisi angka. Hapus atau ganti karakter “%(karakter)s” "
                "(huruf O sering tertukar dengan angka 0)."
            )
            % {"karakter": bukan_angka}
        )
        return hasil
    if len(nik) != PANJANG_NIK:
        hasil.galat.append(
            _("NIK harus 16 digit, yang diisi %(jumlah)d digit. Periksa kembali dari KTP atau KK.")
            % {"jumlah": len(nik)}
        )
        return hasil

    kode_enam, bagian_tanggal, urut = nik[0:6], nik[6:12], nik[12:16]
    if _kecamatan_ada(kode_enam, kecamatan_dikenal):
        hasil.kode_kecamatan = _kode_bertitik(kode_enam)
    else:
        hasil.galat.append(
            _(
                "Enam digit pertama NIK (%(kode)s) bukan kode kecamatan yang terdaftar di "
                "Kemendagri. Periksa kembali enam angka pertama pada KTP."
            )
            % {"kode": kode_enam}
        )
    lahir = _tanggal_dari_nik(bagian_tanggal, hari_ini or timezone.localdate())
    if lahir is None:
        hasil.galat.append(
            _(
                "Digit ke-7 sampai ke-12 NIK (%(bagian)s) bukan tanggal lahir yang mungkin. "
                "Formatnya TTBBTT (tanggal, bulan, tahun); untuk perempuan tanggal ditambah 40. "
                "Periksa kembali dari KTP."
            )
            % {"bagian": bagian_tanggal}
        )
    else:
        hasil.tanggal_lahir, hasil.jenis_kelamin = lahir
    if urut == "0000":
        hasil.galat.append(
            _("Empat digit terakhir NIK (nomor urut) tidak boleh 0000. Periksa kembali dari KTP.")
        )
    if hasil.galat:
        hasil.tanggal_lahir = hasil.jenis_kelamin = None
    return hasil


def beda_dengan_data(
    hasil: HasilNik, *, tanggal_lahir: datetime.date | None, jenis_kelamin: str | None
) -> list[str]:
    if not hasil.valid or hasil.tanggal_lahir is None:
        return []
    peringatan = []
    dari_nik = hasil.tanggal_lahir
    if tanggal_lahir and (tanggal_lahir.day, tanggal_lahir.month, tanggal_lahir.year % 100) != (
        dari_nik.day,
        dari_nik.month,
        dari_nik.year % 100,
    ):
        # show the NIK's date in the record's century: the NIK only holds two year digits
        abad = tanggal_lahir.year - tanggal_lahir.year % 100
        try:
            tanggal_nik = format_tanggal(dari_nik.replace(year=abad + dari_nik.year % 100))
        except ValueError:  # 29 February in a century that has none
            tanggal_nik = format_tanggal(dari_nik)
        peringatan.append(
            _("Tanggal lahir %(isian)s berbeda dengan tanggal lahir di NIK (%(nik)s).")
            % {"isian": format_tanggal(tanggal_lahir), "nik": tanggal_nik}
        )
    if jenis_kelamin and jenis_kelamin != hasil.jenis_kelamin:
        peringatan.append(
            _("Jenis kelamin berbeda dengan NIK: menurut NIK %(menurut_nik)s.")
            % {
                "menurut_nik": _("perempuan (tanggal ditambah 40)")
                if hasil.jenis_kelamin == PEREMPUAN
                else _("laki-laki")
            }
        )
    return peringatan

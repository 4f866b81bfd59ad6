"""The rules of a kelompok record, one set for the web form (through kelompok.services), the
spreadsheet import (impor/jenis/kelompok.py) and the admin form. Pure: the klaster and today
are passed in; the rules that need the database (a code unique in its klaster, the
klaster's desa, the leader being a member, the cooperative's klaster) stay in
kelompok/services.py and the import's lookups.

- The code is what people write on forms and in spreadsheets to name the group: letters,
  digits and - . _ / without spaces (LBK-01), at most 20 characters.
- The name loses its control characters and is at most 150 characters.
- The founding date is not before the klaster started and not in the future (a group that
  existed before the programme is recorded from the day it joined the klaster).
"""

import datetime
import re

from django.utils.translation import gettext as _

from kelompok.models import Kelompok
from klaster.aturan import (
    Galat,
    awal_klaster,
    periksa_panjang,
    periksa_tanggal,
    sebab_klaster_mulai,
    tambah,
    teks_satu_baris,
)

KODE_MAKS = Kelompok._meta.get_field("kode").max_length
NAMA_MAKS = Kelompok._meta.get_field("nama").max_length
_KODE = re.compile(r"[0-9A-Za-z][0-9A-Za-z._/\-]*")


def bersihkan_kode(nilai) -> str:
    return teks_satu_baris(nilai)


def bersihkan_nama(nilai) -> str:
    return teks_satu_baris(nilai)


def periksa_kode(kode: str) -> str | None:
    if not kode:
        return _("Isi kode kelompok, misalnya LBK-01.")
    if len(kode) > KODE_MAKS:
        return periksa_panjang(kode, label=_("Kode kelompok"), maks=KODE_MAKS)
    if not _KODE.fullmatch(kode):
        return _(
            "Kode kelompok '%(kode)s' hanya boleh berisi huruf, angka dan tanda - . _ / "
            "tanpa spasi, misalnya LBK-01."
        ) % {"kode": kode}
    return None


def periksa_kelompok(
    *,
    kode: str,
    nama: str,
    tanggal_dibentuk: datetime.date | None,
    klaster,
    hari_ini: datetime.date,
) -> Galat:
    """Every rule of a kelompok that needs no query, on cleaned values (bersihkan_kode,
    bersihkan_nama); `klaster` is the kelompok's Klaster."""
    galat: Galat = {}
    tambah(galat, "kode", periksa_kode(kode))
    if not nama:
        tambah(galat, "nama", _("Isi nama kelompok."))
    tambah(galat, "nama", periksa_panjang(nama, label=_("Nama"), maks=NAMA_MAKS))
    tambah(
        galat,
        "tanggal_dibentuk",
        periksa_tanggal(
            tanggal_dibentuk,
            label=_("Tanggal dibentuk"),
            hari_ini=hari_ini,
            paling_awal=awal_klaster(klaster),
            sebab_awal=sebab_klaster_mulai(klaster),
        ),
    )
    return galat

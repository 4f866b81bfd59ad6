"""The rules of a field visit, one set for the meeting screen and its offline queue (through
kunjungan.services) and the admin form. Pure: the klaster and today are passed in; the
rules that need the database (who is a member, which loans are open on the visit's date)
stay in kunjungan/services.py.

- A visit is dated between the day its klaster started and today. A date outside that is
  refused before anything is read for it (a visit dated in year 1 with an instalment used to
  fail computing the loans of that date).
- Each note (summary, problems, follow-up) is at most CATATAN_MAKS characters: a long
  meeting fits in 5,000 (about two typed pages); a pasted 2 MB text does not belong here.
- Notes keep their lines; control characters are removed (klaster.aturan.teks_catatan).
"""

import datetime

from django.utils.translation import gettext as _

from klaster.aturan import (
    Galat,
    awal_klaster,
    periksa_panjang,
    periksa_tanggal,
    sebab_klaster_mulai,
    tambah,
    teks_catatan,
)

CATATAN_MAKS = 5000


def bersihkan_catatan(nilai) -> str:
    return teks_catatan(nilai)


def label_catatan() -> dict[str, str]:
    return {
        "ringkasan": _("Ringkasan pertemuan"),
        "kendala": _("Kendala"),
        "tindak_lanjut": _("Tindak lanjut"),
    }


def periksa_tanggal_kunjungan(
    tanggal: datetime.date | None, *, klaster, hari_ini: datetime.date
) -> str | None:
    if tanggal is None:
        return _("Isi tanggal kunjungan.")
    return periksa_tanggal(
        tanggal,
        label=_("Tanggal kunjungan"),
        hari_ini=hari_ini,
        paling_awal=awal_klaster(klaster),
        sebab_awal=sebab_klaster_mulai(klaster),
    )


def periksa_kunjungan(
    *,
    tanggal: datetime.date | None,
    klaster,
    hari_ini: datetime.date,
    ringkasan: str = "",
    kendala: str = "",
    tindak_lanjut: str = "",
) -> Galat:
    """Every rule of a visit that needs no query, on cleaned notes (bersihkan_catatan);
    `klaster` is the visit's Klaster."""
    galat: Galat = {}
    tambah(galat, "tanggal", periksa_tanggal_kunjungan(tanggal, klaster=klaster, hari_ini=hari_ini))
    catatan = {"ringkasan": ringkasan, "kendala": kendala, "tindak_lanjut": tindak_lanjut}
    for nama_field, label in label_catatan().items():
        tambah(
            galat,
            nama_field,
            periksa_panjang(catatan[nama_field], label=label, maks=CATATAN_MAKS),
        )
    return galat

"""The programme's rules, one set for the pages, the offline survey queue, the import and
the admin. Pure: no query, no clock — the klaster, its lookups and today are passed in.

The CIBEST boundary rule (stated once here and in the report's method note):
a household exactly ON a line has that need MET. Material needs are met when household
income >= MV (the BPS poverty line per capita per month in force at the reading date ×
household size); spiritual needs are met when the spiritual score >= SV = 3. So:
- Kuadran I   sejahtera         income >= MV and score >= SV
- Kuadran II  miskin material   income <  MV and score >= SV
- Kuadran III miskin spiritual  income >= MV and score <  SV
- Kuadran IV  miskin absolut    income <  MV and score <  SV
The same reading of "at or above" holds for graduation: household income at endline >= the
nisab in force at that date.
"""

import datetime
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from klaster.aturan import (
    Galat,
    awal_klaster,
    periksa_panjang,
    periksa_tanggal,
    sebab_klaster_mulai,
    tambah,
    teks_catatan,
    teks_satu_baris,
)
from klaster.format import format_rupiah, format_tanggal
from program.instrumen import GARIS_SPIRITUAL, KUESIONER, SKALA, Kuesioner

CATATAN_MAKS = 5000
JAM_MAKS = Decimal("200")  # a week-long training is ~40 hours; 200 is a typing slip
ANGGOTA_RUMAH_TANGGA_MAKS = 30
# a household's monthly income above this is a typing slip (an extra zero or three)
PENDAPATAN_MAKS = Decimal("1000000000")

KUADRAN_I = "I"
KUADRAN_II = "II"
KUADRAN_III = "III"
KUADRAN_IV = "IV"
KUADRAN = (KUADRAN_I, KUADRAN_II, KUADRAN_III, KUADRAN_IV)
NAMA_KUADRAN = {
    KUADRAN_I: gettext_lazy("Sejahtera"),
    KUADRAN_II: gettext_lazy("Miskin material"),
    KUADRAN_III: gettext_lazy("Miskin spiritual"),
    KUADRAN_IV: gettext_lazy("Miskin absolut"),
}
ATURAN_BATAS = gettext_lazy(
    "Rumah tangga yang tepat berada di garis dianggap sudah terpenuhi kebutuhannya: "
    "pendapatan ≥ MV berarti kebutuhan material terpenuhi, skor spiritual ≥ SV (3) berarti "
    "kebutuhan spiritual terpenuhi."
)


def kuadran_cibest(
    *, pendapatan: Decimal, garis_material: Decimal, skor: Decimal, garis_spiritual=GARIS_SPIRITUAL
) -> str:
    """The household's CIBEST quadrant; on a line counts as above it (module docstring)."""
    material = pendapatan >= garis_material
    spiritual = skor >= garis_spiritual
    if material and spiritual:
        return KUADRAN_I
    if spiritual:
        return KUADRAN_II
    if material:
        return KUADRAN_III
    return KUADRAN_IV


def lulus_nisab(*, pendapatan: Decimal, nisab: Decimal) -> bool:
    """Mustahik → muzakki: household income at or above the nisab in force."""
    return pendapatan >= nisab


# --- writes --------------------------------------------------------------------------------


def _tanggal(galat: Galat, field: str, tanggal, *, label, klaster, hari_ini) -> None:
    if tanggal is None:
        tambah(galat, field, _("Isi %(label)s.") % {"label": label.lower()})
        return
    tambah(
        galat,
        field,
        periksa_tanggal(
            tanggal,
            label=label,
            hari_ini=hari_ini,
            paling_awal=awal_klaster(klaster),
            sebab_awal=sebab_klaster_mulai(klaster),
        ),
    )


def _teks(galat: Galat, field: str, nilai: str, *, label: str, maks: int, wajib=False) -> None:
    if wajib and not nilai:
        tambah(galat, field, _("Isi %(label)s.") % {"label": label.lower()})
    tambah(galat, field, periksa_panjang(nilai, label=label, maks=maks))


def _di_klaster(galat: Galat, field: str, obj, klaster, pesan: str) -> None:
    if obj is not None and obj.klaster_id != klaster.pk:
        tambah(galat, field, pesan % {"nama": str(obj), "klaster": klaster.nama})


def periksa_pihak_luar(*, klaster, nama: str, kontak: str, catatan: str) -> Galat:
    galat: Galat = {}
    _teks(galat, "nama", nama, label=_("Nama"), maks=200, wajib=True)
    _teks(galat, "kontak", kontak, label=_("Kontak"), maks=200)
    _teks(galat, "catatan", catatan, label=_("Catatan"), maks=CATATAN_MAKS)
    return galat


def periksa_kegiatan(
    *,
    klaster,
    kecamatan_ids: set[str],
    hari_ini: datetime.date,
    judul: str,
    tanggal,
    jam,
    biaya,
    sumber_dana,
    kelompok,
    desa,
    peserta,
    pihak_luar,
    narasumber: str,
    catatan: str,
) -> Galat:
    """A programme activity: dated between the klaster's start and today; hours above 0 and
    at most JAM_MAKS; money spent names its fund (a shared donor fund or this klaster's
    own); the kelompok, the participants and the outside parties belong to the klaster; a
    desa lies in one of its kecamatan."""
    galat: Galat = {}
    _teks(galat, "judul", judul, label=_("Judul"), maks=200, wajib=True)
    _teks(galat, "narasumber", narasumber, label=_("Narasumber"), maks=200)
    _teks(galat, "catatan", catatan, label=_("Catatan"), maks=CATATAN_MAKS)
    _tanggal(
        galat, "tanggal", tanggal, label=_("Tanggal kegiatan"), klaster=klaster, hari_ini=hari_ini
    )
    if jam is None:
        tambah(galat, "jam", _("Isi lama kegiatan dalam jam, misalnya 2,5."))
    elif jam <= 0:
        tambah(galat, "jam", _("Lama kegiatan harus lebih dari 0 jam."))
    elif jam > JAM_MAKS:
        tambah(
            galat,
            "jam",
            _("Lama kegiatan %(jam)s jam terlalu panjang (paling lama %(maks)s); periksa angkanya.")
            % {"jam": jam, "maks": JAM_MAKS},
        )
    biaya = biaya or Decimal(0)
    if biaya < 0:
        tambah(galat, "biaya", _("Biaya tidak boleh negatif."))
    elif biaya > 0 and sumber_dana is None:
        tambah(
            galat,
            "sumber_dana",
            _("Pilih sumber dana untuk biaya %(biaya)s.") % {"biaya": format_rupiah(biaya)},
        )
    if sumber_dana is not None and sumber_dana.klaster_id not in (None, klaster.pk):
        tambah(
            galat,
            "sumber_dana",
            _("Sumber dana %(nama)s milik klaster lain.") % {"nama": sumber_dana.nama},
        )
    _di_klaster(
        galat, "kelompok", kelompok, klaster, _("Kelompok %(nama)s bukan kelompok %(klaster)s.")
    )
    if desa is not None and desa.induk_id not in kecamatan_ids:
        tambah(
            galat,
            "desa",
            _("Desa %(desa)s tidak berada di kecamatan klaster %(klaster)s.")
            % {"desa": desa.nama, "klaster": klaster.nama},
        )
    asing = [m.nama for m in peserta if m.klaster_id != klaster.pk]
    if asing:
        tambah(
            galat, "peserta", _("Bukan mitra klaster ini: %(nama)s.") % {"nama": ", ".join(asing)}
        )
    asing = [p.nama for p in pihak_luar if p.klaster_id != klaster.pk]
    if asing:
        tambah(
            galat,
            "pihak_luar",
            _("Pihak luar dari klaster lain: %(nama)s.") % {"nama": ", ".join(asing)},
        )
    return galat


def periksa_tautan(
    *,
    klaster,
    hari_ini: datetime.date,
    mitra,
    kelompok,
    pihak_luar,
    tanggal_mulai,
    tanggal_selesai,
    nilai_per_bulan,
    komoditas: str,
    catatan: str,
) -> Galat:
    """A market link: exactly one of a mitra or a kelompok, both sides in the klaster; it
    started between the klaster's start and today and ends on or after it starts."""
    galat: Galat = {}
    if (mitra is None) == (kelompok is None):
        tambah(galat, "__all__", _("Pilih salah satu: seorang mitra atau satu kelompok."))
    _di_klaster(galat, "mitra", mitra, klaster, _("%(nama)s bukan mitra klaster %(klaster)s."))
    _di_klaster(
        galat, "kelompok", kelompok, klaster, _("Kelompok %(nama)s bukan kelompok %(klaster)s.")
    )
    if pihak_luar is None:
        tambah(galat, "pihak_luar", _("Pilih pihak luarnya."))
    else:
        _di_klaster(
            galat, "pihak_luar", pihak_luar, klaster, _("%(nama)s terdaftar di klaster lain.")
        )
    _tanggal(
        galat,
        "tanggal_mulai",
        tanggal_mulai,
        label=_("Tanggal mulai"),
        klaster=klaster,
        hari_ini=hari_ini,
    )
    if tanggal_mulai and tanggal_selesai and tanggal_selesai < tanggal_mulai:
        tambah(
            galat,
            "tanggal_selesai",
            _("Tanggal selesai %(selesai)s sebelum tanggal mulai %(mulai)s.")
            % {"selesai": format_tanggal(tanggal_selesai), "mulai": format_tanggal(tanggal_mulai)},
        )
    if nilai_per_bulan is not None and nilai_per_bulan <= 0:
        tambah(galat, "nilai_per_bulan", _("Nilai per bulan harus lebih dari 0, atau kosongkan."))
    _teks(galat, "komoditas", komoditas, label=_("Komoditas"), maks=150)
    _teks(galat, "catatan", catatan, label=_("Catatan"), maks=CATATAN_MAKS)
    return galat


def periksa_putaran(
    *, klaster, hari_ini, nama: str, tanggal_mulai, tanggal_selesai, kuesioner
) -> Galat:
    galat: Galat = {}
    _teks(galat, "nama", nama, label=_("Nama"), maks=150, wajib=True)
    _tanggal(
        galat,
        "tanggal_mulai",
        tanggal_mulai,
        label=_("Tanggal mulai"),
        klaster=klaster,
        hari_ini=hari_ini,
    )
    if tanggal_mulai and tanggal_selesai and tanggal_selesai < tanggal_mulai:
        tambah(
            galat,
            "tanggal_selesai",
            _("Tanggal selesai %(selesai)s sebelum tanggal mulai %(mulai)s.")
            % {"selesai": format_tanggal(tanggal_selesai), "mulai": format_tanggal(tanggal_mulai)},
        )
    if kuesioner not in KUESIONER:
        tambah(galat, "kuesioner", _("Kuesioner %(kode)s tidak dikenal.") % {"kode": kuesioner})
    return galat


def periksa_jawaban(
    *,
    putaran,
    kuesioner: Kuesioner,
    hari_ini: datetime.date,
    mitra,
    tanggal,
    modal_sosial: dict,
    spiritual: dict,
    jumlah_anggota_keluarga,
    pendapatan_rumah_tangga,
) -> Galat:
    """One household's answers: a mitra of the round's klaster, interviewed within the
    round's dates and not after today; every item of the round's questionnaire answered
    1–5 and nothing else; household size 1–30; household income 0 or more."""
    galat: Galat = {}
    klaster = putaran.klaster
    if mitra is None or mitra.klaster_id != putaran.klaster_id:
        tambah(galat, "mitra", _("Pilih mitra klaster %(klaster)s.") % {"klaster": klaster.nama})
    _tanggal(
        galat, "tanggal", tanggal, label=_("Tanggal wawancara"), klaster=klaster, hari_ini=hari_ini
    )
    if tanggal and tanggal < putaran.tanggal_mulai:
        tambah(
            galat,
            "tanggal",
            _("Tanggal wawancara %(tanggal)s sebelum putaran %(putaran)s dimulai (%(mulai)s).")
            % {
                "tanggal": format_tanggal(tanggal),
                "putaran": putaran.nama,
                "mulai": format_tanggal(putaran.tanggal_mulai),
            },
        )
    if tanggal and putaran.tanggal_selesai and tanggal > putaran.tanggal_selesai:
        tambah(
            galat,
            "tanggal",
            _(
                "Putaran %(putaran)s sudah ditutup %(selesai)s; wawancara %(tanggal)s di luar putaran."
            )
            % {
                "putaran": putaran.nama,
                "selesai": format_tanggal(putaran.tanggal_selesai),
                "tanggal": format_tanggal(tanggal),
            },
        )
    kode_butir = {b.kode for b in kuesioner.modal_sosial}
    for kode in sorted(set(modal_sosial) - kode_butir):
        tambah(galat, "__all__", _("Butir %(kode)s bukan bagian kuesioner ini.") % {"kode": kode})
    for b in kuesioner.modal_sosial:
        if modal_sosial.get(b.kode) not in SKALA:
            tambah(galat, f"ms_{b.kode}", _("Pilih 1 sampai 5 untuk: %(teks)s") % {"teks": b.teks})
    for b in kuesioner.spiritual:
        if spiritual.get(b.kode) not in SKALA:
            tambah(
                galat, b.kode, _("Pilih 1 sampai 5 untuk %(nama)s.") % {"nama": str(b.nama).lower()}
            )
    if jumlah_anggota_keluarga is None:
        tambah(galat, "jumlah_anggota_keluarga", _("Isi jumlah anggota rumah tangga."))
    elif not 1 <= jumlah_anggota_keluarga <= ANGGOTA_RUMAH_TANGGA_MAKS:
        tambah(
            galat,
            "jumlah_anggota_keluarga",
            _("Jumlah anggota rumah tangga antara 1 dan %(maks)d orang.")
            % {"maks": ANGGOTA_RUMAH_TANGGA_MAKS},
        )
    if pendapatan_rumah_tangga is None:
        tambah(
            galat, "pendapatan_rumah_tangga", _("Isi pendapatan rumah tangga per bulan (boleh 0).")
        )
    elif pendapatan_rumah_tangga < 0:
        tambah(galat, "pendapatan_rumah_tangga", _("Pendapatan tidak boleh negatif."))
    elif pendapatan_rumah_tangga > PENDAPATAN_MAKS:
        tambah(
            galat,
            "pendapatan_rumah_tangga",
            _("Pendapatan %(nilai)s per bulan tidak masuk akal; periksa jumlah nolnya.")
            % {"nilai": format_rupiah(pendapatan_rumah_tangga)},
        )
    return galat


def bersihkan_teks(nilai) -> str:
    return teks_satu_baris(nilai)


def bersihkan_catatan(nilai) -> str:
    return teks_catatan(nilai)


def periksa_penilaian(*, tanggal, hari_ini, dibentuk, skor: dict) -> Galat:
    """A maturity assessment: its date (not in the future, not before the kelompok was
    formed) and the judged scores (each 1, 2 or 3)."""
    galat: Galat = {}
    if tanggal is None:
        galat["tanggal"] = [_("Isi tanggal penilaian.")]
    elif tanggal > hari_ini:
        galat["tanggal"] = [_("Tanggal penilaian tidak boleh setelah hari ini.")]
    elif dibentuk and tanggal < dibentuk:
        galat["tanggal"] = [
            _("Tanggal penilaian sebelum kelompok dibentuk (%(t)s).")
            % {"t": format_tanggal(dibentuk)}
        ]
    for nama, nilai in skor.items():
        if nilai not in (1, 2, 3):
            galat[nama] = [_("Pilih skor 1, 2 atau 3.")]
    return galat

"""The rules of the kelembagaan records: a lembaga's milestones and documents, and a
klaster's stage transitions. Pure functions of the values and of lookups the caller has
already loaded (the lembaga's other milestones, the klaster, today); they return a Galat
({field: [messages]}) so a form shows every problem at once. The services call them again
under their row lock.

Milestones
- The order of a cooperative's life: founding meeting → notary deed → legal approval (the
  Minister's decree, SK) → business licence (NIB) and annual members' meetings (RAT). A step
  is not dated before an earlier step that is recorded, nor after a later one.
- A koperasi gets its NIB and holds RAT as a legal body: both need the approval recorded
  first. Other forms (BUMDes, informal) record what applies to them.
- Deed, decree and NIB carry their number; an NIB is 13 digits (OSS).
- A RAT discusses a closed book year: the year is before the meeting's year and not before
  the year of the approval. One RAT per book year; one of every other step per lembaga.
- Members and savings are what the RAT reported; they belong to a RAT only.

Documents: PDF, JPEG or PNG, at most DOKUMEN_UKURAN_MAKS; the content is checked by the
service (the first bytes of a PDF, Pillow for an image), not the name.

Stages (the gates): penumbuhan → penguatan → pemandirian → selesai, one step forward at a
time, dated not before the klaster started nor before the previous step, not in the
future. The criteria are computed (kelembagaan/selectors.py `syarat_tahap`); when one is
not met the manager may still decide, but must write why.
"""

import datetime
import re
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kelembagaan.models import TonggakLembaga
from kelompok.models import Lembaga
from klaster.aturan import (
    Galat,
    periksa_panjang,
    periksa_tanggal,
    tambah,
    teks_catatan,
    teks_satu_baris,
)
from klaster.format import format_tanggal
from klaster.models import Klaster

J = TonggakLembaga.Jenis
T = Klaster.Tahap

URUTAN = [J.RAPAT_PENDIRIAN, J.AKTA_NOTARIS, J.PENGESAHAN]  # each dated after the one before
SESUDAH_PENGESAHAN = {J.NIB, J.RAT}  # a koperasi's, once it is a legal body
BERNOMOR = {J.AKTA_NOTARIS, J.PENGESAHAN, J.NIB}
NOMOR_MAKS = TonggakLembaga._meta.get_field("nomor").max_length
CATATAN_MAKS = 5000
UANG_MAKS = Decimal("9999999999999.99")
_NIB = re.compile(r"\d{13}")

DOKUMEN_UKURAN_MAKS = 10 * 1024 * 1024  # a scanned deed of a few pages
DOKUMEN_JENIS = {"pdf": "application/pdf", "jpg": "image/jpeg", "jpeg": "image/jpeg",
                 "png": "image/png"}  # fmt: skip
NAMA_BERKAS_MAKS = 150

TAHAP_BERIKUT = {T.PENUMBUHAN: T.PENGUATAN, T.PENGUATAN: T.PEMANDIRIAN, T.PEMANDIRIAN: T.SELESAI}

# The gates' thresholds (the method note on the klaster page states them).
PAR30_MAKS = Decimal("0.10")  # portfolio at risk below 10 % of the outstanding balance
PORSI_BERKEMBANG = {T.PEMANDIRIAN: Decimal("0.50"), T.SELESAI: Decimal("0.75")}
CATATAN_SYARAT = gettext_lazy(
    "Syarat dihitung dari data per tanggal keputusan. Kelompok terbentuk: mitra yang sudah "
    "bergabung (bukan calon, belum keluar) mencapai target mitra klaster dan semuanya masuk "
    "kelompok. Tingkat kelompok: kelompok aktif yang penilaian terakhirnya berkembang atau "
    "mandiri, dibagi semua kelompok aktif (kelompok yang belum dinilai dihitung belum "
    "berkembang); ambang 50% untuk pemandirian, 75% untuk selesai. Koperasi dibentuk: "
    "sedikitnya satu koperasi dengan rapat pendirian atau pengesahan tercatat. Kelompok "
    "dalam lembaga berbadan hukum: semua kelompok aktif bergabung dengan lembaga yang "
    "sudah disahkan. PAR30 di bawah 10% (tanpa pinjaman beredar: terpenuhi). Bila ada "
    "syarat yang belum terpenuhi, manajer tetap boleh memutuskan dengan menulis alasannya."
)


def _label(jenis) -> str:
    return str(J(jenis).label)


def periksa_tonggak(
    *,
    jenis: str,
    tanggal: datetime.date | None,
    nomor: str,
    tahun_buku: int | None,
    jumlah_anggota: int | None,
    simpanan_pokok: Decimal | None,
    simpanan_wajib: Decimal | None,
    keterangan: str,
    bentuk: str,
    tercatat: dict,
    rat_tercatat: set,
    hari_ini: datetime.date,
) -> Galat:
    """`tercatat`: {jenis: tanggal} of the lembaga's milestones other than RAT;
    `rat_tercatat`: the book years that already have their RAT."""
    galat: Galat = {}
    if jenis not in J.values:
        tambah(galat, "jenis", _("Pilih jenis tonggak dari daftar."))
        return galat
    label = _label(jenis)
    if tanggal is None:
        tambah(galat, "tanggal", _("Isi tanggal %(label)s.") % {"label": label})
    else:
        tambah(galat, "tanggal", periksa_tanggal(tanggal, label=_("Tanggal"), hari_ini=hari_ini))
    if jenis in BERNOMOR:
        if not nomor:
            tambah(galat, "nomor", _("Isi nomor %(label)s sesuai dokumennya.") % {"label": label})
        elif jenis == J.NIB and not _NIB.fullmatch(nomor):
            tambah(
                galat,
                "nomor",
                _("NIB terdiri atas 13 angka (tertulis di dokumen OSS); '%(n)s' bukan NIB.")
                % {"n": nomor},
            )
    tambah(galat, "nomor", periksa_panjang(nomor, label=_("Nomor"), maks=NOMOR_MAKS))
    tambah(
        galat, "keterangan", periksa_panjang(keterangan, label=_("Keterangan"), maks=CATATAN_MAKS)
    )

    if jenis != J.RAT and jenis in tercatat:
        tambah(
            galat,
            "jenis",
            _("%(label)s lembaga ini sudah tercatat (%(t)s); satu lembaga hanya punya satu.")
            % {"label": label, "t": format_tanggal(tercatat[jenis])},
        )
    if bentuk == Lembaga.Bentuk.KOPERASI and jenis in SESUDAH_PENGESAHAN:
        if J.PENGESAHAN not in tercatat:
            tambah(
                galat,
                "jenis",
                _("Catat dulu pengesahan badan hukum koperasi ini: %(label)s menyusul "
                  "sesudahnya.") % {"label": label},
            )  # fmt: skip
        elif tanggal and tanggal < tercatat[J.PENGESAHAN]:
            tambah(
                galat,
                "tanggal",
                _("%(label)s tidak boleh sebelum pengesahan badan hukum (%(t)s).")
                % {"label": label, "t": format_tanggal(tercatat[J.PENGESAHAN])},
            )
    if tanggal and jenis in URUTAN:
        i = URUTAN.index(jenis)
        for lebih_dulu in URUTAN[:i]:
            if lebih_dulu in tercatat and tanggal < tercatat[lebih_dulu]:
                tambah(
                    galat,
                    "tanggal",
                    _("%(label)s tidak boleh sebelum %(lain)s (%(t)s).")
                    % {"label": label, "lain": _label(lebih_dulu),
                       "t": format_tanggal(tercatat[lebih_dulu])},
                )  # fmt: skip
        for menyusul in [*URUTAN[i + 1 :], *SESUDAH_PENGESAHAN - {J.RAT}]:
            if menyusul in tercatat and tanggal > tercatat[menyusul]:
                tambah(
                    galat,
                    "tanggal",
                    _("%(label)s tidak boleh sesudah %(lain)s (%(t)s).")
                    % {"label": label, "lain": _label(menyusul),
                       "t": format_tanggal(tercatat[menyusul])},
                )  # fmt: skip

    if jenis == J.RAT:
        if tahun_buku is None:
            tambah(galat, "tahun_buku", _("Isi tahun buku yang dibahas RAT ini."))
        else:
            if tanggal and tahun_buku >= tanggal.year:
                tambah(
                    galat,
                    "tahun_buku",
                    _("RAT membahas tahun buku yang sudah ditutup: tahun buku %(th)s harus "
                      "sebelum tahun rapatnya (%(tr)s).") % {"th": tahun_buku, "tr": tanggal.year},
                )  # fmt: skip
            pengesahan = tercatat.get(J.PENGESAHAN)
            if pengesahan and tahun_buku < pengesahan.year:
                tambah(
                    galat,
                    "tahun_buku",
                    _("Tahun buku %(th)s sebelum koperasi disahkan (%(t)s).")
                    % {"th": tahun_buku, "t": format_tanggal(pengesahan)},
                )
            if tahun_buku in rat_tercatat:
                tambah(
                    galat,
                    "tahun_buku",
                    _("RAT tahun buku %(th)s sudah tercatat.") % {"th": tahun_buku},
                )
        for field, nilai in (
            ("simpanan_pokok", simpanan_pokok),
            ("simpanan_wajib", simpanan_wajib),
        ):
            if nilai is not None and not (0 <= nilai <= UANG_MAKS):
                tambah(galat, field, _("Isi jumlah simpanan Rp0 atau lebih."))
    else:
        if tahun_buku is not None:
            tambah(galat, "tahun_buku", _("Tahun buku hanya diisi untuk RAT."))
        for field in ("jumlah_anggota", "simpanan_pokok", "simpanan_wajib"):
            if {"jumlah_anggota": jumlah_anggota, "simpanan_pokok": simpanan_pokok,
                "simpanan_wajib": simpanan_wajib}[field] is not None:  # fmt: skip
                tambah(
                    galat,
                    field,
                    _("Jumlah anggota dan simpanan adalah laporan RAT; isi hanya untuk RAT."),
                )
    return galat


def bersihkan_tonggak(data: dict) -> dict:
    return {
        **data,
        "nomor": teks_satu_baris(data.get("nomor")),
        "keterangan": teks_catatan(data.get("keterangan")),
    }


def ekstensi(nama: str) -> str:
    return nama.rsplit(".", 1)[-1].lower() if "." in nama else ""


def periksa_dokumen(*, nama: str, ukuran: int) -> Galat:
    galat: Galat = {}
    if ekstensi(nama) not in DOKUMEN_JENIS:
        tambah(galat, "berkas", _("Unggah berkas PDF, JPEG atau PNG (hasil pindai dokumen)."))
    if ukuran > DOKUMEN_UKURAN_MAKS:
        tambah(
            galat,
            "berkas",
            _("Berkas %(mb).1f MB; paling besar 10 MB. Pindai dengan resolusi lebih rendah.")
            % {"mb": ukuran / 1024 / 1024},
        )
    if ukuran == 0:
        tambah(galat, "berkas", _("Berkas kosong; unggah dokumennya lagi."))
    return galat


def nama_berkas_aman(nama: str) -> str:
    """The uploaded name for display only (the stored name is random): no path, no
    control characters, at most NAMA_BERKAS_MAKS characters."""
    nama = teks_satu_baris(nama.replace("\\", "/").rsplit("/", 1)[-1]) or "dokumen"
    if len(nama) > NAMA_BERKAS_MAKS:
        ext = ekstensi(nama)
        nama = nama[: NAMA_BERKAS_MAKS - len(ext) - 1] + "." + ext
    return nama


def periksa_tahap(
    *,
    klaster,
    ke: str,
    tanggal: datetime.date | None,
    tanggal_terakhir: datetime.date | None,
    semua_terpenuhi: bool,
    catatan: str,
    hari_ini: datetime.date,
) -> Galat:
    """`klaster` with its current stage; `tanggal_terakhir`: the date of its last transition."""
    galat: Galat = {}
    berikut = TAHAP_BERIKUT.get(klaster.tahap)
    if berikut is None:
        tambah(galat, "ke", _("Klaster ini sudah selesai; tidak ada tahap berikutnya."))
    elif ke != berikut:
        tambah(
            galat,
            "ke",
            _("Dari tahap %(dari)s klaster hanya bisa pindah ke tahap %(ke)s.")
            % {"dari": T(klaster.tahap).label, "ke": T(berikut).label},
        )
    if tanggal is None:
        tambah(galat, "tanggal", _("Isi tanggal keputusan."))
    else:
        tambah(
            galat,
            "tanggal",
            periksa_tanggal(
                tanggal,
                label=_("Tanggal keputusan"),
                hari_ini=hari_ini,
                paling_awal=klaster.tanggal_mulai,
                sebab_awal=_("klaster %(k)s dimulai") % {"k": klaster.nama},
            ),
        )
        if tanggal_terakhir and tanggal < tanggal_terakhir:
            tambah(
                galat,
                "tanggal",
                _("Tanggal keputusan sebelum perpindahan tahap sebelumnya (%(t)s).")
                % {"t": format_tanggal(tanggal_terakhir)},
            )
    if not semua_terpenuhi and not catatan:
        tambah(
            galat,
            "catatan",
            _("Ada syarat yang belum terpenuhi per tanggal itu. Tulis alasan keputusan ini, "
              "atau tunggu sampai syaratnya terpenuhi."),
        )  # fmt: skip
    tambah(galat, "catatan", periksa_panjang(catatan, label=_("Catatan"), maks=CATATAN_MAKS))
    return galat


def periksa_naskah(*, pelajaran: str, rekomendasi: str, dari, sampai) -> Galat:
    galat: Galat = {}
    tambah(galat, "pelajaran", periksa_panjang(pelajaran, label=_("Pelajaran"), maks=20000))
    tambah(galat, "rekomendasi", periksa_panjang(rekomendasi, label=_("Rekomendasi"), maks=20000))
    if dari and sampai and dari > sampai:
        tambah(galat, "dari", _("Tanggal awal periode sesudah tanggal akhirnya."))
    return galat

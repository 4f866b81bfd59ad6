"""The rules of financing, one set for every door: the pages (through bantuan.services), the
spreadsheet import (impor/jenis/bantuan.py, angsuran.py) and the admin form.

Pure: the caller passes the values and what it already loaded (the klaster, the recipient,
the fund, the loan, what is left to repay, today). The checks that need the database or a
lock (the revolving fund's balance, the loan number, the repaid sum under the row lock) stay
in bantuan/services.py; the services call these rules again under their lock.

- A proposal is dated between the klaster's start and today, for exactly one recipient of
  the klaster, and asks more than Rp0 and at most the programme's ceiling per financing
  (settings.BANTUAN_JUMLAH_MAKS, Rp1.000.000.000 unless set: more than half the Lebak
  programme's whole disbursement, so a larger figure is a typing mistake).
- Only revolving capital (modal bergulir) has a tenor: 1 to TENOR_MAKS months. A tenor
  given for another kind is dropped by the service (the page hides the field for them) and
  refused by the import (a filled cell on a grant's row usually means a mixed-up row).
- Approval, disbursement and repayment dates happen (not in the future) and follow each
  other: approval not before the proposal, disbursement not before both, a repayment not
  before the disbursement.
- A repayment is more than Rp0 and at most what is left of the principal.
- Four eyes (maker-checker): whoever proposed a financing does not approve it, unless the
  programme turned the rule off (settings.EMPAT_MATA, on unless set; a small programme with
  one manager may need it off).
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.utils.translation import gettext as _

from bantuan.models import Bantuan, SumberDana
from klaster.aturan import (
    Galat,
    awal_klaster,
    periksa_tanggal,
    sebab_klaster_mulai,
    tambah,
)
from klaster.format import format_rupiah, format_tanggal

TENOR_MAKS = 60  # months; the programme lends for 12-24, five years is a hard ceiling
JUMLAH_MAKS_BAWAAN = Decimal("1000000000")


def jumlah_maks() -> Decimal:
    """The most one financing may be (settings.BANTUAN_JUMLAH_MAKS)."""
    return Decimal(getattr(settings, "BANTUAN_JUMLAH_MAKS", JUMLAH_MAKS_BAWAAN))


def periksa_jumlah(jumlah) -> str | None:
    if jumlah is None or not Decimal(jumlah).is_finite() or Decimal(jumlah) <= 0:
        return _("Jumlah harus lebih dari Rp0.")
    maks = jumlah_maks()
    if Decimal(jumlah) > maks:
        return _(
            "Jumlah %(jumlah)s melebihi batas %(maks)s per bantuan; periksa apakah ada angka "
            "berlebih."
        ) % {"jumlah": format_rupiah(jumlah), "maks": format_rupiah(maks)}
    return None


def periksa_tenor(jenis: str, tenor_bulan, *, tolak_tenor_lain: bool = False) -> str | None:
    if jenis == Bantuan.Jenis.MODAL_BERGULIR:
        if not tenor_bulan or not 1 <= int(tenor_bulan) <= TENOR_MAKS:
            return _("Modal bergulir perlu tenor 1 sampai %(maks)d bulan.") % {"maks": TENOR_MAKS}
    elif tolak_tenor_lain and tenor_bulan and jenis in Bantuan.Jenis.values:
        return _("Tenor hanya untuk modal bergulir; kosongkan kolom ini untuk %(jenis)s.") % {
            "jenis": Bantuan.Jenis(jenis).label
        }
    return None


def periksa_pengajuan(
    *,
    klaster,
    jenis: str,
    jumlah,
    tanggal_pengajuan: datetime.date | None,
    hari_ini: datetime.date,
    tenor_bulan: int | None = None,
    mitra=None,
    kelompok=None,
    sumber_dana: SumberDana | None = None,
    tolak_tenor_lain: bool = False,
) -> Galat:
    """Every rule of a proposal that needs no query; `klaster` is where it is proposed."""
    galat: Galat = {}
    if (mitra is None) == (kelompok is None):
        tambah(
            galat,
            "__all__",
            _("Pilih satu penerima: seorang mitra atau satu kelompok, tidak keduanya."),
        )
    elif mitra is not None and mitra.klaster_id != klaster.pk:
        tambah(
            galat, "mitra", _("Mitra ini bukan anggota klaster %(klaster)s.") % {"klaster": klaster}
        )
    elif kelompok is not None and kelompok.klaster_id != klaster.pk:
        tambah(
            galat,
            "kelompok",
            _("Kelompok ini bukan bagian dari klaster %(klaster)s.") % {"klaster": klaster},
        )
    if jenis not in Bantuan.Jenis.values:
        tambah(galat, "jenis", _("Pilih jenis bantuan dari daftar."))
    tambah(galat, "jumlah", periksa_jumlah(jumlah))
    tambah(
        galat, "tenor_bulan", periksa_tenor(jenis, tenor_bulan, tolak_tenor_lain=tolak_tenor_lain)
    )
    if (
        sumber_dana is not None
        and sumber_dana.jenis == SumberDana.Jenis.DANA_BERGULIR
        and sumber_dana.klaster_id != klaster.pk
    ):
        tambah(
            galat,
            "sumber_dana",
            _("Dana bergulir ini milik klaster lain; pilih dana bergulir klaster %(klaster)s.")
            % {"klaster": klaster},
        )
    if tanggal_pengajuan is None:
        tambah(galat, "tanggal_pengajuan", _("Isi tanggal pengajuan."))
    else:
        tambah(
            galat,
            "tanggal_pengajuan",
            periksa_tanggal(
                tanggal_pengajuan,
                label=_("Tanggal pengajuan"),
                hari_ini=hari_ini,
                paling_awal=awal_klaster(klaster),
                sebab_awal=sebab_klaster_mulai(klaster),
            ),
        )
    return galat


def periksa_persetujuan(
    *, tanggal: datetime.date, tanggal_pengajuan: datetime.date, hari_ini: datetime.date
) -> Galat:
    galat: Galat = {}
    tambah(
        galat,
        "tanggal",
        periksa_tanggal(tanggal, label=_("Tanggal persetujuan"), hari_ini=hari_ini)
        or (
            _("Tanggal persetujuan tidak boleh sebelum tanggal pengajuan %(t)s.")
            % {"t": format_tanggal(tanggal_pengajuan)}
            if tanggal < tanggal_pengajuan
            else None
        ),
    )
    return galat


def empat_mata() -> bool:
    """Whether the proposer of a financing is kept from approving it (settings.EMPAT_MATA)."""
    return bool(getattr(settings, "EMPAT_MATA", True))


def periksa_empat_mata(*, diajukan_oleh_id: int | None, oleh_id: int) -> str | None:
    """A message when the one approving is the one who proposed (maker-checker). A proposal
    whose proposer is unknown (written in bulk before the field existed) passes."""
    if empat_mata() and diajukan_oleh_id is not None and diajukan_oleh_id == oleh_id:
        return _(
            "Anda sendiri yang mengajukan bantuan ini, jadi persetujuannya harus oleh manajer "
            "lain (prinsip empat mata). Minta manajer lain di klaster ini untuk memeriksanya."
        )
    return None


def periksa_pencairan(
    *,
    tanggal_cair: datetime.date | None,
    tanggal_pengajuan: datetime.date,
    hari_ini: datetime.date,
    tanggal_keputusan: datetime.date | None = None,
) -> Galat:
    """Disbursement on a date that happened, not before the proposal nor the approval."""
    galat: Galat = {}
    if tanggal_cair is None:
        tambah(galat, "tanggal_cair", _("Isi tanggal pencairan."))
        return galat
    pesan = periksa_tanggal(tanggal_cair, label=_("Tanggal cair"), hari_ini=hari_ini)
    if pesan is None and tanggal_cair < tanggal_pengajuan:
        pesan = _("Tanggal cair tidak boleh sebelum tanggal pengajuan.")
    if pesan is None and tanggal_keputusan and tanggal_cair < tanggal_keputusan:
        pesan = _("Tanggal cair tidak boleh sebelum tanggal persetujuan %(t)s.") % {
            "t": format_tanggal(tanggal_keputusan)
        }
    tambah(galat, "tanggal_cair", pesan)
    return galat


def periksa_bisa_diangsur(bantuan: Bantuan) -> str | None:
    """Only a disbursed revolving loan that is neither repaid nor written off takes a
    repayment."""
    if bantuan.jenis != Bantuan.Jenis.MODAL_BERGULIR:
        return _("%(jenis)s tidak diangsur; hanya modal bergulir yang dibayar kembali.") % {
            "jenis": bantuan.get_jenis_display()
        }
    if bantuan.status == Bantuan.Status.LUNAS:
        return _("Pinjaman ini sudah lunas; tidak ada angsuran yang perlu dicatat.")
    if bantuan.status == Bantuan.Status.DIHAPUSBUKUKAN:
        return _("Pinjaman ini sudah dihapusbukukan; angsuran tidak bisa dicatat lagi.")
    if bantuan.status != Bantuan.Status.DICAIRKAN:
        return _(
            "Pinjaman belum dicairkan (status %(s)s); angsuran baru bisa dicatat setelah cair."
        ) % {"s": bantuan.get_status_display()}
    return None


def periksa_angsuran(
    *,
    bantuan: Bantuan,
    jumlah,
    tanggal: datetime.date | None,
    sisa: Decimal,
    hari_ini: datetime.date,
    termasuk_berkas: bool = False,
) -> Galat:
    """A repayment of a loan that takes one (periksa_bisa_diangsur, checked first): more
    than Rp0 and at most `sisa`, dated between the disbursement and today.
    `termasuk_berkas`: `sisa` already counts earlier rows of the same import file."""
    galat: Galat = {}
    if jumlah is None or not Decimal(jumlah).is_finite() or Decimal(jumlah) <= 0:
        tambah(galat, "jumlah", _("Jumlah angsuran harus lebih dari Rp0."))
    elif Decimal(jumlah) > sisa:
        data = {"jumlah": format_rupiah(jumlah, sen=True), "sisa": format_rupiah(sisa, sen=True)}
        if termasuk_berkas:
            pesan = _(
                "Angsuran %(jumlah)s melebihi sisa pokok %(sisa)s (termasuk baris sebelumnya "
                "di berkas ini); isi paling banyak %(sisa)s."
            )
        else:
            pesan = _(
                "Angsuran %(jumlah)s melebihi sisa pokok %(sisa)s; isi paling banyak %(sisa)s."
            )
        tambah(galat, "jumlah", pesan % data)
    if tanggal is None:
        tambah(galat, "tanggal", _("Isi tanggal pembayaran."))
    else:
        pesan = periksa_tanggal(tanggal, label=_("Tanggal bayar"), hari_ini=hari_ini)
        if pesan is None and bantuan.tanggal_cair and tanggal < bantuan.tanggal_cair:
            pesan = _("Tanggal bayar tidak boleh sebelum tanggal cair %(t)s.") % {
                "t": format_tanggal(bantuan.tanggal_cair)
            }
        tambah(galat, "tanggal", pesan)
    return galat

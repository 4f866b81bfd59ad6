"""Writes with business rules on financing: propose, decide, disburse, repay, correct, write off.

Every function is atomic and keyword-only, checks the caller's role itself (so no view can
forget) and raises `ValidationError` with an Indonesian message that says what to fix.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from bantuan import aturan, posisi
from bantuan.jadwal import hitung_jadwal
from bantuan.models import Angsuran, Bantuan, JadwalAngsuran, SumberDana
from klaster import akses, versi
from klaster.aturan import periksa_tanggal, teks_satu_baris, wajib_lolos
from klaster.format import format_rupiah, format_tanggal
from klaster.models import Klaster

NOL = Decimal("0")
TENOR_MAKS = aturan.TENOR_MAKS
STATUS = Bantuan.Status


def _hari_ini() -> datetime.date:
    # Asia/Jakarta (settings.TIME_ZONE): "today" for a facilitator in Lebak
    return timezone.localdate()


def _peran(oleh, klaster_id) -> str:
    """The user's role in the loan's klaster (klaster.akses.peran_di); 403 without one."""
    peran = akses.peran_di(oleh, klaster_id)
    if peran is None:
        raise PermissionDenied(_("Anda tidak punya peran program di klaster ini."))
    return peran


def _cek_manajer(oleh, klaster_id) -> None:
    if _peran(oleh, klaster_id) != akses.MANAJER:
        raise PermissionDenied(_("Hanya manajer program klaster ini yang boleh melakukan ini."))


def _cek_petugas(oleh, klaster_id) -> None:
    _peran(oleh, klaster_id)


def _cek_tanggal_bukan_masa_depan(tanggal: datetime.date, field: str) -> None:
    pesan = periksa_tanggal(tanggal, label=_("Tanggal"), hari_ini=_hari_ini())
    if pesan:
        raise ValidationError({field: pesan})


def _kunci_baris(bantuan: Bantuan) -> Bantuan:
    """Re-read the loan under a row lock: decisions are made on the committed state."""
    return Bantuan.objects.select_for_update().get(pk=bantuan.pk)


def _simpan(obj, oleh, **kwargs) -> None:
    obj._history_user = oleh  # who changed it, also outside a request (shell, commands)
    obj.save(**kwargs)


def _nomor_berikut(klaster_id: int, tahun: int) -> str:
    prefix = f"BTN-{tahun}-"
    nomor = Bantuan.objects.filter(klaster_id=klaster_id, nomor__startswith=prefix).values_list(
        "nomor", flat=True
    )
    urut = max((int(n[len(prefix) :]) for n in nomor if n[len(prefix) :].isdigit()), default=0)
    return f"{prefix}{urut + 1:04d}"


@transaction.atomic
def bantuan_ajukan(
    *,
    oleh,
    klaster: Klaster,
    jenis: str,
    sumber_dana: SumberDana,
    jumlah: Decimal,
    tanggal_pengajuan: datetime.date,
    mitra=None,
    kelompok=None,
    tenor_bulan: int | None = None,
    tujuan: str = "",
) -> Bantuan:
    """Propose a financing. The number BTN-<year>-<seq> is unique per klaster."""
    _cek_petugas(oleh, klaster.pk)
    versi.naikkan([klaster.pk], grup=versi.PINJAMAN)  # the first lock: klaster/versi.py
    tujuan = teks_satu_baris(tujuan)
    wajib_lolos(
        aturan.periksa_pengajuan(
            klaster=klaster,
            jenis=jenis,
            jumlah=jumlah,
            tanggal_pengajuan=tanggal_pengajuan,
            hari_ini=_hari_ini(),
            tenor_bulan=tenor_bulan,
            mitra=mitra,
            kelompok=kelompok,
            sumber_dana=sumber_dana,
        )
    )
    if jenis != Bantuan.Jenis.MODAL_BERGULIR:
        tenor_bulan = None  # only revolving capital is repaid

    # Serialise numbering per klaster: lock the klaster row (PostgreSQL), and retry on the
    # unique constraint in case another writer slipped in (SQLite has no row locks).
    Klaster.objects.select_for_update().filter(pk=klaster.pk).first()
    for _percobaan in range(5):
        bantuan = Bantuan(
            nomor=_nomor_berikut(klaster.pk, tanggal_pengajuan.year),
            klaster=klaster,
            mitra=mitra,
            kelompok=kelompok,
            jenis=jenis,
            sumber_dana=sumber_dana,
            jumlah=Decimal(jumlah),
            tujuan=tujuan or "",
            tanggal_pengajuan=tanggal_pengajuan,
            tenor_bulan=tenor_bulan,
            status=STATUS.DIAJUKAN,
            diajukan_oleh=oleh,
        )
        try:
            with transaction.atomic():
                _simpan(bantuan, oleh)
        except IntegrityError:
            if Bantuan.objects.filter(klaster=klaster, nomor=bantuan.nomor).exists():
                continue  # number taken meanwhile: take the next one
            raise
        return bantuan
    raise ValidationError(_("Nomor bantuan sedang dipakai pengajuan lain; coba kirim ulang."))


@transaction.atomic
def bantuan_setujui(*, bantuan: Bantuan, oleh, tanggal: datetime.date | None = None) -> Bantuan:
    _cek_manajer(oleh, bantuan.klaster_id)
    versi.naikkan([bantuan.klaster_id], grup=versi.PINJAMAN)  # the first lock: klaster/versi.py
    bantuan = _kunci_baris(bantuan)
    tanggal = tanggal or _hari_ini()
    if bantuan.status != STATUS.DIAJUKAN:
        raise ValidationError(
            _("Hanya pengajuan berstatus Diajukan yang bisa disetujui; status sekarang %(s)s.")
            % {"s": bantuan.get_status_display()}
        )
    # maker-checker: the proposer does not approve (unless settings.EMPAT_MATA is off)
    pesan = aturan.periksa_empat_mata(diajukan_oleh_id=bantuan.diajukan_oleh_id, oleh_id=oleh.pk)
    if pesan:
        raise ValidationError(pesan)
    wajib_lolos(
        aturan.periksa_persetujuan(
            tanggal=tanggal, tanggal_pengajuan=bantuan.tanggal_pengajuan, hari_ini=_hari_ini()
        )
    )
    bantuan.status = STATUS.DISETUJUI
    bantuan.disetujui_oleh = oleh
    bantuan.tanggal_keputusan = tanggal
    _simpan(bantuan, oleh)
    return bantuan


@transaction.atomic
def bantuan_tolak(*, bantuan: Bantuan, oleh, alasan: str) -> Bantuan:
    _cek_manajer(oleh, bantuan.klaster_id)
    versi.naikkan([bantuan.klaster_id], grup=versi.PINJAMAN)  # the first lock: klaster/versi.py
    bantuan = _kunci_baris(bantuan)
    if bantuan.status not in (STATUS.DIAJUKAN, STATUS.DISETUJUI):
        raise ValidationError(
            _("Hanya pengajuan yang belum dicairkan yang bisa ditolak; status sekarang %(s)s.")
            % {"s": bantuan.get_status_display()}
        )
    if not (alasan or "").strip():
        raise ValidationError({"alasan": _("Tulis alasan penolakan.")})
    bantuan.status = STATUS.DITOLAK
    bantuan.alasan = alasan.strip()
    bantuan.tanggal_keputusan = _hari_ini()  # who decided is in the history
    _simpan(bantuan, oleh)
    return bantuan


@transaction.atomic
def bantuan_cairkan(*, bantuan: Bantuan, oleh, tanggal_cair: datetime.date) -> Bantuan:
    """Disburse. Revolving capital gets its schedule fixed now (equal monthly instalments)."""
    _cek_manajer(oleh, bantuan.klaster_id)
    versi.naikkan([bantuan.klaster_id], grup=versi.PINJAMAN)  # the first lock: klaster/versi.py
    bantuan = _kunci_baris(bantuan)
    if bantuan.status != STATUS.DISETUJUI:
        raise ValidationError(
            _("Bantuan harus disetujui dulu sebelum dicairkan; status sekarang %(s)s.")
            % {"s": bantuan.get_status_display()}
        )
    wajib_lolos(
        aturan.periksa_pencairan(
            tanggal_cair=tanggal_cair,
            tanggal_pengajuan=bantuan.tanggal_pengajuan,
            tanggal_keputusan=bantuan.tanggal_keputusan,
            hari_ini=_hari_ini(),
        )
    )
    if bantuan.sumber_dana.jenis == SumberDana.Jenis.DANA_BERGULIR:
        # re-lending repaid money: there must be that much repaid money in the fund,
        # both on the disbursement date and now (lock the fund so two disbursements queue)
        from bantuan.selectors import dana_bergulir

        SumberDana.objects.select_for_update().filter(pk=bantuan.sumber_dana_id).first()
        saldo = min(
            dana_bergulir(bantuan.klaster, per_tanggal=tanggal_cair)["saldo"],
            dana_bergulir(bantuan.klaster, per_tanggal=_hari_ini())["saldo"],
        )
        if bantuan.jumlah > saldo:
            raise ValidationError(
                _(
                    "Saldo dana bergulir hanya %(saldo)s, kurang untuk %(jumlah)s; "
                    "kurangi jumlah atau pilih sumber dana lain."
                )
                % {"saldo": format_rupiah(saldo), "jumlah": format_rupiah(bantuan.jumlah)}
            )
    bantuan.status = STATUS.DICAIRKAN
    bantuan.tanggal_cair = tanggal_cair
    _simpan(bantuan, oleh)
    if bantuan.jenis == Bantuan.Jenis.MODAL_BERGULIR:
        JadwalAngsuran.objects.bulk_create(
            JadwalAngsuran(
                bantuan=bantuan,
                ke=c.ke,
                jatuh_tempo=c.jatuh_tempo,
                jumlah=c.jumlah,
                kumulatif=c.kumulatif,
            )
            for c in hitung_jadwal(
                pokok=bantuan.jumlah, tenor_bulan=bantuan.tenor_bulan, tanggal_cair=tanggal_cair
            )
        )
    posisi.bantuan_dicairkan(bantuan)
    return bantuan


def _terbayar(bantuan_id: int) -> Decimal:
    return Angsuran.objects.filter(bantuan_id=bantuan_id).aggregate(s=Sum("jumlah"))["s"] or NOL


@transaction.atomic
def angsuran_catat(*, bantuan: Bantuan, jumlah: Decimal, tanggal: datetime.date, oleh) -> Angsuran:
    """Record a repayment. The loan row is locked so two facilitators cannot overpay."""
    return angsuran_catat_di_transaksi(bantuan=bantuan, jumlah=jumlah, tanggal=tanggal, oleh=oleh)


def angsuran_catat_di_transaksi(
    *, bantuan: Bantuan, jumlah: Decimal, tanggal: datetime.date, oleh
) -> Angsuran:
    """`angsuran_catat` for a caller that already holds a transaction (a visit that records
    several instalments: one refused instalment refuses the whole visit, so a savepoint per
    instalment would buy nothing)."""
    _cek_petugas(oleh, bantuan.klaster_id)
    versi.naikkan([bantuan.klaster_id], grup=versi.PINJAMAN)  # the first lock: klaster/versi.py
    bantuan = _kunci_baris(bantuan)
    pesan = aturan.periksa_bisa_diangsur(bantuan)
    if pesan:
        raise ValidationError(pesan)
    terbayar = _terbayar(bantuan.pk)
    sisa = bantuan.jumlah - terbayar
    wajib_lolos(
        aturan.periksa_angsuran(
            bantuan=bantuan, jumlah=jumlah, tanggal=tanggal, sisa=sisa, hari_ini=_hari_ini()
        )
    )
    jumlah = Decimal(jumlah)
    angsuran = Angsuran(bantuan=bantuan, tanggal=tanggal, jumlah=jumlah, dicatat_oleh=oleh)
    _simpan(angsuran, oleh)
    posisi.angsuran_tercatat(bantuan, angsuran)
    if jumlah == sisa:
        bantuan.status = STATUS.LUNAS
        bantuan.tanggal_lunas = max(
            tanggal, Angsuran.objects.filter(bantuan=bantuan).aggregate(t=Max("tanggal"))["t"]
        )
        _simpan(bantuan, oleh)
    return angsuran


@transaction.atomic
def angsuran_koreksi(
    *, angsuran: Angsuran, oleh, alasan: str, tanggal: datetime.date | None = None
) -> Angsuran:
    """Reverse a repayment with a negative entry and a reason (never an edit or a delete).

    The reversal is dated on the reversed entry's date unless another date is given, so a
    report for a past date is restated as if the mistaken entry never happened; when it was
    made is kept in `dibuat` and in the history.
    """
    _cek_petugas(oleh, angsuran.bantuan.klaster_id)
    # the first lock: klaster/versi.py
    versi.naikkan([angsuran.bantuan.klaster_id], grup=versi.PINJAMAN)
    bantuan = _kunci_baris(angsuran.bantuan)
    asli = Angsuran.objects.select_for_update().get(pk=angsuran.pk)
    if not akses.boleh_koreksi_angsuran(
        oleh, klaster=bantuan.klaster_id, dicatat_oleh_id=asli.dicatat_oleh_id
    ):
        raise PermissionDenied(
            _("Hanya manajer atau fasilitator yang mencatat angsuran ini yang boleh mengoreksinya.")
        )
    if asli.koreksi_dari_id is not None or asli.jumlah < 0:
        raise ValidationError(_("Entri ini sendiri adalah koreksi; koreksi tidak bisa dikoreksi."))
    if Angsuran.objects.filter(koreksi_dari=asli).exists():
        raise ValidationError(_("Angsuran ini sudah pernah dikoreksi."))
    if bantuan.status == STATUS.DIHAPUSBUKUKAN:
        raise ValidationError(_("Pinjaman sudah dihapusbukukan; angsurannya tidak bisa dikoreksi."))
    if not (alasan or "").strip():
        raise ValidationError({"alasan": _("Tulis alasan koreksi.")})
    tanggal = tanggal or asli.tanggal
    _cek_tanggal_bukan_masa_depan(tanggal, "tanggal")
    if tanggal < asli.tanggal:
        raise ValidationError(
            {
                "tanggal": _("Tanggal koreksi tidak boleh sebelum tanggal angsuran %(t)s.")
                % {"t": format_tanggal(asli.tanggal)}
            }
        )
    balik = Angsuran(
        bantuan=bantuan,
        tanggal=tanggal,
        jumlah=-asli.jumlah,
        dicatat_oleh=oleh,
        koreksi_dari=asli,
        alasan=alasan.strip(),
    )
    try:
        with transaction.atomic():
            _simpan(balik, oleh)
    except IntegrityError as exc:  # the one-to-one says it was reversed meanwhile
        raise ValidationError(_("Angsuran ini sudah pernah dikoreksi.")) from exc
    posisi.angsuran_tercatat(bantuan, balik)
    if bantuan.status == STATUS.LUNAS and _terbayar(bantuan.pk) < bantuan.jumlah:
        bantuan.status = STATUS.DICAIRKAN
        bantuan.tanggal_lunas = None
        _simpan(bantuan, oleh)
    return balik


@transaction.atomic
def bantuan_hapus_buku(
    *, bantuan: Bantuan, oleh, alasan: str, tanggal: datetime.date | None = None
) -> Bantuan:
    """Write off a revolving loan that will not be repaid.

    From `tanggal_hapus_buku` on, the loan leaves the outstanding portfolio, PAR30 and the
    kolektibilitas table and is shown on its own line (its remaining principal is the loss).
    The loan's kept position (bantuan/posisi.py) stays as it is: the selectors read the date.
    """
    _cek_manajer(oleh, bantuan.klaster_id)
    versi.naikkan([bantuan.klaster_id], grup=versi.PINJAMAN)  # the first lock: klaster/versi.py
    bantuan = _kunci_baris(bantuan)
    if bantuan.jenis != Bantuan.Jenis.MODAL_BERGULIR or bantuan.status != STATUS.DICAIRKAN:
        raise ValidationError(
            _(
                "Hanya modal bergulir yang sudah dicairkan dan belum lunas yang bisa "
                "dihapusbukukan; status sekarang %(s)s."
            )
            % {"s": bantuan.get_status_display()}
        )
    if not (alasan or "").strip():
        raise ValidationError({"alasan": _("Tulis alasan hapus buku.")})
    tanggal = tanggal or _hari_ini()
    _cek_tanggal_bukan_masa_depan(tanggal, "tanggal")
    terakhir = Angsuran.objects.filter(bantuan=bantuan).aggregate(t=Max("tanggal"))["t"]
    batas = max(bantuan.tanggal_cair, terakhir or bantuan.tanggal_cair)
    if tanggal < batas:
        raise ValidationError(
            {
                "tanggal": _(
                    "Tanggal hapus buku tidak boleh sebelum %(t)s (pencairan atau angsuran terakhir)."
                )
                % {"t": format_tanggal(batas)}
            }
        )
    bantuan.status = STATUS.DIHAPUSBUKUKAN
    bantuan.alasan = alasan.strip()
    bantuan.tanggal_hapus_buku = tanggal
    _simpan(bantuan, oleh)
    return bantuan

"""Writes of group savings. Keyword-only, transactional, the role checked in the entry's
klaster (klaster/akses.py), the rules of tabungan/aturan.py, and the klaster's version of the
figures bumped FIRST (klaster/versi.py): the impact report reads the savings.

Deposits are recorded by the fasilitator or the manajer (at a meeting: kunjungan.services
calls `setoran_rapat_di_transaksi` inside the visit's transaction); withdrawals and
corrections by the manajer only. Each entry carries a uuid: a second send of the same form
returns the first entry and writes nothing.
"""

import datetime
import uuid as uuid_lib
from collections.abc import Mapping
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from klaster import akses, versi
from klaster.aturan import wajib_lolos
from klaster.format import format_tanggal
from mitra.models import Mitra
from tabungan import aturan
from tabungan.models import TransaksiTabungan

JENIS = TransaksiTabungan.Jenis


def _hari_ini() -> datetime.date:
    return timezone.localdate()


def uuid_setoran_rapat(kunjungan_uuid, mitra_id: int) -> uuid_lib.UUID:
    """The uuid of a member's deposit at a meeting, derived from the visit's: the same
    visit sent twice names the same deposits."""
    return uuid_lib.uuid5(uuid_lib.UUID(str(kunjungan_uuid)), f"tabungan:{int(mitra_id)}")


def _yang_sama(uuid, oleh) -> TransaksiTabungan | None:
    ada = TransaksiTabungan.objects.filter(uuid=uuid).first()
    if ada is not None and ada.dicatat_oleh_id != oleh.pk:
        raise ValidationError(
            _("Formulir ini sudah dipakai orang lain; muat ulang halaman lalu isi lagi.")
        )
    return ada


def _kunci_mitra(mitra: Mitra) -> Mitra:
    # withdrawals and reversals of one member wait for each other: the balance they check
    # cannot change under them
    return Mitra.objects.select_for_update().get(pk=mitra.pk)


def _efek_per_tanggal(mitra_id: int) -> list[tuple[datetime.date, Decimal]]:
    return [
        (t, j if jenis == JENIS.SETORAN else -j)
        for t, j, jenis in TransaksiTabungan.objects.filter(mitra_id=mitra_id).values_list(
            "tanggal", "jumlah", "jenis"
        )
    ]


def _simpan(transaksi: TransaksiTabungan, oleh) -> TransaksiTabungan:
    transaksi._history_user = oleh
    transaksi.versi_dinaikkan = True  # bumped first by the caller: tabungan/sinyal.py
    transaksi.full_clean(exclude=["uuid"], validate_unique=False)
    transaksi.save()
    return transaksi


def _catat(*, oleh, mitra, jenis, tanggal, jumlah, uuid, catatan) -> TransaksiTabungan:
    uuid = uuid_lib.UUID(str(uuid)) if uuid else uuid_lib.uuid4()
    try:
        with transaction.atomic():
            return _catat_baru(
                oleh=oleh,
                mitra=mitra,
                jenis=jenis,
                tanggal=tanggal,
                jumlah=jumlah,
                uuid=uuid,
                catatan=catatan,
            )
    except (ValidationError, IntegrityError):
        ada = _yang_sama(uuid, oleh)  # a resend: the first one stands
        if ada is not None:
            return ada
        raise


def _catat_baru(*, oleh, mitra, jenis, tanggal, jumlah, uuid, catatan) -> TransaksiTabungan:
    if mitra.kelompok_id is None:
        raise ValidationError({"mitra": _("Anggota ini tidak masuk kelompok mana pun.")})
    versi.naikkan([mitra.klaster_id], grup=[versi.TABUNGAN])  # the first lock: klaster/versi.py
    mitra = _kunci_mitra(mitra)
    galat = {
        **aturan.periksa_jumlah(jumlah),
        **aturan.periksa_tanggal(tanggal, hari_ini=_hari_ini(), bergabung=mitra.tanggal_bergabung),
    }
    wajib_lolos(galat)
    jumlah = Decimal(jumlah)
    if jenis == JENIS.PENARIKAN:
        tersedia = aturan.saldo_terendah_sejak(_efek_per_tanggal(mitra.pk), tanggal)
        wajib_lolos(aturan.periksa_penarikan(jumlah, tersedia=tersedia))
    return _simpan(
        TransaksiTabungan(
            uuid=uuid,
            klaster_id=mitra.klaster_id,
            kelompok_id=mitra.kelompok_id,
            mitra=mitra,
            jenis=jenis,
            tanggal=tanggal,
            jumlah=jumlah,
            catatan=(catatan or "").strip(),
            dicatat_oleh=oleh,
        ),
        oleh,
    )


def setoran_catat(
    *, oleh, mitra: Mitra, tanggal: datetime.date, jumlah: Decimal, uuid=None, catatan: str = ""
) -> TransaksiTabungan:
    """A member's deposit outside a meeting (the member's page)."""
    akses.require_petugas_di(oleh, mitra.klaster_id)
    return _catat(
        oleh=oleh,
        mitra=mitra,
        jenis=JENIS.SETORAN,
        tanggal=tanggal,
        jumlah=jumlah,
        uuid=uuid,
        catatan=catatan,
    )


def penarikan_catat(
    *, oleh, mitra: Mitra, tanggal: datetime.date, jumlah: Decimal, uuid=None, catatan: str = ""
) -> TransaksiTabungan:
    """A member's withdrawal, recorded by the manajer: never more than the balance
    available on its date and after (the member's row is locked)."""
    if akses.peran_di(oleh, mitra.klaster_id) != akses.MANAJER:
        raise PermissionDenied(_("Hanya manajer program klaster ini yang mencatat penarikan."))
    return _catat(
        oleh=oleh,
        mitra=mitra,
        jenis=JENIS.PENARIKAN,
        tanggal=tanggal,
        jumlah=jumlah,
        uuid=uuid,
        catatan=catatan,
    )


def setoran_rapat_di_transaksi(
    *, oleh, kelompok, kunjungan_uuid, tanggal: datetime.date, setoran: Mapping[int, Decimal]
) -> list[TransaksiTabungan]:
    """The deposits collected at a meeting, for the caller's transaction (the visit's:
    kunjungan.services bumped the version and checked role, membership and date). The
    visit's unique uuid makes a resend stop before this; each deposit's uuid is derived
    from the visit's all the same. Two inserts whatever the number of deposits."""
    galat: dict[str, list[str]] = {}
    for mitra_id, jumlah in setoran.items():
        galat.update(aturan.periksa_jumlah(jumlah, field=f"tabungan_{mitra_id}"))
    wajib_lolos(galat)
    if not setoran:
        return []
    return bulk_create_with_history(
        [
            TransaksiTabungan(
                uuid=uuid_setoran_rapat(kunjungan_uuid, mitra_id),
                klaster_id=kelompok.klaster_id,
                kelompok_id=kelompok.pk,
                mitra_id=mitra_id,
                jenis=JENIS.SETORAN,
                tanggal=tanggal,
                jumlah=Decimal(jumlah),
                dicatat_oleh=oleh,
            )
            for mitra_id, jumlah in sorted(setoran.items())
        ],
        TransaksiTabungan,
        default_user=oleh,
    )


@transaction.atomic
def transaksi_koreksi(
    *, oleh, transaksi: TransaksiTabungan, alasan: str, tanggal: datetime.date | None = None
) -> TransaksiTabungan:
    """Reverse an entry with a negative one of the same kind and a reason (never an edit or
    a delete). Dated on the reversed entry's date unless another is given, so a balance as
    of a past date is restated as if the mistake never happened. A reversed deposit may not
    leave any later balance negative (the money was withdrawn since: correct that first)."""
    akses.require_manajer_di(oleh, transaksi.klaster_id)
    versi.naikkan([transaksi.klaster_id], grup=[versi.TABUNGAN])  # the first lock: klaster/versi.py
    _kunci_mitra(transaksi.mitra)
    asli = TransaksiTabungan.objects.select_for_update().get(pk=transaksi.pk)
    if asli.koreksi_dari_id is not None or asli.jumlah < 0:
        raise ValidationError(_("Entri ini sendiri adalah koreksi; koreksi tidak bisa dikoreksi."))
    if TransaksiTabungan.objects.filter(koreksi_dari=asli).exists():
        raise ValidationError(_("Entri ini sudah pernah dikoreksi."))
    alasan = (alasan or "").strip()
    if not alasan:
        raise ValidationError({"alasan": _("Tulis alasan koreksi.")})
    tanggal = tanggal or asli.tanggal
    wajib_lolos(aturan.periksa_tanggal(tanggal, hari_ini=_hari_ini()))
    if tanggal < asli.tanggal:
        raise ValidationError(
            {
                "tanggal": _("Tanggal koreksi tidak boleh sebelum tanggal entri %(t)s.")
                % {"t": format_tanggal(asli.tanggal)}
            }
        )
    if asli.jenis == JENIS.SETORAN:
        tersedia = aturan.saldo_terendah_sejak(_efek_per_tanggal(asli.mitra_id), tanggal)
        if asli.jumlah > tersedia:
            raise ValidationError(
                _(
                    "Setoran ini tidak bisa dibatalkan: saldonya sudah ditarik. "
                    "Koreksi dulu penarikan sesudahnya."
                )
            )
    balik = TransaksiTabungan(
        klaster_id=asli.klaster_id,
        kelompok_id=asli.kelompok_id,
        mitra_id=asli.mitra_id,
        jenis=asli.jenis,
        tanggal=tanggal,
        jumlah=-asli.jumlah,
        koreksi_dari=asli,
        alasan=alasan,
        dicatat_oleh=oleh,
    )
    try:
        with transaction.atomic():
            _simpan(balik, oleh)
    except IntegrityError as exc:  # the one-to-one says it was reversed meanwhile
        raise ValidationError(_("Entri ini sudah pernah dikoreksi.")) from exc
    return balik

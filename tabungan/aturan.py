"""The rules of group savings, as plain functions of the values and already-loaded
figures: the pages, the meeting screen, the admin and the services call the same ones."""

import datetime
from decimal import Decimal

from django.utils.translation import gettext as _

from klaster.aturan import Galat
from klaster.format import format_rupiah, format_tanggal

JUMLAH_MAKS = Decimal("100000000")  # Rp100 juta: a larger entry is a typing mistake


def periksa_jumlah(jumlah, *, field: str = "jumlah", nama: str = "") -> Galat:
    if jumlah is None or not Decimal(jumlah).is_finite() or jumlah <= 0:
        pesan = (
            _("Setoran %(nama)s harus lebih dari Rp0, atau kosongkan.") % {"nama": nama}
            if nama
            else _("Jumlah harus lebih dari Rp0.")
        )
        return {field: [pesan]}
    if jumlah > JUMLAH_MAKS:
        return {
            field: [
                _("Jumlah lebih dari %(maks)s; periksa angkanya.")
                % {"maks": format_rupiah(JUMLAH_MAKS)}
            ]
        }
    if Decimal(jumlah) != Decimal(jumlah).quantize(Decimal("0.01")):
        return {field: [_("Jumlah paling banyak dua angka di belakang koma.")]}
    return {}


def periksa_tanggal(
    tanggal: datetime.date | None,
    *,
    hari_ini: datetime.date,
    bergabung: datetime.date | None = None,
    field: str = "tanggal",
) -> Galat:
    if tanggal is None:
        return {field: [_("Isi tanggal.")]}
    if tanggal > hari_ini:
        return {field: [_("Tanggal tidak boleh setelah hari ini.")]}
    if bergabung is not None and tanggal < bergabung:
        return {
            field: [
                _("Tanggal sebelum anggota bergabung (%(t)s).") % {"t": format_tanggal(bergabung)}
            ]
        }
    return {}


def periksa_anggota(*, mitra_kelompok_id, kelompok_id, field: str = "mitra") -> Galat:
    if mitra_kelompok_id != kelompok_id:
        return {field: [_("Orang ini bukan anggota kelompok tersebut.")]}
    return {}


def saldo_terendah_sejak(entri, tanggal: datetime.date) -> Decimal:
    """The lowest balance from `tanggal` on, given (tanggal, effect on the balance) of
    every entry of one member: what a withdrawal (or a reversed deposit) dated `tanggal`
    may take without making any later balance negative."""
    entri = sorted(entri, key=lambda e: e[0])
    saldo = sum((d for t, d in entri if t <= tanggal), Decimal(0))
    terendah = saldo
    for t, d in entri:
        if t > tanggal:
            saldo += d
            terendah = min(terendah, saldo)
    return terendah


def periksa_penarikan(jumlah: Decimal, *, tersedia: Decimal, field: str = "jumlah") -> Galat:
    if jumlah > tersedia:
        return {
            field: [
                _("Penarikan melebihi saldo tabungan yang tersedia (%(saldo)s).")
                % {"saldo": format_rupiah(max(tersedia, Decimal(0)))}
            ]
        }
    return {}

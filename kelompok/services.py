"""Writes on Kelompok that carry business rules (role, scope, region, leader, cooperative,
kelompok.aturan)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kelompok import aturan
from kelompok.models import Kelompok, Lembaga
from klaster import akses, versi
from klaster.aturan import teks_satu_baris
from klaster.models import Klaster, Wilayah
from klaster.selectors import desa_klaster

FIELD_KELOMPOK = (
    "kode",
    "nama",
    "sektor",
    "desa",
    "tanggal_dibentuk",
    "ketua",
    "usaha_kelompok",
    "status",
    "lembaga",
)


def _periksa_aturan(kelompok: Kelompok, *, oleh) -> None:
    errors: dict[str, list[str]] = {}
    if not Klaster.objects.visible_to(oleh).filter(pk=kelompok.klaster_id).exists():
        errors["klaster"] = [_("Pilih klaster tempat Anda ditugaskan.")]
        raise ValidationError(errors)
    akses.require_petugas_di(oleh, kelompok.klaster_id)
    kelompok.kode = aturan.bersihkan_kode(kelompok.kode)
    kelompok.nama = aturan.bersihkan_nama(kelompok.nama)
    kelompok.usaha_kelompok = teks_satu_baris(kelompok.usaha_kelompok)
    errors.update(
        aturan.periksa_kelompok(
            kode=kelompok.kode,
            nama=kelompok.nama,
            tanggal_dibentuk=kelompok.tanggal_dibentuk,
            klaster=kelompok.klaster,
            hari_ini=timezone.localdate(),
        )
    )
    if "kode" not in errors and (
        Kelompok.objects.filter(klaster_id=kelompok.klaster_id, kode=kelompok.kode)
        .exclude(pk=kelompok.pk)
        .exists()
    ):
        errors["kode"] = [
            _("Kode %(kode)s sudah dipakai kelompok lain di klaster ini. Pilih kode lain.")
            % {"kode": kelompok.kode}
        ]
    if (
        kelompok.desa_id is not None
        and not desa_klaster(kelompok.klaster).filter(pk=kelompok.desa_id).exists()
    ):
        errors["desa"] = [
            _("Desa ini tidak berada di kecamatan klaster %(klaster)s. Pilih desa dari daftar.")
            % {"klaster": kelompok.klaster}
        ]
    if kelompok.lembaga_id is not None and kelompok.lembaga.klaster_id != kelompok.klaster_id:
        errors["lembaga"] = [_("Lembaga ini milik klaster lain. Pilih lembaga klaster ini.")]
    if kelompok.ketua_id is not None and (
        kelompok.pk is None or kelompok.ketua.kelompok_id != kelompok.pk
    ):
        errors["ketua"] = [
            _("Ketua harus anggota kelompok ini. Daftarkan dia sebagai anggota dahulu.")
        ]
    if errors:
        raise ValidationError(errors)


def _simpan(kelompok: Kelompok, *, oleh) -> Kelompok:
    versi.naikkan([kelompok.klaster_id])  # the first lock: klaster/versi.py
    kelompok._history_user = oleh
    kelompok.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            kelompok.save()
    except IntegrityError as exc:
        raise ValidationError(
            {"kode": _("Kode ini baru saja dipakai kelompok lain. Pilih kode lain.")}
        ) from exc
    return kelompok


@transaction.atomic
def kelompok_buat(
    *,
    oleh,
    klaster: Klaster,
    kode: str,
    nama: str,
    sektor: str,
    desa: Wilayah,
    tanggal_dibentuk: datetime.date,
    usaha_kelompok: str = "",
    status: str = Kelompok.Status.AKTIF,
    lembaga: Lembaga | None = None,
    ketua=None,
) -> Kelompok:
    """Form a kelompok. Its leader is chosen later, among its members."""
    kelompok = Kelompok(
        klaster=klaster,
        kode=kode,
        nama=nama,
        sektor=sektor,
        desa=desa,
        tanggal_dibentuk=tanggal_dibentuk,
        usaha_kelompok=usaha_kelompok,
        status=status,
        lembaga=lembaga,
        ketua=ketua,
    )
    _periksa_aturan(kelompok, oleh=oleh)
    return _simpan(kelompok, oleh=oleh)


@transaction.atomic
def kelompok_ubah(*, kelompok: Kelompok, oleh, **perubahan) -> Kelompok:
    tidak_dikenal = set(perubahan) - set(FIELD_KELOMPOK)
    if tidak_dikenal:
        raise TypeError(f"kelompok_ubah got unknown fields: {sorted(tidak_dikenal)}")
    versi.naikkan([kelompok.klaster_id])  # the first lock: klaster/versi.py
    kelompok = Kelompok.objects.select_for_update().get(pk=kelompok.pk)
    akses.require_petugas_di(oleh, kelompok.klaster_id)
    for nama_field, nilai in perubahan.items():
        setattr(kelompok, nama_field, nilai)
    _periksa_aturan(kelompok, oleh=oleh)
    return _simpan(kelompok, oleh=oleh)


def kelompok_periksa(*, kelompok: Kelompok, oleh) -> None:
    """Every check of kelompok_buat/kelompok_ubah on an unsaved instance, without writing:
    for a form that must show the errors before it saves (the admin)."""
    _periksa_aturan(kelompok, oleh=oleh)

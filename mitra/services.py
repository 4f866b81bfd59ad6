"""Writes on Mitra that carry business rules (role, NIK, scope, region, mitra.aturan)."""

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kelompok.models import Kelompok
from klaster import akses, versi
from klaster.aturan import periksa_tanggal, teks_satu_baris
from klaster.format import format_tanggal
from klaster.models import Klaster, Wilayah
from klaster.selectors import desa_klaster
from mitra import aturan
from mitra import nik as nik_rules
from mitra.models import Mitra, PengukuranPendapatan

# fields a caller may set through mitra_buat / mitra_ubah
FIELD_MITRA = (
    "nik",
    "nama",
    "jenis_kelamin",
    "tanggal_lahir",
    "telepon",
    "klaster",
    "kelompok",
    "desa",
    "alamat",
    "sektor",
    "jenis_usaha",
    "status",
    "tanggal_bergabung",
    "tanggal_keluar",
    "jumlah_anggota_keluarga",
)


class NikBedaDenganData(ValidationError):
    """Birth date or gender disagrees with the NIK: a warning the user must confirm."""

    def __init__(self, peringatan: list[str]):
        self.peringatan = peringatan
        super().__init__(
            peringatan
            + [
                _(
                    "Periksa kembali tanggal lahir dan jenis kelamin. Jika data sudah benar "
                    "(NIK tidak berubah walaupun tanggal lahir dikoreksi), centang konfirmasi "
                    "lalu simpan lagi."
                )
            ]
        )


def nik_terdaftar(*, nik: str, oleh, kecuali_pk=None) -> tuple[str, Mitra | None] | None:
    """None when no other mitra has this (normalised) NIK; otherwise the message to show and
    the other mitra when it is in the user's scope (None outside it: the message then says
    nothing about who or where). `kecuali_pk` (the record being edited) is left out only
    when the user can see it, so the answer never tells what NIK an unseen mitra has.
    One query when the NIK is free, two when it is taken."""
    lain = Mitra.objects.filter(nik=nik)
    if kecuali_pk is not None:
        lain = lain.exclude(
            pk__in=Mitra.objects.visible_to(oleh).filter(pk=kecuali_pk).values("pk")
        )
    if not lain.exists():
        return None
    terlihat = Mitra.objects.visible_to(oleh).filter(pk__in=lain.values("pk")).first()
    if terlihat is not None:
        return (
            _(
                "NIK ini sudah terdaftar atas nama %(nama)s. Buka data mitra itu untuk "
                "mengubahnya, atau periksa kembali NIK dari KTP."
            )
            % {"nama": terlihat.nama},
            terlihat,
        )
    return (
        _(
            "NIK ini sudah terdaftar di program. Periksa kembali NIK dari KTP; jika "
            "sudah benar, hubungi admin program."
        ),
        None,
    )


def _periksa_nik_unik(*, nik: str, oleh, kecuali_pk=None) -> None:
    terdaftar = nik_terdaftar(nik=nik, oleh=oleh, kecuali_pk=kecuali_pk)
    if terdaftar is not None:
        raise ValidationError({"nik": terdaftar[0]})


def _bersihkan(mitra: Mitra) -> None:
    """What every door stores: names and text without control characters, the phone as
    digits (mitra.aturan)."""
    mitra.nama = aturan.bersihkan_nama(mitra.nama)
    mitra.telepon = aturan.bersihkan_telepon(mitra.telepon)
    mitra.alamat = teks_satu_baris(mitra.alamat)
    mitra.jenis_usaha = teks_satu_baris(mitra.jenis_usaha)


def _periksa_aturan(mitra: Mitra, *, oleh, cek_kecocokan_nik: bool, konfirmasi_beda_nik: bool):
    errors: dict[str, list[str]] = {}

    hasil = nik_rules.periksa_nik(mitra.nik)
    mitra.nik = hasil.nik
    if not hasil.valid:
        errors["nik"] = hasil.galat

    if not Klaster.objects.visible_to(oleh).filter(pk=mitra.klaster_id).exists():
        errors.setdefault("klaster", []).append(_("Pilih klaster tempat Anda ditugaskan."))
        raise ValidationError(errors)
    akses.require_petugas_di(oleh, mitra.klaster_id)
    _bersihkan(mitra)
    for nama_field, pesan in aturan.periksa_mitra(
        nama=mitra.nama,
        tanggal_lahir=mitra.tanggal_lahir,
        tanggal_bergabung=mitra.tanggal_bergabung,
        tanggal_keluar=mitra.tanggal_keluar,
        status=mitra.status,
        telepon=mitra.telepon,
        jumlah_anggota_keluarga=mitra.jumlah_anggota_keluarga,
        klaster=mitra.klaster,
        hari_ini=timezone.localdate(),
    ).items():
        errors.setdefault(nama_field, []).extend(pesan)
    if mitra.kelompok_id is not None and mitra.kelompok.klaster_id != mitra.klaster_id:
        errors.setdefault("kelompok", []).append(
            _("Kelompok ini bukan bagian dari klaster %(klaster)s. Pilih kelompok lain.")
            % {"klaster": mitra.klaster}
        )
    if (
        mitra.desa_id is not None
        and not desa_klaster(mitra.klaster).filter(pk=mitra.desa_id).exists()
    ):
        errors.setdefault("desa", []).append(
            _("Desa ini tidak berada di kecamatan klaster %(klaster)s. Pilih desa dari daftar.")
            % {"klaster": mitra.klaster}
        )
    if errors:
        raise ValidationError(errors)

    _periksa_nik_unik(nik=mitra.nik, oleh=oleh, kecuali_pk=mitra.pk)

    if cek_kecocokan_nik and not konfirmasi_beda_nik:
        peringatan = nik_rules.beda_dengan_data(
            hasil, tanggal_lahir=mitra.tanggal_lahir, jenis_kelamin=mitra.jenis_kelamin
        )
        if peringatan:
            raise NikBedaDenganData(peringatan)


def _simpan(mitra: Mitra, *, oleh) -> Mitra:
    versi.naikkan([mitra.klaster_id])  # the first lock: klaster/versi.py
    mitra._history_user = oleh
    mitra.full_clean(validate_unique=False)
    try:
        with transaction.atomic():
            mitra.save()
    except IntegrityError as exc:
        # two people saving the same NIK at once: the unique index decides
        raise ValidationError(
            {"nik": _("NIK ini baru saja didaftarkan oleh orang lain. Periksa kembali NIK.")}
        ) from exc
    return mitra


@transaction.atomic
def mitra_buat(
    *,
    oleh,
    nik: str,
    nama: str,
    jenis_kelamin: str,
    tanggal_lahir: datetime.date,
    desa: Wilayah,
    sektor: str,
    tanggal_bergabung: datetime.date,
    klaster: Klaster | None = None,
    kelompok=None,
    telepon: str = "",
    alamat: str = "",
    jenis_usaha: str = "",
    status: str = Mitra.Status.AKTIF,
    tanggal_keluar: datetime.date | None = None,
    jumlah_anggota_keluarga: int = 1,
    konfirmasi_beda_nik: bool = False,
    pendapatan_awal: Decimal | None = None,
) -> Mitra:
    """Register a mitra. The klaster comes from the kelompok when one is given.

    `pendapatan_awal`, when given, is the member's monthly income at joining: it is kept as
    their baseline reading (PengukuranPendapatan jenis baseline, dated tanggal_bergabung) in
    the same transaction, so the impact report can count them from the start."""
    if kelompok is not None:
        klaster = kelompok.klaster
    if klaster is None:
        raise ValidationError({"klaster": _("Pilih kelompok atau klaster mitra ini.")})
    pesan_pendapatan = _periksa_pendapatan_awal(pendapatan_awal)
    mitra = Mitra(
        nik=nik,
        nama=nama,
        jenis_kelamin=jenis_kelamin,
        tanggal_lahir=tanggal_lahir,
        telepon=telepon,
        klaster=klaster,
        kelompok=kelompok,
        desa=desa,
        alamat=alamat,
        sektor=sektor,
        jenis_usaha=jenis_usaha,
        status=status,
        tanggal_bergabung=tanggal_bergabung,
        tanggal_keluar=tanggal_keluar,
        jumlah_anggota_keluarga=jumlah_anggota_keluarga,
    )
    try:
        _periksa_aturan(
            mitra, oleh=oleh, cek_kecocokan_nik=True, konfirmasi_beda_nik=konfirmasi_beda_nik
        )
    except NikBedaDenganData:
        if pesan_pendapatan:  # a bad figure first: the warning comes back after it is fixed
            raise ValidationError({"pendapatan_awal": pesan_pendapatan}) from None
        raise
    except ValidationError as e:
        if pesan_pendapatan and hasattr(e, "error_dict"):
            # every message at once: the record's and the income's
            raise ValidationError(
                {**e.message_dict, "pendapatan_awal": [pesan_pendapatan]}
            ) from None
        raise
    if pesan_pendapatan:
        raise ValidationError({"pendapatan_awal": pesan_pendapatan})
    mitra = _simpan(mitra, oleh=oleh)
    if pendapatan_awal is not None:
        # the reading's own rules (date, amount, one baseline) in the same transaction
        pengukuran_catat(
            oleh=oleh,
            mitra=mitra,
            tanggal=mitra.tanggal_bergabung,
            pendapatan_bulanan=pendapatan_awal,
            jenis=PengukuranPendapatan.Jenis.BASELINE,
        )
    return mitra


def _periksa_pendapatan_awal(nilai) -> str | None:
    """A message when a baseline income is given but is not a non-negative amount."""
    if nilai is None:
        return None
    try:
        angka = Decimal(str(nilai))
    except (InvalidOperation, ValueError):
        angka = Decimal("NaN")
    if not angka.is_finite() or angka < 0:
        return _(
            "Pendapatan bulanan awal tidak boleh di bawah nol; isi 0 atau lebih, atau "
            "kosongkan bila belum diukur."
        )
    return None


@transaction.atomic
def mitra_ubah(*, mitra: Mitra, oleh, konfirmasi_beda_nik: bool = False, **perubahan) -> Mitra:
    """Change a mitra. The NIK/birth-date warning is asked again only when one of the three
    fields it compares changes, so a record confirmed once is not nagged on every edit."""
    tidak_dikenal = set(perubahan) - set(FIELD_MITRA)
    if tidak_dikenal:
        raise TypeError(f"mitra_ubah got unknown fields: {sorted(tidak_dikenal)}")
    versi.naikkan([mitra.klaster_id])  # the first lock: klaster/versi.py
    mitra = Mitra.objects.select_for_update().get(pk=mitra.pk)
    akses.require_petugas_di(oleh, mitra.klaster_id)  # moving a mitra takes both klaster
    lama = (mitra.nik, mitra.tanggal_lahir, mitra.jenis_kelamin)
    kelompok_lama_id = mitra.kelompok_id
    if perubahan.get("kelompok") is not None:
        perubahan["klaster"] = perubahan["kelompok"].klaster
    if "nik" in perubahan:
        perubahan["nik"] = nik_rules.normalisasi_nik(perubahan["nik"])
    for nama_field, nilai in perubahan.items():
        setattr(mitra, nama_field, nilai)
    baru = (mitra.nik, mitra.tanggal_lahir, mitra.jenis_kelamin)
    _periksa_aturan(
        mitra,
        oleh=oleh,
        cek_kecocokan_nik=baru != lama,
        konfirmasi_beda_nik=konfirmasi_beda_nik,
    )
    if kelompok_lama_id is not None and mitra.kelompok_id != kelompok_lama_id:
        # a leader who leaves the group no longer leads it
        for kelompok in Kelompok.objects.filter(pk=kelompok_lama_id, ketua=mitra):
            kelompok.ketua = None
            kelompok._history_user = oleh
            kelompok.save(update_fields=["ketua"])
    return _simpan(mitra, oleh=oleh)


def mitra_periksa(*, mitra: Mitra, oleh) -> None:
    """Every check of mitra_buat/mitra_ubah on an unsaved instance, without writing: for a
    form that must show the errors before it saves (the admin). The NIK/birth-date warning
    is left to the staff member's judgement there."""
    _periksa_aturan(mitra, oleh=oleh, cek_kecocokan_nik=False, konfirmasi_beda_nik=True)


@transaction.atomic
def pengukuran_catat(
    *,
    oleh,
    mitra: Mitra,
    tanggal: datetime.date,
    pendapatan_bulanan,
    jenis: str,
) -> PengukuranPendapatan:
    """Record one income reading of a mitra outside a visit (the API; a reading taken at a
    meeting goes through kunjungan.services.kunjungan_catat). A mitra has one baseline: a
    second one is refused with the date of the first."""
    akses.require_petugas_di(oleh, mitra.klaster_id)
    # first, before any row lock: the klaster's income figures change with this reading
    versi.naikkan([mitra.klaster_id], grup=[versi.PENDAPATAN])
    # the mitra's row lock: two baselines sent at once cannot both pass the check below
    mitra = Mitra.objects.select_for_update().get(pk=mitra.pk)
    errors: dict[str, list[str]] = {}
    pesan = periksa_tanggal(tanggal, label=_("Tanggal pengukuran"), hari_ini=timezone.localdate())
    if pesan:
        errors["tanggal"] = [pesan]
    try:
        nilai = Decimal(str(pendapatan_bulanan))
    except (InvalidOperation, ValueError):
        nilai = Decimal("NaN")
    if not nilai.is_finite() or nilai < 0:
        errors["pendapatan_bulanan"] = [
            _("Pendapatan %(nama)s tidak boleh di bawah nol; isi 0 atau lebih.")
            % {"nama": mitra.nama}
        ]
    if jenis not in PengukuranPendapatan.Jenis.values:
        errors["jenis"] = [_("Pilih jenis pengukuran: baseline, monitoring atau endline.")]
    elif jenis == PengukuranPendapatan.Jenis.BASELINE:
        ada = PengukuranPendapatan.objects.filter(mitra=mitra, jenis=jenis).first()
        if ada is not None:
            errors["jenis"] = [
                _(
                    "%(nama)s sudah punya pengukuran baseline (%(tanggal)s). Catat pengukuran "
                    "ini sebagai monitoring atau endline."
                )
                % {"nama": mitra.nama, "tanggal": format_tanggal(ada.tanggal)}
            ]
    if errors:
        raise ValidationError(errors)
    pengukuran = PengukuranPendapatan(
        mitra=mitra, tanggal=tanggal, pendapatan_bulanan=nilai, jenis=jenis, dicatat_oleh=oleh
    )
    pengukuran._history_user = oleh
    pengukuran.full_clean(validate_constraints=False)
    pengukuran.save()
    return pengukuran

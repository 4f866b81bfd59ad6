"""Writes with business rules on field visits (kunjungan).

`kunjungan_catat` records a whole group meeting in one transaction — the visit, who attended,
income readings and instalments collected — and is idempotent by the client-made uuid, so a
form sent twice (a retry on a bad connection, an offline queue flushed twice) makes one visit.
"""

import datetime
import io
import uuid as uuid_lib
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Count, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError
from simple_history.utils import bulk_create_with_history

from bantuan.services import angsuran_catat_di_transaksi
from klaster import akses, versi
from kunjungan import aturan
from kunjungan.models import Kunjungan, KunjunganAngsuran, KunjunganPengukuran, KunjunganTabungan
from kunjungan.selectors import (
    anggota_kelompok,
    anggota_pada,
    pinjaman_aktif_per_mitra,
    q_anggota_pada,
)
from mitra.models import Mitra, PengukuranPendapatan
from tabungan import aturan as tabungan_aturan
from tabungan.services import setoran_rapat_di_transaksi

# A phone photo is scaled down to this many pixels on its long side.
FOTO_SISI_MAKS = 1600
FOTO_KUALITAS_JPEG = 82
EXIF_GPS_IFD = 0x8825


def _hari_ini() -> datetime.date:
    return timezone.localdate()


def foto_proses(berkas, *, simpan_lokasi: bool = False) -> ContentFile:
    """A visit photo re-encoded as JPEG: upright (EXIF orientation applied), at most
    1600 px on its long side, and with the EXIF GPS location removed unless the user
    chose to keep it."""
    try:
        berkas.seek(0)
        gambar = Image.open(berkas)
        gambar.draft("RGB", (FOTO_SISI_MAKS, FOTO_SISI_MAKS))  # fast JPEG downscale on load
        gambar = ImageOps.exif_transpose(gambar)  # the orientation tag is dropped here
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as exc:
        raise ValidationError(
            {"foto": _("Berkas foto tidak bisa dibaca; kirim foto JPEG atau PNG lain.")}
        ) from exc
    exif = gambar.getexif()
    if not simpan_lokasi:
        exif.pop(EXIF_GPS_IFD, None)
    if gambar.mode != "RGB":
        gambar = gambar.convert("RGB")
    gambar.thumbnail((FOTO_SISI_MAKS, FOTO_SISI_MAKS), Image.Resampling.LANCZOS)
    keluaran = io.BytesIO()
    gambar.save(keluaran, "JPEG", quality=FOTO_KUALITAS_JPEG, optimize=True, exif=exif.tobytes())
    return ContentFile(keluaran.getvalue(), name=f"{uuid_lib.uuid4().hex}.jpg")


def _desimal(nilai) -> Decimal | None:
    if nilai is None or nilai == "":
        return None
    try:
        return Decimal(nilai)
    except (InvalidOperation, TypeError, ValueError):
        return Decimal("NaN")


def kunjungan_catat(
    *,
    oleh,
    uuid,
    kelompok,
    tanggal: datetime.date,
    jenis_kegiatan: str,
    hadir: Iterable = (),
    ringkasan: str = "",
    kendala: str = "",
    tindak_lanjut: str = "",
    pendapatan: Mapping[int, Decimal] | None = None,
    angsuran: Mapping[int, Decimal] | None = None,
    tabungan: Mapping[int, Decimal] | None = None,
    foto=None,
    simpan_lokasi_foto: bool = False,
    lokasi_lat: Decimal | None = None,
    lokasi_lon: Decimal | None = None,
    anggota: Iterable | None = None,
) -> Kunjungan:
    """Record a group meeting: the visit, attendance, income readings (jenis monitoring) and
    instalments collected, all or nothing.

    `hadir` are Mitra (or their ids); `pendapatan` and `angsuran` map a member's id to an
    amount. An instalment goes to the member's active revolving loan through
    `bantuan.services.angsuran_catat`, so every rule of repayment holds. `tabungan` maps a
    present member's id to a savings deposit (tabungan.services), recorded with the visit
    and linked to it (KunjunganTabungan). Errors are raised
    as a `ValidationError` keyed by form field (`hadir`, `pendapatan_<id>`,
    `angsuran_<id>`, ...), naming the member.

    `anggota` is the kelompok's roster (Mitra, members who have not left) when the caller
    has read it already — the meeting screen has, to build its form; otherwise it is read
    here.

    Idempotent by `uuid`: when this user already recorded a visit with it, that visit is
    returned and nothing is written. The uuid is not looked up first: the visit's row is
    the first write, so a resend stops at the unique uuid (and rolls back), and a resend
    refused by the rules (a loan since repaid) finds the visit before the error is raised.
    The normal path pays no query for it.
    """
    if akses.peran_di(oleh, kelompok.klaster_id) is None:
        raise PermissionDenied(
            _("Hanya fasilitator atau manajer program klaster ini yang mencatat kunjungan.")
        )
    uuid = uuid_lib.UUID(str(uuid))
    try:
        return _catat(
            oleh=oleh,
            uuid=uuid,
            kelompok=kelompok,
            tanggal=tanggal,
            jenis_kegiatan=jenis_kegiatan,
            hadir=hadir,
            ringkasan=ringkasan,
            kendala=kendala,
            tindak_lanjut=tindak_lanjut,
            pendapatan=pendapatan,
            angsuran=angsuran,
            tabungan=tabungan,
            foto=foto,
            simpan_lokasi_foto=simpan_lokasi_foto,
            lokasi_lat=lokasi_lat,
            lokasi_lon=lokasi_lon,
            anggota=anggota,
        )
    except (ValidationError, IntegrityError):
        # the same form sent again (or twice at once: the other request saved it first)
        ada = _kunjungan_sama(uuid, oleh)
        if ada is not None:
            return ada
        raise


def _catat(
    *,
    oleh,
    uuid,
    kelompok,
    tanggal,
    jenis_kegiatan,
    hadir,
    ringkasan,
    kendala,
    tindak_lanjut,
    pendapatan,
    angsuran,
    tabungan,
    foto,
    simpan_lokasi_foto,
    lokasi_lat,
    lokasi_lon,
    anggota,
) -> Kunjungan:

    pendapatan = {int(k): _desimal(v) for k, v in (pendapatan or {}).items()}
    angsuran = {int(k): _desimal(v) for k, v in (angsuran or {}).items()}
    pendapatan = {k: v for k, v in pendapatan.items() if v is not None}
    angsuran = {k: v for k, v in angsuran.items() if v is not None}
    tabungan = {int(k): _desimal(v) for k, v in (tabungan or {}).items()}
    tabungan = {k: v for k, v in tabungan.items() if v is not None}
    hadir_ids = {getattr(m, "pk", m) for m in hadir}
    hadir_ids = {int(pk) for pk in hadir_ids}

    if anggota is None:
        anggota = anggota_kelompok(kelompok)
    anggota = {m.pk: m for m in anggota}
    galat: dict[str, list[str]] = {}

    def tambah(field, pesan):
        galat.setdefault(field, []).append(pesan)

    ringkasan, kendala, tindak_lanjut = (
        aturan.bersihkan_catatan(t) for t in (ringkasan, kendala, tindak_lanjut)
    )
    for nama_field, daftar in aturan.periksa_kunjungan(
        tanggal=tanggal,
        klaster=kelompok.klaster,
        hari_ini=_hari_ini(),
        ringkasan=ringkasan,
        kendala=kendala,
        tindak_lanjut=tindak_lanjut,
    ).items():
        for pesan in daftar:
            tambah(nama_field, pesan)
    if jenis_kegiatan not in Kunjungan.JenisKegiatan.values:
        tambah("jenis_kegiatan", _("Pilih jenis kegiatan dari daftar."))
    asing = hadir_ids - anggota.keys()
    if asing:
        tambah(
            "hadir",
            _(
                "%(n)d orang yang ditandai hadir bukan anggota kelompok %(kelompok)s; "
                "muat ulang halaman lalu tandai lagi."
            )
            % {"n": len(asing), "kelompok": kelompok},
        )
    for mitra_id, nilai in pendapatan.items():
        mitra = anggota.get(mitra_id)
        if mitra is None:
            tambah("hadir", _("Pengukuran pendapatan untuk orang yang bukan anggota kelompok."))
        elif not nilai.is_finite() or nilai < 0:
            tambah(
                f"pendapatan_{mitra_id}",
                _("Pendapatan %(nama)s tidak boleh di bawah nol; isi 0 atau lebih.")
                % {"nama": mitra.nama},
            )
    # as of the visit's date, which may be before today's: not the loans the form showed
    # (read only for a date the rules accept: the instalments wait for a valid date)
    tanggal_sah = "tanggal" not in galat
    pinjaman = (
        pinjaman_aktif_per_mitra([pk for pk in angsuran if pk in anggota], per_tanggal=tanggal)
        if angsuran and tanggal_sah
        else {}
    )
    for mitra_id, nilai in angsuran.items() if tanggal_sah else ():
        mitra = anggota.get(mitra_id)
        if mitra is None:
            tambah("hadir", _("Angsuran untuk orang yang bukan anggota kelompok."))
        elif mitra_id not in pinjaman:
            tambah(
                f"angsuran_{mitra_id}",
                _("%(nama)s tidak punya pinjaman modal bergulir yang aktif; kosongkan angsuran.")
                % {"nama": mitra.nama},
            )
        elif not nilai.is_finite() or nilai <= 0:
            tambah(
                f"angsuran_{mitra_id}",
                _("Angsuran %(nama)s harus lebih dari Rp0, atau kosongkan.") % {"nama": mitra.nama},
            )
    for mitra_id, nilai in tabungan.items():
        mitra = anggota.get(mitra_id)
        if mitra is None:
            tambah("hadir", _("Setoran tabungan untuk orang yang bukan anggota kelompok."))
        elif mitra_id not in hadir_ids:
            tambah(
                f"tabungan_{mitra_id}",
                _("%(nama)s tidak ditandai hadir; tandai hadir atau kosongkan setoran.")
                % {"nama": mitra.nama},
            )
        else:
            for pesan in tabungan_aturan.periksa_jumlah(nilai, nama=mitra.nama).get("jumlah", []):
                tambah(f"tabungan_{mitra_id}", pesan)
    if lokasi_lat is not None and not -90 <= lokasi_lat <= 90:
        tambah("lokasi_lat", _("Lintang lokasi di luar -90..90; ambil lokasi lagi."))
    if lokasi_lon is not None and not -180 <= lokasi_lon <= 180:
        tambah("lokasi_lon", _("Bujur lokasi di luar -180..180; ambil lokasi lagi."))
    if (lokasi_lat is None) != (lokasi_lon is None):
        tambah("lokasi_lat", _("Lokasi tidak lengkap; ambil lokasi lagi atau kosongkan."))
    foto_berkas = foto_proses(foto, simpan_lokasi=simpan_lokasi_foto) if foto else None
    if galat:
        raise ValidationError(galat)

    try:
        with transaction.atomic():
            return _simpan(
                oleh=oleh,
                uuid=uuid,
                kelompok=kelompok,
                tanggal=tanggal,
                jenis_kegiatan=jenis_kegiatan,
                hadir_ids=hadir_ids,
                ringkasan=ringkasan,
                kendala=kendala,
                tindak_lanjut=tindak_lanjut,
                pendapatan=pendapatan,
                angsuran=angsuran,
                tabungan=tabungan,
                anggota=anggota,
                pinjaman=pinjaman,
                foto_berkas=foto_berkas,
                lokasi_lat=lokasi_lat,
                lokasi_lon=lokasi_lon,
            )
    except Exception:
        _hapus_foto(foto_berkas)  # nothing was saved: no orphan file either
        raise


def _hapus_foto(foto_berkas) -> None:
    nama = getattr(foto_berkas, "tersimpan", None)
    if nama:
        Kunjungan._meta.get_field("foto").storage.delete(nama)


def _kunjungan_sama(uuid, oleh) -> Kunjungan | None:
    ada = Kunjungan.objects.filter(uuid=uuid).first()
    if ada is None:
        return None
    if ada.fasilitator_id != oleh.pk:
        raise ValidationError(
            _("Formulir ini sudah dipakai orang lain; muat ulang halaman lalu isi lagi.")
        )
    return ada


def _simpan(
    *,
    oleh,
    uuid,
    kelompok,
    tanggal,
    jenis_kegiatan,
    hadir_ids,
    ringkasan,
    kendala,
    tindak_lanjut,
    pendapatan,
    angsuran,
    tabungan,
    anggota,
    pinjaman,
    foto_berkas,
    lokasi_lat,
    lokasi_lon,
) -> Kunjungan:
    # first, before any row lock: the klaster's figures change with this visit (klaster/versi.py):
    # its visits, and the readings, instalments and savings the meeting recorded
    versi.naikkan(
        [kelompok.klaster_id],
        grup=[
            versi.KEGIATAN,
            *([versi.PENDAPATAN] if pendapatan else []),
            *(versi.PINJAMAN if angsuran else []),
            *([versi.TABUNGAN] if tabungan else []),
        ],
    )
    # attendance as it stands at the visit's date, kept on the visit (one query)
    anggota_saat = anggota_pada(kelompok, tanggal)
    kunjungan = Kunjungan(
        uuid=uuid,
        fasilitator=oleh,
        klaster_id=kelompok.klaster_id,
        kelompok=kelompok,
        tanggal=tanggal,
        jenis_kegiatan=jenis_kegiatan,
        ringkasan=(ringkasan or "").strip(),
        kendala=(kendala or "").strip(),
        tindak_lanjut=(tindak_lanjut or "").strip(),
        lokasi_lat=lokasi_lat,
        lokasi_lon=lokasi_lon,
        jumlah_hadir=len(hadir_ids),
        jumlah_hadir_anggota=len(hadir_ids & anggota_saat),
        jumlah_anggota=len(anggota_saat),
    )
    if foto_berkas is not None:
        kunjungan.foto.save(foto_berkas.name, foto_berkas, save=False)
        foto_berkas.tersimpan = kunjungan.foto.name
    # The visit, its attendance and their history in four inserts. Saved as usual,
    # simple-history would write the visit's history row, read the (empty) attendance,
    # then on hadir.add() check for existing rows and write a second history row and
    # read the attendance back. Here: one history row ("+"), with the attendance it was
    # created with, as the history pages expect.
    kunjungan.skip_history_when_saving = True
    kunjungan.versi_dinaikkan = True  # above, first: laporan.sinyal need not bump again
    try:
        kunjungan.save()
    finally:
        del kunjungan.skip_history_when_saving
    Hadir = Kunjungan.hadir.through
    hadir_rows = Hadir.objects.bulk_create(
        [Hadir(kunjungan=kunjungan, mitra_id=pk) for pk in sorted(hadir_ids)]
    )
    _riwayat_kunjungan_baru(kunjungan, hadir_rows, oleh=oleh)
    if pendapatan:
        bacaan = bulk_create_with_history(
            [
                PengukuranPendapatan(
                    mitra_id=mitra_id,
                    tanggal=tanggal,
                    pendapatan_bulanan=nilai,
                    jenis=PengukuranPendapatan.Jenis.MONITORING,
                    dicatat_oleh=oleh,
                )
                for mitra_id, nilai in sorted(pendapatan.items())
            ],
            PengukuranPendapatan,
            default_user=oleh,
        )
        KunjunganPengukuran.objects.bulk_create(
            [KunjunganPengukuran(kunjungan=kunjungan, pengukuran=p) for p in bacaan]
        )
    tercatat = []
    for mitra_id, nilai in sorted(angsuran.items()):
        bantuan = pinjaman[mitra_id]
        try:
            tercatat.append(
                angsuran_catat_di_transaksi(
                    bantuan=bantuan, jumlah=nilai, tanggal=tanggal, oleh=oleh
                )
            )
        except ValidationError as exc:
            # one refused instalment refuses the whole meeting: the error names the row
            raise ValidationError(
                {
                    f"angsuran_{mitra_id}": [
                        _("Angsuran %(nama)s (%(nomor)s) ditolak: %(pesan)s")
                        % {"nama": anggota[mitra_id].nama, "nomor": bantuan.nomor, "pesan": p}
                        for p in exc.messages
                    ]
                }
            ) from exc
    if tercatat:
        KunjunganAngsuran.objects.bulk_create(
            [KunjunganAngsuran(kunjungan=kunjungan, angsuran=a) for a in tercatat]
        )
    if tabungan:
        setoran = setoran_rapat_di_transaksi(
            oleh=oleh, kelompok=kelompok, kunjungan_uuid=uuid, tanggal=tanggal, setoran=tabungan
        )
        KunjunganTabungan.objects.bulk_create(
            [KunjunganTabungan(kunjungan=kunjungan, transaksi=t) for t in setoran]
        )
    return kunjungan


def _riwayat_kunjungan_baru(kunjungan: Kunjungan, hadir_rows, *, oleh) -> None:
    """The history of a new visit: its row and the attendance rows under it, as
    HistoricalRecords.create_historical_record writes them, without reading back the
    attendance just inserted."""
    # SQLite and PostgreSQL return the ids of a bulk insert, which the rows below need
    (riwayat,) = Kunjungan.history.bulk_history_create([kunjungan], default_user=oleh)
    RiwayatHadir = apps.get_model("kunjungan", "HistoricalKunjungan_hadir")
    if hadir_rows:
        RiwayatHadir.objects.bulk_create(
            [
                RiwayatHadir(
                    history=riwayat, id=h.pk, kunjungan_id=kunjungan.pk, mitra_id=h.mitra_id
                )
                for h in hadir_rows
            ]
        )


@transaction.atomic
def kunjungan_tindak_lanjut_selesai(*, kunjungan: Kunjungan, oleh) -> Kunjungan:
    """Close a visit's follow-up (one tap). Closing it twice is harmless."""
    if akses.peran_di(oleh, kunjungan.klaster_id) is None:
        raise PermissionDenied(
            _("Hanya fasilitator atau manajer program klaster ini yang menutup tindak lanjut.")
        )
    # first, before the row lock (klaster/versi.py)
    versi.naikkan([kunjungan.klaster_id], grup=[versi.KEGIATAN])
    kunjungan = Kunjungan.objects.select_for_update().get(pk=kunjungan.pk)
    if not kunjungan.tindak_lanjut.strip():
        raise ValidationError(_("Kunjungan ini tidak punya tindak lanjut untuk diselesaikan."))
    if kunjungan.tindak_lanjut_selesai:
        return kunjungan
    kunjungan.tindak_lanjut_selesai = True
    kunjungan.tindak_lanjut_selesai_pada = _hari_ini()
    kunjungan._history_user = oleh
    kunjungan.save(update_fields=["tindak_lanjut_selesai", "tindak_lanjut_selesai_pada"])
    return kunjungan


def kunjungan_hitung_kehadiran(*, kunjungan_ids) -> None:
    """Recount the kept attendance of these visits from their attendance rows and the
    members' dates (Kunjungan.jumlah_hadir, jumlah_hadir_anggota, jumlah_anggota), as
    kunjungan_catat writes them: after the admin edits a visit's attendance, date or
    kelompok. One UPDATE, whatever the number of visits."""
    Hadir = Kunjungan.hadir.through

    def jumlah(qs, kolom):
        return Coalesce(
            Subquery(qs.order_by().values(kolom).annotate(n=Count("pk")).values("n")), Value(0)
        )

    hadir = Hadir.objects.filter(kunjungan=OuterRef("pk"))
    Kunjungan.objects.filter(pk__in=list(kunjungan_ids)).update(
        jumlah_hadir=jumlah(hadir, "kunjungan"),
        jumlah_hadir_anggota=jumlah(
            hadir.filter(
                q_anggota_pada(OuterRef("tanggal"), "mitra__"),
                mitra__kelompok_id=OuterRef("kelompok_id"),
            ),
            "kunjungan",
        ),
        jumlah_anggota=jumlah(
            Mitra.objects.filter(
                q_anggota_pada(OuterRef("tanggal")), kelompok_id=OuterRef("kelompok_id")
            ),
            "kelompok_id",
        ),
    )

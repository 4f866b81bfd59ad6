"""Writes of the kelembagaan app, each in one transaction with the rules of aturan.py
checked under the row lock.

- tonggak_catat: a lembaga's milestone. The legal approval is also kept on the lembaga
  (Lembaga.nomor_badan_hukum and tanggal_pengesahan, which the impact report counts
  cooperatives by), in the same transaction, after the klaster's figures' version is bumped.
- dokumen_unggah: a document's content is checked (a PDF's header, an image opened by
  Pillow) before it is stored under a random name.
- tahap_pindah: the klaster's stage moves one step, with the checklist as computed on the
  decision's date kept on the record.
- naskah_simpan: the exit report's narrative for a klaster and period.
"""

from __future__ import annotations

import datetime
import io
import uuid
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from kelembagaan import aturan, selectors
from kelembagaan.models import DokumenLembaga, NaskahLaporanAkhir, RiwayatTahap, TonggakLembaga
from kelompok.models import Lembaga
from klaster import versi
from klaster.aturan import teks_catatan, wajib_lolos
from klaster.models import Klaster

J = TonggakLembaga.Jenis


def _hari_ini() -> datetime.date:
    return timezone.localdate()


def _kunci_baris(model, pk):
    return model.objects.select_for_update().get(pk=pk)


@transaction.atomic
def tonggak_catat(
    *,
    lembaga: Lembaga,
    jenis: str,
    tanggal: datetime.date | None,
    oleh,
    nomor: str = "",
    tahun_buku: int | None = None,
    jumlah_anggota: int | None = None,
    simpanan_pokok: Decimal | None = None,
    simpanan_wajib: Decimal | None = None,
    keterangan: str = "",
) -> TonggakLembaga:
    data = aturan.bersihkan_tonggak({"nomor": nomor, "keterangan": keterangan})
    # the figures' version first, then the lembaga row: the order every writer takes
    versi.naikkan(klaster_ids=[lembaga.klaster_id])
    lembaga = _kunci_baris(Lembaga, lembaga.pk)
    ada, rat = selectors.tercatat(lembaga)
    wajib_lolos(
        aturan.periksa_tonggak(
            jenis=jenis,
            tanggal=tanggal,
            nomor=data["nomor"],
            tahun_buku=tahun_buku,
            jumlah_anggota=jumlah_anggota,
            simpanan_pokok=simpanan_pokok,
            simpanan_wajib=simpanan_wajib,
            keterangan=data["keterangan"],
            bentuk=lembaga.bentuk,
            tercatat=ada,
            rat_tercatat=rat,
            hari_ini=_hari_ini(),
        )
    )
    tonggak = TonggakLembaga.objects.create(
        lembaga=lembaga,
        jenis=jenis,
        tanggal=tanggal,
        nomor=data["nomor"],
        tahun_buku=tahun_buku,
        jumlah_anggota=jumlah_anggota,
        simpanan_pokok=simpanan_pokok,
        simpanan_wajib=simpanan_wajib,
        keterangan=data["keterangan"],
        dicatat_oleh=oleh,
    )
    if jenis == J.PENGESAHAN:
        # kept on the lembaga: the impact report counts cooperatives by this date
        lembaga.nomor_badan_hukum = data["nomor"]
        lembaga.tanggal_pengesahan = tanggal
        lembaga.save(update_fields=["nomor_badan_hukum", "tanggal_pengesahan"])
    return tonggak


def _jenis_isi(isi: bytes, ext: str) -> str:
    """The content type the bytes really are, or a ValidationError."""
    if ext == "pdf":
        # every PDF starts with its header (ISO 32000-1 §7.5.2), give or take leading junk
        # some writers put before it within the first 1024 bytes
        if b"%PDF-" not in isi[:1024]:
            raise ValidationError({"berkas": _("Berkas ini bukan PDF yang utuh; unggah PDF "
                                               "hasil pindai atau foto JPEG/PNG.")})  # fmt: skip
        return "application/pdf"
    try:
        with Image.open(io.BytesIO(isi)) as gambar:
            format_ = gambar.format
            gambar.verify()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, SyntaxError) as exc:
        raise ValidationError(
            {"berkas": _("Gambar tidak bisa dibaca; unggah foto JPEG atau PNG lain.")}
        ) from exc
    if format_ not in {"JPEG", "PNG"}:
        raise ValidationError({"berkas": _("Unggah gambar JPEG atau PNG.")})
    return "image/jpeg" if format_ == "JPEG" else "image/png"


def dokumen_unggah(
    *, lembaga: Lembaga, berkas, oleh, tonggak: TonggakLembaga | None = None
) -> DokumenLembaga:
    """Store an uploaded document of a lembaga (optionally of one of its milestones)."""
    nama = aturan.nama_berkas_aman(getattr(berkas, "name", "") or "")
    ukuran = getattr(berkas, "size", None)
    if ukuran is None:
        ukuran = len(berkas.read())
        berkas.seek(0)
    wajib_lolos(aturan.periksa_dokumen(nama=nama, ukuran=ukuran))
    if tonggak is not None and tonggak.lembaga_id != lembaga.pk:
        raise ValidationError({"tonggak": _("Pilih tonggak lembaga ini.")})
    berkas.seek(0)
    isi = berkas.read()
    ext = aturan.ekstensi(nama)
    jenis_isi = _jenis_isi(isi, ext)
    ext = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}[jenis_isi]
    dokumen = DokumenLembaga(
        lembaga=lembaga,
        tonggak=tonggak,
        nama_asli=nama,
        jenis_isi=jenis_isi,
        ukuran=len(isi),
        diunggah_oleh=oleh,
    )
    dokumen.berkas.save(f"{uuid.uuid4().hex}.{ext}", ContentFile(isi), save=False)
    try:
        with transaction.atomic():
            dokumen.save()
    except Exception:
        dokumen.berkas.storage.delete(dokumen.berkas.name)  # no orphan file
        raise
    return dokumen


@transaction.atomic
def tahap_pindah(
    *, klaster: Klaster, ke: str, tanggal: datetime.date | None, oleh, catatan: str = ""
) -> RiwayatTahap:
    """Move the klaster to its next stage. The checklist is computed as of `tanggal` and
    kept with the decision; unmet criteria need a written reason."""
    catatan = teks_catatan(catatan)
    versi.naikkan(klaster_ids=[klaster.pk])
    klaster = _kunci_baris(Klaster, klaster.pk)
    terakhir = (
        RiwayatTahap.objects.filter(klaster=klaster).order_by("-tanggal").values_list(
            "tanggal", flat=True
        ).first()
    )  # fmt: skip
    syarat = []
    # a date outside the programme is refused below; the criteria are computed within it
    if (
        tanggal is not None
        and klaster.tanggal_mulai <= tanggal <= _hari_ini()
        and ke in selectors.SYARAT_PER_TAHAP
    ):
        syarat = selectors.syarat_tahap(klaster, ke, per_tanggal=tanggal)
    semua = all(s.terpenuhi for s in syarat)
    wajib_lolos(
        aturan.periksa_tahap(
            klaster=klaster,
            ke=ke,
            tanggal=tanggal,
            tanggal_terakhir=terakhir,
            semua_terpenuhi=semua,
            catatan=catatan,
            hari_ini=_hari_ini(),
        )
    )
    riwayat = RiwayatTahap.objects.create(
        klaster=klaster,
        dari=klaster.tahap,
        ke=ke,
        tanggal=tanggal,
        diputuskan_oleh=oleh,
        syarat=[s.untuk_json() for s in syarat],
        semua_terpenuhi=semua,
        catatan=catatan,
    )
    klaster.tahap = ke
    klaster.save(update_fields=["tahap"])
    return riwayat


@transaction.atomic
def naskah_simpan(
    *,
    klaster: Klaster,
    dari: datetime.date,
    sampai: datetime.date,
    pelajaran: str,
    rekomendasi: str,
    oleh,
) -> NaskahLaporanAkhir:
    pelajaran, rekomendasi = teks_catatan(pelajaran), teks_catatan(rekomendasi)
    wajib_lolos(
        aturan.periksa_naskah(pelajaran=pelajaran, rekomendasi=rekomendasi, dari=dari,
                              sampai=sampai)
    )  # fmt: skip
    naskah, _baru = NaskahLaporanAkhir.objects.select_for_update().update_or_create(
        klaster=klaster,
        dari=dari,
        sampai=sampai,
        defaults={"pelajaran": pelajaran, "rekomendasi": rekomendasi, "diubah_oleh": oleh},
    )
    return naskah

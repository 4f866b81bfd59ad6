"""What an import run reports: per-row actions, errors and the counts."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.text import capfirst
from django.utils.translation import gettext as _

from klaster.format import format_rupiah, format_tanggal
from klaster.models import Klaster

UKURAN_BATCH = 500

AKSI_BARU, AKSI_UBAH, AKSI_TETAP = "baru", "ubah", "tetap"
AKSI_TOLAK, AKSI_DUPLIKAT = "tolak", "duplikat"


# --- results --------------------------------------------------------------------------------


@dataclass
class Galat:
    baris: int  # the row number as Excel shows it
    kolom: str  # the column header as written in the file (or the template title)
    alasan: str


@dataclass
class Baris:
    nomor: int
    asli: list  # the cells as read, aligned with the header row
    nilai: dict  # column key → original cell
    bersih: dict = field(default_factory=dict)
    galat: list[Galat] = field(default_factory=list)
    peringatan: list[Galat] = field(default_factory=list)
    aksi: str = ""
    klaster: Klaster | None = None
    obj: Any = None
    berubah: list[str] = field(default_factory=list)
    sebelum: dict = field(default_factory=dict)  # attname → value before an update
    sama_dengan: int | None = None

    def tolak(self, kolom: str, alasan: str) -> None:
        self.galat.append(Galat(self.nomor, kolom, alasan))


@dataclass
class Ringkasan:
    jenis: str
    nama_berkas: str
    judul_asli: list = field(default_factory=list)
    kolom_dikenal: list[tuple[str, str]] = field(default_factory=list)  # (in file, template)
    kolom_diabaikan: list[str] = field(default_factory=list)
    galat_berkas: list[str] = field(default_factory=list)
    baris: list[Baris] = field(default_factory=list)  # data rows (not blank, not total)
    dibaca: int = 0
    kosong: int = 0
    total: list[int] = field(default_factory=list)
    tersimpan: bool = False

    def _hitung(self, aksi):
        return sum(1 for b in self.baris if b.aksi == aksi)

    @property
    def dibuat(self) -> int:
        return self._hitung(AKSI_BARU)

    @property
    def diubah(self) -> int:
        return self._hitung(AKSI_UBAH)

    @property
    def tetap(self) -> int:
        return self._hitung(AKSI_TETAP)

    @property
    def ditolak(self) -> int:
        return self._hitung(AKSI_TOLAK)

    @property
    def duplikat(self) -> list[Baris]:
        return [b for b in self.baris if b.aksi == AKSI_DUPLIKAT]

    @property
    def dilewati(self) -> int:
        return self.kosong + len(self.total) + len(self.duplikat)

    @property
    def galat(self) -> list[Galat]:
        return [g for b in self.baris for g in b.galat]

    @property
    def peringatan(self) -> list[Galat]:
        return [g for b in self.baris for g in b.peringatan]

    @property
    def boleh_disimpan(self) -> bool:
        ada_galat = any(b.galat for b in self.baris)
        return not self.galat_berkas and not ada_galat and self.dibaca > 0

    def rincian_diubah(self, batas: int | None = None) -> list["BarisDiubah"]:
        """The updated records, each with what changes (label: before → after), so that a
        mistyped NIK or code cannot silently overwrite someone else. One query per kind of
        referenced record (desa, kelompok, …), whatever the number of rows."""
        diubah = [b for b in self.baris if b.aksi == AKSI_UBAH and b.obj is not None]
        return _rincian(self.jenis, diubah[:batas])

    def periksa_identitas(self) -> None:
        """rows read = created + updated + unchanged + rejected + skipped, always."""
        jumlah = self.dibuat + self.diubah + self.tetap + self.ditolak + self.dilewati
        assert self.dibaca == jumlah, (
            self.dibaca,
            jumlah,
        )  # internal invariant, not an access check  # nosec B101
        assert all(b.aksi for b in self.baris)  # internal invariant, not an access check  # nosec B101
        assert all(
            b.galat for b in self.baris if b.aksi == AKSI_TOLAK
        )  # internal invariant, not an access check  # nosec B101


# --- what an update changes -----------------------------------------------------------------

# the columns that name the record a row updates, per kind (the handlers' identity, as shown)
KOLOM_IDENTITAS = {
    "mitra": ("nik",),
    "kelompok": ("kode",),
    "bantuan": ("nomor",),
    "angsuran": ("nomor_bantuan", "tanggal"),
    "pengukuran": ("nik", "tanggal", "jenis"),
    "kegiatan": ("tanggal", "judul"),
    "peserta": ("tanggal", "judul", "nik"),
    "survei": ("putaran", "nik"),
}


@dataclass
class Perubahan:
    label: str
    sebelum: str
    sesudah: str


@dataclass
class BarisDiubah:
    nomor: int  # the row in the file
    identitas: str  # e.g. "NIK 3602061203700009"
    nama: str  # the record's name before the update ("" if it has none)
    perubahan: list[Perubahan]


def _rincian(jenis: str, daftar: list[Baris]) -> list[BarisDiubah]:
    from impor.skema import SKEMA

    skema = SKEMA[jenis]
    terkait = _muat_terkait(daftar)
    hasil = []
    for b in daftar:
        meta = type(b.obj)._meta
        identitas = " · ".join(
            f"{skema.kolom_dari_kunci(k).judul} {_tampil(b.bersih.get(k))}"
            for k in KOLOM_IDENTITAS.get(jenis, ())
            if k in b.bersih
        )
        perubahan = []
        for attname in b.berubah:
            f = meta.get_field(attname)
            perubahan.append(
                Perubahan(
                    label=capfirst(str(f.verbose_name)),
                    sebelum=_tampil_field(f, b.sebelum.get(attname), terkait),
                    sesudah=_tampil_field(f, getattr(b.obj, attname), terkait),
                )
            )
        nama = b.sebelum.get("nama", getattr(b.obj, "nama", ""))
        hasil.append(BarisDiubah(b.nomor, identitas, str(nama or ""), perubahan))
    return hasil


def _muat_terkait(daftar: list[Baris]) -> dict:
    """(model, pk) → the record, for every foreign key an update changes (before and after)."""
    ids: dict[Any, set] = {}
    for b in daftar:
        meta = type(b.obj)._meta
        for attname in b.berubah:
            f = meta.get_field(attname)
            if f.is_relation:
                for v in (b.sebelum.get(attname), getattr(b.obj, attname)):
                    if v is not None:
                        ids.setdefault(f.related_model, set()).add(v)
    terkait = {}
    for model, pks in ids.items():
        for obj in model._base_manager.filter(pk__in=sorted(pks)):
            terkait[(model, obj.pk)] = obj
    return terkait


def _tampil_field(f, nilai, terkait: dict) -> str:
    if nilai is None or nilai == "":
        return _("(kosong)")
    if f.is_relation:
        obj = terkait.get((f.related_model, nilai))
        return str(obj) if obj is not None else str(nilai)
    if f.choices:
        return str(dict(f.flatchoices).get(nilai, nilai))
    if isinstance(nilai, Decimal) and f.get_internal_type() == "DecimalField":
        return format_rupiah(nilai, sen=nilai != nilai.to_integral_value())
    return _tampil(nilai)


def _tampil(nilai) -> str:
    if nilai is None or nilai == "":
        return _("(kosong)")
    if isinstance(nilai, datetime.date):
        return format_tanggal(nilai)
    if isinstance(nilai, bool):
        return _("ya") if nilai else _("tidak")
    return str(nilai)

"""What an import run reports: per-row actions, errors and the counts."""

from dataclasses import dataclass, field
from typing import Any

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

    def periksa_identitas(self) -> None:
        """rows read = created + updated + unchanged + rejected + skipped, always."""
        jumlah = self.dibuat + self.diubah + self.tetap + self.ditolak + self.dilewati
        assert self.dibaca == jumlah, (self.dibaca, jumlah)  # internal invariant, not an access check  # nosec B101
        assert all(b.aksi for b in self.baris)  # internal invariant, not an access check  # nosec B101
        assert all(b.galat for b in self.baris if b.aksi == AKSI_TOLAK)  # internal invariant, not an access check  # nosec B101

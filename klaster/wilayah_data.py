"""Loading the Kemendagri region file into Wilayah: bulk writes, idempotent."""

import csv
import gzip
import io
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from klaster import versi
from klaster.models import Wilayah

DATA_DIR = Path(__file__).resolve().parent / "data"
FILE_NASIONAL = DATA_DIR / "wilayah_indonesia.csv.gz"
FILE_LEBAK = DATA_DIR / "wilayah_lebak.csv"

# parents before children, so every induk exists when its children are written
URUTAN_TINGKAT = ["provinsi", "kabupaten", "kecamatan", "desa"]


@dataclass
class HasilMuat:
    dibaca: int = 0
    dibuat: int = 0
    diubah: int = 0
    tetap: int = 0


def _baca(path: Path) -> list[dict]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8", newline="")
        rows = list(csv.DictReader(text))
    for row in rows:
        if row["tingkat"] not in URUTAN_TINGKAT:
            raise ValueError(f"Unknown tingkat {row['tingkat']!r} for kode {row['kode']!r}")
    rows.sort(key=lambda r: (URUTAN_TINGKAT.index(r["tingkat"]), r["kode"]))
    return rows


def muat_wilayah(path: Path = FILE_NASIONAL, batch_size: int = 5000) -> HasilMuat:
    # the file is read (and refused when missing or malformed) before the database is touched
    return _tulis(_baca(path), batch_size)


@transaction.atomic
def _tulis(rows: list[dict], batch_size: int) -> HasilMuat:
    existing = {
        kode: (nama, tingkat, induk)
        for kode, nama, tingkat, induk in Wilayah.objects.values_list(
            "kode", "nama", "tingkat", "induk_id"
        )
    }
    hasil = HasilMuat(dibaca=len(rows))
    baru, berubah = [], []
    for row in rows:
        nilai = (row["nama"], row["tingkat"], row["kode_induk"] or None)
        obj = Wilayah(kode=row["kode"], nama=nilai[0], tingkat=nilai[1], induk_id=nilai[2])
        lama = existing.get(row["kode"])
        if lama is None:
            baru.append(obj)
        elif lama != nilai:
            berubah.append(obj)
        else:
            hasil.tetap += 1
    if baru or berubah:
        # written in bulk (no ORM signals): the reports' reference version changes here, in
        # this transaction (klaster/versi.py)
        versi.naikkan(acuan=True)
    # rows are sorted parents-first, so each batch only references rows already written
    Wilayah.objects.bulk_create(baru, batch_size=batch_size)
    Wilayah.objects.bulk_update(berubah, ["nama", "tingkat", "induk"], batch_size=batch_size)
    hasil.dibuat, hasil.diubah = len(baru), len(berubah)
    return hasil


def pastikan_wilayah_lebak() -> None:
    """For tests and small demos: load the Banten/Lebak subset unless it is there."""
    if not Wilayah.objects.filter(kode="36.02.06.2002").exists():
        muat_wilayah(FILE_LEBAK)

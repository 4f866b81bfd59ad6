"""The import engine: one file in, one all-or-nothing decision out.

    impor_berkas(jenis=..., data=..., nama_berkas=..., oleh=..., klaster=..., simpan=False)

reads an XLSX or CSV file, finds the header row (titles in any case, with synonyms), cleans
every cell with `bersih`, resolves references in a fixed number of queries, and classifies each
data row as created, updated, unchanged, rejected or skipped (blank, total row, exact duplicate
of an earlier row). With `simpan=True` and no rejected row it writes everything in one
transaction with bulk writes that still create history (history_user = the importer,
history_change_reason = "impor: <file name>"). With any rejected row nothing is written.

The same engine serves the manager's /impor/ page and the admin (the resources in
impor/admin.py adapts it to django-import-export), so both obey the same rules.

Counting: rows read are the rows between the header and the last non-blank row, and always
    dibaca == dibuat + diubah + tetap + ditolak + dilewati
where dilewati = blank rows + total rows + exact duplicates.
"""

import datetime
import functools

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from impor import bersih
from impor.baca import (
    BARIS_JUDUL_MAKS,
    _baris_kosong,
    _baris_total,
    baca_tabel,
)
from impor.hasil import (
    AKSI_BARU,
    AKSI_DUPLIKAT,
    AKSI_TOLAK,
    AKSI_UBAH,
    Baris,
    Ringkasan,
)
from impor.jenis import PENANGAN
from impor.penangan import Penangan
from impor.skema import SKEMA, Skema
from klaster import akses
from klaster.models import Klaster

# --- the engine -----------------------------------------------------------------------------


def impor_berkas(
    *,
    jenis: str,
    data: bytes,
    nama_berkas: str,
    oleh,
    klaster: Klaster | None = None,
    simpan: bool = False,
    hari_ini: datetime.date | None = None,
    kemajuan=None,
) -> Ringkasan:
    """Read and check a file; with `simpan` and no rejection, write it (all or nothing).
    `kemajuan(rows done, total=None, tahap=None)`: a background job's progress (tugas/)."""
    try:
        tabel = baca_tabel(data, nama_berkas)
    except ValidationError as e:
        ringkasan = Ringkasan(jenis=jenis, nama_berkas=nama_berkas)
        ringkasan.galat_berkas.extend(e.messages)
        return ringkasan
    return impor_tabel(
        jenis=jenis,
        tabel=tabel,
        nama_berkas=nama_berkas,
        oleh=oleh,
        klaster=klaster,
        simpan=simpan,
        hari_ini=hari_ini,
        kemajuan=kemajuan,
    )


def _tanpa_kemajuan(selesai, total=None, tahap=None) -> None:
    pass


def impor_tabel(
    *,
    jenis: str,
    tabel: list[list],
    nama_berkas: str,
    oleh,
    klaster: Klaster | None = None,
    simpan: bool = False,
    hari_ini: datetime.date | None = None,
    kemajuan=None,
) -> Ringkasan:
    lapor = kemajuan or _tanpa_kemajuan
    if not akses.is_manajer(oleh):
        raise PermissionDenied(_("Hanya manajer program yang boleh mengimpor data."))
    if klaster is not None and not akses.klaster_dikelola(oleh).filter(pk=klaster.pk).exists():
        raise PermissionDenied(_("Anda bukan manajer klaster ini."))
    skema = SKEMA[jenis]
    hari_ini = hari_ini or timezone.localdate()
    ringkasan = Ringkasan(jenis=jenis, nama_berkas=nama_berkas)
    penangan = PENANGAN[jenis](oleh=oleh, klaster=klaster, hari_ini=hari_ini)

    peta = _baca_judul(tabel, skema, ringkasan)
    if peta is None:
        return ringkasan
    idx_judul, kolom_ke = peta
    data_rows = tabel[idx_judul + 1 :]
    while data_rows and _baris_kosong(data_rows[-1]):
        data_rows.pop()  # formatted but empty rows at the end of a sheet are not rows
    ringkasan.dibaca = len(data_rows)
    if not data_rows and not ringkasan.galat_berkas:
        ringkasan.galat_berkas.append(
            _("Berkas hanya berisi judul kolom; isi data mulai baris di bawah judul.")
        )
    judul_file = {kunci: ringkasan.judul_asli[i] for kunci, i in kolom_ke.items()}
    penangan.judul_file = judul_file
    lebar = len(ringkasan.judul_asli)
    # progress in rows: each row is cleaned, then matched, then (simpan) written
    n = len(data_rows)
    langkah = 3 if simpan else 2
    lapor(0, langkah * n, tahap=_("Memeriksa isi baris"))

    for i, row in enumerate(data_rows):
        lapor(i)
        nomor = idx_judul + 2 + i  # 1-based, as Excel numbers rows
        row = list(row) + [None] * (lebar - len(row))
        if _baris_kosong(row):
            ringkasan.kosong += 1
            continue
        if _baris_total(row):
            ringkasan.total.append(nomor)
            continue
        baris = Baris(nomor=nomor, asli=row[:lebar], nilai={k: row[i] for k, i in kolom_ke.items()})
        ringkasan.baris.append(baris)
        if ringkasan.galat_berkas:
            for pesan in ringkasan.galat_berkas:
                baris.tolak(_("(berkas)"), pesan)
            continue
        penangan.bersihkan(baris)

    lapor(n, tahap=_("Mencocokkan dengan data yang ada"))
    if not ringkasan.galat_berkas:
        if simpan:
            with transaction.atomic():
                _proses(penangan, ringkasan, kunci=True, lapor=lambda j: lapor(n + j))
                if ringkasan.boleh_disimpan:
                    lapor(2 * n, tahap=_("Menyimpan"))
                    _tulis(penangan, ringkasan, oleh)
        else:
            _proses(penangan, ringkasan, kunci=False, lapor=lambda j: lapor(n + j))
    lapor(langkah * n)

    for b in ringkasan.baris:
        if b.galat:
            b.aksi = AKSI_TOLAK
    ringkasan.periksa_identitas()
    return ringkasan


def _baca_judul(tabel, skema: Skema, ringkasan: Ringkasan):
    """Find the header row; map its columns to keys; report unknown and missing columns."""
    peta = skema.peta_judul()
    terbaik, idx_judul = 0, None
    for i, row in enumerate(tabel[:BARIS_JUDUL_MAKS]):
        cocok = len({peta[bersih.kunci_judul(v)] for v in row if bersih.kunci_judul(v) in peta})
        if cocok > terbaik:
            terbaik, idx_judul = cocok, i
    if idx_judul is None or terbaik < 2:
        ringkasan.galat_berkas.append(
            _(
                "Baris judul kolom tidak ditemukan. Baris judul harus memuat nama kolom seperti "
                "pada templat (%(judul)s)."
            )
            % {"judul": ", ".join(skema.judul)}
        )
        return None
    judul = list(tabel[idx_judul])
    while judul and bersih.kosong(judul[-1]):
        judul.pop()
    ringkasan.judul_asli = [bersih.teks(v) for v in judul]
    kolom_ke: dict[str, int] = {}
    for i, v in enumerate(judul):
        if bersih.kosong(v):
            continue
        kunci = peta.get(bersih.kunci_judul(v))
        if kunci is None:
            ringkasan.kolom_diabaikan.append(bersih.teks(v))
        elif kunci in kolom_ke:
            ringkasan.galat_berkas.append(
                _("Kolom '%(a)s' dan '%(b)s' sama-sama berarti %(arti)s; hapus salah satu.")
                % {
                    "a": ringkasan.judul_asli[kolom_ke[kunci]],
                    "b": bersih.teks(v),
                    "arti": skema.kolom_dari_kunci(kunci).judul,
                }
            )
        else:
            kolom_ke[kunci] = i
            ringkasan.kolom_dikenal.append((bersih.teks(v), skema.kolom_dari_kunci(kunci).judul))
    hilang = [k.judul for k in skema.kolom if k.wajib and k.kunci not in kolom_ke]
    if hilang:
        ringkasan.galat_berkas.append(
            _("Kolom wajib tidak ada: %(kolom)s. Tambahkan kolom itu (lihat templat).")
            % {"kolom": ", ".join(hilang)}
        )
    return idx_judul, kolom_ke


def _proses(penangan: "Penangan", ringkasan: Ringkasan, *, kunci: bool, lapor=None) -> None:
    baris_ok = [b for b in ringkasan.baris if not b.galat]
    penangan.tentukan_klaster(baris_ok, kunci=kunci)
    baris_ok = [b for b in baris_ok if not b.galat]
    # duplicates inside the file: an exact copy is skipped, a conflicting one rejected
    pertama: dict[tuple, Baris] = {}
    for b in baris_ok:
        kunci_id = penangan.identitas(b)
        lama = pertama.get(kunci_id)
        if lama is None:
            pertama[kunci_id] = b
        elif _sama(lama.bersih, b.bersih):
            b.aksi, b.sama_dengan = AKSI_DUPLIKAT, lama.nomor
        else:
            b.tolak(
                penangan.judul_identitas(),
                _(
                    "%(apa)s ini sudah ada di baris %(baris)d dengan isi berbeda; satukan menjadi "
                    "satu baris."
                )
                % {"apa": penangan.judul_identitas(), "baris": lama.nomor},
            )
    baris_ok = [b for b in baris_ok if not b.galat and not b.aksi]
    penangan.siapkan(baris_ok)
    lapor = lapor or _tanpa_kemajuan
    for j, b in enumerate(baris_ok):
        lapor(j)
        penangan.putuskan(b)
        if not b.galat and b.obj is not None and b.aksi in (AKSI_BARU, AKSI_UBAH):
            _periksa_field(penangan, b)


def _sama(a: dict, b: dict) -> bool:
    return {k: v for k, v in a.items() if k != "kode_klaster"} == {
        k: v for k, v in b.items() if k != "kode_klaster"
    }


def _periksa_field(penangan: "Penangan", b: Baris) -> None:
    """Text lengths against the model's max_length — a backstop to `bersih`, which already
    guarantees types and choices. (Model.clean_fields() did the same at a third of the
    import's time.)"""
    for nama, attname, maks in _field_teks(type(b.obj)):
        nilai = getattr(b.obj, attname)
        if isinstance(nilai, str) and len(nilai) > maks:
            b.tolak(
                penangan.judul(nama),
                _("Isi kolom ini %(n)d karakter; paling banyak %(maks)d. Persingkat.")
                % {"n": len(nilai), "maks": maks},
            )


@functools.cache
def _field_teks(model) -> list[tuple[str, str, int]]:
    return [
        (f.name, f.attname, f.max_length)
        for f in model._meta.concrete_fields
        if f.max_length and not f.is_relation and f.choices is None
    ]


def _tulis(penangan: "Penangan", ringkasan: Ringkasan, oleh) -> None:
    alasan = f"impor: {ringkasan.nama_berkas}"[:100]
    try:
        with transaction.atomic():
            penangan.tulis([b for b in ringkasan.baris if not b.galat], oleh=oleh, alasan=alasan)
    except (ValidationError, IntegrityError, PermissionDenied) as e:
        pesan = e.messages if isinstance(e, ValidationError) else [str(e)]
        ringkasan.galat_berkas.append(
            _("Impor dibatalkan, tidak ada data yang disimpan: %(pesan)s")
            % {"pesan": " ".join(pesan)}
        )
        return
    ringkasan.tersimpan = True

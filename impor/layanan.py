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

import csv
import datetime
import functools
import io
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from impor import bersih
from impor.bersih import NilaiTidakValid
from impor.sisip import sisip_dengan_riwayat, ubah_dengan_riwayat
from impor.skema import SKEMA, Skema
from klaster import akses
from klaster.format import format_rupiah, format_tanggal
from klaster.models import Klaster, Penugasan, Wilayah

UKURAN_BATCH = 500
BARIS_JUDUL_MAKS = 15  # the header may sit below a title block; look this far down
MAKS_BARIS = 50_000  # a request-sized import; bigger files belong in a task queue
EKSTENSI = (".xlsx", ".csv")

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
        assert self.dibaca == jumlah, (self.dibaca, jumlah)
        assert all(b.aksi for b in self.baris)
        assert all(b.galat for b in self.baris if b.aksi == AKSI_TOLAK)


# --- who may import where -------------------------------------------------------------------


def klaster_dikelola(user):
    """Klaster a user manages (may import into): assigned as manajer today, or all of them
    for a national manager (klaster.lihat_semua_klaster) or a superuser."""
    if not akses.is_manajer(user):
        return Klaster.objects.none()
    if akses.lihat_semua(user):
        return Klaster.objects.all()
    penugasan = Penugasan.objects.aktif().filter(pengguna=user, peran=Penugasan.Peran.MANAJER)
    return Klaster.objects.filter(pk__in=penugasan.values("klaster_id"))


# --- reading files --------------------------------------------------------------------------


def baca_tabel(data: bytes, nama_berkas: str) -> list[list]:
    """The cells of the first sheet (XLSX) or of a CSV file, row by row from row 1."""
    ext = Path(nama_berkas or "").suffix.lower()
    if ext == ".xlsx" or ext == ".xlsm":
        return _baca_xlsx(data)
    if ext in (".csv", ".txt"):
        return _baca_csv(data)
    if ext == ".xls":
        raise ValidationError(
            _(
                "Berkas .xls (Excel 97-2003) tidak didukung; buka di Excel lalu simpan sebagai .xlsx."
            )
        )
    raise ValidationError(_("Unggah berkas .xlsx atau .csv (templat tersedia di halaman Impor)."))


def _baca_xlsx(data: bytes) -> list[list]:
    # openpyxl's reader, step by step, without the read-only worksheet object: that object
    # scans the whole sheet once just to find its size when the file does not state it
    # (openpyxl-written files do not), which doubled the reading time.
    from openpyxl.reader.excel import ExcelReader
    from openpyxl.styles.stylesheet import apply_stylesheet

    try:
        reader = ExcelReader(io.BytesIO(data), read_only=True, data_only=True)
        reader.read_manifest()
        reader.read_strings()
        reader.read_workbook()
        apply_stylesheet(reader.archive, reader.wb)
        lembar = [
            rel.target
            for _sheet, rel in reader.parser.find_sheets()
            if rel.target in reader.valid_files and "chartsheet" not in rel.Type
        ]
    except Exception:  # a broken or mislabelled file raises many kinds of error
        raise ValidationError(
            _("Berkas tidak terbaca sebagai .xlsx; buka di Excel lalu simpan ulang sebagai .xlsx.")
        ) from None
    if not lembar:
        raise ValidationError(_("Berkas .xlsx ini tidak berisi lembar data."))
    try:
        with reader.archive.open(lembar[0]) as src:
            return _baris_lembar(src, reader.shared_strings, reader.wb)
    finally:
        reader.archive.close()


def _baris_lembar(src, shared_strings, wb) -> list[list]:
    """The cell values of a sheet's XML, row by row (rows the file leaves out are empty).

    A lean loop instead of openpyxl's cell objects (its read-only worksheet took 9 s for
    10,000 rows written by openpyxl, whose text cells are inline strings). Values follow
    openpyxl's rules: shared and inline strings, numbers, booleans, and numbers in a date
    format become datetimes.
    """
    from openpyxl.utils.cell import column_index_from_string
    from openpyxl.utils.datetime import from_excel, from_ISO8601
    from openpyxl.worksheet._reader import _cast_number
    from openpyxl.xml.constants import SHEET_MAIN_NS
    from openpyxl.xml.functions import iterparse

    tag_row, tag_c = f"{{{SHEET_MAIN_NS}}}row", f"{{{SHEET_MAIN_NS}}}c"
    tag_v, tag_t = f"{{{SHEET_MAIN_NS}}}v", f"{{{SHEET_MAIN_NS}}}t"
    tanggal, durasi, epoch = wb._date_formats, wb._timedelta_formats, wb.epoch
    rows: list[list] = []
    indeks_kolom: dict[str, int] = {}
    for _event, el in iterparse(src, events=("end",)):
        if el.tag != tag_row:
            continue
        nomor = int(el.get("r") or len(rows) + 1)
        if nomor > MAKS_BARIS + BARIS_JUDUL_MAKS:
            raise ValidationError(
                _("Berkas lebih dari %(n)d baris; bagi menjadi beberapa berkas.")
                % {"n": MAKS_BARIS}
            )
        while len(rows) < nomor - 1:
            rows.append([])
        row: list = []
        for c in el.iter(tag_c):
            ref = c.get("r")
            if ref:
                huruf = ref.rstrip("0123456789")
                kolom = indeks_kolom.get(huruf) or indeks_kolom.setdefault(
                    huruf, column_index_from_string(huruf)
                )
            else:
                kolom = len(row) + 1
            jenis = c.get("t", "n")
            if jenis == "inlineStr":
                nilai = "".join(t.text or "" for t in c.iter(tag_t))
            else:
                v = c.findtext(tag_v)
                if v is None:
                    nilai = None
                elif jenis == "n":
                    nilai = _cast_number(v)
                    gaya = int(c.get("s") or 0)
                    if gaya in tanggal:
                        try:
                            nilai = from_excel(nilai, epoch, timedelta=gaya in durasi)
                        except (OverflowError, ValueError):
                            pass  # not a date after all: keep the number, the parser decides
                elif jenis == "s":
                    nilai = str(shared_strings[int(v)])
                elif jenis == "b":
                    nilai = bool(int(v))
                elif jenis == "d":
                    nilai = from_ISO8601(v)
                else:  # "str" (a formula's text result) and "e" (an error such as #N/A)
                    nilai = v
            if len(row) < kolom:
                row.extend([None] * (kolom - len(row)))
            row[kolom - 1] = nilai
        rows.append(row)
        el.clear()
    return rows


def _baca_csv(data: bytes) -> list[list]:
    # UTF-8 (with or without Excel's BOM), else the Windows code page Excel uses for CSV in
    # Indonesia; latin-1 last, which reads any byte
    for encoding in ("utf-8-sig", "cp1252", "latin-1"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    contoh = text[:8192]
    try:
        dialect = csv.Sniffer().sniff(contoh, delimiters=",;\t")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ";" if contoh.count(";") > contoh.count(",") else ","
    rows = [list(r) for r in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
    if len(rows) > MAKS_BARIS + BARIS_JUDUL_MAKS:
        raise ValidationError(
            _("Berkas lebih dari %(n)d baris; bagi menjadi beberapa berkas.") % {"n": MAKS_BARIS}
        )
    return rows


def _baris_kosong(row) -> bool:
    return all(bersih.kosong(v) for v in row)


_KATA_TOTAL = ("total", "jumlah", "grand total", "sub total", "subtotal", "jumlah total")


def _baris_total(row) -> bool:
    """A totals line: its first filled cell says TOTAL or JUMLAH (and nothing else)."""
    for v in row:
        if bersih.kosong(v):
            continue
        if not isinstance(v, str):
            return False
        kata = bersih.kunci_judul(v)
        return kata in _KATA_TOTAL or kata.startswith(("total ", "jumlah total"))
    return False


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
) -> Ringkasan:
    """Read and check a file; with `simpan` and no rejection, write it (all or nothing)."""
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
    )


def impor_tabel(
    *,
    jenis: str,
    tabel: list[list],
    nama_berkas: str,
    oleh,
    klaster: Klaster | None = None,
    simpan: bool = False,
    hari_ini: datetime.date | None = None,
) -> Ringkasan:
    if not akses.is_manajer(oleh):
        raise PermissionDenied(_("Hanya manajer program yang boleh mengimpor data."))
    if klaster is not None and not klaster_dikelola(oleh).filter(pk=klaster.pk).exists():
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

    for i, row in enumerate(data_rows):
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

    if not ringkasan.galat_berkas:
        if simpan:
            with transaction.atomic():
                _proses(penangan, ringkasan, kunci=True)
                if ringkasan.boleh_disimpan:
                    _tulis(penangan, ringkasan, oleh)
        else:
            _proses(penangan, ringkasan, kunci=False)

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


def _proses(penangan: "Penangan", ringkasan: Ringkasan, *, kunci: bool) -> None:
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
    for b in baris_ok:
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


# --- per-kind handlers ----------------------------------------------------------------------


def _teks(nilai) -> str:
    return bersih.teks(nilai)


def _peta_pilihan(nama_kolom, peta, contoh):
    def parse(nilai):
        return bersih.pilihan(nilai, peta, nama_kolom=nama_kolom, contoh=contoh, wajib=False)

    return parse


class Penangan:
    skema: Skema
    pembersih: dict = {}

    def __init__(self, *, oleh, klaster, hari_ini):
        self.oleh = oleh
        self.klaster = klaster
        self.hari_ini = hari_ini
        self.judul_file: dict[str, str] = {}

    def judul(self, kunci: str) -> str:
        """The header of a column as the user wrote it (falls back to the template title)."""
        if kunci in self.judul_file:
            return self.judul_file[kunci]
        try:
            return self.skema.kolom_dari_kunci(kunci).judul
        except StopIteration:
            return kunci.replace("_", " ").capitalize()

    def bersihkan(self, baris: Baris) -> None:
        for kolom in self.skema.kolom:
            if kolom.kunci not in baris.nilai:
                continue
            nilai = baris.nilai[kolom.kunci]
            if bersih.kosong(nilai):
                if kolom.wajib:
                    baris.tolak(
                        self.judul(kolom.kunci),
                        _("Kolom %(kolom)s kosong; wajib diisi.") % {"kolom": kolom.judul},
                    )
                else:
                    baris.bersih[kolom.kunci] = None
                continue
            parse = self.pembersih.get(kolom.kunci, _teks)
            try:
                baris.bersih[kolom.kunci] = parse(nilai)
            except NilaiTidakValid as e:
                baris.tolak(self.judul(kolom.kunci), e.pesan)

    def tentukan_klaster(self, daftar: list[Baris], *, kunci: bool) -> None:
        """Every row belongs to the chosen klaster (the /impor/ page) or to the klaster its
        Kode Klaster names, among those the importer manages (the admin)."""
        kode = {bersih.kunci_teks(b.bersih.get("kode_klaster")) for b in daftar} - {""}
        dikelola = klaster_dikelola(self.oleh)
        if self.klaster is not None:
            pilihan = {self.klaster.kode.casefold(): self.klaster}
        else:
            q = Q(pk__in=[])
            for k in kode:
                q |= Q(kode__iexact=k)
            pilihan = {k.kode.casefold(): k for k in dikelola.filter(q)} if kode else {}
        if kunci and pilihan:
            # imports into one klaster queue behind each other (PostgreSQL row lock)
            list(
                Klaster.objects.select_for_update()
                .filter(pk__in=[k.pk for k in pilihan.values()])
                .values_list("pk", flat=True)
            )
        for b in daftar:
            kode_baris = bersih.kunci_teks(b.bersih.get("kode_klaster"))
            if self.klaster is not None:
                if kode_baris and kode_baris != self.klaster.kode.casefold():
                    b.tolak(
                        self.judul("kode_klaster"),
                        _(
                            "Baris ini untuk klaster '%(kode)s', bukan klaster yang dipilih "
                            "(%(pilih)s); hapus barisnya atau pilih klaster itu."
                        )
                        % {"kode": b.bersih.get("kode_klaster"), "pilih": self.klaster.kode},
                    )
                else:
                    b.klaster = self.klaster
            elif not kode_baris:
                b.tolak(self.judul("kode_klaster"), _("Isi Kode Klaster baris ini."))
            elif kode_baris not in pilihan:
                b.tolak(
                    self.judul("kode_klaster"),
                    _("Klaster '%(kode)s' tidak ada atau bukan klaster yang Anda kelola.")
                    % {"kode": b.bersih.get("kode_klaster")},
                )
            else:
                b.klaster = pilihan[kode_baris]

    # per kind
    def identitas(self, b: Baris) -> tuple:
        raise NotImplementedError

    def judul_identitas(self) -> str:
        raise NotImplementedError

    def siapkan(self, daftar: list[Baris]) -> None:
        raise NotImplementedError

    def putuskan(self, b: Baris) -> None:
        raise NotImplementedError

    def tulis(self, daftar: list[Baris], *, oleh, alasan: str) -> None:
        raise NotImplementedError

    # shared helpers
    def _terapkan(self, b: Baris, obj, nilai: dict, *, baru: bool) -> None:
        """Build a new object (`obj` is then its model class) or set values on an existing
        one, and classify the row."""
        if baru:
            b.obj, b.aksi = obj(**nilai), AKSI_BARU
            return
        berubah = [f for f, v in nilai.items() if getattr(obj, f) != v]
        for f in berubah:
            setattr(obj, f, nilai[f])
        b.obj, b.berubah = obj, berubah
        b.aksi = AKSI_UBAH if berubah else AKSI_TETAP

    def _tulis_bulk(self, model, daftar: list[Baris], *, oleh, alasan: str) -> None:
        baru = [b.obj for b in daftar if b.aksi == AKSI_BARU]
        ubah = [b for b in daftar if b.aksi == AKSI_UBAH]
        if baru:
            # simple_history's bulk_create_with_history, without the ORM's per-value cost
            sisip_dengan_riwayat(model, baru, oleh=oleh, alasan=alasan)
        if ubah:
            # simple_history's bulk_update_with_history, without the ORM's per-value cost
            fields = sorted({_nama_field(model, f) for b in ubah for f in b.berubah})
            ubah_dengan_riwayat(model, [b.obj for b in ubah], fields, oleh=oleh, alasan=alasan)

    def _desa(self, b: Baris, kunci: str = "desa"):
        """A desa of the klaster's kecamatan, by Kemendagri code or by unique name."""
        nilai = b.bersih.get(kunci)
        kode = bersih.kode_wilayah(nilai)
        per_klaster = self._peta_desa.get(b.klaster.pk, {})
        desa = per_klaster.get(kode) if kode else per_klaster.get(bersih.kunci_teks(nilai))
        if desa is _AMBIGU:
            b.tolak(
                self.judul(kunci),
                _(
                    "Ada beberapa desa bernama '%(nilai)s' di klaster ini; tulis kode desanya "
                    "(mis. 36.02.06.2002)."
                )
                % {"nilai": nilai},
            )
            return None
        if desa is None:
            b.tolak(
                self.judul(kunci),
                _(
                    "Desa '%(nilai)s' tidak ada di kecamatan klaster %(klaster)s; tulis kode atau "
                    "nama desa yang benar."
                )
                % {"nilai": nilai, "klaster": b.klaster.nama},
            )
        return desa

    def _muat_desa(self, klaster_ids) -> None:
        through = Klaster.kecamatan.through
        kec = through.objects.filter(klaster_id__in=klaster_ids).values_list(
            "klaster_id", "wilayah_id"
        )
        kec_per_klaster: dict[str, set[int]] = {}
        for klaster_id, wilayah_id in kec:
            kec_per_klaster.setdefault(wilayah_id, set()).add(klaster_id)
        self._peta_desa: dict[int, dict] = {k: {} for k in klaster_ids}
        desa_qs = Wilayah.objects.filter(
            tingkat=Wilayah.Tingkat.DESA, induk_id__in=list(kec_per_klaster)
        ).only("kode", "nama", "induk_id")
        for desa in desa_qs:
            for klaster_id in kec_per_klaster[desa.induk_id]:
                peta = self._peta_desa[klaster_id]
                peta[desa.kode] = desa
                nama = bersih.kunci_teks(desa.nama)
                peta[nama] = _AMBIGU if nama in peta else desa

    def _muat_kelompok(self, klaster_ids) -> None:
        from kelompok.models import Kelompok

        self._peta_kelompok: dict[tuple, Any] = {}
        for k in Kelompok.objects.filter(klaster_id__in=klaster_ids):
            self._peta_kelompok[(k.klaster_id, "kode", k.kode.casefold())] = k
            kunci = (k.klaster_id, "nama", bersih.kunci_teks(k.nama))
            self._peta_kelompok[kunci] = _AMBIGU if kunci in self._peta_kelompok else k

    def _kelompok(self, b: Baris, kunci: str):
        nilai = b.bersih.get(kunci)
        if not nilai:
            return None
        k = self._peta_kelompok.get((b.klaster.pk, "kode", bersih.kunci_teks(nilai)))
        if k is None:
            k = self._peta_kelompok.get((b.klaster.pk, "nama", bersih.kunci_teks(nilai)))
        if k is _AMBIGU:
            b.tolak(
                self.judul(kunci),
                _("Ada beberapa kelompok bernama '%(nilai)s'; tulis kode kelompoknya.")
                % {"nilai": nilai},
            )
            return None
        if k is None:
            b.tolak(
                self.judul(kunci),
                _(
                    "Kelompok '%(nilai)s' tidak ada di klaster %(klaster)s; impor kelompok dulu "
                    "atau periksa kode/nama kelompok."
                )
                % {"nilai": nilai, "klaster": b.klaster.nama},
            )
        return k

    def _tanggal_lalu(self, b: Baris, kunci: str) -> None:
        t = b.bersih.get(kunci)
        if t and t > self.hari_ini:
            b.tolak(
                self.judul(kunci),
                _("Tanggal %(t)s belum terjadi; periksa tahunnya.") % {"t": format_tanggal(t)},
            )


_AMBIGU = object()


def _nama_field(model, nama: str) -> str:
    f = model._meta.get_field(nama)
    return f.name


def _dalam_potongan(nilai: list, ukuran: int = 2000):
    for i in range(0, len(nilai), ukuran):
        yield nilai[i : i + ukuran]


PETA_STATUS_MITRA = {
    "calon": "calon",
    "aktif": "aktif",
    "lulus": "lulus",
    "keluar": "keluar",
    "mundur": "keluar",
    "tidak aktif": "keluar",
}
PETA_STATUS_KELOMPOK = {
    "aktif": "aktif",
    "mandiri": "mandiri",
    "tidak aktif": "tidak_aktif",
    "tidak_aktif": "tidak_aktif",
    "nonaktif": "tidak_aktif",
    "non aktif": "tidak_aktif",
    "bubar": "tidak_aktif",
}


class PenanganMitra(Penangan):
    skema = SKEMA["mitra"]
    pembersih = {
        "nik": bersih.nik,
        "nama": bersih.nama_orang,
        "jenis_kelamin": bersih.jenis_kelamin,
        "tanggal_lahir": bersih.tanggal,
        "telepon": bersih.telepon,
        "sektor": bersih.sektor,
        "tanggal_bergabung": bersih.tanggal,
        "tanggal_keluar": bersih.tanggal,
        "status": _peta_pilihan("Status", PETA_STATUS_MITRA, "calon, aktif, lulus, keluar"),
        "jumlah_anggota_keluarga": lambda v: bersih.bilangan_bulat(
            v, nama_kolom="Jumlah anggota keluarga", minimum=1, maksimum=50
        ),
    }

    def identitas(self, b):
        return (b.bersih["nik"],)

    def judul_identitas(self):
        return self.judul("nik")

    def siapkan(self, daftar):
        from mitra.models import Mitra

        niks = sorted({b.bersih["nik"] for b in daftar})
        self._ada = {}
        for potong in _dalam_potongan(niks):
            self._ada.update({m.nik: m for m in Mitra.objects.filter(nik__in=potong)})
        prefiks = {f"{n[0:2]}.{n[2:4]}.{n[4:6]}" for n in niks}
        self._kecamatan = {
            k.replace(".", "")
            for k in Wilayah.objects.filter(
                tingkat=Wilayah.Tingkat.KECAMATAN, kode__in=sorted(prefiks)
            ).values_list("kode", flat=True)
        }
        klaster_ids = sorted({b.klaster.pk for b in daftar})
        self._muat_desa(klaster_ids)
        self._muat_kelompok(klaster_ids)

    def putuskan(self, b):
        from mitra import nik as nik_rules
        from mitra.models import Mitra

        d = b.bersih
        hasil = nik_rules.periksa_nik(
            d["nik"], kecamatan_dikenal=self._kecamatan, hari_ini=self.hari_ini
        )
        for pesan in hasil.galat:
            b.tolak(self.judul("nik"), pesan)
        desa = self._desa(b)
        kelompok = self._kelompok(b, "kelompok") if "kelompok" in d else None
        for kunci in ("tanggal_lahir", "tanggal_bergabung", "tanggal_keluar"):
            self._tanggal_lalu(b, kunci)
        lama = self._ada.get(d["nik"])
        if lama is not None and lama.klaster_id != b.klaster.pk:
            # say nothing about where: the other klaster may be outside the importer's scope
            b.tolak(
                self.judul("nik"),
                _(
                    "NIK ini sudah terdaftar di klaster lain. Periksa kembali NIK dari KTP; jika "
                    "sudah benar, hubungi admin program untuk memindahkan mitra."
                ),
            )
        if b.galat:
            return
        nilai = {
            "nik": d["nik"],
            "nama": d["nama"],
            "jenis_kelamin": d["jenis_kelamin"],
            "tanggal_lahir": d["tanggal_lahir"],
            "desa_id": desa.pk,
            "sektor": d["sektor"],
            "tanggal_bergabung": d["tanggal_bergabung"],
            "klaster_id": b.klaster.pk,
        }
        # optional columns: present in the file → applied (blank clears); absent → untouched
        opsional = {
            "telepon": ("telepon", d.get("telepon") or ""),
            "alamat": ("alamat", d.get("alamat") or ""),
            "jenis_usaha": ("jenis_usaha", d.get("jenis_usaha") or ""),
            "kelompok": ("kelompok_id", kelompok.pk if kelompok else None),
            "status": ("status", d.get("status") or Mitra.Status.AKTIF),
            "tanggal_keluar": ("tanggal_keluar", d.get("tanggal_keluar")),
            "jumlah_anggota_keluarga": (
                "jumlah_anggota_keluarga",
                d.get("jumlah_anggota_keluarga") or 1,
            ),
        }
        for kunci, (f, v) in opsional.items():
            if kunci in b.nilai or lama is None:
                nilai[f] = v
        self._terapkan(b, lama or Mitra, nilai, baru=lama is None)
        m = b.obj
        if m.tanggal_keluar and m.tanggal_keluar < m.tanggal_bergabung:
            b.tolak(
                self.judul("tanggal_keluar"),
                _("Tanggal keluar tidak boleh sebelum tanggal bergabung."),
            )
        if m.status == Mitra.Status.KELUAR and not m.tanggal_keluar:
            b.tolak(
                self.judul("tanggal_keluar"),
                _("Isi tanggal keluar untuk mitra yang berstatus keluar."),
            )
        if m.tanggal_lahir >= m.tanggal_bergabung:
            b.tolak(
                self.judul("tanggal_lahir"),
                _("Tanggal lahir harus sebelum tanggal bergabung; periksa tahunnya."),
            )
        for pesan in nik_rules.beda_dengan_data(
            hasil, tanggal_lahir=m.tanggal_lahir, jenis_kelamin=m.jenis_kelamin
        ):
            b.peringatan.append(Galat(b.nomor, self.judul("nik"), pesan))

    def tulis(self, daftar, *, oleh, alasan):
        from mitra.models import Mitra

        self._tulis_bulk(Mitra, daftar, oleh=oleh, alasan=alasan)


class PenanganKelompok(Penangan):
    skema = SKEMA["kelompok"]
    pembersih = {
        "nama": bersih.nama_orang,
        "sektor": bersih.sektor,
        "tanggal_dibentuk": bersih.tanggal,
        "status": _peta_pilihan("Status", PETA_STATUS_KELOMPOK, "aktif, mandiri, tidak aktif"),
        "ketua": bersih.nik,
    }

    def identitas(self, b):
        return (b.klaster.pk, b.bersih["kode"].casefold())

    def judul_identitas(self):
        return self.judul("kode")

    def siapkan(self, daftar):
        from kelompok.models import Lembaga
        from mitra.models import Mitra

        klaster_ids = sorted({b.klaster.pk for b in daftar})
        self._muat_desa(klaster_ids)
        self._muat_kelompok(klaster_ids)
        self._lembaga = {
            (lb.klaster_id, bersih.kunci_teks(lb.nama)): lb
            for lb in Lembaga.objects.filter(klaster_id__in=klaster_ids)
        }
        niks = sorted({b.bersih["ketua"] for b in daftar if b.bersih.get("ketua")})
        self._ketua = {
            m.nik: m
            for m in Mitra.objects.filter(nik__in=niks, klaster_id__in=klaster_ids).only(
                "nik", "klaster_id", "kelompok_id"
            )
        }

    def putuskan(self, b):
        from kelompok.models import Kelompok

        d = b.bersih
        desa = self._desa(b)
        self._tanggal_lalu(b, "tanggal_dibentuk")
        lama = self._peta_kelompok.get((b.klaster.pk, "kode", d["kode"].casefold()))
        lembaga = None
        if d.get("lembaga"):
            lembaga = self._lembaga.get((b.klaster.pk, bersih.kunci_teks(d["lembaga"])))
            if lembaga is None:
                b.tolak(
                    self.judul("lembaga"),
                    _(
                        "Lembaga '%(nama)s' tidak ada di klaster ini; buat lembaganya dulu atau "
                        "kosongkan kolom ini."
                    )
                    % {"nama": d["lembaga"]},
                )
        ketua = None
        if d.get("ketua"):
            ketua = self._ketua.get(d["ketua"])
            if ketua is None:
                b.tolak(
                    self.judul("ketua"),
                    _("Mitra dengan NIK ketua ini tidak ada di klaster ini; impor mitra dulu."),
                )
            elif lama is None or ketua.kelompok_id != lama.pk:
                b.tolak(
                    self.judul("ketua"),
                    _(
                        "Ketua harus anggota kelompok ini: impor kelompok tanpa ketua, impor "
                        "mitra dengan kelompoknya, lalu impor ulang kelompok dengan ketua."
                    ),
                )
        if b.galat:
            return
        nilai = {
            "kode": d["kode"] if lama is None else lama.kode,
            "nama": d["nama"],
            "sektor": d["sektor"],
            "desa_id": desa.pk,
            "tanggal_dibentuk": d["tanggal_dibentuk"],
            "klaster_id": b.klaster.pk,
        }
        opsional = {
            "usaha_kelompok": ("usaha_kelompok", d.get("usaha_kelompok") or ""),
            "status": ("status", d.get("status") or Kelompok.Status.AKTIF),
            "lembaga": ("lembaga_id", lembaga.pk if lembaga else None),
            "ketua": ("ketua_id", ketua.pk if ketua else None),
        }
        for kunci, (f, v) in opsional.items():
            if kunci in b.nilai or lama is None:
                nilai[f] = v
        self._terapkan(b, lama or Kelompok, nilai, baru=lama is None)

    def tulis(self, daftar, *, oleh, alasan):
        from kelompok.models import Kelompok

        self._tulis_bulk(Kelompok, daftar, oleh=oleh, alasan=alasan)


PETA_JENIS_BANTUAN = {
    "modal bergulir": "modal_bergulir",
    "modal_bergulir": "modal_bergulir",
    "dana bergulir": "modal_bergulir",
    "pinjaman": "modal_bergulir",
    "pinjaman modal": "modal_bergulir",
    "hibah": "hibah_modal",
    "hibah modal": "hibah_modal",
    "hibah modal usaha": "hibah_modal",
    "hibah_modal": "hibah_modal",
    "aset": "aset",
    "aset produktif": "aset",
    "beasiswa": "beasiswa",
    "kesehatan": "kesehatan",
    "layanan kesehatan": "kesehatan",
    "pelatihan": "pelatihan",
}

TENOR_MAKS = 60  # bantuan.services.TENOR_MAKS


class PenanganBantuan(Penangan):
    skema = SKEMA["bantuan"]
    pembersih = {
        "nik_penerima": bersih.nik,
        "jenis": _peta_pilihan(
            "Jenis",
            PETA_JENIS_BANTUAN,
            "modal bergulir, hibah modal, aset, beasiswa, kesehatan, pelatihan",
        ),
        "jumlah": bersih.uang,
        "tanggal_pengajuan": bersih.tanggal,
        "tanggal_cair": bersih.tanggal,
        "tenor_bulan": lambda v: bersih.bilangan_bulat(
            v, nama_kolom="Tenor", minimum=1, maksimum=TENOR_MAKS
        ),
    }

    def identitas(self, b):
        return (b.klaster.pk, b.bersih["nomor"].casefold())

    def judul_identitas(self):
        return self.judul("nomor")

    def siapkan(self, daftar):
        from bantuan.models import Bantuan, SumberDana
        from mitra.models import Mitra

        klaster_ids = sorted({b.klaster.pk for b in daftar})
        self._muat_kelompok(klaster_ids)
        self._ada = {
            (x.klaster_id, x.nomor.casefold()): x
            for x in Bantuan.objects.filter(klaster_id__in=klaster_ids)
        }
        niks = sorted({b.bersih["nik_penerima"] for b in daftar if b.bersih.get("nik_penerima")})
        self._mitra = {
            (m.klaster_id, m.nik): m
            for m in Mitra.objects.filter(nik__in=niks, klaster_id__in=klaster_ids).only(
                "nik", "klaster_id", "nama"
            )
        }
        self._sumber: dict[tuple, Any] = {}
        for s in SumberDana.objects.filter(Q(klaster__isnull=True) | Q(klaster_id__in=klaster_ids)):
            for klaster_id in [s.klaster_id] if s.klaster_id else klaster_ids:
                kunci = (klaster_id, bersih.kunci_teks(s.nama))
                self._sumber[kunci] = _AMBIGU if kunci in self._sumber else s
        self._dana_bergulir_dipakai: dict[int, Decimal] = {}

    def putuskan(self, b):
        from bantuan.models import Bantuan, SumberDana

        d = b.bersih
        for kunci in ("tanggal_pengajuan", "tanggal_cair"):
            self._tanggal_lalu(b, kunci)
        mitra = kelompok = None
        if bool(d.get("nik_penerima")) == bool(d.get("kelompok_penerima")):
            b.tolak(
                self.judul("nik_penerima"),
                _(
                    "Isi satu penerima: NIK Penerima (mitra) atau Kelompok Penerima, tidak "
                    "keduanya dan tidak kosong keduanya."
                ),
            )
        elif d.get("nik_penerima"):
            mitra = self._mitra.get((b.klaster.pk, d["nik_penerima"]))
            if mitra is None:
                b.tolak(
                    self.judul("nik_penerima"),
                    _("Tidak ada mitra dengan NIK ini di klaster %(klaster)s; impor mitra dulu.")
                    % {"klaster": b.klaster.nama},
                )
        else:
            kelompok = self._kelompok(b, "kelompok_penerima")
        sumber = self._sumber.get((b.klaster.pk, bersih.kunci_teks(d["sumber_dana"])))
        if sumber is None or sumber is _AMBIGU:
            b.tolak(
                self.judul("sumber_dana"),
                _(
                    "Sumber dana '%(nama)s' tidak dikenal; tulis nama sumber dana persis seperti "
                    "terdaftar."
                )
                % {"nama": d["sumber_dana"]},
            )
        if d["jenis"] is None:
            b.tolak(self.judul("jenis"), _("Kolom Jenis kosong; wajib diisi."))
        tenor = d.get("tenor_bulan")
        if d["jenis"] == Bantuan.Jenis.MODAL_BERGULIR and not tenor:
            b.tolak(
                self.judul("tenor_bulan"),
                _("Modal bergulir perlu tenor 1 sampai %(maks)d bulan.") % {"maks": TENOR_MAKS},
            )
        if d["jenis"] and d["jenis"] != Bantuan.Jenis.MODAL_BERGULIR and tenor:
            b.tolak(
                self.judul("tenor_bulan"),
                _("Tenor hanya untuk modal bergulir; kosongkan kolom ini untuk %(jenis)s.")
                % {"jenis": Bantuan.Jenis(d["jenis"]).label},
            )
        if d["tanggal_cair"] < d["tanggal_pengajuan"]:
            b.tolak(
                self.judul("tanggal_cair"), _("Tanggal cair tidak boleh sebelum tanggal pengajuan.")
            )
        if b.galat:
            return
        nilai = {
            "nomor": d["nomor"],
            "klaster_id": b.klaster.pk,
            "mitra_id": mitra.pk if mitra else None,
            "kelompok_id": kelompok.pk if kelompok else None,
            "jenis": d["jenis"],
            "sumber_dana_id": sumber.pk,
            "jumlah": d["jumlah"],
            "tanggal_pengajuan": d["tanggal_pengajuan"],
            "tanggal_cair": d["tanggal_cair"],
            "tenor_bulan": tenor if d["jenis"] == Bantuan.Jenis.MODAL_BERGULIR else None,
        }
        lama = self._ada.get((b.klaster.pk, d["nomor"].casefold()))
        if lama is not None:
            nilai["nomor"] = lama.nomor
            beda = [f for f, v in nilai.items() if getattr(lama, f) != v]
            if beda:
                nama = ", ".join(self.judul(_KOLOM_BANTUAN.get(f, f)) for f in beda)
                b.tolak(
                    self.judul("nomor"),
                    _(
                        "Bantuan %(nomor)s sudah tercatat dengan %(kolom)s berbeda; data keuangan "
                        "yang sudah tercatat tidak diubah lewat impor."
                    )
                    % {"nomor": lama.nomor, "kolom": nama},
                )
                return
            if "tujuan" in b.nilai:
                self._terapkan(b, lama, {"tujuan": d.get("tujuan") or ""}, baru=False)
            else:
                b.obj, b.aksi = lama, AKSI_TETAP
            return
        if sumber.jenis == SumberDana.Jenis.DANA_BERGULIR:
            self._cek_dana_bergulir(b, d["jumlah"], d["tanggal_cair"])
            if b.galat:
                return
        nilai.update(
            tujuan=d.get("tujuan") or "",
            status=Bantuan.Status.DICAIRKAN,
            diajukan_oleh=self.oleh,
            disetujui_oleh=self.oleh,
            tanggal_keputusan=d["tanggal_cair"],
        )
        self._terapkan(b, Bantuan, nilai, baru=True)

    def _cek_dana_bergulir(self, b, jumlah, tanggal_cair):
        from bantuan.selectors import dana_bergulir

        saldo = min(
            dana_bergulir(b.klaster, per_tanggal=tanggal_cair)["saldo"],
            dana_bergulir(b.klaster, per_tanggal=self.hari_ini)["saldo"],
        )
        dipakai = self._dana_bergulir_dipakai.get(b.klaster.pk, Decimal("0"))
        if jumlah > saldo - dipakai:
            b.tolak(
                self.judul("jumlah"),
                _(
                    "Saldo dana bergulir hanya %(saldo)s, kurang untuk %(jumlah)s; kurangi "
                    "jumlah atau pilih sumber dana lain."
                )
                % {"saldo": format_rupiah(saldo - dipakai), "jumlah": format_rupiah(jumlah)},
            )
        else:
            self._dana_bergulir_dipakai[b.klaster.pk] = dipakai + jumlah

    def tulis(self, daftar, *, oleh, alasan):
        from bantuan.jadwal import hitung_jadwal
        from bantuan.models import Bantuan, JadwalAngsuran

        self._tulis_bulk(Bantuan, daftar, oleh=oleh, alasan=alasan)
        jadwal = [
            JadwalAngsuran(
                bantuan_id=b.obj.pk,
                ke=c.ke,
                jatuh_tempo=c.jatuh_tempo,
                jumlah=c.jumlah,
                kumulatif=c.kumulatif,
            )
            for b in daftar
            if b.aksi == AKSI_BARU and b.obj.jenis == Bantuan.Jenis.MODAL_BERGULIR
            for c in hitung_jadwal(
                pokok=b.obj.jumlah, tenor_bulan=b.obj.tenor_bulan, tanggal_cair=b.obj.tanggal_cair
            )
        ]
        JadwalAngsuran.objects.bulk_create(jadwal, batch_size=UKURAN_BATCH)


_KOLOM_BANTUAN = {
    "mitra_id": "nik_penerima",
    "kelompok_id": "kelompok_penerima",
    "sumber_dana_id": "sumber_dana",
    "klaster_id": "kode_klaster",
}


class PenanganAngsuran(Penangan):
    """Repayments go through bantuan.services.angsuran_catat (row lock, never above the
    remaining principal, the loan marked lunas when paid off); the checks here run first on
    the whole file so the preview shows every problem, including several rows of one loan
    that together exceed what is owed."""

    skema = SKEMA["angsuran"]
    pembersih = {"tanggal": bersih.tanggal, "jumlah": bersih.uang}

    def identitas(self, b):
        d = b.bersih
        return (b.klaster.pk, d["nomor_bantuan"].casefold(), d["tanggal"], d["jumlah"])

    def judul_identitas(self):
        return self.judul("nomor_bantuan")

    def siapkan(self, daftar):
        from bantuan.models import Angsuran, Bantuan

        klaster_ids = sorted({b.klaster.pk for b in daftar})
        self._bantuan = {
            (x.klaster_id, x.nomor.casefold()): x
            for x in Bantuan.objects.filter(klaster_id__in=klaster_ids).annotate(
                terbayar=Sum("angsuran__jumlah")
            )
        }
        # entries already recorded and not reversed: the same row again is "unchanged"
        self._tercatat = {
            (a.bantuan_id, a.tanggal, a.jumlah): a
            for a in Angsuran.objects.filter(
                bantuan__klaster_id__in=klaster_ids, jumlah__gt=0, koreksi__isnull=True
            ).only("bantuan_id", "tanggal", "jumlah")
        }
        self._dibayar_di_berkas: dict[int, Decimal] = {}

    def putuskan(self, b):
        from bantuan.models import Bantuan

        d = b.bersih
        bantuan = self._bantuan.get((b.klaster.pk, d["nomor_bantuan"].casefold()))
        if bantuan is None:
            b.tolak(
                self.judul("nomor_bantuan"),
                _("Bantuan nomor '%(nomor)s' tidak ada di klaster %(klaster)s.")
                % {"nomor": d["nomor_bantuan"], "klaster": b.klaster.nama},
            )
            return
        lama = self._tercatat.get((bantuan.pk, d["tanggal"], d["jumlah"]))
        if lama is not None:
            b.obj, b.aksi = lama, AKSI_TETAP
            return
        self._tanggal_lalu(b, "tanggal")
        if bantuan.jenis != Bantuan.Jenis.MODAL_BERGULIR:
            b.tolak(
                self.judul("nomor_bantuan"),
                _("%(jenis)s tidak diangsur; hanya modal bergulir yang dibayar kembali.")
                % {"jenis": bantuan.get_jenis_display()},
            )
            return
        if bantuan.status != Bantuan.Status.DICAIRKAN:
            b.tolak(
                self.judul("nomor_bantuan"),
                _(
                    "Pinjaman %(nomor)s berstatus %(status)s; angsuran hanya untuk pinjaman yang "
                    "sudah cair dan belum lunas."
                )
                % {"nomor": bantuan.nomor, "status": bantuan.get_status_display()},
            )
            return
        if d["tanggal"] < bantuan.tanggal_cair:
            b.tolak(
                self.judul("tanggal"),
                _("Tanggal bayar tidak boleh sebelum tanggal cair %(t)s.")
                % {"t": format_tanggal(bantuan.tanggal_cair)},
            )
        sudah = (bantuan.terbayar or Decimal("0")) + self._dibayar_di_berkas.get(bantuan.pk, 0)
        sisa = bantuan.jumlah - sudah
        if d["jumlah"] > sisa:
            b.tolak(
                self.judul("jumlah"),
                _(
                    "Angsuran %(jumlah)s melebihi sisa pokok %(sisa)s (termasuk baris "
                    "sebelumnya di berkas ini); isi paling banyak %(sisa)s."
                )
                % {
                    "jumlah": format_rupiah(d["jumlah"], sen=True),
                    "sisa": format_rupiah(sisa, sen=True),
                },
            )
        if b.galat:
            return
        self._dibayar_di_berkas[bantuan.pk] = (
            self._dibayar_di_berkas.get(bantuan.pk, 0) + d["jumlah"]
        )
        b.obj, b.aksi = bantuan, AKSI_BARU

    def tulis(self, daftar, *, oleh, alasan):
        from bantuan import services
        from bantuan.models import Angsuran, Bantuan

        mulai = timezone.now()
        baru = sorted(
            (b for b in daftar if b.aksi == AKSI_BARU),
            key=lambda b: (b.obj.pk, b.bersih["tanggal"], b.nomor),
        )
        ids = []
        for b in baru:
            a = services.angsuran_catat(
                bantuan=b.obj, jumlah=b.bersih["jumlah"], tanggal=b.bersih["tanggal"], oleh=oleh
            )
            b.obj = a
            ids.append(a.pk)
        # the service records who; add from which file (also on loans it marked lunas)
        Angsuran.history.filter(id__in=ids).update(history_change_reason=alasan)
        Bantuan.history.filter(
            id__in={b.obj.bantuan_id for b in baru}, history_date__gte=mulai
        ).update(history_change_reason=alasan)


PETA_JENIS_PENGUKURAN = {
    "baseline": "baseline",
    "awal": "baseline",
    "dasar": "baseline",
    "data dasar": "baseline",
    "monitoring": "monitoring",
    "pemantauan": "monitoring",
    "tengah": "monitoring",
    "endline": "endline",
    "akhir": "endline",
}


class PenanganPengukuran(Penangan):
    skema = SKEMA["pengukuran"]
    pembersih = {
        "nik": bersih.nik,
        "tanggal": bersih.tanggal,
        "pendapatan_bulanan": lambda v: bersih.uang(v, boleh_nol=True),
        "jenis": _peta_pilihan("Jenis", PETA_JENIS_PENGUKURAN, "baseline, monitoring, endline"),
    }

    def identitas(self, b):
        d = b.bersih
        return (d["nik"], d["tanggal"], d["jenis"])

    def judul_identitas(self):
        return self.judul("nik")

    def siapkan(self, daftar):
        from mitra.models import Mitra, PengukuranPendapatan

        klaster_ids = sorted({b.klaster.pk for b in daftar})
        niks = sorted({b.bersih["nik"] for b in daftar})
        self._mitra = {}
        for potong in _dalam_potongan(niks):
            self._mitra.update(
                {
                    (m.klaster_id, m.nik): m
                    for m in Mitra.objects.filter(nik__in=potong, klaster_id__in=klaster_ids).only(
                        "nik", "klaster_id"
                    )
                }
            )
        mitra_ids = [m.pk for m in self._mitra.values()]
        self._ada = {}
        self._baseline = {}
        for potong in _dalam_potongan(mitra_ids):
            for p in PengukuranPendapatan.objects.filter(mitra_id__in=potong):
                self._ada[(p.mitra_id, p.tanggal, p.jenis)] = p
                if p.jenis == PengukuranPendapatan.Jenis.BASELINE:
                    self._baseline[p.mitra_id] = p
        self._baseline_berkas: dict[int, int] = {}

    def putuskan(self, b):
        from mitra.models import PengukuranPendapatan

        d = b.bersih
        if d["jenis"] is None:
            b.tolak(self.judul("jenis"), _("Kolom Jenis kosong; wajib diisi."))
            return
        mitra = self._mitra.get((b.klaster.pk, d["nik"]))
        if mitra is None:
            b.tolak(
                self.judul("nik"),
                _("Tidak ada mitra dengan NIK ini di klaster %(klaster)s; impor mitra dulu.")
                % {"klaster": b.klaster.nama},
            )
            return
        self._tanggal_lalu(b, "tanggal")
        lama = self._ada.get((mitra.pk, d["tanggal"], d["jenis"]))
        if d["jenis"] == PengukuranPendapatan.Jenis.BASELINE and lama is None:
            base = self._baseline.get(mitra.pk)
            if base is not None:
                b.tolak(
                    self.judul("jenis"),
                    _(
                        "Mitra ini sudah punya baseline tanggal %(t)s; satu mitra hanya punya "
                        "satu baseline."
                    )
                    % {"t": format_tanggal(base.tanggal)},
                )
            elif mitra.pk in self._baseline_berkas:
                b.tolak(
                    self.judul("jenis"),
                    _(
                        "Baseline mitra ini sudah ada di baris %(baris)d; satu mitra hanya punya "
                        "satu baseline."
                    )
                    % {"baris": self._baseline_berkas[mitra.pk]},
                )
            else:
                self._baseline_berkas[mitra.pk] = b.nomor
        if b.galat:
            return
        if lama is not None:
            self._terapkan(b, lama, {"pendapatan_bulanan": d["pendapatan_bulanan"]}, baru=False)
        else:
            self._terapkan(
                b,
                PengukuranPendapatan,
                {
                    "mitra_id": mitra.pk,
                    "tanggal": d["tanggal"],
                    "jenis": d["jenis"],
                    "pendapatan_bulanan": d["pendapatan_bulanan"],
                    "dicatat_oleh": self.oleh,
                },
                baru=True,
            )

    def tulis(self, daftar, *, oleh, alasan):
        from mitra.models import PengukuranPendapatan

        self._tulis_bulk(PengukuranPendapatan, daftar, oleh=oleh, alasan=alasan)


PENANGAN = {
    "mitra": PenanganMitra,
    "kelompok": PenanganKelompok,
    "bantuan": PenanganBantuan,
    "angsuran": PenanganAngsuran,
    "pengukuran": PenanganPengukuran,
}

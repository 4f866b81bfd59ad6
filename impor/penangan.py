"""The base of the per-kind handlers: parse, resolve, decide and write a row."""

from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from impor import bersih
from impor.bersih import NilaiTidakValid
from impor.hasil import AKSI_BARU, AKSI_TETAP, AKSI_UBAH, Baris
from impor.sisip import sisip_dengan_riwayat, ubah_dengan_riwayat
from impor.skema import Skema
from klaster import versi
from klaster.akses import klaster_dikelola
from klaster.format import format_tanggal
from klaster.models import Klaster, Wilayah

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
                bersih.bukan_galat_excel(nilai)  # "#N/A" is a failed formula, not data
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
            # the import writes these klaster's figures in bulk (no ORM signals): their
            # versions change first, before any row lock (klaster/versi.py)
            versi.naikkan([k.pk for k in pilihan.values()])
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
        b.sebelum = {f: getattr(obj, f) for f in berubah}  # the preview shows before → after
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
        self._kelompok_per_klaster: dict[int, list] = {k: [] for k in klaster_ids}
        for k in Kelompok.objects.filter(klaster_id__in=klaster_ids).order_by("kode"):
            self._peta_kelompok[(k.klaster_id, "kode", k.kode.casefold())] = k
            kunci = (k.klaster_id, "nama", bersih.kunci_teks(k.nama))
            self._peta_kelompok[kunci] = _AMBIGU if kunci in self._peta_kelompok else k
            self._kelompok_per_klaster[k.klaster_id].append(k)

    def _calon_kelompok(self, klaster_id: int, nilai) -> list:
        """Kelompok of the klaster whose name holds the written words as whole words, in
        order ("Berkah" → "Tani Berkah", "Ternak Berkah"): the candidates a person meant
        when the name they wrote matches no kelompok exactly, or matches several."""
        kata = bersih.kunci_teks(nilai).split()
        if not kata:
            return []
        n = len(kata)
        hasil = []
        for k in self._kelompok_per_klaster.get(klaster_id, []):
            nama = bersih.kunci_teks(k.nama).split()
            if any(nama[i : i + n] == kata for i in range(len(nama) - n + 1)):
                hasil.append(k)
        return hasil

    def _kelompok(self, b: Baris, kunci: str):
        nilai = b.bersih.get(kunci)
        if not nilai:
            return None
        k = self._peta_kelompok.get((b.klaster.pk, "kode", bersih.kunci_teks(nilai)))
        if k is None:
            k = self._peta_kelompok.get((b.klaster.pk, "nama", bersih.kunci_teks(nilai)))
        if k is not None and k is not _AMBIGU:
            return k
        calon = self._calon_kelompok(b.klaster.pk, nilai)
        if k is _AMBIGU:  # only the kelompok of exactly that name
            calon = [c for c in calon if bersih.kunci_teks(c.nama) == bersih.kunci_teks(nilai)]
        daftar = ", ".join(f"{c.kode} {c.nama}" for c in calon[:_CALON_MAKS])
        if len(calon) > _CALON_MAKS:
            daftar += _(" dan %(n)d lainnya") % {"n": len(calon) - _CALON_MAKS}
        if len(calon) > 1:
            b.tolak(
                self.judul(kunci),
                _(
                    "Nama kelompok '%(nilai)s' ambigu: cocok dengan %(calon)s. Tulis kode "
                    "kelompoknya."
                )
                % {"nilai": nilai, "calon": daftar},
            )
        elif len(calon) == 1:
            b.tolak(
                self.judul(kunci),
                _(
                    "Kelompok '%(nilai)s' tidak ada di klaster %(klaster)s; mungkin maksudnya "
                    "%(calon)s? Tulis kode atau nama lengkap kelompoknya."
                )
                % {"nilai": nilai, "klaster": b.klaster.nama, "calon": daftar},
            )
        else:
            b.tolak(
                self.judul(kunci),
                _(
                    "Kelompok '%(nilai)s' tidak ada di klaster %(klaster)s; impor kelompok dulu "
                    "atau periksa kode/nama kelompok."
                )
                % {"nilai": nilai, "klaster": b.klaster.nama},
            )
        return None

    def _tolak_galat(self, b: Baris, galat: dict, kolom: dict | None = None) -> None:
        """Put the findings of an app's rule set (`<app>/aturan.py`, keyed by field) on the
        row, under the columns they concern: `kolom` maps a field to its column key when
        the names differ; a finding about the whole record goes under the identity column."""
        kolom = kolom or {}
        for nama_field, daftar in galat.items():
            if nama_field == "__all__":
                judul = self.judul_identitas()
            else:
                judul = self.judul(kolom.get(nama_field, nama_field))
            for pesan in daftar:
                b.tolak(judul, pesan)

    def _tanggal_lalu(self, b: Baris, kunci: str) -> None:
        t = b.bersih.get(kunci)
        if t and t > self.hari_ini:
            b.tolak(
                self.judul(kunci),
                _("Tanggal %(t)s belum terjadi; periksa tahunnya.") % {"t": format_tanggal(t)},
            )


_AMBIGU = object()
_CALON_MAKS = 5  # candidates named in a message


def _nama_field(model, nama: str) -> str:
    f = model._meta.get_field(nama)
    return f.name


def _dalam_potongan(nilai: list, ukuran: int = 2000):
    for i in range(0, len(nilai), ukuran):
        yield nilai[i : i + ukuran]

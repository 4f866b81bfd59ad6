"""The impact report and the dashboard, cached per klaster under the versions of their
figures kept in the database (klaster/versi.py).

Two levels of entries, each keyed on the versions it was computed from, so an entry is never
stale and nothing is invalidated by hand:
1. one per klaster and section: the klaster's part (laporan.selectors.<bagian>_per_klaster)
   under that klaster's version — and the reference tables' version for the sections that
   read them (poverty lines, funds, regions) — the filters and the date. A write in one
   klaster changes one version, so the next request recomputes that klaster's parts only
   (set-based, every missing klaster at once) and merges them with the others' cached parts.
2. one per scope and section: the merged figures, under the versions of every klaster in
   the scope. A repeated request reads these and merges nothing.

Entries live in the shared cache (settings.CACHES["laporan"]: a database table by default,
so they survive a restart and are shared by every worker; Redis when configured), with a
copy in each process's own cache in front (CACHES["default"]). A key names the data its
entry was computed from, so a copy can never disagree with the shared entry.
"""

import hashlib
from dataclasses import astuple, dataclass

from django.core.cache import caches
from django.utils.translation import get_language

from klaster import versi as versi_angka
from klaster.garis_kemiskinan import Garis, PencariGaris
from laporan import selectors

# rows of the per-kelompok and per-mitra income tables and of the excluded list on the page;
# the exports hold every row (laporan_dampak with pendapatan="lengkap")
BARIS_HALAMAN = 100

# the sections of the report, the group of per-klaster parts each is computed with, and
# whether it reads the reference tables (then the reference version is in its keys)
BAGIAN = {
    "dasar": ("dasar", True),
    "portofolio": ("portofolio", False),
    "dana_bergulir": ("dana_bergulir", True),
    "pendapatan": ("pendapatan", True),
    "pendapatan_daftar": ("pendapatan", True),
    "kegiatan": ("kegiatan", False),
}


@dataclass(frozen=True)
class Versi:
    """The versions a report's figures are computed from: each klaster's, and the
    reference tables'."""

    klaster: tuple[tuple[int, int], ...]  # (klaster id, version), by id
    acuan: int

    def ids(self) -> list[int]:
        return [k for k, _v in self.klaster]


def versi_dari(klaster_list) -> Versi:
    """The versions of klaster read with klaster.versi.dengan_versi (a klaster without a
    version row yet gets one: a query or three, once)."""
    per_klaster = {k.pk: k.versi_angka for k in klaster_list}
    acuan = next((k.versi_acuan for k in klaster_list), None)
    if acuan is None or None in per_klaster.values():
        per_klaster, acuan = versi_angka.baca(per_klaster)
    return Versi(tuple(sorted(per_klaster.items())), acuan)


def _kunci(*bagian) -> str:
    teks = "|".join(repr(b) for b in bagian)
    return "laporan:" + hashlib.sha256(teks.encode()).hexdigest()[:40]


def _ambil(kunci) -> dict:
    """The entries found, from this process's copy first, then the shared cache (whose
    hits are copied here)."""
    kunci = list(kunci)
    lokal = caches["default"].get_many(kunci)
    kurang = [k for k in kunci if k not in lokal]
    if kurang:
        bersama = caches["laporan"].get_many(kurang)
        if bersama:
            caches["default"].set_many(bersama)
            lokal.update(bersama)
    return lokal


def _simpan(entri: dict) -> None:
    if entri:
        caches["laporan"].set_many(entri)
        caches["default"].set_many(entri)


def _kunci_klaster(nama: str, klaster_id: int, versi_klaster: int, s, versi: Versi) -> str:
    grup, acuan = BAGIAN[nama]
    return _kunci(
        1,
        nama,
        klaster_id,
        versi_klaster,
        versi.acuan if acuan else None,
        s.parameter(),
        BARIS_HALAMAN if grup == "pendapatan" else None,
    )


def _pencari(versi: Versi) -> PencariGaris:
    """The poverty lines (the reference tables' version keys them)."""
    kunci = _kunci("garis", versi.acuan)
    garis = _ambil([kunci]).get(kunci)
    if garis is None:
        garis = [astuple(g) for g in PencariGaris().garis]
        _simpan({kunci: garis})
    return PencariGaris([Garis(*g) for g in garis])


def _hitung(grup: str, s, ids, versi: Versi) -> dict:
    """{klaster id: {section: part}} for the klaster `ids` (every one at once)."""
    if grup == "dasar":
        return {k: {"dasar": p} for k, p in selectors.dasar_per_klaster(s, ids).items()}
    if grup == "portofolio":
        return {k: {"portofolio": p} for k, p in selectors.portofolio_per_klaster(s, ids).items()}
    if grup == "dana_bergulir":
        per_klaster = selectors.dana_bergulir_per_klaster(s, ids)
        return {k: {"dana_bergulir": p} for k, p in per_klaster.items()}
    if grup == "pendapatan":
        return selectors.pendapatan_per_klaster(s, ids, _pencari(versi), batas=BARIS_HALAMAN)
    if grup == "kegiatan":
        return {k: {"kegiatan": p} for k, p in selectors.kegiatan_per_klaster(s, ids).items()}
    raise ValueError(grup)


def bagian_per_klaster(s, versi: Versi, nama_list) -> dict[str, list]:
    """{section: the parts of every klaster of the scope, by klaster id}: from the cache
    (one read for all), the missing ones computed together per group and stored."""
    versi_k = dict(versi.klaster)
    kunci = {
        (nama, k): _kunci_klaster(nama, k, v, s, versi)
        for nama in nama_list
        for k, v in versi_k.items()
    }
    ada = _ambil(kunci.values())
    hasil: dict = {nama: {} for nama in nama_list}
    kurang: dict = {}
    for (nama, k), key in kunci.items():
        if key in ada:
            hasil[nama][k] = ada[key]
        else:
            kurang.setdefault(BAGIAN[nama][0], set()).add(k)
    baru = {}
    for grup, ids in kurang.items():
        for k, per_nama in _hitung(grup, s, ids, versi).items():
            for nama, part in per_nama.items():
                if nama in hasil:
                    hasil[nama][k] = part
                # a sibling section computed with it is kept too (pendapatan_daftar)
                baru[_kunci_klaster(nama, k, versi_k[k], s, versi)] = part
    _simpan(baru)
    return {nama: [hasil[nama][k] for k in versi.ids() if k in hasil[nama]] for nama in nama_list}


def _gabung(nama: str, s, parts: list, versi: Versi):
    if nama == "dasar":
        return selectors.gabung_dasar(parts)
    if nama == "portofolio":
        return selectors.gabung_portofolio(parts, s.tanggal_posisi)
    if nama == "dana_bergulir":
        return selectors.gabung_dana_bergulir(parts)
    if nama == "pendapatan":
        return selectors.gabung_pendapatan(parts)
    if nama == "pendapatan_daftar":
        ruang = selectors.untuk_klaster(s, versi.ids())

        def ambil_baris(ids):
            return selectors.baris_pendapatan(ruang, _pencari(versi), mitra_ids=ids)

        return selectors.gabung_daftar_pendapatan(parts, BARIS_HALAMAN, ambil_baris)
    if nama == "kegiatan":
        return selectors.kegiatan_lipat(s, [r for part in parts for r in part])
    raise ValueError(nama)


def ambil(s, versi: Versi, nama_list) -> dict:
    """{section: its figures over the scope of `versi`}: the merged entries from the cache,
    the missing ones merged from the klaster's parts (bagian_per_klaster) and stored. The
    language is in the key: labels are translated when merged."""
    kunci = {
        nama: _kunci(
            2,
            nama,
            versi.klaster,
            versi.acuan if BAGIAN[nama][1] else None,
            s.parameter(),
            BARIS_HALAMAN if BAGIAN[nama][0] == "pendapatan" else None,
            get_language(),
        )
        for nama in nama_list
    }
    ada = _ambil(kunci.values())
    hasil = {nama: ada[key] for nama, key in kunci.items() if key in ada}
    kurang = [nama for nama in nama_list if nama not in hasil]
    if kurang:
        parts = bagian_per_klaster(s, versi, kurang)
        baru = {}
        for nama in kurang:
            hasil[nama] = baru[kunci[nama]] = _gabung(nama, s, parts[nama], versi)
        _simpan(baru)
    return hasil


def laporan_dampak(
    s, versi: Versi, *, dengan_dana_bergulir: bool = True, pendapatan: str = "halaman"
) -> selectors.LaporanDampak:
    """The report over the scope of `versi`. `pendapatan`: "ringkas" (the dashboard: the
    income summary only), "halaman" (the report page: with the first rows of its tables) or
    "lengkap" (the exports: every row, computed now)."""
    nama_list = ["dasar", "portofolio", "pendapatan", "kegiatan"]
    if dengan_dana_bergulir:
        nama_list.append("dana_bergulir")
    if pendapatan == "halaman":
        nama_list.append("pendapatan_daftar")
    b = ambil(s, versi, nama_list)
    pd = b["pendapatan"]
    if pendapatan == "halaman":
        pd = {**pd, **b["pendapatan_daftar"]}
    elif pendapatan == "lengkap":
        ruang = selectors.untuk_klaster(s, versi.ids())
        pd = selectors.perubahan_pendapatan(ruang, _pencari(versi))
    return selectors.LaporanDampak(
        saringan=s,
        orang=b["dasar"]["orang"],
        uang=b["dasar"]["uang"],
        portofolio=b["portofolio"],
        dana_bergulir=b.get("dana_bergulir", []),
        pendapatan=pd,
        kegiatan=b["kegiatan"],
    )

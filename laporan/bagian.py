"""The impact report and the dashboard, cached per klaster under the versions of their
figures kept in the database (klaster/versi.py).

Four levels of entries, each keyed on the versions it was computed from, so an entry is
never stale and nothing is invalidated by hand:
1. one per klaster and group of sections (BAGIAN): the klaster's part
   (laporan.selectors.<bagian>_per_klaster) under that group's version (klaster/versi.py),
   the reference tables' version (poverty lines, funds, regions), the filters and the
   date. A write in one klaster changes the versions of the groups it touches, so the next
   request recomputes those parts of that klaster only (set-based, every missing klaster
   at once): after a visit, its visits section.
2. one per block of BLOK klaster (by id) of a larger scope and group of sections: the
   group's parts of the block's klaster added into one part of the same shape
   (`_jumlahkan`), under that group's version in each klaster of the block. After a write
   only the written klaster's block is added up again, for the groups the write touched,
   and the scope merges one part per block instead of one per klaster (a thousand klaster:
   32 blocks).
3. one per scope and section: that section's merged figures, under the version of its
   group in every klaster of the scope (`bagian_gabungan`). After a visit only the visits
   section is merged again; a restarted worker reads the others back.
4. one per scope and the sections a page asks together, in this process only, under the
   versions of every klaster in the scope (`ambil`): a repeated request reads this one
   entry and nothing else.

Where entries live: klaster/simpanan.py (the shared cache, with this process's copy in
front).
"""

from dataclasses import dataclass

from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language

from bantuan import selectors as bantuan_selectors
from klaster import simpanan
from klaster import versi as versi_angka
from klaster.garis_kemiskinan import PencariGaris
from klaster.models import Klaster
from laporan import selectors
from program import selectors as program_selectors
from tabungan import selectors as tabungan_selectors

# rows of the per-kelompok and per-mitra income tables and of the excluded list on the page;
# the exports hold every row (laporan_dampak with pendapatan="lengkap")
BARIS_HALAMAN = 100

# the sections of the report and the group of per-klaster parts each is computed with
BAGIAN = {
    "dasar": "dasar",
    "portofolio": "portofolio",
    "dana_bergulir": "dana_bergulir",
    "pendapatan": "pendapatan",
    "pendapatan_daftar": "pendapatan",
    "kegiatan": "kegiatan",
    "program": "program",
    "tabungan": "tabungan",
}
LAPORAN = tuple(BAGIAN)  # the report page and its exports
# klaster whose missing parts are computed (set-based) and stored together
KLASTER_PER_HITUNG = 100
# klaster per block (level 2 above): a scope of more merges one part per block
BLOK = 32
DASBOR = ("dasar", "portofolio", "pendapatan", "kegiatan", "program")


@dataclass(frozen=True)
class Versi:
    """The versions a report's figures are computed from: each klaster's, and the
    reference tables'."""

    klaster: tuple[tuple[int, int], ...]  # (klaster id, version), by id
    acuan: int

    def ids(self) -> list[int]:
        return [k for k, _v in self.klaster]


def saringan_dasbor(klaster_qs, hari_ini) -> tuple[selectors.Saringan, Versi]:
    """The dashboard's filter over the klaster of klaster_qs as of today (no period: the
    whole programme to date) and their versions, read in one query. A warm request uses
    only the versions (the key of its rendered body): the filter's klaster queryset, a
    thousand ids at national scale, is built only when a section is computed."""
    versi = _versi(*versi_angka.dari_lingkup(klaster_qs))
    saringan = selectors.Saringan(
        klaster=SimpleLazyObject(lambda: Klaster.objects.filter(pk__in=versi.ids())),
        sampai=hari_ini,
        per_tanggal=hari_ini,
    )
    return saringan, versi


def kunci_dasbor(klaster_qs, hari_ini, lingkup: tuple | None = None) -> str | None:
    """The key of the dashboard's figures over klaster_qs as of today, from a digest of the
    scope's versions that PostgreSQL computes (klaster.versi.sidik_lingkup: one row instead
    of a thousand, the warm dashboard's largest cost at national scale). None where that
    digest cannot be read: then kunci_ambil of saringan_dasbor's versions keys it.
    `lingkup`: klaster_qs's scope name (klaster.models.kunci_lingkup), if it has one."""
    sidik = versi_angka.sidik_lingkup(klaster_qs, lingkup)
    if sidik is None:
        return None
    s = selectors.Saringan(klaster=None, sampai=hari_ini, per_tanggal=hari_ini)
    return simpanan.kunci(
        "dasbor", DASBOR, sidik, s.parameter(), BARIS_HALAMAN, get_language()
    )  # fmt: skip


def hitung_dasbor(klaster_qs, hari_ini) -> int:
    """Compute and store what the dashboard and the impact report over klaster_qs as of
    today read: every klaster's parts, every block's and every merged section of the
    report (the dashboard's five among them).
    For `manage.py hitung_laporan` (after seed_demo, a deployment or a large import): a
    national scope's first computation takes about a minute at 1000 klaster, longer than a
    request may. Returns the number of klaster."""
    saringan, versi = saringan_dasbor(klaster_qs, hari_ini)
    bagian_gabungan(saringan, versi, LAPORAN)
    return len(versi.klaster)


def versi_dari(klaster_list) -> Versi:
    """The versions of klaster read with klaster.versi.dengan_versi (a klaster without a
    version row yet gets one: a query or three, once)."""
    return _versi(*versi_angka.dari_klaster(klaster_list))


def _versi(per_klaster: dict[int, int], acuan: int) -> Versi:
    return Versi(tuple(sorted(per_klaster.items())), acuan)


# the sections of each group (klaster/versi.py: a group's part of a klaster is kept under
# that group's version)
BAGIAN_GRUP = {g: tuple(n for n, gg in BAGIAN.items() if gg == g) for g in versi_angka.GRUP}


def _kunci_grup(klaster_id: int, grup: str, versi_grup: int, s, versi: Versi) -> str:
    return simpanan.kunci(
        5, grup, klaster_id, versi_grup, versi.acuan, s.parameter(), BARIS_HALAMAN
    )  # fmt: skip


def _hitung(grup: str, s, ids, pencari) -> dict:
    """{klaster id: {section: part}} for the klaster `ids` (every one at once)."""
    if grup == "dasar":
        return {k: {"dasar": p} for k, p in selectors.dasar_per_klaster(s, ids).items()}
    if grup == "portofolio":
        return {k: {"portofolio": p} for k, p in selectors.portofolio_per_klaster(s, ids).items()}
    if grup == "dana_bergulir":
        per_klaster = selectors.dana_bergulir_per_klaster(s, ids)
        return {k: {"dana_bergulir": p} for k, p in per_klaster.items()}
    if grup == "pendapatan":
        return selectors.pendapatan_per_klaster(s, ids, pencari(), batas=BARIS_HALAMAN)
    if grup == "kegiatan":
        return {k: {"kegiatan": p} for k, p in selectors.kegiatan_per_klaster(s, ids).items()}
    if grup == "program":
        per_klaster = program_selectors.program_per_klaster(s, ids, pencari(), batas=BARIS_HALAMAN)
        return {k: {"program": p} for k, p in per_klaster.items()}
    if grup == "tabungan":
        per_klaster = tabungan_selectors.tabungan_per_klaster(s, ids)
        return {k: {"tabungan": p} for k, p in per_klaster.items()}
    raise ValueError(grup)


class _Pencari:
    """The poverty lines, read once per request when a section needs them (one query)."""

    def __init__(self):
        self._pencari = None

    def __call__(self) -> PencariGaris:
        if self._pencari is None:
            self._pencari = PencariGaris()
        return self._pencari


def bagian_per_klaster(
    s, versi: Versi, nama_list, pencari=None, versi_grup=None
) -> dict[str, list]:
    """{section: the parts of every klaster of the scope, by klaster id}: a cache entry per
    klaster and group of sections, under that group's version (one read for all, unless
    `versi_grup` brings them: versi_angka.baca_grup of these klaster or more); the groups
    missing are computed together, set-based, for the klaster that miss them, and stored.
    After a visit, the visited klaster's visits group only (and the groups of what the
    meeting recorded besides)."""
    pencari = pencari or _Pencari()
    ids = versi.ids()
    if versi_grup is None:
        versi_grup = versi_angka.baca_grup(ids)
    kunci = {
        (k, g): _kunci_grup(k, g, versi_grup[k][g], s, versi) for k in ids for g in BAGIAN_GRUP
    }
    ada = simpanan.ambil(kunci.values())
    entri = {k: {} for k in ids}
    for (k, _g), key in kunci.items():
        entri[k].update(ada.get(key, {}))
    kurang = [k for k in ids if any(nama not in entri[k] for nama in LAPORAN)]
    # in batches, each stored as soon as it is computed: at national scale (a thousand
    # klaster) a request cut by its timeout still leaves its finished batches for the next
    for awal in range(0, len(kurang), KLASTER_PER_HITUNG):
        potong = kurang[awal : awal + KLASTER_PER_HITUNG]
        baru = {}
        for grup, nama_grup in BAGIAN_GRUP.items():
            perlu = [k for k in potong if any(nama not in entri[k] for nama in nama_grup)]
            for k, per_nama in (_hitung(grup, s, perlu, pencari) if perlu else {}).items():
                entri[k].update(per_nama)
                baru[kunci[(k, grup)]] = {nama: entri[k][nama] for nama in nama_grup}
        # the last batch is written after the response (the others at once)
        terakhir = awal + KLASTER_PER_HITUNG >= len(kurang)
        simpanan.simpan(baru, setelah_jawaban=terakhir)
    return {nama: [entri[k][nama] for k in ids if nama in entri[k]] for nama in nama_list}


def _kunci_blok(blok: tuple, grup: str, versi_grup: dict, s, versi: Versi) -> str:
    per_klaster = tuple((k, versi_grup[k][grup]) for k, _v in blok)
    return simpanan.kunci(7, grup, per_klaster, versi.acuan, s.parameter(), BARIS_HALAMAN)


def _jumlahkan(nama: str, s, parts: list):
    """One part standing for several klaster's, of the shape of one klaster's: `_gabung`
    gives the same figures from the blocks' parts as from the klaster's (tested on every
    partition of a scope into blocks: laporan/tests/test_dampak_cache.py)."""
    if nama == "dasar":
        return selectors.jumlahkan_dasar(parts)
    if nama == "portofolio":
        return bantuan_selectors.gabung_ringkasan(parts, s.tanggal_posisi)
    if nama == "dana_bergulir":  # the table lists every klaster: their rows, kept
        return [r for p in parts for r in p]
    if nama == "pendapatan":
        return selectors.jumlahkan_pendapatan(parts)
    if nama == "pendapatan_daftar":
        return selectors.jumlahkan_daftar_pendapatan(parts, BARIS_HALAMAN)
    if nama == "kegiatan":
        return selectors.kegiatan_jumlahkan(parts)
    if nama == "program":
        return program_selectors.jumlahkan_program(parts, batas=BARIS_HALAMAN)
    if nama == "tabungan":
        return tabungan_selectors.jumlahkan_tabungan(parts)
    raise ValueError(nama)


def bagian_per_blok(s, versi: Versi, nama_list, pencari=None, versi_grup=None) -> dict[str, list]:
    """{section: the parts to merge for the scope of `versi`}: a scope of at most BLOK
    klaster merges its klaster's parts (bagian_per_klaster); a larger one, one part per
    block of BLOK klaster and group of sections, each read from its entry (under that
    group's version in each klaster of the block) or added up from its klaster's parts (and
    stored). After a visit, the visits group of the visited klaster's block only; the other
    groups' entries are not read at all."""
    if len(versi.klaster) <= BLOK:
        parts = bagian_per_klaster(s, versi, nama_list, pencari, versi_grup)
        # the fund table's rows are the klaster's parts themselves
        return {**parts, **({"dana_bergulir": [[p] for p in parts["dana_bergulir"]]}
                            if "dana_bergulir" in parts else {})}  # fmt: skip
    pencari = pencari or _Pencari()
    if versi_grup is None:
        versi_grup = versi_angka.baca_grup(versi.ids())
    blok = [versi.klaster[i : i + BLOK] for i in range(0, len(versi.klaster), BLOK)]
    grup_list = sorted({BAGIAN[nama] for nama in nama_list})
    kunci = {
        (i, g): _kunci_blok(b, g, versi_grup, s, versi)
        for i, b in enumerate(blok)
        for g in grup_list
    }
    ada = simpanan.ambil(kunci.values())
    kurang = [ig for ig, k in kunci.items() if k not in ada]
    if kurang:
        # the missing blocks' klaster parts, read (and the missing ones computed) together
        blok_kurang = sorted({i for i, _g in kurang})
        sub = Versi(tuple(kv for i in blok_kurang for kv in blok[i]), versi.acuan)
        nama_perlu = [nama for nama in LAPORAN if BAGIAN[nama] in {g for _i, g in kurang}]
        parts = bagian_per_klaster(s, sub, nama_perlu, pencari, versi_grup)
        per_klaster = {
            k: {nama: parts[nama][n] for nama in nama_perlu} for n, k in enumerate(sub.ids())
        }
        baru = {}
        for i, g in kurang:
            isi = [per_klaster[k] for k, _v in blok[i]]
            baru[kunci[(i, g)]] = {
                nama: _jumlahkan(nama, s, [p[nama] for p in isi] if nama != "dana_bergulir"
                                 else [[p[nama]] for p in isi])
                for nama in BAGIAN_GRUP[g]
            }  # fmt: skip
        simpanan.simpan(baru, setelah_jawaban=True)
        ada = {**ada, **baru}
    return {
        nama: [ada[kunci[(i, BAGIAN[nama])]][nama] for i in range(len(blok))] for nama in nama_list
    }


def _gabung(nama: str, s, parts: list, versi: Versi, pencari):
    if nama == "dasar":
        return selectors.gabung_dasar(parts)
    if nama == "portofolio":
        return selectors.gabung_portofolio(parts, s.tanggal_posisi)
    if nama == "dana_bergulir":  # one list of rows per block
        return selectors.gabung_dana_bergulir([r for p in parts for r in p])
    if nama == "pendapatan":
        return selectors.gabung_pendapatan(parts)
    if nama == "pendapatan_daftar":
        ruang = selectors.untuk_klaster(s, versi.ids())

        def ambil_baris(ids):
            return selectors.baris_pendapatan(ruang, pencari(), mitra_ids=ids)

        return selectors.gabung_daftar_pendapatan(parts, BARIS_HALAMAN, ambil_baris)
    if nama == "kegiatan":
        return selectors.kegiatan_gabung(s, parts)
    if nama == "program":
        return program_selectors.gabung_program(s, parts, batas=BARIS_HALAMAN)
    if nama == "tabungan":
        return tabungan_selectors.gabung_tabungan(parts)
    raise ValueError(nama)


def kunci_ambil(s, versi: Versi, nama_list) -> str:
    """The key of `ambil`'s entry: it names every figure and label the entry holds (a page
    rendered from the entry alone may be kept under it)."""
    return simpanan.kunci(
        2, tuple(nama_list), versi.klaster, versi.acuan, s.parameter(), BARIS_HALAMAN,
        get_language(),
    )  # fmt: skip


def ambil(s, versi: Versi, nama_list) -> dict:
    """{section: its figures over the scope of `versi`}, for the sections asked together (a
    page, a chart): one entry in this process under every klaster's version in the scope (a
    repeated request reads nothing more); when it is missing, each section from its own
    entry (bagian_gabungan). The language is in the key: labels are translated when
    merged."""
    kunci = kunci_ambil(s, versi, nama_list)
    nama_list = tuple(nama_list)
    hasil = simpanan.ambil_di_proses(kunci)
    if hasil is None:
        hasil = bagian_gabungan(s, versi, nama_list)
        simpanan.simpan_di_proses({kunci: hasil})
    return hasil


def _kunci_gabungan(nama: str, s, versi: Versi, versi_grup: dict) -> str:
    grup = BAGIAN[nama]
    per_klaster = tuple((k, versi_grup[k][grup]) for k in versi.ids())
    return simpanan.kunci(
        6, nama, per_klaster, versi.acuan, s.parameter(), BARIS_HALAMAN, get_language()
    )  # fmt: skip


def bagian_gabungan(s, versi: Versi, nama_list) -> dict:
    """{section: its figures over the scope of `versi`}: an entry per section under the
    version of that section's group in every klaster of the scope (read in one query), in
    the shared cache; the sections missing are merged from their parts (bagian_per_blok)
    and stored. After a visit only the visits section is merged again: the other sections'
    groups did not change. This holds because a section's merge reads only tables its
    group's version answers for, as its parts do (laporan/tests/test_dampak_cache.py
    checks both against what every write writes)."""
    versi_grup = versi_angka.baca_grup(versi.ids())
    kunci = {nama: _kunci_gabungan(nama, s, versi, versi_grup) for nama in nama_list}
    ada = simpanan.ambil(kunci.values())
    hasil = {nama: ada[k] for nama, k in kunci.items() if k in ada}
    kurang = [nama for nama in nama_list if nama not in hasil]
    if kurang:
        pencari = _Pencari()
        parts = bagian_per_blok(s, versi, kurang, pencari, versi_grup)
        baru = {nama: _gabung(nama, s, parts[nama], versi, pencari) for nama in kurang}
        simpanan.simpan({kunci[n]: v for n, v in baru.items()}, setelah_jawaban=True)
        hasil.update(baru)
    return {nama: hasil[nama] for nama in nama_list}


def laporan_dampak(
    s, versi: Versi, *, bagian: dict | None = None, pendapatan: str = "halaman"
) -> selectors.LaporanDampak:
    """The report over the scope of `versi` from its sections (`bagian`: already read with
    ambil; else the report page's, LAPORAN). `pendapatan`: "ringkas" (the dashboard: the
    income summary), "halaman" (the report page: with the first rows of its tables) or
    "lengkap" (the exports: every row of the income tables and every household the
    programme's sections name, computed now)."""
    b = bagian if bagian is not None else ambil(s, versi, LAPORAN)
    pd, program = b["pendapatan"], b.get("program")
    if pendapatan == "halaman":
        pd = {**pd, **b["pendapatan_daftar"]}
    elif pendapatan == "lengkap":  # every row and every named household, computed now
        ruang = selectors.untuk_klaster(s, versi.ids())
        pd = selectors.perubahan_pendapatan(ruang, PencariGaris())
        program = program_selectors.bagian_program(ruang)
    return selectors.LaporanDampak(
        saringan=s,
        orang=b["dasar"]["orang"],
        uang=b["dasar"]["uang"],
        portofolio=b["portofolio"],
        dana_bergulir=b.get("dana_bergulir", []),
        pendapatan=pd,
        kegiatan=b["kegiatan"],
        program=program,
        tabungan=b.get("tabungan"),
    )

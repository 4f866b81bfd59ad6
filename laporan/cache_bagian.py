"""The impact report and the dashboard cached section by section (issue 8).

Each section is cached under the version of only the tables it reads (klaster/versi_data.py
explains the fingerprint), the scope, the filter parameters and the language, so a write
recomputes only what it can change: a new visit the activity section, a new instalment the
portfolio and the revolving fund, a new income reading the income section. The dashboard,
the report page, its charts and its exports read the same entries.

All the sections' versions come from ONE query (`versi_bagian`, through
versi_data.versi_per_tabel): the highest history id of every table any section reads, plus
the scope's fingerprint, split per section in Python.

The activity section is also kept per month (`_kegiatan`): facilitators save visits all day,
and each new visit changed its version, so the dashboard recomputed the whole history of
visits and attendance (~1.5 s at national scale) right after every visit.
"""

import time

from django.core.cache import cache
from django.utils.translation import get_language

from klaster import versi_data
from laporan import selectors

# the tables each section reads (labels of klaster.versi_data); Klaster for names and
# kabupaten, Mitra and Kelompok for the filters every section applies
BAGIAN = {
    # people, money disbursed, poverty lines, the kelompok choices of the form
    "dasar": [
        "klaster.Klaster",
        "mitra.Mitra",
        "kelompok.Kelompok",
        "kelompok.Lembaga",
        "bantuan.Bantuan",
        "bantuan.SumberDana",
        "laporan.GarisKemiskinan",
    ],
    "portofolio": [
        "klaster.Klaster",
        "mitra.Mitra",
        "kelompok.Kelompok",
        "bantuan.Bantuan",
        "bantuan.Angsuran",
        "bantuan.SumberDana",
    ],
    "dana_bergulir": [
        "klaster.Klaster",
        "bantuan.Bantuan",
        "bantuan.Angsuran",
        "bantuan.SumberDana",
    ],
    "pendapatan": [
        "klaster.Klaster",
        "mitra.Mitra",
        "kelompok.Kelompok",
        "mitra.PengukuranPendapatan",
        "laporan.GarisKemiskinan",
    ],
    "kegiatan": ["klaster.Klaster", "mitra.Mitra", "kelompok.Kelompok", "kunjungan.Kunjungan"],
}
SEMUA = list(BAGIAN)

# rows of the per-mitra income table and of the excluded list kept for the pages; the
# exports compute every row (see pendapatan_lengkap)
BARIS_HALAMAN = 100


def _label_semua() -> frozenset[str]:
    return frozenset(label for labels in BAGIAN.values() for label in labels)


KUNJUNGAN = "kunjungan.Kunjungan"
# extra entries of versi_bagian's answer, for the activity section's rows per month
_VERSI_KUNJUNGAN = "_kunjungan"
_VERSI_TANPA_KUNJUNGAN = "_kegiatan_tanpa_kunjungan"
_VERSI_PINJAMAN = ("bantuan.Bantuan", "bantuan.Angsuran")


def versi_bagian(lingkup) -> dict[str, str]:
    """{section: version} for every section of BAGIAN, in one query. `lingkup` is a
    queryset of klaster ids (the report's klaster), as for versi_data.versi. Two more
    entries serve `_kegiatan`: the visits' own version and the activity section's version
    without it."""
    per_tabel, lingkup_teks = versi_data.versi_per_tabel(lingkup, _label_semua())
    versi = {
        nama: ".".join([*(per_tabel[label] for label in labels), lingkup_teks])
        for nama, labels in BAGIAN.items()
    }
    versi[_VERSI_KUNJUNGAN] = per_tabel[KUNJUNGAN]
    # for the portfolio's per-loan figures (bantuan.selectors.ringkasan_portofolio_bertahap)
    for label in _VERSI_PINJAMAN:
        versi["_" + label] = per_tabel[label]
    versi["_lingkup"] = lingkup_teks
    versi[_VERSI_TANPA_KUNJUNGAN] = ".".join(
        [*(per_tabel[label] for label in BAGIAN["kegiatan"] if label != KUNJUNGAN), lingkup_teks]
    )
    return versi


def _parameter(s: selectors.Saringan, nama: str) -> tuple:
    if nama == "dana_bergulir":
        # the fund depends on the klaster (in the version's scope) and the date only
        return (s.tanggal_posisi,)
    return (
        s.dari,
        s.sampai,
        s.tanggal_posisi,
        s.sektor,
        s.kelompok_id,
        s.desa_kode,
        s.jenis_kelamin,
    )


def _kunci(s: selectors.Saringan, nama: str, versi: dict) -> str:
    # the language too: labels (sektor, "Tanpa kelompok") are translated when computed
    return "laporan:" + versi_data.kunci(nama, versi[nama], _parameter(s, nama), get_language())


def _ringkas_pendapatan(pd: dict) -> dict:
    """The income section for the pages: the first rows of the per-kelompok and per-mitra
    tables and of the excluded list (their lengths stay in n_per_kelompok, n_per_mitra and
    n_dikecualikan). At national scale the full tables (3,000 kelompok, 30,000 mitra) took
    longer to render than the whole report takes to read."""
    return {
        **pd,
        "per_kelompok": pd["per_kelompok"][:BARIS_HALAMAN],
        "per_mitra": pd["per_mitra"][:BARIS_HALAMAN],
        "dikecualikan": pd["dikecualikan"][:BARIS_HALAMAN],
    }


def _hitung(nama: str, s: selectors.Saringan, sudah: dict, versi: dict):
    if nama == "dasar":
        return selectors.ringkasan_dasar(s, dengan_opsi_kelompok=True)
    if nama == "portofolio":
        pinjaman = {label: versi["_" + label] for label in _VERSI_PINJAMAN}
        return selectors.portofolio(s, {**pinjaman, "lingkup": versi["_lingkup"]})
    if nama == "dana_bergulir":
        klaster = selectors.klaster_dengan_dana_bergulir(
            s.klaster.order_by("nama"), per_tanggal=s.tanggal_posisi
        )
        return selectors.dana_bergulir(klaster)
    if nama == "pendapatan":
        pencari = sudah["dasar"]["pencari"] if "dasar" in sudah else None
        return _ringkas_pendapatan(selectors.perubahan_pendapatan(s, pencari))
    if nama == "kegiatan":
        return _kegiatan(s, versi)
    raise ValueError(nama)


def _kegiatan(s: selectors.Saringan, versi: dict) -> dict:
    """The activity section from its rows per month, cached under every table it reads
    except the visits' (klaster, mitra and kelompok: members joining or leaving change the
    attendance of every month), the scope, the filters and the date (follow-ups closed and
    visits in the last 30 days count as of that date), with the visit history rows already
    taken into account. When only visits were written since, only the months those writes
    touched (selectors.kegiatan_bulan_berubah) are recomputed and folded with the others:
    the same rows a full computation makes for those months, so the same figures.

    "Already taken into account": the highest visit history id H at the time, and the ids
    in the window (H - versi_data.JENDELA, H] read BEFORE the figures. A history row is new
    when its id is above H, or inside the window but not among those ids: a visit that
    committed after one holding a higher id (two saves at once) is found too, and the
    visits' version (which counts the window) tells that there is something to look for.

    The whole history is recomputed when nothing is cached, when the highest id went back
    (an entry written inside a transaction that was rolled back) and when the rows are
    older than CACHE_DETIK (the backstop for writes that bypass history)."""
    riwayat_versi = versi[_VERSI_KUNJUNGAN]
    riwayat = versi_data.riwayat_maks(riwayat_versi)
    kunci = "laporan:" + versi_data.kunci(
        "kegiatan-bulan", versi[_VERSI_TANPA_KUNJUNGAN], _parameter(s, "kegiatan")
    )
    lama = cache.get(kunci)
    sekarang = time.time()
    if lama is not None and lama["versi"] == riwayat_versi:
        pass
    elif (
        lama is None
        or lama["riwayat"] > riwayat
        or sekarang - lama["sejak"] > versi_data.CACHE_DETIK
    ):
        # the window first: whatever it lists was committed before the figures are read
        dilihat = selectors.riwayat_kunjungan_sejak(riwayat - versi_data.JENDELA)
        per_bulan: dict = {}
        for r in selectors.kegiatan_baris(s):
            per_bulan.setdefault(r["bulan"], []).append(r)
        lama = {
            "sejak": sekarang,
            "versi": riwayat_versi,
            "riwayat": riwayat,
            "dilihat": dilihat,
            "per_bulan": per_bulan,
        }
        cache.set(kunci, lama, versi_data.CACHE_DETIK)
    else:
        bulan, baru = selectors.kegiatan_bulan_berubah(
            s, riwayat=lama["riwayat"], dilihat=lama["dilihat"]
        )
        per_bulan = {b: rows for b, rows in lama["per_bulan"].items() if b not in bulan}
        if bulan:
            for r in selectors.kegiatan_baris(s, bulan):
                per_bulan.setdefault(r["bulan"], []).append(r)
        maks, dilihat = versi_data.sesudah_riwayat_baru(lama["riwayat"], lama["dilihat"], baru)
        # "sejak" stays: the backstop counts from the last full computation
        lama = {
            "sejak": lama["sejak"],
            "versi": riwayat_versi,
            "riwayat": maks,
            "dilihat": dilihat,
            "per_bulan": per_bulan,
        }
        cache.set(kunci, lama, versi_data.CACHE_DETIK)
    return selectors.kegiatan_lipat(s, [r for rows in lama["per_bulan"].values() for r in rows])


def ambil(s: selectors.Saringan, nama_list, versi: dict, *, sudah: dict | None = None) -> dict:
    """{section: figures} for the sections named, from the cache (one get_many) or computed
    and stored. `sudah`: sections the caller already holds (the income section reuses the
    poverty lines of "dasar"). The income section keeps only the pages' rows (see
    _ringkas_pendapatan)."""
    kunci = {nama: _kunci(s, nama, versi) for nama in nama_list}
    tersimpan = cache.get_many(list(kunci.values()))
    hasil, baru = {}, {}
    # "dasar" first: the income section reuses its poverty lines
    for nama in sorted(nama_list, key=lambda n: n != "dasar"):
        if kunci[nama] in tersimpan:
            hasil[nama] = tersimpan[kunci[nama]]
        else:
            hasil[nama] = baru[kunci[nama]] = _hitung(nama, s, {**(sudah or {}), **hasil}, versi)
    if baru:
        cache.set_many(baru, versi_data.CACHE_DETIK)
    return hasil


def laporan_dampak(
    s: selectors.Saringan,
    versi: dict,
    *,
    bagian: dict | None = None,
    dengan_dana_bergulir: bool = True,
    pendapatan_lengkap: bool = False,
) -> selectors.LaporanDampak:
    """The whole report from the cached sections (`bagian`: those already fetched). With
    `pendapatan_lengkap` (the exports) the income section is computed with every row."""
    bagian = dict(bagian or {})
    perlu = [
        n
        for n in SEMUA
        if n not in bagian
        and (dengan_dana_bergulir or n != "dana_bergulir")
        and not (pendapatan_lengkap and n == "pendapatan")
    ]
    bagian.update(ambil(s, perlu, versi, sudah=bagian))
    if pendapatan_lengkap:
        bagian["pendapatan"] = selectors.perubahan_pendapatan(s, bagian["dasar"]["pencari"])
    return selectors.LaporanDampak(
        saringan=s,
        orang=bagian["dasar"]["orang"],
        uang=bagian["dasar"]["uang"],
        portofolio=bagian["portofolio"],
        dana_bergulir=bagian.get("dana_bergulir", []),
        pendapatan=bagian["pendapatan"],
        kegiatan=bagian["kegiatan"],
    )

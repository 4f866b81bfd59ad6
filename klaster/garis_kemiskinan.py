"""BPS poverty lines (garis kemiskinan): loading the published figures and looking one up.

The figures are those quoted in shared/data/README.md (BPS Lebak and BPS Banten releases as
quoted in the press). Kabupaten lines are yearly; provincial lines come for March and
September.

Lookup rule, stated on the report for every reading it is applied to:
1. the kabupaten's line of the reading's year;
2. else the kabupaten's line of the nearest earlier year;
3. else the provincial line (the release in force at the reading's date: the latest release
   on or before it — March from March, September from September, else the nearest earlier);
4. else "tidak tersedia" (no line; the reading is left out of the poverty figures and counted).
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from klaster.models import GarisKemiskinan, Wilayah

Periode = GarisKemiskinan.Periode

SUMBER_LEBAK = "BPS Kabupaten Lebak, sebagaimana dikutip pers (shared/data/README.md)"
SUMBER_BANTEN = "BPS Provinsi Banten, sebagaimana dikutip pers (shared/data/README.md)"

# (wilayah kode, tahun, periode, nilai Rp/kapita/bulan, sumber)
DATA_GARIS_KEMISKINAN = [
    ("36.02", 2018, Periode.TAHUNAN, Decimal("283901"), SUMBER_LEBAK),
    ("36.02", 2020, Periode.TAHUNAN, Decimal("334509"), SUMBER_LEBAK),
    (
        "36.02",
        2023,
        Periode.TAHUNAN,
        Decimal("419000"),
        SUMBER_LEBAK + "; nilai perkiraan (≈419.000, dibulatkan dalam kutipan)",
    ),
    ("36.02", 2024, Periode.TAHUNAN, Decimal("440705"), SUMBER_LEBAK),
    ("36", 2022, Periode.MARET, Decimal("570368"), SUMBER_BANTEN),
    ("36", 2022, Periode.SEPTEMBER, Decimal("598748"), SUMBER_BANTEN),
    ("36", 2024, Periode.SEPTEMBER, Decimal("667403"), SUMBER_BANTEN),
    ("36", 2025, Periode.MARET, Decimal("684232"), SUMBER_BANTEN),
]


@dataclass
class HasilMuatGaris:
    dibuat: int = 0
    diubah: int = 0
    tetap: int = 0
    dilewati: int = 0  # the region is not loaded (run muat_wilayah first)


@transaction.atomic
def muat_garis_kemiskinan() -> HasilMuatGaris:
    """Load the published lines; idempotent (a second run changes nothing)."""
    kode_ada = set(
        Wilayah.objects.filter(kode__in={row[0] for row in DATA_GARIS_KEMISKINAN}).values_list(
            "kode", flat=True
        )
    )
    lama = {
        (g.wilayah_id, g.tahun, g.periode): g
        for g in GarisKemiskinan.objects.filter(wilayah_id__in=kode_ada)
    }
    hasil = HasilMuatGaris()
    for kode, tahun, periode, nilai, sumber in DATA_GARIS_KEMISKINAN:
        if kode not in kode_ada:
            hasil.dilewati += 1
            continue
        garis = lama.get((kode, tahun, periode))
        if garis is None:
            GarisKemiskinan.objects.create(
                wilayah_id=kode, tahun=tahun, periode=periode, nilai=nilai, sumber=sumber
            )
            hasil.dibuat += 1
        elif garis.nilai != nilai or garis.sumber != sumber:
            garis.nilai, garis.sumber = nilai, sumber
            garis.save(update_fields=["nilai", "sumber"])
            hasil.diubah += 1
        else:
            hasil.tetap += 1
    return hasil


def adalah_perkiraan(sumber: str) -> bool:
    """Whether a line's stored source calls its value an estimate ("perkiraan")."""
    return "perkiraan" in (sumber or "").casefold()


# How a line was found for a reading (shown on the report next to the figures).
TEPAT = "tepat"
TAHUN_SEBELUMNYA = "tahun_sebelumnya"
PROVINSI = "provinsi"
TIDAK_TERSEDIA = "tidak_tersedia"

KETERANGAN_CARA = {
    TEPAT: _("garis kabupaten tahun yang sama"),
    TAHUN_SEBELUMNYA: _("garis kabupaten tahun terdekat sebelumnya"),
    PROVINSI: _("garis provinsi (kabupaten tidak tersedia)"),
    TIDAK_TERSEDIA: _("garis kemiskinan tidak tersedia"),
}

# a provincial release is "in force" from the first day of its month
_BULAN_PERIODE = {Periode.TAHUNAN: 1, Periode.MARET: 3, Periode.SEPTEMBER: 9}


@dataclass(frozen=True)
class GarisTerpakai:
    cara: str
    nilai: Decimal | None = None
    wilayah_kode: str = ""
    wilayah_nama: str = ""
    tahun: int | None = None
    periode: str = ""
    # the line's source says its value is an estimate (Lebak 2023: rounded in the press)
    perkiraan: bool = False

    @property
    def keterangan(self) -> str:
        return str(KETERANGAN_CARA[self.cara])


@dataclass(frozen=True)
class Garis:
    """One published line, as the lookup needs it."""

    wilayah_id: str
    wilayah_nama: str
    tahun: int
    periode: str
    nilai: Decimal
    sumber: str = ""


class PencariGaris:
    """All lines held in memory (a handful of rows, one query); lookups cost no query."""

    def __init__(self, garis_list=None):
        if garis_list is None:
            garis_list = [
                Garis(g.wilayah_id, g.wilayah.nama, g.tahun, g.periode, g.nilai, g.sumber)
                for g in GarisKemiskinan.objects.select_related("wilayah")
            ]
        self.garis = list(garis_list)
        self._per_wilayah: dict[str, list[Garis]] = {}
        for g in self.garis:
            self._per_wilayah.setdefault(g.wilayah_id, []).append(g)
        for rows in self._per_wilayah.values():
            rows.sort(key=lambda g: (g.tahun, _BULAN_PERIODE[g.periode]))

    def _dari(self, g: Garis, cara: str) -> GarisTerpakai:
        return GarisTerpakai(
            cara=cara,
            nilai=g.nilai,
            wilayah_kode=g.wilayah_id,
            wilayah_nama=g.wilayah_nama,
            tahun=g.tahun,
            periode=g.periode,
            perkiraan=adalah_perkiraan(g.sumber),
        )

    def cari(self, kabupaten_kode: str | None, tanggal: datetime.date) -> GarisTerpakai:
        if not kabupaten_kode:
            return GarisTerpakai(cara=TIDAK_TERSEDIA)
        kab = self._per_wilayah.get(kabupaten_kode, [])
        tahun_ini = [g for g in kab if g.tahun == tanggal.year]
        if tahun_ini:
            return self._dari(tahun_ini[-1], TEPAT)
        sebelumnya = [g for g in kab if g.tahun < tanggal.year]
        if sebelumnya:
            return self._dari(sebelumnya[-1], TAHUN_SEBELUMNYA)
        provinsi_kode = kabupaten_kode.split(".")[0]
        berlaku = [
            g
            for g in self._per_wilayah.get(provinsi_kode, [])
            if (g.tahun, _BULAN_PERIODE[g.periode]) <= (tanggal.year, tanggal.month)
        ]
        if berlaku:
            return self._dari(berlaku[-1], PROVINSI)
        return GarisTerpakai(cara=TIDAK_TERSEDIA)

"""The survey instruments, versioned in code (not a form builder).

A survey round (PutaranSurvei) names one questionnaire version (`KUESIONER`); an answer
is checked against that version for ever after, so a later version (new items, new wording)
never changes what an old round meant.

Two parts in version "km-1":
- Modal sosial: Likert items 1–5 in the three dimensions the programme reports —
  relations between members, capacity of members and institutions, networks with outside
  parties. Index per dimension and overall = mean of the items, scaled 0–100:
  (mean − 1) ÷ 4 × 100.
- CIBEST household (Beik & Arsyianti 2014): household size, household monthly income from
  all sources, and five spiritual items on 1–5 whose mean is the household's spiritual score
  (the item wording below follows the CIBEST scale).
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

SKALA = (1, 2, 3, 4, 5)

RELASI = "relasi"
KAPASITAS = "kapasitas"
JEJARING = "jejaring"
TOTAL = "total"
DIMENSI = (RELASI, KAPASITAS, JEJARING)
NAMA_DIMENSI = {
    RELASI: _("Hubungan antaranggota"),
    KAPASITAS: _("Kapasitas anggota dan lembaga"),
    JEJARING: _("Jejaring dengan pihak luar"),
    TOTAL: _("Modal sosial (keseluruhan)"),
}

LIKERT = {
    1: _("Sangat tidak setuju"),
    2: _("Tidak setuju"),
    3: _("Ragu-ragu"),
    4: _("Setuju"),
    5: _("Sangat setuju"),
}


@dataclass(frozen=True)
class Butir:
    kode: str
    dimensi: str
    teks: str


@dataclass(frozen=True)
class ButirSpiritual:
    kode: str  # the JawabanSurvei field that holds it
    nama: str
    pilihan: tuple  # five descriptions, for the scores 1..5


@dataclass(frozen=True)
class Kuesioner:
    kode: str
    nama: str
    modal_sosial: tuple[Butir, ...]
    spiritual: tuple[ButirSpiritual, ...]

    def butir_dimensi(self, dimensi: str) -> list[Butir]:
        return [b for b in self.modal_sosial if b.dimensi == dimensi]


MODAL_SOSIAL_V1 = (
    Butir("r1", RELASI, _("Saya percaya kepada sesama anggota kelompok.")),
    Butir("r2", RELASI, _("Anggota kelompok saling membantu saat ada yang kesulitan.")),
    Butir("r3", RELASI, _("Saya hadir dan ikut berpendapat dalam pertemuan kelompok.")),
    Butir("r4", RELASI, _("Keputusan kelompok diambil bersama secara musyawarah.")),
    Butir("k1", KAPASITAS, _("Saya mampu mencatat keuangan usaha saya sendiri.")),
    Butir("k2", KAPASITAS, _("Saya tahu cara mengembangkan usaha (produksi, harga, pemasaran).")),
    Butir("k3", KAPASITAS, _("Kelompok atau koperasi kami punya aturan dan pengurus yang jalan.")),
    Butir("k4", KAPASITAS, _("Kelompok kami mengelola dana bergulir dengan tertib.")),
    Butir("j1", JEJARING, _("Saya punya pembeli tetap atau tempat menjual hasil usaha.")),
    Butir("j2", JEJARING, _("Saya tahu ke mana meminta dukungan pemerintah desa atau dinas.")),
    Butir(
        "j3", JEJARING, _("Saya atau kelompok punya hubungan dengan bank atau lembaga keuangan.")
    ),
    Butir("j4", JEJARING, _("Setahun terakhir saya ikut kegiatan bersama pihak luar kelompok.")),
)

SPIRITUAL_V1 = (
    ButirSpiritual(
        "shalat",
        _("Shalat"),
        (
            _("Melarang orang lain shalat"),
            _("Menolak konsep shalat"),
            _("Melaksanakan shalat wajib tidak rutin"),
            _("Melaksanakan shalat wajib rutin, tidak selalu berjamaah"),
            _("Melaksanakan shalat wajib rutin berjamaah dan shalat sunnah"),
        ),
    ),
    ButirSpiritual(
        "puasa",
        _("Puasa"),
        (
            _("Melarang orang lain berpuasa"),
            _("Menolak konsep puasa"),
            _("Melaksanakan puasa wajib tidak penuh"),
            _("Melaksanakan puasa wajib penuh"),
            _("Melaksanakan puasa wajib dan puasa sunnah"),
        ),
    ),
    ButirSpiritual(
        "zakat_infak",
        _("Zakat dan infak"),
        (
            _("Melarang orang lain berzakat dan berinfak"),
            _("Menolak zakat dan infak"),
            _("Tidak pernah berinfak walau sekali setahun"),
            _("Membayar zakat fitrah dan zakat harta"),
            _("Membayar zakat fitrah, zakat harta, dan infak/sedekah"),
        ),
    ),
    ButirSpiritual(
        "lingkungan_keluarga",
        _("Lingkungan keluarga"),
        (
            _("Melarang anggota keluarga beribadah"),
            _("Menolak pelaksanaan ibadah"),
            _("Menganggap ibadah urusan pribadi anggota keluarga"),
            _("Mendukung ibadah anggota keluarga"),
            _("Membangun suasana keluarga yang mendukung ibadah bersama"),
        ),
    ),
    ButirSpiritual(
        "kebijakan_pemerintah",
        _("Kebijakan pemerintah"),
        (
            _("Melarang ibadah untuk setiap keluarga"),
            _("Menolak pelaksanaan ibadah"),
            _("Menganggap ibadah urusan pribadi masyarakat"),
            _("Mendukung ibadah"),
            _("Menciptakan lingkungan yang kondusif untuk ibadah"),
        ),
    ),
)

KUESIONER = {
    "km-1": Kuesioner(
        kode="km-1",
        nama=_("Modal sosial dan CIBEST, versi 1"),
        modal_sosial=MODAL_SOSIAL_V1,
        spiritual=SPIRITUAL_V1,
    ),
}
KUESIONER_TERBARU = "km-1"
PILIHAN_KUESIONER = [(k.kode, k.nama) for k in KUESIONER.values()]

SPIRITUAL_FIELDS = tuple(b.kode for b in SPIRITUAL_V1)

# CIBEST spiritual line: a household whose mean spiritual score is at or above it has its
# spiritual needs met (see program/aturan.py kuadran_cibest for the boundary rule).
GARIS_SPIRITUAL = Decimal("3")

SERATUS = Decimal("100")
INDEKS_PRESISI = Decimal("0.01")


def skala_indeks(nilai: list[int]) -> Decimal | None:
    """Mean of Likert answers 1–5 on a 0–100 scale: (mean − 1) ÷ 4 × 100, two decimals."""
    if not nilai:
        return None
    rerata = Decimal(sum(nilai)) / Decimal(len(nilai))
    return ((rerata - 1) / 4 * SERATUS).quantize(INDEKS_PRESISI, rounding=ROUND_HALF_UP)


def indeks_modal_sosial(kuesioner: Kuesioner, jawaban: dict[str, int]) -> dict[str, Decimal]:
    """{relasi, kapasitas, jejaring, total: index 0–100} of one complete set of answers."""
    hasil = {
        d: skala_indeks([jawaban[b.kode] for b in kuesioner.butir_dimensi(d)]) for d in DIMENSI
    }
    hasil[TOTAL] = skala_indeks([jawaban[b.kode] for b in kuesioner.modal_sosial])
    return hasil


def skor_spiritual(nilai: list[int]) -> Decimal:
    """The household's spiritual score: the mean of the five items, exact to two decimals
    (a mean of five whole numbers has at most one)."""
    return (Decimal(sum(nilai)) / Decimal(len(nilai))).quantize(INDEKS_PRESISI)

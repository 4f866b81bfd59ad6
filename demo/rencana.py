"""The pure planning half of seed_demo: one klaster's whole history as rows, no database.

`rencanakan(konteks, nomor)` is a function of its arguments only (a `random.Random` seeded
from the seed and the klaster's index), so two runs with the same seed give the same NIKs,
amounts and dates. It returns plain tuples in the column order of `KOLOM`, with primary keys
already assigned from `nomor`, ready for COPY / executemany.

Money is Decimal throughout (whole rupiah); schedules come from bantuan.jadwal.hitung_jadwal.
Each loan's kept position (Bantuan.pokok_terbayar, jatuh_tempo_belum_lunas, generasi) is
derived from the planned rows as bantuan/posisi.py derives it, since COPY bypasses the services.

The history follows the real programme's shape over DURASI_HARI days ending on `akhir` (the
exit workshop): kelompok formed in the first eight months with a baseline income reading at
formation, financing from the second quarter, visits every 11–21 days, monitoring readings
every six months, repayments collected at group meetings, second-generation loans from repaid
money, and an endline reading at the exit workshop.
"""

from __future__ import annotations

import bisect
import datetime as dt
import random
import uuid
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from bantuan.generasi import jalan_generasi
from bantuan.jadwal import hitung_jadwal, tambah_bulan
from demo import nama as N

MULAI_ASLI = dt.date(2011, 3, 1)
AKHIR_ASLI = dt.date(2014, 3, 6)  # the exit workshop
DURASI_HARI = (AKHIR_ASLI - MULAI_ASLI).days
TOTAL_CAIR_LEBAK = Decimal("1714661978")

HARI = dt.timedelta(days=1)
WIB = dt.timedelta(hours=7)  # Asia/Jakarta has no DST: local time = UTC + 7

# (sektor, members) per kelompok: 10×10 pertanian, 4×10 + 5×9 peternakan, 9×11 + 4×10 umkm
BENTUK_PENUH = (
    (("pertanian", 10),) * 10
    + (("peternakan", 10),) * 4
    + (("peternakan", 9),) * 5
    + (("umkm", 11),) * 9
    + (("umkm", 10),) * 4
)
BENTUK_KECIL = (("pertanian", 10), ("umkm", 10))

# Column order of the rows each table receives (attnames of the model fields).
KOLOM = {
    "lembaga": ("id", "nama", "klaster_id", "bentuk", "nomor_badan_hukum", "tanggal_pengesahan"),
    "kelompok": (
        "id", "kode", "nama", "klaster_id", "sektor", "desa_id", "tanggal_dibentuk", "ketua_id",
        "usaha_kelompok", "status", "lembaga_id",
    ),
    "mitra": (
        "id", "nik", "nama", "jenis_kelamin", "tanggal_lahir", "telepon", "klaster_id",
        "kelompok_id", "desa_id", "alamat", "sektor", "jenis_usaha", "status",
        "tanggal_bergabung", "tanggal_keluar", "jumlah_anggota_keluarga",
    ),
    "kunjungan": (
        "id", "uuid", "fasilitator_id", "klaster_id", "kelompok_id", "tanggal", "jenis_kegiatan",
        "ringkasan", "kendala", "tindak_lanjut", "tindak_lanjut_selesai",
        "tindak_lanjut_selesai_pada", "dibuat",
        # the attendance counts a visit keeps (kunjungan.services.kunjungan_catat)
        "jumlah_hadir", "jumlah_hadir_anggota", "jumlah_anggota",
    ),
    "hadir": ("id", "kunjungan_id", "mitra_id"),
    "pengukuran": (
        "id", "mitra_id", "tanggal", "pendapatan_bulanan", "jenis", "dicatat_oleh_id", "dibuat",
    ),
    "bantuan": (
        "id", "nomor", "klaster_id", "mitra_id", "kelompok_id", "jenis", "sumber_dana_id",
        "jumlah", "tujuan", "tanggal_pengajuan", "status", "tenor_bulan", "tanggal_cair",
        "diajukan_oleh_id", "disetujui_oleh_id", "tanggal_keputusan", "alasan",
        "tanggal_hapus_buku", "tanggal_lunas",
        # the position the services keep on each loan (bantuan/posisi.py)
        "pokok_terbayar", "jatuh_tempo_belum_lunas", "generasi",
    ),
    "jadwal": ("id", "bantuan_id", "ke", "jatuh_tempo", "jumlah", "kumulatif"),
    "angsuran": (
        "id", "bantuan_id", "tanggal", "jumlah", "dicatat_oleh_id", "koreksi_dari_id", "alasan",
        "dibuat",
    ),
    # the visit a reading or an instalment was taken at (link rows share the entry's id)
    "pengukuran_kunjungan": ("id", "kunjungan_id", "pengukuran_id"),
    "angsuran_kunjungan": ("id", "kunjungan_id", "angsuran_id"),
}  # fmt: skip

# Planned reading and instalment rows carry their visit's id at this position until
# `_pisah_tautan_kunjungan` moves it into the link tables of the kunjungan app.
_KOLOM_KUNJUNGAN = 5

# days past due of the oldest unpaid instalment wanted at the end date, per kolektibilitas
# (POJK 40/2019: 2 = 1–90, 3 = 91–120, 4 = 121–180, 5 = >180), and how many loans each
SASARAN_KOLEKTIBILITAS = (
    (2, 4, 25, 2),
    (2, 35, 85, 3),
    (3, 93, 118, 3),
    (4, 125, 175, 3),
    (5, 190, 420, 4),
)


@dataclass(frozen=True)
class Konteks:
    """Everything a klaster's plan depends on besides the random stream."""

    seed: str
    indeks: int
    klaster_id: int
    kode: str
    nama_tempat: str  # the kecamatan's name, used in the cooperatives' names
    kecamatan_kode: str  # dotted, e.g. "36.02.06"
    desa: tuple[str, ...]
    fasilitator_id: int
    manajer_id: int
    sumber: dict  # jenis -> SumberDana id: zakat, infak, csr, dana_bergulir
    akhir: dt.date
    bentuk: tuple = BENTUK_PENUH
    target_cair: Decimal | None = TOTAL_CAIR_LEBAK
    penuh: bool = True  # the full Lebak shape: exclusions, arrears, stale kelompok, 300k farmer

    @property
    def mulai(self) -> dt.date:
        return self.akhir - dt.timedelta(days=DURASI_HARI)


# Each klaster gets its own block of ids per table, far above what one klaster uses, so
# klaster can be planned independently (in parallel at --skala 100) and still get the same
# ids every time. The gaps between blocks cost nothing.
BLOK_ID = {
    "lembaga": 10, "kelompok": 100, "mitra": 1_000, "kunjungan": 5_000, "hadir": 50_000,
    "pengukuran": 10_000, "bantuan": 1_000, "jadwal": 20_000, "angsuran": 20_000,
    "pengukuran_kunjungan": 10_000, "angsuran_kunjungan": 20_000,
}  # fmt: skip


class Nomor:
    """Primary keys handed out in order, per table, within one klaster's block."""

    def __init__(self, awal: dict[str, int] | None = None, indeks: int = 0):
        dasar = {t: 1 for t in KOLOM} | (awal or {})
        self.berikut = {t: dasar[t] + indeks * BLOK_ID[t] for t in KOLOM}
        self.batas = {t: self.berikut[t] + BLOK_ID[t] for t in KOLOM}

    def ambil(self, tabel: str) -> int:
        n = self.berikut[tabel]
        if n >= self.batas[tabel]:
            raise ValueError(f"{tabel}: more than {BLOK_ID[tabel]} rows in one klaster")
        self.berikut[tabel] = n + 1
        return n

    def ambil_banyak(self, tabel: str, banyak: int) -> range:
        n = self.berikut[tabel]
        if n + banyak > self.batas[tabel]:
            raise ValueError(f"{tabel}: more than {BLOK_ID[tabel]} rows in one klaster")
        self.berikut[tabel] = n + banyak
        return range(n, n + banyak)


@dataclass
class Rencana:
    baris: dict[str, list[tuple]] = field(default_factory=lambda: {t: [] for t in KOLOM})
    total_cair: Decimal = Decimal(0)


class _Mitra:
    __slots__ = (
        "id", "kelompok", "sektor", "jk", "lahir", "bergabung", "keluar", "tanpa_ukur",
        "baseline", "faktor", "khusus", "pinjaman", "nik",
    )  # fmt: skip


class _Kelompok:
    __slots__ = ("id", "i", "sektor", "desa", "dibentuk", "anggota", "ketua", "kunjungan",
                 "tanggal_kunjungan", "cair_pertama", "usaha", "nama", "basi")  # fmt: skip


class _Kunjungan:
    __slots__ = ("id", "kelompok", "tanggal", "jenis", "hadir", "jam", "uuid")


class _Bantuan:
    __slots__ = (
        "id", "mitra", "kelompok", "jenis", "sumber", "jumlah", "tujuan", "pengajuan",
        "keputusan", "cair", "tenor", "status", "alasan", "hapus_buku", "lunas", "jadwal",
        "bayar", "generasi",
    )  # fmt: skip

    def __init__(self, **kw):
        for name in self.__slots__:
            setattr(self, name, kw.get(name))
        self.bayar = kw.get("bayar") or []  # (tanggal, jumlah, kunjungan|None, koreksi?)


def _rupiah(nilai: Decimal, langkah: int) -> Decimal:
    """Round a planned amount to a multiple of `langkah` rupiah (at least one step)."""
    kali = (nilai / langkah).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return max(Decimal(langkah), kali * langkah)


def _persen(lo: int, hi: int, rng: random.Random) -> Decimal:
    """A random factor between lo% and hi% as an exact Decimal (no float near money)."""
    return Decimal(rng.randint(lo, hi)) / 100


def rencanakan(k: Konteks, nomor: Nomor) -> Rencana:
    return _Perencana(k, nomor).jalankan()


class _Perencana:
    def __init__(self, k: Konteks, nomor: Nomor):
        self.k = k
        self.nomor = nomor
        # demo data, deterministic by design
        self.rng = random.Random(f"{k.seed}:{k.indeks}")  # nosec B311
        self.mulai = k.mulai
        self.akhir = k.akhir
        self.hasil = Rencana()
        self.kelompok: list[_Kelompok] = []
        self.mitra: list[_Mitra] = []
        self.kunjungan: list[_Kunjungan] = []
        self.bantuan: list[_Bantuan] = []
        self.lembaga: dict[str, int] = {}
        self.bermasalah: set[int] = set()  # mitra whose loan is in arrears or written off

    def hari(self, n: int) -> dt.date:
        return self.mulai + dt.timedelta(days=n)

    def jalankan(self) -> Rencana:
        self._lembaga()
        self._kelompok_dan_mitra()
        self._pinjaman_generasi_pertama()
        self._kunjungan()
        self._hadir()
        self._pembayaran_generasi_pertama()
        self._tunggakan()
        self._generasi_kedua()
        self._koreksi()
        self._nomori_kunjungan()
        self._bantuan_lain()
        self._pengajuan_terbuka()
        self._selesaikan_bantuan()
        self._pengukuran()
        self._tulis_kunjungan()
        self._pisah_tautan_kunjungan()
        return self.hasil

    def _pisah_tautan_kunjungan(self):
        baris = self.hasil.baris
        i = _KOLOM_KUNJUNGAN
        for tabel in ("pengukuran", "angsuran"):
            rows = baris[tabel]
            baris[f"{tabel}_kunjungan"] = [(r[0], r[i], r[0]) for r in rows if r[i] is not None]
            baris[tabel] = [r[:i] + r[i + 1 :] for r in rows]

    # --- people ---------------------------------------------------------------------------

    def _lembaga(self):
        rng, k = self.rng, self.k
        nama = {
            "pertanian": f"Koperasi Tani Mandiri {k.nama_tempat}",
            "peternakan": f"Koperasi Peternak Mandiri {k.nama_tempat}",
            "umkm": f"Koperasi Usaha Mandiri {k.nama_tempat}",
        }
        for sektor in dict.fromkeys(s for s, _ in k.bentuk):
            disahkan = self.hari(rng.randint(680, 820))
            lid = self.nomor.ambil("lembaga")
            self.lembaga[sektor] = lid
            nomor_bh = f"{rng.randint(100, 999)}/BH/XI.{rng.randint(1, 9)}/{disahkan.year}"
            self.hasil.baris["lembaga"].append(
                (lid, nama[sektor], k.klaster_id, "koperasi", nomor_bh, disahkan)
            )

    def _kelompok_dan_mitra(self):
        rng, k = self.rng, self.k
        prefix = k.kecamatan_kode.replace(".", "")
        serial: dict[str, int] = {}
        nama_dipakai: set[str] = set()
        n = len(k.bentuk)
        for i, (sektor, ukuran) in enumerate(k.bentuk):
            g = _Kelompok()
            g.id, g.i, g.sektor = self.nomor.ambil("kelompok"), i, sektor
            g.desa = k.desa[i % len(k.desa)]
            g.dibentuk = self.hari(14 + (i * 240) // n + rng.randint(0, 6))
            g.usaha = rng.choice(N.USAHA_KELOMPOK[sektor])
            g.basi = None
            while True:
                nama = f"{N.NAMA_KELOMPOK[sektor][0]} {rng.choice(N.KATA_KELOMPOK)}"
                if nama not in nama_dipakai:
                    break
                if len(nama_dipakai) > 30:  # many groups: a number keeps names apart
                    nama = f"{nama} {rng.randint(2, 9)}"
                    if nama not in nama_dipakai:
                        break
            nama_dipakai.add(nama)
            g.nama = nama
            g.anggota, g.kunjungan, g.cair_pertama = [], [], None
            p_perempuan = {"pertanian": 0.3, "peternakan": 0.2, "umkm": 0.65}[sektor]
            for _ in range(ukuran):
                m = _Mitra()
                m.id, m.kelompok, m.sektor = self.nomor.ambil("mitra"), g, sektor
                m.jk = "P" if rng.random() < p_perempuan else "L"
                umur = rng.randint(22, 58)
                m.lahir = dt.date(self.mulai.year - umur, rng.randint(1, 12), rng.randint(1, 28))
                m.bergabung, m.keluar, m.tanpa_ukur, m.khusus = g.dibentuk, None, False, False
                m.pinjaman = []
                hari_nik = m.lahir.day + (40 if m.jk == "P" else 0)
                tengah = f"{hari_nik:02d}{m.lahir.month:02d}{m.lahir.year % 100:02d}"
                serial[tengah] = serial.get(tengah, 0) + 1
                m.nik = f"{prefix}{tengah}{serial[tengah]:04d}"
                # baseline income: plausible for rural Lebak, Rp300.000–Rp2.000.000 a month
                lo, hi = {
                    "pertanian": (400, 1200),
                    "peternakan": (300, 1400),
                    "umkm": (500, 2000),
                }[sektor]
                m.baseline = Decimal(rng.randrange(lo, hi + 1, 25) * 1000)
                lo_f, hi_f = {
                    "pertanian": (135, 200),
                    "peternakan": (110, 175),
                    "umkm": (105, 160),
                }[sektor]
                # a few households do worse by the end (illness, a failed harvest)
                turun = rng.random() < 0.05
                m.faktor = _persen(70, 95, rng) if turun else _persen(lo_f, hi_f, rng)
                g.anggota.append(m)
                self.mitra.append(m)
            g.ketua = max(g.anggota, key=lambda m: (m.jk == "L", -m.lahir.toordinal()))
            self.kelompok.append(g)

        if k.penuh:
            # the livestock farmer the programme quoted: Rp300.000 → Rp600.000 a month
            peternak = next(g for g in self.kelompok if g.sektor == "peternakan")
            khusus = next(m for m in peternak.anggota if m is not peternak.ketua)
            khusus.khusus, khusus.baseline, khusus.faktor = True, Decimal(300000), Decimal(2)
            # six mitra with no reading after baseline (the report's exclusion list):
            # three left in the first months, three are away working (merantau)
            calon = [m for m in self.mitra if m is not m.kelompok.ketua and not m.khusus]
            pilih = rng.sample(calon, 6)
            for m in pilih[:3]:
                m.keluar = m.bergabung + dt.timedelta(days=rng.randint(60, 110))
                m.tanpa_ukur = True
            for m in pilih[3:]:
                m.tanpa_ukur = True
            # three kelompok not visited for 30+, 60+ and 90+ days at the end date
            for g, hari in zip(
                rng.sample(self.kelompok, 3),
                (rng.randint(33, 45), rng.randint(63, 80), rng.randint(95, 125)),
                strict=True,
            ):
                g.basi = hari
        else:
            m = rng.choice([m for m in self.mitra if m is not m.kelompok.ketua])
            m.tanpa_ukur = True

        baris = self.hasil.baris
        for g in self.kelompok:
            status = "mandiri" if (k.penuh and g.i % 11 == 3) else "aktif"
            baris["kelompok"].append(
                (
                    g.id, f"{k.kode}-{g.i + 1:02d}", g.nama, k.klaster_id, g.sektor, g.desa,
                    g.dibentuk, g.ketua.id, g.usaha, status, self.lembaga[g.sektor],
                )
            )  # fmt: skip
            for m in g.anggota:
                depan = N.NAMA_PEREMPUAN if m.jk == "P" else N.NAMA_LAKI
                belakang = N.NAMA_BELAKANG_PEREMPUAN if m.jk == "P" else N.NAMA_BELAKANG_LAKI
                nama = rng.choice(depan)
                if rng.random() < 0.85:
                    nama = f"{nama} {rng.choice(belakang)}"
                telepon = ""
                if rng.random() < 0.9:
                    panjang = rng.choice((7, 8))
                    telepon = f"0{rng.choice(N.OPERATOR)}{rng.randrange(10 ** (panjang - 1), 10**panjang)}"
                alamat = (
                    f"Kp. {rng.choice(N.KAMPUNG)} RT 0{rng.randint(1, 9)}/RW 0{rng.randint(1, 6)}"
                )
                keluarga = rng.choice((2, 3, 3, 4, 4, 4, 5, 5, 5, 6, 6, 7))
                baris["mitra"].append(
                    (
                        m.id, m.nik, nama, m.jk, m.lahir, telepon, k.klaster_id, g.id, g.desa,
                        alamat, m.sektor, rng.choice(N.JENIS_USAHA[m.sektor]),
                        "keluar" if m.keluar else "aktif", m.bergabung, m.keluar, keluarga,
                    )
                )  # fmt: skip

    # --- money ----------------------------------------------------------------------------

    def _sumber_donor(self) -> int:
        r = self.rng.random()
        jenis = "zakat" if r < 0.4 else "infak" if r < 0.7 else "csr"
        return self.k.sumber[jenis]

    def _jumlah_pinjaman(self, sektor: str) -> Decimal:
        lo, hi = {"pertanian": (6, 20), "peternakan": (8, 20), "umkm": (4, 30)}[sektor]
        return Decimal(self.rng.randint(lo, hi) * 250_000)

    def _pinjaman_generasi_pertama(self):
        rng = self.rng
        batas = DURASI_HARI - 200
        for m in self.mitra:
            if m.keluar:
                continue
            p = {"pertanian": 0.78, "peternakan": 0.3, "umkm": 0.85}[m.sektor]
            if rng.random() >= p:
                continue
            awal = (m.bergabung - self.mulai).days
            pengajuan = self.hari(min(batas, awal + rng.randint(40, 420)))
            keputusan = pengajuan + dt.timedelta(days=rng.randint(3, 14))
            cair = keputusan + dt.timedelta(days=rng.randint(0, 7))
            b = _Bantuan(
                mitra=m, kelompok=None, jenis="modal_bergulir", sumber=self._sumber_donor(),
                jumlah=self._jumlah_pinjaman(m.sektor),
                tujuan=rng.choice(N.TUJUAN_PINJAMAN[m.sektor]), pengajuan=pengajuan,
                keputusan=keputusan, cair=cair, tenor=rng.choice((12, 12, 15, 18, 18, 24)),
                status="dicairkan", generasi=1,
            )  # fmt: skip
            b.jadwal = hitung_jadwal(pokok=b.jumlah, tenor_bulan=b.tenor, tanggal_cair=cair)
            m.pinjaman.append(b)
            self.bantuan.append(b)
            g = m.kelompok
            if g.cair_pertama is None or cair < g.cair_pertama:
                g.cair_pertama = cair

    # --- visits ---------------------------------------------------------------------------

    def _kunjungan(self):
        rng = self.rng
        for g in self.kelompok:
            batas = self.akhir - dt.timedelta(days=g.basi or 1)
            tanggal = [g.dibentuk]
            d = g.dibentuk
            while True:
                d = d + dt.timedelta(days=rng.randint(11, 21))
                if d.weekday() == 6:  # no meetings on Sunday
                    d += HARI
                if d > batas:
                    break
                tanggal.append(d)
            if g.basi:
                # the last visit falls exactly `basi` days before the end
                if tanggal[-1] < batas - dt.timedelta(days=3):
                    tanggal.append(batas)
                else:
                    tanggal[-1] = batas
            elif tanggal[-1] < self.akhir - dt.timedelta(days=13):
                tanggal.append(self.akhir - dt.timedelta(days=rng.randint(1, 10)))
            # a monitoring round every six months after formation
            monitoring = set()
            for bulan in (6, 12, 18, 24, 30):
                target = tambah_bulan(g.dibentuk, bulan)
                if target > self.akhir - dt.timedelta(days=30):
                    break
                j = bisect.bisect_left(tanggal, target)
                if j < len(tanggal) and (tanggal[j] - target).days <= 30:
                    monitoring.add(j)
            for j, d in enumerate(tanggal):
                v = _Kunjungan()
                v.kelompok, v.tanggal, v.hadir = g, d, set()
                v.jam = rng.randint(8, 15)
                v.uuid = uuid.UUID(int=rng.getrandbits(128), version=4)
                if j == 0:
                    v.jenis = "pembentukan"
                elif j in monitoring:
                    v.jenis = "monitoring_usaha"
                elif g.cair_pertama and d > g.cair_pertama:
                    r = rng.random()
                    v.jenis = (
                        "penagihan" if r < 0.3
                        else "pertemuan_kelompok" if r < 0.6
                        else "pendampingan" if r < 0.85
                        else "pelatihan" if r < 0.95
                        else "monitoring_usaha"
                    )  # fmt: skip
                else:
                    r = rng.random()
                    v.jenis = (
                        "pendampingan"
                        if r < 0.4
                        else "pertemuan_kelompok"
                        if r < 0.7
                        else "pelatihan"
                    )
                g.kunjungan.append(v)
                self.kunjungan.append(v)
            g.tanggal_kunjungan = tanggal
        # the exit workshop: one klaster-wide meeting on the end date (no kelompok)
        v = _Kunjungan()
        v.kelompok, v.tanggal, v.hadir, v.jenis, v.jam = None, self.akhir, set(), "lokakarya", 9
        v.uuid = uuid.UUID(int=rng.getrandbits(128), version=4)
        self.lokakarya = v
        self.kunjungan.append(v)

    def _hadir(self):
        rng = self.rng
        for g in self.kelompok:
            for v in g.kunjungan:
                for m in g.anggota:
                    if m.keluar and v.tanggal > m.keluar:
                        continue
                    if v.jenis == "pembentukan":
                        v.hadir.add(m.id)
                        continue
                    if m.tanpa_ukur and not m.keluar:
                        p = 0.0 if v.jenis == "monitoring_usaha" else 0.25
                    else:
                        p = 0.93 if m is g.ketua else 0.82
                    if rng.random() < p:
                        v.hadir.add(m.id)
        for m in self.mitra:
            if not m.keluar and (not m.tanpa_ukur or rng.random() < 0.3):
                self.lokakarya.hadir.add(m.id)

    # --- repayments -----------------------------------------------------------------------

    def _kunjungan_sekitar(self, g: _Kelompok, sebelum: dt.date, hari: int):
        """The latest collection meeting of the kelompok in [sebelum - hari, sebelum]."""
        j = bisect.bisect_right(g.tanggal_kunjungan, sebelum) - 1
        while j >= 0 and (sebelum - g.tanggal_kunjungan[j]).days <= hari:
            v = g.kunjungan[j]
            if v.jenis in ("penagihan", "pertemuan_kelompok"):
                return v
            j -= 1
        return None

    def _bayar_menurut_jadwal(self, b: _Bantuan, perilaku: str, sampai_ke: int | None = None):
        """Payments for instalments 1..sampai_ke (all by default) as a type of payer would
        make them; none after the end date."""
        rng, g = self.rng, b.mitra.kelompok
        bayar = []
        cicil_dua = perilaku == "tertib" and rng.random() < 0.25
        for c in b.jadwal[: sampai_ke if sampai_ke is not None else len(b.jadwal)]:
            if perilaku == "telat":
                tanggal = c.jatuh_tempo + dt.timedelta(days=rng.randint(3, 20))
                bayar.append((tanggal, c.jumlah, None))
                continue
            if cicil_dua:
                separuh = (c.jumlah / 2).quantize(Decimal(1))
                awal = c.jatuh_tempo - dt.timedelta(days=rng.randint(9, 15))
                v = self._kunjungan_sekitar(g, awal, 6)
                bayar.append((v.tanggal if v else awal, separuh, v))
                akhir = c.jatuh_tempo - dt.timedelta(days=rng.randint(0, 3))
                bayar.append((akhir, c.jumlah - separuh, None))
                continue
            v = self._kunjungan_sekitar(g, c.jatuh_tempo, 12) if rng.random() < 0.85 else None
            tanggal = v.tanggal if v else c.jatuh_tempo - dt.timedelta(days=rng.randint(0, 5))
            bayar.append((tanggal, c.jumlah, v))
        b.bayar = [p for p in bayar if p[0] <= self.akhir]
        for _, _, v in b.bayar:
            if v is not None:
                v.hadir.add(b.mitra.id)
        self._status_lunas(b)

    def _status_lunas(self, b: _Bantuan):
        terbayar = sum((p[1] for p in b.bayar), Decimal(0))
        assert terbayar <= b.jumlah  # internal invariant, not an access check  # nosec B101
        if terbayar == b.jumlah:
            b.status, b.lunas = "lunas", max(p[0] for p in b.bayar)
        else:
            b.status, b.lunas = "dicairkan", None

    def _pembayaran_generasi_pertama(self):
        for b in self.bantuan:
            perilaku = "telat" if self.rng.random() < 0.2 else "tertib"
            self._bayar_menurut_jadwal(b, perilaku)

    def _tunggakan(self):
        """A handful of loans stop paying so that, at the end date, each kolektibilitas 2–5
        has members and PAR30 is not zero; one older loan is written off."""
        if not self.k.penuh:
            return
        rng = self.rng
        calon = [b for b in self.bantuan if not b.mitra.khusus]
        rng.shuffle(calon)
        dipakai = set()
        for kol, lo, hi, banyak in SASARAN_KOLEKTIBILITAS:
            dapat = 0
            for b in calon:
                if dapat == banyak:
                    break
                if id(b) in dipakai:
                    continue
                pilihan = [
                    i
                    for i, c in enumerate(b.jadwal)
                    if lo <= (self.akhir - c.jatuh_tempo).days <= hi
                ]
                if not pilihan:
                    continue
                ke = rng.choice(pilihan)
                self._bayar_menurut_jadwal(b, "tertib", sampai_ke=ke)
                if b.bayar and rng.random() < 0.4:
                    # part of the first missed instalment was paid: still unpaid, so overdue
                    sebagian = (b.jadwal[ke].jumlah * Decimal("0.4")).quantize(Decimal(1))
                    tanggal = min(self.akhir, b.jadwal[ke].jatuh_tempo + dt.timedelta(days=5))
                    b.bayar.append((tanggal, sebagian, None))
                    self._status_lunas(b)
                dipakai.add(id(b))
                if kol >= 4:
                    b.mitra.faktor = _persen(70, 92, rng)  # the business failed: income fell
                dapat += 1
            # internal invariant, not an access check
            assert dapat == banyak, f"not enough loans for kolektibilitas {kol}"  # nosec B101
        # the write-off: stopped paying more than a year before the end, written off later
        for b in calon:
            if id(b) in dipakai:
                continue
            pilihan = [
                i for i, c in enumerate(b.jadwal) if 420 <= (self.akhir - c.jatuh_tempo).days <= 600
            ]
            if pilihan and pilihan[0] >= 2:
                self._bayar_menurut_jadwal(b, "tertib", sampai_ke=pilihan[0])
                b.status = "dihapusbukukan"
                b.hapus_buku = self.akhir - dt.timedelta(days=rng.randint(60, 120))
                b.alasan = N.ALASAN_HAPUS_BUKU
                b.mitra.faktor = _persen(75, 90, rng)
                dipakai.add(id(b))
                break
        self.bermasalah = {b.mitra.id for b in calon if id(b) in dipakai}

    def _generasi_kedua(self):
        """Re-lend repaid money from the klaster's dana bergulir, never more than has come
        back by the disbursement date (repayments of earlier re-loans count too)."""
        rng, k = self.rng, self.k
        bermasalah = self.bermasalah
        masuk = [(p[0], p[1]) for b in self.bantuan for p in b.bayar]
        keluar = Decimal(0)
        d = self.hari(430 + rng.randint(0, 20))
        while d <= self.akhir - dt.timedelta(days=20):
            tersedia = sum((j for t, j in masuk if t <= d), Decimal(0)) - keluar
            calon = []
            for m in self.mitra:
                if m.keluar or m.tanpa_ukur or m.id in bermasalah:
                    continue
                if any(b.generasi == 2 for b in m.pinjaman):
                    continue
                if not m.pinjaman or all(b.lunas and b.lunas <= d - 7 * HARI for b in m.pinjaman):
                    calon.append(m)
            rng.shuffle(calon)
            for m in calon[: rng.randint(3, 7)]:
                if m.pinjaman:
                    dasar = m.pinjaman[-1].jumlah * _persen(100, 150, rng)
                    jumlah = min(_rupiah(dasar, 250_000), Decimal(7_500_000))
                else:
                    jumlah = self._jumlah_pinjaman(m.sektor)
                if jumlah > tersedia:
                    continue
                b = _Bantuan(
                    mitra=m, kelompok=None, jenis="modal_bergulir", sumber=k.sumber["dana_bergulir"],
                    jumlah=jumlah, tujuan=rng.choice(N.TUJUAN_PINJAMAN[m.sektor]),
                    pengajuan=d - dt.timedelta(days=rng.randint(8, 15)),
                    keputusan=d - dt.timedelta(days=rng.randint(0, 5)), cair=d,
                    tenor=rng.choice((12, 12, 15, 18)), status="dicairkan", generasi=2,
                )  # fmt: skip
                b.jadwal = hitung_jadwal(pokok=b.jumlah, tenor_bulan=b.tenor, tanggal_cair=d)
                self._bayar_menurut_jadwal(b, "telat" if rng.random() < 0.15 else "tertib")
                masuk.extend((p[0], p[1]) for p in b.bayar)
                tersedia -= jumlah
                keluar += jumlah
                m.pinjaman.append(b)
                self.bantuan.append(b)
            d += dt.timedelta(days=rng.randint(35, 60))

    def _koreksi(self):
        """Two payments recorded twice and reversed the next day (the correction trail)."""
        rng = self.rng
        calon = [
            b
            for b in self.bantuan
            if b.status == "lunas" and len(b.bayar) >= 4 and b.bayar[1][0] < self.akhir - 5 * HARI
        ]
        for b in rng.sample(calon, min(2, len(calon))):
            tanggal, jumlah, v = b.bayar[1]
            b.bayar.insert(2, (tanggal, jumlah, v, "ganda"))

    def _bantuan_lain(self):
        """Grants: group capital for every kelompok, assets, scholarships and health care.
        The group grants and assets absorb what the loans leave of the target total, so the
        klaster's disbursed sum is exact to the rupiah."""
        rng, k = self.rng, self.k
        tetap = []
        for _ in range(8 if k.penuh else 1):
            m = rng.choice([m for m in self.mitra if not m.keluar])
            tahun = rng.randint(0, 2)
            cair = tambah_bulan(self.hari(120), 12 * tahun)
            tetap.append(
                _Bantuan(
                    mitra=m, jenis="beasiswa", sumber=k.sumber["zakat"],
                    jumlah=Decimal(rng.randint(4, 12) * 250_000),
                    tujuan=rng.choice(("Beasiswa SMP anak mitra", "Beasiswa SMA/SMK anak mitra")),
                    pengajuan=cair - dt.timedelta(days=20), keputusan=cair - 10 * HARI, cair=cair,
                )
            )  # fmt: skip
        for _ in range(6 if k.penuh else 1):
            m = rng.choice([m for m in self.mitra if not m.keluar])
            cair = self.hari(rng.randint(100, DURASI_HARI - 30))
            tetap.append(
                _Bantuan(
                    mitra=m, jenis="kesehatan", sumber=k.sumber["zakat"],
                    jumlah=Decimal(rng.randint(3, 20) * 250_000),
                    tujuan="Biaya pengobatan dan rawat inap keluarga mitra",
                    pengajuan=cair - dt.timedelta(days=3), keputusan=cair - 2 * HARI, cair=cair,
                )
            )  # fmt: skip
        penyeimbang = []  # (bantuan, weight)
        for g in self.kelompok:
            cair = g.dibentuk + dt.timedelta(days=rng.randint(30, 90))
            b = _Bantuan(
                kelompok=g, jenis="hibah_modal", sumber=k.sumber[rng.choice(("zakat", "infak"))],
                tujuan=f"Modal usaha kelompok: {g.usaha.lower()}",
                pengajuan=cair - dt.timedelta(days=14), keputusan=cair - 5 * HARI, cair=cair,
            )  # fmt: skip
            penyeimbang.append((b, _persen(80, 120, rng)))
            aset = {"peternakan": (300, 2), "pertanian": (150, 1), "umkm": (100, 1)}[g.sektor]
            for ke in range(aset[1] if g.sektor == "peternakan" or rng.random() < 0.4 else 0):
                cair = g.dibentuk + dt.timedelta(days=rng.randint(60, 200) + 300 * ke)
                b = _Bantuan(
                    kelompok=g, jenis="aset", sumber=k.sumber[rng.choice(("csr", "csr", "zakat"))],
                    pengajuan=cair - dt.timedelta(days=21), keputusan=cair - 7 * HARI, cair=cair,
                )  # fmt: skip
                penyeimbang.append((b, aset[0] * _persen(80, 120, rng) / 100))
        for b in tetap + [b for b, _ in penyeimbang]:
            b.status = "dicairkan"
        pinjaman = sum((b.jumlah for b in self.bantuan), Decimal(0))
        sisa = (
            k.target_cair - pinjaman - sum((b.jumlah for b in tetap), Decimal(0))
            if k.target_cair is not None
            else Decimal(12_000_000 * len(penyeimbang))
        )
        # internal invariant, not an access check
        assert sisa > 3_000_000 * len(penyeimbang), "loans leave too little for the grants"  # nosec B101
        total_bobot = sum((w for _, w in penyeimbang), Decimal(0))
        dibagi = Decimal(0)
        for i, (b, w) in enumerate(penyeimbang):
            if i < len(penyeimbang) - 1:
                b.jumlah = _rupiah(sisa * w / total_bobot, 1000)
                dibagi += b.jumlah
            else:
                b.jumlah = sisa - dibagi  # the last absorbs the odd rupiah
            if b.jenis == "aset":
                b.tujuan = self._tujuan_aset(b)
        self.bantuan.extend(tetap)
        self.bantuan.extend(b for b, _ in penyeimbang)

    def _tujuan_aset(self, b: _Bantuan) -> str:
        sektor = b.kelompok.sektor
        if sektor == "peternakan":
            ekor = int(b.jumlah * Decimal("0.8") / 1_750_000)
            return f"Pengadaan {ekor} ekor domba/kambing dan pembangunan kandang kelompok"
        if sektor == "pertanian":
            return "Hand traktor, pompa air dan mesin perontok padi kelompok"
        return "Peralatan produksi bersama kelompok"

    def _pengajuan_terbuka(self):
        """Proposals still in the pipeline at the end date, and a few refused ones."""
        if not self.k.penuh:
            return
        rng, k = self.rng, self.k
        aktif = [m for m in self.mitra if not m.keluar and m.id not in self.bermasalah]
        for status in ("diajukan", "diajukan", "disetujui", "disetujui", "ditolak", "ditolak"):
            m = rng.choice(aktif)
            if status == "ditolak":
                pengajuan = self.hari(rng.randint(200, DURASI_HARI - 60))
                sumber = k.sumber["infak"]
            else:
                pengajuan = self.akhir - dt.timedelta(days=rng.randint(5, 20))
                sumber = k.sumber["dana_bergulir"]
            b = _Bantuan(
                mitra=m, jenis="modal_bergulir", sumber=sumber, status=status,
                jumlah=self._jumlah_pinjaman(m.sektor), tenor=rng.choice((12, 18)),
                tujuan=rng.choice(N.TUJUAN_PINJAMAN[m.sektor]), pengajuan=pengajuan,
                keputusan=None if status == "diajukan" else pengajuan + rng.randint(2, 4) * HARI,
                alasan=rng.choice(N.ALASAN_TOLAK) if status == "ditolak" else "",
            )  # fmt: skip
            self.bantuan.append(b)

    def _selesaikan_bantuan(self):
        """Number the financing by year of proposal (BTN-2012-0042) and write the rows of
        Bantuan, JadwalAngsuran and Angsuran."""
        k, baris = self.k, self.hasil.baris
        self.bantuan.sort(key=lambda b: (b.pengajuan, b.cair or b.pengajuan))
        urut: dict[int, int] = {}
        bantuan = []
        for b in self.bantuan:
            b.id = self.nomor.ambil("bantuan")
            urut[b.pengajuan.year] = urut.get(b.pengajuan.year, 0) + 1
            nomor = f"BTN-{b.pengajuan.year}-{urut[b.pengajuan.year]:04d}"
            disetujui_oleh = k.manajer_id if b.keputusan and b.status != "ditolak" else None
            bantuan.append(
                (
                    b.id, nomor, k.klaster_id, b.mitra.id if b.mitra else None,
                    b.kelompok.id if b.kelompok else None, b.jenis, b.sumber, b.jumlah,
                    b.tujuan or "", b.pengajuan, b.status,
                    b.tenor if b.jenis == "modal_bergulir" else None, b.cair,
                    k.fasilitator_id, disetujui_oleh, b.keputusan, b.alasan or "",
                    b.hapus_buku, b.lunas,
                )
            )  # fmt: skip
            if b.cair is not None:
                self.hasil.total_cair += b.jumlah
            for c in b.jadwal or ():
                baris["jadwal"].append(
                    (self.nomor.ambil("jadwal"), b.id, c.ke, c.jatuh_tempo, c.jumlah, c.kumulatif)
                )
            for p in b.bayar:
                tanggal, jumlah, v = p[0], p[1], p[2]
                jam = v.jam if v else 16
                dibuat = dt.datetime.combine(tanggal, dt.time(jam, 30)) - WIB
                aid = self.nomor.ambil("angsuran")
                baris["angsuran"].append(
                    (
                        aid,
                        b.id,
                        tanggal,
                        jumlah,
                        k.fasilitator_id,
                        v.id if v else None,
                        None,
                        "",
                        dibuat,
                    )
                )
                if len(p) == 4:  # recorded twice: reversed the next day, with the reason
                    besok = tanggal + HARI
                    baris["angsuran"].append(
                        (
                            self.nomor.ambil("angsuran"), b.id, besok, -jumlah, k.fasilitator_id,
                            None, aid, N.ALASAN_KOREKSI,
                            dt.datetime.combine(besok, dt.time(8, 15)) - WIB,
                        )
                    )  # fmt: skip
        baris["bantuan"] += self._posisi_tersimpan(bantuan, baris["angsuran"])

    def _posisi_tersimpan(self, bantuan: list[tuple], angsuran: list[tuple]) -> list[tuple]:
        """The Bantuan rows with the position each loan keeps, as bantuan/posisi.py derives
        it: the paid sum, the oldest instalment it does not reach, the fund's generation."""
        terbayar: dict[int, Decimal] = {}
        for r in angsuran:
            terbayar[r[1]] = terbayar.get(r[1], Decimal(0)) + r[3]
        dana = self.k.sumber["dana_bergulir"]
        cair = [b for b in self.bantuan if b.status in ("dicairkan", "lunas", "dihapusbukukan")]
        generasi = jalan_generasi(
            [
                (b.id, b.cair, b.jumlah, b.sumber == dana)
                for b in cair
                if b.jenis == "modal_bergulir" or b.sumber == dana
            ],
            [(r[2], r[1], r[0], r[3]) for r in angsuran],
        )
        per_id = {b.id: b for b in self.bantuan}
        hasil = []
        for r in bantuan:
            b = per_id[r[0]]
            dibayar = terbayar.get(b.id, Decimal(0))
            belum = next((c.jatuh_tempo for c in b.jadwal or () if c.kumulatif > dibayar), None)
            hasil.append((*r, dibayar, belum, generasi.get(b.id)))
        return hasil

    def _nomori_kunjungan(self):
        """Visits get their ids in date order, so payments and readings can point at them."""
        self.kunjungan.sort(key=lambda v: (v.tanggal, v.kelompok.i if v.kelompok else -1))
        for v in self.kunjungan:
            v.id = self.nomor.ambil("kunjungan")

    # --- income readings ------------------------------------------------------------------

    def _nilai(self, m: _Mitra, tanggal: dt.date) -> Decimal:
        """Income at a date: from baseline towards baseline × faktor at the end."""
        total = max(1, (self.akhir - m.bergabung).days)
        # progress is a plain fraction of time, not money: float is fine until Decimal
        kemajuan = Decimal(f"{min(1.0, max(0.0, (tanggal - m.bergabung).days / total)) ** 0.8:.4f}")
        nilai = m.baseline * (1 + (m.faktor - 1) * kemajuan)
        if m.khusus:
            return _rupiah(nilai, 50_000)
        return _rupiah(nilai * _persen(93, 107, self.rng), 5_000)

    def _pengukuran(self):
        """Baseline at formation, monitoring at the six-monthly rounds, endline at the exit
        workshop. Every mitra has a baseline; the six `tanpa_ukur` have nothing after it."""
        k, baris = self.k, self.hasil.baris
        baris_p = baris["pengukuran"]
        fas = k.fasilitator_id
        for g in self.kelompok:
            pembentukan = g.kunjungan[0]
            for m in g.anggota:
                baris_p.append(
                    (
                        self.nomor.ambil("pengukuran"), m.id, m.bergabung, m.baseline,
                        "baseline", pembentukan.id, fas, _dibuat(pembentukan),
                    )
                )  # fmt: skip
            for v in g.kunjungan:
                if v.jenis != "monitoring_usaha" or v is pembentukan:
                    continue
                for m in g.anggota:
                    if m.id in v.hadir and not m.tanpa_ukur:
                        baris_p.append(
                            (
                                self.nomor.ambil("pengukuran"), m.id, v.tanggal,
                                self._nilai(m, v.tanggal), "monitoring", v.id, fas, _dibuat(v),
                            )
                        )  # fmt: skip
        v = self.lokakarya
        for m in self.mitra:
            if m.tanpa_ukur:
                continue
            akhir = _rupiah(m.baseline * m.faktor, 5_000)
            if m.khusus:
                akhir = Decimal(600000)
            v.hadir.add(m.id)
            baris_p.append(
                (
                    self.nomor.ambil("pengukuran"),
                    m.id,
                    self.akhir,
                    akhir,
                    "endline",
                    v.id,
                    fas,
                    _dibuat(v),
                )
            )

    def _tulis_kunjungan(self):
        rng, k = self.rng, self.k
        baris_k, baris_h = self.hasil.baris["kunjungan"], self.hasil.baris["hadir"]
        for v in self.kunjungan:
            kendala = tindak = ""
            selesai, selesai_pada = False, None
            if v.jenis == "pembentukan":
                jenis = "pertemuan_kelompok"
                ringkasan = (
                    f"Pembentukan {v.kelompok.nama}: pemilihan pengurus, kesepakatan aturan "
                    f"kelompok, dan pendataan pendapatan awal (baseline) anggota."
                )
            elif v.jenis == "lokakarya":
                jenis = "pelatihan"
                ringkasan = (
                    "Lokakarya exit program Klaster Mandiri: pemaparan hasil tiga tahun, "
                    "penyerahan pengelolaan dana bergulir kepada koperasi, dan pengukuran "
                    "pendapatan akhir (endline) anggota."
                )
            else:
                jenis = v.jenis
                g = v.kelompok
                ringkasan = rng.choice(N.RINGKASAN[jenis]).format(
                    kelompok=g.nama, usaha=g.usaha.lower()
                )
                if rng.random() < 0.6:
                    kendala = rng.choice(N.KENDALA)
                    tindak = rng.choice(N.TINDAK_LANJUT)
                    baru = (self.akhir - v.tanggal).days <= 60
                    if rng.random() < (0.55 if baru else 0.97):
                        selesai = True
                        selesai_pada = min(self.akhir, v.tanggal + rng.randint(3, 30) * HARI)
            # members of the visited kelompok at the visit's date, as the service counts them
            anggota = {
                m.id for m in (v.kelompok.anggota if v.kelompok else ())
                if m.bergabung <= v.tanggal and (m.keluar is None or m.keluar >= v.tanggal)
            }  # fmt: skip
            baris_k.append(
                (
                    v.id, v.uuid, k.fasilitator_id, k.klaster_id,
                    v.kelompok.id if v.kelompok else None, v.tanggal, jenis, ringkasan, kendala,
                    tindak, selesai, selesai_pada, _dibuat(v),
                    len(v.hadir), len(v.hadir & anggota), len(anggota),
                )
            )  # fmt: skip
            hadir = sorted(v.hadir)
            ids = self.nomor.ambil_banyak("hadir", len(hadir))
            baris_h.extend(zip(ids, [v.id] * len(hadir), hadir, strict=True))


def _dibuat(v: _Kunjungan) -> dt.datetime:
    """When the report reached the server: the visit's day at its hour, as naive UTC (what
    Django stores for an aware datetime on both SQLite and PostgreSQL)."""
    return dt.datetime.combine(v.tanggal, dt.time(v.jam, 0)) - WIB

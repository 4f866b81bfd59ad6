"""The columns of each import kind: one definition for the template, the import, the export and
the admin resources, so that export → edit in Excel → import is a round trip.

A header in a file matches a column when, ignoring case, punctuation and spacing, it equals the
column's title, its key, or one of its synonyms (the names programmes already use).
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from impor.bersih import kunci_judul


@dataclass(frozen=True)
class Kolom:
    kunci: str
    judul: str  # the header written in templates and exports
    sinonim: tuple[str, ...] = ()
    wajib: bool = False
    teks: bool = False  # formatted as Text in templates (codes and NIK keep every digit)
    petunjuk: str = ""


@dataclass(frozen=True)
class Skema:
    jenis: str
    nama: str
    kolom: tuple[Kolom, ...]
    petunjuk: str = ""

    @property
    def judul(self) -> list[str]:
        return [k.judul for k in self.kolom]

    def kolom_dari_kunci(self, kunci: str) -> Kolom:
        return next(k for k in self.kolom if k.kunci == kunci)

    def peta_judul(self) -> dict[str, str]:
        """Normalized header → column key."""
        peta = {}
        for k in self.kolom:
            for nama in (k.judul, k.kunci, *k.sinonim):
                peta[kunci_judul(nama)] = k.kunci
        return peta


KODE_KLASTER = Kolom(
    "kode_klaster",
    "Kode Klaster",
    ("klaster", "kode klaster"),
    teks=True,
    petunjuk=_("Boleh kosong di halaman Impor; jika diisi harus sama dengan klaster yang dipilih."),
)

MITRA = Skema(
    jenis="mitra",
    nama=_("Mitra"),
    kolom=(
        Kolom(
            "nik",
            "NIK",
            (
                "no ktp",
                "nomor ktp",
                "no nik",
                "nomor nik",
                "nik ktp",
                "ktp",
                "nomor induk kependudukan",
            ),
            wajib=True,
            teks=True,
            petunjuk=_("16 digit; format kolom sebagai Teks."),
        ),
        Kolom(
            "nama",
            "Nama",
            ("nama lengkap", "nama mitra", "nama anggota", "nama penerima"),
            wajib=True,
        ),
        Kolom(
            "jenis_kelamin",
            "Jenis Kelamin",
            ("jk", "l p", "kelamin", "gender"),
            wajib=True,
            petunjuk=_("L atau P"),
        ),
        Kolom(
            "tanggal_lahir",
            "Tanggal Lahir",
            ("tgl lahir", "lahir", "tanggal lahir dd mm yyyy"),
            wajib=True,
        ),
        Kolom(
            "telepon",
            "Telepon",
            (
                "no hp",
                "hp",
                "nomor hp",
                "no telepon",
                "nomor telepon",
                "telp",
                "no telp",
                "handphone",
                "no wa",
                "whatsapp",
            ),
            teks=True,
        ),
        Kolom(
            "desa",
            "Desa",
            ("kode desa", "desa kelurahan", "kelurahan", "nama desa"),
            wajib=True,
            teks=True,
            petunjuk=_("Kode Kemendagri (36.02.06.2002) atau nama desa"),
        ),
        Kolom("alamat", "Alamat", ("alamat lengkap", "kampung", "dusun")),
        Kolom(
            "kelompok",
            "Kelompok",
            ("kode kelompok", "nama kelompok", "kelompok tani", "klp"),
            teks=True,
            petunjuk=_("Kode atau nama kelompok; kosong bila belum berkelompok"),
        ),
        Kolom(
            "sektor",
            "Sektor",
            ("bidang", "bidang usaha", "sektor usaha"),
            wajib=True,
            petunjuk=_("Pertanian, Peternakan atau UMKM"),
        ),
        Kolom("jenis_usaha", "Jenis Usaha", ("usaha", "komoditas", "jenis usaha mitra")),
        Kolom("status", "Status", ("status mitra",), petunjuk=_("calon, aktif, lulus, keluar")),
        Kolom(
            "tanggal_bergabung",
            "Tanggal Bergabung",
            ("tgl bergabung", "tanggal masuk", "tgl masuk", "bergabung", "mulai bergabung"),
            wajib=True,
        ),
        Kolom("tanggal_keluar", "Tanggal Keluar", ("tgl keluar",)),
        Kolom(
            "jumlah_anggota_keluarga",
            "Jumlah Anggota Keluarga",
            (
                "anggota keluarga",
                "jml anggota keluarga",
                "jumlah tanggungan",
                "jumlah jiwa",
                "jml jiwa",
                "jumlah anggota kk",
            ),
        ),
        KODE_KLASTER,
    ),
    petunjuk=_("Impor kelompok lebih dulu: kolom Kelompok merujuk kelompok yang sudah ada."),
)

KELOMPOK = Skema(
    jenis="kelompok",
    nama=_("Kelompok"),
    kolom=(
        Kolom("kode", "Kode", ("kode kelompok",), wajib=True, teks=True),
        Kolom("nama", "Nama", ("nama kelompok",), wajib=True),
        Kolom("sektor", "Sektor", ("bidang", "bidang usaha"), wajib=True),
        Kolom(
            "desa",
            "Desa",
            ("kode desa", "desa kelurahan", "kelurahan", "nama desa"),
            wajib=True,
            teks=True,
        ),
        Kolom(
            "tanggal_dibentuk",
            "Tanggal Dibentuk",
            ("tgl dibentuk", "tanggal berdiri", "tgl berdiri", "dibentuk", "tanggal pembentukan"),
            wajib=True,
        ),
        Kolom("usaha_kelompok", "Usaha Kelompok", ("usaha", "jenis usaha")),
        Kolom("status", "Status", ("status kelompok",), petunjuk=_("aktif, mandiri, tidak aktif")),
        Kolom("lembaga", "Lembaga", ("koperasi", "nama lembaga")),
        Kolom(
            "ketua",
            "NIK Ketua",
            ("ketua", "nik ketua kelompok"),
            teks=True,
            petunjuk=_("NIK mitra ketua; impor mitra dulu lalu impor ulang kelompok"),
        ),
        KODE_KLASTER,
    ),
)

BANTUAN = Skema(
    jenis="bantuan",
    nama=_("Bantuan"),
    kolom=(
        Kolom(
            "nomor",
            "Nomor",
            ("nomor bantuan", "no bantuan", "nomor pinjaman"),
            wajib=True,
            teks=True,
        ),
        Kolom(
            "nik_penerima",
            "NIK Penerima",
            ("nik", "nik mitra", "no ktp"),
            teks=True,
            petunjuk=_("Isi NIK mitra ATAU kode kelompok penerima, tidak keduanya"),
        ),
        Kolom(
            "kelompok_penerima",
            "Kelompok Penerima",
            ("kode kelompok penerima", "kelompok", "kode kelompok"),
            teks=True,
        ),
        Kolom(
            "jenis",
            "Jenis",
            ("jenis bantuan",),
            wajib=True,
            petunjuk=_("modal bergulir, hibah modal, aset, beasiswa, kesehatan, pelatihan"),
        ),
        Kolom("sumber_dana", "Sumber Dana", ("sumber", "asal dana"), wajib=True),
        Kolom(
            "jumlah",
            "Jumlah",
            ("jumlah bantuan", "nilai", "nominal", "jumlah rp", "jumlah pinjaman", "pokok"),
            wajib=True,
        ),
        Kolom("tanggal_pengajuan", "Tanggal Pengajuan", ("tgl pengajuan",), wajib=True),
        Kolom(
            "tanggal_cair",
            "Tanggal Cair",
            ("tgl cair", "tanggal pencairan", "tgl pencairan"),
            wajib=True,
        ),
        Kolom(
            "tenor_bulan",
            "Tenor (bulan)",
            ("tenor", "jangka waktu", "lama angsuran"),
            petunjuk=_("Hanya untuk modal bergulir"),
        ),
        Kolom("tujuan", "Tujuan", ("tujuan penggunaan", "peruntukan", "keterangan")),
        KODE_KLASTER,
    ),
    petunjuk=_(
        "Setiap baris adalah bantuan yang sudah dicairkan; modal bergulir mendapat "
        "jadwal angsurannya."
    ),
)

ANGSURAN = Skema(
    jenis="angsuran",
    nama=_("Angsuran"),
    kolom=(
        Kolom(
            "nomor_bantuan",
            "Nomor Bantuan",
            ("nomor", "no bantuan", "nomor pinjaman"),
            wajib=True,
            teks=True,
        ),
        Kolom(
            "tanggal",
            "Tanggal Bayar",
            ("tanggal", "tgl bayar", "tanggal pembayaran", "tgl"),
            wajib=True,
        ),
        Kolom(
            "jumlah",
            "Jumlah",
            ("jumlah bayar", "jumlah angsuran", "nominal", "setoran"),
            wajib=True,
        ),
        KODE_KLASTER,
    ),
    petunjuk=_(
        "Baris dengan nomor bantuan, tanggal dan jumlah yang sama dengan angsuran "
        "tercatat dianggap sudah diimpor."
    ),
)

PENGUKURAN = Skema(
    jenis="pengukuran",
    nama=_("Pengukuran pendapatan"),
    kolom=(
        Kolom("nik", "NIK", ("no ktp", "nomor ktp", "nik mitra"), wajib=True, teks=True),
        Kolom("tanggal", "Tanggal", ("tanggal pengukuran", "tgl", "tanggal survei"), wajib=True),
        Kolom(
            "pendapatan_bulanan",
            "Pendapatan Bulanan",
            (
                "pendapatan",
                "pendapatan per bulan",
                "penghasilan",
                "penghasilan bulanan",
                "pendapatan rp",
            ),
            wajib=True,
        ),
        Kolom(
            "jenis",
            "Jenis",
            ("jenis pengukuran", "tahap"),
            wajib=True,
            petunjuk=_("baseline, monitoring, endline"),
        ),
        KODE_KLASTER,
    ),
)

# --- the programme's other half (program/, issue 16) ---------------------------------------

KEGIATAN = Skema(
    jenis="kegiatan",
    nama=_("Kegiatan program"),
    kolom=(
        Kolom("tanggal", "Tanggal", ("tanggal kegiatan", "tgl"), wajib=True),
        Kolom(
            "jenis",
            "Jenis",
            ("jenis kegiatan",),
            wajib=True,
            petunjuk=_(
                "pelatihan, pendampingan usaha, akses pasar, sosialisasi, pendidikan, "
                "kesehatan, advokasi"
            ),
        ),
        Kolom("judul", "Judul", ("nama kegiatan", "kegiatan", "judul kegiatan"), wajib=True),
        Kolom("jam", "Lama (jam)", ("jam", "lama", "durasi", "durasi jam"), wajib=True),
        Kolom("kelompok", "Kelompok", ("kode kelompok", "nama kelompok"), teks=True),
        Kolom("desa", "Desa", ("kode desa", "nama desa"), teks=True),
        Kolom(
            "fasilitator",
            "Fasilitator",
            ("nama pengguna fasilitator", "username fasilitator"),
            petunjuk=_("Nama pengguna (username) petugas klaster; kosong = Anda"),
        ),
        Kolom("narasumber", "Narasumber", ("pelatih", "pembicara")),
        Kolom("biaya", "Biaya", ("biaya rp", "anggaran")),
        Kolom("sumber_dana", "Sumber Dana", ("dana", "sumber")),
        Kolom("catatan", "Catatan", ("keterangan",)),
        KODE_KLASTER,
    ),
    petunjuk=_(
        "Satu baris satu kegiatan; tanggal dan judul yang sama dengan kegiatan tercatat "
        "memperbarui kegiatan itu. Peserta diimpor terpisah (jenis Peserta kegiatan)."
    ),
)

PESERTA = Skema(
    jenis="peserta",
    nama=_("Peserta kegiatan"),
    kolom=(
        Kolom("tanggal", "Tanggal Kegiatan", ("tanggal", "tgl kegiatan"), wajib=True),
        Kolom("judul", "Judul Kegiatan", ("judul", "kegiatan", "nama kegiatan"), wajib=True),
        Kolom("nik", "NIK", ("no ktp", "nomor ktp", "nik mitra"), wajib=True, teks=True),
        KODE_KLASTER,
    ),
    petunjuk=_("Satu baris satu mitra yang hadir; impor kegiatannya lebih dulu."),
)


def _kolom_butir():
    from program.instrumen import KUESIONER, KUESIONER_TERBARU

    k = KUESIONER[KUESIONER_TERBARU]
    butir = [
        Kolom(f"ms_{b.kode}", b.kode.upper(), (), wajib=True, petunjuk=b.teks)
        for b in k.modal_sosial
    ]
    spiritual = [
        Kolom(
            b.kode,
            {"zakat_infak": "Zakat dan Infak"}.get(b.kode, b.kode.replace("_", " ").title()),
            (b.kode.replace("_", " "),),
            wajib=True,
            petunjuk=" / ".join(f"{i + 1} {t}" for i, t in enumerate(b.pilihan)),
        )
        for b in k.spiritual
    ]
    return tuple(butir), tuple(spiritual)


_BUTIR, _SPIRITUAL = _kolom_butir()

SURVEI = Skema(
    jenis="survei",
    nama=_("Jawaban survei"),
    kolom=(
        Kolom("putaran", "Putaran", ("nama putaran", "putaran survei", "survei"), wajib=True),
        Kolom("nik", "NIK", ("no ktp", "nomor ktp", "nik mitra"), wajib=True, teks=True),
        Kolom("tanggal", "Tanggal", ("tanggal wawancara", "tgl"), wajib=True),
        Kolom(
            "jumlah_anggota_keluarga",
            "Anggota Rumah Tangga",
            ("jumlah anggota rumah tangga", "anggota keluarga", "jumlah jiwa"),
            wajib=True,
        ),
        Kolom(
            "pendapatan_rumah_tangga",
            "Pendapatan Rumah Tangga",
            ("pendapatan", "pendapatan rumah tangga per bulan", "penghasilan rumah tangga"),
            wajib=True,
            petunjuk=_("Per bulan, dari semua sumber"),
        ),
        *_BUTIR,
        *_SPIRITUAL,
        KODE_KLASTER,
    ),
    petunjuk=_(
        "Satu baris satu rumah tangga pada satu putaran (buat putarannya dulu di halaman "
        "Survei). Butir modal sosial R1–J4 dan lima butir spiritual diisi 1 sampai 5."
    ),
)

SKEMA = {
    s.jenis: s for s in (KELOMPOK, MITRA, BANTUAN, ANGSURAN, PENGUKURAN, KEGIATAN, PESERTA, SURVEI)
}

"""Import of kelompok, bantuan, angsuran and income readings: the financial rules hold."""

import datetime
from decimal import Decimal

import pytest

from bantuan.models import Angsuran, Bantuan, JadwalAngsuran
from bantuan.tests.factories import SumberDanaFactory
from impor.layanan import impor_berkas
from impor.tests.util import csv_bytes, sidik_db, xlsx
from kelompok.models import Kelompok
from kelompok.tests.factories import LembagaFactory
from mitra.models import PengukuranPendapatan
from mitra.tests.factories import MitraFactory

NIK_A = "3602061506780002"
NIK_B = "3602064501800001"


def impor(personas, jenis, data, nama="berkas.xlsx", simpan=False):
    r = impor_berkas(jenis=jenis, data=data, nama_berkas=nama, oleh=personas.manajer,
                     klaster=personas.klaster_lebak, simpan=simpan)  # fmt: skip
    assert r.dibaca == r.dibuat + r.diubah + r.tetap + r.ditolak + r.dilewati
    return r


def galat(r):
    return [(g.baris, g.kolom, g.alasan) for g in r.galat]


@pytest.fixture
def mitra(personas):
    a = MitraFactory(klaster=personas.klaster_lebak, kelompok=personas.kelompok_lebak, nik=NIK_A,
                     jenis_kelamin="L", tanggal_lahir=datetime.date(1978, 6, 15))  # fmt: skip
    b = MitraFactory(klaster=personas.klaster_lebak, nik=NIK_B, jenis_kelamin="P",
                     tanggal_lahir=datetime.date(1980, 1, 5))  # fmt: skip
    return a, b


# --- kelompok -------------------------------------------------------------------------------


def test_kelompok_csv_with_synonyms_creates_updates_and_refuses(personas, mitra):
    LembagaFactory(klaster=personas.klaster_lebak, nama="Koperasi Mandiri Sejahtera")
    rows = [
        ["Kode Kelompok", "Nama Kelompok", "Bidang", "Desa", "Tgl Berdiri", "Status", "Koperasi",
         "NIK Ketua"],
        ["KLP-10", "Tani  Makmur", "tani", "Cisimeut", "01/04/2011", "aktif",
         "koperasi mandiri sejahtera", ""],
        ["lbk-01", "Nama Baru", "Pertanian", "36.02.06.2002", "2011-04-01", "Aktif", "", NIK_A],
        ["KLP-11", "Ternak Jaya", "ternak", "Cisimeut", "01/04/2011", "", "Koperasi Lain", ""],
        ["KLP-12", "Usaha Bersama", "usaha", "Cisimeut", "01/04/2011", "", "", NIK_B],
        ["KLP-13", "Di Luar", "UMKM", "Malingping", "01/04/2011", "", "", ""],
    ]  # fmt: skip
    r = impor(personas, "kelompok", csv_bytes(rows, delimiter=";"), nama="kelompok.csv")
    assert (r.dibaca, r.dibuat, r.diubah, r.tetap, r.ditolak) == (5, 1, 1, 0, 3)
    assert galat(r) == [
        (4, "Koperasi", "Lembaga 'Koperasi Lain' tidak ada di klaster ini; buat lembaganya dulu "
                        "atau kosongkan kolom ini."),
        (5, "NIK Ketua", "Ketua harus anggota kelompok ini: impor kelompok tanpa ketua, impor "
                         "mitra dengan kelompoknya, lalu impor ulang kelompok dengan ketua."),
        (6, "Desa", "Desa 'Malingping' tidak ada di kecamatan klaster Klaster Mandiri Lebak; "
                    "tulis kode atau nama desa yang benar."),
    ]  # fmt: skip
    ubah = next(b for b in r.baris if b.nomor == 3)
    assert sorted(ubah.berubah) == ["ketua_id", "nama"]

    bersih = [row for i, row in enumerate(rows) if i not in (3, 4, 5)]
    r = impor(personas, "kelompok", csv_bytes(bersih), nama="kelompok.csv", simpan=True)
    assert r.tersimpan and (r.dibuat, r.diubah) == (1, 1)
    baru = Kelompok.objects.get(klaster=personas.klaster_lebak, kode="KLP-10")
    assert (baru.nama, baru.sektor, baru.lembaga.nama) == (
        "Tani Makmur",
        "pertanian",
        "Koperasi Mandiri Sejahtera",
    )
    personas.kelompok_lebak.refresh_from_db()
    assert personas.kelompok_lebak.ketua.nik == NIK_A
    assert personas.kelompok_lebak.kode == "LBK-01"  # the code keeps its stored spelling
    h = personas.kelompok_lebak.history.first()
    assert (h.history_type, h.history_change_reason) == ("~", "impor: kelompok.csv")
    lagi = impor(personas, "kelompok", csv_bytes(bersih), nama="kelompok.csv", simpan=True)
    assert (lagi.tetap, lagi.dibuat, lagi.diubah) == (2, 0, 0)


# --- bantuan and angsuran -------------------------------------------------------------------

JUDUL_BANTUAN = ["Nomor", "NIK Penerima", "Kelompok Penerima", "Jenis", "Sumber Dana", "Jumlah",
                 "Tgl Pengajuan", "Tanggal Pencairan", "Tenor", "Tujuan"]  # fmt: skip


def baris_bantuan_sah(personas):
    return [
        ["BTN-IMP-001", NIK_A, "", "Modal bergulir", "Dana Zakat Uji", "Rp 1.500.000",
         "10/01/2012", "15/01/2012", 12, "modal warung"],
        ["BTN-IMP-002", "", "LBK-01", "hibah", "dana zakat uji", "Rp1.500.000,00", "10/01/2012",
         "15/01/2012", None, "bibit"],
        ["BTN-IMP-003", "'" + NIK_B, "", "pinjaman", "Dana Zakat Uji", 1500000.0, "10/01/2012",
         "6 Maret 2012", "10 bulan", ""],
    ]  # fmt: skip


@pytest.fixture
def sumber(db):
    return SumberDanaFactory(nama="Dana Zakat Uji")


def test_bantuan_rows_are_checked_like_the_services_do(personas, mitra, sumber):
    salah = [
        ["BTN-IMP-004", NIK_A, "", "Modal bergulir", "Dana Zakat Uji", "1.000.000", "10/01/2012",
         "15/01/2012", None, ""],
        ["BTN-IMP-005", NIK_A, "", "Aset", "Dana Zakat Uji", "-500.000", "10/01/2012",
         "15/01/2012", None, ""],
        ["BTN-IMP-006", NIK_A, "", "Aset", "Dana Zakat Uji", "0", "10/01/2012", "15/01/2012",
         None, ""],
        ["BTN-IMP-007", NIK_A, "LBK-01", "Aset", "Dana Zakat Uji", "1.000", "10/01/2012",
         "15/01/2012", None, ""],
        ["BTN-IMP-008", NIK_A, "", "Aset", "Dana Zakat Uji", "1.000", "10/01/2012", "09/01/2012",
         None, ""],
        ["BTN-IMP-009", NIK_A, "", "Aset", "Dana Infak", "1.000", "10/01/2012", "15/01/2012",
         None, ""],
        ["BTN-IMP-010", NIK_A, "", "Aset", "Dana Zakat Uji", "1.000", "10/01/2012", "15/01/2012",
         6, ""],
    ]  # fmt: skip
    sebelum = sidik_db()
    rows = [JUDUL_BANTUAN, *baris_bantuan_sah(personas), *salah]
    r = impor(personas, "bantuan", xlsx(rows), simpan=True)
    assert (r.dibaca, r.dibuat, r.ditolak, r.tersimpan) == (10, 3, 7, False)
    assert galat(r) == [
        (5, "Tenor", "Modal bergulir perlu tenor 1 sampai 60 bulan."),
        (6, "Jumlah", "Jumlah -500.000 negatif; isi jumlah lebih dari nol."),
        (7, "Jumlah", "Jumlah nol; isi jumlah lebih dari nol."),
        (8, "NIK Penerima", "Isi satu penerima: NIK Penerima (mitra) atau Kelompok Penerima, "
                            "tidak keduanya dan tidak kosong keduanya."),
        (9, "Tanggal Pencairan", "Tanggal cair tidak boleh sebelum tanggal pengajuan."),
        (10, "Sumber Dana", "Sumber dana 'Dana Infak' tidak dikenal; tulis nama sumber dana "
                            "persis seperti terdaftar."),
        (11, "Tenor", "Tenor hanya untuk modal bergulir; kosongkan kolom ini untuk Aset "
                      "produktif."),
    ]  # fmt: skip
    assert sidik_db() == sebelum


def test_bantuan_import_disburses_with_schedule_then_angsuran_respect_the_principal(
    personas, mitra, sumber
):
    rows = [JUDUL_BANTUAN, *baris_bantuan_sah(personas)]
    r = impor(personas, "bantuan", xlsx(rows), nama="bantuan-2012.xlsx", simpan=True)
    assert r.tersimpan and r.dibuat == 3
    b1 = Bantuan.objects.get(klaster=personas.klaster_lebak, nomor="BTN-IMP-001")
    assert (b1.status, b1.jumlah, b1.tenor_bulan, b1.tanggal_cair, b1.mitra.nik) == (
        "dicairkan",
        Decimal("1500000.00"),
        12,
        datetime.date(2012, 1, 15),
        NIK_A,
    )
    jadwal = list(JadwalAngsuran.objects.filter(bantuan=b1).order_by("ke"))
    assert len(jadwal) == 12 and sum(j.jumlah for j in jadwal) == Decimal("1500000")
    assert jadwal[0].jatuh_tempo == datetime.date(2012, 2, 15)
    b2 = Bantuan.objects.get(nomor="BTN-IMP-002")
    assert (b2.jenis, b2.kelompok, b2.tenor_bulan) == ("hibah_modal", personas.kelompok_lebak, None)
    assert not JadwalAngsuran.objects.filter(bantuan=b2).exists()
    assert Bantuan.objects.get(nomor="BTN-IMP-003").tenor_bulan == 10
    h = b1.history.get()
    assert (h.history_user, h.history_change_reason) == (
        personas.manajer,
        "impor: bantuan-2012.xlsx",
    )
    # re-import: nothing changes; a changed amount is refused, not applied
    assert impor(personas, "bantuan", xlsx(rows), simpan=True).tetap == 3
    rows[1][5] = "2.000.000"
    r = impor(personas, "bantuan", xlsx(rows))
    assert galat(r) == [
        (
            2,
            "Nomor",
            "Bantuan BTN-IMP-001 sudah tercatat dengan Jumlah berbeda; "
            "data keuangan yang sudah tercatat tidak diubah lewat impor.",
        )
    ]

    judul = ["Nomor Bantuan", "Tgl Bayar", "Jumlah Angsuran"]
    salah = [
        judul,
        ["BTN-IMP-001", "15/02/2012", "125.000"],
        ["BTN-IMP-001", "15/03/2012", "Rp 125.000"],
        ["BTN-IMP-001", "15/03/2012", "Rp 125.000"],  # exact duplicate: skipped
        ["BTN-IMP-001", "15/04/2012", "1.300.000"],  # more than what is left
        ["BTN-IMP-002", "15/04/2012", "10.000"],  # a grant is not repaid
        ["BTN-IMP-999", "15/04/2012", "10.000"],
        ["BTN-IMP-001", "10/01/2012", "10.000"],  # before disbursement
    ]
    sebelum = sidik_db()
    r = impor(personas, "angsuran", xlsx(salah), simpan=True)
    assert (r.dibaca, r.dibuat, r.ditolak, len(r.duplikat), r.tersimpan) == (7, 2, 4, 1, False)
    assert galat(r) == [
        (5, "Jumlah Angsuran", "Angsuran Rp1.300.000,00 melebihi sisa pokok Rp1.250.000,00 "
                               "(termasuk baris sebelumnya di berkas ini); isi paling banyak "
                               "Rp1.250.000,00."),
        (6, "Nomor Bantuan", "Hibah modal usaha tidak diangsur; hanya modal bergulir yang "
                             "dibayar kembali."),
        (7, "Nomor Bantuan", "Bantuan nomor 'BTN-IMP-999' tidak ada di klaster Klaster Mandiri "
                             "Lebak."),
        (8, "Tgl Bayar", "Tanggal bayar tidak boleh sebelum tanggal cair 15 Januari 2012."),
    ]  # fmt: skip
    assert sidik_db() == sebelum

    sah = [judul, salah[1], salah[2], ["BTN-IMP-001", "15/04/2012", "1.250.000"]]
    r = impor(personas, "angsuran", xlsx(sah), nama="angsuran.xlsx", simpan=True)
    assert r.tersimpan and r.dibuat == 3
    b1.refresh_from_db()
    assert (b1.status, b1.tanggal_lunas) == ("lunas", datetime.date(2012, 4, 15))
    assert sum(a.jumlah for a in b1.angsuran.all()) == b1.jumlah
    a = Angsuran.objects.filter(bantuan=b1).first()
    h = a.history.get()
    assert (h.history_user, h.history_change_reason) == (personas.manajer, "impor: angsuran.xlsx")
    assert b1.history.first().history_change_reason == "impor: angsuran.xlsx"
    sebelum = sidik_db()
    lagi = impor(personas, "angsuran", xlsx(sah), simpan=True)
    assert (lagi.tetap, lagi.dibuat) == (3, 0)
    assert sidik_db() == sebelum


# --- pengukuran pendapatan ------------------------------------------------------------------


def test_income_readings(personas, mitra):
    rows = [
        ["No KTP", "Tanggal Survei", "Penghasilan", "Tahap"],
        [NIK_A, "01/06/2011", "Rp 750.000", "awal"],
        [NIK_A, "01/06/2012", "1.000.000", "pemantauan"],
        [NIK_B, "01/06/2011", 0, "Baseline"],  # no income at baseline is a real reading
        [NIK_A, "02/06/2011", "800.000", "baseline"],  # a second baseline
        [NIK_B, "01/06/2012", "-5.000", "monitoring"],
        ["3602061506780099", "01/06/2012", "5.000", "monitoring"],
        [NIK_B, "01/06/2013", "5.000", "tahunan"],
    ]
    r = impor(personas, "pengukuran", xlsx(rows), nama="pendapatan.xlsx", simpan=True)
    assert (r.dibaca, r.dibuat, r.ditolak, r.tersimpan) == (7, 3, 4, False)
    assert galat(r) == [
        (5, "Tahap", "Baseline mitra ini sudah ada di baris 2; satu mitra hanya punya satu "
                     "baseline."),
        (6, "Penghasilan", "Jumlah -5.000 negatif; isi jumlah lebih dari nol."),
        (7, "No KTP", "Tidak ada mitra dengan NIK ini di klaster Klaster Mandiri Lebak; impor "
                      "mitra dulu."),
        (8, "Tahap", "Jenis 'tahunan' tidak dikenal; isi salah satu: baseline, monitoring, "
                     "endline."),
    ]  # fmt: skip
    r = impor(personas, "pengukuran", xlsx(rows[:4]), nama="pendapatan.xlsx", simpan=True)
    assert r.tersimpan and r.dibuat == 3
    p = PengukuranPendapatan.objects.get(mitra=mitra[0], jenis="baseline")
    assert (p.pendapatan_bulanan, p.dicatat_oleh) == (Decimal("750000.00"), personas.manajer)
    assert p.history.get().history_change_reason == "impor: pendapatan.xlsx"
    assert impor(personas, "pengukuran", xlsx(rows[:4]), simpan=True).tetap == 3
    rows[2][2] = "1.100.000"
    r = impor(personas, "pengukuran", xlsx(rows[:4]), simpan=True)
    assert (r.diubah, r.tetap) == (1, 2)
    assert PengukuranPendapatan.objects.get(
        mitra=mitra[0], jenis="monitoring"
    ).pendapatan_bulanan == (Decimal("1100000"))


def test_every_kind_exports_in_a_shape_that_reimports_unchanged(personas, mitra, sumber):
    from impor import ekspor as ek
    from impor.skema import SKEMA

    impor(personas, "bantuan", xlsx([JUDUL_BANTUAN, *baris_bantuan_sah(personas)]), simpan=True)
    angsuran = [["Nomor Bantuan", "Tanggal Bayar", "Jumlah"], ["BTN-IMP-001", "15/02/2012", 125000]]
    impor(personas, "angsuran", xlsx(angsuran), simpan=True)
    pengukuran = [
        ["NIK", "Tanggal", "Pendapatan Bulanan", "Jenis"],
        [NIK_A, "01/06/2011", 5, "awal"],
    ]
    impor(personas, "pengukuran", xlsx(pengukuran), simpan=True)
    sebelum = sidik_db()
    for jenis, n in [("kelompok", 1), ("mitra", 2), ("bantuan", 3), ("angsuran", 1),
                     ("pengukuran", 1)]:  # fmt: skip
        rows = list(ek.baris_ekspor(jenis, ek.queryset_ekspor(jenis, personas.klaster_lebak)))
        berkas = ek.xlsx_dari_baris(SKEMA[jenis], rows, judul_lembar=jenis)
        r = impor(personas, jenis, berkas, simpan=True)
        assert (jenis, r.dibaca, r.tetap, r.ditolak) == (jenis, n, n, 0), r.galat
        r = impor(personas, jenis, ek.csv_dari_baris(SKEMA[jenis], rows), nama="x.csv")
        assert (jenis, r.tetap, r.ditolak) == (jenis, n, 0), r.galat
    assert sidik_db() == sebelum

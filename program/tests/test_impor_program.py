"""Import templates of the programme's half through the import engine (impor/jenis/
kegiatan.py, peserta.py, survei.py): the same preview and counts identity as the other kinds,
all or nothing, the programme's rules on the columns they concern, and export → import
unchanged."""

import datetime
from decimal import Decimal

import pytest

from impor import ekspor as ek
from impor.layanan import impor_berkas
from impor.skema import SKEMA
from impor.tests.util import xlsx
from mitra.tests.factories import MitraFactory
from program.models import JawabanSurvei, KegiatanProgram, PutaranSurvei
from program.tests.factories import PutaranSurveiFactory

D = datetime.date
NIK_A = "3602061506780002"
NIK_B = "3602064501800001"


def impor(personas, jenis, data, simpan=False, nama=None):
    nama = nama or f"{jenis}.xlsx"
    r = impor_berkas(jenis=jenis, data=data, nama_berkas=nama, oleh=personas.manajer,
                     klaster=personas.klaster_lebak, simpan=simpan)  # fmt: skip
    assert r.dibaca == r.dibuat + r.diubah + r.tetap + r.ditolak + r.dilewati
    return r


def galat(r):
    return [(g.baris, g.kolom, g.alasan) for g in r.galat]


@pytest.fixture
def mitra(personas):
    a = MitraFactory(kelompok=personas.kelompok_lebak, nik=NIK_A, nama="Asep",
                     jenis_kelamin="L", tanggal_lahir=D(1978, 6, 15))  # fmt: skip
    b = MitraFactory(kelompok=personas.kelompok_lebak, nik=NIK_B, nama="Euis",
                     jenis_kelamin="P", tanggal_lahir=D(1980, 1, 5))  # fmt: skip
    return a, b


JUDUL_KEGIATAN = ["Tanggal", "Jenis", "Judul", "Lama (jam)", "Kelompok", "Biaya", "Sumber Dana"]


def test_activities_import_all_or_nothing_then_unchanged(personas, mitra):
    from bantuan.tests.factories import SumberDanaFactory

    SumberDanaFactory(nama="Dana Zakat", jenis="zakat")
    rows = [
        JUDUL_KEGIATAN,
        [
            "10/04/2024",
            "pelatihan",
            "Pelatihan pembukuan",
            "3",
            "LBK-01",
            "1.500.000",
            "Dana Zakat",
        ],
        ["20/05/2024", "Sosialisasi", "Sosialisasi ke Pemda", "2,5", "", "", ""],
        ["01/08/2024", "rapat", "Temu pembeli", "4", "", "", ""],
    ]
    r = impor(personas, "kegiatan", xlsx(rows), simpan=True)
    assert (r.dibuat, r.ditolak) == (2, 1)
    assert galat(r) == [
        (4, "Jenis", "Jenis 'rapat' tidak dikenal; isi salah satu: pelatihan, pendampingan "
         "usaha, akses pasar, sosialisasi, pendidikan, kesehatan, advokasi.")
    ]  # fmt: skip
    assert KegiatanProgram.objects.count() == 0  # one bad row: nothing saved
    rows[3][1] = "akses pasar"
    r = impor(personas, "kegiatan", xlsx(rows), simpan=True)
    assert (r.dibuat, r.tersimpan) == (3, True)
    k = KegiatanProgram.objects.get(judul="Pelatihan pembukuan")
    assert (k.jenis, k.jam, k.biaya, k.kelompok, k.fasilitator) == (
        "pelatihan", Decimal("3.00"), Decimal("1500000.00"), personas.kelompok_lebak,
        personas.manajer,
    )  # fmt: skip
    assert k.history.get().history_change_reason == "impor: kegiatan.xlsx"
    assert impor(personas, "kegiatan", xlsx(rows), simpan=True).tetap == 3
    # the programme's rules through this door too: money needs its fund
    rows[2][5] = "250000"
    r = impor(personas, "kegiatan", xlsx(rows))
    assert galat(r) == [(3, "Sumber Dana", "Pilih sumber dana untuk biaya Rp250.000.")]


def test_participants_import_adds_attendance_and_keeps_the_count(personas, mitra):
    k = KegiatanProgram.objects.create(
        klaster=personas.klaster_lebak, jenis="pelatihan", judul="Pelatihan pembukuan",
        tanggal=D(2024, 4, 10), jam=Decimal("3"), fasilitator=personas.fasilitator,
        dicatat_oleh=personas.fasilitator,
    )  # fmt: skip
    k.peserta.add(mitra[0])
    rows = [
        ["Tanggal Kegiatan", "Judul Kegiatan", "NIK"],
        ["10/04/2024", "pelatihan  PEMBUKUAN", NIK_A],
        ["10/04/2024", "Pelatihan pembukuan", NIK_B],
        ["11/04/2024", "Pelatihan pembukuan", NIK_B],
    ]
    r = impor(personas, "peserta", xlsx(rows), simpan=True)
    assert (r.tetap, r.dibuat, r.ditolak) == (1, 1, 1)
    assert "Tidak ada kegiatan 'Pelatihan pembukuan' tanggal 11 April 2024" in galat(r)[0][2]
    assert k.peserta.count() == 1  # all or nothing
    r = impor(personas, "peserta", xlsx(rows[:3]), simpan=True)
    assert r.tersimpan and r.dibuat == 1
    k.refresh_from_db()
    assert set(k.peserta.values_list("nik", flat=True)) == {NIK_A, NIK_B}
    assert k.jumlah_peserta == 2


def _baris_survei(putaran, nik, skor=3, **ubah):
    judul = SKEMA["survei"].judul[:-1]  # without Kode Klaster
    nilai = dict.fromkeys(judul, skor)
    nilai.update({"Putaran": putaran, "NIK": nik, "Tanggal": "01/03/2024",
                  "Anggota Rumah Tangga": 4, "Pendapatan Rumah Tangga": "1.750.000"})  # fmt: skip
    nilai.update(ubah)
    return judul, [nilai[j] for j in judul]


def test_survey_answers_import_with_the_rounds_rules_and_indices(personas, mitra):
    PutaranSurveiFactory(
        klaster=personas.klaster_lebak, nama="Baseline 2024", tanggal_mulai=D(2024, 2, 1),
        tanggal_selesai=D(2024, 4, 30),
    )  # fmt: skip
    judul, a = _baris_survei("baseline 2024", NIK_A, skor=4)
    _j, b = _baris_survei("Baseline 2024", NIK_B, skor=2, R1=6)
    _j, c = _baris_survei("Endline 2024", NIK_B)
    _j, d = _baris_survei("Baseline 2024", NIK_B, Tanggal="01/06/2024")
    r = impor(personas, "survei", xlsx([judul, a, b, c, d]), simpan=True)
    assert r.dibuat == 1 and r.ditolak == 3 and not r.tersimpan
    assert galat(r) == [
        (3, "R1", "R1 6 di luar batas 1–5."),
        (4, "Putaran", "Putaran 'Endline 2024' belum ada di klaster Klaster Mandiri Lebak; buka "
         "putarannya dulu di halaman Survei."),
        (5, "Tanggal", "Putaran Baseline 2024 sudah ditutup 30 April 2024; wawancara 1 Juni 2024 "
         "di luar putaran."),
    ]  # fmt: skip
    assert JawabanSurvei.objects.count() == 0
    r = impor(personas, "survei", xlsx([judul, a]), simpan=True)
    j = JawabanSurvei.objects.get()
    assert (j.indeks_modal_sosial, j.skor_spiritual, j.pendapatan_rumah_tangga) == (
        Decimal("75.00"), Decimal("4.00"), Decimal("1750000.00"),
    )  # fmt: skip
    # a corrected item updates the answer and its indices
    a[judul.index("J1")] = 1
    r = impor(personas, "survei", xlsx([judul, a]), simpan=True)
    assert r.diubah == 1
    j.refresh_from_db()
    assert j.indeks_jejaring == Decimal("56.25") and j.modal_sosial["j1"] == 1


def test_every_programme_kind_exports_in_a_shape_that_reimports_unchanged(personas, mitra, client):
    from program.tests.data_program import buat_data_program

    buat_data_program(personas)
    for jenis, n in (("kegiatan", 5), ("peserta", 10), ("survei", 18)):
        rows = list(ek.baris_ekspor(jenis, ek.queryset_ekspor(jenis, personas.klaster_lebak)))
        assert len(rows) == n, jenis
        r = impor(personas, jenis, ek.xlsx_dari_baris(SKEMA[jenis], rows, judul_lembar=jenis))
        assert (jenis, r.tetap, r.ditolak) == (jenis, n, 0), (galat(r), r.galat_berkas)
        r = impor(personas, jenis, ek.csv_dari_baris(SKEMA[jenis], rows), nama=f"{jenis}.csv")
        assert (jenis, r.tetap, r.ditolak) == (jenis, n, 0), (galat(r), r.galat_berkas)
    assert PutaranSurvei.objects.filter(klaster=personas.klaster_lebak).count() == 2

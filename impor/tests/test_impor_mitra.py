"""The mitra import on a file as messy as the ones programmes really keep."""

import datetime

from impor.layanan import impor_berkas
from impor.tests.util import csv_bytes, sidik_db, xlsx
from mitra.models import Mitra

PESAN_NIK_ANGKA = (
    "NIK terbaca sebagai angka (%s), sehingga digit terakhirnya bisa hilang: Excel hanya "
    "menyimpan 15 digit angka. Format kolom NIK sebagai Teks (Format Cells → Text) lalu ketik "
    "ulang NIK-nya, atau awali dengan tanda petik ('3602…)."
)

JUDUL = [
    "No",
    " NAMA LENGKAP ",
    "No. KTP",
    "L/P",
    "Tgl Lahir",
    "Desa",
    "Kelompok",
    "Bidang Usaha",
    "Tanggal Masuk",
    "Keterangan",
    "HP",
]


def berkas_berantakan(personas):
    """Every kind of mess in one sheet; comments give the expected outcome per Excel row."""
    kelompok = personas.kelompok_lebak
    return [
        ["DAFTAR MITRA KLASTER MANDIRI LEBAK"],  # 1: a title above the header
        [],  # 2
        JUDUL,  # 3: header in mixed case, extra spaces, synonyms, two unknown columns
        # 4: created; apostrophe NIK, capitals and stray spaces, 6-3-14, numeric phone
        [
            1,
            "  SITI   AMINAH ",
            "'3602064501800001",
            "P",
            "05/01/1980",
            "Cisimeut",
            "LBK-01",
            "tani",
            "6-3-14",
            "pindahan",
            81234567890,
        ],
        # 5: created; NIK with spaces, Laki-laki, "15 Juni 1978", desa by code, kelompok by name
        [
            2,
            "Ahmad  Fauzi",
            "3602 0615 0678 0002",
            "Laki-laki",
            "15 Juni 1978",
            "36.02.06.2004",
            kelompok.nama,
            "PETERNAKAN",
            datetime.datetime(2014, 3, 6),
            None,
            "0812-1111-2222",
        ],
        [],  # 6: blank, skipped
        # 7: rejected: NIK that Excel turned into a number
        [
            3,
            "Dedi",
            3602061506780003.0,
            "L",
            "15/06/1978",
            "Cisimeut",
            None,
            "UMKM",
            "2014-03-06",
            None,
            None,
        ],
        # 8: rejected: NIK in scientific notation from a CSV round trip
        [
            4,
            "Eti",
            "3.60206E+15",
            "P",
            "01/01/1980",
            "Cisimeut",
            None,
            "usaha",
            "2014-03-06",
            None,
            None,
        ],
        # 9: created with a warning: NIK dots; Excel serial birth date one day off the NIK
        [
            5,
            "Ujang",
            "3602.0601.0180.0004",
            "L",
            29222,
            "Kanekes",
            "",
            "ternak",
            "2014-03-06",
            None,
            None,
        ],
        # 10: exact duplicate of row 4 (NIK written without the apostrophe): skipped
        [
            1,
            "SITI AMINAH",
            "3602064501800001",
            "P",
            "05/01/1980",
            "Cisimeut",
            "LBK-01",
            "tani",
            "6-3-14",
            "pindahan",
            "081234567890",
        ],
        # 11: same NIK as row 5 with another name: rejected
        [
            6,
            "Ahmad Fauzan",
            "3602061506780002",
            "L",
            "15 Juni 1978",
            "36.02.06.2004",
            kelompok.nama,
            "PETERNAKAN",
            datetime.datetime(2014, 3, 6),
            None,
            "0812-1111-2222",
        ],
        # 12: NIK already in the database: updated (name changed), not duplicated
        [
            7,
            "Rohmat Baru",
            "3602061203700009",
            "L",
            "12/03/1970",
            "Cisimeut",
            "LBK-01",
            "tani",
            "01/06/2011",
            None,
            "081200000009",
        ],
        # 13: NIK already in the database with the same values: unchanged
        [
            8,
            "Sarah",
            "3602065208750010",
            "P",
            "12/08/1975",
            "Cisimeut",
            "LBK-01",
            "tani",
            "01/06/2011",
            None,
            "081200000010",
        ],
        # 14: created; Perempuan, "06 Mar 2014", a datetime birth date cell, UMKM
        [
            9,
            "Nining",
            "3602064606850005",
            "Perempuan",
            datetime.datetime(1985, 6, 6),
            "Cisimeut",
            None,
            "UMKM",
            "06 Mar 2014",
            None,
            None,
        ],
        # 15: rejected: no 31 February
        [
            10,
            "Odah",
            "3602064606850006",
            "P",
            "06/06/1985",
            "Cisimeut",
            None,
            "UMKM",
            "31/02/2014",
            None,
            None,
        ],
        # 16: rejected: unknown sector
        [
            11,
            "Asep",
            "3602061506780007",
            "L",
            "15/06/1978",
            "Cisimeut",
            None,
            "nelayan",
            "06/03/2014",
            None,
            None,
        ],
        # 17: rejected: NIK registered in another klaster
        [
            12,
            "Lain",
            "3602061506780008",
            "L",
            "15/06/1978",
            "Cisimeut",
            None,
            "UMKM",
            "06/03/2014",
            None,
            None,
        ],
        # 18: rejected: kelompok that does not exist
        [
            13,
            "Iwan",
            "3602061506780011",
            "L",
            "15/06/1978",
            "Cisimeut",
            "KLP-XYZ",
            "UMKM",
            "06/03/2014",
            None,
            None,
        ],
        ["TOTAL", "13 mitra"],  # 19: a total row, skipped
        [],
        [],  # trailing blank rows are not rows
    ]


def impor(personas, data, nama="mitra.xlsx", simpan=False, **kw):
    return impor_berkas(
        jenis="mitra",
        data=data,
        nama_berkas=nama,
        oleh=personas.manajer,
        klaster=personas.klaster_lebak,
        simpan=simpan,
        **kw,
    )


def test_messy_file_is_understood_or_refused_with_exact_counts_and_reasons(personas, mitra_lama):
    r = impor(personas, xlsx(berkas_berantakan(personas)))

    assert r.galat_berkas == []
    assert r.kolom_diabaikan == ["No", "Keterangan"]
    assert ("NAMA LENGKAP", "Nama") in r.kolom_dikenal and ("No. KTP", "NIK") in r.kolom_dikenal
    assert (r.dibaca, r.dibuat, r.diubah, r.tetap, r.ditolak) == (16, 4, 1, 1, 7)
    assert (r.kosong, r.total, [(b.nomor, b.sama_dengan) for b in r.duplikat]) == (
        1,
        [19],
        [(10, 4)],
    )
    assert r.dibaca == r.dibuat + r.diubah + r.tetap + r.ditolak + r.dilewati
    assert [(g.baris, g.kolom, g.alasan) for g in r.galat] == [
        (7, "No. KTP", PESAN_NIK_ANGKA % "3602061506780003"),
        (8, "No. KTP", PESAN_NIK_ANGKA % "3.60206E+15"),
        (
            11,
            "No. KTP",
            "No. KTP ini sudah ada di baris 5 dengan isi berbeda; satukan menjadi satu baris.",
        ),
        (
            15,
            "Tanggal Masuk",
            "Tanggal '31/02/2014' tidak ada di kalender; periksa hari dan bulannya.",
        ),
        (
            16,
            "Bidang Usaha",
            "Sektor 'nelayan' tidak dikenal; isi salah satu: Pertanian (tani), "
            "Peternakan (ternak), UMKM (usaha).",
        ),
        (
            17,
            "No. KTP",
            "NIK ini sudah terdaftar di klaster lain. Periksa kembali NIK dari KTP; "
            "jika sudah benar, hubungi admin program untuk memindahkan mitra.",
        ),
        (
            18,
            "Kelompok",
            "Kelompok 'KLP-XYZ' tidak ada di klaster Klaster Mandiri Lebak; impor "
            "kelompok dulu atau periksa kode/nama kelompok.",
        ),
    ]
    assert [(g.baris, g.alasan) for g in r.peringatan] == [
        (9, "Tanggal lahir 2 Januari 1980 berbeda dengan tanggal lahir di NIK (1 Januari 1980).")
    ]
    baris = {b.nomor: b for b in r.baris}
    siti = baris[4].obj
    assert (siti.nik, siti.nama, siti.telepon, siti.sektor) == (
        "3602064501800001",
        "SITI AMINAH",
        "081234567890",
        "pertanian",
    )
    assert (siti.tanggal_bergabung, siti.kelompok_id, siti.desa_id) == (
        datetime.date(2014, 3, 6),
        personas.kelompok_lebak.pk,
        "36.02.06.2002",
    )
    ahmad = baris[5].obj
    assert (ahmad.jenis_kelamin, ahmad.tanggal_lahir, ahmad.desa_id, ahmad.kelompok_id) == (
        "L",
        datetime.date(1978, 6, 15),
        "36.02.06.2004",
        personas.kelompok_lebak.pk,
    )
    assert baris[9].obj.tanggal_lahir == datetime.date(1980, 1, 2)
    assert baris[12].berubah == ["nama"]
    assert (baris[14].obj.jenis_kelamin, baris[14].obj.tanggal_bergabung) == (
        "P",
        datetime.date(2014, 3, 6),
    )


def test_a_file_with_a_rejected_row_writes_nothing(personas, mitra_lama):
    sebelum = sidik_db()
    r = impor(personas, xlsx(berkas_berantakan(personas)), simpan=True)
    assert r.ditolak == 7 and not r.tersimpan
    assert sidik_db() == sebelum


def _tanpa_baris_ditolak(personas):
    rows = berkas_berantakan(personas)
    tolak = {7, 8, 11, 15, 16, 17, 18}
    return [row for nomor, row in enumerate(rows, 1) if nomor not in tolak]


def test_clean_file_is_written_with_history_and_reimport_changes_nothing(personas, mitra_lama):
    data = xlsx(_tanpa_baris_ditolak(personas))
    r = impor(personas, data, nama="mitra-lebak.xlsx", simpan=True)
    assert r.tersimpan
    assert (r.dibaca, r.dibuat, r.diubah, r.tetap, r.ditolak, r.dilewati) == (9, 4, 1, 1, 0, 3)
    siti = Mitra.objects.get(nik="3602064501800001")
    assert siti.nama == "SITI AMINAH" and siti.klaster == personas.klaster_lebak
    h = siti.history.get()
    assert (h.history_type, h.history_user, h.history_change_reason) == (
        "+",
        personas.manajer,
        "impor: mitra-lebak.xlsx",
    )
    rohmat = Mitra.objects.get(nik="3602061203700009")
    assert rohmat.nama == "Rohmat Baru"
    terbaru = rohmat.history.first()
    assert (terbaru.history_type, terbaru.history_user, terbaru.history_change_reason) == (
        "~",
        personas.manajer,
        "impor: mitra-lebak.xlsx",
    )
    # the history rows hold the record as written, as a save() would have recorded it
    assert (terbaru.nama, terbaru.id, terbaru.klaster_id) == (
        "Rohmat Baru",
        rohmat.pk,
        personas.klaster_lebak.pk,
    )
    assert (h.nama, h.nik, h.tanggal_lahir, h.desa_id) == (
        "SITI AMINAH",
        "3602064501800001",
        datetime.date(1980, 1, 5),
        "36.02.06.2002",
    )
    assert h.history_date and terbaru.history_date >= h.history_date
    assert Mitra.objects.filter(klaster=personas.klaster_lebak).count() == 6

    sebelum = sidik_db()
    lagi = impor(personas, data, nama="mitra-lebak.xlsx", simpan=True)
    assert (lagi.dibuat, lagi.diubah, lagi.tetap, lagi.ditolak) == (0, 0, 6, 0)
    assert lagi.dibaca == lagi.tetap + lagi.dilewati
    assert sidik_db() == sebelum


def test_csv_with_semicolons_and_missing_required_column(personas):
    rows = [["Nama", "NIK", "JK"], ["Ani", "3602064501800001", "P"]]
    r = impor(personas, csv_bytes(rows, delimiter=";"), nama="mitra.csv")
    assert r.galat_berkas == [
        "Kolom wajib tidak ada: Tanggal Lahir, Desa, Sektor, Tanggal Bergabung. Tambahkan "
        "kolom itu (lihat templat)."
    ]
    assert (r.dibaca, r.ditolak) == (1, 1)
    assert r.galat[0].baris == 2


def test_file_without_a_header_row_is_refused(personas):
    r = impor(personas, xlsx([["a", "b"], [1, 2]]))
    assert r.galat_berkas and "Baris judul kolom tidak ditemukan" in r.galat_berkas[0]
    assert r.dibaca == 0


def test_not_a_spreadsheet_is_refused(personas):
    r = impor(personas, b"%PDF-1.4", nama="mitra.pdf")
    assert r.galat_berkas == ["Unggah berkas .xlsx atau .csv (templat tersedia di halaman Impor)."]


def test_header_only_file_says_so(personas):
    r = impor(personas, xlsx([JUDUL]))
    assert r.galat_berkas == [
        "Berkas hanya berisi judul kolom; isi data mulai baris di bawah judul."
    ]
    assert (r.dibaca, r.boleh_disimpan) == (0, False)


def test_csv_in_the_windows_code_page_is_read(personas):
    rows = [JUDUL, [1, "Siti Ñurhayati", "3602064501800001", "P", "05/01/1980", "Cisimeut", "",
                    "tani", "6-3-14", "", ""]]  # fmt: skip
    r = impor(personas, csv_bytes(rows, delimiter=";", encoding="cp1252"), nama="mitra.csv")
    assert r.dibuat == 1 and r.baris[0].obj.nama == "Siti Ñurhayati"

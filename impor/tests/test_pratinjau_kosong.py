"""Empty cells in an import's preview read as empty, never "None" (issue 15, item 10): the
programme's own preview (templates/impor/pratinjau.html) and the admin's."""

import datetime
import re

from django.core.files.uploadedfile import SimpleUploadedFile

from impor.tests.test_views import JUDUL, unggah
from impor.tests.util import csv_bytes, xlsx
from mitra.tests.factories import MitraFactory, nik_untuk

LAHIR = datetime.date(1970, 3, 12)


def _isi(html: str, penanda: str) -> str:
    return html[html.index(penanda) :]


def test_the_preview_shows_no_none_for_empty_cells(client, personas):
    nik = nik_untuk("36.02.06", LAHIR, "L", 5)
    MitraFactory(nik=nik, tanggal_lahir=LAHIR, jenis_kelamin="L", klaster=personas.klaster_lebak,
                 telepon="", alamat="")  # fmt: skip
    client.force_login(personas.manajer)
    rows = [
        [*JUDUL, "Telepon", "Alamat", "Kelompok"],
        # an update that fills a field that was empty, with empty optional cells
        [nik, "Nama Baru", "L", LAHIR, "Cisimeut", "tani", "01/06/2011", "081234567890", None,
         None],
        # a row rejected for its empty cells
        [None, "Tanpa NIK", "L", LAHIR, "Cisimeut", "tani", "01/06/2011", None, None, None],
    ]  # fmt: skip
    html = unggah(client, personas, xlsx(rows)).content.decode()
    isi = _isi(html, "<main")
    teks = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", isi))
    assert re.search(r"Telepon \(kosong\) → 081234567890", teks)  # the emptied cell, named
    assert "None" not in isi


def test_the_admin_preview_shows_no_none_for_empty_cells(client, personas):
    nik = nik_untuk("36.02.06", LAHIR, "L", 5)
    MitraFactory(nik=nik, tanggal_lahir=LAHIR, jenis_kelamin="L", klaster=personas.klaster_lebak)
    judul = ["NIK", "Nama", "Jenis Kelamin", "Tanggal Lahir", "Telepon", "Desa", "Alamat",
             "Kelompok", "Sektor", "Jenis Usaha", "Status", "Tanggal Bergabung",
             "Tanggal Keluar", "Jumlah Anggota Keluarga", "Kode Klaster"]  # fmt: skip
    k = personas.klaster_lebak.kode
    rows = [
        judul,
        [nik, "Nama Baru", "L", "1970-03-12", "", "Cisimeut", "", "", "pertanian", "", "aktif",
         "2011-06-01", "", "4", k],
        [nik_untuk("36.02.06", LAHIR, "P", 9), "Orang Baru", "P", "1970-03-12", "", "Cisimeut",
         "", "", "umkm", "", "aktif", "2011-06-01", "", "", k],
    ]  # fmt: skip
    client.force_login(personas.admin)
    r = client.post(
        "/admin/mitra/mitra/import/",
        {"import_file": SimpleUploadedFile("m.csv", csv_bytes(rows)), "format": "0"},
    )
    isi = _isi(r.content.decode(), 'id="content"')
    assert "Orang Baru" in isi  # the preview is there
    assert "None" not in isi

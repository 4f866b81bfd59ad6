"""What an import must not take at face value (issue 14, items 2, 3 and 5): Excel error values
as data, a file openpyxl has to be configured to read safely, and an update that silently
overwrites someone else's record."""

import datetime
import re

import openpyxl
import pytest
from django.urls import reverse

from bantuan.models import Angsuran, Bantuan
from impor import bersih
from impor.admin import SUMBER
from impor.layanan import impor_berkas
from impor.skema import SKEMA
from impor.tests.test_views import JUDUL, baris_mitra, unggah
from impor.tests.util import csv_bytes, sidik_db, xlsx
from klaster.models import Wilayah
from mitra.models import Mitra, PengukuranPendapatan

GALAT = ["#N/A", "#NAME?", "#REF!", "#VALUE!", "#DIV/0!", "#NUM!", "#NULL!"]


# --- Excel error values ---------------------------------------------------------------------


@pytest.mark.parametrize("kode", GALAT)
def test_an_excel_error_value_is_refused_as_a_cell_and_says_which(kode):
    with pytest.raises(bersih.NilaiTidakValid) as e:
        bersih.bukan_galat_excel(kode)
    assert f"galat Excel {kode}" in e.value.pesan
    with pytest.raises(bersih.NilaiTidakValid):
        bersih.bukan_galat_excel(f"  {kode.lower()} ")  # typed in a CSV, any case
    bersih.bukan_galat_excel(f"{kode} x")  # text that only starts like one is text
    bersih.bukan_galat_excel("#1 Sejahtera")
    bersih.bukan_galat_excel(None)


@pytest.mark.parametrize("format_", ["xlsx", "csv"])
def test_excel_errors_in_a_file_are_refused_per_cell_with_their_code(personas, format_):
    rows = baris_mitra(len(GALAT))
    kolom = ["Nama", "Desa", "Tanggal Lahir", "Sektor", "Nama", "Jenis Kelamin", "Nama"]
    for i, (kode, judul) in enumerate(zip(GALAT, kolom, strict=True), start=1):
        rows[i][JUDUL.index(judul)] = kode
    data = xlsx(rows) if format_ == "xlsx" else csv_bytes(rows)
    if format_ == "xlsx":  # openpyxl writes these strings as real error cells (t="e")
        assert _jenis_sel(data, "B2") == "e"
    sebelum = sidik_db()
    r = impor_berkas(
        jenis="mitra", data=data, nama_berkas=f"galat.{format_}", oleh=personas.manajer,
        klaster=personas.klaster_lebak, simpan=True,
    )  # fmt: skip
    assert r.galat_berkas == [] and not r.tersimpan and sidik_db() == sebelum
    ditolak = [(g.baris, g.kolom, re.search(r"galat Excel (\S+)", g.alasan)[1]) for g in r.galat]
    assert ditolak == [
        (i + 2, judul, kode) for i, (kode, judul) in enumerate(zip(GALAT, kolom, strict=True))
    ]


def _jenis_sel(data: bytes, ref: str) -> str:
    import io

    return openpyxl.load_workbook(io.BytesIO(data)).active[ref].data_type


def test_openpyxl_parses_xml_through_defusedxml():
    # the reader's refusal of entities (tests/test_impor_berkas_rusak.py) rests on this
    assert openpyxl.DEFUSEDXML is True


# --- cleaning text --------------------------------------------------------------------------


def test_text_loses_control_characters_and_the_quote_of_a_neutralised_csv_cell():
    assert bersih.teks("Siti\x0bAminah\x1b") == "Siti Aminah"
    assert bersih.teks("A\x00b\x7fc\x85d") == "Abc d"
    assert bersih.teks("'=HYPERLINK(1)") == "=HYPERLINK(1)"
    assert bersih.teks("'+62812") == "+62812"
    assert bersih.teks("'-Budi") == "-Budi"
    assert bersih.teks("'@Siti") == "@Siti"
    assert bersih.teks("'3602") == "'3602"  # Excel's "text" mark before digits stays here
    assert bersih.teks("O'Brien") == "O'Brien"


# --- the preview lists what an update changes -----------------------------------------------


def _desa_lain(mitra) -> Wilayah:
    return (
        Wilayah.objects.filter(induk_id=mitra.desa.induk_id, tingkat=Wilayah.Tingkat.DESA)
        .exclude(pk=mitra.desa_id)
        .order_by("kode")
        .first()
    )


def test_the_preview_lists_each_updated_mitra_with_before_and_after(client, personas, mitra_lama):
    rohmat, sarah, _lain = mitra_lama
    desa_baru = _desa_lain(rohmat)
    rows = baris_mitra(1)
    # row 3: Rohmat's NIK, typed for someone else (a mistyped NIK): name and desa would change
    rows.append([rohmat.nik, "Budi Santoso", "L", rohmat.tanggal_lahir, desa_baru.nama, "tani",
                 "01/06/2011"])  # fmt: skip
    # row 4: Sarah's NIK, nothing changes
    rows.append([sarah.nik, sarah.nama, "P", sarah.tanggal_lahir, sarah.desa.nama, "tani",
                 "01/06/2011"])  # fmt: skip
    client.force_login(personas.manajer)
    response = unggah(client, personas, xlsx(rows))
    assert response.status_code == 200
    r = response.context["r"]
    assert (r.dibuat, r.diubah, r.tetap) == (1, 1, 1)
    (d,) = response.context["diubah_tampil"]
    assert (d.nomor, d.identitas, d.nama) == (3, f"NIK {rohmat.nik}", "Rohmat")
    assert [(p.label, p.sebelum, p.sesudah) for p in d.perubahan] == [
        ("Nama", "Rohmat", "Budi Santoso"),
        # a desa with its code: two desa of a kecamatan may share a name
        (
            "Desa",
            f"{rohmat.desa.nama} ({rohmat.desa.kode})",
            f"{desa_baru.nama} ({desa_baru.kode})",
        ),
    ]
    html = re.sub(r"\s+", " ", response.content.decode())
    tabel = re.search(r'<table class="table table-sm" id="diubah">(.*?)</table>', html).group(1)
    sel = [re.sub(r"<[^>]+>", " ", c).split() for c in re.findall(r"<td[^>]*>(.*?)</td>", tabel)]
    assert sel[:6] == [["3"], ["NIK", rohmat.nik, "Rohmat"], ["Nama"], ["Rohmat"], ["→"],
                       ["Budi", "Santoso"]]  # fmt: skip
    assert [" ".join(c) for c in sel[6:]] == [
        "Desa", f"{rohmat.desa.nama} ({rohmat.desa.kode})", "→", f"{desa_baru.nama} ({desa_baru.kode})"
    ]  # fmt: skip
    assert "Budi Santoso" not in Mitra.objects.values_list("nama", flat=True)  # not yet saved


def test_the_preview_of_updates_formats_dates_choices_and_blanks(personas, mitra_lama):
    rohmat = mitra_lama[0]
    rows = [JUDUL + ["Telepon", "Status", "Tanggal Keluar"]]
    rows.append([rohmat.nik, "Rohmat", "L", rohmat.tanggal_lahir, rohmat.desa.nama, "tani",
                 "01/06/2011", "", "keluar", "06/03/2014"])  # fmt: skip
    r = impor_berkas(
        jenis="mitra", data=xlsx(rows), nama_berkas="x.xlsx", oleh=personas.manajer,
        klaster=personas.klaster_lebak,
    )  # fmt: skip
    (d,) = r.rincian_diubah()
    assert {p.label: (p.sebelum, p.sesudah) for p in d.perubahan} == {
        "Telepon": ("081200000009", "(kosong)"),
        "Status": ("Aktif", "Keluar"),
        "Tanggal keluar": ("(kosong)", "6 Maret 2014"),
    }


@pytest.mark.parametrize("n", [3, 30])
def test_the_preview_of_updates_queries_do_not_grow(
    client, personas, django_assert_max_num_queries, n
):
    from klaster.tests.factories import DESA_LEUWIDAMAR, wilayah
    from mitra.tests.factories import MitraFactory

    rows = baris_mitra(n)  # every row in Cisimeut (36.02.06.2002)
    for i, row in enumerate(rows[1:]):
        MitraFactory(nik=row[0], nama="Lama", klaster=personas.klaster_lebak,
                     tanggal_lahir=row[3], jenis_kelamin=row[2], sektor="pertanian",
                     desa=wilayah(DESA_LEUWIDAMAR[1 + i % 3]))  # fmt: skip
    client.force_login(personas.manajer)
    # as test_preview_queries_do_not_grow_with_rows (15), plus one for the desa shown before
    # and after the update
    with django_assert_max_num_queries(16):
        response = unggah(client, personas, xlsx(rows))
    diubah = response.context["diubah_tampil"]
    assert len(diubah) == n
    assert [[p.label for p in d.perubahan] for d in diubah] == [["Nama", "Desa"]] * n


# --- the admin's resources for every kind ---------------------------------------------------


@pytest.mark.parametrize(
    "model,jenis",
    [(Mitra, "mitra"), (PengukuranPendapatan, "pengukuran"), (Bantuan, "bantuan"),
     (Angsuran, "angsuran")],
)  # fmt: skip
def test_each_admin_resource_exports_its_own_kind(personas, model, jenis):
    # bantuan and pengukuran have a column named "jenis": it must not hide the resource's kind
    assert SUMBER[model]().export().headers == SKEMA[jenis].judul


def test_the_admin_import_of_pengukuran_runs_the_engine(client, personas, mitra_lama):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(personas.admin)
    url = reverse("admin:mitra_pengukuranpendapatan_import")
    form = client.get(url).context["form"]
    xlsx_ = next(v for v, label in form.fields["format"].choices if str(label).lower() == "xlsx")
    rows = [["NIK", "Tanggal", "Pendapatan Bulanan", "Jenis", "Kode Klaster"],
            [mitra_lama[0].nik, datetime.date(2012, 1, 5), 1500000, "baseline", "LBK"]]  # fmt: skip
    response = client.post(url, {"import_file": SimpleUploadedFile("p.xlsx", xlsx(rows)),
                                 "format": xlsx_})  # fmt: skip
    assert response.status_code == 200
    result = response.context["result"]
    assert (result.totals["new"], result.totals["invalid"]) == (1, 0), result.invalid_rows

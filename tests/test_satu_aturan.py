"""One rule, every door (STYLE.md §9, issue 13 item 2): the same bad record sent through the
web form, the spreadsheet import and the Django admin is refused by each, with the same
message, and nothing is saved.

The messages are written out here by hand (not read from the rule modules), so a door that
answers with its own wording fails.
"""

import datetime
import uuid
from dataclasses import dataclass

import pytest
from django.urls import reverse
from django.utils import timezone

from bantuan.models import Angsuran, Bantuan
from bantuan.tests.factories import SumberDanaFactory
from impor.layanan import impor_berkas
from impor.tests.util import csv_bytes
from kelompok.models import Kelompok
from klaster.format import format_tanggal
from kunjungan.models import Kunjungan
from kunjungan.tests.kunjungan_data import beri_pinjaman, kelompok_dengan_anggota
from mitra.models import Mitra
from mitra.tests.factories import MitraFactory, nik_untuk

D = datetime.date
DESA = "36.02.06.2002"  # Cisimeut, in the Leuwidamar klaster of the personas


def _besok_sebulan() -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=30)


@dataclass
class Kasus:
    """A bad record: the same values for every door, and the one message all must give."""

    nama: str
    jenis: str  # mitra | kelompok | bantuan | kunjungan
    nilai: dict  # the record's values, by model field
    pesan: str
    pintu: tuple = ("form", "impor", "admin")


def _mitra(**ubah) -> dict:
    lahir = ubah.pop("tanggal_lahir", D(1980, 5, 12))
    nilai = {
        "nik": nik_untuk("36.02.06", lahir, "L", 41),
        "nama": "Asep Satu Aturan",
        "jenis_kelamin": "L",
        "tanggal_lahir": lahir,
        "telepon": "081234567890",
        "sektor": "pertanian",
        "tanggal_bergabung": D(2011, 6, 1),
    }
    nilai.update(ubah)
    return nilai


def _bantuan(**ubah) -> dict:
    nilai = {
        "jenis": "modal_bergulir",
        "jumlah": "1000000",
        "tenor_bulan": 12,
        "tanggal_pengajuan": D(2012, 3, 1),
        "tujuan": "modal warung",
    }
    nilai.update(ubah)
    return nilai


KASUS = [
    Kasus(
        "lahir_2015_bergabung_2014",
        "mitra",
        _mitra(tanggal_lahir=D(2015, 3, 1), tanggal_bergabung=D(2014, 6, 1)),
        "Mitra paling muda berumur 15 tahun saat bergabung, sedangkan tanggal lahir 1 Maret "
        "2015 dan tanggal bergabung 1 Juni 2014; periksa tahun lahir dan tanggal bergabung.",
    ),
    Kasus(
        "telepon_huruf",
        "mitra",
        _mitra(telepon="0812-abc-4567"),
        "Nomor telepon '0812abc4567' tidak dikenali; tulis 8–15 angka (boleh diawali +), "
        "misalnya 081234567890.",
    ),
    Kasus(
        "bergabung_di_masa_depan",
        "mitra",
        _mitra(tanggal_bergabung=_besok_sebulan()),
        f"Tanggal bergabung tidak boleh di masa depan ({format_tanggal(_besok_sebulan())} "
        "belum terjadi); isi tanggal hari ini atau sebelumnya.",
    ),
    Kasus(
        "lahir_tahun_1",
        "mitra",
        _mitra(tanggal_lahir=D(1, 1, 1)),
        "Tanggal lahir 1 Januari 1 sebelum batas paling awal (1 Januari 1900); periksa tahunnya.",
    ),
    Kasus(
        "kelompok_dibentuk_tahun_1",
        "kelompok",
        {
            "kode": "LBK-09",
            "nama": "Tani Satu Aturan",
            "sektor": "pertanian",
            "tanggal_dibentuk": D(1, 1, 1),
        },
        "Tanggal dibentuk 1 Januari 1 sebelum klaster Klaster Mandiri Lebak dimulai (1 Maret "
        "2011); periksa tahunnya.",
    ),
    Kasus(
        "kelompok_dibentuk_9999",
        "kelompok",
        {
            "kode": "LBK-09",
            "nama": "Tani Satu Aturan",
            "sektor": "pertanian",
            "tanggal_dibentuk": D(9999, 12, 31),
        },
        "Tanggal dibentuk tidak boleh di masa depan (31 Desember 9999 belum terjadi); isi "
        "tanggal hari ini atau sebelumnya.",
    ),
    Kasus(
        "tenor_di_atas_maksimum",
        "bantuan",
        _bantuan(tenor_bulan=61),
        "Modal bergulir perlu tenor 1 sampai 60 bulan.",
    ),
    Kasus(
        "jumlah_di_atas_batas",
        "bantuan",
        _bantuan(jumlah="2000000000"),
        "Jumlah Rp2.000.000.000 melebihi batas Rp1.000.000.000 per bantuan; periksa apakah ada "
        "angka berlebih.",
    ),
    Kasus(
        "pengajuan_tahun_1",
        "bantuan",
        _bantuan(tanggal_pengajuan=D(1, 1, 1)),
        "Tanggal pengajuan 1 Januari 1 sebelum klaster Klaster Mandiri Lebak dimulai (1 Maret "
        "2011); periksa tahunnya.",
    ),
    Kasus(
        # with an instalment: the loans of year 1 used to be computed (HTTP 500)
        "kunjungan_tahun_1_dengan_angsuran",
        "kunjungan",
        {"tanggal": D(1, 1, 1)},
        "Tanggal kunjungan 1 Januari 1 sebelum klaster Klaster Mandiri Lebak dimulai (1 Maret "
        "2011); periksa tahunnya.",
        pintu=("form", "admin"),
    ),
    Kasus(
        "catatan_kunjungan_terlalu_panjang",
        "kunjungan",
        {"tanggal": D(2012, 3, 1), "ringkasan": "x" * 5001},
        "Ringkasan pertemuan berisi 5001 karakter; paling banyak 5000. Persingkat.",
        pintu=("form", "admin"),
    ),
]

MODEL = {"mitra": Mitra, "kelompok": Kelompok, "bantuan": Bantuan, "kunjungan": Kunjungan}


# --- the world ----------------------------------------------------------------------------


@pytest.fixture
def dunia(personas):
    kelompok, anggota = kelompok_dengan_anggota(personas.klaster_lebak, 2)
    penerima = MitraFactory(kelompok=personas.kelompok_lebak)
    pinjaman = beri_pinjaman(personas, anggota[0], tanggal_cair=D(2012, 1, 10))
    return {
        "p": personas,
        "kelompok": kelompok,
        "anggota": anggota,
        "pinjaman": pinjaman,
        "penerima": penerima,
        "sumber": SumberDanaFactory(nama="Dana Zakat Satu Aturan"),
    }


def _iso(v) -> str:
    # year 1 written with four digits, as a date input sends it
    return f"{v.year:04d}-{v.month:02d}-{v.day:02d}" if isinstance(v, datetime.date) else v


# --- the doors ----------------------------------------------------------------------------


def _pesan_form(form) -> list[str]:
    return [p for daftar in form.errors.values() for p in daftar]


def lewat_form(client, kasus: Kasus, w) -> tuple[int, list[str]]:
    p, n = w["p"], kasus.nilai
    client.force_login(p.manajer)
    if kasus.jenis == "mitra":
        url = reverse("mitra:tambah") + f"?klaster={p.klaster_lebak.pk}"
        data = {
            **{k: _iso(v) for k, v in n.items()},
            "kelompok": "",
            "desa": DESA,
            "status": "aktif",
            "tanggal_keluar": "",
            "jumlah_anggota_keluarga": "4",
        }
    elif kasus.jenis == "kelompok":
        url = reverse("kelompok:tambah") + f"?klaster={p.klaster_lebak.pk}"
        data = {**{k: _iso(v) for k, v in n.items()}, "desa": DESA, "status": "aktif"}
    elif kasus.jenis == "bantuan":
        url = reverse("bantuan:ajukan")
        data = {
            **{k: _iso(v) for k, v in n.items()},
            "mitra": w["penerima"].pk,
            "kelompok": "",
            "sumber_dana": w["sumber"].pk,
        }
    else:
        client.force_login(p.fasilitator)
        url = reverse("kunjungan:baru") + f"?kelompok={w['kelompok'].pk}"
        pemilik = w["anggota"][0]
        data = {
            "uuid": str(uuid.uuid4()),
            "tanggal": _iso(n["tanggal"]),
            "jenis_kegiatan": "pertemuan_kelompok",
            "hadir": [m.pk for m in w["anggota"]],
            "ringkasan": n.get("ringkasan", ""),
            f"angsuran_{pemilik.pk}": "100000",
        }
    response = client.post(url, data)
    form = response.context["form"] if response.context and "form" in response.context else None
    return response.status_code, _pesan_form(form) if form is not None else []


KOLOM_IMPOR = {
    "mitra": {
        "NIK": "nik",
        "Nama": "nama",
        "Jenis Kelamin": "jenis_kelamin",
        "Tanggal Lahir": "tanggal_lahir",
        "Telepon": "telepon",
        "Sektor": "sektor",
        "Tanggal Bergabung": "tanggal_bergabung",
    },
    "kelompok": {
        "Kode": "kode",
        "Nama": "nama",
        "Sektor": "sektor",
        "Tanggal Dibentuk": "tanggal_dibentuk",
    },
    "bantuan": {
        "Jenis": "jenis",
        "Jumlah": "jumlah",
        "Tenor": "tenor_bulan",
        "Tanggal Pengajuan": "tanggal_pengajuan",
        "Tujuan": "tujuan",
    },
}


def lewat_impor(client, kasus: Kasus, w) -> tuple[int, list[str]]:
    p, n = w["p"], kasus.nilai
    kolom = KOLOM_IMPOR[kasus.jenis]
    judul = list(kolom)
    baris = [_iso(n[f]) for f in kolom.values()]
    if kasus.jenis == "mitra":
        judul.append("Desa")
        baris.append(DESA)
    elif kasus.jenis == "kelompok":
        judul.append("Desa")
        baris.append(DESA)
    else:
        judul += ["Nomor", "NIK Penerima", "Sumber Dana", "Tanggal Pencairan"]
        baris += ["BTN-SATU-01", w["penerima"].nik, w["sumber"].nama, "2012-03-05"]
    r = impor_berkas(
        jenis=kasus.jenis,
        data=csv_bytes([judul, baris]),
        nama_berkas=f"{kasus.nama}.csv",
        oleh=p.manajer,
        klaster=p.klaster_lebak,
        simpan=True,
    )
    assert not r.tersimpan
    return (200 if r.galat else 201), [g.alasan for g in r.galat]


def _data_inline(response) -> dict:
    """The management form of every inline on an admin page, empty."""
    data = {}
    for inline in response.context["inline_admin_formsets"]:
        awalan = inline.formset.prefix
        data.update({f"{awalan}-TOTAL_FORMS": 0, f"{awalan}-INITIAL_FORMS": 0})
    return data


def lewat_admin(client, kasus: Kasus, w) -> tuple[int, list[str]]:
    p, n = w["p"], kasus.nilai
    client.force_login(p.admin)
    model = MODEL[kasus.jenis]
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add")
    data = {k: _iso(v) for k, v in n.items()}
    if kasus.jenis == "mitra":
        data.update(
            klaster=p.klaster_lebak.pk,
            desa=DESA,
            status="aktif",
            jumlah_anggota_keluarga=4,
        )
    elif kasus.jenis == "kelompok":
        data.update(klaster=p.klaster_lebak.pk, desa=DESA, status="aktif")
    elif kasus.jenis == "bantuan":
        data.update(klaster=p.klaster_lebak.pk, mitra=w["penerima"].pk, sumber_dana=w["sumber"].pk)
    else:
        data.update(
            fasilitator=p.fasilitator.pk,
            klaster=p.klaster_lebak.pk,
            kelompok=w["kelompok"].pk,
            jenis_kegiatan="pertemuan_kelompok",
        )
    data.update(_data_inline(client.get(url)))
    response = client.post(url, data)
    if response.status_code != 200:
        return response.status_code, []
    return 200, _pesan_form(response.context["adminform"].form)


PINTU = {"form": lewat_form, "impor": lewat_impor, "admin": lewat_admin}
KASUS_PINTU = [(k, pintu) for k in KASUS for pintu in k.pintu]


@pytest.mark.parametrize(
    ("kasus", "pintu"), KASUS_PINTU, ids=[f"{k.nama}-{pintu}" for k, pintu in KASUS_PINTU]
)
def test_the_same_bad_record_is_refused_with_the_same_message_at_every_door(
    client, dunia, kasus, pintu
):
    model = MODEL[kasus.jenis]
    sebelum = model.objects.count()
    angsuran_sebelum = Angsuran.objects.count()
    status, pesan = PINTU[pintu](client, kasus, dunia)
    assert status in (200, 422), f"{pintu} answered {status}"
    assert kasus.pesan in pesan, f"{pintu} said {pesan}"
    assert model.objects.count() == sebelum
    assert Angsuran.objects.count() == angsuran_sebelum


def test_every_case_goes_through_each_of_its_doors():
    # a guard on the table: the cases all reach the form, the import and the admin
    tiga = {k.nama for k in KASUS if set(k.pintu) == {"form", "impor", "admin"}}
    assert {
        "lahir_2015_bergabung_2014",
        "telepon_huruf",
        "bergabung_di_masa_depan",
        "tenor_di_atas_maksimum",
        "jumlah_di_atas_batas",
        "kelompok_dibentuk_tahun_1",
    } <= tiga


# --- what every door stores ----------------------------------------------------------------


def test_control_characters_are_stripped_from_a_name_at_every_door(client, dunia):
    """'Siti\\x0bAminah\\x1b' made the XLSX exports fail: it is stored as 'Siti Aminah'."""
    p = dunia["p"]
    client.force_login(p.manajer)
    lahir = D(1985, 1, 5)
    data = {
        "nik": nik_untuk("36.02.06", lahir, "P", 71),
        "nama": "Siti\x0bAminah\x1b",
        "jenis_kelamin": "P",
        "tanggal_lahir": lahir.isoformat(),
        "telepon": "+62 812-3456-7890",
        "kelompok": "",
        "desa": DESA,
        "sektor": "umkm",
        "status": "aktif",
        "tanggal_bergabung": "2011-06-01",
        "jumlah_anggota_keluarga": "3",
    }
    response = client.post(reverse("mitra:tambah") + f"?klaster={p.klaster_lebak.pk}", data)
    assert response.status_code == 302
    lewat_form_ = Mitra.objects.get(nik=data["nik"])
    assert (lewat_form_.nama, lewat_form_.telepon) == ("Siti Aminah", "081234567890")

    nik_impor = nik_untuk("36.02.06", lahir, "P", 72)
    judul = ["NIK", "Nama", "Jenis Kelamin", "Tanggal Lahir", "Desa", "Sektor",
             "Tanggal Bergabung", "Telepon"]  # fmt: skip
    baris = [nik_impor, "Siti\x0bAminah\x1b", "P", "1985-01-05", DESA, "umkm", "2011-06-01",
             "+62 812-3456-7890"]  # fmt: skip
    r = impor_berkas(
        jenis="mitra",
        data=csv_bytes([judul, baris]),
        nama_berkas="kendali.csv",
        oleh=p.manajer,
        klaster=p.klaster_lebak,
        simpan=True,
    )
    assert r.tersimpan, r.galat
    lewat_impor_ = Mitra.objects.get(nik=nik_impor)
    assert (lewat_impor_.nama, lewat_impor_.telepon) == ("Siti Aminah", "081234567890")


def test_a_member_exactly_fifteen_on_the_day_they_join_is_accepted(client, dunia):
    p = dunia["p"]
    client.force_login(p.manajer)
    lahir = D(1996, 6, 1)
    url = reverse("mitra:tambah") + f"?klaster={p.klaster_lebak.pk}"
    data = {
        "nik": nik_untuk("36.02.06", lahir, "L", 81),
        "nama": "Ujang Lima Belas",
        "jenis_kelamin": "L",
        "tanggal_lahir": lahir.isoformat(),
        "desa": DESA,
        "sektor": "umkm",
        "status": "aktif",
        "tanggal_bergabung": "2011-05-31",  # one day short of 15
        "jumlah_anggota_keluarga": "1",
    }
    assert client.post(url, data).status_code == 422
    data["tanggal_bergabung"] = "2011-06-01"  # his 15th birthday
    assert client.post(url, data).status_code == 302
    assert Mitra.objects.filter(nik=data["nik"]).exists()

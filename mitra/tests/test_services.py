"""mitra_buat / mitra_ubah called directly (as the import and other areas do)."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from kelompok.services import kelompok_ubah
from kelompok.tests.factories import KelompokFactory
from klaster.tests.factories import KEC_LAIN, desa_di, wilayah
from mitra.models import Mitra
from mitra.services import NikBedaDenganData, mitra_buat, mitra_ubah
from mitra.tests.factories import MitraFactory

pytestmark = pytest.mark.django_db


def buat(personas, **ubah):
    data = dict(
        oleh=personas.fasilitator,
        nik="3602061205800001",
        nama="  Asep Saepudin ",
        jenis_kelamin="L",
        tanggal_lahir=datetime.date(1980, 5, 12),
        desa=wilayah("36.02.06.2002"),
        sektor="pertanian",
        tanggal_bergabung=datetime.date(2011, 6, 1),
        kelompok=personas.kelompok_lebak,
    )
    data.update(ubah)
    return mitra_buat(**data)


def test_klaster_comes_from_the_kelompok(personas):
    mitra = buat(personas)
    assert mitra.klaster == personas.klaster_lebak
    assert mitra.nama == "Asep Saepudin"


def test_klaster_outside_the_users_scope_is_refused(personas):
    with pytest.raises(ValidationError) as exc:
        buat(personas, kelompok=personas.kelompok_lain, desa=desa_di(KEC_LAIN)[0])
    assert "klaster" in exc.value.message_dict
    assert not Mitra.objects.exists()


def test_kelompok_must_belong_to_the_klaster(personas):
    mitra = buat(personas)
    with pytest.raises(ValidationError) as exc:
        mitra_ubah(mitra=mitra, oleh=personas.admin, klaster=personas.klaster_lain)
    assert "Kelompok ini bukan bagian dari klaster" in exc.value.message_dict["kelompok"][0]


def test_desa_outside_the_klaster_is_refused(personas):
    with pytest.raises(ValidationError) as exc:
        mitra_ubah(
            mitra=MitraFactory(klaster=personas.klaster_lebak),
            oleh=personas.admin,
            klaster=personas.klaster_lebak,
            kelompok=None,
            desa=desa_di(KEC_LAIN)[0],
        )
    assert "desa" in exc.value.message_dict


def test_warning_is_its_own_exception_and_confirmation_saves(personas):
    with pytest.raises(NikBedaDenganData) as exc:
        buat(personas, jenis_kelamin="P")
    assert len(exc.value.peringatan) == 1
    assert not Mitra.objects.exists()
    assert buat(personas, jenis_kelamin="P", konfirmasi_beda_nik=True).jenis_kelamin == "P"


def test_unknown_field_is_a_programming_error(personas):
    with pytest.raises(TypeError):
        mitra_ubah(mitra=MitraFactory(), oleh=personas.admin, warna="biru")


def test_leader_who_moves_out_no_longer_leads(personas):
    mitra = buat(personas)
    kelompok_ubah(kelompok=personas.kelompok_lebak, oleh=personas.manajer, ketua=mitra)
    lain = KelompokFactory(klaster=personas.klaster_lebak, kode="LBK-09")
    mitra_ubah(mitra=mitra, oleh=personas.manajer, kelompok=lain)
    personas.kelompok_lebak.refresh_from_db()
    assert personas.kelompok_lebak.ketua is None
    mitra.refresh_from_db()
    assert mitra.kelompok == lain


def test_status_keluar_needs_an_exit_date(personas):
    with pytest.raises(ValidationError) as exc:
        buat(personas, status="keluar")
    assert exc.value.message_dict["tanggal_keluar"] == [
        "Isi tanggal keluar untuk mitra yang berstatus keluar."
    ]

"""Fixtures of the API tests: a client holding a persona's personal token."""

import pytest
from rest_framework.test import APIClient

from api import services
from tests.dunia import sekali_per_modul


@pytest.fixture
def klien_token():
    """klien_token(user) -> an APIClient sending that user's new token (and the token's
    secret as `.kunci`, the row as `.token`)."""

    def buat(user, nama="uji"):
        token, kunci = services.token_buat(pengguna=user, nama=nama)
        klien = APIClient()
        klien.credentials(HTTP_AUTHORIZATION=f"Token {kunci}")
        klien.kunci, klien.token = kunci, token
        return klien

    return buat


@pytest.fixture(scope="module")
def _dunia_modul(django_db_setup, django_db_blocker):
    """The API tests' world, built once per module and rolled back at its end; every test
    runs in a savepoint of its own (tests/dunia.py)."""
    with sekali_per_modul(django_db_blocker):
        yield _bangun_dunia()


@pytest.fixture
def dunia(_dunia_modul, db):
    """One object of each kind in the Lebak klaster, and the people a role rule can trip
    over (see _bangun_dunia)."""
    return _dunia_modul


def _bangun_dunia():
    """One object of each kind in the Lebak klaster (where fasilitator and manajer work),
    and the people a role rule can trip over: `tanpa_peran` (assigned to Lebak, in no role
    group), `manajer_tanpa_tugas` and `fasilitator_tanpa_tugas` (a role, assigned nowhere),
    `fasilitator_manajer` (in Manajer Program, assigned to Lebak as fasilitator)."""
    import datetime
    from types import SimpleNamespace

    from bantuan.models import Angsuran
    from bantuan.tests.factories import pinjaman_cair
    from klaster.tests.factories import PenugasanFactory, UserFactory
    from kunjungan.tests.factories import KunjunganFactory
    from mitra.tests.factories import MitraFactory, PengukuranPendapatanFactory
    from tests.personas import buat_personas

    personas = buat_personas()

    mitra = MitraFactory(
        kelompok=personas.kelompok_lebak,
        nama="Siti Matriks",
        nik="3602064107850007",
        tanggal_lahir=datetime.date(1985, 7, 1),
        jenis_kelamin="P",
        telepon="081377665544",
    )
    bantuan = pinjaman_cair(
        mitra=mitra,
        tanggal_cair=datetime.date(2012, 2, 1),
        bayar=[(datetime.date(2012, 3, 1), "100000")],
    )
    tanpa_peran = UserFactory(username="tanpa_peran")
    PenugasanFactory(pengguna=tanpa_peran, klaster=personas.klaster_lebak)
    fasilitator_manajer = UserFactory(username="fasilitator_manajer", grup="Manajer Program")
    PenugasanFactory(pengguna=fasilitator_manajer, klaster=personas.klaster_lebak)
    return SimpleNamespace(
        personas=personas,
        tanpa_peran=tanpa_peran,
        fasilitator_manajer=fasilitator_manajer,
        manajer_tanpa_tugas=UserFactory(username="manajer_tanpa_tugas", grup="Manajer Program"),
        fasilitator_tanpa_tugas=UserFactory(username="fasilitator_tanpa_tugas", grup="Fasilitator"),
        klaster=personas.klaster_lebak,
        kelompok=personas.kelompok_lebak,
        mitra=mitra,
        pengukuran=PengukuranPendapatanFactory(mitra=mitra),
        bantuan=bantuan,
        angsuran=Angsuran.objects.get(bantuan=bantuan),
        kunjungan=KunjunganFactory(
            kelompok=personas.kelompok_lebak, fasilitator=personas.fasilitator, hadir=[mitra]
        ),
    )

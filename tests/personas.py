"""The people every permission test speaks of (the `personas` fixture of conftest.py builds
them; the permission matrix's module-wide world adds the ones a role rule can trip over)."""

from types import SimpleNamespace

from kelompok.tests.factories import KelompokFactory
from klaster.models import Penugasan
from klaster.tests.factories import KEC_LAIN, KlasterFactory, PenugasanFactory, UserFactory, wilayah


def buat_personas() -> SimpleNamespace:
    """Two klaster in Lebak and the people who work in them (see `personas`)."""
    klaster_lebak = KlasterFactory(nama="Klaster Mandiri Lebak", kode="LBK")
    klaster_lain = KlasterFactory(
        nama="Klaster Malingping", kode="MLP", kecamatan=[wilayah(KEC_LAIN)]
    )
    manajer = UserFactory(username="manajer", grup="Manajer Program")
    fasilitator = UserFactory(username="fasilitator", grup="Fasilitator")
    fasilitator2 = UserFactory(username="fasilitator2", grup="Fasilitator")
    admin = UserFactory(username="admin", is_staff=True, is_superuser=True)
    PenugasanFactory(pengguna=manajer, klaster=klaster_lebak, peran=Penugasan.Peran.MANAJER)
    PenugasanFactory(pengguna=fasilitator, klaster=klaster_lebak)
    PenugasanFactory(pengguna=fasilitator2, klaster=klaster_lain)
    return SimpleNamespace(
        klaster_lebak=klaster_lebak,
        klaster_lain=klaster_lain,
        kelompok_lebak=KelompokFactory(klaster=klaster_lebak, kode="LBK-01"),
        kelompok_lain=KelompokFactory(klaster=klaster_lain, kode="MLP-01"),
        manajer=manajer,
        fasilitator=fasilitator,
        fasilitator_lebak=fasilitator,
        fasilitator2=fasilitator2,
        admin=admin,
    )


def tambah_personas_khusus(p: SimpleNamespace) -> SimpleNamespace:
    """The people a role rule can trip over (issue 14, items 4 and 6), for the permission
    matrix; kept out of `personas` so that other tests' lists of people stay as they are.

    - manajer_tanpa_tugas: in Manajer Program, assigned nowhere yet
    - fasilitator_tanpa_tugas: in Fasilitator, assigned nowhere yet
    - tanpa_peran: assigned to Lebak (as fasilitator) but in no role group
    - fasilitator_manajer: in Manajer Program, assigned to Lebak as fasilitator: acts there
      as a fasilitator (proposes, records; does not approve, disburse or write off)
    """
    p.manajer_tanpa_tugas = UserFactory(username="manajer_tanpa_tugas", grup="Manajer Program")
    p.fasilitator_tanpa_tugas = UserFactory(username="fasilitator_tanpa_tugas", grup="Fasilitator")
    p.tanpa_peran = UserFactory(username="tanpa_peran")
    PenugasanFactory(pengguna=p.tanpa_peran, klaster=p.klaster_lebak)
    p.fasilitator_manajer = UserFactory(username="fasilitator_manajer", grup="Manajer Program")
    PenugasanFactory(
        pengguna=p.fasilitator_manajer,
        klaster=p.klaster_lebak,
        peran=Penugasan.Peran.FASILITATOR,
    )
    return p

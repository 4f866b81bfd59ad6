"""axe-core (bundled by axe-playwright-python: nothing fetched at run time) over every
screen the browser tests open, for each persona, at phone and laptop size: no critical and
no serious violation (issue 15, Accessibility)."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse

from klaster.tests.factories import UserFactory
from tests.e2e.conftest import masuk_sebagai
from tests.e2e.tampilan_data import buat_program

pytestmark = pytest.mark.e2e

AXE = Axe()


def halaman(persona, program):
    p = program
    petugas = [
        reverse("klaster:beranda"),
        reverse("mitra:list"),
        p.penunggak.get_absolute_url(),
        reverse("kelompok:list"),
        p.kelompok[0].get_absolute_url(),
        reverse("bantuan:list"),
        reverse("bantuan:tunggakan"),
        p.pinjaman.get_absolute_url(),
        reverse("kunjungan:list"),
        f"{reverse('kunjungan:baru')}?kelompok={p.kelompok[0].pk}",
        reverse("laporan:dampak"),
        reverse("akun:kata_sandi"),
        # registering a mitra, proposing financing with the recipient search's results
        reverse("mitra:tambah"),
        f"{reverse('bantuan:ajukan')}?q=Kelompok",
    ]
    if persona == "fasilitator":
        return petugas
    if persona == "manajer":
        return [
            *petugas,
            reverse("bantuan:portofolio"),
            p.pengajuan.get_absolute_url(),
            # the decisions' pages: approval (with its context), disbursement, write-off
            reverse("bantuan:setujui", args=[p.pengajuan.pk]),
            reverse("bantuan:cairkan", args=[p.pengajuan.pk]),
            reverse("bantuan:hapus_buku", args=[p.pinjaman.pk]),
            reverse("akun:riwayat"),
            reverse("impor:index"),
            reverse("kunjungan:rekap"),
            reverse("kunjungan:cakupan"),
        ]
    return [  # admin
        "/admin/",
        "/admin/mitra/mitra/",
        f"/admin/mitra/mitra/{p.penunggak.pk}/change/",
        "/admin/bantuan/bantuan/",
        "/admin/mitra/mitra/import/",
        "/admin/mitra/mitra/export/",
    ]


def pelanggaran_berat(page) -> list[str]:
    hasil = AXE.run(page)
    return [
        f"{page.url} [{v['impact']}] {v['id']}: {v['help']} "
        f"({len(v['nodes'])}x, e.g. {v['nodes'][0]['target']})"
        for v in hasil.response["violations"]
        if v["impact"] in ("critical", "serious")
    ]


# At phone size the facilitator's and the manager's screens are checked on the Lebak demo's
# richer data, by the sweep over every screen of their menus that also checks sideways
# scrolling (tests/e2e/test_tampilan_demo.py, with the same pelanggaran_berat); each page
# below is in that sweep too (a test there says so). Here: laptop size for every persona,
# and the admin's pages at phone size.
UKURAN_PERSONA = [
    ("laptop", "fasilitator"),
    ("laptop", "manajer"),
    ("laptop", "admin"),
    ("page", "admin"),
]


@pytest.mark.parametrize("ukuran,persona", UKURAN_PERSONA)
def test_no_critical_or_serious_violation(live_server, personas, persona, ukuran, request):
    layar = request.getfixturevalue(ukuran)
    program = buat_program(personas)
    user = (
        UserFactory(username="root", is_staff=True, is_superuser=True)
        if persona == "admin"
        else getattr(personas, persona)
    )
    masuk_sebagai(layar, live_server, user)
    temuan = []
    for path in halaman(persona, program):
        respons = layar.goto(live_server.url + path)
        assert respons.status == 200, path
        layar.wait_for_load_state("load")
        temuan += pelanggaran_berat(layar)
    assert not temuan, "\n".join(temuan)

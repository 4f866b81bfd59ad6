"""One button style across forms (issue 15, item 5): every programme form ends with the
meeting screen's main button (green, large, full width: klaster.forms.TombolUtama), as the
member, kelompok and financing forms do."""

import re

import pytest
from django.urls import reverse

from program import services
from program.models import PutaranSurvei
from program.tests.data_program import buat_data_program

TOMBOL_UTAMA = {"btn", "btn-success", "btn-lg", "w-100"}


@pytest.fixture
def data(personas):
    return buat_data_program(personas)


def tombol_kirim(html: str) -> list[set[str]]:
    """The classes of each submit button (<button type=submit> or <input type=submit>) of
    the page's forms that write (method post), the navigation bar's sign-out left out."""
    html = html.split("<main", 1)[1].split("</main>", 1)[0]
    kelas = []
    for form in re.findall(r"<form[^>]*method=\"post\"[^>]*>.*?</form>", html, re.S | re.I):
        for tag in re.findall(r"<(?:button|input)[^>]*type=\"submit\"[^>]*>", form, re.I):
            cocok = re.search(r'class="([^"]*)"', tag)
            kelas.append(set(cocok.group(1).split()) if cocok else set())
    return kelas


@pytest.mark.parametrize(
    "nama, siapa",
    [
        ("program:kegiatan_baru", "fasilitator"),
        ("program:pihak_luar_baru", "fasilitator"),
        ("program:tautan_baru", "fasilitator"),
        ("program:putaran_baru", "manajer"),
        ("mitra:tambah", "fasilitator"),  # the reference forms
        ("kelompok:tambah", "fasilitator"),
    ],
)
def test_every_form_ends_with_the_meeting_screens_button(client, data, personas, nama, siapa):
    client.force_login(getattr(personas, siapa))
    r = client.get(reverse(nama), {"klaster": data.klaster.pk})
    assert r.status_code == 200
    tombol = tombol_kirim(r.content.decode())
    assert tombol, "no submit button"
    # the last one is the form's main button; none is Bootstrap's default blue
    assert TOMBOL_UTAMA <= tombol[-1], tombol
    assert not any("btn-primary" in t for t in tombol), tombol


def test_the_survey_screen_saves_with_the_same_button(client, data, personas):
    putaran = services.putaran_buat(
        oleh=personas.manajer,
        klaster=data.klaster,
        nama="Monitoring",
        jenis=PutaranSurvei.Jenis.MONITORING,
        tanggal_mulai=data.klaster.tanggal_mulai,
    )  # open: its forms are shown
    client.force_login(personas.fasilitator)
    url = reverse("program:survei_isi", args=[putaran.pk, data.kelompok_a.pk])
    tombol = tombol_kirim(client.get(url).content.decode())
    assert tombol and all(TOMBOL_UTAMA <= t for t in tombol), tombol

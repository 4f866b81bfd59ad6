"""The exit report on the reference programme's real dates (issue 17 item 6): seed_demo
--sampai 2014-03-06, the Lebak klaster's exit report as a PDF, its text read back with pypdf,
and each published fact of the programme found in it — computed by the app, not typed in a
template (the template holds no figure; the demo holds the rows the figures come from)."""

import datetime as dt
import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from kelompok.models import Lembaga
from klaster.models import Klaster

SAMPAI = dt.date(2014, 3, 6)  # the exit workshop

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def pdf_lebak(django_db_setup, django_db_blocker):
    """Seed once, fetch the PDF as the Lebak manager; roll everything back afterwards."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            call_command("seed_demo", "--force", "--sampai", SAMPAI.isoformat(),
                         "--password", "sandi-uji-akhir", stdout=io.StringIO())  # fmt: skip
            lebak = Klaster.objects.get(kode="LBK")
            client = Client()
            client.force_login(get_user_model().objects.get(username="manajer"))
            r = client.get(reverse("laporan:akhir_pdf"), {"klaster": lebak.pk})
            assert r.status_code == 200, r.content[:500]
            halaman = [p.extract_text() for p in PdfReader(io.BytesIO(r.content)).pages]
            lembaga = list(
                Lembaga.objects.filter(klaster=lebak, bentuk="koperasi").values_list(
                    "nama", "tanggal_pengesahan"
                )
            )
            yield {"halaman": halaman, "lembaga": lembaga, "lebak": lebak}
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def _rata(teks: str) -> str:
    return " ".join(teks.split())


def test_summary_page_states_the_six_published_facts(pdf_lebak):
    ringkasan = _rata(pdf_lebak["halaman"][0])
    print(pdf_lebak["halaman"][0])  # the lead quotes it (pytest -s)
    assert "324 mitra dalam 32 kelompok" in ringkasan
    for sektor in ("UMKM 139 mitra", "Pertanian 100 mitra", "Peternakan 85 mitra"):
        assert sektor in ringkasan
    assert "Rp1.714.661.978" in ringkasan
    naik = re.search(r"Pendapatan rata-rata mitra pertanian naik (\d+),(\d)%", ringkasan)
    assert naik and int(naik.group(1)) >= 50
    assert "3 koperasi berbadan hukum per 6 Maret 2014" in ringkasan


def test_the_three_cooperatives_were_approved_before_the_exit_workshop(pdf_lebak):
    assert len(pdf_lebak["lembaga"]) == 3
    assert all(t is not None and t < SAMPAI for _n, t in pdf_lebak["lembaga"])
    teks = _rata(" ".join(pdf_lebak["halaman"]))
    for nama, _t in pdf_lebak["lembaga"]:
        assert nama in teks


def test_the_report_carries_the_stage_history_and_the_impact_tables(pdf_lebak):
    teks = _rata(" ".join(pdf_lebak["halaman"]))
    assert "Penumbuhan → Penguatan" in teks and "Penguatan → Pemandirian" in teks
    for judul in ("Dana dicairkan menurut sumber dana", "Perubahan pendapatan",
                  "Pelajaran yang dipetik", "Rekomendasi untuk pemerintah kabupaten"):  # fmt: skip
        assert judul in teks

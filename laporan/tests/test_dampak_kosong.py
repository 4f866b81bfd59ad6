"""A user who sees no klaster gets the report's empty state, never a server error (issue 14
item 4): a superuser on an empty database, a Manajer Program and a Fasilitator with no
Penugasan yet."""

import pytest
from django.urls import reverse

from klaster.models import Klaster
from klaster.tests.factories import UserFactory

HALAMAN = reverse("laporan:dampak")
UNDUHAN = ["laporan:dampak_xlsx", "laporan:dampak_pdf", "laporan:dampak_csv"]
GRAFIK = ["pencairan", "pendapatan", "kolektibilitas", "kunjungan"]
PESAN = "Belum ada klaster yang ditugaskan kepada Anda"


def _orang(jenis):
    if jenis == "superuser":
        assert not Klaster.objects.exists()  # a fresh installation
        return UserFactory(username="admin_baru", is_staff=True, is_superuser=True)
    grup = {"manajer": "Manajer Program", "fasilitator": "Fasilitator"}[jenis]
    return UserFactory(username=f"{jenis}_baru", grup=grup)


@pytest.mark.parametrize("jenis", ["superuser", "manajer", "fasilitator"])
def test_report_page_shows_what_to_do_instead_of_failing(client, db, jenis):
    client.force_login(_orang(jenis))
    response = client.get(HALAMAN)
    assert response.status_code == 200
    html = response.content.decode()
    assert PESAN in html and "Penugasan" in html
    assert 'id="angka-mitra"' not in html
    # with parameters too (the form keeps working)
    assert client.get(HALAMAN, {"sampai": "2024-06-30", "sektor": "umkm"}).status_code == 200


@pytest.mark.parametrize("jenis", ["superuser", "manajer", "fasilitator"])
@pytest.mark.parametrize("nama", GRAFIK)
def test_charts_answer_an_empty_chart(client, db, jenis, nama):
    client.force_login(_orang(jenis))
    response = client.get(reverse("laporan:dampak_grafik", args=[nama]))
    assert response.status_code == 200
    assert response.content.startswith(b"<svg")


@pytest.mark.parametrize("jenis", ["superuser", "manajer"])
@pytest.mark.parametrize("nama", UNDUHAN)
def test_downloads_answer_a_file_that_says_no_klaster(client, db, jenis, nama):
    client.force_login(_orang(jenis))
    response = client.get(reverse(nama))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]


@pytest.mark.parametrize("nama", UNDUHAN)
def test_downloads_for_an_unassigned_facilitator_follow_the_role_rules(client, db, nama):
    # a facilitator does not export; never a server error
    client.force_login(_orang("fasilitator"))
    assert client.get(reverse(nama)).status_code in (200, 403)


def test_xlsx_of_no_klaster_names_the_situation(client, db):
    import io

    from openpyxl import load_workbook

    client.force_login(_orang("manajer"))
    wb = load_workbook(io.BytesIO(client.get(reverse("laporan:dampak_xlsx")).content))
    assert PESAN in wb["Ringkasan"]["A2"].value


@pytest.mark.parametrize("jenis", ["superuser", "manajer"])
def test_dashboard_shows_the_same_empty_state(client, db, jenis):
    client.force_login(_orang(jenis))
    response = client.get(reverse("klaster:beranda"))
    assert response.status_code == 200
    assert PESAN in response.content.decode()

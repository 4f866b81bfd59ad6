"""The manager's home dashboard: cards from the hand-made fixture, charts as images, scope,
and a query count that does not grow with the data."""

import re

from django.urls import reverse
from freezegun import freeze_time

from laporan.tests.test_dampak_data import buat_data_tangan

URL = reverse("klaster:beranda")


def _sel(html: str, id_: str) -> str:
    m = re.search(rf'id="{id_}"[^>]*>(.*?)</(div|span)>', html, re.S)
    assert m, id_
    return re.sub(r"<[^>]+>", " ", m.group(1)).strip()


@freeze_time("2024-12-31 10:00:00")
def test_manager_dashboard_shows_cards_and_charts(client, personas):
    buat_data_tangan(personas)
    client.force_login(personas.manajer)
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    # as of 31 Dec 2024, every reading and loan of the fixture is in (period: all time)
    assert _sel(html, "dasbor-mitra") == "7"
    assert _sel(html, "dasbor-kelompok") == "2"
    assert _sel(html, "dasbor-koperasi") == "1"
    assert _sel(html, "dasbor-dicairkan") == "Rp2.900.000"
    assert _sel(html, "dasbor-outstanding") == "Rp1.900.000"
    assert _sel(html, "dasbor-par30") == "47,4%"
    assert _sel(html, "dasbor-pengembalian") == "38,5%"
    assert _sel(html, "dasbor-pendapatan") == "23,3%"
    assert _sel(html, "dasbor-miskin-sebelum") == "60,0%"
    assert _sel(html, "dasbor-miskin-sesudah") == "20,0%"
    assert _sel(html, "dasbor-kunjungan-30") == "0"
    assert _sel(html, "dasbor-tindak-lanjut") == "1"
    for nama in ("pencairan", "pendapatan", "kolektibilitas", "kunjungan"):
        assert f'src="{reverse("laporan:dampak_grafik", args=[nama])}"' in html
    assert "style=" not in html
    assert reverse("laporan:dampak") in html
    # the other klaster's money never shows on the Lebak manager's dashboard
    assert "Rp99.000.000" not in html


def test_dashboard_charts_render_for_the_manager(client, personas):
    buat_data_tangan(personas)
    client.force_login(personas.manajer)
    for nama in ("pencairan", "pendapatan", "kolektibilitas", "kunjungan"):
        response = client.get(reverse("laporan:dampak_grafik", args=[nama]))
        assert response.status_code == 200
        assert response.content.startswith(b"<svg")


def test_dashboard_with_no_data_still_renders(client, personas):
    client.force_login(personas.manajer)
    response = client.get(URL)
    assert response.status_code == 200
    assert _sel(response.content.decode(), "dasbor-mitra") == "0"


def test_fasilitator_home_is_not_the_dashboard(client, personas):
    client.force_login(personas.fasilitator)
    response = client.get(URL)
    assert response.status_code == 200
    assert 'id="kartu-dasbor"' not in response.content.decode()


def test_dashboard_refuses_post(client, personas):
    client.force_login(personas.manajer)
    assert client.post(URL).status_code == 405


# the query counts of the dashboard and the report are in tests/test_anggaran_kueri.py

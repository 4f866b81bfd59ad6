"""The manager's home dashboard: cards from the hand-made fixture, charts as images, scope,
and a query count that does not grow with the data."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
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


def _kueri(client, url, params=None) -> list[str]:
    client.get(url, params)  # warm: session, caches
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, params).status_code == 200
    return [q["sql"] for q in ctx.captured_queries]


@pytest.mark.parametrize(
    "url,batas",
    [
        # session, user, groups, 2 permission lookups (scope); ONE union query for people,
        # money disbursed and poverty lines (selectors.ringkasan_dasar); the portfolio
        # (bantuan.selectors.ringkasan_portofolio: 2-3 queries, its owner's choice); one row
        # per mitra with its readings; visits grouped by month and facilitator; the session
        # save (savepoint, update, release inside the test transaction)
        (URL, 15),
        # the same plus the visible klaster with their revolving fund (the kelompok choices
        # of the form ride in the union query)
        (reverse("laporan:dampak"), 16),
    ],
)
def test_dashboard_and_report_queries_do_not_grow(client, personas, url, batas):
    from laporan.tests.test_dampak_volume import isi_data

    client.force_login(personas.manajer)
    isi_data(personas, n_kelompok=1, n_mitra=3)
    kecil = _kueri(client, url)
    isi_data(personas, n_kelompok=10, n_mitra=30)  # 10x the kelompok, 100x the mitra
    besar = _kueri(client, url)
    assert len(besar) == len(kecil), "\n".join(besar)
    assert len(besar) <= batas, "\n".join(besar)


def test_report_exports_queries_do_not_grow(client, personas):
    from laporan.tests.test_dampak_volume import isi_data

    client.force_login(personas.manajer)
    isi_data(personas, n_kelompok=1, n_mitra=3)
    for name in ("laporan:dampak_xlsx", "laporan:dampak_csv"):
        kecil = _kueri(client, reverse(name))
        isi_data(personas, n_kelompok=3, n_mitra=10, seed=len(kecil))
        besar = _kueri(client, reverse(name))
        assert len(besar) == len(kecil), name

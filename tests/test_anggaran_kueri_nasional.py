"""Query budgets of the warm pages (issue 8, continued from tests/test_anggaran_kueri.py):
the dashboard, the impact report and the portfolio read one cache entry when nothing
changed; after a write a national manager's page recomputes only the klaster it touched;
the report's exports make as many queries at 1x as at 3x data.

A file of its own, beside tests/test_anggaran_kueri.py, so that `--dist loadfile` runs the
two long halves on the two workers at once.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.test_anggaran_kueri import _nasional

# ------------------------------------------------ dashboard and report: warm, after a write


def _kueri(client, url) -> list[str]:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return [q["sql"] for q in ctx.captured_queries]


@pytest.mark.parametrize(
    "url,batas",
    [
        # session, user, groups and permissions; the visible klaster with their versions;
        # the merged entry is in this process's cache: nothing else
        (reverse("klaster:beranda"), 4),
        (reverse("laporan:dampak"), 4),
        (reverse("bantuan:portofolio"), 4),
    ],
)
def test_dashboard_and_report_read_one_entry_when_nothing_changed(client, personas, url, batas):
    from laporan.tests.test_dampak_volume import isi_data

    client.force_login(personas.manajer)
    isi_data(personas, n_kelompok=1, n_mitra=3)
    client.get(url)
    kecil = _kueri(client, url)
    isi_data(personas, n_kelompok=10, n_mitra=30)  # 10x the kelompok, 100x the mitra
    client.get(url)
    besar = _kueri(client, url)
    assert len(besar) == len(kecil) <= batas, "\n".join(besar)


@pytest.mark.parametrize(
    "url", [reverse("klaster:beranda"), reverse("laporan:dampak"), reverse("bantuan:portofolio")]
)
def test_after_a_write_the_national_pages_read_only_the_klaster_it_touched(client, personas, url):
    """A write in Lebak: the next request recomputes Lebak's part only, so its cost does not
    grow with the other klaster's data (1x, then 10x in Malingping)."""
    from laporan.tests.test_dampak_volume import isi_data
    from mitra.tests.factories import MitraFactory

    client.force_login(_nasional())
    isi_data(personas, n_kelompok=1, n_mitra=3)
    hitungan = []
    for n in (1, 10):
        isi_data(personas, n_kelompok=n, n_mitra=3 * n, klaster=personas.klaster_lain, seed=n)
        client.get(url)  # every klaster's part cached
        MitraFactory(kelompok=personas.kelompok_lebak)  # a write in Lebak
        sql = _kueri(client, url)
        lain = personas.klaster_lain.pk
        data_klaster = [q for q in sql if "mitra_mitra" in q or "bantuan_bantuan" in q]
        assert data_klaster
        assert not any(f"IN ({lain})" in q or f"= {lain}" in q for q in data_klaster)
        hitungan.append(len(sql))
    assert hitungan[0] == hitungan[1], hitungan


@pytest.mark.parametrize("nama", ["laporan:dampak_xlsx", "laporan:dampak_csv"])
def test_report_exports_queries_do_not_grow(client, personas, nama):
    from laporan.tests.test_dampak_volume import isi_data

    client.force_login(personas.manajer)
    isi_data(personas, n_kelompok=1, n_mitra=3)
    client.get(reverse(nama))
    kecil = _kueri(client, reverse(nama))
    isi_data(personas, n_kelompok=3, n_mitra=10, seed=len(kecil))
    client.get(reverse(nama))
    besar = _kueri(client, reverse(nama))
    assert len(besar) == len(kecil), nama

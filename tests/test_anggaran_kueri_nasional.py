"""Query budgets of the warm pages (issue 8, continued from tests/test_anggaran_kueri.py):
the dashboard, the impact report and the portfolio read one cache entry when nothing
changed; after a write a national manager's page recomputes only the klaster it touched;
the report's exports make as many queries at 1x as at 3x data.

A file of its own, beside tests/test_anggaran_kueri.py, so that `--dist loadfile` runs the
two long halves on the two workers at once.
"""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.test_anggaran_kueri import _nasional

# ------------------------------------------------ dashboard and report: warm, after a write


def _kueri(client, url) -> list[str]:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return [q["sql"] for q in ctx.captured_queries]


# session, user, groups and permissions; the visible klaster with their versions; the
# merged entry is in this process's cache: nothing else
BATAS_HANGAT = {
    reverse("klaster:beranda"): 4,
    reverse("laporan:dampak"): 4,
    reverse("bantuan:portofolio"): 4,
}


def test_dashboard_and_report_read_one_entry_when_nothing_changed(client, personas):
    from laporan.tests.test_dampak_volume import isi_data

    client.force_login(personas.manajer)
    isi_data(personas, n_kelompok=1, n_mitra=3)
    kecil = {}
    for url in BATAS_HANGAT:
        client.get(url)
        kecil[url] = _kueri(client, url)
    isi_data(personas, n_kelompok=10, n_mitra=30)  # 10x the kelompok, 100x the mitra
    galat = []
    for url, batas in BATAS_HANGAT.items():
        client.get(url)
        besar = _kueri(client, url)
        if not len(besar) == len(kecil[url]) <= batas:
            galat.append(f"{url}: {len(kecil[url])} then {len(besar)}, ceiling {batas}:")
            galat += besar
    assert not galat, "\n".join(galat)


def test_after_a_write_the_national_pages_read_only_the_klaster_it_touched(client, personas):
    """A write in Lebak: the next request recomputes Lebak's part only, so its cost does not
    grow with the other klaster's data (1x, then 10x in Malingping)."""
    from laporan.tests.test_dampak_volume import isi_data
    from mitra.tests.factories import MitraFactory

    client.force_login(_nasional())
    isi_data(personas, n_kelompok=1, n_mitra=3)
    lain = personas.klaster_lain.pk
    hitungan = {url: [] for url in BATAS_HANGAT}
    for n in (1, 10):
        isi_data(personas, n_kelompok=n, n_mitra=3 * n, klaster=personas.klaster_lain, seed=n)
        for url in BATAS_HANGAT:
            client.get(url)  # every klaster's part cached
            MitraFactory(kelompok=personas.kelompok_lebak)  # a write in Lebak
            sql = _kueri(client, url)
            data_klaster = [q for q in sql if "mitra_mitra" in q or "bantuan_bantuan" in q]
            assert data_klaster, url
            assert not any(f"IN ({lain})" in q or f"= {lain}" in q for q in data_klaster), url
            hitungan[url].append(len(sql))
    assert all(h[0] == h[1] for h in hitungan.values()), hitungan


def test_report_exports_queries_do_not_grow(client, personas):
    from laporan.tests.test_dampak_volume import isi_data

    client.force_login(personas.manajer)
    isi_data(personas, n_kelompok=1, n_mitra=3)
    ekspor = [reverse("laporan:dampak_xlsx"), reverse("laporan:dampak_csv")]
    kecil = {}
    for url in ekspor:
        client.get(url)
        kecil[url] = len(_kueri(client, url))
    isi_data(personas, n_kelompok=3, n_mitra=10, seed=sum(kecil.values()))
    besar = {}
    for url in ekspor:
        client.get(url)
        besar[url] = len(_kueri(client, url))
    assert besar == kecil

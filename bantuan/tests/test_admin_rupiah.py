"""The admin shows money as Rupiah, as every page does (issue 15, item 10)."""

import datetime
from decimal import Decimal

from bantuan.tests.factories import angsuran_langsung, pinjaman_cair
from mitra.tests.factories import MitraFactory, PengukuranPendapatanFactory


def test_amounts_in_the_admin_lists_read_as_rupiah(client, personas):
    m = MitraFactory(klaster=personas.klaster_lebak, kelompok=personas.kelompok_lebak)
    b = pinjaman_cair(
        mitra=m,
        jumlah="1714661978",
        tanggal_cair=datetime.date(2025, 1, 5),
        bayar=[(datetime.date(2025, 2, 5), "150000")],
    )
    a = b.angsuran.get()
    angsuran_langsung(b, tanggal=a.tanggal, jumlah=-a.jumlah, koreksi_dari=a, alasan="salah")
    PengukuranPendapatanFactory(mitra=m, pendapatan_bulanan=Decimal("1250000.50"))
    client.force_login(personas.admin)
    for url, ada, tidak_ada in [
        ("/admin/bantuan/bantuan/", ["Rp1.714.661.978"], ["1714661978"]),
        ("/admin/bantuan/angsuran/", ["Rp150.000", "-Rp150.000"], ["150000,00", "150000.00"]),
        ("/admin/mitra/pengukuranpendapatan/", ["Rp1.250.001"], ["1250000,50", "1250000.50"]),
    ]:
        r = client.get(url)
        assert r.status_code == 200, url
        html = r.content.decode()
        for teks in ada:
            assert teks in html, (url, teks)
        for teks in tidak_ada:
            assert teks not in html, (url, teks)
    # still sortable by the amount
    assert client.get("/admin/bantuan/bantuan/", {"o": "6"}).status_code == 200

"""The impact report's key findings are sentences made from the report's figures."""

from decimal import Decimal
from types import SimpleNamespace

from laporan.temuan import temuan_utama


def _laporan(**ganti):
    figur = {
        "pendapatan": {
            "total": {
                "n": 318,
                "perubahan_rata": Decimal("0.3790"),
                "naik": 240,
                "porsi_naik": Decimal(240) / Decimal(318),
                "porsi_miskin_sebelum": Decimal("0.909"),
                "porsi_miskin_sesudah": Decimal("0.761"),
                "n_garis_sesudah": 318,
            },
            "n_dikecualikan": 6,
            "per_sektor": [
                {"label": "Pertanian", "n": 97, "perubahan_rata": Decimal("0.62")},
                {"label": "Peternakan", "n": 84, "perubahan_rata": Decimal("0.374")},
                {"label": "UMKM", "n": 0, "perubahan_rata": None},
            ],
        },
        "uang": {"total": Decimal("1714661978"), "n": 355},
        "portofolio": {
            "jumlah_pinjaman_aktif": 120,
            "outstanding": Decimal("127447960"),
            "par30": Decimal("0.061"),
            "tingkat_pengembalian": Decimal("0.99"),
        },
        "orang": {"mitra_total": 324, "kelompok_total": 32, "koperasi": 3},
    }
    figur.update(ganti)
    return SimpleNamespace(**figur)


def test_findings_quote_the_figures():
    temuan = temuan_utama(_laporan())
    assert 3 <= len(temuan) <= 6
    teks = "\n".join(temuan)
    assert "Pendapatan rata-rata mitra naik 37,9% dari baseline" in teks
    assert "(n=318; 6 mitra tidak dihitung" in teks
    # the sector with the largest rise, its own n
    assert "Pendapatan rata-rata mitra pertanian naik 62,0% (n=97)." in teks
    assert "75,5% mitra (240 dari 318) pendapatannya naik." in teks  # 240/318
    assert "90,9% saat baseline, 76,1% pada pengukuran terakhir (n=318)" in teks
    assert "Rp1.714.661.978 dicairkan dalam 355 bantuan." in teks
    assert "Rp127.447.960" in teks and "6,1%" in teks and "99,0%" in teks
    assert "324 mitra dalam 32 kelompok; 3 koperasi terbentuk." in teks


def test_a_fall_reads_as_a_fall():
    lap = _laporan()
    lap.pendapatan["total"]["perubahan_rata"] = Decimal("-0.125")
    assert "Pendapatan rata-rata mitra turun 12,5%" in temuan_utama(lap)[0]


def test_no_data_no_sentences_about_it():
    kosong = SimpleNamespace(pendapatan={}, uang={"n": 0}, portofolio={}, orang={})
    assert temuan_utama(kosong) == []
    hanya_orang = _laporan(pendapatan={}, uang={"n": 0})
    assert temuan_utama(hanya_orang) == ["324 mitra dalam 32 kelompok; 3 koperasi terbentuk."]

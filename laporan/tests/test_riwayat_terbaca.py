"""History people can read (issue 15, item 9): labels, names, Rupiah and dates; no ids."""

import re

from django.urls import reverse

from kunjungan.tests.kunjungan_data import beri_pinjaman
from mitra.tests.factories import MitraFactory


def _teks(html: str) -> str:
    return re.sub(r"<[^>]+>", " ", html)


def test_the_loan_history_names_people_and_formats_money(client, personas):
    mitra = MitraFactory(kelompok=personas.kelompok_lebak)
    pinjaman = beri_pinjaman(personas, mitra)
    personas.manajer.first_name, personas.manajer.last_name = "Dewi", "Kurniasih"
    personas.manajer.save()
    client.force_login(personas.manajer)
    html = client.get(reverse("bantuan:detail", args=[pinjaman.pk])).content.decode()
    riwayat = _teks(html.split('id="riwayat"')[1].split("</ul>")[0])
    assert "Disetujui oleh" in riwayat and "Dewi Kurniasih" in riwayat
    assert "Diajukan → Disetujui" in riwayat
    assert "disetujui_oleh" not in riwayat and not re.search(r"→ \d+\s*(;|$)", riwayat, re.M)


def test_the_history_page_hides_internal_fields(client, personas):
    mitra = MitraFactory(kelompok=personas.kelompok_lebak)
    pinjaman = beri_pinjaman(personas, mitra)
    client.force_login(personas.manajer)
    teks = _teks(client.get(reverse("akun:riwayat")).content.decode())
    assert pinjaman.nomor in teks
    assert not re.search(r"\bID\b:", teks) and "uuid" not in teks.lower()
    assert not re.search(r"#\d", teks)  # related records by name, never "#36"
    assert mitra.nama in teks  # the loan's recipient by name
    assert "Rp1.200.000" in teks  # the amount as money

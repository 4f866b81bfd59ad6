"""Imports write loans around the services: the position each loan keeps still comes out as
the services would keep it (bantuan/posisi.py)."""

import datetime
from decimal import Decimal

from bantuan.models import Bantuan, SumberDana
from bantuan.posisi import generasi_hitung, posisi_dari_riwayat
from bantuan.tests.factories import SumberDanaFactory, pinjaman_cair
from impor.layanan import impor_berkas
from impor.tests.util import xlsx
from mitra.tests.factories import MitraFactory

D = datetime.date


def _impor(personas, jenis, rows):
    r = impor_berkas(jenis=jenis, data=xlsx(rows), nama_berkas=f"{jenis}.xlsx",
                     oleh=personas.manajer, klaster=personas.klaster_lebak, simpan=True)  # fmt: skip
    assert r.tersimpan, [(g.baris, g.kolom, g.alasan) for g in r.galat]
    return r


def test_imported_loans_and_instalments_keep_their_position(personas):
    k = personas.klaster_lebak
    SumberDanaFactory(nama="Zakat Uji", jenis=SumberDana.Jenis.ZAKAT)
    SumberDanaFactory(nama="Dana Bergulir Uji", jenis=SumberDana.Jenis.DANA_BERGULIR, klaster=k)
    # donors' money repaid in January and February: the fund holds 500k from 1 March
    lama = pinjaman_cair(
        mitra=MitraFactory(klaster=k),
        jumlah="1000000",
        tanggal_cair=D(2011, 12, 1),
        bayar=[(D(2012, 1, 5), "300000"), (D(2012, 2, 5), "200000")],
    )
    nik = [MitraFactory(klaster=k, kelompok=personas.kelompok_lebak).nik for _ in range(3)]
    _impor(personas, "bantuan", [
        ["Nomor", "NIK Penerima", "Jenis", "Sumber Dana", "Jumlah", "Tgl Pengajuan",
         "Tanggal Pencairan", "Tenor"],
        ["IMP-1", nik[0], "modal bergulir", "Dana Bergulir Uji", "300.000", "01/03/2012",
         "01/03/2012", 6],
        ["IMP-2", nik[1], "modal bergulir", "Zakat Uji", "600.000", "01/01/2012", "10/01/2012", 6],
        ["IMP-3", nik[2], "aset", "Zakat Uji", "250.000", "01/01/2012", "10/01/2012", None],
    ])  # fmt: skip
    dari_dana, donor, aset = (
        Bantuan.objects.get(nomor=n) for n in ("IMP-1", "IMP-2", "IMP-3")
    )  # fmt: skip
    # nothing repaid yet: the first instalment is the oldest unpaid
    assert (dari_dana.pokok_terbayar, dari_dana.jatuh_tempo_belum_lunas) == (0, D(2012, 4, 1))
    assert (donor.jatuh_tempo_belum_lunas, aset.jatuh_tempo_belum_lunas) == (D(2012, 2, 10), None)
    assert [dari_dana.generasi, donor.generasi, aset.generasi] == [2, 1, None]
    _impor(personas, "angsuran", [
        ["Nomor Bantuan", "Tgl Bayar", "Jumlah Angsuran"],
        ["IMP-1", "01/04/2012", "50.000"],
        ["IMP-2", "10/02/2012", "150.000"],
        ["IMP-2", "10/03/2012", "100.000"],
    ])  # fmt: skip
    semua = Bantuan.objects.filter(klaster=k)
    assert {
        pk: (t, j)
        for pk, t, j in semua.values_list("pk", "pokok_terbayar", "jatuh_tempo_belum_lunas")
    } == posisi_dari_riwayat(semua)
    donor.refresh_from_db()
    # 100k a month from 10 Feb: 250k covers two, the third (10 April) is the oldest unpaid
    assert (donor.pokok_terbayar, donor.jatuh_tempo_belum_lunas) == (
        Decimal("250000"),
        D(2012, 4, 10),
    )
    assert dict(semua.exclude(generasi=None).values_list("pk", "generasi")) == generasi_hitung(
        [k.pk]
    )
    assert lama.pk in generasi_hitung([k.pk])

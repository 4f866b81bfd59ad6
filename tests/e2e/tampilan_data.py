"""A small programme for the screen tests (issue 15): eight kelompok with long names, loans
in arrears and two large ones (big figures), income readings, visits with follow-ups and a
financing waiting for approval. Made through the services, as the programme makes them."""

import datetime
import uuid
from dataclasses import dataclass
from decimal import Decimal

from bantuan.models import Bantuan
from bantuan.services import bantuan_ajukan
from bantuan.tests.factories import SumberDanaFactory
from kunjungan import services as kunjungan_services
from kunjungan.tests.kunjungan_data import beri_pinjaman, hari_ini, kelompok_dengan_anggota
from mitra.models import PengukuranPendapatan
from mitra.tests.factories import PengukuranPendapatanFactory


@dataclass
class Program:
    kelompok: list
    anggota: list
    penunggak: object  # a mitra in arrears
    pinjaman: Bantuan
    pengajuan: Bantuan  # waiting for approval


def buat_program(personas) -> Program:
    klaster = personas.klaster_lebak
    kelompok, anggota = [], []
    for i in range(8):
        k, a = kelompok_dengan_anggota(
            klaster, 5, kode=f"LBK-{i + 11:02d}", nama=f"Kelompok Usaha Bersama Sejahtera {i + 1}"
        )
        kelompok.append(k)
        anggota.append(a)
    lama = hari_ini() - datetime.timedelta(days=230)
    pinjaman = beri_pinjaman(personas, anggota[0][0], tanggal_cair=lama)
    beri_pinjaman(personas, anggota[1][0], tanggal_cair=lama, jumlah=Decimal("900000000"))
    beri_pinjaman(personas, anggota[2][0], jumlah=Decimal("814661978"), tenor_bulan=24)
    for i, daftar in enumerate(anggota):
        for j, m in enumerate(daftar[:3]):
            PengukuranPendapatanFactory(
                mitra=m,
                tanggal=hari_ini() - datetime.timedelta(days=400),
                jenis=PengukuranPendapatan.Jenis.BASELINE,
                pendapatan_bulanan=Decimal(800000 + 50000 * j),
            )
            PengukuranPendapatanFactory(
                mitra=m,
                tanggal=hari_ini() - datetime.timedelta(days=20),
                jenis=PengukuranPendapatan.Jenis.MONITORING,
                pendapatan_bulanan=Decimal(1100000 + 75000 * (i % 3)),
            )
    for i, k in enumerate(kelompok[3:6]):
        kunjungan_services.kunjungan_catat(
            oleh=personas.fasilitator,
            uuid=uuid.uuid4(),
            kelompok=k,
            tanggal=hari_ini() - datetime.timedelta(days=35 + i),
            jenis_kegiatan="pendampingan",
            ringkasan="Pendampingan pembukuan usaha.",
            tindak_lanjut=f"Periksa buku kas kelompok {k.kode}",
            hadir=anggota[3 + i][:3],
        )
    pengajuan = bantuan_ajukan(
        oleh=personas.fasilitator,
        klaster=klaster,
        jenis=Bantuan.Jenis.MODAL_BERGULIR,
        sumber_dana=SumberDanaFactory(),
        jumlah=Decimal("2500000"),
        tanggal_pengajuan=hari_ini(),
        mitra=anggota[4][1],
        tenor_bulan=10,
    )
    return Program(kelompok, anggota, anggota[0][0], pinjaman, pengajuan)

import datetime
from decimal import Decimal

import factory

from klaster.tests.factories import DESA_LEUWIDAMAR, KlasterFactory, wilayah
from mitra.models import JenisKelamin, Mitra, PengukuranPendapatan, Sektor


def nik_untuk(
    kecamatan_kode: str, tanggal_lahir: datetime.date, jenis_kelamin: str, urut: int
) -> str:
    """A valid NIK: kecamatan code, DDMMYY (day + 40 for women), 4-digit serial from 0001."""
    hari = tanggal_lahir.day + (40 if jenis_kelamin == JenisKelamin.PEREMPUAN else 0)
    return (
        kecamatan_kode.replace(".", "")
        + f"{hari:02d}{tanggal_lahir.month:02d}{tanggal_lahir.year % 100:02d}"
        + f"{urut % 9999 + 1:04d}"
    )


class MitraFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Mitra

    nama = factory.Faker("name", locale="id_ID")
    jenis_kelamin = factory.Iterator([JenisKelamin.LAKI_LAKI, JenisKelamin.PEREMPUAN])
    tanggal_lahir = factory.Sequence(
        lambda n: datetime.date(1960, 1, 1) + datetime.timedelta(days=(n * 37) % 12000)
    )
    # serial = sequence, and the birth date varies too, so NIKs stay unique
    nik = factory.LazyAttributeSequence(
        lambda o, n: nik_untuk("36.02.06", o.tanggal_lahir, o.jenis_kelamin, n)
    )
    telepon = factory.Sequence(lambda n: f"0812{n:08d}")
    kelompok = None
    klaster = factory.LazyAttribute(
        lambda o: o.kelompok.klaster if o.kelompok else KlasterFactory()
    )
    desa = factory.LazyFunction(lambda: wilayah(DESA_LEUWIDAMAR[0]))
    alamat = "Kampung Uji RT 01/02"
    sektor = factory.LazyAttribute(lambda o: o.kelompok.sektor if o.kelompok else Sektor.UMKM)
    jenis_usaha = "Warung"
    status = Mitra.Status.AKTIF
    tanggal_bergabung = datetime.date(2011, 6, 1)
    jumlah_anggota_keluarga = 4


class PengukuranPendapatanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PengukuranPendapatan

    mitra = factory.SubFactory(MitraFactory)
    tanggal = datetime.date(2011, 6, 1)
    pendapatan_bulanan = Decimal("1000000")
    jenis = PengukuranPendapatan.Jenis.BASELINE

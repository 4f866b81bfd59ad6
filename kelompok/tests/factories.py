import datetime

import factory

from kelompok.models import Kelompok, Lembaga
from klaster.tests.factories import DESA_LEUWIDAMAR, KlasterFactory, wilayah
from mitra.models import Sektor


class LembagaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Lembaga

    nama = factory.Sequence(lambda n: f"Koperasi Uji {n}")
    klaster = factory.SubFactory(KlasterFactory)
    bentuk = Lembaga.Bentuk.KOPERASI
    nomor_badan_hukum = factory.Sequence(lambda n: f"{n}/BH/XI/2013")
    tanggal_pengesahan = datetime.date(2013, 10, 1)


class KelompokFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Kelompok

    kode = factory.Sequence(lambda n: f"KLP-{n:03d}")
    nama = factory.Sequence(lambda n: f"Kelompok Uji {n}")
    klaster = factory.SubFactory(KlasterFactory)
    sektor = Sektor.PERTANIAN
    desa = factory.LazyFunction(lambda: wilayah(DESA_LEUWIDAMAR[0]))
    tanggal_dibentuk = datetime.date(2011, 4, 1)
    usaha_kelompok = "Budidaya padi"
    status = Kelompok.Status.AKTIF

import datetime

import factory

from kelembagaan.models import RiwayatTahap, TonggakLembaga
from kelompok.tests.factories import LembagaFactory
from klaster.models import Klaster
from klaster.tests.factories import KlasterFactory, UserFactory


class TonggakFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TonggakLembaga

    lembaga = factory.SubFactory(LembagaFactory)
    jenis = TonggakLembaga.Jenis.RAPAT_PENDIRIAN
    tanggal = datetime.date(2012, 10, 1)
    dicatat_oleh = factory.SubFactory(UserFactory)


class RiwayatTahapFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RiwayatTahap

    klaster = factory.SubFactory(KlasterFactory)
    dari = Klaster.Tahap.PENUMBUHAN
    ke = Klaster.Tahap.PENGUATAN
    tanggal = datetime.date(2012, 3, 1)
    diputuskan_oleh = factory.SubFactory(UserFactory)
    syarat = factory.LazyFunction(list)
    semua_terpenuhi = True

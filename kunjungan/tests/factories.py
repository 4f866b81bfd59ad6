import datetime

import factory

from klaster.tests.factories import UserFactory
from kunjungan.models import Kunjungan
from kunjungan.services import kunjungan_hitung_kehadiran


class KunjunganFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Kunjungan
        skip_postgeneration_save = True

    fasilitator = factory.SubFactory(UserFactory, grup="Fasilitator")
    kelompok = None
    klaster = factory.LazyAttribute(lambda o: o.kelompok.klaster)
    tanggal = datetime.date(2012, 5, 1)
    jenis_kegiatan = Kunjungan.JenisKegiatan.PERTEMUAN_KELOMPOK
    ringkasan = "Pertemuan rutin"

    @factory.post_generation
    def hadir(self, create, extracted, **kwargs):
        if create and extracted:
            self.hadir.add(*extracted)

    @factory.post_generation
    def kehadiran(self, create, extracted, **kwargs):
        # the attendance counts the visit keeps, as kunjungan_catat writes them
        if create:
            kunjungan_hitung_kehadiran(kunjungan_ids=[self.pk])
            self.refresh_from_db(fields=["jumlah_hadir", "jumlah_hadir_anggota", "jumlah_anggota"])

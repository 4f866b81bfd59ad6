import datetime

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from klaster.models import Klaster, Penugasan, Wilayah
from klaster.wilayah_data import pastikan_wilayah_lebak

# Real Kemendagri codes from the Lebak subset the tests load.
KAB_LEBAK = "36.02"
KEC_LEUWIDAMAR = "36.02.06"
DESA_LEUWIDAMAR = ["36.02.06.2002", "36.02.06.2006", "36.02.06.2004", "36.02.06.2011"]
KEC_LAIN = "36.02.01"  # Malingping, for "another klaster elsewhere in Lebak"


def wilayah(kode: str) -> Wilayah:
    pastikan_wilayah_lebak()
    return Wilayah.objects.get(kode=kode)


def desa_di(kecamatan_kode: str) -> list[Wilayah]:
    pastikan_wilayah_lebak()
    return list(Wilayah.objects.filter(induk_id=kecamatan_kode, tingkat="desa").order_by("kode"))


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"pengguna{n}")
    first_name = factory.Faker("first_name", locale="id_ID")
    password = factory.django.Password("kata-sandi-uji-123")

    @factory.post_generation
    def grup(self, create, extracted, **kwargs):
        if create and extracted:
            # get_or_create: transactional tests flush the groups the migration made
            self.groups.add(Group.objects.get_or_create(name=extracted)[0])


class KlasterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Klaster
        skip_postgeneration_save = True

    kode = factory.Sequence(lambda n: f"KL{n:03d}")
    nama = factory.Sequence(lambda n: f"Klaster Uji {n}")
    kabupaten = factory.LazyFunction(lambda: wilayah(KAB_LEBAK))
    tahap = Klaster.Tahap.PENGUATAN
    tanggal_mulai = datetime.date(2011, 3, 1)
    target_mitra = 100
    anggaran = 1_000_000_000

    @factory.post_generation
    def kecamatan(self, create, extracted, **kwargs):
        if create:
            self.kecamatan.add(*(extracted or [wilayah(KEC_LEUWIDAMAR)]))


class PenugasanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Penugasan

    pengguna = factory.SubFactory(UserFactory)
    klaster = factory.SubFactory(KlasterFactory)
    peran = Penugasan.Peran.FASILITATOR
    sejak = datetime.date(2011, 1, 1)

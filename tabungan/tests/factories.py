import datetime
from decimal import Decimal

import factory

from klaster.tests.factories import UserFactory
from tabungan.models import TransaksiTabungan


class TransaksiTabunganFactory(factory.django.DjangoModelFactory):
    """A deposit written straight to the table (tests of reading); writes with rules go
    through tabungan.services."""

    class Meta:
        model = TransaksiTabungan

    mitra = factory.SubFactory("mitra.tests.factories.MitraFactory")
    kelompok = factory.LazyAttribute(lambda o: o.mitra.kelompok)
    klaster = factory.LazyAttribute(lambda o: o.mitra.klaster)
    jenis = TransaksiTabungan.Jenis.SETORAN
    tanggal = datetime.date(2024, 3, 1)
    jumlah = Decimal("10000")
    dicatat_oleh = factory.SubFactory(UserFactory, grup="Fasilitator")

import datetime
from decimal import Decimal

import factory

from bantuan.models import Bantuan, SumberDana
from mitra.tests.factories import MitraFactory


class SumberDanaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SumberDana

    nama = factory.Sequence(lambda n: f"Dana Zakat {n}")
    jenis = SumberDana.Jenis.ZAKAT
    klaster = None


class BantuanFactory(factory.django.DjangoModelFactory):
    """A proposed financing (status diajukan). Use the services to approve and disburse."""

    class Meta:
        model = Bantuan

    nomor = factory.Sequence(lambda n: f"BTN-2012-{n + 1:04d}")
    mitra = factory.SubFactory(MitraFactory)
    kelompok = None
    klaster = factory.LazyAttribute(lambda o: (o.mitra or o.kelompok).klaster)
    jenis = Bantuan.Jenis.MODAL_BERGULIR
    sumber_dana = factory.SubFactory(SumberDanaFactory)
    jumlah = Decimal("1000000")
    tanggal_pengajuan = datetime.date(2012, 1, 10)
    tenor_bulan = factory.LazyAttribute(
        lambda o: 12 if o.jenis == Bantuan.Jenis.MODAL_BERGULIR else None
    )

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


def segarkan(*bantuan: Bantuan) -> None:
    """Re-derive the kept position of loans whose rows or instalments a test wrote directly
    (as the services would have kept it), and refresh the instances."""
    from bantuan.posisi import posisi_segarkan

    posisi_segarkan(Bantuan.objects.filter(pk__in=[b.pk for b in bantuan]))
    for b in bantuan:
        b.refresh_from_db()


def angsuran_langsung(bantuan: Bantuan, **kwargs):
    """An Angsuran written directly (e.g. a reversal on any date), its loan's kept position
    re-derived as the services keep it."""
    from bantuan.models import Angsuran

    angsuran = Angsuran.objects.create(bantuan=bantuan, **kwargs)
    segarkan(bantuan)
    return angsuran


def pinjaman_cair(
    *, tanggal_cair: datetime.date, jumlah="1000000", tenor_bulan=12, bayar=(), **kwargs
) -> Bantuan:
    """A disbursed revolving loan with its schedule, made directly (fast, for selector tests).

    `bayar` is a list of (tanggal, jumlah) repayments. Rows are built exactly as the services
    build them: status dicairkan (lunas when fully paid), schedule from hitung_jadwal, the
    kept position (bantuan/posisi.py) derived from them.
    """
    from bantuan.jadwal import hitung_jadwal
    from bantuan.models import Angsuran, JadwalAngsuran

    jumlah = Decimal(jumlah)
    kwargs.setdefault("tanggal_pengajuan", tanggal_cair - datetime.timedelta(days=10))
    b = BantuanFactory(
        jumlah=jumlah,
        tenor_bulan=tenor_bulan,
        jenis=Bantuan.Jenis.MODAL_BERGULIR,
        status=Bantuan.Status.DICAIRKAN,
        tanggal_cair=tanggal_cair,
        **kwargs,
    )
    JadwalAngsuran.objects.bulk_create(
        JadwalAngsuran(
            bantuan=b, ke=c.ke, jatuh_tempo=c.jatuh_tempo, jumlah=c.jumlah, kumulatif=c.kumulatif
        )
        for c in hitung_jadwal(pokok=jumlah, tenor_bulan=tenor_bulan, tanggal_cair=tanggal_cair)
    )
    if bayar:
        Angsuran.objects.bulk_create(
            Angsuran(bantuan=b, tanggal=t, jumlah=Decimal(j)) for t, j in bayar
        )
        if sum(Decimal(j) for _t, j in bayar) == jumlah:
            b.status = Bantuan.Status.LUNAS
            b.tanggal_lunas = max(t for t, _j in bayar)
            b.save(update_fields=["status", "tanggal_lunas"])
    segarkan(b)
    return b

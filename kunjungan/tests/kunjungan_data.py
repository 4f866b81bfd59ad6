"""Test data for the kunjungan tests (unit and browser): a kelompok with members and
revolving loans made through the bantuan services, and the meeting screen's POST data."""

import datetime
import uuid as uuid_lib
from decimal import Decimal

from django.utils import timezone

from bantuan.models import Bantuan
from bantuan.services import bantuan_ajukan, bantuan_cairkan, bantuan_setujui
from bantuan.tests.factories import SumberDanaFactory
from kelompok.tests.factories import KelompokFactory
from mitra.tests.factories import MitraFactory


def hari_ini() -> datetime.date:
    return timezone.localdate()


def kelompok_dengan_anggota(klaster, n: int, **kwargs):
    kelompok = KelompokFactory(klaster=klaster, **kwargs)
    anggota = MitraFactory.create_batch(n, kelompok=kelompok)
    return kelompok, sorted(anggota, key=lambda m: (m.nama, m.pk))


def beri_pinjaman(
    personas,
    mitra,
    *,
    jumlah=Decimal("1200000"),
    tenor_bulan=12,
    tanggal_cair: datetime.date | None = None,
) -> Bantuan:
    """A disbursed revolving loan, made the way the programme makes one."""
    tanggal_cair = tanggal_cair or hari_ini() - datetime.timedelta(days=100)
    bantuan = bantuan_ajukan(
        oleh=personas.fasilitator,
        klaster=mitra.klaster,
        jenis=Bantuan.Jenis.MODAL_BERGULIR,
        sumber_dana=SumberDanaFactory(),
        jumlah=Decimal(jumlah),
        tanggal_pengajuan=tanggal_cair,
        mitra=mitra,
        tenor_bulan=tenor_bulan,
    )
    bantuan_setujui(bantuan=bantuan, oleh=personas.manajer, tanggal=tanggal_cair)
    return bantuan_cairkan(bantuan=bantuan, oleh=personas.manajer, tanggal_cair=tanggal_cair)


def data_kunjungan(
    *,
    uuid=None,
    tanggal: datetime.date | None = None,
    jenis="pertemuan_kelompok",
    hadir=(),
    pendapatan=None,
    angsuran=None,
    **lain,
) -> dict:
    """The meeting screen's POST, as a browser sends it."""
    data = {
        "uuid": str(uuid or uuid_lib.uuid4()),
        "tanggal": (tanggal or hari_ini()).isoformat(),
        "jenis_kegiatan": jenis,
        "hadir": [str(m.pk) for m in hadir],
        "ringkasan": "Pertemuan rutin, membahas panen.",
        "kendala": "",
        "tindak_lanjut": "",
    }
    for m, v in (pendapatan or {}).items():
        data[f"pendapatan_{m.pk}"] = str(v)
    for m, v in (angsuran or {}).items():
        data[f"angsuran_{m.pk}"] = str(v)
    data.update(lain)
    return data

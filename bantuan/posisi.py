"""The position each loan keeps: Bantuan.pokok_terbayar, jatuh_tempo_belum_lunas, generasi.

The services keep them in the transaction that records an entry, under the locks they take
(the klaster's version row, klaster/versi.py, then the loan's row), as healthchecks'
Check.ping() keeps a check's state: today's pages then read the loan rows, not the history. This module says how each field
is derived, so the services, the writers that bypass them (seed_demo, the import of
financing) and the tests derive them the same way:

- pokok_terbayar: the sum of the loan's instalments, reversals (negative) included;
- jatuh_tempo_belum_lunas: the due date of the oldest scheduled instalment whose `kumulatif`
  the paid sum does not reach (None when paid off, or not a loan). It may lie in the future:
  the loan is overdue as of a date D only when it is before D;
- generasi: the revolving-fund generation (bantuan/generasi.py), None for a grant from
  donors' money. A repayment or reversal dated on or before a disbursement from the fund,
  or a disbursement from the fund dated before another, changes which money later
  disbursements took: those writes walk the klaster again (`generasi_segarkan`).

A write-off changes none of them: the position reads tanggal_hapus_buku.
"""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.db.models import Q, Sum

from bantuan.generasi import jalan_generasi
from bantuan.models import Angsuran, Bantuan, JadwalAngsuran, SumberDana

NOL = Decimal("0")
STATUS_CAIR = [s.value for s in Bantuan.STATUS_CAIR]


def _jatuh_tempo_belum_lunas(bantuan_id: int, terbayar: Decimal) -> datetime.date | None:
    return (
        JadwalAngsuran.objects.filter(bantuan_id=bantuan_id, kumulatif__gt=terbayar)
        .order_by("ke")
        .values_list("jatuh_tempo", flat=True)
        .first()
    )


def _simpan(bantuan: Bantuan, **nilai) -> None:
    # an UPDATE of these columns only: no history row (they are excluded from it), and a
    # later save() of the same instance writes the same values
    for nama, v in nilai.items():
        setattr(bantuan, nama, v)
    Bantuan.objects.filter(pk=bantuan.pk).update(**nilai)


def angsuran_tercatat(bantuan: Bantuan, angsuran: Angsuran) -> None:
    """Keep the position after `angsuran` (a repayment or a reversal) was saved.

    The caller holds the klaster's version row (the first lock of every writer of a klaster,
    so the generation walk below sees every write committed before it) and the row lock of
    `bantuan`, re-read under it: the paid sum it carries is the committed one."""
    terbayar = bantuan.pokok_terbayar + angsuran.jumlah
    _simpan(
        bantuan,
        pokok_terbayar=terbayar,
        jatuh_tempo_belum_lunas=_jatuh_tempo_belum_lunas(bantuan.pk, terbayar),
    )
    if _ada_pencairan_dana_sejak(bantuan.klaster_id, angsuran.tanggal):
        # (its own too: a fund loan repaid on its disbursement date, see bantuan/generasi.py)
        bantuan.generasi = generasi_segarkan([bantuan.klaster_id]).get(bantuan.pk)


def bantuan_dicairkan(bantuan: Bantuan) -> None:
    """Keep the position of a Bantuan just disbursed (its schedule, if any, already saved).
    The caller holds the klaster's version row and the row lock of `bantuan`."""
    dari_dana = bantuan.sumber_dana.jenis == SumberDana.Jenis.DANA_BERGULIR
    pinjaman = bantuan.jenis == Bantuan.Jenis.MODAL_BERGULIR
    _simpan(
        bantuan,
        pokok_terbayar=NOL,
        jatuh_tempo_belum_lunas=_jatuh_tempo_belum_lunas(bantuan.pk, NOL) if pinjaman else None,
        generasi=1 if pinjaman and not dari_dana else None,
    )
    if dari_dana:
        # its own generation, and those of later disbursements if it is backdated
        bantuan.generasi = generasi_segarkan([bantuan.klaster_id]).get(bantuan.pk)


def _ada_pencairan_dana_sejak(klaster_id: int, tanggal: datetime.date) -> bool:
    # money paid in on date T reaches the fund's disbursements dated T or later only
    return Bantuan.objects.filter(
        klaster_id=klaster_id,
        sumber_dana__jenis=SumberDana.Jenis.DANA_BERGULIR,
        status__in=STATUS_CAIR,
        tanggal_cair__gte=tanggal,
    ).exists()


def generasi_hitung(klaster_ids) -> dict[int, int]:
    """The generation of every disbursed loan of the klaster, walked from the whole history
    (two queries): bantuan_id → n, for revolving capital and whatever the fund lent."""
    klaster_ids = list(klaster_ids)
    pinjaman = defaultdict(list)
    for pk, klaster_id, tanggal, jumlah, jenis_dana in (
        Bantuan.objects.filter(klaster_id__in=klaster_ids, status__in=STATUS_CAIR)
        .filter(
            Q(jenis=Bantuan.Jenis.MODAL_BERGULIR)
            | Q(sumber_dana__jenis=SumberDana.Jenis.DANA_BERGULIR)
        )
        .order_by()
        .values_list("pk", "klaster_id", "tanggal_cair", "jumlah", "sumber_dana__jenis")
    ):
        pinjaman[klaster_id].append(
            (pk, tanggal, jumlah, jenis_dana == SumberDana.Jenis.DANA_BERGULIR)
        )
    bayar = defaultdict(list)
    for tanggal, bantuan_id, pk, jumlah, klaster_id in (
        Angsuran.objects.filter(
            bantuan__klaster_id__in=klaster_ids, bantuan__jenis=Bantuan.Jenis.MODAL_BERGULIR
        )
        .order_by()
        .values_list("tanggal", "bantuan_id", "pk", "jumlah", "bantuan__klaster_id")
    ):
        bayar[klaster_id].append((tanggal, bantuan_id, pk, jumlah))
    hasil: dict[int, int] = {}
    for klaster_id, daftar in pinjaman.items():
        hasil.update(jalan_generasi(daftar, bayar[klaster_id]))
    return hasil


def generasi_segarkan(klaster_ids) -> dict[int, int]:
    """Walk the klaster again and store every generation that changed; returns them all."""
    klaster_ids = list(klaster_ids)
    hasil = generasi_hitung(klaster_ids)
    tersimpan = dict(
        Bantuan.objects.filter(klaster_id__in=klaster_ids, generasi__isnull=False).values_list(
            "pk", "generasi"
        )
    )
    berubah = defaultdict(list)
    for pk in set(hasil) | set(tersimpan):
        if hasil.get(pk) != tersimpan.get(pk):
            berubah[hasil.get(pk)].append(pk)
    for gen, ids in berubah.items():
        Bantuan.objects.filter(pk__in=ids).update(generasi=gen)
    return hasil


def posisi_dari_riwayat(bantuan_qs) -> dict[int, tuple[Decimal, datetime.date | None]]:
    """(pokok_terbayar, jatuh_tempo_belum_lunas) of every Bantuan in bantuan_qs recomputed
    from its instalments and schedule (two queries)."""
    terbayar = {pk: NOL for pk in bantuan_qs.order_by().values_list("pk", flat=True)}
    for bantuan_id, jumlah in (
        Angsuran.objects.filter(bantuan__in=bantuan_qs.values("pk"))
        .order_by()
        .values("bantuan_id")
        .annotate(s=Sum("jumlah"))
        .values_list("bantuan_id", "s")
    ):
        terbayar[bantuan_id] = jumlah
    belum: dict[int, datetime.date | None] = dict.fromkeys(terbayar)
    for bantuan_id, jatuh_tempo, kumulatif in (
        JadwalAngsuran.objects.filter(bantuan__in=bantuan_qs.values("pk"))
        .order_by("bantuan_id", "ke")
        .values_list("bantuan_id", "jatuh_tempo", "kumulatif")
    ):
        if belum[bantuan_id] is None and kumulatif > terbayar[bantuan_id]:
            belum[bantuan_id] = jatuh_tempo
    return {pk: (terbayar[pk], belum[pk]) for pk in terbayar}


def posisi_segarkan(bantuan_qs) -> int:
    """Store the position recomputed from the history on every Bantuan of bantuan_qs whose
    kept fields differ, and the generations of their klaster. For writers that bypass the
    services (the import of financing, test factories); returns how many rows changed."""
    hitung = posisi_dari_riwayat(bantuan_qs)
    ubah = []
    for b in Bantuan.objects.filter(pk__in=list(hitung)).only(
        "pk", "pokok_terbayar", "jatuh_tempo_belum_lunas"
    ):
        terbayar, belum = hitung[b.pk]
        if (b.pokok_terbayar, b.jatuh_tempo_belum_lunas) != (terbayar, belum):
            b.pokok_terbayar, b.jatuh_tempo_belum_lunas = terbayar, belum
            ubah.append(b)
    Bantuan.objects.bulk_update(ubah, ["pokok_terbayar", "jatuh_tempo_belum_lunas"], batch_size=500)
    klaster_ids = set(bantuan_qs.order_by().values_list("klaster_id", flat=True))
    if klaster_ids:
        generasi_segarkan(sorted(klaster_ids))
    return len(ubah)

"""Read side of group savings: balances as of a date (a member, a kelompok, many at
once) and the impact report's part per klaster."""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.db.models import Q, Sum

from tabungan.models import TransaksiTabungan, ekspresi_saldo

JENIS = TransaksiTabungan.Jenis
NOL = Decimal("0.00")


def _ringkas(qs) -> dict:
    r = qs.order_by().aggregate(
        setoran=Sum("jumlah", filter=Q(jenis=JENIS.SETORAN), default=NOL),
        penarikan=Sum("jumlah", filter=Q(jenis=JENIS.PENARIKAN), default=NOL),
    )
    r["saldo"] = r["setoran"] - r["penarikan"]
    return r


def saldo_mitra(mitra_id: int, per_tanggal: datetime.date | None = None) -> dict:
    """{setoran, penarikan, saldo} of one member as of the date (reversals netted): one
    query."""
    return _ringkas(TransaksiTabungan.objects.filter(mitra_id=mitra_id).per_tanggal(per_tanggal))


def saldo_kelompok(kelompok_id: int, per_tanggal: datetime.date | None = None) -> dict:
    """{setoran, penarikan, saldo} of a kelompok as of the date: one query."""
    return _ringkas(
        TransaksiTabungan.objects.filter(kelompok_id=kelompok_id).per_tanggal(per_tanggal)
    )


def saldo_per_mitra(kelompok_id: int, per_tanggal: datetime.date | None = None) -> dict:
    """{mitra id: balance} of the kelompok's savers as of the date: one query."""
    return dict(
        TransaksiTabungan.objects.filter(kelompok_id=kelompok_id)
        .per_tanggal(per_tanggal)
        .order_by()
        .values("mitra_id")
        .annotate(saldo=ekspresi_saldo())
        .values_list("mitra_id", "saldo")
    )


def saldo_per_kelompok(kelompok_ids, per_tanggal: datetime.date | None) -> dict[int, Decimal]:
    """{kelompok id: balance} as of the date: one query (the assessment reads it)."""
    ids = sorted(set(kelompok_ids))
    if not ids:
        return {}
    return dict(
        TransaksiTabungan.objects.filter(kelompok_id__in=ids)
        .per_tanggal(per_tanggal)
        .order_by()
        .values("kelompok_id")
        .annotate(saldo=ekspresi_saldo())
        .values_list("kelompok_id", "saldo")
    )


def riwayat_mitra(mitra_id: int, batas: int = 20) -> list[TransaksiTabungan]:
    """The member's latest entries, newest first, with whether each was reversed: one
    query."""
    return list(
        TransaksiTabungan.objects.filter(mitra_id=mitra_id)
        .select_related("koreksi")
        .order_by("-tanggal", "-pk")[:batas]
    )


# --- the impact report -------------------------------------------------------------------


def tabungan_per_klaster(s, klaster_ids) -> dict[int, dict]:
    """{klaster id: its part of the savings section} for the report `s` (laporan's
    Saringan: period dari..sampai, the report date, sector, kelompok, desa, gender): the
    deposits and withdrawals in the period, the balance on the report date, the savers
    and the kelompok with savings. Two queries for every klaster at once; numbers only
    (laporan/bagian.py caches the parts per klaster)."""
    ids = sorted(klaster_ids)
    hasil = {
        k: {"setoran": NOL, "penarikan": NOL, "saldo": NOL, "penabung": 0, "kelompok": 0}
        for k in ids
    }
    if not ids:
        return hasil
    qs = TransaksiTabungan.objects.filter(klaster_id__in=ids)
    if getattr(s, "sektor", ""):
        qs = qs.filter(mitra__sektor=s.sektor)
    if getattr(s, "kelompok_id", None):
        qs = qs.filter(kelompok_id=s.kelompok_id)
    if getattr(s, "desa_kode", ""):
        qs = qs.filter(mitra__desa_id=s.desa_kode)
    if getattr(s, "jenis_kelamin", ""):
        qs = qs.filter(mitra__jenis_kelamin=s.jenis_kelamin)
    periode = qs.filter(tanggal__lte=s.sampai)
    if s.dari:
        periode = periode.filter(tanggal__gte=s.dari)
    for r in (
        periode.order_by()
        .values("klaster_id")
        .annotate(
            setoran=Sum("jumlah", filter=Q(jenis=JENIS.SETORAN), default=NOL),
            penarikan=Sum("jumlah", filter=Q(jenis=JENIS.PENARIKAN), default=NOL),
        )
    ):
        hasil[r["klaster_id"]].update(setoran=r["setoran"], penarikan=r["penarikan"])
    # balances on the report date, per member: a saver is a member with a positive balance
    per_mitra = (
        qs.filter(tanggal__lte=s.tanggal_posisi)
        .order_by()
        .values("klaster_id", "kelompok_id", "mitra_id")
        .annotate(saldo=ekspresi_saldo())
    )
    mitra_saldo: dict = defaultdict(Decimal)
    kelompok_saldo: dict = defaultdict(Decimal)
    for r in per_mitra:
        hasil[r["klaster_id"]]["saldo"] += r["saldo"]
        mitra_saldo[(r["klaster_id"], r["mitra_id"])] += r["saldo"]
        kelompok_saldo[(r["klaster_id"], r["kelompok_id"])] += r["saldo"]
    for (k, _m), saldo in mitra_saldo.items():
        hasil[k]["penabung"] += saldo > 0
    for (k, _g), saldo in kelompok_saldo.items():
        hasil[k]["kelompok"] += saldo > 0
    return hasil


def jumlahkan_tabungan(parts: list[dict]) -> dict:
    """One part standing for several (gabung_tabungan gives the same from it)."""
    total = {"setoran": NOL, "penarikan": NOL, "saldo": NOL, "penabung": 0, "kelompok": 0}
    for p in parts:
        for k in total:
            total[k] += p[k]
    return total


def gabung_tabungan(parts: list[dict]) -> dict:
    """The savings section over the klaster's parts."""
    total = {"setoran": NOL, "penarikan": NOL, "saldo": NOL, "penabung": 0, "kelompok": 0}
    for p in parts:
        for k in total:
            total[k] += p[k]
    total["rerata_per_penabung"] = (
        (total["saldo"] / total["penabung"]).quantize(Decimal("1")) if total["penabung"] else None
    )
    return total

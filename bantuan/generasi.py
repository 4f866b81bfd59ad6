"""Revolving-fund generations: which money a loan was lent from. Pure, no database.

1 = lent from donors' money. A disbursement from the klaster's dana_bergulir takes the oldest
repaid money in the fund first (FIFO); its generation is one more than the highest
generation among the loans whose repayments it takes. Repayments of every revolving loan of
the klaster flow into its fund, whatever funded the loan; a reversal takes back the newest
money of its loan's generation.

Order of events in a klaster: by date; on one date donor-funded disbursements, then
repayments (by loan, then by entry), then disbursements from the fund (by loan). So a
loan's generation depends only on events dated on or before its disbursement: the
generation computed today holds for every date from its disbursement on.
"""

import datetime
from collections import deque
from collections.abc import Iterable
from decimal import Decimal


def jalan_generasi(
    pinjaman: Iterable[tuple[int, datetime.date, Decimal, bool]],
    bayar: Iterable[tuple[datetime.date, int, int, Decimal]],
) -> dict[int, int]:
    """The generation of every loan of ONE klaster: bantuan_id → n.

    pinjaman: (bantuan_id, tanggal_cair, jumlah, from the klaster's dana_bergulir?) of every
    disbursed Bantuan that is revolving capital or lent from the fund;
    bayar: (tanggal, bantuan_id, angsuran_id, jumlah) of the repayments of its revolving
    loans, reversals (negative) included.
    """
    # events as plain tuples (date, kind, bantuan_id, entry id, amount) sorted by their
    # natural order; the first four fields are unique, so the amount is never compared.
    # kind: -1 donor-funded loan, 0 money in, 1 money out of the fund after it on that date
    events = [
        (tanggal, 1 if dari_dana else -1, pk, 0, jumlah)
        for pk, tanggal, jumlah, dari_dana in pinjaman
    ]
    events += [(tanggal, 0, pk, angsuran_id, jumlah) for tanggal, pk, angsuran_id, jumlah in bayar]
    events.sort()
    generasi: dict[int, int] = {}
    antrian: deque = deque()  # [generation of the money's last borrower, amount]
    for _tanggal, jenis, pk, _id, jumlah in events:
        if jenis == -1:
            generasi[pk] = 1
        elif jenis == 0:
            gen = generasi.get(pk, 1)
            if jumlah >= 0:
                # next to money of the same generation: one piece (FIFO and the reversal
                # rule below see the same amounts in the same order)
                if antrian and antrian[-1][0] == gen:
                    antrian[-1][1] += jumlah
                else:
                    antrian.append([gen, jumlah])
            else:  # a reversal takes back the newest money of that generation
                sisa = -jumlah
                for potong in reversed(antrian):
                    if potong[0] == gen and sisa > 0:
                        ambil = min(potong[1], sisa)
                        potong[1] -= ambil
                        sisa -= ambil
        else:
            perlu, gen_maks = jumlah, 0
            while perlu > 0 and antrian:
                potong = antrian[0]
                ambil = min(potong[1], perlu)
                if ambil > 0:
                    gen_maks = max(gen_maks, potong[0])
                potong[1] -= ambil
                perlu -= ambil
                if potong[1] <= 0:
                    antrian.popleft()
            generasi[pk] = max(gen_maks, 1) + 1
    return generasi

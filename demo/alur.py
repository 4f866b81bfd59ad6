"""Planning the klaster: in this process, or in helper processes at scale.

The planner is pure Python and the database works on its own core, so at --skala N a pool
of helper processes plans (and, for PostgreSQL, already formats the COPY text of) the next
klaster while this process streams the previous ones into the database. Each klaster's ids
come from its own block (rencana.BLOK_ID) and its random stream from (seed, index), so the
result is the same whichever process plans it: determinism holds.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Iterator
from itertools import islice

from demo.rencana import Konteks, Nomor, rencanakan
from demo.teks_copy import teks_copy


def rencana_satu(konteks: Konteks, awal: dict[str, int], teks: bool) -> tuple:
    """(total disbursed, {tabel: rows}) of one klaster; with teks=True the rows come as
    (row count, COPY text), so the writer only has to send them."""
    rencana = rencanakan(konteks, Nomor(awal, konteks.indeks))
    baris = rencana.baris
    if teks:
        baris = {t: (len(rows), teks_copy(t, rows)) for t, rows in baris.items() if rows}
    return rencana.total_cair, baris


def rencana_berurutan(
    semua_konteks: list[Konteks], awal: dict[str, int], *, teks: bool
) -> Iterator[tuple]:
    for konteks in semua_konteks:
        yield rencana_satu(konteks, awal, teks)


def rencana_paralel(
    semua_konteks: list[Konteks], awal: dict[str, int], *, teks: bool
) -> Iterator[tuple]:
    """Like rencana_berurutan (same order, same values), computed by a process pool."""
    metode = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    proses = max(1, min(4, os.cpu_count() or 1))
    sisa = iter(semua_konteks)
    with multiprocessing.get_context(metode).Pool(proses) as pool:
        # at most two klaster per process planned ahead: memory stays bounded when the
        # database is slower than the planners
        antre = deque(
            pool.apply_async(rencana_satu, (k, awal, teks)) for k in islice(sisa, 2 * proses)
        )
        while antre:
            hasil = antre.popleft().get()
            berikut = next(sisa, None)
            if berikut is not None:
                antre.append(pool.apply_async(rencana_satu, (berikut, awal, teks)))
            yield hasil

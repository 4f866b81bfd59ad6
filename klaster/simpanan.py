"""Figures kept under the versions of the data they were computed from (klaster/versi.py).

An entry's key names the versions (and parameters) its figures come from, so an entry is
never stale and nothing is invalidated by hand: a write changes a version, and the next
reader computes under the new key. Entries live in the shared cache
(settings.CACHES["laporan"]: a database table by default, so they survive a restart and are
shared by every worker; Redis when configured), with a copy of the latest ones in this
process, as objects, in front of it (unpickling a national entry on every request cost tens
of milliseconds). The entries are read-only by contract: pages render them, nobody mutates
them. Used by the impact report and dashboard (laporan/bagian.py) and the portfolio page
(bantuan/selectors.py).
"""

import hashlib
import io
import logging
import pickle  # nosec B403: dumps our own figures for a digest, never loads
import threading
from collections import OrderedDict

from django.conf import settings
from django.core.cache import caches

log = logging.getLogger(__name__)

# the shape of the entries: changed with them, so that entries of an older release (in a
# shared cache that outlives a deployment) are never read
SKEMA = 8

_SALINAN: OrderedDict[str, object] = OrderedDict()
_salinan_kunci = threading.Lock()
# entries waiting for the end of this thread's request (simpan(..., setelah_jawaban=True)):
# None outside a request
_tertunda = threading.local()


def kunci(*bagian) -> str:
    """A key for the values given (their repr), namespaced and hashed."""
    teks = "|".join(repr(b) for b in (SKEMA, *bagian))
    return "laporan:" + hashlib.sha256(teks.encode()).hexdigest()[:40]


def sidik(nilai) -> str:
    """A digest of figures a page shows (the key of their rendered fragment, Django's
    {% cache %}): pickled without the memo ("fast" mode), so equal values give equal bytes
    whether or not they share objects (a klaster's part computed again shares fewer labels
    than one read back from the cache). The figures are trees, never recursive."""
    isi = io.BytesIO()
    pengawet = pickle.Pickler(isi, protocol=pickle.HIGHEST_PROTOCOL)
    pengawet.fast = True
    pengawet.dump(nilai)
    return hashlib.sha256(isi.getvalue()).hexdigest()


def kosongkan_salinan() -> None:
    """Forget this process's copies (tests roll back the versions they bumped)."""
    with _salinan_kunci:
        _SALINAN.clear()


def _salin(entri: dict) -> None:
    with _salinan_kunci:
        for k, v in entri.items():
            _SALINAN[k] = v
            _SALINAN.move_to_end(k)
        while len(_SALINAN) > settings.CACHE_LAPORAN_SALINAN:
            _SALINAN.popitem(last=False)


def ambil(kunci_list) -> dict:
    """The entries found, from this process's copy first, then the shared cache (whose
    hits are copied here)."""
    kunci_list = list(kunci_list)
    with _salinan_kunci:
        lokal = {k: _SALINAN[k] for k in kunci_list if k in _SALINAN}
    kurang = [k for k in kunci_list if k not in lokal]
    if kurang:
        bersama = caches["laporan"].get_many(kurang)
        if bersama:
            _salin(bersama)
            lokal.update(bersama)
    return lokal


def ambil_di_proses(kunci: str):
    """The entry under `kunci` in this process's copy, or None (the shared cache is not
    asked: for entries kept with simpan_di_proses)."""
    with _salinan_kunci:
        if kunci in _SALINAN:
            _SALINAN.move_to_end(kunci)
        return _SALINAN.get(kunci)


def simpan(entri: dict, *, setelah_jawaban: bool = False) -> None:
    """Keep entries in this process's copy and in the shared cache. With `setelah_jawaban`
    inside a request, the shared cache is written once the response has gone out (Django's
    request_finished, when the server closes the response): the person does not wait for
    the pickling and the write, and this process already has the entries. Outside a request
    (a command, a background task) it is written at once."""
    if not entri:
        return
    _salin(entri)
    antrean = getattr(_tertunda, "entri", None)
    if setelah_jawaban and antrean is not None:
        antrean.update(entri)
    else:
        caches["laporan"].set_many(entri)


def permintaan_mulai(**kwargs) -> None:
    """request_started: a new request has nothing waiting."""
    _tertunda.entri = {}


def permintaan_selesai(**kwargs) -> None:
    """request_finished: write what the request left for after its response. A failed
    write loses only cached figures (the next reader computes them), so it is logged and
    the response, already sent, is not disturbed."""
    entri, _tertunda.entri = getattr(_tertunda, "entri", None), None
    if not entri:
        return
    try:
        caches["laporan"].set_many(entri)
    except Exception:
        log.exception("shared cache write after the response failed (%d entries)", len(entri))


def simpan_di_proses(entri: dict) -> None:
    """Keep entries in this process's copy only: for what is cheaper to merge again from
    shared parts than to write to the shared cache (a national list of 20,000 rows took
    110 ms to pickle and 90 ms to write, its merge 30 ms)."""
    _salin(entri)

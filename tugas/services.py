"""Starting a background job and running it in the worker.

A higher app (laporan, impor) defines its own django-tasks task, which only calls
`jalankan(tugas_id, kerja)` with the function that does the work; its view calls
`tugas_mulai(...)`. The work function gets the job's row and a `Pelapor` to report rows
done, and returns a `Hasil` (the file) or raises `GagalTugas` with a reason the person can
act on. Everything else — the state, the language, the reason of an unexpected failure,
keeping the file for 24 hours — happens here, once for every kind of job.
"""

import hashlib
import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tugas.models import Tugas

logger = logging.getLogger(__name__)

# a job still waiting or running after this long is taken as dead (the worker stopped)
MACET = 6 * 60 * 60


def umur_berkas():
    return timezone.timedelta(hours=settings.TUGAS_UMUR_JAM)


@dataclass
class Hasil:
    """What a job leaves: a file to download and, optionally, figures for its page."""

    nama_berkas: str = ""
    isi: bytes | None = None
    jenis_konten: str = "application/octet-stream"
    hasil: dict = field(default_factory=dict)


class GagalTugas(Exception):  # noqa: N818 (the users' word: a failed job)
    """A failure with a reason the person can act on (Indonesian, translated), and
    optionally a file that explains it (an import's rejected rows)."""

    def __init__(self, alasan: str, hasil: Hasil | None = None):
        super().__init__(alasan)
        self.alasan = str(alasan)
        self.hasil = hasil


def _sidik(jenis: str, parameter: dict) -> str:
    teks = json.dumps([jenis, parameter], sort_keys=True, default=str)
    return hashlib.sha256(teks.encode()).hexdigest()


def tugas_mulai(*, pemilik, jenis: str, judul: str, parameter: dict, task) -> Tugas:
    """Record the job and put it in the queue. The same job asked again while the first is
    still waiting or running (a double click, a reload) is that first job."""
    sidik = _sidik(jenis, parameter)
    berjalan = (
        Tugas.objects.milik(pemilik)
        .filter(sidik=sidik, status__in=[Tugas.Status.MENUNGGU, Tugas.Status.BERJALAN])
        .first()
    )
    if berjalan is not None:
        return berjalan
    with transaction.atomic():
        tugas = Tugas.objects.create(
            pemilik=pemilik,
            jenis=jenis,
            judul=str(judul)[:200],
            parameter=parameter,
            sidik=sidik,
            bahasa=translation.get_language() or settings.LANGUAGE_CODE,
        )
        # the database backend writes the queue entry in this same transaction: the job
        # and its entry exist together or not at all
        hasil = task.enqueue(str(tugas.pk))
        tugas.id_antrean = str(hasil.id)[:64]
        tugas.save(update_fields=["id_antrean"])
    return tugas


class Pelapor:
    """Reports progress: rows done of a total, and the step in words. Written to the
    job's row at most every JEDA seconds (and always at the end of a step), so a job over
    300,000 rows costs a few hundred small UPDATEs, not 300,000."""

    JEDA = 0.5

    def __init__(self, tugas: Tugas):
        self.tugas = tugas
        self._terakhir = 0.0

    def __call__(self, selesai: int, total: int | None = None, tahap=None) -> None:
        t = self.tugas
        berubah = False
        if total is not None and total != t.baris_total:
            t.baris_total, berubah = max(0, int(total)), True
        if tahap is not None and str(tahap) != t.tahap:
            t.tahap, berubah = str(tahap)[:200], True
        t.baris_selesai = max(0, min(int(selesai), t.baris_total))
        sekarang = time.monotonic()
        akhir = t.baris_total and t.baris_selesai >= t.baris_total
        if not (berubah or akhir) and sekarang - self._terakhir < self.JEDA:
            return
        self._terakhir = sekarang
        Tugas.objects.filter(pk=t.pk).update(
            baris_selesai=t.baris_selesai, baris_total=t.baris_total, tahap=t.tahap
        )


def jalankan(tugas_id: str, kerja: Callable[[Tugas, Pelapor], Hasil]) -> str:
    """Run a job in the worker, in its owner's language; returns its final state."""
    tugas = Tugas.objects.select_related("pemilik").filter(pk=tugas_id).first()
    if tugas is None:
        return "hilang"
    # only a waiting job starts: a queue entry delivered twice runs the work once
    if not Tugas.objects.filter(pk=tugas.pk, status=Tugas.Status.MENUNGGU).update(
        status=Tugas.Status.BERJALAN, mulai=timezone.now()
    ):
        return Tugas.objects.get(pk=tugas.pk).status
    tugas.status = Tugas.Status.BERJALAN
    with translation.override(tugas.bahasa):
        try:
            hasil = kerja(tugas, Pelapor(tugas))
        except GagalTugas as e:
            _akhiri(tugas, Tugas.Status.GAGAL, e.hasil, alasan=e.alasan)
        except ValidationError as e:
            _akhiri(tugas, Tugas.Status.GAGAL, None, alasan=" ".join(e.messages))
        except (PermissionDenied, Http404):
            alasan = _(
                "Anda tidak lagi berhak atas data ini: penugasan atau peran Anda berubah sejak "
                "pekerjaan ini diminta. Minta admin memeriksa penugasan Anda, lalu coba lagi."
            )
            _akhiri(tugas, Tugas.Status.GAGAL, None, alasan=alasan)
        except Exception as e:
            logger.exception("background job %s (%s) failed", tugas.pk, tugas.jenis)
            alasan = _(
                "Terjadi galat tak terduga saat mengerjakan ini (%(galat)s). Coba sekali lagi; "
                "bila terulang, sampaikan kode pekerjaan %(kode)s kepada admin."
            ) % {"galat": type(e).__name__, "kode": tugas.pk}
            _akhiri(tugas, Tugas.Status.GAGAL, None, alasan=alasan)
        else:
            _akhiri(tugas, Tugas.Status.SELESAI, hasil)
    return tugas.status


def _akhiri(tugas: Tugas, status: str, hasil: Hasil | None, *, alasan: str = "") -> None:
    sekarang = timezone.now()
    tugas.status = status
    tugas.alasan_gagal = alasan
    tugas.selesai = sekarang
    tugas.kedaluwarsa = sekarang + umur_berkas()
    if status == Tugas.Status.SELESAI:
        tugas.baris_selesai = tugas.baris_total
        tugas.tahap = ""
    if hasil is not None:
        tugas.hasil = hasil.hasil
        if hasil.isi is not None:
            # stored under the job's random id; the person's file name is given at download
            akhiran = PurePosixPath(hasil.nama_berkas).suffix[:10]
            tugas.berkas.save(f"{tugas.pk}{akhiran}", ContentFile(hasil.isi), save=False)
            tugas.nama_berkas = hasil.nama_berkas[:200]
            tugas.jenis_konten = hasil.jenis_konten[:100]
    tugas.save()


def bersihkan(*, sekarang=None) -> dict:
    """Delete the files whose 24 hours are over, fail the jobs a dead worker left behind,
    and forget the jobs older than TUGAS_SIMPAN_HARI. Returns the counts."""
    sekarang = sekarang or timezone.now()
    hitung = {"berkas_dihapus": 0, "macet": 0, "dihapus": 0}
    for t in Tugas.objects.filter(kedaluwarsa__lte=sekarang).exclude(berkas=""):
        t.berkas.delete(save=False)
        Tugas.objects.filter(pk=t.pk).update(berkas="")
        hitung["berkas_dihapus"] += 1
    batas_macet = sekarang - timezone.timedelta(seconds=MACET)
    for t in Tugas.objects.filter(
        status__in=[Tugas.Status.MENUNGGU, Tugas.Status.BERJALAN], dibuat__lt=batas_macet
    ):
        with translation.override(t.bahasa):
            alasan = _(
                "Pekerjaan ini tidak selesai dalam %(jam)d jam: pekerja latar mungkin berhenti. "
                "Mulai lagi dari halaman asalnya."
            ) % {"jam": MACET // 3600}
        Tugas.objects.filter(pk=t.pk, status=t.status).update(
            status=Tugas.Status.GAGAL,
            alasan_gagal=alasan,
            selesai=sekarang,
            kedaluwarsa=sekarang,
        )
        hitung["macet"] += 1
    lama = sekarang - timezone.timedelta(days=settings.TUGAS_SIMPAN_HARI)
    for t in Tugas.objects.filter(dibuat__lt=lama).exclude(berkas=""):
        t.berkas.delete(save=False)
    hitung["dihapus"], _per_model = Tugas.objects.filter(dibuat__lt=lama).delete()
    return hitung

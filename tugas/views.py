"""A background job's page, its status (JSON, polled by the page) and its file.

Every view looks the job up among the signed-in person's own (Tugas.objects.milik): anyone
else's job, an unknown id and a file whose 24 hours are over are all a 404.
"""

import datetime
from urllib.parse import quote

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from tugas.models import Tugas

DAFTAR_MAKS = 50


def _tugas_atau_404(request, pk) -> Tugas:
    return get_object_or_404(Tugas.objects.milik(request.user), pk=pk)


# a job still waiting after this long: the page says the worker may not be running
MENUNGGU_LAMA = datetime.timedelta(seconds=30)


def _tahap(tugas: Tugas, sekarang) -> str:
    if tugas.status == Tugas.Status.MENUNGGU and sekarang - tugas.dibuat > MENUNGGU_LAMA:
        return _(
            "belum dimulai setelah %(detik)d detik: pekerjaan lain mungkin masih antre, atau "
            "pekerja latar tidak berjalan (beri tahu admin bila tetap begini)"
        ) % {"detik": (sekarang - tugas.dibuat).total_seconds()}
    return tugas.tahap


def status_json(tugas: Tugas, sekarang=None) -> dict:
    sekarang = sekarang or timezone.now()
    return {
        "status": tugas.status,
        "label": str(tugas.get_status_display()),
        "tahap": _tahap(tugas, sekarang),
        "persen": tugas.persen,
        "baris_selesai": tugas.baris_selesai,
        "baris_total": tugas.baris_total,
        "berakhir": tugas.sudah_berakhir,
        "alasan": tugas.alasan_gagal,
        "unduh": reverse("tugas:unduh", args=[tugas.pk]) if tugas.boleh_diunduh(sekarang) else None,
    }


@login_required
@require_GET
@never_cache
def detail(request, pk):
    """The job's page: a progress bar the script moves by polling `status`; without a
    script the page reloads itself (meta refresh) until the job has ended."""
    tugas = _tugas_atau_404(request, pk)
    sekarang = timezone.now()
    return render(
        request,
        "tugas/detail.html",
        {
            "tugas": tugas,
            "status": status_json(tugas, sekarang),
            "kedaluwarsa": tugas.kedaluwarsa_pada(sekarang),
        },
    )


@login_required
@require_GET
@never_cache
def status(request, pk):
    """Small and cheap, asked every second while the page is open: session, user, the job."""
    return JsonResponse(status_json(_tugas_atau_404(request, pk)))


@login_required
@require_GET
@never_cache
def unduh(request, pk):
    tugas = _tugas_atau_404(request, pk)
    if not tugas.boleh_diunduh():
        raise Http404
    nama = tugas.nama_berkas or tugas.berkas.name.rsplit("/", 1)[-1]
    jenis = tugas.jenis_konten or "application/octet-stream"
    # behind nginx or Apache the proxy sends the file, after this check (as visit photos)
    if settings.MEDIA_ACCEL_REDIRECT or settings.MEDIA_X_SENDFILE:
        response = HttpResponse(content_type=jenis)
        if settings.MEDIA_ACCEL_REDIRECT:
            response["X-Accel-Redirect"] = settings.MEDIA_ACCEL_REDIRECT + quote(tugas.berkas.name)
        else:
            response["X-Sendfile"] = tugas.berkas.path
        response["Content-Disposition"] = content_disposition_header(True, nama)
        return response
    try:
        berkas = tugas.berkas.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(berkas, as_attachment=True, filename=nama, content_type=jenis)


@login_required
@require_GET
@never_cache
def daftar(request):
    """The person's jobs of the last days, newest first: where a file asked for earlier is
    found again."""
    sekarang = timezone.now()
    tugas_list = list(Tugas.objects.milik(request.user).order_by("-dibuat")[:DAFTAR_MAKS])
    for t in tugas_list:
        t.bisa_diunduh = t.boleh_diunduh(sekarang)
    return render(request, "tugas/daftar.html", {"tugas_list": tugas_list})


def halaman_mulai(request, *, judul: str, keterangan: str, baris: int, status: int = 200):
    """The page a large export's link opens: it says why the file is made in the background
    and starts it with a POST to the same URL (a GET never starts work)."""
    return render(
        request,
        "tugas/mulai.html",
        {"judul": judul, "keterangan": keterangan, "baris": baris, "aksi": request.get_full_path()},
        status=status,
    )

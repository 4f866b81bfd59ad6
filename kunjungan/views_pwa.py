"""The offline layer (issue 9): web app manifest, service worker, offline page, a fresh
CSRF token for the offline queue, and a sign-out that wipes the device's copies.

The service worker must be served from the site root so that its scope covers every page;
a file under /static/ could only control /static/. Its source stays a plain static file
(static/js/sw.js); this view prepends a small config line with the URLs of the app shell
as the static storage names them (hashed file names in production), so a new deploy
changes the bytes of /sw.js and the browser installs the new worker.
"""

import hashlib
import json
from functools import lru_cache

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.staticfiles import finders
from django.http import Http404, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

# The app shell: what every page needs to look right offline.
SHELL_STATIC = (
    "bootstrap/css/bootstrap.min.css",
    "bootstrap/js/bootstrap.bundle.min.js",
    "css/app.css",
    "css/kunjungan.css",
    "js/kunjungan.js",
    "js/antrian.js",
    "js/app.js",
    "pwa/ikon-192.png",
    "pwa/ikon-512.png",
)


@lru_cache(maxsize=4)
def _sumber_sw(path: str, mtime: float) -> str:
    with open(path, encoding="utf-8") as f:
        return f.read()


def _isi_sw() -> str:
    import os

    path = finders.find("js/sw.js")
    if not path:
        raise Http404
    sumber = _sumber_sw(path, os.path.getmtime(path))
    config = {
        "shell": [static(p) for p in SHELL_STATIC] + [reverse("pwa_offline")],
        "offline": reverse("pwa_offline"),
        "antrian": static("js/antrian.js"),
        "static": settings.STATIC_URL,
        "rapat": reverse("kunjungan:baru"),
        "csrf": reverse("pwa_csrf"),
        # pages never kept on the device: sign-in, admin, files for managers
        "jangan": ["/akun/", "/admin/", "/impor/", "/tugas/", "/sw.js", "/sehat/"],
    }
    konfig = json.dumps(config, sort_keys=True)
    versi = hashlib.sha256((konfig + sumber).encode()).hexdigest()[:12]
    config["versi"] = versi
    return f"self.KM = {json.dumps(config, sort_keys=True)};\n{sumber}"


@require_GET
def service_worker(request):
    response = HttpResponse(_isi_sw(), content_type="application/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    # always revalidated: a stale worker would keep serving old pages after a deploy
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def manifest(request):
    data = {
        "name": _("Klaster Mandiri"),
        "short_name": _("Klaster"),
        "description": _("Pendampingan kelompok usaha: kunjungan, angsuran, laporan dampak."),
        "lang": "id",
        "start_url": reverse("klaster:beranda"),
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#198754",
        "icons": [
            {"src": static("pwa/ikon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("pwa/ikon-512.png"), "sizes": "512x512", "type": "image/png"},
            {
                "src": static("pwa/ikon-maskable-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
        ],
    }
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/manifest+json"
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def offline(request):
    """The page the service worker shows for a page it has no copy of."""
    return render(request, "pwa/offline.html")


@never_cache
@require_GET
def csrf(request):
    """A current CSRF token for the offline queue: the token in a page kept on the device
    goes stale when signing in rotates it."""
    return JsonResponse({"token": get_token(request)})


class KeluarView(auth_views.LogoutView):
    """Sign out, and tell the browser to drop this site's caches and storage (the pages
    kept for offline use and the queue of visits hold members' personal data)."""

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        response["Clear-Site-Data"] = '"cache", "storage"'
        return response

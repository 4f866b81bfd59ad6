"""Account-level responses: the CSRF failure page and the lockout page."""

from django.conf import settings
from django.shortcuts import render
from django.utils.translation import gettext as _


def galat_csrf(request, reason=""):
    """A form sent without a valid CSRF token (often: the page was open too long)."""
    return render(
        request,
        "galat/403.html",
        {"pesan": _("Formulir ini sudah kedaluwarsa. Muat ulang halaman lalu kirim lagi.")},
        status=403,
    )


def respons_terkunci(request, original_response=None, credentials=None):
    """django-axes' lockout response (AXES_LOCKOUT_CALLABLE): an Indonesian page, 429."""
    menit = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(
        request,
        "akun/terkunci.html",
        {"batas_gagal": settings.AXES_FAILURE_LIMIT, "menit_kunci": menit},
        status=429,
    )

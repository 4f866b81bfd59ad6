"""Account-level responses: the CSRF failure page, the lockout page, the language switcher."""

from django.conf import settings
from django.http import HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from klaster import bahasa as bahasa_ui


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


@require_POST
def ganti_bahasa(request):
    """The language switcher (navbar, login page, admin): the language cookie for everyone,
    and the stored choice of a signed-in user (klaster/bahasa.py). Back to the page it was
    pressed on."""
    kode = bahasa_ui.bahasa_sah(request.POST.get("bahasa"))
    if kode is None:
        return HttpResponseBadRequest(_("Pilih Bahasa Indonesia atau English."))
    if request.user.is_authenticated:
        bahasa_ui.preferensi_bahasa_simpan(pengguna=request.user, bahasa=kode)
    tujuan = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        tujuan, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        tujuan = reverse("klaster:beranda" if request.user.is_authenticated else "akun:masuk")
    response = HttpResponseRedirect(tujuan)
    bahasa_ui.pasang_cookie(response, kode)
    return response

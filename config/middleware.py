"""Small middleware of our own: security headers and the forced password change."""

import time

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import gettext as _

from klaster import bahasa as bahasa_ui
from klaster import replika, sesi
from klaster.sandi import harus_ganti_sandi


class SesiBergulirMiddleware:
    """The idle timeout without a database write on every request.

    SESSION_COOKIE_AGE counts from the session's last save. Saving on every request
    (SESSION_SAVE_EVERY_REQUEST) costs an UPDATE and a transaction per page; here a session
    that was read is saved again only when its last save is older than
    settings.SESI_SEGARKAN_DETIK, so the clock still restarts with activity, to within that
    many seconds. Sits right after SessionMiddleware; a session nobody read is not loaded.
    """

    KUNCI = sesi.KUNCI_DISEGARKAN

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        data = getattr(request, "session", None)
        if data is None or not data.accessed or data.modified or data.is_empty():
            return response
        sekarang = int(time.time())
        if sekarang - data.get(self.KUNCI, 0) >= settings.SESI_SEGARKAN_DETIK:
            data[self.KUNCI] = sekarang  # modified: SessionMiddleware saves it, new expiry
        return response


class ReplikaMiddleware:
    """Each request's read state for the replica router (klaster/replika.py).

    A request that carries the cookie replika.COOKIE reads the primary everywhere; a request
    that wrote sets that cookie for settings.REPLIKA_JEDA_DETIK seconds, so the pages its
    user opens next (a list after a save, the report after a visit) do not read a replica
    that has not caught up yet. Without a replica configured it only keeps the state.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with replika.permintaan(primer=replika.COOKIE in request.COOKIES) as keadaan:
            response = self.get_response(request)
        if keadaan.menulis and replika.ada_replika():
            response.set_cookie(
                replika.COOKIE,
                "1",
                max_age=settings.REPLIKA_JEDA_DETIK,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response


class BahasaMiddleware:
    """The interface language of each request (klaster/bahasa.py): the language cookie or
    Indonesian. Django's LocaleMiddleware would also follow the browser's Accept-Language;
    here the default stays Indonesian until someone picks English with the switcher. After a
    sign-in the user's stored choice is written into the cookie of that response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        kode = bahasa_ui.bahasa_permintaan(request)
        request.LANGUAGE_CODE = kode
        # for this request only: the thread goes back to the language it had (a test that
        # runs after an English page, a management command in the same process)
        with translation.override(kode):
            response = self.get_response(request)
            response.headers.setdefault("Content-Language", translation.get_language())
        baru = getattr(request, bahasa_ui.ATRIBUT_BAHASA_BARU, None)
        if baru and baru != request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME):
            bahasa_ui.pasang_cookie(response, baru)
        # the same URL reads differently in the other language
        patch_vary_headers(response, ["Cookie"])
        return response


class TanpaCacheBersamaMiddleware:
    """`Cache-Control: private, no-store` on every response to a signed-in user.

    Pages and files for signed-in users carry personal data (a mitra's full NIK, phone
    numbers, loans); no proxy or browser cache may keep them. Marking every authenticated
    response is simpler and safer than remembering it per page. A view that already says
    `private` has chosen its browser caching itself and is left as it is (the report's
    charts: aggregate figures, five minutes; a visit photo). Anonymous responses (the login
    page, static files, the liveness probe) are left alone; the check reads the user that
    the view has loaded already, or the session when the view did not.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return response
        sudah = {
            d.strip().split("=")[0].lower() for d in response.get("Cache-Control", "").split(",")
        }
        if "private" not in sudah:
            patch_cache_control(response, private=True, no_store=True)
        return response


class PermissionsPolicyMiddleware:
    """Send Permissions-Policy from settings.PERMISSIONS_POLICY (feature → allowlist)."""

    def __init__(self, get_response):
        self.get_response = get_response
        kebijakan = getattr(settings, "PERMISSIONS_POLICY", {})
        self.header = ", ".join(f"{fitur}={izin}" for fitur, izin in kebijakan.items())

    def __call__(self, request):
        response = self.get_response(request)
        if self.header and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = self.header
        return response


class WajibGantiSandiMiddleware:
    """A user whose password was set by the admin may only change it or sign out.

    See klaster/sandi.py for how the flag is set and lifted. Anonymous requests cost
    nothing here (no session, no query); signed-in ones read the group names that the role
    checks load anyway.
    """

    NAMA_URL_BEBAS = ("akun:kata_sandi", "akun:kata_sandi_selesai", "akun:keluar", "akun:masuk")
    # the offline layer's files: a redirect would break the service worker's registration
    NAMA_URL_BEBAS_OPSIONAL = ("pwa_sw", "pwa_manifest", "pwa_offline", "pwa_csrf")

    def __init__(self, get_response):
        self.get_response = get_response
        self._jalur_bebas = None

    def jalur_bebas(self) -> set[str]:
        if self._jalur_bebas is None:
            jalur = {reverse(nama) for nama in self.NAMA_URL_BEBAS}
            for nama in self.NAMA_URL_BEBAS_OPSIONAL:
                try:
                    jalur.add(reverse(nama))
                except NoReverseMatch:
                    pass
            self._jalur_bebas = jalur
        return self._jalur_bebas

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and request.path_info not in self.jalur_bebas()
            and not request.path_info.startswith(settings.STATIC_URL)
            and harus_ganti_sandi(user)
        ):
            messages.warning(
                request,
                _(
                    "Kata sandi Anda dibuat oleh admin. Buat kata sandi baru yang hanya Anda "
                    "ketahui sebelum melanjutkan."
                ),
            )
            return redirect("akun:kata_sandi")
        return self.get_response(request)


def ip_klien(request) -> str:
    """The client's address for the login lockout (AXES_CLIENT_IP_CALLABLE).

    Only a header named in settings.CLIENT_IP_HEADER is trusted, and only because the proxy
    in front of us overwrites it; a client-supplied X-Forwarded-For is never read otherwise.
    """
    nama = settings.CLIENT_IP_HEADER
    if nama and request.META.get(nama):
        return request.META[nama].split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")

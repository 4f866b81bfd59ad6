"""Authentication by personal API token: `Authorization: Token km_…` (or `Bearer km_…`)."""

from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from api import services

SKEMA = ("token", "bearer")


class TokenApiAuthentication(authentication.BaseAuthentication):
    """A request with no Authorization header is left to the next class (the session);
    one with a header that names a wrong, revoked or malformed token is refused (401),
    never silently treated as anonymous."""

    def authenticate(self, request):
        bagian = authentication.get_authorization_header(request).split()
        if not bagian or bagian[0].decode("latin-1").lower() not in SKEMA:
            return None
        if len(bagian) != 2:
            raise exceptions.AuthenticationFailed(
                _("Header Authorization harus berbentuk “Token <kunci>”, tanpa spasi lain.")
            )
        try:
            kunci = bagian[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("Token API tidak dikenal.")) from None
        token = services.token_cari(kunci)
        if token is None:
            raise exceptions.AuthenticationFailed(
                _("Token API tidak dikenal atau sudah dicabut. Buat token baru di halaman akun.")
            )
        services.token_catat_pemakaian(token)
        return token.pengguna, token

    def authenticate_header(self, request):
        return "Token"


class SkemaTokenApi(OpenApiAuthenticationExtension):
    target_class = "api.autentikasi.TokenApiAuthentication"
    name = "tokenApi"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": _(
                "Token pribadi dari halaman akun (Akun → Token API), dikirim sebagai "
                "“Authorization: Token km_…”."
            ),
        }

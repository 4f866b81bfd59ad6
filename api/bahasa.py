"""The language of an API answer: the client's Accept-Language, Indonesian or English.

The web pages follow the language cookie set by the switcher (klaster/bahasa.py); an
integration has no cookie to remember a choice in, so the API reads the header on every
request. DRF's own messages come translated with DRF; ours, and the services' messages,
through gettext from the project's catalogue (locale/en, `make messages`).
"""

from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation.trans_real import parse_accept_lang_header

BAHASA_API = ("id", "en")


def bahasa_diminta(request) -> str | None:
    """The first of BAHASA_API the client accepts, by its q-values; None without a header
    that names one (the site's language then)."""
    for kode, _q in parse_accept_lang_header(request.META.get("HTTP_ACCEPT_LANGUAGE", "")):
        utama = kode.lower().split("-")[0]
        if utama in BAHASA_API:
            return utama
    return None


class BahasaApiMixin:
    """For APIView subclasses: the whole request (authentication, rules, messages and the
    rendered body) in the language the client asked for."""

    def dispatch(self, request, *args, **kwargs):
        bahasa = bahasa_diminta(request)
        if bahasa is None:
            return super().dispatch(request, *args, **kwargs)
        with translation.override(bahasa):
            response = super().dispatch(request, *args, **kwargs)
            # DRF renders after the view returns, outside this block: render here
            if hasattr(response, "render") and not getattr(response, "is_rendered", True):
                response.render()
        response["Content-Language"] = bahasa
        patch_vary_headers(response, ["Accept-Language"])
        return response

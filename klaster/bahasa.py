"""The interface language: Bahasa Indonesia (the default) or English.

One rule for every page: the language cookie (settings.LANGUAGE_COOKIE_NAME) when it names
one of settings.LANGUAGES, else settings.LANGUAGE_CODE. The browser's Accept-Language is
deliberately not read: the programme's staff work in Indonesian whatever their browser says,
and a donor switches once. The switcher (akun:bahasa) sets the cookie and, for a signed-in
user, stores the choice (PreferensiBahasa); signing in puts the stored choice back into the
cookie, so the choice follows the user to another device. The REST API reads the client's
Accept-Language instead (api/bahasa.py).
"""

from django.conf import settings

from klaster.models import PreferensiBahasa

# set on the request by the sign-in signal; config.middleware.BahasaMiddleware writes it
# into the cookie of that response
ATRIBUT_BAHASA_BARU = "_bahasa_baru"


def bahasa_sah(kode) -> str | None:
    """`kode` when it is one of the interface languages, else None."""
    return kode if kode in dict(settings.LANGUAGES) else None


def bahasa_permintaan(request) -> str:
    """The language a page is rendered in: no query, no session read."""
    baru = getattr(request, ATRIBUT_BAHASA_BARU, None)
    if baru:
        return baru
    return bahasa_sah(request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)) or settings.LANGUAGE_CODE


def pasang_cookie(response, bahasa: str) -> None:
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        bahasa,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


def preferensi_bahasa_simpan(*, pengguna, bahasa: str) -> PreferensiBahasa:
    """Store a user's interface language (the switcher's write)."""
    if not bahasa_sah(bahasa):
        raise ValueError(bahasa)
    pref, _baru = PreferensiBahasa.objects.update_or_create(
        pengguna=pengguna, defaults={"bahasa": bahasa}
    )
    return pref


def terapkan_saat_masuk(sender, request, user, **kwargs):
    """user_logged_in: the user's stored language becomes this browser's (one query).
    Without a stored choice the browser keeps the language picked on the login page."""
    if request is None:
        return
    bahasa = PreferensiBahasa.objects.filter(pengguna=user).values_list("bahasa", flat=True).first()
    if bahasa_sah(bahasa):
        setattr(request, ATRIBUT_BAHASA_BARU, bahasa)

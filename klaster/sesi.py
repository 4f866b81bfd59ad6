"""The session's idle clock: the key that config.middleware.SesiBergulirMiddleware keeps
fresh, and the sign-in that starts it."""

import time

KUNCI_DISEGARKAN = "_disegarkan"


def tandai_sesi_segar(sender, request, user, **kwargs):
    """user_logged_in: signing in saves the session anyway; count the clock from there."""
    if getattr(request, "session", None) is not None:
        request.session[KUNCI_DISEGARKAN] = int(time.time())

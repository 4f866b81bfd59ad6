"""Rate limiting per token (DRF throttling)."""

from django.conf import settings
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from api.models import TokenApi


class BatasPerToken(SimpleRateThrottle):
    """API_RATE per token; a browser session counts per user, a request with neither per
    address (API_RATE_ANONIM). Two tokens of one person are two budgets: each integration
    gets its own."""

    def __init__(self):
        # the scope (and so the rate) is chosen per request, in allow_request
        pass

    def get_rate(self):
        # read at each request, not frozen at import, so settings (and tests) can change it
        return api_settings.DEFAULT_THROTTLE_RATES[self.scope]

    def allow_request(self, request, view):
        self.scope = "token" if request.user.is_authenticated else "anonim"
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_ident(self, request):
        """The client's address as the login lockout reads it (config.middleware.ip_klien,
        a layer above this app): REMOTE_ADDR, or the header the proxy in front overwrites
        (CLIENT_IP_HEADER). DRF's own would believe a client's X-Forwarded-For."""
        nama = settings.CLIENT_IP_HEADER
        if nama and request.META.get(nama):
            return request.META[nama].split(",")[-1].strip()
        return request.META.get("REMOTE_ADDR", "")

    def get_cache_key(self, request, view):
        if isinstance(request.auth, TokenApi):
            ident = f"token:{request.auth.pk}"
        elif request.user.is_authenticated:
            ident = f"pengguna:{request.user.pk}"
        else:
            ident = f"alamat:{self.get_ident(request)}"
        return self.cache_format % {"scope": "api", "ident": ident}

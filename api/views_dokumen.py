"""The OpenAPI 3 schema and its two readers, Swagger UI and Redoc, served by the app from
the drf-spectacular-sidecar package: the pages load nothing from another site, so they work
offline and under the app's Content-Security-Policy. Public, like the schema: they describe
the API and hold no data."""

from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.utils.decorators import method_decorator
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)

from api.bahasa import BahasaApiMixin

# Both readers style their widgets from script at run time (React style attributes, Redoc's
# styled-components); their scripts stay files of our own origin (script-src 'self').
# Redoc runs its search in a worker made from a blob: URL.
_GAYA_SKRIP = csp_update({"style-src": [UNSAFE_INLINE]})
_GAYA_SKRIP_WORKER = csp_update({"style-src": [UNSAFE_INLINE], "worker-src": ["blob:"]})


class SkemaView(BahasaApiMixin, SpectacularAPIView):
    pass


@method_decorator(_GAYA_SKRIP, name="dispatch")
class SwaggerView(BahasaApiMixin, SpectacularSwaggerSplitView):
    # the page and its start-up script as two files: no inline script (CSP)
    template_name = "api/swagger_ui.html"
    url_name = "api:skema"


@method_decorator(_GAYA_SKRIP_WORKER, name="dispatch")
class RedocView(BahasaApiMixin, SpectacularRedocView):
    template_name = "api/redoc.html"
    url_name = "api:skema"

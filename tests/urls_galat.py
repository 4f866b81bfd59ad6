"""A URLconf whose views fail on purpose, to see the error pages as a visitor would."""

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import Http404
from django.urls import path

from klaster import views


def _400(request):
    raise SuspiciousOperation("rahasia-internal-400")


def _403(request):
    raise PermissionDenied("rahasia-internal-403")


def _404(request):
    raise Http404("rahasia-internal-404")


def _500(request):
    raise RuntimeError("rahasia-internal-500 SECRET_KEY DATABASES")


urlpatterns = [
    path("galat/400/", _400),
    path("galat/403/", _403),
    path("galat/404/", _404),
    path("galat/500/", _500),
]

handler400 = views.galat_400
handler403 = views.galat_403
handler404 = views.galat_404
handler500 = views.galat_500

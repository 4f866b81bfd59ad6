from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = _("API")

    def ready(self):
        # drf-spectacular finds the token scheme through this registration
        from api import autentikasi  # noqa: F401

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KelompokConfig(AppConfig):
    name = "kelompok"
    verbose_name = _("Kelompok")

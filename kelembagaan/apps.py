from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KelembagaanConfig(AppConfig):
    name = "kelembagaan"
    verbose_name = _("Kelembagaan")

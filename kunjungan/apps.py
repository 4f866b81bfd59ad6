from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KunjunganConfig(AppConfig):
    name = "kunjungan"
    verbose_name = _("Kunjungan lapangan")

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BantuanConfig(AppConfig):
    name = "bantuan"
    verbose_name = _("Bantuan")

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TabunganConfig(AppConfig):
    name = "tabungan"
    verbose_name = _("Tabungan kelompok")

    def ready(self):
        from tabungan import sinyal

        sinyal.hubungkan()

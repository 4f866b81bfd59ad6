from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LaporanConfig(AppConfig):
    name = "laporan"
    verbose_name = _("Laporan")

    def ready(self):
        from laporan import sinyal

        sinyal.hubungkan()

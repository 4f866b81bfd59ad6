from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgramConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "program"
    verbose_name = _("Program: kegiatan, jejaring, survei")

    def ready(self):
        from program import sinyal

        sinyal.hubungkan()

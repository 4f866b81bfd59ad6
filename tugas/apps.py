from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TugasConfig(AppConfig):
    name = "tugas"
    verbose_name = _("Pekerjaan latar")

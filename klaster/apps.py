from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KlasterConfig(AppConfig):
    name = "klaster"
    verbose_name = _("Program klaster")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in
        from django.core.signals import request_finished, request_started

        from klaster import simpanan
        from klaster.bahasa import terapkan_saat_masuk
        from klaster.sesi import tandai_sesi_segar

        user_logged_in.connect(tandai_sesi_segar, dispatch_uid="klaster_sesi_segar")
        user_logged_in.connect(terapkan_saat_masuk, dispatch_uid="klaster_bahasa_masuk")
        # cached figures written to the shared cache after the response (klaster/simpanan.py)
        request_started.connect(simpanan.permintaan_mulai, dispatch_uid="klaster_simpan_mulai")
        request_finished.connect(simpanan.permintaan_selesai, dispatch_uid="klaster_simpan_akhir")

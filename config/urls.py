from django.contrib import admin
from django.urls import include, path

from config.admin_aman import amankan
from klaster import views, views_sehat
from kunjungan import views_pwa

# every admin class registered by now (ours, django-axes', auth's): odd query values in a
# changelist or an export are refused, not a server error
amankan(admin.site)

urlpatterns = [
    # home pages and klaster pages keep the "klaster" URL namespace; laporan serves them
    path("", include("laporan.urls_beranda")),
    path("akun/", include("config.urls_akun")),
    path("mitra/", include("mitra.urls")),
    path("kelompok/", include("kelompok.urls")),
    path("bantuan/", include("bantuan.urls")),
    path("tabungan/", include("tabungan.urls")),
    path("kunjungan/", include("kunjungan.urls")),
    path("program/", include("program.urls")),
    path("kelembagaan/", include("kelembagaan.urls")),
    path("laporan/", include("laporan.urls")),
    path("impor/", include("impor.urls")),
    # background jobs: their progress and files, for their owner only
    path("tugas/", include("tugas.urls")),
    # REST API, its OpenAPI schema and docs, the KoboToolbox bridge (api/README.md)
    path("api/", include("api.urls")),
    path("admin/", admin.site.urls),
    # liveness probe and the benchmark's baseline: no login, no database
    path("sehat/", views_sehat.sehat, name="sehat"),
    # offline layer: the service worker must sit at the root to control every page
    path("sw.js", views_pwa.service_worker, name="pwa_sw"),
    path("manifest.webmanifest", views_pwa.manifest, name="pwa_manifest"),
    path("luring/", views_pwa.offline, name="pwa_offline"),
    path("akun/csrf/", views_pwa.csrf, name="pwa_csrf"),
]

# No MEDIA_URL route, not even in DEBUG: uploaded visit photos are personal data, served only
# through kunjungan:foto after the visit's scope check.

handler400 = views.galat_400
handler403 = views.galat_403
handler404 = views.galat_404
handler500 = views.galat_500

from django.urls import path
from rest_framework.routers import SimpleRouter

from api import views, views_dokumen, views_kobo

app_name = "api"

router = SimpleRouter()
router.register("klaster", views.KlasterViewSet, basename="klaster")
router.register("kelompok", views.KelompokViewSet, basename="kelompok")
router.register("mitra", views.MitraViewSet, basename="mitra")
router.register("bantuan", views.BantuanViewSet, basename="bantuan")
router.register("angsuran", views.AngsuranViewSet, basename="angsuran")
router.register("kunjungan", views.KunjunganViewSet, basename="kunjungan")
router.register("pengukuran", views.PengukuranViewSet, basename="pengukuran")

urlpatterns = [
    *router.urls,
    path("laporan/dampak/", views.LaporanDampakView.as_view(), name="laporan_dampak"),
    # KoboToolbox / ODK: the visit form of a kelompok, and its REST Service's submissions
    path(
        "kobo/kelompok/<int:pk>/xlsform.xlsx",
        views_kobo.KoboXlsformView.as_view(),
        name="kobo_xlsform",
    ),
    path("kobo/kiriman/", views_kobo.KoboKirimanView.as_view(), name="kobo_kiriman"),
    # the OpenAPI 3 schema and its readers, served by the app (drf-spectacular-sidecar)
    path("schema/", views_dokumen.SkemaView.as_view(), name="skema"),
    path("docs/", views_dokumen.SwaggerView.as_view(), name="docs"),
    path("redoc/", views_dokumen.RedocView.as_view(), name="redoc"),
]

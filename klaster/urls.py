from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from klaster import views, views_sehat

urlpatterns = [
    path("", include("klaster.urls_program")),
    path("akun/", include("klaster.urls_akun")),
    path("mitra/", include("mitra.urls")),
    path("kelompok/", include("kelompok.urls")),
    path("bantuan/", include("bantuan.urls")),
    path("laporan/", include("laporan.urls")),
    path("impor/", include("klaster.impor.urls")),
    path("admin/", admin.site.urls),
    # liveness probe and the benchmark's baseline: no login, no database
    path("sehat/", views_sehat.sehat, name="sehat"),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler400 = views.galat_400
handler403 = views.galat_403
handler404 = views.galat_404
handler500 = views.galat_500

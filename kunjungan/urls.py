from django.urls import path

from kunjungan import views

app_name = "kunjungan"

urlpatterns = [
    path("", views.kunjungan_list, name="list"),
    path("baru/", views.kunjungan_baru, name="baru"),
    path("rekap/", views.kunjungan_rekap, name="rekap"),
    path("cakupan/", views.kunjungan_cakupan, name="cakupan"),
    path("<int:pk>/", views.kunjungan_detail, name="detail"),
    path("<int:pk>/foto/", views.kunjungan_foto, name="foto"),
    path(
        "<int:pk>/tindak-lanjut-selesai/",
        views.kunjungan_tindak_lanjut_selesai,
        name="tindak_lanjut_selesai",
    ),
]

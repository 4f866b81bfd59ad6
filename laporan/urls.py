from django.urls import path

from laporan import (
    views,  # noqa: F401
    views_kunjungan,
)

app_name = "laporan"

urlpatterns = [
    # field visits (kunjungan)
    path("kunjungan/", views_kunjungan.kunjungan_list, name="kunjungan_list"),
    path("kunjungan/baru/", views_kunjungan.kunjungan_baru, name="kunjungan_baru"),
    path("kunjungan/rekap/", views_kunjungan.kunjungan_rekap, name="kunjungan_rekap"),
    path("kunjungan/cakupan/", views_kunjungan.kunjungan_cakupan, name="kunjungan_cakupan"),
    path("kunjungan/<int:pk>/", views_kunjungan.kunjungan_detail, name="kunjungan_detail"),
    path(
        "kunjungan/<int:pk>/tindak-lanjut-selesai/",
        views_kunjungan.kunjungan_tindak_lanjut_selesai,
        name="kunjungan_tindak_lanjut_selesai",
    ),
]

from django.urls import path

from laporan import (
    views,
    views_kunjungan,
)

app_name = "laporan"

urlpatterns = [
    # impact report (laporan dampak), its charts and exports
    path("dampak/", views.dampak, name="dampak"),
    path("dampak/grafik/<slug:nama>.svg", views.dampak_grafik, name="dampak_grafik"),
    path("dampak/unduh.xlsx", views.dampak_xlsx, name="dampak_xlsx"),
    path("dampak/unduh.pdf", views.dampak_pdf, name="dampak_pdf"),
    path("dampak/unduh.csv", views.dampak_csv, name="dampak_csv"),
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

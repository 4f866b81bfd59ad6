from django.urls import path

from laporan import views, views_akhir

app_name = "laporan"

urlpatterns = [
    # impact report (laporan dampak), its charts and exports
    path("dampak/", views.dampak, name="dampak"),
    path("dampak/grafik/<slug:nama>.svg", views.dampak_grafik, name="dampak_grafik"),
    path("dampak/unduh.xlsx", views.dampak_xlsx, name="dampak_xlsx"),
    path("dampak/unduh.pdf", views.dampak_pdf, name="dampak_pdf"),
    path("dampak/unduh.csv", views.dampak_csv, name="dampak_csv"),
    # exit report (laporan akhir program): page, files, the manager's narrative
    path("akhir/", views_akhir.akhir_halaman, name="akhir"),
    path("akhir/unduh.pdf", views_akhir.akhir_pdf, name="akhir_pdf"),
    path("akhir/unduh.xlsx", views_akhir.akhir_xlsx, name="akhir_xlsx"),
    path("akhir/naskah/", views_akhir.akhir_naskah, name="akhir_naskah"),
]

from django.urls import path

from laporan import views

app_name = "laporan"

urlpatterns = [
    # impact report (laporan dampak), its charts and exports
    path("dampak/", views.dampak, name="dampak"),
    path("dampak/grafik/<slug:nama>.svg", views.dampak_grafik, name="dampak_grafik"),
    path("dampak/unduh.xlsx", views.dampak_xlsx, name="dampak_xlsx"),
    path("dampak/unduh.pdf", views.dampak_pdf, name="dampak_pdf"),
    path("dampak/unduh.csv", views.dampak_csv, name="dampak_csv"),
]

from django.urls import path

from kelembagaan import views

app_name = "kelembagaan"

urlpatterns = [
    path("lembaga/", views.lembaga_list, name="lembaga_list"),
    path("lembaga/<int:pk>/", views.lembaga_detail, name="lembaga_detail"),
    path("lembaga/<int:pk>/tonggak/", views.tonggak_catat, name="tonggak_catat"),
    path("lembaga/<int:pk>/dokumen/", views.dokumen_unggah, name="dokumen_unggah"),
    path("dokumen/<int:pk>/", views.dokumen, name="dokumen"),
    path("klaster/<int:pk>/tahap/", views.tahap_pindah, name="tahap_pindah"),
]

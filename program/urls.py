from django.urls import path

from program import views

app_name = "program"

urlpatterns = [
    path("", views.kegiatan_list, name="kegiatan_list"),
    path("kegiatan/baru/", views.kegiatan_baru, name="kegiatan_baru"),
    path("kegiatan/<int:pk>/", views.kegiatan_detail, name="kegiatan_detail"),
    path("kegiatan/<int:pk>/foto/", views.kegiatan_foto, name="kegiatan_foto"),
    path("pihak-luar/", views.pihak_luar_list, name="pihak_luar_list"),
    path("pihak-luar/baru/", views.pihak_luar_baru, name="pihak_luar_baru"),
    path("pihak-luar/<int:pk>/", views.pihak_luar_detail, name="pihak_luar_detail"),
    path("tautan-pasar/", views.tautan_list, name="tautan_list"),
    path("tautan-pasar/baru/", views.tautan_baru, name="tautan_baru"),
    path("tautan-pasar/<int:pk>/", views.tautan_detail, name="tautan_detail"),
    path("kelompok/<int:pk>/penilaian/", views.penilaian_baru, name="penilaian_baru"),
    path("survei/", views.putaran_list, name="putaran_list"),
    path("survei/baru/", views.putaran_baru, name="putaran_baru"),
    path("survei/<int:pk>/", views.putaran_detail, name="putaran_detail"),
    path(
        "survei/<int:putaran_pk>/kelompok/<int:kelompok_pk>/",
        views.survei_isi,
        name="survei_isi",
    ),
]

from django.urls import path

from kelompok import views

app_name = "kelompok"

urlpatterns = [
    path("", views.kelompok_list, name="list"),
    path("tambah/", views.kelompok_tambah, name="tambah"),
    path("<int:pk>/", views.kelompok_detail, name="detail"),
    path("<int:pk>/ubah/", views.kelompok_ubah, name="ubah"),
]

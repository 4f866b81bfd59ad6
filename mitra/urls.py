from django.urls import path

from mitra import views

app_name = "mitra"

urlpatterns = [
    path("", views.mitra_list, name="list"),
    path("tambah/", views.mitra_tambah, name="tambah"),
    path("periksa-nik/", views.periksa_nik, name="periksa_nik"),
    path("<int:pk>/", views.mitra_detail, name="detail"),
    path("<int:pk>/ubah/", views.mitra_ubah, name="ubah"),
]

from django.urls import path

from impor import views

app_name = "impor"

urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:jenis>/unggah/", views.unggah, name="unggah"),
    path("<slug:jenis>/konfirmasi/", views.konfirmasi, name="konfirmasi"),
    path("<slug:jenis>/templat/", views.templat, name="templat"),
    path("<slug:jenis>/ekspor/", views.ekspor, name="ekspor"),
    path("galat/<str:token>/", views.galat, name="galat"),
]

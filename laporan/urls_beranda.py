from django.urls import path

from laporan import views_beranda as views

app_name = "klaster"

urlpatterns = [
    path("", views.beranda, name="beranda"),
    path("klaster/", views.klaster_list, name="list"),
    path("klaster/<int:pk>/", views.klaster_detail, name="detail"),
]

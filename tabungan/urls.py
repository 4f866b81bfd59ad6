from django.urls import path

from tabungan import views

app_name = "tabungan"

urlpatterns = [
    path("kelompok/<int:pk>/", views.kelompok_saldo, name="kelompok"),
    path("mitra/<int:pk>/penarikan/", views.penarikan, name="penarikan"),
    path("<int:pk>/koreksi/", views.koreksi, name="koreksi"),
]

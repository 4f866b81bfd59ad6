from django.urls import path

from tugas import views

app_name = "tugas"
urlpatterns = [
    path("", views.daftar, name="daftar"),
    path("<uuid:pk>/", views.detail, name="detail"),
    path("<uuid:pk>/status/", views.status, name="status"),
    path("<uuid:pk>/unduh/", views.unduh, name="unduh"),
]

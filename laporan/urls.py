from django.urls import path  # noqa: F401

from laporan import views  # noqa: F401

app_name = "laporan"

urlpatterns = []

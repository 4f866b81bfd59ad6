from django.urls import path  # noqa: F401

from kelompok import views  # noqa: F401

app_name = "kelompok"

urlpatterns = []

from django.urls import path  # noqa: F401

from mitra import views  # noqa: F401

app_name = "mitra"

urlpatterns = []

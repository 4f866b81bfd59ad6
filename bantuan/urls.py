from django.urls import path  # noqa: F401

from bantuan import views  # noqa: F401

app_name = "bantuan"

urlpatterns = []

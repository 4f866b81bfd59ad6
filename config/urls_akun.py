from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from api import views_akun as api_akun
from klaster import views_akun
from klaster.forms import MasukForm
from kunjungan import views_pwa
from laporan import views_riwayat

app_name = "akun"

urlpatterns = [
    path(
        "masuk/",
        auth_views.LoginView.as_view(
            template_name="akun/masuk.html",
            authentication_form=MasukForm,
            redirect_authenticated_user=True,
        ),
        name="masuk",
    ),
    # signing out also wipes the pages and queued visits kept on the device (issue 9)
    path("keluar/", views_pwa.KeluarView.as_view(), name="keluar"),
    path(
        "kata-sandi/",
        auth_views.PasswordChangeView.as_view(
            template_name="akun/kata_sandi.html",
            success_url=reverse_lazy("akun:kata_sandi_selesai"),
        ),
        name="kata_sandi",
    ),
    path(
        "kata-sandi/selesai/",
        auth_views.PasswordChangeDoneView.as_view(template_name="akun/kata_sandi_selesai.html"),
        name="kata_sandi_selesai",
    ),
    # the language switcher (Bahasa Indonesia / English), signed in or not
    path("bahasa/", views_akun.ganti_bahasa, name="bahasa"),
    path("riwayat/", views_riwayat.riwayat, name="riwayat"),
    # personal API tokens (api/README.md)
    path("token-api/", api_akun.token_api, name="token_api"),
]

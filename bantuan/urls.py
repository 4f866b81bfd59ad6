from django.urls import path

from bantuan import views

app_name = "bantuan"

urlpatterns = [
    path("", views.bantuan_list, name="list"),
    path("ajukan/", views.bantuan_ajukan, name="ajukan"),
    path("cari-penerima/", views.cari_penerima, name="cari_penerima"),
    path("portofolio/", views.portofolio, name="portofolio"),
    path("tunggakan/", views.tunggakan, name="tunggakan"),
    path("<int:pk>/", views.bantuan_detail, name="detail"),
    path("<int:pk>/setujui/", views.bantuan_setujui, name="setujui"),
    path("<int:pk>/tolak/", views.bantuan_tolak, name="tolak"),
    path("<int:pk>/cairkan/", views.bantuan_cairkan, name="cairkan"),
    path("<int:pk>/hapus-buku/", views.bantuan_hapus_buku, name="hapus_buku"),
    path("<int:pk>/angsuran/", views.angsuran_catat, name="angsuran_catat"),
    path("angsuran/<int:pk>/koreksi/", views.angsuran_koreksi, name="angsuran_koreksi"),
]

import datetime

from django.contrib.admin.sites import site
from django.test import RequestFactory
from django.urls import reverse

from bantuan.models import Angsuran, Bantuan
from bantuan.tests.factories import BantuanFactory, pinjaman_cair
from mitra.tests.factories import MitraFactory


def _request(user):
    r = RequestFactory().get("/admin/")
    r.user = user
    return r


def test_no_one_deletes_financial_records(personas):
    b = pinjaman_cair(
        mitra=MitraFactory(klaster=personas.klaster_lebak),
        tanggal_cair=datetime.date(2012, 1, 1),
        bayar=[(datetime.date(2012, 2, 1), "1000")],
    )
    req = _request(personas.admin)  # a superuser
    assert site._registry[Bantuan].has_delete_permission(req, b) is False
    assert site._registry[Angsuran].has_delete_permission(req, b.angsuran.first()) is False
    assert site._registry[Angsuran].has_add_permission(req) is False


def test_amounts_freeze_after_disbursement(personas):
    admin = site._registry[Bantuan]
    req = _request(personas.admin)
    diajukan = BantuanFactory(mitra=MitraFactory(klaster=personas.klaster_lebak))
    cair = pinjaman_cair(
        mitra=MitraFactory(klaster=personas.klaster_lebak), tanggal_cair=datetime.date(2012, 1, 1)
    )
    assert "jumlah" not in admin.get_readonly_fields(req, diajukan)
    beku = admin.get_readonly_fields(req, cair)
    assert {"jumlah", "tenor_bulan", "tanggal_cair"} <= set(beku)


def test_admin_pages_render_with_history(client, personas):
    b = pinjaman_cair(
        mitra=MitraFactory(klaster=personas.klaster_lebak),
        tanggal_cair=datetime.date(2012, 1, 1),
        bayar=[(datetime.date(2012, 2, 1), "1000")],
    )
    client.force_login(personas.admin)
    assert client.get(reverse("admin:bantuan_bantuan_changelist")).status_code == 200
    r = client.get(reverse("admin:bantuan_bantuan_change", args=[b.pk]))
    assert r.status_code == 200
    assert b"jadwal" in r.content.lower()
    assert client.get(reverse("admin:bantuan_bantuan_history", args=[b.pk])).status_code == 200
    assert client.get(reverse("admin:bantuan_angsuran_changelist")).status_code == 200
    # the delete page is refused even to a superuser
    assert client.get(reverse("admin:bantuan_bantuan_delete", args=[b.pk])).status_code == 403

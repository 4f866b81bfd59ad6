"""The back office: every foundation model is registered, searchable, and never renders a
91,599-option select for a region or a mitra."""

import pytest
from django.contrib import admin
from django.urls import reverse

from kelompok.models import Kelompok, Lembaga
from kelompok.tests.factories import LembagaFactory
from klaster.models import Klaster, Penugasan, Wilayah
from mitra.models import Mitra, PengukuranPendapatan
from mitra.tests.factories import MitraFactory, PengukuranPendapatanFactory

pytestmark = pytest.mark.django_db

MODEL = [Wilayah, Klaster, Penugasan, Mitra, PengukuranPendapatan, Kelompok, Lembaga]


@pytest.mark.parametrize("model", MODEL, ids=lambda m: m.__name__)
def test_every_model_is_registered_with_list_search_and_filter(model):
    model_admin = admin.site._registry[model]
    assert type(model_admin).__name__ == f"{model.__name__}Admin"
    assert model_admin.list_display != ("__str__",)
    assert model_admin.search_fields
    assert model_admin.list_filter


def test_fks_to_wilayah_and_mitra_never_render_a_full_select():
    for model, model_admin in admin.site._registry.items():
        if model not in MODEL:
            continue
        for field in model._meta.get_fields():
            target = getattr(field, "related_model", None)
            if target in (Wilayah, Mitra) and (field.many_to_one or field.many_to_many):
                if not field.editable or field.auto_created:
                    continue
                langsung = set(model_admin.autocomplete_fields) | set(model_admin.raw_id_fields)
                assert field.name in langsung, f"{model.__name__}.{field.name}"


def test_history_is_kept_for_mitra_and_kelompok():
    from simple_history.admin import SimpleHistoryAdmin

    for model in (Mitra, Kelompok, Lembaga, Klaster, PengukuranPendapatan):
        assert isinstance(admin.site._registry[model], SimpleHistoryAdmin)


@pytest.mark.parametrize("model", MODEL, ids=lambda m: m.__name__)
def test_changelist_and_add_pages_open_for_admin(client, personas, model):
    mitra = MitraFactory(kelompok=personas.kelompok_lebak)
    PengukuranPendapatanFactory(mitra=mitra)
    LembagaFactory(klaster=personas.klaster_lebak)
    client.force_login(personas.admin)
    awal = f"admin:{model._meta.app_label}_{model._meta.model_name}"
    assert client.get(reverse(f"{awal}_changelist")).status_code == 200
    assert client.get(reverse(f"{awal}_changelist"), {"q": "36"}).status_code == 200
    add = client.get(reverse(f"{awal}_add"))
    assert add.status_code == 200
    # a desa select would list hundreds even in the Lebak subset; autocomplete lists none
    assert "Cisimeut</option>" not in add.content.decode()


def test_mitra_search_by_nik_and_history_page(client, personas):
    mitra = MitraFactory(kelompok=personas.kelompok_lebak, nama="Asep Saepudin")
    client.force_login(personas.admin)
    response = client.get(reverse("admin:mitra_mitra_changelist"), {"q": mitra.nik})
    assert "Asep Saepudin" in response.content.decode()
    url = reverse("admin:mitra_mitra_history", args=[mitra.pk])
    assert client.get(url).status_code == 200


def test_admin_mitra_form_applies_the_nik_rules(client, personas):
    mitra = MitraFactory(kelompok=personas.kelompok_lebak)
    client.force_login(personas.admin)
    url = reverse("admin:mitra_mitra_change", args=[mitra.pk])
    data = {
        "nik": "9901011205800001",
        "nama": mitra.nama,
        "jenis_kelamin": mitra.jenis_kelamin,
        "tanggal_lahir": mitra.tanggal_lahir.isoformat(),
        "klaster": mitra.klaster_id,
        "kelompok": mitra.kelompok_id,
        "desa": mitra.desa_id,
        "sektor": mitra.sektor,
        "status": mitra.status,
        "tanggal_bergabung": mitra.tanggal_bergabung.isoformat(),
        "jumlah_anggota_keluarga": 4,
        "pengukuran-TOTAL_FORMS": 0,
        "pengukuran-INITIAL_FORMS": 0,
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "bukan kode kecamatan" in response.content.decode()
    mitra.refresh_from_db()
    assert mitra.nik != "9901011205800001"


def test_wilayah_autocomplete_finds_desa_by_name(client, personas):
    client.force_login(personas.admin)
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "mitra", "model_name": "mitra", "field_name": "desa", "term": "cisimeut"},
    )
    kode = [r["id"] for r in response.json()["results"]]
    assert "36.02.06.2002" in kode
    assert all(Wilayah.objects.get(kode=k).tingkat == "desa" for k in kode)


def test_non_staff_cannot_open_the_admin(client, personas):
    client.force_login(personas.manajer)
    response = client.get(reverse("admin:mitra_mitra_changelist"))
    assert response.status_code == 302

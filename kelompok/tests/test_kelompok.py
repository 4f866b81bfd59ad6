"""Kelompok pages: list, detail (members, leader, cooperative), create and edit."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kelompok.models import Kelompok
from kelompok.services import kelompok_ubah
from kelompok.tests.factories import KelompokFactory, LembagaFactory
from klaster.tests.factories import KEC_LAIN, PenugasanFactory, UserFactory, desa_di
from mitra.tests.factories import MitraFactory

pytestmark = pytest.mark.django_db


def jumlah_query(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def data_kelompok(**ubah):
    data = {
        "kode": "LBK-02",
        "nama": "Tani Mukti",
        "sektor": "pertanian",
        "desa": "36.02.06.2006",
        "tanggal_dibentuk": "2011-04-12",
        "usaha_kelompok": "Budidaya padi",
        "status": "aktif",
        "lembaga": "",
    }
    data.update(ubah)
    return data


def test_list_shows_member_counts_of_the_users_klaster_only(client, personas):
    MitraFactory.create_batch(3, kelompok=personas.kelompok_lebak)
    MitraFactory.create_batch(2, kelompok=personas.kelompok_lain)
    client.force_login(personas.fasilitator)
    response = client.get(reverse("kelompok:list"))
    baris = list(response.context["kelompok_list"])
    assert [k.pk for k in baris] == [personas.kelompok_lebak.pk]
    assert baris[0].jumlah_anggota == personas.kelompok_lebak.anggota.count() == 3
    assert personas.kelompok_lain.nama not in response.content.decode()


def test_list_search_and_filters(client, personas):
    ternak = KelompokFactory(klaster=personas.klaster_lebak, kode="LBK-07", sektor="peternakan")
    KelompokFactory(klaster=personas.klaster_lebak, kode="LBK-08", sektor="umkm")
    client.force_login(personas.manajer)
    hasil = client.get(reverse("kelompok:list"), {"sektor": "peternakan"}).context
    assert [k.pk for k in hasil["kelompok_list"]] == [ternak.pk]
    hasil = client.get(reverse("kelompok:list"), {"q": "lbk-07"}).context
    assert [k.pk for k in hasil["kelompok_list"]] == [ternak.pk]


def test_list_query_count_does_not_grow(client, personas, django_assert_max_num_queries):
    client.force_login(personas.manajer)
    url = reverse("kelompok:list")
    KelompokFactory.create_batch(10, klaster=personas.klaster_lebak)
    sepuluh = jumlah_query(client, url)
    lembaga = LembagaFactory(klaster=personas.klaster_lebak)
    for k in KelompokFactory.create_batch(90, klaster=personas.klaster_lebak, lembaga=lembaga):
        MitraFactory(kelompok=k)
    assert jumlah_query(client, url) == sepuluh
    # session, user, groups, permissions x2, count, klaster choices, page (with klaster,
    # desa, ketua, lembaga joined and members counted), session save x3
    with django_assert_max_num_queries(12):
        client.get(url)


def test_detail_shows_members_leader_and_cooperative(client, personas):
    koperasi = LembagaFactory(klaster=personas.klaster_lebak, nama="Koperasi Tani Mandiri")
    kelompok = personas.kelompok_lebak
    anggota = MitraFactory.create_batch(4, kelompok=kelompok)
    kelompok_ubah(kelompok=kelompok, oleh=personas.manajer, ketua=anggota[0], lembaga=koperasi)
    client.force_login(personas.fasilitator)
    response = client.get(reverse("kelompok:detail", args=[kelompok.pk]))
    html = response.content.decode()
    assert "Koperasi Tani Mandiri" in html
    assert [m.pk for m in response.context["anggota_list"]] == sorted(
        (m.pk for m in anggota), key=lambda pk: next(m.nama for m in anggota if m.pk == pk)
    )
    perempuan = sum(1 for m in anggota if m.jenis_kelamin == "P")
    assert response.context["jumlah_perempuan"] == perempuan
    assert f"4 orang, {perempuan} perempuan" in html
    assert anggota[0].nama in html and "Ketua" in html
    assert anggota[1].nik not in html  # masked in the member list
    assert anggota[1].nik_tersamar in html


def test_detail_query_count_does_not_grow(client, personas):
    client.force_login(personas.manajer)
    url = reverse("kelompok:detail", args=[personas.kelompok_lebak.pk])
    MitraFactory.create_batch(10, kelompok=personas.kelompok_lebak)
    sepuluh = jumlah_query(client, url)
    MitraFactory.create_batch(90, kelompok=personas.kelompok_lebak)
    assert jumlah_query(client, url) == sepuluh


def test_fasilitator_forms_a_kelompok(client, personas):
    client.force_login(personas.fasilitator)
    response = client.post(reverse("kelompok:tambah"), data_kelompok())
    kelompok = Kelompok.objects.get(kode="LBK-02")
    assert response.status_code == 302
    assert response["Location"] == reverse("kelompok:detail", args=[kelompok.pk])
    assert kelompok.klaster == personas.klaster_lebak
    assert kelompok.history.latest().history_user == personas.fasilitator


def test_create_form_has_no_leader_and_only_the_klasters_desa(client, personas):
    client.force_login(personas.fasilitator)
    form = client.get(reverse("kelompok:tambah")).context["form"]
    assert "ketua" not in form.fields
    assert {d.induk_id for d in form.fields["desa"].queryset} == {"36.02.06"}


def test_duplicate_kode_in_the_klaster_is_refused(client, personas):
    client.force_login(personas.fasilitator)
    response = client.post(reverse("kelompok:tambah"), data_kelompok(kode="LBK-01"))
    assert response.status_code == 422
    assert "Kode LBK-01 sudah dipakai kelompok lain di klaster ini." in response.content.decode()
    assert Kelompok.objects.filter(kode="LBK-01").count() == 1


def test_bad_input_re_renders_in_indonesian_and_saves_nothing(client, personas):
    client.force_login(personas.fasilitator)
    sebelum = Kelompok.objects.count()
    response = client.post(
        reverse("kelompok:tambah"),
        data_kelompok(nama="", tanggal_dibentuk="kemarin", desa=desa_di(KEC_LAIN)[0].pk),
    )
    html = response.content.decode()
    assert response.status_code == 422
    assert "Bidang ini tidak boleh kosong." in html
    assert "Masukkan tanggal yang valid." in html
    assert "Masukkan pilihan yang valid." in html
    assert Kelompok.objects.count() == sebelum


def test_lembaga_of_another_klaster_is_refused(client, personas):
    asing = LembagaFactory(klaster=personas.klaster_lain)
    client.force_login(personas.fasilitator)
    response = client.post(reverse("kelompok:tambah"), data_kelompok(lembaga=asing.pk))
    assert response.status_code == 422
    assert not Kelompok.objects.filter(kode="LBK-02").exists()


def test_edit_chooses_the_leader_among_members(client, personas):
    kelompok = personas.kelompok_lebak
    anggota = MitraFactory(kelompok=kelompok)
    bukan_anggota = MitraFactory(klaster=personas.klaster_lebak)
    client.force_login(personas.manajer)
    url = reverse("kelompok:ubah", args=[kelompok.pk])
    data = data_kelompok(kode="LBK-01", desa=kelompok.desa_id)
    assert list(client.get(url).context["form"].fields["ketua"].queryset) == [anggota]
    assert client.post(url, {**data, "ketua": bukan_anggota.pk}).status_code == 422
    kelompok.refresh_from_db()
    assert kelompok.ketua is None
    assert client.post(url, {**data, "ketua": anggota.pk}).status_code == 302
    kelompok.refresh_from_db()
    assert kelompok.ketua == anggota


def test_service_refuses_a_leader_from_outside(personas):
    from django.core.exceptions import ValidationError

    luar = MitraFactory(klaster=personas.klaster_lebak)
    with pytest.raises(ValidationError) as exc:
        kelompok_ubah(kelompok=personas.kelompok_lebak, oleh=personas.manajer, ketua=luar)
    assert "Ketua harus anggota kelompok ini." in exc.value.message_dict["ketua"][0]


def test_user_without_a_role_gets_403(client, personas):
    tamu = UserFactory(username="tamu")
    PenugasanFactory(pengguna=tamu, klaster=personas.klaster_lebak)
    client.force_login(tamu)
    url_ubah = reverse("kelompok:ubah", args=[personas.kelompok_lebak.pk])
    assert client.get(reverse("kelompok:tambah")).status_code == 403
    assert client.post(reverse("kelompok:tambah"), data_kelompok()).status_code == 403
    assert client.get(url_ubah).status_code == 403
    assert client.post(url_ubah, data_kelompok(nama="Diubah")).status_code == 403
    assert not Kelompok.objects.filter(kode="LBK-02").exists()
    # reading too: the groups name their members and leaders, and an assignment without a
    # role group is no role (issue 14, roles per klaster)
    assert client.get(reverse("kelompok:list")).status_code == 403
    url_detail = reverse("kelompok:detail", args=[personas.kelompok_lebak.pk])
    assert client.get(url_detail).status_code == 403


def test_wrong_methods_get_405(client, personas):
    client.force_login(personas.manajer)
    pk = personas.kelompok_lebak.pk
    assert client.delete(reverse("kelompok:tambah")).status_code == 405
    assert client.put(reverse("kelompok:ubah", args=[pk])).status_code == 405
    assert client.post(reverse("kelompok:list")).status_code == 405
    assert client.post(reverse("kelompok:detail", args=[pk])).status_code == 405


def test_detail_lists_the_latest_visits_and_links_to_all_of_them(client, personas):
    import datetime

    from kunjungan.templatetags.kunjungan_panel import KUNJUNGAN_TERAKHIR
    from kunjungan.tests.factories import KunjunganFactory

    g = personas.kelompok_lebak
    awal = datetime.date(2024, 1, 1)
    kunjungan = [
        KunjunganFactory(kelompok=g, tanggal=awal + datetime.timedelta(days=7 * i))
        for i in range(KUNJUNGAN_TERAKHIR + 3)
    ]
    client.force_login(personas.manajer)
    html = client.get(reverse("kelompok:detail", args=[g.pk])).content.decode()
    bagian = html.split('id="kunjungan-kelompok"')[1].split("</section>")[0]
    assert bagian.count('class="list-group-item"') == KUNJUNGAN_TERAKHIR
    assert f"/kunjungan/?kelompok={g.pk}" in bagian
    # newest first: the three oldest are behind the link
    assert f'href="{kunjungan[-1].get_absolute_url()}"' in bagian
    assert f'href="{kunjungan[3].get_absolute_url()}"' in bagian
    assert f'href="{kunjungan[2].get_absolute_url()}"' not in bagian
    # the full list behind the link holds every visit of the kelompok
    semua = client.get(reverse("kunjungan:list"), {"kelompok": g.pk})
    assert semua.status_code == 200

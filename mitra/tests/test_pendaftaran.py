"""Registering a mitra (issue 15, item 5): the NIK checked while it is typed through a
small scoped endpoint with the server's rules and messages, no exit date on a new member,
an optional baseline income saved with the member, and the meeting screen's button."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from klaster.models import Penugasan
from klaster.tests.factories import PenugasanFactory, UserFactory
from mitra import services
from mitra.models import Mitra, PengukuranPendapatan
from mitra.nik import periksa_nik
from mitra.tests.factories import MitraFactory
from mitra.tests.test_mitra_form import NIK_LAKI, NIK_PEREMPUAN, data_mitra, tambah

pytestmark = pytest.mark.django_db


def periksa(client, **params):
    r = client.get(reverse("mitra:periksa_nik"), params)
    assert r.status_code == 200 and r["Content-Type"] == "application/json"
    return r.json()


# --- the endpoint -----------------------------------------------------------------------


def test_a_mans_nik_gives_his_birth_date_and_gender(client, personas):
    client.force_login(personas.fasilitator)
    d = periksa(client, nik="3602 0612.0580 0001")
    assert d["valid"] and d["galat"] == []
    assert d["nik"] == NIK_LAKI
    assert d["tanggal_lahir"] == "1980-05-12" and d["tanggal_lahir_teks"] == "12 Mei 1980"
    assert d["jenis_kelamin"] == "L" and d["jenis_kelamin_teks"] == "Laki-laki"
    assert d["duplikat"] is None and d["peringatan"] == []


def test_a_womans_day_is_plus_forty(client, personas):
    client.force_login(personas.fasilitator)
    d = periksa(client, nik=NIK_PEREMPUAN)  # day 45 -> 5 January, a woman
    assert d["tanggal_lahir"] == "1985-01-05" and d["jenis_kelamin"] == "P"


@pytest.mark.parametrize(
    "nik",
    ["9901011205800001", "360206120580001", "36020612O5800001", "3602063202800001", ""],
)
def test_a_bad_nik_gets_the_servers_own_messages_at_both_doors(client, personas, nik):
    client.force_login(personas.fasilitator)
    d = periksa(client, nik=nik)
    diharapkan = periksa_nik(nik).galat
    assert not d["valid"] and d["galat"] == diharapkan and diharapkan
    assert d["tanggal_lahir"] is None and d["jenis_kelamin"] is None
    # the form says the same when it is saved
    html = tambah(client, nik=nik).content.decode()
    for pesan in diharapkan:
        assert pesan.replace("“", "&ldquo;").split("&")[0][:40] in html


def test_the_typed_birth_date_and_gender_are_compared(client, personas):
    client.force_login(personas.fasilitator)
    d = periksa(client, nik=NIK_LAKI, tanggal_lahir="1980-05-13", jenis_kelamin="P")
    assert d["peringatan"] == [
        "Tanggal lahir 13 Mei 1980 berbeda dengan tanggal lahir di NIK (12 Mei 1980).",
        "Jenis kelamin berbeda dengan NIK: menurut NIK laki-laki.",
    ]
    # odd values are ignored, not a server error
    d = periksa(client, nik=NIK_LAKI, tanggal_lahir="13-05-1980", jenis_kelamin="x\x00")
    assert d["valid"] and d["peringatan"][0].startswith("Jenis kelamin berbeda")


def test_a_duplicate_in_scope_links_to_that_mitra(client, personas):
    ada = MitraFactory(nik=NIK_LAKI, nama="Ujang Sutisna", klaster=personas.klaster_lebak)
    client.force_login(personas.fasilitator)
    d = periksa(client, nik=NIK_LAKI)
    assert d["duplikat"] == {
        "pesan": "NIK ini sudah terdaftar atas nama Ujang Sutisna. Buka data mitra itu untuk "
        "mengubahnya, atau periksa kembali NIK dari KTP.",
        "url": reverse("mitra:detail", args=[ada.pk]),
        "nama": "Ujang Sutisna",
    }
    # editing that mitra: its own NIK is no duplicate
    assert periksa(client, nik=NIK_LAKI, kecuali=ada.pk)["duplikat"] is None


def test_a_duplicate_out_of_scope_reveals_nothing(client, personas):
    lain = MitraFactory(nik=NIK_LAKI, nama="Ujang Sutisna", klaster=personas.klaster_lain)
    client.force_login(personas.fasilitator)
    r = client.get(reverse("mitra:periksa_nik"), {"nik": NIK_LAKI})
    teks = r.content.decode()
    assert r.json()["duplikat"] == {
        "pesan": "NIK ini sudah terdaftar di program. Periksa kembali NIK dari KTP; jika "
        "sudah benar, hubungi admin program.",
        "url": None,
        "nama": None,
    }
    assert "Ujang" not in teks and personas.klaster_lain.nama not in teks
    assert f"/mitra/{lain.pk}/" not in teks
    # naming the unseen mitra as "the one being edited" does not hide it either: the answer
    # would otherwise tell that this mitra has this NIK
    assert periksa(client, nik=NIK_LAKI, kecuali=lain.pk)["duplikat"]["url"] is None
    assert periksa(client, nik=NIK_LAKI, kecuali=lain.pk)["duplikat"] is not None


def test_the_endpoint_is_for_the_programmes_staff_only(client, personas):
    url = reverse("mitra:periksa_nik")
    r = client.get(url, {"nik": NIK_LAKI})
    assert r.status_code == 302 and reverse("akun:masuk") in r["Location"]
    tanpa_peran = UserFactory(username="tanpa_peran")
    PenugasanFactory(pengguna=tanpa_peran, klaster=personas.klaster_lebak)
    client.force_login(tanpa_peran)
    assert client.get(url, {"nik": NIK_LAKI}).status_code == 403
    client.force_login(personas.fasilitator)
    assert client.post(url, {"nik": NIK_LAKI}).status_code == 405


def test_the_endpoint_is_cheap(client, personas, django_assert_num_queries):
    MitraFactory.create_batch(5, klaster=personas.klaster_lebak)
    client.force_login(personas.fasilitator)
    periksa(client, nik=NIK_PEREMPUAN)  # the session is read once before counting
    # session, user, roles (groups and assignments), the kecamatan code, the duplicate
    with django_assert_num_queries(5):
        periksa(client, nik=NIK_LAKI)
    # a bad NIK: not even the duplicate check
    with django_assert_num_queries(3):
        periksa(client, nik="12")


# --- the form ---------------------------------------------------------------------------


def test_a_new_member_has_no_exit_date_nor_exit_status(client, personas):
    client.force_login(personas.fasilitator)
    form = client.get(reverse("mitra:tambah")).context["form"]
    assert "tanggal_keluar" not in form.fields
    assert Mitra.Status.KELUAR not in dict(form.fields["status"].choices)
    assert "pendapatan_awal" in form.fields
    # editing an existing member keeps both
    mitra = MitraFactory(klaster=personas.klaster_lebak)
    form = client.get(reverse("mitra:ubah", args=[mitra.pk])).context["form"]
    assert "tanggal_keluar" in form.fields and "pendapatan_awal" not in form.fields
    assert Mitra.Status.KELUAR in dict(form.fields["status"].choices)


def test_a_new_member_sent_as_keluar_is_refused(client, personas):
    client.force_login(personas.fasilitator)
    r = tambah(client, status="keluar", tanggal_keluar="2014-01-01")
    assert r.status_code == 422
    assert not Mitra.objects.exists()


def test_the_nik_field_knows_where_to_ask(client, personas):
    client.force_login(personas.fasilitator)
    html = client.get(reverse("mitra:tambah")).content.decode()
    assert f'data-periksa="{reverse("mitra:periksa_nik")}"' in html
    assert 'id="nik-hasil"' in html and "js/mitra-nik.js" in html
    assert "<script>" not in html  # no inline script (CSP)


def test_the_baseline_income_is_saved_with_the_member(client, personas):
    client.force_login(personas.fasilitator)
    r = tambah(client, pendapatan_awal="1.250.000")
    assert r.status_code == 302
    mitra = Mitra.objects.get(nik=NIK_LAKI)
    baseline = PengukuranPendapatan.objects.get(mitra=mitra)
    assert baseline.jenis == PengukuranPendapatan.Jenis.BASELINE
    assert baseline.pendapatan_bulanan == Decimal("1250000")
    assert baseline.tanggal == datetime.date(2011, 6, 1)  # the day they joined
    assert baseline.dicatat_oleh == personas.fasilitator


def test_without_a_baseline_income_no_reading_is_made(client, personas):
    client.force_login(personas.fasilitator)
    assert tambah(client, pendapatan_awal="").status_code == 302
    assert Mitra.objects.count() == 1 and not PengukuranPendapatan.objects.exists()


@pytest.mark.parametrize(
    ("ubah", "pesan"),
    [
        ({"pendapatan_awal": "-5"}, "Pendapatan tidak boleh di bawah nol"),
        ({"pendapatan_awal": "banyak"}, "Tulis pendapatan sebagai angka rupiah"),
        ({"pendapatan_awal": "900000", "nik": "9901011205800001"}, "bukan kode kecamatan"),
    ],
)
def test_bad_input_with_an_income_saves_nothing(client, personas, ubah, pesan):
    client.force_login(personas.fasilitator)
    r = tambah(client, **ubah)
    assert r.status_code == 422
    assert pesan in r.content.decode()
    assert not Mitra.objects.exists() and not PengukuranPendapatan.objects.exists()


def test_the_service_refuses_a_negative_income_with_the_other_errors(personas):
    data = data_mitra(pendapatan_awal=Decimal("-1"), nama="")
    with pytest.raises(services.ValidationError) as exc:
        services.mitra_buat(
            oleh=personas.fasilitator,
            klaster=personas.klaster_lebak,
            nik=data["nik"],
            nama="",
            jenis_kelamin="L",
            tanggal_lahir=datetime.date(1980, 5, 12),
            desa=personas.kelompok_lebak.desa,
            sektor="pertanian",
            tanggal_bergabung=datetime.date(2011, 6, 1),
            pendapatan_awal=Decimal("-1"),
        )
    assert set(exc.value.message_dict) == {"nama", "pendapatan_awal"}
    assert not Mitra.objects.exists() and not PengukuranPendapatan.objects.exists()


def test_the_baseline_and_the_member_are_one_transaction(personas, monkeypatch):
    def gagal(**kwargs):
        raise services.ValidationError({"tanggal": "gagal"})

    monkeypatch.setattr(services, "pengukuran_catat", gagal)
    with pytest.raises(services.ValidationError):
        services.mitra_buat(
            oleh=personas.fasilitator,
            klaster=personas.klaster_lebak,
            nik=NIK_LAKI,
            nama="Asep",
            jenis_kelamin="L",
            tanggal_lahir=datetime.date(1980, 5, 12),
            desa=personas.kelompok_lebak.desa,
            sektor="pertanian",
            tanggal_bergabung=datetime.date(2011, 6, 1),
            pendapatan_awal=Decimal("900000"),
        )
    assert not Mitra.objects.exists()


def _kelas_tombol_kirim(html: str) -> set[str]:
    tombol = re.findall(r"<(?:input|button)\b[^>]*type=\"submit\"[^>]*>", html)
    assert tombol, html[:200]
    return {frozenset(re.search(r'class="([^"]*)"', t).group(1).split()) for t in tombol}


def test_forms_end_with_the_meeting_screens_button(client, personas):
    client.force_login(personas.fasilitator)
    rapat = client.get(
        reverse("kunjungan:baru") + f"?kelompok={personas.kelompok_lebak.pk}"
    ).content.decode()
    tombol_rapat = re.search(r'<button type="submit" class="([^"]*)" id="kirim"', rapat).group(1)
    gaya = frozenset(tombol_rapat.split())
    mitra = MitraFactory(klaster=personas.klaster_lebak)
    for url in [
        reverse("mitra:tambah"),
        reverse("mitra:ubah", args=[mitra.pk]),
        reverse("kelompok:tambah"),
        reverse("kelompok:ubah", args=[personas.kelompok_lebak.pk]),
        reverse("bantuan:ajukan"),
    ]:
        assert gaya in _kelas_tombol_kirim(client.get(url).content.decode()), url


def test_a_manager_of_two_klaster_gets_the_same_button_on_the_klaster_choice(client, personas):
    m = UserFactory(username="manajer_dua", grup="Manajer Program")
    for k in (personas.klaster_lebak, personas.klaster_lain):
        PenugasanFactory(pengguna=m, klaster=k, peran=Penugasan.Peran.MANAJER)
    client.force_login(m)
    html = client.get(reverse("mitra:tambah")).content.decode()
    assert frozenset({"btn", "btn-success", "btn-lg", "w-100"}) in _kelas_tombol_kirim(html)

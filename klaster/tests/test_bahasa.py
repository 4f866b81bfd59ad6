"""The interface language (issue 19): Indonesian by default, English by the switcher,
remembered in a cookie for everyone and on the user for a signed-in user; and the number
style of klaster/format.py."""

import datetime
from decimal import Decimal

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from klaster import format as fmt
from klaster.models import PreferensiBahasa

COOKIE = settings.LANGUAGE_COOKIE_NAME
MASUK = reverse("akun:masuk")
BAHASA = reverse("akun:bahasa")


def _lang(respons) -> str:
    html = respons.content.decode()
    return html.split('<html lang="', 1)[1].split('"', 1)[0]


# --- the default and the switcher --------------------------------------------------------


def test_indonesian_is_the_default_whatever_the_browser_asks(client, db):
    respons = client.get(MASUK, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert _lang(respons) == "id"
    assert "Masuk" in respons.content.decode()
    assert respons["Content-Language"] == "id"


def test_login_page_has_the_switcher_with_both_languages_named_in_themselves(client, db):
    html = client.get(MASUK).content.decode()
    assert f'action="{BAHASA}"' in html
    assert 'lang="id"' in html and ">Bahasa Indonesia<" in html
    assert 'lang="en"' in html and ">English<" in html
    assert 'aria-pressed="true">Bahasa Indonesia<' in html


def test_anonymous_switch_sets_the_cookie_and_goes_back(client, db):
    respons = client.post(BAHASA, {"bahasa": "en", "next": MASUK + "?next=/mitra/"})
    assert respons.status_code == 302
    assert respons["Location"] == MASUK + "?next=/mitra/"
    kue = respons.cookies[COOKIE]
    assert kue.value == "en" and kue["httponly"] and kue["max-age"] == settings.LANGUAGE_COOKIE_AGE
    halaman = client.get(MASUK)
    assert _lang(halaman) == "en"
    assert "Sign in" in halaman.content.decode()
    assert 'aria-pressed="true">English<' in halaman.content.decode()
    assert not PreferensiBahasa.objects.exists()  # nobody to remember it for


def test_switch_refuses_an_unknown_language(client, db):
    respons = client.post(BAHASA, {"bahasa": "fr", "next": "/"})
    assert respons.status_code == 400
    assert COOKIE not in respons.cookies
    assert "Bahasa Indonesia" in respons.content.decode()


def test_switch_never_sends_the_user_to_another_site(client, db):
    respons = client.post(BAHASA, {"bahasa": "en", "next": "https://jahat.example/"})
    assert respons["Location"] == MASUK


def test_switch_is_post_only_and_needs_the_csrf_token(db):
    client = Client(enforce_csrf_checks=True)
    assert client.get(BAHASA).status_code == 405
    assert client.post(BAHASA, {"bahasa": "en"}).status_code == 403


# --- remembered per user -------------------------------------------------------------------


def test_signed_in_switch_is_stored_on_the_user(client, personas):
    client.force_login(personas.manajer)
    respons = client.post(BAHASA, {"bahasa": "en", "next": reverse("mitra:list")})
    assert respons["Location"] == reverse("mitra:list")
    assert PreferensiBahasa.objects.get(pengguna=personas.manajer).bahasa == "en"
    halaman = client.get(reverse("mitra:list"))
    assert _lang(halaman) == "en" and "Members" in halaman.content.decode()
    # and back
    client.post(BAHASA, {"bahasa": "id", "next": "/"})
    assert PreferensiBahasa.objects.get(pengguna=personas.manajer).bahasa == "id"
    assert _lang(client.get(reverse("mitra:list"))) == "id"


def test_the_choice_follows_the_user_to_another_device(personas, settings):
    settings.AXES_ENABLED = False
    personas.manajer.set_password("sandi-uji-12345")
    personas.manajer.save()
    PreferensiBahasa.objects.create(pengguna=personas.manajer, bahasa="en")
    perangkat_lain = Client()  # no cookie: the login page is Indonesian
    assert _lang(perangkat_lain.get(MASUK)) == "id"
    respons = perangkat_lain.post(MASUK, {"username": "manajer", "password": "sandi-uji-12345"})
    assert respons.status_code == 302
    assert respons.cookies[COOKIE].value == "en"  # applied at sign-in
    assert _lang(perangkat_lain.get(reverse("klaster:beranda"))) == "en"


def test_a_user_without_a_stored_choice_keeps_the_login_page_language(personas, settings):
    settings.AXES_ENABLED = False
    personas.fasilitator.set_password("sandi-uji-12345")
    personas.fasilitator.save()
    client = Client()
    client.post(BAHASA, {"bahasa": "en", "next": MASUK})
    respons = client.post(MASUK, {"username": "fasilitator", "password": "sandi-uji-12345"})
    assert respons.status_code == 302
    assert _lang(client.get(reverse("klaster:beranda"))) == "en"


def test_the_navbar_switcher_posts_back_to_the_same_page(client, personas):
    client.force_login(personas.fasilitator)
    html = client.get(reverse("kelompok:list") + "?q=LBK").content.decode()
    assert f'action="{BAHASA}"' in html
    assert 'name="next" value="/kelompok/?q=LBK"' in html


def test_a_page_does_not_leave_its_language_on_the_thread(client, personas):
    client.force_login(personas.manajer)
    client.cookies[COOKIE] = "en"
    client.get(reverse("klaster:beranda"))
    assert translation.get_language() == settings.LANGUAGE_CODE


def test_the_query_budget_of_a_page_does_not_grow_in_english(
    client, personas, django_assert_num_queries
):
    """The language comes from the cookie: no query for it on a page."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(personas.manajer)
    client.get(reverse("kelompok:list"))  # warm the per-process caches
    with CaptureQueriesContext(connection) as id_:
        client.get(reverse("kelompok:list"))
    client.cookies[COOKIE] = "en"
    client.get(reverse("kelompok:list"))
    with CaptureQueriesContext(connection) as en:
        client.get(reverse("kelompok:list"))
    assert len(en) == len(id_)


# --- numbers, money and dates (klaster/format.py) -----------------------------------------


def test_numbers_are_indonesian_by_default_in_both_languages():
    for bahasa in ("id", "en"):
        with translation.override(bahasa):
            assert fmt.format_rupiah(Decimal("1714661978")) == "Rp1.714.661.978"
            assert fmt.format_rupiah(Decimal("-1234.5"), sen=True) == "-Rp1.234,50"
            assert fmt.format_persen(Decimal("0.523")) == "52,3%"
            assert fmt.format_angka(1714) == "1.714"


def test_english_number_style_inside_the_block_only():
    with fmt.gaya_angka("en"):
        assert fmt.gaya_angka_aktif() == "en"
        assert fmt.format_rupiah(Decimal("1714661978")) == "Rp1,714,661,978"
        assert fmt.format_rupiah(Decimal("1714661978.456"), sen=True) == "Rp1,714,661,978.46"
        assert fmt.format_rupiah(Decimal("-1234.5"), sen=True) == "-Rp1,234.50"
        assert fmt.format_persen(Decimal("0.523")) == "52.3%"
        assert fmt.format_angka(Decimal("1234567.891"), 2) == "1,234,567.89"
        with fmt.gaya_angka(None):  # no choice: the current style stays
            assert fmt.format_angka(1714) == "1,714"
    assert fmt.gaya_angka_aktif() == "id"
    assert fmt.format_rupiah(1714661978) == "Rp1.714.661.978"


def test_an_unknown_number_style_is_refused():
    with pytest.raises(ValueError), fmt.gaya_angka("fr"):
        pass


def test_month_names_follow_the_language():
    hari = datetime.date(2014, 3, 6)
    with translation.override("id"):
        assert fmt.format_tanggal(hari) == "6 Maret 2014"
        assert fmt.format_bulan(hari) == "Maret 2014"
    with translation.override("en"):
        assert fmt.format_tanggal(hari) == "6 March 2014"
        assert fmt.format_bulan(datetime.date(2014, 5, 1)) == "May 2014"


def test_the_template_filter_angka(settings):
    from django.template import engines

    t = engines["django"].from_string("{{ n|angka }} {{ x|angka:1 }} {{ s|angka }}")
    assert t.render({"n": 1714, "x": Decimal("2.25"), "s": "–"}) == "1.714 2,3 –"
    with fmt.gaya_angka("en"):
        assert t.render({"n": 1714, "x": Decimal("2.25"), "s": "–"}) == "1,714 2.3 –"


def test_django_number_localisation_stays_indonesian_in_english(settings):
    from django.utils.formats import number_format

    with translation.override("en"):
        assert number_format(1714661978, force_grouping=True) == "1.714.661.978"
        assert number_format(Decimal("52.3"), 1) == "52,3"

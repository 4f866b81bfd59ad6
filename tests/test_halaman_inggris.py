"""Every page in English (issue 19): walked as a manager and as a facilitator over the
permission matrix's URLs and world (tests/test_matriks_izin.py), each page's visible text
(and the labels people and screen readers read: aria-label, placeholder, title, alt) holds no
Indonesian string of the catalogue left untranslated.

The catalogue (locale/en/LC_MESSAGES/django.po) lists every Indonesian string marked for
translation with its English. A text node that IS one of those Indonesian strings, or a
longer Indonesian sentence found inside the text, means a string reached the page without
passing through the translation (marked but rendered outside it, e.g. evaluated at import
time, or cached in the other language).
"""

import re
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.test import override_settings

import tests.test_matriks_izin as matriks
from klaster import simpanan

PO_EN = Path(settings.BASE_DIR) / "locale/en/LC_MESSAGES/django.po"
PERSONA = ("manajer", "fasilitator_dalam")
# a sentence this long found anywhere in the text cannot be a coincidence of data
PANJANG_KALIMAT = 24
ATRIBUT_TERBACA = ("aria-label", "placeholder", "title", "alt")
# never a finding: the same in both languages, or data of the test world that happens to
# be a catalogue word (the facilitator persona's username is "fasilitator")
SAMA = {"n", "L/P", "fasilitator"}


@lru_cache(maxsize=1)
def katalog() -> tuple[frozenset, tuple]:
    """(Indonesian strings that differ in English, long fragments of them)."""
    utuh, pecahan = set(), set()
    for e in polib.pofile(str(PO_EN)):
        for msgid, msgstr in (
            [(e.msgid, e.msgstr_plural.get(0)), (e.msgid_plural, e.msgstr_plural.get(1))]
            if e.msgid_plural
            else [(e.msgid, e.msgstr)]
        ):
            if not msgid or msgid == msgstr or msgid in SAMA:
                continue
            teks = msgid.replace("%%", "%")
            # the pieces between placeholders (%(n)s, {n}) are what a page shows verbatim
            for bagian_teks in re.split(r"%\(\w+\)[sdf]|\{\w*\}|<[^>]+>|&\w+;", teks):
                bagian_teks = re.sub(r"\s+", " ", bagian_teks).strip(" .,:;()")
                if bagian_teks == teks.strip(" .,:;()") and "%(" not in teks:
                    utuh.add(bagian_teks)
                if len(bagian_teks) >= PANJANG_KALIMAT:
                    pecahan.add(bagian_teks)
    return frozenset(utuh), tuple(sorted(pecahan, key=len, reverse=True))


class _Teks(HTMLParser):
    """The text nodes and the read-aloud attributes of a page, without script and style."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.potongan: list[str] = []
        self._lewati = 0
        self._tag_lewati: list[str] = []

    def handle_starttag(self, tag, attrs):
        # skipped: code, and text marked as Indonesian on purpose (lang="id" inside an
        # English page: what must be typed in Indonesian, e.g. an import file's columns)
        if tag in {"script", "style", "template"} or (("lang", "id") in attrs and tag != "html"):
            self._lewati += 1
            self._tag_lewati.append(tag)
            return
        if self._lewati:
            if tag == self._tag_lewati[-1]:
                self._lewati += 1
                self._tag_lewati.append(tag)
            return
        for nama, nilai in attrs:
            if nama in ATRIBUT_TERBACA and nilai:
                self.potongan.append(nilai)

    def handle_endtag(self, tag):
        if self._lewati and tag == self._tag_lewati[-1]:
            self._lewati -= 1
            self._tag_lewati.pop()

    def handle_data(self, data):
        if not self._lewati and data.strip():
            self.potongan.append(data)


def teks_terlihat(html: str) -> list[str]:
    p = _Teks()
    p.feed(html)
    return [re.sub(r"\s+", " ", t).strip() for t in p.potongan if t.strip()]


def indonesia_tersisa(html: str) -> list[str]:
    """The catalogue's Indonesian strings found on an English page."""
    utuh, pecahan = katalog()
    potongan = teks_terlihat(html)
    temuan = {t for t in potongan if t.strip(" .,:;()") in utuh}
    semua = " | ".join(potongan)
    temuan |= {p for p in pecahan if p in semua}
    return sorted(temuan)


def test_the_check_finds_an_untranslated_string():
    html = (
        "<main><h1>Impact report</h1><p>Belum ada kunjungan dalam periode ini.</p>"
        '<button aria-label="Menu utama">x</button><script>"Beranda"</script></main>'
    )
    assert indonesia_tersisa(html) == [
        "Belum ada kunjungan dalam periode ini",
        "Belum ada kunjungan dalam periode ini.",
        "Menu utama",
    ]
    assert indonesia_tersisa("<p>No visits in this period.</p><p>Kelompok Tani Makmur</p>") == []
    # text marked as Indonesian on purpose (an import file's column names) is not a finding
    assert indonesia_tersisa('<table><tr><td lang="id">Nama</td></tr></table>') == []


# --- the walk ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def _media(tmp_path_factory):
    return tmp_path_factory.mktemp("media_inggris")


@pytest.fixture(autouse=True)
def _cepat_dan_terisolasi(settings, _media):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = _media
    settings.AXES_ENABLED = False
    cache.clear()
    simpanan.kosongkan_salinan()


@pytest.fixture(scope="module")
def _dunia_modul(django_db_setup, django_db_blocker, _media):
    with (
        django_db_blocker.unblock(),
        override_settings(
            MEDIA_ROOT=_media,
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        ),
        transaction.atomic(),
    ):
        yield matriks._bangun_dunia()
        transaction.set_rollback(True)


@pytest.fixture
def dunia(_dunia_modul, db):
    return _dunia_modul


def _halaman():
    """The URLs that answer a page (GET, 200) to the persona, by the matrix's rules."""
    for url in matriks.DIJALANI:
        aturan = matriks.aturan_untuk(url)
        if aturan is None or aturan.post or url.kunci.startswith("admin:"):
            continue
        for persona in PERSONA:
            ada_objek = bool(set(url.kwargs) - set(aturan.tetap)) or bool(aturan.query)
            if matriks.harapan(aturan, persona, ada_objek) == 200:
                yield pytest.param(url, persona, id=f"{url.kunci}-{persona}")


@pytest.mark.parametrize(("url", "persona"), list(_halaman()))
def test_every_page_in_english_has_no_indonesian_string_left(url, persona, dunia):
    client = matriks._klien(persona, dunia)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    respons = client.get(matriks._path(url, matriks.aturan_untuk(url), dunia))
    assert respons.status_code == 200, url.kunci
    if "text/html" not in respons.get("Content-Type", ""):
        return  # files: the exports have their own tests (laporan/tests/test_dampak_bahasa)
    html = respons.content.decode()
    assert re.search(r'<html[^>]*lang="en"', html) or "<html" not in html, url.kunci
    # the world's people are data, named by Faker in Indonesian: a facilitator called "Hari"
    # (Indonesian for "day", a catalogue word) is not an untranslated string
    sisa = [t for t in indonesia_tersisa(html) if t not in nama_orang_dunia()]
    assert not sisa, f"{url.kunci} as {persona} shows untranslated Indonesian: {sisa}"


def nama_orang_dunia() -> set[str]:
    """The names of the test world's people: users (each part and whole) and mitra."""
    from django.contrib.auth import get_user_model

    from mitra.models import Mitra

    nama = set(Mitra.objects.values_list("nama", flat=True))
    for u in get_user_model().objects.all():
        nama |= {u.username, u.first_name, u.last_name, u.get_full_name()}
    return {n.strip() for n in nama if n and n.strip()}


def test_a_person_named_with_a_catalogue_word_is_data_not_a_finding(dunia):
    from klaster.tests.factories import UserFactory

    # "Hari" is a catalogue word ("day") and a common Indonesian first name
    assert indonesia_tersisa("<p>Hari</p>") == ["Hari"]
    UserFactory(first_name="Hari", last_name="")
    assert "Hari" in nama_orang_dunia()


def test_the_admin_in_english(dunia):
    client = matriks._klien("admin", dunia)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get("/admin/").content.decode()
    assert "Klaster Mandiri administration" in html
    assert "Site administration" in html  # Django's own English
    assert "Cluster programme" in html  # our app's name, translated
    assert not indonesia_tersisa(html), indonesia_tersisa(html)
    # the switcher is in the admin's user links
    assert 'action="/akun/bahasa/"' in html

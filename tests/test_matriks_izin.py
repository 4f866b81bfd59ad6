"""The permission matrix: every URL in the URLconf × nine personas (pretix's habit).

The URLs are walked from django.urls.get_resolver() at collection time, so a URL added in
any app is covered without editing this file — and a URL that is not declared in ATURAN
below FAILS with a message saying how to declare it. Nothing is skipped silently: the only
URLs not requested are the ones a rule in ATURAN names with a reason (`abaikan`).

Per URL the table says who may open it (`peran`) and whether it changes state (`post`);
the expected answer for each persona follows from that:

    persona             petugas page   manajer page   staf (admin)   POST-only URL
    anonim              login          login          admin login    login (or 405)
    fasilitator_dalam   200            403            admin login    405
    fasilitator_luar    200 / 404*     403 / 404*     admin login    405
    manajer             200            200            admin login    405
    admin (superuser)   200            200            200            405

    * 404 when the URL names an object: it belongs to the Lebak klaster, which
      fasilitator_luar (assigned to Malingping) must not learn about.

The personas a role rule can trip over (issue 14, items 4 and 6) answer like one of the
five above, by the role they hold in the Lebak klaster (SEPERTI below):
    fasilitator_manajer      in Manajer Program but assigned to Lebak as fasilitator: a
                             fasilitator there (no manager page, no approval)
    manajer_tanpa_tugas      a manager assigned nowhere: the pages open on an empty
                             programme, every Lebak object is a 404
    fasilitator_tanpa_tugas  a facilitator assigned nowhere: likewise
    tanpa_peran              assigned to Lebak but in no role group: 403 on every programme
                             page (members, groups, loans, visits, reports), the klaster
                             pages excepted

The world (one object of each kind) is built once for the module, inside a transaction
rolled back at its end; each case runs in a savepoint of its own. A superuser on an empty
database (no klaster at all) walks the same URLs in tests/test_matriks_izin_kosong.py.

Two more sweeps run over the same URLs: a POST without a CSRF token is refused (403) on
every URL, and no page except those in NIK_PENUH shows a mitra's full NIK or phone
number (UU PDP 27/2022), including XLSX, CSV and PDF downloads.
"""

import datetime
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from PIL import Image

from klaster import simpanan

PERSONA = (
    "anonim",
    "fasilitator_dalam",
    "fasilitator_luar",
    "manajer",
    "admin",
    "fasilitator_manajer",
    "manajer_tanpa_tugas",
    "fasilitator_tanpa_tugas",
    "tanpa_peran",
)
# persona -> (the role they hold, whether that is in the Lebak klaster the objects are in)
SEPERTI = {
    "fasilitator_dalam": ("fasilitator", True),
    "fasilitator_luar": ("fasilitator", False),
    "manajer": ("manajer", True),
    "admin": ("admin", True),
    "fasilitator_manajer": ("fasilitator", True),
    "manajer_tanpa_tugas": ("manajer", False),
    "fasilitator_tanpa_tugas": ("fasilitator", False),
    "tanpa_peran": (None, True),
}
# a role group is what makes a programme page open: the klaster pages open to anyone assigned
TANPA_PERAN_BOLEH = {"tanpa_peran": 200}

LOGIN = "login"  # 302 to akun:masuk?next=…
LOGIN_ADMIN = "login_admin"  # 302 to admin:login?next=…
ALIH = "alih"  # 302 anywhere but a login page (e.g. the login page for a signed-in user)


@dataclass(frozen=True)
class Aturan:
    peran: str = "petugas"  # publik | masuk | petugas | manajer | staf
    post: bool = False  # state-changing and POST only: GET answers 405
    objek: str | None = None  # which fixture object fills the URL's kwargs (default: app's)
    query: str = ""  # query string for the GET, formatted with the fixture objects
    tetap: dict = field(default_factory=dict)  # fixed URL kwargs, e.g. {"jenis": "mitra"}
    harapan: dict = field(default_factory=dict)  # explicit outcome per persona
    abaikan: str = ""  # not requested, and why


# a background job's pages: its owner (the manager) only
HANYA_PEMILIK = dict.fromkeys(PERSONA[1:], 404) | {"manajer": 200}

PETUGAS = Aturan("petugas")
MANAJER = Aturan("manajer")
POST_PETUGAS = Aturan("petugas", post=True)
POST_MANAJER = Aturan("manajer", post=True)
STAF = Aturan("staf")

# Who may open what. Keys are URL names ("namespace:name"); an unnamed pattern is keyed by
# its route. A new URL must be added here: the matrix fails until it is.
ATURAN: dict[str, Aturan] = {
    # programme
    "klaster:beranda": Aturan("petugas", harapan=TANPA_PERAN_BOLEH),
    "klaster:list": Aturan("petugas", harapan=TANPA_PERAN_BOLEH),
    "klaster:detail": Aturan("petugas", objek="klaster", harapan=TANPA_PERAN_BOLEH),
    "sehat": Aturan("publik", harapan=dict.fromkeys(PERSONA, 200)),
    # offline layer: files the browser fetches with or without a session (no personal data)
    "pwa_sw": Aturan("publik", harapan=dict.fromkeys(PERSONA, 200)),
    "pwa_manifest": Aturan("publik", harapan=dict.fromkeys(PERSONA, 200)),
    "pwa_offline": Aturan("publik", harapan=dict.fromkeys(PERSONA, 200)),
    "pwa_csrf": Aturan("publik", harapan=dict.fromkeys(PERSONA, 200)),
    # accounts
    "akun:masuk": Aturan("publik", harapan={"anonim": 200} | dict.fromkeys(PERSONA[1:], ALIH)),
    "akun:keluar": Aturan("masuk", post=True, harapan=dict.fromkeys(PERSONA, 405)),
    # the language switcher: anyone, signed in or not (the login page has it), POST only
    "akun:bahasa": Aturan("publik", post=True, harapan=dict.fromkeys(PERSONA, 405)),
    "akun:kata_sandi": Aturan("masuk"),
    "akun:kata_sandi_selesai": Aturan("masuk"),
    "akun:riwayat": MANAJER,
    # mitra
    "mitra:list": PETUGAS,
    "mitra:tambah": PETUGAS,
    "mitra:periksa_nik": PETUGAS,
    "mitra:detail": PETUGAS,
    "mitra:ubah": PETUGAS,
    # kelompok
    "kelompok:list": PETUGAS,
    "kelompok:tambah": PETUGAS,
    "kelompok:detail": PETUGAS,
    "kelompok:ubah": PETUGAS,
    # bantuan
    "bantuan:list": PETUGAS,
    "bantuan:ajukan": PETUGAS,
    "bantuan:portofolio": PETUGAS,
    "bantuan:tunggakan": PETUGAS,
    "bantuan:detail": PETUGAS,
    "bantuan:cari_penerima": PETUGAS,
    # decisions: a page with the context and a confirmation step (GET), the decision (POST)
    "bantuan:setujui": MANAJER,
    "bantuan:tolak": POST_MANAJER,
    "bantuan:cairkan": MANAJER,
    "bantuan:hapus_buku": MANAJER,
    "bantuan:angsuran_catat": PETUGAS,
    # its recorder (fasilitator) or a manager of its klaster: not a Manajer Program member
    # who is a fasilitator there and did not record it
    "bantuan:angsuran_koreksi": Aturan(
        "petugas", objek="angsuran", harapan={"fasilitator_manajer": 403}
    ),
    # group savings (issue 17): balances for everyone in the programme, withdrawals and
    # corrections for managers
    "tabungan:kelompok": Aturan("petugas", objek="kelompok"),
    "tabungan:penarikan": Aturan("manajer", objek="mitra"),
    "tabungan:koreksi": Aturan("manajer", objek="transaksi_tabungan"),
    # kunjungan
    "kunjungan:list": PETUGAS,
    "kunjungan:baru": PETUGAS,
    "kunjungan:rekap": MANAJER,
    "kunjungan:cakupan": MANAJER,
    "kunjungan:detail": PETUGAS,
    "kunjungan:foto": PETUGAS,
    "kunjungan:tindak_lanjut_selesai": POST_PETUGAS,
    # programme activities, outside parties, market links, surveys (issue 16)
    "program:kegiatan_list": PETUGAS,
    "program:kegiatan_baru": PETUGAS,
    "program:kegiatan_detail": PETUGAS,
    "program:kegiatan_foto": PETUGAS,
    "program:pihak_luar_list": PETUGAS,
    "program:pihak_luar_baru": PETUGAS,
    "program:pihak_luar_detail": Aturan("petugas", objek="pihak_luar"),
    "program:tautan_list": PETUGAS,
    "program:tautan_baru": PETUGAS,
    "program:tautan_detail": Aturan("petugas", objek="tautan_pasar"),
    "program:putaran_list": PETUGAS,
    "program:putaran_baru": MANAJER,
    "program:putaran_detail": Aturan("petugas", objek="putaran"),
    "program:survei_isi": PETUGAS,
    # kelompok maturity assessment (issue 17)
    "program:penilaian_baru": Aturan("petugas", objek="kelompok"),
    # institutions (issue 17): cooperatives, their milestones and documents, stage gates
    "kelembagaan:lembaga_list": PETUGAS,
    "kelembagaan:lembaga_detail": Aturan("petugas", objek="lembaga"),
    "kelembagaan:tonggak_catat": Aturan("manajer", objek="lembaga"),
    "kelembagaan:dokumen_unggah": Aturan("manajer", post=True, objek="lembaga"),
    "kelembagaan:dokumen": Aturan("petugas", objek="dokumen_lembaga"),
    "kelembagaan:tahap_pindah": Aturan("manajer", objek="klaster"),
    # exit report: the page for everyone in the klaster, files and narrative for managers
    "laporan:akhir": Aturan("petugas", query="klaster={klaster.pk}"),
    "laporan:akhir_pdf": Aturan("manajer", query="klaster={klaster.pk}"),
    "laporan:akhir_xlsx": Aturan("manajer", query="klaster={klaster.pk}"),
    "laporan:akhir_naskah": POST_MANAJER,
    # impact report: the page and its charts for everyone in the programme, files for managers
    "laporan:dampak": Aturan("petugas", query="klaster={klaster.pk}"),
    "laporan:dampak_grafik": Aturan(
        "petugas", tetap={"nama": "pencairan"}, query="klaster={klaster.pk}"
    ),
    "laporan:dampak_xlsx": Aturan("manajer", query="klaster={klaster.pk}"),
    "laporan:dampak_pdf": Aturan("manajer", query="klaster={klaster.pk}"),
    "laporan:dampak_csv": Aturan("manajer", query="klaster={klaster.pk}"),
    # spreadsheet import and export: managers
    "impor:index": MANAJER,
    "impor:unggah": Aturan("manajer", tetap={"jenis": "mitra"}),
    "impor:konfirmasi": Aturan("manajer", post=True, tetap={"jenis": "mitra"}),
    "impor:templat": Aturan("manajer", tetap={"jenis": "mitra"}),
    "impor:ekspor": Aturan("manajer", tetap={"jenis": "mitra"}, query="klaster={klaster.pk}"),
    # an upload's error file: a token that does not exist is a 404 for a manager
    "impor:galat": Aturan(
        "manajer",
        tetap={"token": "tidak-ada"},
        harapan={"manajer": 404, "admin": 404, "manajer_tanpa_tugas": 404},
    ),
    # background jobs (tugas/): the list for everyone signed in (their own jobs); a job, its
    # status and its file for its owner only (the world's job is the manager's), a 404 for
    # anyone else, the superuser included
    "tugas:daftar": Aturan("masuk"),
    "tugas:detail": Aturan("masuk", objek="tugas", harapan=HANYA_PEMILIK),
    "tugas:status": Aturan("masuk", objek="tugas", harapan=HANYA_PEMILIK),
    "tugas:unduh": Aturan("masuk", objek="tugas", harapan=HANYA_PEMILIK),
    # personal API tokens: every signed-in user manages their own (api/)
    "akun:token_api": Aturan("masuk"),
    # Django admin: the index and every model's changelist, staff only
    "admin:index": STAF,
}

# Rules for whole families of URLs, tried in order after the exact names above.
ATURAN_POLA: list[tuple[str, Aturan]] = [
    (r"^admin:.*_changelist$", STAF),
    # signed in without staff rights, the admin's login page explains; the admin goes in
    (r"^admin:login$", Aturan("publik", harapan={"admin": ALIH})),
    (r"^admin/", Aturan(abaikan="Django admin: unnamed redirects to the change pages")),
    (r"^admin:", Aturan(abaikan="Django admin: only the index and the changelists are walked")),
    (r"^\^media/", Aturan(abaikan="uploaded files, served by runserver only when DEBUG is on")),
    (r"^\^static/", Aturan(abaikan="static files, served by runserver only when DEBUG is on")),
    # the REST API answers 401/403 in JSON, not login redirects: its own matrix walks every
    # api: URL × persona with a token and with the session (api/tests/test_matriks_api.py)
    (r"^api:", Aturan(abaikan="walked by api/tests/test_matriks_api.py")),
]

# The fixture object that fills a URL's kwargs, by namespace (Aturan.objek overrides it).
OBJEK_NAMESPACE = {
    "klaster": "klaster",
    "mitra": "mitra",
    "kelompok": "kelompok",
    "bantuan": "bantuan",
    "laporan": "kunjungan",
    "program": "kegiatan_program",
    "kelembagaan": "lembaga",
    "kunjungan": "kunjungan",
    "admin": None,
}

# Pages that may show a mitra's full NIK and phone: its own detail and edit pages, and the
# managers' data export for re-import (the import template's shape; not meant for donors).
NIK_PENUH = {"mitra:detail", "mitra:ubah", "impor:ekspor"}
# The full phone number as a one-tap tel: link, only for the people assigned to the mitra's
# klaster (issue 15: calling a member in arrears); the NIK stays masked there.
TELEPON_UNTUK_YANG_DITUGASKAN = {"bantuan:tunggakan"}
DITUGASKAN = {"fasilitator_dalam", "manajer", "fasilitator_manajer"}

# Known leaks, reported and waiting for their owner: the case is an xfail (strict: once the
# page masks the data, the case fails until its entry here is removed).
BOCOR_DIKETAHUI: dict[str, str] = {}


# --- walking the URLconf ---------------------------------------------------------------


@dataclass(frozen=True)
class Url:
    kunci: str  # "namespace:name", or the route when the pattern has no name
    nama: str | None
    kwargs: tuple[str, ...]
    rute: str


def _nama_kwarg(pattern) -> list[str]:
    if hasattr(pattern, "converters"):
        return list(pattern.converters)
    return list(pattern.regex.groupindex)


def jelajahi(resolver=None, namespace=None, rute="", kwargs=()) -> list[Url]:
    resolver = resolver or get_resolver()
    hasil = []
    for p in resolver.url_patterns:
        kw = (*kwargs, *_nama_kwarg(p.pattern))
        if isinstance(p, URLResolver):
            ns = namespace
            if p.namespace:
                ns = f"{namespace}:{p.namespace}" if namespace else p.namespace
            hasil += jelajahi(p, ns, rute + str(p.pattern), kw)
        elif isinstance(p, URLPattern):
            nama = (f"{namespace}:{p.name}" if namespace else p.name) if p.name else None
            hasil.append(Url(nama or rute + str(p.pattern), nama, kw, rute + str(p.pattern)))
    return hasil


def aturan_untuk(url: Url) -> Aturan | None:
    if url.kunci in ATURAN:
        return ATURAN[url.kunci]
    for pola, aturan in ATURAN_POLA:
        if re.search(pola, url.kunci):
            return aturan
    return None


SEMUA_URL = jelajahi()
DIJALANI = [u for u in SEMUA_URL if not (aturan_untuk(u) and aturan_untuk(u).abaikan)]


# --- the world every case runs in ---------------------------------------------------------


@pytest.fixture(scope="module")
def _media_matriks(tmp_path_factory):
    return tmp_path_factory.mktemp("media_matriks")


@pytest.fixture(autouse=True)
def _cepat_dan_terisolasi(settings, _media_matriks):
    # conftest's, but the uploaded files live as long as the module's world
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = _media_matriks
    settings.AXES_ENABLED = False
    cache.clear()
    simpanan.kosongkan_salinan()


@pytest.fixture(scope="module")
def _dunia_modul(django_db_setup, django_db_blocker, _media_matriks):
    """The world, built once for the module inside a transaction that is rolled back when
    the module ends; every case runs in a savepoint of its own (the `db` fixture)."""
    with (
        django_db_blocker.unblock(),
        override_settings(
            MEDIA_ROOT=_media_matriks,
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        ),
        transaction.atomic(),
    ):
        yield _bangun_dunia()
        transaction.set_rollback(True)


@pytest.fixture
def dunia(_dunia_modul, db):
    return _dunia_modul


def _bangun_dunia():
    """One object of each kind in the Lebak klaster (where fasilitator and manajer work)."""
    from bantuan.models import Angsuran
    from bantuan.tests.factories import pinjaman_cair
    from kelompok.tests.factories import LembagaFactory
    from kunjungan.tests.factories import KunjunganFactory
    from mitra.tests.factories import MitraFactory, PengukuranPendapatanFactory
    from tests.personas import buat_personas, tambah_personas_khusus

    personas = tambah_personas_khusus(buat_personas())
    mitra = MitraFactory(
        kelompok=personas.kelompok_lebak,
        nama="Siti Matriks",
        nik="3602064107850007",
        tanggal_lahir=datetime.date(1985, 7, 1),
        jenis_kelamin="P",
        telepon="081377665544",
    )
    PengukuranPendapatanFactory(mitra=mitra)
    bantuan = pinjaman_cair(
        mitra=mitra,
        tanggal_cair=datetime.date(2012, 2, 1),
        bayar=[(datetime.date(2012, 3, 1), "100000")],
    )
    angsuran = Angsuran.objects.get(bantuan=bantuan)
    angsuran.dicatat_oleh = personas.fasilitator  # who may correct it: its recorder, managers
    angsuran.save()
    kunjungan = KunjunganFactory(
        kelompok=personas.kelompok_lebak, fasilitator=personas.fasilitator, hadir=[mitra]
    )
    foto = io.BytesIO()  # kunjungan:foto serves it
    Image.new("RGB", (8, 8)).save(foto, "JPEG")
    kunjungan.foto.save("matriks.jpg", ContentFile(foto.getvalue()), save=True)
    from program.tests.factories import (
        KegiatanProgramFactory,
        PihakLuarFactory,
        PutaranSurveiFactory,
        TautanPasarFactory,
    )

    pihak_luar = PihakLuarFactory(klaster=personas.klaster_lebak)
    kegiatan_program = KegiatanProgramFactory(
        klaster=personas.klaster_lebak,
        fasilitator=personas.fasilitator,
        peserta=[mitra],
        pihak_luar=[pihak_luar],
    )
    kegiatan_program.foto.save("matriks.jpg", ContentFile(foto.getvalue()), save=True)
    from kelembagaan import services as kelembagaan_services
    from tabungan.tests.factories import TransaksiTabunganFactory

    lembaga = LembagaFactory(klaster=personas.klaster_lebak)
    png = io.BytesIO()  # kelembagaan:dokumen serves it
    Image.new("RGB", (8, 8)).save(png, "PNG")
    berkas = ContentFile(png.getvalue(), name="sk-pengesahan.png")
    dokumen_lembaga = kelembagaan_services.dokumen_unggah(
        lembaga=lembaga, berkas=berkas, oleh=personas.manajer
    )
    from tugas.models import Tugas
    from tugas.services import Hasil, _akhiri

    tugas = Tugas.objects.create(pemilik=personas.manajer, jenis="uji", judul="Ekspor uji")
    _akhiri(tugas, Tugas.Status.SELESAI, Hasil("uji.csv", b"nama\nSiti\n", "text/csv"))
    dunia = {
        "personas": personas,
        "tugas": tugas,
        "klaster": personas.klaster_lebak,
        "dokumen_lembaga": dokumen_lembaga,
        "kelompok": personas.kelompok_lebak,
        "lembaga": lembaga,
        "mitra": mitra,
        "bantuan": bantuan,
        "angsuran": angsuran,
        "kunjungan": kunjungan,
        "kegiatan_program": kegiatan_program,
        "pihak_luar": pihak_luar,
        "tautan_pasar": TautanPasarFactory(pihak_luar=pihak_luar, mitra=mitra),
        "putaran": PutaranSurveiFactory(klaster=personas.klaster_lebak),
        "transaksi_tabungan": TransaksiTabunganFactory(mitra=mitra),
        "jumlah": Decimal("100000"),
    }
    # every persona signed in once, for every module that builds this world
    dunia["sesi"] = _sesi_persona(dunia)
    return dunia


def _isi_kwargs(url: Url, aturan: Aturan, dunia) -> dict:
    if not url.kwargs:
        return {}
    if set(url.kwargs) <= set(aturan.tetap):
        return dict(aturan.tetap)
    namespace = url.kunci.split(":")[0] if ":" in url.kunci else None
    nama_objek = aturan.objek or OBJEK_NAMESPACE.get(namespace)
    hasil = {}
    for kw in url.kwargs:
        if kw in aturan.tetap:
            hasil[kw] = aturan.tetap[kw]
            continue
        m = re.fullmatch(r"(\w+?)_(?:pk|id)", kw)
        if kw in {"pk", "id"} and nama_objek:
            hasil[kw] = dunia[nama_objek].pk
        elif nama_objek and hasattr(dunia[nama_objek], kw):
            hasil[kw] = getattr(dunia[nama_objek], kw)
        elif m and m.group(1) in dunia:
            hasil[kw] = dunia[m.group(1)].pk
        else:
            pytest.fail(
                f"{url.kunci}: do not know how to fill URL kwarg {kw!r}. Give its ATURAN "
                f"entry objek=<one of {sorted(dunia)}> in tests/test_matriks_izin.py."
            )
    return hasil


def _path(url: Url, aturan: Aturan, dunia) -> str:
    path = reverse(url.nama, kwargs=_isi_kwargs(url, aturan, dunia))
    if aturan.query:
        path += "?" + aturan.query.format(**dunia)
    return path


def _pengguna(persona, dunia):
    p = dunia["personas"]
    return {
        "fasilitator_dalam": p.fasilitator,
        "fasilitator_luar": p.fasilitator2,
        "manajer": p.manajer,
        "admin": p.admin,
        "fasilitator_manajer": p.fasilitator_manajer,
        "manajer_tanpa_tugas": p.manajer_tanpa_tugas,
        "fasilitator_tanpa_tugas": p.fasilitator_tanpa_tugas,
        "tanpa_peran": p.tanpa_peran,
    }[persona]


def _sesi_persona(dunia) -> dict[str, str]:
    """Each persona signed in once for the module: its session key. A sign-in is 15 queries
    (two sessions made, one deleted, last_login, the language preference); the matrix makes
    over a thousand clients. The sessions live in the module's transaction, so a case that
    changes its session (a sign-out, a language switch) is rolled back with its savepoint."""
    sesi = {}
    for persona in PERSONA:
        if persona != "anonim":
            client = Client()
            client.force_login(_pengguna(persona, dunia))
            sesi[persona] = client.cookies[settings.SESSION_COOKIE_NAME].value
    return sesi


def _klien(persona, dunia, **kwargs) -> Client:
    """A new client (its own cookies) signed in as `persona` with the module's session."""
    client = Client(**kwargs)
    if persona != "anonim":
        client.cookies[settings.SESSION_COOKIE_NAME] = dunia["sesi"][persona]
    return client


def harapan(aturan: Aturan, persona: str, ada_objek: bool):
    if persona in aturan.harapan:
        return aturan.harapan[persona]
    if persona == "anonim":
        if aturan.peran == "publik":
            return 200
        if aturan.peran == "staf":
            return LOGIN_ADMIN
        return {LOGIN, 405} if aturan.post else LOGIN
    if aturan.post:
        return 405
    if aturan.peran in {"masuk", "publik"}:
        return 200
    if aturan.peran == "staf":
        return 200 if persona == "admin" else LOGIN_ADMIN
    peran, dalam = SEPERTI[persona]
    if peran == "admin":
        return 200
    if peran is None:
        return 403  # in scope, without a role
    luar = not dalam and ada_objek
    if aturan.peran == "manajer":
        if peran == "manajer":
            return {403, 404} if luar else 200
        # out of scope and without the role: either answer leaks nothing
        return {403, 404} if luar else 403
    if aturan.peran == "petugas":
        return 404 if luar else 200
    raise AssertionError(f"unknown peran {aturan.peran!r}")


def _cocok(respons, yang_diharapkan) -> bool:
    if isinstance(yang_diharapkan, set):
        return any(_cocok(respons, h) for h in yang_diharapkan)
    lokasi = respons.get("Location", "")
    if yang_diharapkan == LOGIN:
        return respons.status_code == 302 and lokasi.startswith(reverse("akun:masuk") + "?next=")
    if yang_diharapkan == LOGIN_ADMIN:
        return respons.status_code == 302 and lokasi.startswith(reverse("admin:login") + "?next=")
    if yang_diharapkan == ALIH:
        return respons.status_code == 302 and "/masuk/" not in lokasi and "/login/" not in lokasi
    return respons.status_code == yang_diharapkan


def _isi_respons(respons) -> str:
    """The text a person would read: HTML, CSV, or the cells of an XLSX, or a PDF's text."""
    data = b"".join(respons.streaming_content) if respons.streaming else respons.content
    jenis = respons.get("Content-Type", "")
    if "spreadsheetml" in jenis:
        from openpyxl import load_workbook

        buku = load_workbook(io.BytesIO(data), read_only=True)
        return "\n".join(
            str(sel)
            for ws in buku.worksheets
            for baris in ws.iter_rows(values_only=True)
            for sel in baris
        )
    if "pdf" in jenis:
        from pypdf import PdfReader

        return "\n".join(
            halaman.extract_text() or "" for halaman in PdfReader(io.BytesIO(data)).pages
        )
    return data.decode("utf-8", errors="replace")


# --- the tests --------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONA)
@pytest.mark.parametrize("url", DIJALANI, ids=lambda u: u.kunci)
def test_matriks_izin(url, persona, dunia):
    aturan = aturan_untuk(url)
    if aturan is None:
        pytest.fail(
            f"URL {url.kunci!r} (route {url.rute!r}) is not declared in ATURAN in "
            "tests/test_matriks_izin.py. Add it, e.g. "
            f"{url.kunci!r}: PETUGAS (or MANAJER, POST_PETUGAS, POST_MANAJER, STAF), "
            "saying who may open it."
        )
    respons = _klien(persona, dunia).get(_path(url, aturan, dunia))
    # a URL that names a Lebak object (in its path or its query) is a 404 for an outsider
    diharapkan = harapan(
        aturan, persona, bool(set(url.kwargs) - set(aturan.tetap)) or bool(aturan.query)
    )
    assert _cocok(respons, diharapkan), (
        f"{url.kunci} as {persona}: expected {diharapkan}, got {respons.status_code} "
        f"{respons.get('Location', '')}"
    )
    if (
        respons.status_code == 200
        and url.nama not in NIK_PENUH
        and not url.kunci.startswith("admin:")
    ):
        teks = _isi_respons(respons)
        mitra = dunia["mitra"]
        bocor = [nama for nama in ("nik", "telepon") if getattr(mitra, nama) in teks]
        if url.nama in TELEPON_UNTUK_YANG_DITUGASKAN and persona in DITUGASKAN:
            bocor = [nama for nama in bocor if nama != "telepon"]
        if url.kunci in BOCOR_DIKETAHUI and persona != "fasilitator_luar":
            assert bocor, f"{url.kunci} masks the data now: remove it from BOCOR_DIKETAHUI"
            pytest.xfail(BOCOR_DIKETAHUI[url.kunci])
        assert not bocor, f"{url.kunci} shows a mitra's full {bocor} to {persona} (UU PDP)"


@pytest.mark.parametrize("url", DIJALANI, ids=lambda u: u.kunci)
def test_post_without_csrf_token_is_refused(url, dunia):
    aturan = aturan_untuk(url)
    if aturan is None:
        pytest.fail(f"URL {url.kunci!r} is not declared in ATURAN (see test_matriks_izin)")
    # the superuser may do anything, so only the missing token can be the reason to refuse
    client = _klien("admin", dunia, enforce_csrf_checks=True)
    respons = client.post(_path(url, aturan, dunia), {"jumlah": "1000", "alasan": "uji"})
    assert respons.status_code == 403, (
        f"{url.kunci}: POST without CSRF token got {respons.status_code}"
    )


def test_the_table_names_no_url_that_is_gone():
    ada = {u.kunci for u in SEMUA_URL}
    hilang = sorted(set(ATURAN) - ada)
    assert not hilang, f"ATURAN declares URLs that no longer exist: {hilang}"


def test_the_walk_sees_the_whole_urlconf():
    # a guard on the walker itself: it must reach nested namespaces and the admin
    kunci = {u.kunci for u in SEMUA_URL}
    assert {"mitra:detail", "akun:riwayat", "admin:index"} <= kunci
    assert any(k.endswith("_changelist") for k in kunci)
    assert all(aturan_untuk(u) and aturan_untuk(u).abaikan for u in SEMUA_URL if u not in DIJALANI)


# --- roles per klaster on the writes (issue 14, item 6) ------------------------------------


def _pinjaman_berstatus(dunia, status):
    from bantuan.tests.factories import BantuanFactory

    return BantuanFactory(
        mitra=dunia["mitra"],
        status=status,
        tanggal_pengajuan=datetime.date(2012, 1, 10),
        tanggal_keputusan=datetime.date(2012, 1, 12) if status == "disetujui" else None,
    )


@pytest.mark.parametrize(
    ("nama_url", "status", "data"),
    [
        ("bantuan:setujui", "diajukan", {"tanggal": "2012-01-12", "konfirmasi": "on"}),
        ("bantuan:tolak", "diajukan", {"alasan": "uji", "konfirmasi": "on"}),
        ("bantuan:cairkan", "disetujui", {"tanggal_cair": "2012-01-15", "konfirmasi": "on"}),
        (
            "bantuan:hapus_buku",
            "dicairkan",
            {"alasan": "uji", "tanggal": "2013-01-01", "konfirmasi": "on"},
        ),
    ],
)
def test_a_manager_group_member_assigned_as_fasilitator_cannot_decide_the_klasters_loans(
    dunia, nama_url, status, data
):
    from bantuan.models import Bantuan

    bantuan = dunia["bantuan"] if status == "dicairkan" else _pinjaman_berstatus(dunia, status)
    sebelum = list(Bantuan.objects.filter(pk=bantuan.pk).values())
    client = _klien("fasilitator_manajer", dunia)
    respons = client.post(reverse(nama_url, args=[bantuan.pk]), data)
    assert respons.status_code == 403
    assert list(Bantuan.objects.filter(pk=bantuan.pk).values()) == sebelum
    # the manager of the klaster may (the same request, the same loan)
    respons = _klien("manajer", dunia).post(reverse(nama_url, args=[bantuan.pk]), data)
    assert respons.status_code == 302, [
        respons.context[k].errors
        for k in ("form_setujui", "form_tolak", "form_cairkan", "form_hapus_buku")
        if respons.context and respons.context.get(k)
    ]
    assert list(Bantuan.objects.filter(pk=bantuan.pk).values()) != sebelum


def test_the_services_read_the_role_in_the_klaster_too(dunia):
    from django.core.exceptions import PermissionDenied

    from bantuan import services as bantuan_services
    from mitra import services as mitra_services

    p = dunia["personas"]
    with pytest.raises(PermissionDenied):
        bantuan_services.bantuan_hapus_buku(
            bantuan=dunia["bantuan"], oleh=p.fasilitator_manajer, alasan="uji"
        )
    with pytest.raises(PermissionDenied):
        bantuan_services.bantuan_setujui(
            bantuan=_pinjaman_berstatus(dunia, "diajukan"), oleh=p.fasilitator_manajer
        )
    with pytest.raises(PermissionDenied):
        mitra_services.mitra_ubah(mitra=dunia["mitra"], oleh=p.tanpa_peran, nama="Siti Baru")
    # as a fasilitator there the member of the manager group still proposes financing
    b = bantuan_services.bantuan_ajukan(
        oleh=p.fasilitator_manajer,
        klaster=p.klaster_lebak,
        jenis="hibah_modal",
        sumber_dana=dunia["bantuan"].sumber_dana,
        jumlah=Decimal("500000"),
        tanggal_pengajuan=datetime.date(2012, 5, 1),
        mitra=dunia["mitra"],
    )
    assert b.diajukan_oleh == p.fasilitator_manajer


def test_the_import_is_for_the_managers_of_the_klaster(dunia):
    from django.core.exceptions import PermissionDenied

    from impor.layanan import impor_berkas

    p = dunia["personas"]
    for user in (p.fasilitator_manajer, p.manajer_tanpa_tugas):
        with pytest.raises(PermissionDenied):
            impor_berkas(
                jenis="mitra", data=b"NIK,Nama\n", nama_berkas="m.csv", oleh=user,
                klaster=p.klaster_lebak,
            )  # fmt: skip

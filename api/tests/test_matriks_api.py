"""The API's permission matrix: every URL of the `api` namespace × nine personas, with a
personal token and with the browser's session (tests/test_matriks_izin.py does the same for
the web pages and leaves the api: URLs to this file).

The URLs are walked from the URLconf at collection time: a new API URL that is not declared
in ATURAN fails here with a message saying how to declare it.

    persona             masuk (klaster)     petugas (a role)   publik   POST-only
    anonim              401                 401                200      401
    fasilitator_dalam   200                 200                200      405
    fasilitator_luar    200 / 404*          200 / 404*         200      405
    manajer, admin      200                 200                200      405
    tanpa_peran         200                 403                200      405

    * 404 when the URL names a Lebak object (path or query): fasilitator2 works in
      Malingping and must not learn it exists. `tanpa_peran` is assigned to Lebak without a
      role group: like the web, only the klaster pages open for it (the rest: 403).
    fasilitator_manajer answers as fasilitator_dalam; manajer_tanpa_tugas and
    fasilitator_tanpa_tugas (a role, no assignment) as fasilitator_luar.

Two more sweeps: a POST through the session without a CSRF token is refused (403) on every
URL that takes a POST, and no answer shows a mitra's full NIK or phone except the mitra's own
detail (as on the web: tests/test_matriks_izin.py NIK_PENUH).
"""

from dataclasses import dataclass, field

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework.test import APIClient

from api import services

PERSONA = (
    "anonim",
    "fasilitator_dalam",
    "fasilitator_luar",
    "manajer",
    "admin",
    "tanpa_peran",
    "fasilitator_manajer",
    "manajer_tanpa_tugas",
    "fasilitator_tanpa_tugas",
)
# who answers like whom: a role without an assignment sees no Lebak object (as fasilitator2);
# a manager assigned to Lebak as fasilitator is a fasilitator there
SEPERTI = {
    "fasilitator_manajer": "fasilitator_dalam",
    "manajer_tanpa_tugas": "fasilitator_luar",
    "fasilitator_tanpa_tugas": "fasilitator_luar",
}


@dataclass(frozen=True)
class Aturan:
    peran: str = "masuk"  # publik | masuk | petugas
    objek: str | None = None  # the `dunia` object that fills <pk>
    query: str = ""  # formatted with `dunia`
    post_saja: bool = False  # POST only: a GET answers 405
    harapan: dict = field(default_factory=dict)


ATURAN: dict[str, Aturan] = {
    "api:klaster-list": Aturan(),
    "api:klaster-detail": Aturan(objek="klaster"),
    "api:kelompok-list": Aturan("petugas"),
    "api:kelompok-detail": Aturan("petugas", objek="kelompok"),
    "api:mitra-list": Aturan("petugas"),
    "api:mitra-detail": Aturan("petugas", objek="mitra"),
    "api:bantuan-list": Aturan("petugas"),
    "api:bantuan-detail": Aturan("petugas", objek="bantuan"),
    "api:angsuran-list": Aturan("petugas"),
    "api:angsuran-detail": Aturan("petugas", objek="angsuran"),
    "api:pengukuran-list": Aturan("petugas"),
    "api:pengukuran-detail": Aturan("petugas", objek="pengukuran"),
    "api:kunjungan-list": Aturan("petugas"),
    "api:kunjungan-detail": Aturan("petugas", objek="kunjungan"),
    "api:laporan_dampak": Aturan("petugas", query="klaster={klaster.pk}"),
    "api:kobo_xlsform": Aturan("petugas", objek="kelompok"),
    "api:kobo_kiriman": Aturan("petugas", post_saja=True),
    "api:skema": Aturan("publik"),
    "api:docs": Aturan("publik"),
    "api:redoc": Aturan("publik"),
}

# URLs that take a POST (the CSRF sweep)
MENERIMA_POST = {"api:mitra-list", "api:kunjungan-list", "api:pengukuran-list", "api:kobo_kiriman"}
# answers that may show a mitra's full NIK and phone: the mitra's own detail, as on the web
NIK_PENUH = {"api:mitra-detail"}


def _jelajahi(resolver=None, namespace=None) -> list[tuple[str, list[str]]]:
    hasil = []
    for p in (resolver or get_resolver()).url_patterns:
        if isinstance(p, URLResolver):
            ns = p.namespace and (f"{namespace}:{p.namespace}" if namespace else p.namespace)
            hasil += _jelajahi(p, ns or namespace)
        elif isinstance(p, URLPattern) and namespace == "api":
            kwargs = list(getattr(p.pattern, "converters", None) or p.pattern.regex.groupindex)
            hasil.append((f"api:{p.name}", kwargs))
    return hasil


URL_API = _jelajahi()


def _path(kunci: str, kwargs, aturan: Aturan, dunia) -> str:
    isi = {kw: getattr(dunia, aturan.objek).pk for kw in kwargs}
    path = reverse(kunci, kwargs=isi)
    if aturan.query:
        path += "?" + aturan.query.format(**vars(dunia))
    return path


def _user(persona, dunia):
    p = dunia.personas
    if persona in {"tanpa_peran", *SEPERTI}:
        return getattr(dunia, persona)
    return {
        "fasilitator_dalam": p.fasilitator,
        "fasilitator_luar": p.fasilitator2,
        "manajer": p.manajer,
        "admin": p.admin,
    }.get(persona)


def _klien(persona, dunia, cara: str) -> APIClient:
    klien = APIClient()
    user = _user(persona, dunia)
    if user is None:
        return klien
    if cara == "token":
        _token, kunci = services.token_buat(pengguna=user, nama="matriks")
        klien.credentials(HTTP_AUTHORIZATION=f"Token {kunci}")
    else:
        klien.force_login(user)
    return klien


def harapan(aturan: Aturan, persona: str) -> int:
    persona = SEPERTI.get(persona, persona)
    if persona in aturan.harapan:
        return aturan.harapan[persona]
    if aturan.peran == "publik":
        return 200
    if persona == "anonim":
        return 401
    if aturan.post_saja:
        return 405  # the method is refused before the role is read
    if aturan.peran == "petugas" and persona == "tanpa_peran":
        return 403
    if persona == "fasilitator_luar" and (aturan.objek or aturan.query):
        return 404
    return 200


def test_every_api_url_is_declared():
    kunci = {k for k, _kw in URL_API}
    assert kunci, "the walk found no api: URL"
    belum = sorted(kunci - set(ATURAN))
    assert not belum, (
        f"API URLs not declared in ATURAN of api/tests/test_matriks_api.py: {belum}. Add each, "
        "e.g. 'api:nama': Aturan('masuk', objek='mitra'), saying who may open it."
    )
    hilang = sorted(set(ATURAN) - kunci)
    assert not hilang, f"ATURAN declares API URLs that no longer exist: {hilang}"


# every persona with a token; through the session, the ones whose answer is not a plain 200
CARA_PERSONA = [("token", p) for p in PERSONA] + [
    ("sesi", p) for p in ("anonim", "fasilitator_luar", "tanpa_peran")
]


@pytest.mark.parametrize(
    ("cara", "persona"), CARA_PERSONA, ids=[f"{c}-{p}" for c, p in CARA_PERSONA]
)
@pytest.mark.parametrize("url", URL_API, ids=lambda u: u[0])
def test_matriks_api(url, persona, cara, dunia):
    kunci, kwargs = url
    aturan = ATURAN.get(kunci)
    if aturan is None:
        pytest.fail(f"{kunci} is not declared in ATURAN (see test_every_api_url_is_declared)")
    respons = _klien(persona, dunia, cara).get(_path(kunci, kwargs, aturan, dunia))
    diharapkan = harapan(aturan, persona)
    assert respons.status_code == diharapkan, (
        f"{kunci} as {persona} ({cara}): expected {diharapkan}, got {respons.status_code} "
        f"{getattr(respons, 'data', '')}"
    )
    if respons.status_code == 200 and kunci not in NIK_PENUH:
        isi = respons.content.decode("utf-8", errors="replace")
        bocor = [n for n in ("nik", "telepon") if getattr(dunia.mitra, n) in isi]
        assert not bocor, f"{kunci} shows a mitra's full {bocor} to {persona} (UU PDP)"


@pytest.mark.parametrize("kunci", sorted(MENERIMA_POST))
def test_session_post_without_csrf_token_is_refused(kunci, dunia):
    klien = APIClient(enforce_csrf_checks=True)
    klien.force_login(dunia.personas.admin)
    respons = klien.post(reverse(kunci), {}, format="json")
    assert respons.status_code == 403, f"{kunci}: {respons.status_code}"
    assert "CSRF" in respons.json()["detail"]


@pytest.mark.parametrize("kunci", sorted(MENERIMA_POST))
def test_token_post_needs_no_csrf_token(kunci, dunia, klien_token):
    # a token is not a cookie: no other site can make a browser send it
    respons = klien_token(dunia.personas.admin).post(reverse(kunci), {}, format="json")
    assert respons.status_code == 400, f"{kunci}: {respons.status_code}"


def test_the_full_nik_is_on_the_mitra_detail_only(dunia, klien_token):
    klien = klien_token(dunia.personas.fasilitator)
    detail = klien.get(reverse("api:mitra-detail", args=[dunia.mitra.pk])).json()
    assert detail["nik"] == dunia.mitra.nik and detail["telepon"] == dunia.mitra.telepon
    daftar = klien.get(reverse("api:mitra-list")).json()["results"]
    assert [m["nik"] for m in daftar] == [dunia.mitra.nik_tersamar]
    assert [m["telepon"] for m in daftar] == [dunia.mitra.telepon_tersamar]

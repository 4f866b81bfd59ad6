"""A superuser on an empty database (a fresh production install: no klaster, no region
assigned, nothing imported yet) opens every URL of the permission matrix: each answers
200, a redirect, 403, 404 or 405 — never a server error (issue 14, item 4)."""

import uuid

import pytest
from django.urls import reverse

from klaster.models import Klaster
from klaster.tests.factories import UserFactory
from tests.test_matriks_izin import DIJALANI, _isi_kwargs, aturan_untuk

JAWABAN_SAH = {200, 301, 302, 403, 404, 405}


class _Semu:
    """Stands for any object a URL names: id 1, which does not exist."""

    pk = 1

    def __getattr__(self, nama):
        return 1


class _SemuUuid(_Semu):
    """A background job (tugas/) is named by a random uuid; this one does not exist."""

    pk = uuid.UUID(int=1)


class _DuniaKosong(dict):
    def __missing__(self, kunci):
        return _SemuUuid() if kunci == "tugas" else _Semu()

    def __contains__(self, kunci):
        return True


@pytest.mark.parametrize("url", DIJALANI, ids=lambda u: u.kunci)
def test_a_superuser_on_an_empty_database_gets_no_server_error(client, db, url):
    aturan = aturan_untuk(url)
    if aturan is None:
        pytest.fail(f"URL {url.kunci!r} is not declared in ATURAN (tests/test_matriks_izin.py)")
    assert not Klaster.objects.exists()
    client.force_login(UserFactory(username="admin", is_staff=True, is_superuser=True))
    dunia = _DuniaKosong()
    path = reverse(url.nama, kwargs=_isi_kwargs(url, aturan, dunia))
    if aturan.query:
        path += "?" + aturan.query.format_map(dunia)
    respons = client.get(path)
    assert respons.status_code in JAWABAN_SAH, f"{url.kunci}: {respons.status_code} at {path}"

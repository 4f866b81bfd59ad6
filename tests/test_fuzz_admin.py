"""No server error on any query parameter of the Django admin (issue 14 item 8).

The admin's changelists and django-import-export's export pages, as the admin, with odd
values in their search, ordering, page, export format and every filter link the page offers
(list_filter, date_hierarchy): `/admin/mitra/mitra/export/?format=1` and a date_hierarchy
year beyond `datetime` answered 500. A file of its own so that it runs beside the pages'
sweep (tests/test_fuzz_parameter.py) on another worker.
"""

import pytest
from django.urls import reverse

from tests.test_fuzz_parameter import _minta, _parameter_halaman
from tests.test_matriks_izin import (
    SEMUA_URL,
    _cepat_dan_terisolasi,  # noqa: F401 (its media folder, where the world's photo is)
    _dunia_modul,  # noqa: F401
    _klien,
    _media_matriks,  # noqa: F401
    dunia,  # noqa: F401 (the matrix's world: one object of each kind in Lebak)
)

URL_ADMIN = [
    u
    for u in SEMUA_URL
    if u.nama
    and u.nama.startswith("admin:")
    and not u.kwargs
    and (u.nama.endswith("_changelist") or u.nama.endswith("_export"))
]


# the admin's own parsing: the calendar's ends, year 0, a huge number, the wrong type, NUL
NILAI_ADMIN = ["0001-01-01", "0000-01", "99999999999999999999", "abc", "a\x00b"]


# a date filter given a bare date on a DateTimeField (axes' logs) warns, as it should
@pytest.mark.filterwarnings("ignore:DateTimeField .* received a naive datetime:RuntimeWarning")
def test_no_admin_list_or_export_parameter_makes_a_server_error(dunia):  # noqa: F811
    client = _klien("admin", dunia)
    galat: list[str] = []
    jumlah = 0
    for url in URL_ADMIN:
        path = reverse(url.nama)
        pertama = _minta(client, path, {}, galat)
        if pertama is None:
            continue
        # search, ordering, page, the error flag, the export format, and the page's own
        # filter links (list_filter, date_hierarchy)
        nama = {"q", "o", "p", "e", "format"} | _parameter_halaman(pertama, path)
        for n in sorted(nama):
            for nilai in NILAI_ADMIN:
                _minta(client, path, {n: nilai}, galat)
                jumlah += 1
    assert jumlah >= len(URL_ADMIN) * 5 * len(NILAI_ADMIN)
    assert not galat, f"{len(galat)} of {jumlah} requests failed:\n" + "\n".join(galat)


def test_the_admin_export_with_format_1_is_not_a_server_error(dunia):  # noqa: F811
    # the case the issue found: django-import-export's format index taken from the query
    client = _klien("admin", dunia)
    galat: list[str] = []
    respons = _minta(client, "/admin/mitra/mitra/export/", {"format": "1"}, galat)
    assert not galat
    # sent back to the list with a message that says what to do
    assert respons.status_code == 302
    assert respons["Location"] == reverse("admin:mitra_mitra_changelist")
    pesan = [str(m) for m in client.get(respons["Location"]).context["messages"]]
    assert any("saringan yang tidak dikenal" in p for p in pesan), pesan

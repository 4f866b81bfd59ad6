"""No server error on any query parameter, as the facilitator (issue 14 item 8): the
manager's sweep and the rest are in tests/test_fuzz_parameter.py. A file of its own so that
the two long sweeps run on the two workers at once."""

import pytest

from tests.test_fuzz_parameter import PERSONA_FUZZ, periksa_semua_halaman
from tests.test_matriks_izin import (
    _cepat_dan_terisolasi,  # noqa: F401 (its media folder, where the world's photo is)
    _dunia_modul,  # noqa: F401
    _media_matriks,  # noqa: F401
    dunia,  # noqa: F401 (the matrix's world: one object of each kind in Lebak)
)


@pytest.mark.parametrize("persona", PERSONA_FUZZ[1:])
def test_no_query_parameter_makes_a_server_error(persona, dunia):  # noqa: F811
    periksa_semua_halaman(persona, dunia)

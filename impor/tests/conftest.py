import datetime

import pytest

from mitra.tests.factories import MitraFactory


@pytest.fixture
def mitra_lama(personas):
    lama = MitraFactory(
        klaster=personas.klaster_lebak,
        kelompok=personas.kelompok_lebak,
        nik="3602061203700009",
        nama="Rohmat",
        jenis_kelamin="L",
        tanggal_lahir=datetime.date(1970, 3, 12),
        telepon="081200000009",
        sektor="pertanian",
        tanggal_bergabung=datetime.date(2011, 6, 1),
    )
    sama = MitraFactory(
        klaster=personas.klaster_lebak,
        kelompok=personas.kelompok_lebak,
        nik="3602065208750010",
        nama="Sarah",
        jenis_kelamin="P",
        tanggal_lahir=datetime.date(1975, 8, 12),
        telepon="081200000010",
        sektor="pertanian",
        tanggal_bergabung=datetime.date(2011, 6, 1),
    )
    lain = MitraFactory(klaster=personas.klaster_lain, nik="3602061506780008")
    return lama, sama, lain

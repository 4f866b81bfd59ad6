"""One handler per kind of import."""

from impor.jenis.angsuran import PenanganAngsuran
from impor.jenis.bantuan import PenanganBantuan
from impor.jenis.kelompok import PenanganKelompok
from impor.jenis.mitra import PenanganMitra
from impor.jenis.pengukuran import PenanganPengukuran

PENANGAN = {
    "mitra": PenanganMitra,
    "kelompok": PenanganKelompok,
    "bantuan": PenanganBantuan,
    "angsuran": PenanganAngsuran,
    "pengukuran": PenanganPengukuran,
}

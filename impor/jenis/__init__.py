"""One handler per kind of import."""

from impor.jenis.angsuran import PenanganAngsuran
from impor.jenis.bantuan import PenanganBantuan
from impor.jenis.kegiatan import PenanganKegiatan
from impor.jenis.kelompok import PenanganKelompok
from impor.jenis.mitra import PenanganMitra
from impor.jenis.pengukuran import PenanganPengukuran
from impor.jenis.peserta import PenanganPeserta
from impor.jenis.survei import PenanganSurvei

PENANGAN = {
    "mitra": PenanganMitra,
    "kelompok": PenanganKelompok,
    "bantuan": PenanganBantuan,
    "angsuran": PenanganAngsuran,
    "pengukuran": PenanganPengukuran,
    "kegiatan": PenanganKegiatan,
    "peserta": PenanganPeserta,
    "survei": PenanganSurvei,
}

"""Importing mitra."""

from django.utils.translation import gettext as _

from impor import bersih
from impor.hasil import Galat
from impor.penangan import Penangan, _dalam_potongan, _peta_pilihan
from impor.skema import SKEMA
from klaster.aturan import teks_satu_baris
from klaster.models import Wilayah
from mitra import aturan

PETA_STATUS_MITRA = {
    "calon": "calon",
    "aktif": "aktif",
    "lulus": "lulus",
    "keluar": "keluar",
    "mundur": "keluar",
    "tidak aktif": "keluar",
}
PETA_STATUS_KELOMPOK = {
    "aktif": "aktif",
    "mandiri": "mandiri",
    "tidak aktif": "tidak_aktif",
    "tidak_aktif": "tidak_aktif",
    "nonaktif": "tidak_aktif",
    "non aktif": "tidak_aktif",
    "bubar": "tidak_aktif",
}


def _telepon(nilai) -> str:
    """A numeric cell lost its leading zero (bersih.telepon restores it); text is checked by
    mitra.aturan like the form's."""
    if isinstance(nilai, int | float) and not isinstance(nilai, bool):
        return bersih.telepon(nilai)
    return bersih.teks(nilai)


class PenanganMitra(Penangan):
    skema = SKEMA["mitra"]
    pembersih = {
        "nik": bersih.nik,
        "nama": bersih.nama_orang,
        "jenis_kelamin": bersih.jenis_kelamin,
        "tanggal_lahir": bersih.tanggal,
        "telepon": _telepon,
        "sektor": bersih.sektor,
        "tanggal_bergabung": bersih.tanggal,
        "tanggal_keluar": bersih.tanggal,
        "status": _peta_pilihan("Status", PETA_STATUS_MITRA, "calon, aktif, lulus, keluar"),
        # the bounds (1..50) are mitra.aturan's, checked with the same message as the form
        "jumlah_anggota_keluarga": lambda v: bersih.bilangan_bulat(
            v, nama_kolom="Jumlah anggota keluarga"
        ),
    }

    def identitas(self, b):
        return (b.bersih["nik"],)

    def judul_identitas(self):
        return self.judul("nik")

    def siapkan(self, daftar):
        from mitra.models import Mitra

        niks = sorted({b.bersih["nik"] for b in daftar})
        self._ada = {}
        for potong in _dalam_potongan(niks):
            self._ada.update({m.nik: m for m in Mitra.objects.filter(nik__in=potong)})
        prefiks = {f"{n[0:2]}.{n[2:4]}.{n[4:6]}" for n in niks}
        self._kecamatan = {
            k.replace(".", "")
            for k in Wilayah.objects.filter(
                tingkat=Wilayah.Tingkat.KECAMATAN, kode__in=sorted(prefiks)
            ).values_list("kode", flat=True)
        }
        klaster_ids = sorted({b.klaster.pk for b in daftar})
        self._muat_desa(klaster_ids)
        self._muat_kelompok(klaster_ids)

    def putuskan(self, b):
        from mitra import nik as nik_rules
        from mitra.models import Mitra

        d = b.bersih
        hasil = nik_rules.periksa_nik(
            d["nik"], kecamatan_dikenal=self._kecamatan, hari_ini=self.hari_ini
        )
        for pesan in hasil.galat:
            b.tolak(self.judul("nik"), pesan)
        desa = self._desa(b)
        kelompok = self._kelompok(b, "kelompok") if "kelompok" in d else None
        lama = self._ada.get(d["nik"])
        if lama is not None and lama.klaster_id != b.klaster.pk:
            # say nothing about where: the other klaster may be outside the importer's scope
            b.tolak(
                self.judul("nik"),
                _(
                    "NIK ini sudah terdaftar di klaster lain. Periksa kembali NIK dari KTP; jika "
                    "sudah benar, hubungi admin program untuk memindahkan mitra."
                ),
            )
        nilai = {
            "nik": d["nik"],
            "nama": aturan.bersihkan_nama(d["nama"]),
            "jenis_kelamin": d["jenis_kelamin"],
            "tanggal_lahir": d["tanggal_lahir"],
            "desa_id": desa.pk if desa else None,
            "sektor": d["sektor"],
            "tanggal_bergabung": d["tanggal_bergabung"],
            "klaster_id": b.klaster.pk,
        }
        # optional columns: present in the file → applied (blank clears); absent → untouched
        opsional = {
            "telepon": ("telepon", aturan.bersihkan_telepon(d.get("telepon"))),
            "alamat": ("alamat", teks_satu_baris(d.get("alamat"))),
            "jenis_usaha": ("jenis_usaha", teks_satu_baris(d.get("jenis_usaha"))),
            "kelompok": ("kelompok_id", kelompok.pk if kelompok else None),
            "status": ("status", d.get("status") or Mitra.Status.AKTIF),
            "tanggal_keluar": ("tanggal_keluar", d.get("tanggal_keluar")),
            "jumlah_anggota_keluarga": (
                "jumlah_anggota_keluarga",
                1 if d.get("jumlah_anggota_keluarga") is None else d["jumlah_anggota_keluarga"],
            ),
        }
        for kunci, (f, v) in opsional.items():
            if kunci in b.nilai or lama is None:
                nilai[f] = v

        def akhir(f):  # the value the record will hold: from the file, or kept
            return nilai[f] if f in nilai else getattr(lama, f)

        # the rules every door applies (mitra.aturan), on the values the record will hold
        self._tolak_galat(
            b,
            aturan.periksa_mitra(
                nama=akhir("nama"),
                tanggal_lahir=akhir("tanggal_lahir"),
                tanggal_bergabung=akhir("tanggal_bergabung"),
                tanggal_keluar=akhir("tanggal_keluar"),
                status=akhir("status"),
                telepon=akhir("telepon"),
                jumlah_anggota_keluarga=akhir("jumlah_anggota_keluarga"),
                klaster=b.klaster,
                hari_ini=self.hari_ini,
            ),
        )
        if b.galat:
            return
        self._terapkan(b, lama or Mitra, nilai, baru=lama is None)
        m = b.obj
        for pesan in nik_rules.beda_dengan_data(
            hasil, tanggal_lahir=m.tanggal_lahir, jenis_kelamin=m.jenis_kelamin
        ):
            b.peringatan.append(Galat(b.nomor, self.judul("nik"), pesan))

    def tulis(self, daftar, *, oleh, alasan):
        from mitra.models import Mitra

        self._tulis_bulk(Mitra, daftar, oleh=oleh, alasan=alasan)

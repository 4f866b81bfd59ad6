"""Importing mitra."""

from django.utils.translation import gettext as _

from impor import bersih
from impor.hasil import Galat
from impor.penangan import Penangan, _dalam_potongan, _peta_pilihan
from impor.skema import SKEMA
from klaster.models import Wilayah

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


class PenanganMitra(Penangan):
    skema = SKEMA["mitra"]
    pembersih = {
        "nik": bersih.nik,
        "nama": bersih.nama_orang,
        "jenis_kelamin": bersih.jenis_kelamin,
        "tanggal_lahir": bersih.tanggal,
        "telepon": bersih.telepon,
        "sektor": bersih.sektor,
        "tanggal_bergabung": bersih.tanggal,
        "tanggal_keluar": bersih.tanggal,
        "status": _peta_pilihan("Status", PETA_STATUS_MITRA, "calon, aktif, lulus, keluar"),
        "jumlah_anggota_keluarga": lambda v: bersih.bilangan_bulat(
            v, nama_kolom="Jumlah anggota keluarga", minimum=1, maksimum=50
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
        for kunci in ("tanggal_lahir", "tanggal_bergabung", "tanggal_keluar"):
            self._tanggal_lalu(b, kunci)
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
        if b.galat:
            return
        nilai = {
            "nik": d["nik"],
            "nama": d["nama"],
            "jenis_kelamin": d["jenis_kelamin"],
            "tanggal_lahir": d["tanggal_lahir"],
            "desa_id": desa.pk,
            "sektor": d["sektor"],
            "tanggal_bergabung": d["tanggal_bergabung"],
            "klaster_id": b.klaster.pk,
        }
        # optional columns: present in the file → applied (blank clears); absent → untouched
        opsional = {
            "telepon": ("telepon", d.get("telepon") or ""),
            "alamat": ("alamat", d.get("alamat") or ""),
            "jenis_usaha": ("jenis_usaha", d.get("jenis_usaha") or ""),
            "kelompok": ("kelompok_id", kelompok.pk if kelompok else None),
            "status": ("status", d.get("status") or Mitra.Status.AKTIF),
            "tanggal_keluar": ("tanggal_keluar", d.get("tanggal_keluar")),
            "jumlah_anggota_keluarga": (
                "jumlah_anggota_keluarga",
                d.get("jumlah_anggota_keluarga") or 1,
            ),
        }
        for kunci, (f, v) in opsional.items():
            if kunci in b.nilai or lama is None:
                nilai[f] = v
        self._terapkan(b, lama or Mitra, nilai, baru=lama is None)
        m = b.obj
        if m.tanggal_keluar and m.tanggal_keluar < m.tanggal_bergabung:
            b.tolak(
                self.judul("tanggal_keluar"),
                _("Tanggal keluar tidak boleh sebelum tanggal bergabung."),
            )
        if m.status == Mitra.Status.KELUAR and not m.tanggal_keluar:
            b.tolak(
                self.judul("tanggal_keluar"),
                _("Isi tanggal keluar untuk mitra yang berstatus keluar."),
            )
        if m.tanggal_lahir >= m.tanggal_bergabung:
            b.tolak(
                self.judul("tanggal_lahir"),
                _("Tanggal lahir harus sebelum tanggal bergabung; periksa tahunnya."),
            )
        for pesan in nik_rules.beda_dengan_data(
            hasil, tanggal_lahir=m.tanggal_lahir, jenis_kelamin=m.jenis_kelamin
        ):
            b.peringatan.append(Galat(b.nomor, self.judul("nik"), pesan))

    def tulis(self, daftar, *, oleh, alasan):
        from mitra.models import Mitra

        self._tulis_bulk(Mitra, daftar, oleh=oleh, alasan=alasan)

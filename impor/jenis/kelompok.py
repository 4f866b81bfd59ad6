"""Importing kelompok."""

from django.utils.translation import gettext as _

from impor import bersih
from impor.jenis.mitra import PETA_STATUS_KELOMPOK
from impor.penangan import Penangan, _peta_pilihan
from impor.skema import SKEMA
from kelompok import aturan
from klaster.aturan import teks_satu_baris


class PenanganKelompok(Penangan):
    skema = SKEMA["kelompok"]
    pembersih = {
        "nama": bersih.nama_orang,
        "sektor": bersih.sektor,
        "tanggal_dibentuk": bersih.tanggal,
        "status": _peta_pilihan("Status", PETA_STATUS_KELOMPOK, "aktif, mandiri, tidak aktif"),
        "ketua": bersih.nik,
    }

    def identitas(self, b):
        return (b.klaster.pk, b.bersih["kode"].casefold())

    def judul_identitas(self):
        return self.judul("kode")

    def siapkan(self, daftar):
        from kelompok.models import Lembaga
        from mitra.models import Mitra

        klaster_ids = sorted({b.klaster.pk for b in daftar})
        self._muat_desa(klaster_ids)
        self._muat_kelompok(klaster_ids)
        self._lembaga = {
            (lb.klaster_id, bersih.kunci_teks(lb.nama)): lb
            for lb in Lembaga.objects.filter(klaster_id__in=klaster_ids)
        }
        niks = sorted({b.bersih["ketua"] for b in daftar if b.bersih.get("ketua")})
        self._ketua = {
            m.nik: m
            for m in Mitra.objects.filter(nik__in=niks, klaster_id__in=klaster_ids).only(
                "nik", "klaster_id", "kelompok_id"
            )
        }

    def putuskan(self, b):
        from kelompok.models import Kelompok

        d = b.bersih
        desa = self._desa(b)
        lama = self._peta_kelompok.get((b.klaster.pk, "kode", d["kode"].casefold()))
        kode = aturan.bersihkan_kode(d["kode"]) if lama is None else lama.kode
        nama = aturan.bersihkan_nama(d["nama"])
        # the rules every door applies (kelompok.aturan)
        self._tolak_galat(
            b,
            aturan.periksa_kelompok(
                kode=kode,
                nama=nama,
                tanggal_dibentuk=d["tanggal_dibentuk"],
                klaster=b.klaster,
                hari_ini=self.hari_ini,
            ),
        )
        lembaga = None
        if d.get("lembaga"):
            lembaga = self._lembaga.get((b.klaster.pk, bersih.kunci_teks(d["lembaga"])))
            if lembaga is None:
                b.tolak(
                    self.judul("lembaga"),
                    _(
                        "Lembaga '%(nama)s' tidak ada di klaster ini; buat lembaganya dulu atau "
                        "kosongkan kolom ini."
                    )
                    % {"nama": d["lembaga"]},
                )
        ketua = None
        if d.get("ketua"):
            ketua = self._ketua.get(d["ketua"])
            if ketua is None:
                b.tolak(
                    self.judul("ketua"),
                    _("Mitra dengan NIK ketua ini tidak ada di klaster ini; impor mitra dulu."),
                )
            elif lama is None or ketua.kelompok_id != lama.pk:
                b.tolak(
                    self.judul("ketua"),
                    _(
                        "Ketua harus anggota kelompok ini: impor kelompok tanpa ketua, impor "
                        "mitra dengan kelompoknya, lalu impor ulang kelompok dengan ketua."
                    ),
                )
        if b.galat:
            return
        nilai = {
            "kode": kode,
            "nama": nama,
            "sektor": d["sektor"],
            "desa_id": desa.pk,
            "tanggal_dibentuk": d["tanggal_dibentuk"],
            "klaster_id": b.klaster.pk,
        }
        opsional = {
            "usaha_kelompok": ("usaha_kelompok", teks_satu_baris(d.get("usaha_kelompok"))),
            "status": ("status", d.get("status") or Kelompok.Status.AKTIF),
            "lembaga": ("lembaga_id", lembaga.pk if lembaga else None),
            "ketua": ("ketua_id", ketua.pk if ketua else None),
        }
        for kunci, (f, v) in opsional.items():
            if kunci in b.nilai or lama is None:
                nilai[f] = v
        self._terapkan(b, lama or Kelompok, nilai, baru=lama is None)

    def tulis(self, daftar, *, oleh, alasan):
        from kelompok.models import Kelompok

        self._tulis_bulk(Kelompok, daftar, oleh=oleh, alasan=alasan)

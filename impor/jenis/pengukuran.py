"""Importing income readings (pengukuran pendapatan)."""

from django.utils.translation import gettext as _

from impor import bersih
from impor.penangan import Penangan, _dalam_potongan, _peta_pilihan
from impor.skema import SKEMA
from klaster.format import format_tanggal

PETA_JENIS_PENGUKURAN = {
    "baseline": "baseline",
    "awal": "baseline",
    "dasar": "baseline",
    "data dasar": "baseline",
    "monitoring": "monitoring",
    "pemantauan": "monitoring",
    "tengah": "monitoring",
    "endline": "endline",
    "akhir": "endline",
}


class PenanganPengukuran(Penangan):
    skema = SKEMA["pengukuran"]
    pembersih = {
        "nik": bersih.nik,
        "tanggal": bersih.tanggal,
        "pendapatan_bulanan": lambda v: bersih.uang(v, boleh_nol=True),
        "jenis": _peta_pilihan("Jenis", PETA_JENIS_PENGUKURAN, "baseline, monitoring, endline"),
    }

    def identitas(self, b):
        d = b.bersih
        return (d["nik"], d["tanggal"], d["jenis"])

    def judul_identitas(self):
        return self.judul("nik")

    def siapkan(self, daftar):
        from mitra.models import Mitra, PengukuranPendapatan

        klaster_ids = sorted({b.klaster.pk for b in daftar})
        niks = sorted({b.bersih["nik"] for b in daftar})
        self._mitra = {}
        for potong in _dalam_potongan(niks):
            self._mitra.update(
                {
                    (m.klaster_id, m.nik): m
                    for m in Mitra.objects.filter(nik__in=potong, klaster_id__in=klaster_ids).only(
                        "nik", "klaster_id"
                    )
                }
            )
        mitra_ids = [m.pk for m in self._mitra.values()]
        self._ada = {}
        self._baseline = {}
        for potong in _dalam_potongan(mitra_ids):
            for p in PengukuranPendapatan.objects.filter(mitra_id__in=potong):
                self._ada[(p.mitra_id, p.tanggal, p.jenis)] = p
                if p.jenis == PengukuranPendapatan.Jenis.BASELINE:
                    self._baseline[p.mitra_id] = p
        self._baseline_berkas: dict[int, int] = {}

    def putuskan(self, b):
        from mitra.models import PengukuranPendapatan

        d = b.bersih
        if d["jenis"] is None:
            b.tolak(self.judul("jenis"), _("Kolom Jenis kosong; wajib diisi."))
            return
        mitra = self._mitra.get((b.klaster.pk, d["nik"]))
        if mitra is None:
            b.tolak(
                self.judul("nik"),
                _("Tidak ada mitra dengan NIK ini di klaster %(klaster)s; impor mitra dulu.")
                % {"klaster": b.klaster.nama},
            )
            return
        self._tanggal_lalu(b, "tanggal")
        lama = self._ada.get((mitra.pk, d["tanggal"], d["jenis"]))
        if d["jenis"] == PengukuranPendapatan.Jenis.BASELINE and lama is None:
            base = self._baseline.get(mitra.pk)
            if base is not None:
                b.tolak(
                    self.judul("jenis"),
                    _(
                        "Mitra ini sudah punya baseline tanggal %(t)s; satu mitra hanya punya "
                        "satu baseline."
                    )
                    % {"t": format_tanggal(base.tanggal)},
                )
            elif mitra.pk in self._baseline_berkas:
                b.tolak(
                    self.judul("jenis"),
                    _(
                        "Baseline mitra ini sudah ada di baris %(baris)d; satu mitra hanya punya "
                        "satu baseline."
                    )
                    % {"baris": self._baseline_berkas[mitra.pk]},
                )
            else:
                self._baseline_berkas[mitra.pk] = b.nomor
        if b.galat:
            return
        if lama is not None:
            self._terapkan(b, lama, {"pendapatan_bulanan": d["pendapatan_bulanan"]}, baru=False)
        else:
            self._terapkan(
                b,
                PengukuranPendapatan,
                {
                    "mitra_id": mitra.pk,
                    "tanggal": d["tanggal"],
                    "jenis": d["jenis"],
                    "pendapatan_bulanan": d["pendapatan_bulanan"],
                    "dicatat_oleh": self.oleh,
                },
                baru=True,
            )

    def tulis(self, daftar, *, oleh, alasan):
        from mitra.models import PengukuranPendapatan

        self._tulis_bulk(PengukuranPendapatan, daftar, oleh=oleh, alasan=alasan)

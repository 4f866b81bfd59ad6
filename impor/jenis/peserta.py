"""Importing the participants of programme activities: one row per mitra present."""

from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.utils.translation import gettext as _

from impor import bersih
from impor.hasil import AKSI_BARU
from impor.jenis.kegiatan import kunci_kegiatan
from impor.penangan import Penangan, _dalam_potongan
from impor.skema import SKEMA
from klaster.format import format_tanggal


class PenanganPeserta(Penangan):
    skema = SKEMA["peserta"]
    pembersih = {"tanggal": bersih.tanggal, "nik": bersih.nik}

    def identitas(self, b):
        return (*kunci_kegiatan(b.klaster.pk, b.bersih["tanggal"], b.bersih["judul"]),
                b.bersih["nik"])  # fmt: skip

    def judul_identitas(self):
        return self.judul("nik")

    def siapkan(self, daftar):
        from mitra.models import Mitra
        from program.models import KegiatanProgram

        klaster_ids = sorted({b.klaster.pk for b in daftar})
        self._kegiatan = {
            kunci_kegiatan(k.klaster_id, k.tanggal, k.judul): k
            for k in KegiatanProgram.objects.filter(klaster_id__in=klaster_ids).only(
                "klaster_id", "tanggal", "judul"
            )
        }
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
        Hadir = KegiatanProgram.peserta.through
        self._hadir = set(
            Hadir.objects.filter(kegiatanprogram__klaster_id__in=klaster_ids).values_list(
                "kegiatanprogram_id", "mitra_id"
            )
        )

    def putuskan(self, b):
        from program.models import KegiatanProgram

        d = b.bersih
        kegiatan = self._kegiatan.get(kunci_kegiatan(b.klaster.pk, d["tanggal"], d["judul"]))
        if kegiatan is None:
            b.tolak(
                self.judul("judul"),
                _(
                    "Tidak ada kegiatan '%(judul)s' tanggal %(tanggal)s di klaster %(klaster)s; "
                    "impor kegiatannya dulu."
                )
                % {"judul": d["judul"], "tanggal": format_tanggal(d["tanggal"]),
                   "klaster": b.klaster.nama},
            )  # fmt: skip
        mitra = self._mitra.get((b.klaster.pk, d["nik"]))
        if mitra is None:
            b.tolak(
                self.judul("nik"),
                _("Tidak ada mitra dengan NIK ini di klaster %(klaster)s; impor mitra dulu.")
                % {"klaster": b.klaster.nama},
            )
        if b.galat:
            return
        Hadir = KegiatanProgram.peserta.through
        if (kegiatan.pk, mitra.pk) in self._hadir:
            self._terapkan(b, Hadir(kegiatanprogram_id=kegiatan.pk, mitra_id=mitra.pk), {},
                           baru=False)  # fmt: skip
        else:
            self._terapkan(b, Hadir, {"kegiatanprogram_id": kegiatan.pk, "mitra_id": mitra.pk},
                           baru=True)  # fmt: skip

    def tulis(self, daftar, *, oleh, alasan):
        from program.models import KegiatanProgram

        baru = [b.obj for b in daftar if b.aksi == AKSI_BARU]
        if not baru:
            return
        KegiatanProgram.peserta.through.objects.bulk_create(baru, batch_size=1000)
        # the count each activity keeps (program.services keeps it at every other write)
        ids = sorted({h.kegiatanprogram_id for h in baru})
        Hadir = KegiatanProgram.peserta.through
        n = (
            Hadir.objects.filter(kegiatanprogram_id=OuterRef("pk"))
            .order_by()
            .values("kegiatanprogram_id")
            .annotate(n=Count("pk"))
            .values("n")
        )
        KegiatanProgram.objects.filter(pk__in=ids).update(
            jumlah_peserta=Subquery(n, output_field=IntegerField())
        )

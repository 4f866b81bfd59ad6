"""Importing survey answers (program.JawabanSurvei): one row per household in a round,
the round named by its name (opened on the Survei page first). The indices and the spiritual
score are computed as the survey screen computes them (program/instrumen.py)."""

import uuid

from django.utils.translation import gettext as _

from impor import bersih
from impor.penangan import Penangan, _dalam_potongan
from impor.skema import SKEMA


def _skala(nama_kolom):
    def parse(nilai):
        return bersih.bilangan_bulat(nilai, nama_kolom=nama_kolom, minimum=1, maksimum=5)

    return parse


def _pembersih():
    hasil = {
        "nik": bersih.nik,
        "tanggal": bersih.tanggal,
        "pendapatan_rumah_tangga": lambda v: bersih.uang(v, boleh_nol=True),
        "jumlah_anggota_keluarga": lambda v: bersih.bilangan_bulat(
            v, nama_kolom=_("Anggota rumah tangga"), minimum=1, maksimum=30
        ),
    }
    for k in SKEMA["survei"].kolom:
        if k.kunci.startswith("ms_") or k.kunci in _SPIRITUAL:
            hasil[k.kunci] = _skala(k.judul)
    return hasil


_SPIRITUAL = ("shalat", "puasa", "zakat_infak", "lingkungan_keluarga", "kebijakan_pemerintah")


class PenanganSurvei(Penangan):
    skema = SKEMA["survei"]
    pembersih = _pembersih()

    def identitas(self, b):
        return (b.klaster.pk, bersih.kunci_teks(b.bersih["putaran"]), b.bersih["nik"])

    def judul_identitas(self):
        return self.judul("nik")

    def siapkan(self, daftar):
        from mitra.models import Mitra
        from program.models import JawabanSurvei, PutaranSurvei

        klaster_ids = sorted({b.klaster.pk for b in daftar})
        self._putaran = {
            (p.klaster_id, bersih.kunci_teks(p.nama)): p
            for p in PutaranSurvei.objects.filter(klaster_id__in=klaster_ids).select_related(
                "klaster"
            )
        }
        niks = sorted({b.bersih["nik"] for b in daftar})
        self._mitra = {}
        for potong in _dalam_potongan(niks):
            self._mitra.update(
                {
                    (m.klaster_id, m.nik): m
                    for m in Mitra.objects.filter(nik__in=potong, klaster_id__in=klaster_ids).only(
                        "nik", "klaster_id", "nama"
                    )
                }
            )
        self._ada = {
            (j.putaran_id, j.mitra_id): j
            for j in JawabanSurvei.objects.filter(putaran__klaster_id__in=klaster_ids)
        }

    def putuskan(self, b):
        from program import aturan
        from program.instrumen import (
            JEJARING,
            KAPASITAS,
            KUESIONER,
            RELASI,
            TOTAL,
            indeks_modal_sosial,
            skor_spiritual,
        )
        from program.models import JawabanSurvei

        d = b.bersih
        putaran = self._putaran.get((b.klaster.pk, bersih.kunci_teks(d["putaran"])))
        if putaran is None:
            b.tolak(
                self.judul("putaran"),
                _(
                    "Putaran '%(nama)s' belum ada di klaster %(klaster)s; buka putarannya dulu "
                    "di halaman Survei."
                )
                % {"nama": d["putaran"], "klaster": b.klaster.nama},
            )
        mitra = self._mitra.get((b.klaster.pk, d["nik"]))
        if mitra is None:
            b.tolak(
                self.judul("nik"),
                _("Tidak ada mitra dengan NIK ini di klaster %(klaster)s; impor mitra dulu.")
                % {"klaster": b.klaster.nama},
            )
        if b.galat:
            return
        kuesioner = KUESIONER[putaran.kuesioner]
        modal_sosial = {x.kode: d[f"ms_{x.kode}"] for x in kuesioner.modal_sosial}
        spiritual = {x.kode: d[x.kode] for x in kuesioner.spiritual}
        # the rules every door applies (program/aturan.py), with the columns they concern
        self._tolak_galat(
            b,
            aturan.periksa_jawaban(
                putaran=putaran,
                kuesioner=kuesioner,
                hari_ini=self.hari_ini,
                mitra=mitra,
                tanggal=d["tanggal"],
                modal_sosial=modal_sosial,
                spiritual=spiritual,
                jumlah_anggota_keluarga=d["jumlah_anggota_keluarga"],
                pendapatan_rumah_tangga=d["pendapatan_rumah_tangga"],
            ),
            kolom={"mitra": "nik"},
        )
        if b.galat:
            return
        indeks = indeks_modal_sosial(kuesioner, modal_sosial)
        nilai = {
            "tanggal": d["tanggal"],
            "modal_sosial": modal_sosial,
            "indeks_relasi": indeks[RELASI],
            "indeks_kapasitas": indeks[KAPASITAS],
            "indeks_jejaring": indeks[JEJARING],
            "indeks_modal_sosial": indeks[TOTAL],
            "jumlah_anggota_keluarga": d["jumlah_anggota_keluarga"],
            "pendapatan_rumah_tangga": d["pendapatan_rumah_tangga"],
            "skor_spiritual": skor_spiritual(list(spiritual.values())),
            **spiritual,
        }
        lama = self._ada.get((putaran.pk, mitra.pk))
        if lama is not None:
            self._terapkan(b, lama, nilai, baru=False)
            return
        nilai.update(
            uuid=uuid.uuid4(), putaran_id=putaran.pk, mitra_id=mitra.pk, dicatat_oleh=self.oleh
        )
        self._terapkan(b, JawabanSurvei, nilai, baru=True)

    def tulis(self, daftar, *, oleh, alasan):
        from program.models import JawabanSurvei

        self._tulis_bulk(JawabanSurvei, daftar, oleh=oleh, alasan=alasan)

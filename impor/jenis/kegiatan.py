"""Importing programme activities (program.KegiatanProgram); participants are their own
kind (impor/jenis/peserta.py)."""

import uuid

from django.utils.translation import gettext as _

from impor import bersih
from impor.penangan import Penangan, _peta_pilihan
from impor.skema import SKEMA

PETA_JENIS_KEGIATAN = {
    "pelatihan": "pelatihan",
    "peningkatan kapasitas": "pelatihan",
    "pelatihan peningkatan kapasitas": "pelatihan",
    "pendampingan": "pendampingan_usaha",
    "pendampingan usaha": "pendampingan_usaha",
    "akses pasar": "akses_pasar",
    "akses pasar dan jejaring": "akses_pasar",
    "jejaring": "akses_pasar",
    "temu pembeli": "akses_pasar",
    "sosialisasi": "sosialisasi",
    "sinergi": "sosialisasi",
    "sosialisasi dan sinergi pemangku kepentingan": "sosialisasi",
    "pendidikan": "pendidikan",
    "kesehatan": "kesehatan",
    "advokasi": "advokasi",
}


def _jam(nilai):
    from decimal import Decimal, InvalidOperation

    teks = bersih.teks(nilai).replace(",", ".") if not isinstance(nilai, int | float) else nilai
    try:
        jam = Decimal(str(teks))
    except InvalidOperation:
        raise bersih.NilaiTidakValid(
            _("Lama (jam) '%(nilai)s' harus angka, misalnya 2 atau 2,5.") % {"nilai": nilai}
        ) from None
    return jam.quantize(Decimal("0.01"))


def kunci_kegiatan(klaster_id, tanggal, judul) -> tuple:
    """An activity's identity in a file: klaster, date and title (ignoring case and spacing)."""
    return (klaster_id, tanggal, bersih.kunci_teks(judul))


class PenanganKegiatan(Penangan):
    skema = SKEMA["kegiatan"]
    pembersih = {
        "tanggal": bersih.tanggal,
        "jenis": _peta_pilihan(
            "Jenis",
            PETA_JENIS_KEGIATAN,
            "pelatihan, pendampingan usaha, akses pasar, sosialisasi, pendidikan, kesehatan, "
            "advokasi",
        ),
        "jam": _jam,
        "biaya": lambda v: bersih.uang(v, boleh_nol=True),
    }

    def identitas(self, b):
        return kunci_kegiatan(b.klaster.pk, b.bersih["tanggal"], b.bersih["judul"])

    def judul_identitas(self):
        return self.judul("judul")

    def siapkan(self, daftar):
        from django.contrib.auth import get_user_model
        from django.db.models import Q

        from bantuan.models import SumberDana
        from klaster.models import Penugasan
        from program.models import KegiatanProgram

        klaster_ids = sorted({b.klaster.pk for b in daftar})
        self._muat_desa(klaster_ids)
        self._muat_kelompok(klaster_ids)
        self._ada = {
            kunci_kegiatan(k.klaster_id, k.tanggal, k.judul): k
            for k in KegiatanProgram.objects.filter(klaster_id__in=klaster_ids)
        }
        self._sumber = {}
        for s in SumberDana.objects.filter(Q(klaster__isnull=True) | Q(klaster_id__in=klaster_ids)):
            for k in klaster_ids if s.klaster_id is None else [s.klaster_id]:
                self._sumber[(k, bersih.kunci_teks(s.nama))] = s
        # who may be named facilitator: users assigned to the klaster today
        tugas = Penugasan.objects.aktif(self.hari_ini).filter(klaster_id__in=klaster_ids)
        self._petugas = {
            (klaster_id, username.casefold()): user_id
            for klaster_id, username, user_id in tugas.values_list(
                "klaster_id", "pengguna__username", "pengguna_id"
            )
        }
        self._user = get_user_model()

    def putuskan(self, b):
        from program import aturan
        from program.models import KegiatanProgram

        d = b.bersih
        if d.get("jenis") is None:
            b.tolak(self.judul("jenis"), _("Kolom Jenis kosong; wajib diisi."))
            return
        desa = self._desa(b) if d.get("desa") else None
        kelompok = self._kelompok(b, "kelompok")
        sumber = None
        if d.get("sumber_dana"):
            sumber = self._sumber.get((b.klaster.pk, bersih.kunci_teks(d["sumber_dana"])))
            if sumber is None:
                b.tolak(
                    self.judul("sumber_dana"),
                    _("Sumber dana '%(nama)s' tidak dikenal; tulis nama sumber dana yang ada.")
                    % {"nama": d["sumber_dana"]},
                )
        fasilitator_id = self.oleh.pk
        if d.get("fasilitator"):
            fasilitator_id = self._petugas.get((b.klaster.pk, d["fasilitator"].casefold()))
            if fasilitator_id is None:
                b.tolak(
                    self.judul("fasilitator"),
                    _("'%(nama)s' bukan petugas klaster %(klaster)s; tulis nama pengguna petugas.")
                    % {"nama": d["fasilitator"], "klaster": b.klaster.nama},
                )
        judul = aturan.bersihkan_teks(d["judul"])
        narasumber = aturan.bersihkan_teks(d.get("narasumber"))
        catatan = aturan.bersihkan_catatan(d.get("catatan"))
        biaya = d.get("biaya") or 0
        # the rules every door applies (program/aturan.py)
        self._tolak_galat(
            b,
            aturan.periksa_kegiatan(
                klaster=b.klaster,
                kecamatan_ids={desa.induk_id} if desa else set(),
                hari_ini=self.hari_ini,
                judul=judul,
                tanggal=d["tanggal"],
                jam=d["jam"],
                biaya=biaya,
                sumber_dana=sumber,
                kelompok=kelompok,
                desa=desa,
                peserta=[],
                pihak_luar=[],
                narasumber=narasumber,
                catatan=catatan,
            ),
        )
        if b.galat:
            return
        lama = self._ada.get(kunci_kegiatan(b.klaster.pk, d["tanggal"], judul))
        nilai = {
            "jenis": d["jenis"],
            "jam": d["jam"],
            "kelompok_id": kelompok.pk if kelompok else None,
            "desa_id": desa.pk if desa else None,
            "fasilitator_id": fasilitator_id,
            "narasumber": narasumber,
            "biaya": biaya,
            "sumber_dana_id": sumber.pk if sumber else None,
            "catatan": catatan,
        }
        if lama is not None:
            self._terapkan(b, lama, nilai, baru=False)
            return
        nilai.update(
            uuid=uuid.uuid4(), klaster_id=b.klaster.pk, tanggal=d["tanggal"], judul=judul,
            dicatat_oleh=self.oleh,
        )  # fmt: skip
        self._terapkan(b, KegiatanProgram, nilai, baru=True)

    def tulis(self, daftar, *, oleh, alasan):
        from program.models import KegiatanProgram

        self._tulis_bulk(KegiatanProgram, daftar, oleh=oleh, alasan=alasan)

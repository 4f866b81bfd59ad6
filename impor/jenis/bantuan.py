"""Importing financing (bantuan)."""

from decimal import Decimal
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from bantuan import aturan
from impor import bersih
from impor.hasil import AKSI_BARU, AKSI_TETAP, UKURAN_BATCH
from impor.penangan import _AMBIGU, Penangan, _peta_pilihan
from impor.skema import SKEMA
from klaster.format import format_rupiah

PETA_JENIS_BANTUAN = {
    "modal bergulir": "modal_bergulir",
    "modal_bergulir": "modal_bergulir",
    "dana bergulir": "modal_bergulir",
    "pinjaman": "modal_bergulir",
    "pinjaman modal": "modal_bergulir",
    "hibah": "hibah_modal",
    "hibah modal": "hibah_modal",
    "hibah modal usaha": "hibah_modal",
    "hibah_modal": "hibah_modal",
    "aset": "aset",
    "aset produktif": "aset",
    "beasiswa": "beasiswa",
    "kesehatan": "kesehatan",
    "layanan kesehatan": "kesehatan",
    "pelatihan": "pelatihan",
}


class PenanganBantuan(Penangan):
    skema = SKEMA["bantuan"]
    pembersih = {
        "nik_penerima": bersih.nik,
        "jenis": _peta_pilihan(
            "Jenis",
            PETA_JENIS_BANTUAN,
            "modal bergulir, hibah modal, aset, beasiswa, kesehatan, pelatihan",
        ),
        "jumlah": bersih.uang,
        "tanggal_pengajuan": bersih.tanggal,
        "tanggal_cair": bersih.tanggal,
        # 1..TENOR_MAKS months is bantuan.aturan's rule, with the form's message
        "tenor_bulan": lambda v: bersih.bilangan_bulat(v, nama_kolom="Tenor"),
    }

    def identitas(self, b):
        return (b.klaster.pk, b.bersih["nomor"].casefold())

    def judul_identitas(self):
        return self.judul("nomor")

    def siapkan(self, daftar):
        from bantuan.models import Bantuan, SumberDana
        from mitra.models import Mitra

        klaster_ids = sorted({b.klaster.pk for b in daftar})
        self._muat_kelompok(klaster_ids)
        self._ada = {
            (x.klaster_id, x.nomor.casefold()): x
            for x in Bantuan.objects.filter(klaster_id__in=klaster_ids)
        }
        niks = sorted({b.bersih["nik_penerima"] for b in daftar if b.bersih.get("nik_penerima")})
        self._mitra = {
            (m.klaster_id, m.nik): m
            for m in Mitra.objects.filter(nik__in=niks, klaster_id__in=klaster_ids).only(
                "nik", "klaster_id", "nama"
            )
        }
        self._sumber: dict[tuple, Any] = {}
        for s in SumberDana.objects.filter(Q(klaster__isnull=True) | Q(klaster_id__in=klaster_ids)):
            for klaster_id in [s.klaster_id] if s.klaster_id else klaster_ids:
                kunci = (klaster_id, bersih.kunci_teks(s.nama))
                self._sumber[kunci] = _AMBIGU if kunci in self._sumber else s
        self._dana_bergulir_dipakai: dict[int, Decimal] = {}

    def putuskan(self, b):
        from bantuan.models import Bantuan, SumberDana

        d = b.bersih
        mitra = kelompok = None
        if bool(d.get("nik_penerima")) == bool(d.get("kelompok_penerima")):
            b.tolak(
                self.judul("nik_penerima"),
                _(
                    "Isi satu penerima: NIK Penerima (mitra) atau Kelompok Penerima, tidak "
                    "keduanya dan tidak kosong keduanya."
                ),
            )
        elif d.get("nik_penerima"):
            mitra = self._mitra.get((b.klaster.pk, d["nik_penerima"]))
            if mitra is None:
                b.tolak(
                    self.judul("nik_penerima"),
                    _("Tidak ada mitra dengan NIK ini di klaster %(klaster)s; impor mitra dulu.")
                    % {"klaster": b.klaster.nama},
                )
        else:
            kelompok = self._kelompok(b, "kelompok_penerima")
        sumber = self._sumber.get((b.klaster.pk, bersih.kunci_teks(d["sumber_dana"])))
        if sumber is None or sumber is _AMBIGU:
            b.tolak(
                self.judul("sumber_dana"),
                _(
                    "Sumber dana '%(nama)s' tidak dikenal; tulis nama sumber dana persis seperti "
                    "terdaftar."
                )
                % {"nama": d["sumber_dana"]},
            )
        if d["jenis"] is None:
            b.tolak(self.judul("jenis"), _("Kolom Jenis kosong; wajib diisi."))
        tenor = d.get("tenor_bulan")
        # the rules every door applies (bantuan.aturan); the recipient and the kind were
        # checked above with the columns' own words
        galat = aturan.periksa_pengajuan(
            klaster=b.klaster,
            jenis=d["jenis"],
            jumlah=d["jumlah"],
            tanggal_pengajuan=d["tanggal_pengajuan"],
            hari_ini=self.hari_ini,
            tenor_bulan=tenor,
            mitra=mitra,
            kelompok=kelompok,
            sumber_dana=sumber if isinstance(sumber, SumberDana) else None,
            tolak_tenor_lain=True,
        )
        for sudah in ("__all__", "mitra", "kelompok", "jenis"):
            galat.pop(sudah, None)
        galat.update(
            aturan.periksa_pencairan(
                tanggal_cair=d["tanggal_cair"],
                tanggal_pengajuan=d["tanggal_pengajuan"],
                hari_ini=self.hari_ini,
            )
        )
        self._tolak_galat(b, galat)
        if b.galat:
            return
        nilai = {
            "nomor": d["nomor"],
            "klaster_id": b.klaster.pk,
            "mitra_id": mitra.pk if mitra else None,
            "kelompok_id": kelompok.pk if kelompok else None,
            "jenis": d["jenis"],
            "sumber_dana_id": sumber.pk,
            "jumlah": d["jumlah"],
            "tanggal_pengajuan": d["tanggal_pengajuan"],
            "tanggal_cair": d["tanggal_cair"],
            "tenor_bulan": tenor if d["jenis"] == Bantuan.Jenis.MODAL_BERGULIR else None,
        }
        lama = self._ada.get((b.klaster.pk, d["nomor"].casefold()))
        if lama is not None:
            nilai["nomor"] = lama.nomor
            beda = [f for f, v in nilai.items() if getattr(lama, f) != v]
            if beda:
                nama = ", ".join(self.judul(_KOLOM_BANTUAN.get(f, f)) for f in beda)
                b.tolak(
                    self.judul("nomor"),
                    _(
                        "Bantuan %(nomor)s sudah tercatat dengan %(kolom)s berbeda; data keuangan "
                        "yang sudah tercatat tidak diubah lewat impor."
                    )
                    % {"nomor": lama.nomor, "kolom": nama},
                )
                return
            if "tujuan" in b.nilai:
                self._terapkan(b, lama, {"tujuan": d.get("tujuan") or ""}, baru=False)
            else:
                b.obj, b.aksi = lama, AKSI_TETAP
            return
        if sumber.jenis == SumberDana.Jenis.DANA_BERGULIR:
            self._cek_dana_bergulir(b, d["jumlah"], d["tanggal_cair"])
            if b.galat:
                return
        nilai.update(
            tujuan=d.get("tujuan") or "",
            status=Bantuan.Status.DICAIRKAN,
            diajukan_oleh=self.oleh,
            disetujui_oleh=self.oleh,
            tanggal_keputusan=d["tanggal_cair"],
        )
        self._terapkan(b, Bantuan, nilai, baru=True)

    def _cek_dana_bergulir(self, b, jumlah, tanggal_cair):
        from bantuan.selectors import dana_bergulir

        saldo = min(
            dana_bergulir(b.klaster, per_tanggal=tanggal_cair)["saldo"],
            dana_bergulir(b.klaster, per_tanggal=self.hari_ini)["saldo"],
        )
        dipakai = self._dana_bergulir_dipakai.get(b.klaster.pk, Decimal("0"))
        if jumlah > saldo - dipakai:
            b.tolak(
                self.judul("jumlah"),
                _(
                    "Saldo dana bergulir hanya %(saldo)s, kurang untuk %(jumlah)s; kurangi "
                    "jumlah atau pilih sumber dana lain."
                )
                % {"saldo": format_rupiah(saldo - dipakai), "jumlah": format_rupiah(jumlah)},
            )
        else:
            self._dana_bergulir_dipakai[b.klaster.pk] = dipakai + jumlah

    def tulis(self, daftar, *, oleh, alasan):
        from bantuan.jadwal import hitung_jadwal
        from bantuan.models import Bantuan, JadwalAngsuran

        self._tulis_bulk(Bantuan, daftar, oleh=oleh, alasan=alasan)
        jadwal = [
            JadwalAngsuran(
                bantuan_id=b.obj.pk,
                ke=c.ke,
                jatuh_tempo=c.jatuh_tempo,
                jumlah=c.jumlah,
                kumulatif=c.kumulatif,
            )
            for b in daftar
            if b.aksi == AKSI_BARU and b.obj.jenis == Bantuan.Jenis.MODAL_BERGULIR
            for c in hitung_jadwal(
                pokok=b.obj.jumlah, tenor_bulan=b.obj.tenor_bulan, tanggal_cair=b.obj.tanggal_cair
            )
        ]
        JadwalAngsuran.objects.bulk_create(jadwal, batch_size=UKURAN_BATCH)
        # written around the services: derive the position they keep on each loan (the
        # first due date, and the generation of the klaster's loans, some maybe backdated)
        from bantuan.posisi import posisi_segarkan

        baru = [b.obj.pk for b in daftar if b.aksi == AKSI_BARU]
        if baru:
            posisi_segarkan(Bantuan.objects.filter(pk__in=baru))


_KOLOM_BANTUAN = {
    "mitra_id": "nik_penerima",
    "kelompok_id": "kelompok_penerima",
    "sumber_dana_id": "sumber_dana",
    "klaster_id": "kode_klaster",
}

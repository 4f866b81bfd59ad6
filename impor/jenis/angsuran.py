"""Importing instalments (angsuran)."""

from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from bantuan import aturan
from impor import bersih
from impor.hasil import AKSI_BARU, AKSI_TETAP
from impor.penangan import Penangan
from impor.skema import SKEMA


class PenanganAngsuran(Penangan):
    """Repayments go through bantuan.services.angsuran_catat (row lock, never above the
    remaining principal, the loan marked lunas when paid off); the checks here run first on
    the whole file so the preview shows every problem, including several rows of one loan
    that together exceed what is owed."""

    skema = SKEMA["angsuran"]
    pembersih = {"tanggal": bersih.tanggal, "jumlah": bersih.uang}

    def identitas(self, b):
        d = b.bersih
        return (b.klaster.pk, d["nomor_bantuan"].casefold(), d["tanggal"], d["jumlah"])

    def judul_identitas(self):
        return self.judul("nomor_bantuan")

    def siapkan(self, daftar):
        from bantuan.models import Angsuran, Bantuan

        klaster_ids = sorted({b.klaster.pk for b in daftar})
        self._bantuan = {
            (x.klaster_id, x.nomor.casefold()): x
            for x in Bantuan.objects.filter(klaster_id__in=klaster_ids).annotate(
                terbayar=Sum("angsuran__jumlah")
            )
        }
        # entries already recorded and not reversed: the same row again is "unchanged"
        self._tercatat = {
            (a.bantuan_id, a.tanggal, a.jumlah): a
            for a in Angsuran.objects.filter(
                bantuan__klaster_id__in=klaster_ids, jumlah__gt=0, koreksi__isnull=True
            ).only("bantuan_id", "tanggal", "jumlah")
        }
        self._dibayar_di_berkas: dict[int, Decimal] = {}

    def putuskan(self, b):

        d = b.bersih
        bantuan = self._bantuan.get((b.klaster.pk, d["nomor_bantuan"].casefold()))
        if bantuan is None:
            b.tolak(
                self.judul("nomor_bantuan"),
                _("Bantuan nomor '%(nomor)s' tidak ada di klaster %(klaster)s.")
                % {"nomor": d["nomor_bantuan"], "klaster": b.klaster.nama},
            )
            return
        lama = self._tercatat.get((bantuan.pk, d["tanggal"], d["jumlah"]))
        if lama is not None:
            b.obj, b.aksi = lama, AKSI_TETAP
            return
        # the rules every door applies (bantuan.aturan): a loan that takes repayments, an
        # amount up to what is left (counting earlier rows of this file), a date from the
        # disbursement to today
        pesan = aturan.periksa_bisa_diangsur(bantuan)
        if pesan:
            b.tolak(self.judul("nomor_bantuan"), pesan)
            return
        sudah = (bantuan.terbayar or Decimal("0")) + self._dibayar_di_berkas.get(bantuan.pk, 0)
        self._tolak_galat(
            b,
            aturan.periksa_angsuran(
                bantuan=bantuan,
                jumlah=d["jumlah"],
                tanggal=d["tanggal"],
                sisa=bantuan.jumlah - sudah,
                hari_ini=self.hari_ini,
                termasuk_berkas=True,
            ),
        )
        if b.galat:
            return
        self._dibayar_di_berkas[bantuan.pk] = (
            self._dibayar_di_berkas.get(bantuan.pk, 0) + d["jumlah"]
        )
        b.obj, b.aksi = bantuan, AKSI_BARU

    def tulis(self, daftar, *, oleh, alasan):
        from bantuan import services
        from bantuan.models import Angsuran, Bantuan

        mulai = timezone.now()
        baru = sorted(
            (b for b in daftar if b.aksi == AKSI_BARU),
            key=lambda b: (b.obj.pk, b.bersih["tanggal"], b.nomor),
        )
        ids = []
        for b in baru:
            a = services.angsuran_catat(
                bantuan=b.obj, jumlah=b.bersih["jumlah"], tanggal=b.bersih["tanggal"], oleh=oleh
            )
            b.obj = a
            ids.append(a.pk)
        # the service records who; add from which file (also on loans it marked lunas)
        Angsuran.history.filter(id__in=ids).update(history_change_reason=alasan)
        Bantuan.history.filter(
            id__in={b.obj.bantuan_id for b in baru}, history_date__gte=mulai
        ).update(history_change_reason=alasan)

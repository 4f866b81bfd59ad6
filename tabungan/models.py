"""Group savings (tabungan/iuran kelompok): each member's deposits and withdrawals in their
kelompok.

An entry is never edited or deleted: a mistake is corrected by a reversing entry (negative
amount, same kind) that names the entry it reverses and why, as for instalments. Every
entry carries a uuid: the client's for a form or an offline send (a second send finds the
first entry), one derived from the visit's for a deposit at a meeting.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Case, F, Q, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from klaster.format import format_rupiah, format_tanggal
from klaster.models import Klaster


class TransaksiTabunganQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(klaster__in=Klaster.objects.visible_to(user).values("pk"))

    def per_tanggal(self, tanggal):
        return self.filter(tanggal__lte=tanggal) if tanggal is not None else self


def ekspresi_saldo(awalan: str = ""):
    """Sum of deposits less withdrawals (reversals carry their own minus sign): an
    aggregate expression over entries reached through `awalan` ("" or "transaksi__")."""
    return Coalesce(
        Sum(
            Case(
                When(
                    **{f"{awalan}jenis": TransaksiTabungan.Jenis.SETORAN},
                    then=F(f"{awalan}jumlah"),
                ),
                default=-F(f"{awalan}jumlah"),
            )
        ),
        Value(0),
        output_field=models.DecimalField(max_digits=15, decimal_places=2),
    )


class TransaksiTabungan(models.Model):
    class Jenis(models.TextChoices):
        SETORAN = "setoran", _("Setoran")
        PENARIKAN = "penarikan", _("Penarikan")

    uuid = models.UUIDField(_("uuid"), unique=True, default=uuid.uuid4)
    klaster = models.ForeignKey(
        Klaster, verbose_name=_("klaster"), on_delete=models.PROTECT, related_name="+"
    )
    kelompok = models.ForeignKey(
        "kelompok.Kelompok",
        verbose_name=_("kelompok"),
        on_delete=models.PROTECT,
        related_name="transaksi_tabungan",
    )
    mitra = models.ForeignKey(
        "mitra.Mitra",
        verbose_name=_("anggota"),
        on_delete=models.PROTECT,
        related_name="transaksi_tabungan",
    )
    jenis = models.CharField(_("jenis"), max_length=10, choices=Jenis.choices)
    tanggal = models.DateField(_("tanggal"))
    jumlah = models.DecimalField(_("jumlah"), max_digits=15, decimal_places=2)
    koreksi_dari = models.OneToOneField(
        "self",
        verbose_name=_("koreksi atas"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="koreksi",
    )
    alasan = models.TextField(_("alasan koreksi"), blank=True)
    catatan = models.CharField(_("catatan"), max_length=200, blank=True)
    dicatat_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dicatat oleh"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    dibuat = models.DateTimeField(_("dibuat"), auto_now_add=True)

    objects = TransaksiTabunganQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("transaksi tabungan")
        verbose_name_plural = _("transaksi tabungan")
        ordering = ["tanggal", "pk"]
        constraints = [
            # an entry is positive; a reversal is negative, names what it reverses and why
            models.CheckConstraint(
                condition=(Q(jumlah__gt=0) & Q(koreksi_dari__isnull=True))
                | (Q(jumlah__lt=0) & Q(koreksi_dari__isnull=False) & ~Q(alasan="")),
                name="tabungan_positif_atau_koreksi",
            ),
            models.CheckConstraint(
                condition=Q(jenis__in=["setoran", "penarikan"]), name="tabungan_jenis_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["mitra", "tanggal"], name="tabungan_mitra_tgl_idx"),
            models.Index(fields=["kelompok", "tanggal"], name="tabungan_kelompok_tgl_idx"),
            models.Index(fields=["klaster", "tanggal"], name="tabungan_klaster_tgl_idx"),
        ]

    def __str__(self):
        return (
            f"{self.get_jenis_display()} {self.mitra_id} {format_tanggal(self.tanggal)} "
            f"{format_rupiah(self.jumlah)}"
        )

    @property
    def efek_saldo(self):
        """What this entry adds to the balance."""
        return self.jumlah if self.jenis == self.Jenis.SETORAN else -self.jumlah

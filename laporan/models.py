from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class GarisKemiskinan(models.Model):
    """BPS poverty line, Rp per capita per month, for a kabupaten/kota or a provinsi."""

    wilayah = models.ForeignKey(
        "klaster.Wilayah", verbose_name=_("wilayah"), on_delete=models.PROTECT, related_name="+"
    )
    tahun = models.PositiveSmallIntegerField(_("tahun"))

    class Periode(models.TextChoices):
        TAHUNAN = "tahunan", _("Tahunan")
        MARET = "maret", _("Maret")
        SEPTEMBER = "september", _("September")

    # BPS publishes provincial lines for March and September; a kabupaten line is yearly
    periode = models.CharField(
        _("periode"), max_length=10, choices=Periode.choices, default=Periode.TAHUNAN
    )
    nilai = models.DecimalField(_("nilai (Rp/kapita/bulan)"), max_digits=15, decimal_places=2)
    sumber = models.CharField(_("sumber"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("garis kemiskinan")
        verbose_name_plural = _("garis kemiskinan")
        ordering = ["wilayah", "tahun", "periode"]
        constraints = [
            models.UniqueConstraint(
                fields=["wilayah", "tahun", "periode"], name="gariskemiskinan_unik"
            ),
            models.CheckConstraint(condition=Q(nilai__gt=0), name="gariskemiskinan_positif"),
        ]

    def __str__(self):
        return f"{self.wilayah.nama} {self.tahun}: {self.nilai}"

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from klaster.models import Klaster
from mitra.models import Sektor


class LembagaQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(klaster__in=Klaster.objects.visible_to(user).values("pk"))


class Lembaga(models.Model):
    """A legal or informal body the kelompok belong to: a cooperative, a BUMDes."""

    class Bentuk(models.TextChoices):
        KOPERASI = "koperasi", _("Koperasi")
        BUMDES = "bumdes", _("BUMDes")
        INFORMAL = "informal", _("Informal")

    nama = models.CharField(_("nama"), max_length=200)
    klaster = models.ForeignKey(
        Klaster, verbose_name=_("klaster"), on_delete=models.PROTECT, related_name="lembaga"
    )
    bentuk = models.CharField(_("bentuk"), max_length=10, choices=Bentuk.choices)
    nomor_badan_hukum = models.CharField(_("nomor badan hukum"), max_length=100, blank=True)
    tanggal_pengesahan = models.DateField(_("tanggal pengesahan"), null=True, blank=True)

    objects = LembagaQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("lembaga")
        verbose_name_plural = _("lembaga")
        ordering = ["nama"]
        constraints = [
            models.UniqueConstraint(
                fields=["klaster", "nama"], name="lembaga_nama_unik_per_klaster"
            ),
        ]

    def __str__(self):
        return self.nama


class KelompokQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(klaster__in=Klaster.objects.visible_to(user).values("pk"))


class Kelompok(models.Model):
    class Status(models.TextChoices):
        AKTIF = "aktif", _("Aktif")
        MANDIRI = "mandiri", _("Mandiri")
        TIDAK_AKTIF = "tidak_aktif", _("Tidak aktif")

    kode = models.CharField(_("kode"), max_length=20)
    nama = models.CharField(_("nama"), max_length=150)
    klaster = models.ForeignKey(
        Klaster, verbose_name=_("klaster"), on_delete=models.PROTECT, related_name="kelompok"
    )
    sektor = models.CharField(_("sektor"), max_length=12, choices=Sektor.choices)
    desa = models.ForeignKey(
        "klaster.Wilayah",
        verbose_name=_("desa"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"tingkat": "desa"},
    )
    tanggal_dibentuk = models.DateField(_("tanggal dibentuk"))
    ketua = models.ForeignKey(
        "mitra.Mitra",
        verbose_name=_("ketua"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    usaha_kelompok = models.CharField(_("usaha kelompok"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.AKTIF
    )
    lembaga = models.ForeignKey(
        Lembaga,
        verbose_name=_("lembaga"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="kelompok",
    )

    objects = KelompokQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("kelompok")
        verbose_name_plural = _("kelompok")
        ordering = ["kode"]
        constraints = [
            models.UniqueConstraint(
                fields=["klaster", "kode"], name="kelompok_kode_unik_per_klaster"
            ),
            models.CheckConstraint(condition=~Q(kode=""), name="kelompok_kode_tidak_kosong"),
        ]

    def __str__(self):
        return f"{self.kode} {self.nama}"

    def get_absolute_url(self):
        return reverse("kelompok:detail", args=[self.pk])

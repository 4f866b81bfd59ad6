"""A piece of long work done in the background for one person: an export of a national
scope or a large import. The task itself runs in django-tasks' worker (tugas/services.py);
this row is what the person's page reads: state, rows done, the reason of a failure, and
the finished file, kept for 24 hours and handed only to its owner."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TugasQuerySet(models.QuerySet):
    def milik(self, user):
        """The jobs a person may see: their own, nobody else's (not even a superuser's:
        the files hold what the owner's scope allowed)."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(pemilik=user)


class Tugas(models.Model):
    class Status(models.TextChoices):
        MENUNGGU = "menunggu", _("Menunggu giliran")
        BERJALAN = "berjalan", _("Sedang dikerjakan")
        SELESAI = "selesai", _("Selesai")
        GAGAL = "gagal", _("Gagal")

    # a random id: the URLs of someone's files cannot be guessed or counted through
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    pemilik = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="tugas_latar",
        verbose_name=_("pemilik"),
    )
    jenis = models.CharField(_("jenis"), max_length=60)
    judul = models.CharField(_("judul"), max_length=200)
    parameter = models.JSONField(_("parameter"), default=dict, blank=True)
    # the kind and parameters hashed: the same job asked twice while running is one job
    sidik = models.CharField(_("sidik"), max_length=64, blank=True)
    # the owner's language when the job was asked for: the file is written in it
    bahasa = models.CharField(_("bahasa"), max_length=10, default="id")
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.MENUNGGU
    )
    tahap = models.CharField(_("tahap"), max_length=200, blank=True)
    baris_selesai = models.PositiveIntegerField(_("baris selesai"), default=0)
    baris_total = models.PositiveIntegerField(_("baris total"), default=0)
    alasan_gagal = models.TextField(_("alasan gagal"), blank=True)
    # what a finished job reports besides its file (an import's counts, its first errors)
    hasil = models.JSONField(_("hasil"), default=dict, blank=True)
    # in the default storage (MEDIA_ROOT), which no URL serves: only tugas:unduh hands it out
    berkas = models.FileField(_("berkas"), upload_to="tugas/%Y/%m/%d/", blank=True)
    nama_berkas = models.CharField(_("nama berkas"), max_length=200, blank=True)
    jenis_konten = models.CharField(_("jenis konten"), max_length=100, blank=True)
    id_antrean = models.CharField(_("id antrean"), max_length=64, blank=True)
    dibuat = models.DateTimeField(_("dibuat"), default=timezone.now)
    mulai = models.DateTimeField(_("mulai"), null=True, blank=True)
    selesai = models.DateTimeField(_("selesai"), null=True, blank=True)
    kedaluwarsa = models.DateTimeField(_("kedaluwarsa"), null=True, blank=True)

    objects = TugasQuerySet.as_manager()

    class Meta:
        verbose_name = _("pekerjaan latar")
        verbose_name_plural = _("pekerjaan latar")
        ordering = ["-dibuat"]
        indexes = [
            models.Index(fields=["pemilik", "-dibuat"], name="tugas_pemilik_dibuat_idx"),
            models.Index(fields=["kedaluwarsa"], name="tugas_kedaluwarsa_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(baris_selesai__lte=models.F("baris_total"))
                | models.Q(baris_total=0),
                name="tugas_baris_selesai_tidak_melebihi_total",
            ),
        ]

    def __str__(self):
        return f"{self.judul} ({self.get_status_display()})"

    @property
    def persen(self) -> int:
        """Whole percent of rows done; 100 only once the file is written."""
        if self.status == self.Status.SELESAI:
            return 100
        if not self.baris_total:
            return 0
        return min(99, self.baris_selesai * 100 // self.baris_total)

    @property
    def sudah_berakhir(self) -> bool:
        return self.status in (self.Status.SELESAI, self.Status.GAGAL)

    def kedaluwarsa_pada(self, waktu=None) -> bool:
        waktu = waktu or timezone.now()
        return self.kedaluwarsa is not None and self.kedaluwarsa <= waktu

    def boleh_diunduh(self, waktu=None) -> bool:
        return bool(self.berkas) and self.sudah_berakhir and not self.kedaluwarsa_pada(waktu)

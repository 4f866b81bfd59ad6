from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class TokenApiQuerySet(models.QuerySet):
    def aktif(self):
        return self.filter(dicabut__isnull=True)


class TokenApi(models.Model):
    """A personal API token. The secret is shown once, when it is made; only its SHA-256
    is kept (`kunci_hash`), so a copy of the database lets no one use it. `awalan` (the
    first characters of the secret) tells the owner's tokens apart on the account page.
    A revoked token stays as a record of who had access (dicabut = when)."""

    pengguna = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("pengguna"),
        on_delete=models.CASCADE,
        related_name="token_api",
    )
    nama = models.CharField(
        _("nama"), max_length=100, help_text=_("Untuk apa token ini, misalnya “Kobo Lebak”.")
    )
    kunci_hash = models.CharField(_("hash kunci"), max_length=64, unique=True, editable=False)
    awalan = models.CharField(_("awalan"), max_length=12, editable=False)
    dibuat = models.DateTimeField(_("dibuat"), auto_now_add=True)
    terakhir_dipakai = models.DateTimeField(_("terakhir dipakai"), null=True, blank=True)
    dicabut = models.DateTimeField(_("dicabut"), null=True, blank=True)

    objects = TokenApiQuerySet.as_manager()

    class Meta:
        verbose_name = _("token API")
        verbose_name_plural = _("token API")
        ordering = ["-dibuat", "-pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(nama=""), name="tokenapi_nama_tidak_kosong"),
        ]

    def __str__(self):
        return f"{self.nama} ({self.awalan}…)"

    @property
    def aktif(self) -> bool:
        return self.dicabut is None

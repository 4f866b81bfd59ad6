import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from bantuan.models import Angsuran
from klaster.models import Klaster
from mitra.models import PengukuranPendapatan
from tabungan.models import TransaksiTabungan


class KunjunganQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(klaster__in=Klaster.objects.visible_to(user).values("pk"))


class Kunjungan(models.Model):
    """A field facilitator's visit report. The uuid is made by the client, so a form sent
    twice (a retry on a bad connection) creates one visit."""

    class JenisKegiatan(models.TextChoices):
        PENDAMPINGAN = "pendampingan", _("Pendampingan")
        PELATIHAN = "pelatihan", _("Pelatihan")
        PERTEMUAN_KELOMPOK = "pertemuan_kelompok", _("Pertemuan kelompok")
        MONITORING_USAHA = "monitoring_usaha", _("Monitoring usaha")
        PENAGIHAN = "penagihan", _("Penagihan")

    uuid = models.UUIDField(_("uuid"), unique=True, default=uuid.uuid4)
    fasilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("fasilitator"),
        on_delete=models.PROTECT,
        related_name="kunjungan",
    )
    klaster = models.ForeignKey(
        Klaster, verbose_name=_("klaster"), on_delete=models.PROTECT, related_name="kunjungan"
    )
    kelompok = models.ForeignKey(
        "kelompok.Kelompok",
        verbose_name=_("kelompok"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="kunjungan",
    )
    tanggal = models.DateField(_("tanggal"))
    jenis_kegiatan = models.CharField(
        _("jenis kegiatan"), max_length=20, choices=JenisKegiatan.choices
    )
    hadir = models.ManyToManyField(
        "mitra.Mitra", verbose_name=_("hadir"), blank=True, related_name="kunjungan_hadir"
    )
    ringkasan = models.TextField(_("ringkasan"), blank=True)
    kendala = models.TextField(_("kendala"), blank=True)
    tindak_lanjut = models.TextField(_("tindak lanjut"), blank=True)
    tindak_lanjut_selesai = models.BooleanField(_("tindak lanjut selesai"), default=False)
    tindak_lanjut_selesai_pada = models.DateField(
        _("tindak lanjut selesai pada"), null=True, blank=True
    )
    lokasi_lat = models.DecimalField(
        _("lintang"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    lokasi_lon = models.DecimalField(
        _("bujur"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    foto = models.ImageField(_("foto"), upload_to="kunjungan/%Y/%m/", null=True, blank=True)
    angsuran = models.ManyToManyField(
        Angsuran,
        through="KunjunganAngsuran",
        blank=True,
        related_name="kunjungan_set",
        related_query_name="kunjungan",
    )
    pengukuran = models.ManyToManyField(
        PengukuranPendapatan,
        through="KunjunganPengukuran",
        blank=True,
        related_name="kunjungan_set",
        related_query_name="kunjungan",
    )
    dibuat = models.DateTimeField(_("dibuat"), auto_now_add=True)
    # Attendance as it stood at the visit, kept by kunjungan.services in the visit's own
    # transaction (kunjungan_catat; kunjungan_hitung_kehadiran after the admin edits a visit):
    # the lists and the reports sum these columns instead of counting attendance rows.
    jumlah_hadir = models.PositiveIntegerField(_("jumlah hadir"), default=0, editable=False)
    jumlah_hadir_anggota = models.PositiveIntegerField(
        _("anggota yang hadir"),
        default=0,
        editable=False,
        help_text=_("Yang hadir dan pada tanggal kunjungan menjadi anggota kelompok itu."),
    )
    jumlah_anggota = models.PositiveIntegerField(
        _("anggota kelompok"),
        default=0,
        editable=False,
        help_text=_(
            "Anggota kelompok pada tanggal kunjungan: bergabung paling lambat tanggal itu dan "
            "belum keluar sebelumnya."
        ),
    )

    objects = KunjunganQuerySet.as_manager()
    # the kept counts are derived from the attendance, which has its own history
    history = HistoricalRecords(
        m2m_fields=[hadir],
        excluded_fields=["jumlah_hadir", "jumlah_hadir_anggota", "jumlah_anggota"],
    )

    class Meta:
        verbose_name = _("kunjungan")
        verbose_name_plural = _("kunjungan")
        ordering = ["-tanggal", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(lokasi_lat__isnull=True) | Q(lokasi_lat__gte=-90, lokasi_lat__lte=90),
                name="kunjungan_lintang_valid",
            ),
            models.CheckConstraint(
                condition=Q(lokasi_lon__isnull=True) | Q(lokasi_lon__gte=-180, lokasi_lon__lte=180),
                name="kunjungan_bujur_valid",
            ),
        ]
        indexes = [
            # kelompok timeline and "last visit per kelompok" (visit list, coverage)
            models.Index(fields=["kelompok", "tanggal"], name="kunjungan_kelompok_tgl_idx"),
            # visits per month / per facilitator of a klaster
            models.Index(fields=["klaster", "tanggal"], name="kunjungan_klaster_tgl_idx"),
        ]

    def __str__(self):
        return f"{self.get_jenis_kegiatan_display()} {self.tanggal}"

    def get_absolute_url(self):
        return reverse("kunjungan:detail", args=[self.pk])


class KunjunganAngsuran(models.Model):
    """An instalment collected at a visit. The link lives here, in the visit's app, so that
    `bantuan` (a lower layer) never points up at visits."""

    kunjungan = models.ForeignKey(Kunjungan, on_delete=models.PROTECT, related_name="+")
    angsuran = models.OneToOneField(
        Angsuran, on_delete=models.PROTECT, related_name="kunjungan_link"
    )

    class Meta:
        verbose_name = _("angsuran pada kunjungan")
        verbose_name_plural = _("angsuran pada kunjungan")

    def __str__(self):
        return f"{self.kunjungan_id} / {self.angsuran_id}"


class KunjunganPengukuran(models.Model):
    """An income reading taken at a visit (the link lives here for the same reason)."""

    kunjungan = models.ForeignKey(Kunjungan, on_delete=models.PROTECT, related_name="+")
    pengukuran = models.OneToOneField(
        PengukuranPendapatan, on_delete=models.PROTECT, related_name="kunjungan_link"
    )

    class Meta:
        verbose_name = _("pengukuran pada kunjungan")
        verbose_name_plural = _("pengukuran pada kunjungan")

    def __str__(self):
        return f"{self.kunjungan_id} / {self.pengukuran_id}"


class KunjunganTabungan(models.Model):
    """A savings deposit collected at a meeting (the link lives here for the same reason:
    `tabungan` sits below the visits)."""

    kunjungan = models.ForeignKey(Kunjungan, on_delete=models.PROTECT, related_name="+")
    transaksi = models.OneToOneField(
        TransaksiTabungan, on_delete=models.PROTECT, related_name="kunjungan_link"
    )

    class Meta:
        verbose_name = _("tabungan pada kunjungan")
        verbose_name_plural = _("tabungan pada kunjungan")

    def __str__(self):
        return f"{self.kunjungan_id} / {self.transaksi_id}"

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from klaster.models import Klaster


class Sektor(models.TextChoices):
    PERTANIAN = "pertanian", _("Pertanian")
    PETERNAKAN = "peternakan", _("Peternakan")
    UMKM = "umkm", _("UMKM")


class JenisKelamin(models.TextChoices):
    LAKI_LAKI = "L", _("Laki-laki")
    PEREMPUAN = "P", _("Perempuan")


class MitraQuerySet(models.QuerySet):
    def visible_to(self, user):
        # One mechanism for every view: a mitra is visible when its klaster is.
        return self.filter(klaster__in=Klaster.objects.visible_to(user).values("pk"))


class Mitra(models.Model):
    """A beneficiary household, represented by the member the programme works with."""

    class Status(models.TextChoices):
        CALON = "calon", _("Calon")
        AKTIF = "aktif", _("Aktif")
        LULUS = "lulus", _("Lulus")
        KELUAR = "keluar", _("Keluar")

    nik = models.CharField(
        _("NIK"),
        max_length=16,
        unique=True,
        help_text=_("16 digit Nomor Induk Kependudukan, tanpa titik atau spasi."),
    )
    nama = models.CharField(_("nama"), max_length=150)
    jenis_kelamin = models.CharField(_("jenis kelamin"), max_length=1, choices=JenisKelamin.choices)
    tanggal_lahir = models.DateField(_("tanggal lahir"))
    telepon = models.CharField(_("telepon"), max_length=20, blank=True)
    # The klaster is stored on the mitra (not only through the kelompok) so that a calon
    # mitra not yet in a group is still scoped, and so that scoping needs one join.
    klaster = models.ForeignKey(
        Klaster, verbose_name=_("klaster"), on_delete=models.PROTECT, related_name="mitra"
    )
    kelompok = models.ForeignKey(
        "kelompok.Kelompok",
        verbose_name=_("kelompok"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="anggota",
    )
    desa = models.ForeignKey(
        "klaster.Wilayah",
        verbose_name=_("desa"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"tingkat": "desa"},
    )
    alamat = models.CharField(_("alamat"), max_length=255, blank=True)
    sektor = models.CharField(_("sektor"), max_length=12, choices=Sektor.choices)
    jenis_usaha = models.CharField(_("jenis usaha"), max_length=100, blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.AKTIF
    )
    tanggal_bergabung = models.DateField(_("tanggal bergabung"))
    tanggal_keluar = models.DateField(_("tanggal keluar"), null=True, blank=True)
    jumlah_anggota_keluarga = models.PositiveSmallIntegerField(
        _("jumlah anggota keluarga"), default=1
    )

    objects = MitraQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("mitra")
        verbose_name_plural = _("mitra")
        ordering = ["nama", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(nik__regex=r"^[0-9]{16}$"), name="mitra_nik_16_digit"
            ),
            models.CheckConstraint(
                condition=Q(jumlah_anggota_keluarga__gte=1), name="mitra_anggota_keluarga_min_1"
            ),
            models.CheckConstraint(
                condition=Q(tanggal_keluar__isnull=True)
                | Q(tanggal_keluar__gte=models.F("tanggal_bergabung")),
                name="mitra_keluar_setelah_bergabung",
            ),
        ]
        indexes = [
            # mitra list of a klaster ordered by name (the default page)
            models.Index(fields=["klaster", "nama"], name="mitra_klaster_nama_idx"),
            # the same list over every klaster (a national manager's): read off this index
            # instead of sorting 324,000 rows at 1000x (issue 18)
            models.Index(fields=["nama", "id"], name="mitra_nama_idx"),
            # filters on the mitra list and the report's breakdowns
            models.Index(fields=["klaster", "sektor", "status"], name="mitra_klaster_sektor_idx"),
        ]

    def __str__(self):
        return self.nama

    def get_absolute_url(self):
        return reverse("mitra:detail", args=[self.pk])

    @property
    def nik_tersamar(self) -> str:
        """NIK masked for lists and donor exports: first 6 and last 4 digits shown."""
        return samarkan_nik(self.nik)

    @property
    def telepon_tersamar(self) -> str:
        """Phone masked for lists (UU PDP): the full number only on the mitra's own page."""
        return samarkan_telepon(self.telepon)


def samarkan_nik(nik: str) -> str:
    if not nik or len(nik) < 10:
        return "*" * len(nik or "")
    return f"{nik[:6]}{'*' * (len(nik) - 10)}{nik[-4:]}"


def samarkan_telepon(telepon: str) -> str:
    if not telepon:
        return ""
    if len(telepon) <= 4:
        return "*" * len(telepon)
    return f"{'*' * (len(telepon) - 4)}{telepon[-4:]}"


class PengukuranPendapatanQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(mitra__klaster__in=Klaster.objects.visible_to(user).values("pk"))


class PengukuranPendapatan(models.Model):
    """One reading of a mitra's monthly income: the basis of every income-change figure."""

    class Jenis(models.TextChoices):
        BASELINE = "baseline", _("Baseline")
        MONITORING = "monitoring", _("Monitoring")
        ENDLINE = "endline", _("Endline")

    mitra = models.ForeignKey(
        Mitra, verbose_name=_("mitra"), on_delete=models.PROTECT, related_name="pengukuran"
    )
    tanggal = models.DateField(_("tanggal"))
    pendapatan_bulanan = models.DecimalField(
        _("pendapatan bulanan"), max_digits=15, decimal_places=2
    )
    jenis = models.CharField(_("jenis"), max_length=10, choices=Jenis.choices)
    dicatat_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dicatat oleh"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    dibuat = models.DateTimeField(_("dibuat"), auto_now_add=True)

    objects = PengukuranPendapatanQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("pengukuran pendapatan")
        verbose_name_plural = _("pengukuran pendapatan")
        ordering = ["mitra", "tanggal", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(pendapatan_bulanan__gte=0), name="pendapatan_tidak_negatif"
            ),
            # a mitra has at most one baseline: the reference every change is measured from
            models.UniqueConstraint(
                fields=["mitra"],
                condition=Q(jenis="baseline"),
                name="pendapatan_satu_baseline_per_mitra",
            ),
        ]
        indexes = [
            # baseline and latest reading per mitra (income-change selectors)
            models.Index(fields=["mitra", "tanggal"], name="pendapatan_mitra_tanggal_idx"),
        ]

    def __str__(self):
        return f"{self.mitra} {self.tanggal} {self.get_jenis_display()}"

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Wilayah(models.Model):
    """A Kemendagri region: provinsi, kabupaten/kota, kecamatan or desa/kelurahan."""

    class Tingkat(models.TextChoices):
        PROVINSI = "provinsi", _("Provinsi")
        KABUPATEN = "kabupaten", _("Kabupaten/Kota")
        KECAMATAN = "kecamatan", _("Kecamatan")
        DESA = "desa", _("Desa/Kelurahan")

    kode = models.CharField(_("kode"), max_length=13, primary_key=True)
    nama = models.CharField(_("nama"), max_length=255)
    tingkat = models.CharField(_("tingkat"), max_length=10, choices=Tingkat.choices)
    induk = models.ForeignKey(
        "self",
        verbose_name=_("induk"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="anak",
    )

    class Meta:
        verbose_name = _("wilayah")
        verbose_name_plural = _("wilayah")
        ordering = ["kode"]
        indexes = [
            # the desa chooser: children of a kecamatan by level, and admin search by name
            models.Index(fields=["induk", "tingkat"], name="wilayah_induk_tingkat_idx"),
        ]

    def __str__(self):
        return f"{self.nama} ({self.kode})"

    @property
    def kode_angka(self) -> str:
        """The code without dots, as it appears inside a NIK."""
        return self.kode.replace(".", "")


class KlasterQuerySet(models.QuerySet):
    def visible_to(self, user, hari_ini=None):
        """The klaster `user` may see on `hari_ini` (today by default). Its SQL depends on
        nothing but kunci_lingkup(user, hari_ini): keep the two in step."""
        from klaster import akses  # akses imports the auth models; this module loads first

        if not user.is_authenticated:
            return self.none()
        if akses.lihat_semua(user):
            return self
        today = hari_ini or timezone.localdate()
        return self.filter(
            Q(penugasan__sampai__isnull=True) | Q(penugasan__sampai__gte=today),
            penugasan__pengguna=user,
            penugasan__sejak__lte=today,
        ).distinct()


def kunci_lingkup(user, hari_ini) -> tuple:
    """A name for `Klaster.objects.visible_to(user, hari_ini)`'s query: the same name, the
    same SQL and parameters, whatever the data (which assignments exist is read when the
    query runs). The branches are visible_to's own."""
    from klaster import akses

    if not user.is_authenticated:
        return ("tidak_ada",)
    if akses.lihat_semua(user):
        return ("semua",)
    return ("penugasan", user.pk, hari_ini)


class Klaster(models.Model):
    class Tahap(models.TextChoices):
        PENUMBUHAN = "penumbuhan", _("Penumbuhan")
        PENGUATAN = "penguatan", _("Penguatan")
        PEMANDIRIAN = "pemandirian", _("Pemandirian")
        SELESAI = "selesai", _("Selesai")

    kode = models.CharField(_("kode"), max_length=20, unique=True)
    nama = models.CharField(_("nama"), max_length=200)
    kabupaten = models.ForeignKey(
        Wilayah,
        verbose_name=_("kabupaten/kota"),
        on_delete=models.PROTECT,
        related_name="klaster_kabupaten",
        limit_choices_to={"tingkat": Wilayah.Tingkat.KABUPATEN},
    )
    kecamatan = models.ManyToManyField(
        Wilayah,
        verbose_name=_("kecamatan"),
        related_name="klaster_kecamatan",
        limit_choices_to={"tingkat": Wilayah.Tingkat.KECAMATAN},
    )
    tahap = models.CharField(
        _("tahap"), max_length=12, choices=Tahap.choices, default=Tahap.PENUMBUHAN
    )
    tanggal_mulai = models.DateField(_("tanggal mulai"))
    tanggal_selesai = models.DateField(_("tanggal selesai"), null=True, blank=True)
    target_mitra = models.PositiveIntegerField(_("target mitra"), default=0)
    anggaran = models.DecimalField(_("anggaran"), max_digits=15, decimal_places=2, default=0)

    objects = KlasterQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("klaster")
        verbose_name_plural = _("klaster")
        ordering = ["nama"]
        constraints = [
            models.CheckConstraint(
                condition=Q(anggaran__gte=0), name="klaster_anggaran_tidak_negatif"
            ),
            models.CheckConstraint(
                condition=Q(tanggal_selesai__isnull=True)
                | Q(tanggal_selesai__gte=models.F("tanggal_mulai")),
                name="klaster_selesai_setelah_mulai",
            ),
        ]

    def __str__(self):
        return self.nama

    def get_absolute_url(self):
        return reverse("klaster:detail", args=[self.pk])


class PenugasanQuerySet(models.QuerySet):
    def aktif(self, on=None):
        on = on or timezone.localdate()
        return self.filter(sejak__lte=on).filter(Q(sampai__isnull=True) | Q(sampai__gte=on))

    def visible_to(self, user):
        return self.filter(klaster__in=Klaster.objects.visible_to(user))


class Penugasan(models.Model):
    """Ties a user to a klaster: this is what scopes every query."""

    class Peran(models.TextChoices):
        FASILITATOR = "fasilitator", _("Fasilitator")
        MANAJER = "manajer", _("Manajer program")

    pengguna = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("pengguna"),
        on_delete=models.CASCADE,
        related_name="penugasan",
    )
    klaster = models.ForeignKey(
        Klaster, verbose_name=_("klaster"), on_delete=models.CASCADE, related_name="penugasan"
    )
    peran = models.CharField(_("peran"), max_length=12, choices=Peran.choices)
    sejak = models.DateField(_("sejak"), default=timezone.localdate)
    sampai = models.DateField(_("sampai"), null=True, blank=True)

    objects = PenugasanQuerySet.as_manager()

    class Meta:
        verbose_name = _("penugasan")
        verbose_name_plural = _("penugasan")
        constraints = [
            models.UniqueConstraint(
                fields=["pengguna", "klaster", "peran", "sejak"], name="penugasan_unik"
            ),
            models.CheckConstraint(
                condition=Q(sampai__isnull=True) | Q(sampai__gte=models.F("sejak")),
                name="penugasan_sampai_setelah_sejak",
            ),
        ]

    def __str__(self):
        return f"{self.pengguna} — {self.get_peran_display()} di {self.klaster}"


class GarisKemiskinan(models.Model):
    """BPS poverty line, Rp per capita per month, for a kabupaten/kota or a provinsi.

    Reference data of the regions (loaded by `manage.py muat_garis_kemiskinan`; the lookup
    rule is in klaster/garis_kemiskinan.py). It lives here, at the bottom layer, because both
    the impact report (laporan) and the programme's CIBEST figures (program) read it. The
    table keeps the name it had when the model lived in laporan."""

    wilayah = models.ForeignKey(
        Wilayah, verbose_name=_("wilayah"), on_delete=models.PROTECT, related_name="+"
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
        db_table = "laporan_gariskemiskinan"
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


class VersiAngka(models.Model):
    """The version of the figures a cached report section reads (laporan/bagian.py).

    One row per klaster, `klaster:<pk>`, changed in the same transaction as every write of
    that klaster's data, and one row, `acuan`, for the reference tables every klaster's
    figures read (poverty lines, funds, regions). A cache entry whose key carries the
    versions is never stale: the write that changes a figure changes the key. klaster/versi.py
    bumps and reads them. A row starts at a random number, so a database that is emptied and
    filled again never repeats a version an old cache entry was stored under."""

    lingkup = models.CharField(_("lingkup"), max_length=32, primary_key=True)
    nomor = models.BigIntegerField(_("nomor"))
    # the klaster of a `klaster:<pk>` row (empty for `acuan`): the klaster list reads its
    # versions through a plain join (klaster.versi.dengan_versi)
    klaster = models.OneToOneField(
        Klaster,
        verbose_name=_("klaster"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="versi",
    )

    class Meta:
        verbose_name = _("versi angka")
        verbose_name_plural = _("versi angka")

    def __str__(self):
        return f"{self.lingkup}: {self.nomor}"


class PreferensiBahasa(models.Model):
    """The interface language a user chose with the switcher (Bahasa Indonesia / English).

    Read once at sign-in (klaster/bahasa.py), which puts it in the language cookie that
    every later request reads: no query per page. A user without a row gets the cookie's
    language, or the site's (settings.LANGUAGE_CODE)."""

    pengguna = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("pengguna"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="preferensi_bahasa",
    )
    bahasa = models.CharField(_("bahasa"), max_length=8, choices=settings.LANGUAGES)
    diubah = models.DateTimeField(_("diubah"), auto_now=True)

    class Meta:
        verbose_name = _("preferensi bahasa")
        verbose_name_plural = _("preferensi bahasa")

    def __str__(self):
        return f"{self.pengguna}: {self.bahasa}"

"""Institutions over time: a lembaga's milestones and their documents, the klaster's stage
transitions with the checklist that was computed when they were decided, and the exit
report's narrative.

The narrative (NaskahLaporanAkhir) is written for the exit report of `laporan`, but lives
here: it is a manager's record about the klaster's programme, and keeping it in this app
keeps `laporan` free of migrations other work on it would collide with.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kelompok.models import Lembaga
from klaster.models import Klaster


class _DalamKlaster(models.QuerySet):
    lewat_klaster = "klaster"

    def visible_to(self, user):
        return self.filter(
            **{f"{self.lewat_klaster}__in": Klaster.objects.visible_to(user).values("pk")}
        )


class TonggakQuerySet(_DalamKlaster):
    lewat_klaster = "lembaga__klaster"


class TonggakLembaga(models.Model):
    """One step in a lembaga's life, dated, with the number of the paper that proves it."""

    class Jenis(models.TextChoices):
        RAPAT_PENDIRIAN = "rapat_pendirian", _("Rapat pendirian")
        AKTA_NOTARIS = "akta_notaris", _("Akta pendirian notaris")
        PENGESAHAN = "pengesahan", _("Pengesahan badan hukum (SK Menteri)")
        NIB = "nib", _("Nomor Induk Berusaha (NIB)")
        RAT = "rat", _("Rapat Anggota Tahunan (RAT)")

    lembaga = models.ForeignKey(
        Lembaga, verbose_name=_("lembaga"), on_delete=models.PROTECT, related_name="tonggak"
    )
    jenis = models.CharField(_("jenis"), max_length=20, choices=Jenis.choices)
    tanggal = models.DateField(_("tanggal"))
    nomor = models.CharField(
        _("nomor"),
        max_length=100,
        blank=True,
        help_text=_("Nomor akta, nomor SK pengesahan atau NIB."),
    )
    tahun_buku = models.PositiveSmallIntegerField(
        _("tahun buku"), null=True, blank=True, help_text=_("Untuk RAT: tahun buku yang dibahas.")
    )
    # what the RAT reported for the book year: the cooperative keeps its own books
    jumlah_anggota = models.PositiveIntegerField(_("jumlah anggota"), null=True, blank=True)
    simpanan_pokok = models.DecimalField(
        _("total simpanan pokok"), max_digits=15, decimal_places=2, null=True, blank=True
    )
    simpanan_wajib = models.DecimalField(
        _("total simpanan wajib"), max_digits=15, decimal_places=2, null=True, blank=True
    )
    keterangan = models.TextField(_("keterangan"), blank=True)
    dicatat_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dicatat oleh"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    dicatat_pada = models.DateTimeField(_("dicatat pada"), auto_now_add=True)

    objects = TonggakQuerySet.as_manager()

    class Meta:
        verbose_name = _("tonggak lembaga")
        verbose_name_plural = _("tonggak lembaga")
        ordering = ["lembaga", "tanggal", "pk"]
        constraints = [
            # one founding, deed, approval and licence per lembaga; one RAT per book year
            models.UniqueConstraint(
                fields=["lembaga", "jenis"],
                condition=~Q(jenis="rat"),
                name="tonggak_satu_per_jenis",
            ),
            models.UniqueConstraint(
                fields=["lembaga", "tahun_buku"],
                condition=Q(jenis="rat"),
                name="tonggak_rat_satu_per_tahun_buku",
            ),
            models.CheckConstraint(
                condition=~Q(jenis="rat") | Q(tahun_buku__isnull=False),
                name="tonggak_rat_bertahun_buku",
            ),
            models.CheckConstraint(
                condition=~Q(jenis__in=["akta_notaris", "pengesahan", "nib"]) | ~Q(nomor=""),
                name="tonggak_bernomor",
            ),
            models.CheckConstraint(
                condition=Q(simpanan_pokok__isnull=True) | Q(simpanan_pokok__gte=0),
                name="tonggak_simpanan_pokok_tidak_negatif",
            ),
            models.CheckConstraint(
                condition=Q(simpanan_wajib__isnull=True) | Q(simpanan_wajib__gte=0),
                name="tonggak_simpanan_wajib_tidak_negatif",
            ),
        ]

    def __str__(self):
        return f"{self.lembaga} — {self.get_jenis_display()} ({self.tanggal:%Y-%m-%d})"


class DokumenQuerySet(_DalamKlaster):
    lewat_klaster = "lembaga__klaster"


class DokumenLembaga(models.Model):
    """A scan or PDF that proves a milestone (the deed, the decree, the RAT minutes).
    Uploaded files have no public URL: kelembagaan:dokumen serves them through the scope."""

    lembaga = models.ForeignKey(
        Lembaga, verbose_name=_("lembaga"), on_delete=models.PROTECT, related_name="dokumen"
    )
    tonggak = models.ForeignKey(
        TonggakLembaga,
        verbose_name=_("tonggak"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="dokumen",
    )
    berkas = models.FileField(_("berkas"), upload_to="lembaga/%Y/%m/")
    nama_asli = models.CharField(_("nama berkas"), max_length=150)
    jenis_isi = models.CharField(_("jenis isi"), max_length=40)
    ukuran = models.PositiveIntegerField(_("ukuran (byte)"))
    diunggah_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("diunggah oleh"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    diunggah_pada = models.DateTimeField(_("diunggah pada"), auto_now_add=True)

    objects = DokumenQuerySet.as_manager()

    class Meta:
        verbose_name = _("dokumen lembaga")
        verbose_name_plural = _("dokumen lembaga")
        ordering = ["lembaga", "pk"]

    def __str__(self):
        return self.nama_asli


class RiwayatTahapQuerySet(_DalamKlaster):
    pass


class RiwayatTahap(models.Model):
    """A klaster moved from one stage to the next: when, who decided, and the checklist of
    criteria as computed from the data on that date (kept: the data change later)."""

    klaster = models.ForeignKey(
        Klaster, verbose_name=_("klaster"), on_delete=models.PROTECT, related_name="riwayat_tahap"
    )
    dari = models.CharField(_("dari tahap"), max_length=12, choices=Klaster.Tahap.choices)
    ke = models.CharField(_("ke tahap"), max_length=12, choices=Klaster.Tahap.choices)
    tanggal = models.DateField(_("tanggal keputusan"))
    diputuskan_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("diputuskan oleh"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    syarat = models.JSONField(_("daftar syarat"), default=list)
    semua_terpenuhi = models.BooleanField(_("semua syarat terpenuhi"))
    catatan = models.TextField(_("catatan keputusan"), blank=True)
    dicatat_pada = models.DateTimeField(_("dicatat pada"), auto_now_add=True)

    objects = RiwayatTahapQuerySet.as_manager()

    class Meta:
        verbose_name = _("riwayat tahap")
        verbose_name_plural = _("riwayat tahap")
        ordering = ["klaster", "tanggal", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["klaster", "ke"], name="riwayat_tahap_sekali_per_tahap"
            ),
            # an override of unmet criteria is always explained
            models.CheckConstraint(
                condition=Q(semua_terpenuhi=True) | ~Q(catatan=""),
                name="riwayat_tahap_alasan_bila_syarat_kurang",
            ),
        ]

    def __str__(self):
        return f"{self.klaster}: {self.get_dari_display()} → {self.get_ke_display()}"


class NaskahLaporanAkhir(models.Model):
    """The manager's own words in the exit report of a klaster and period: lessons learned
    and recommendations to the regency government."""

    klaster = models.ForeignKey(
        Klaster, verbose_name=_("klaster"), on_delete=models.PROTECT, related_name="+"
    )
    dari = models.DateField(_("dari tanggal"))
    sampai = models.DateField(_("sampai tanggal"))
    pelajaran = models.TextField(_("pelajaran yang dipetik"), blank=True)
    rekomendasi = models.TextField(_("rekomendasi untuk pemerintah kabupaten"), blank=True)
    diubah_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("diubah oleh"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    diubah_pada = models.DateTimeField(_("diubah pada"), auto_now=True)

    objects = RiwayatTahapQuerySet.as_manager()

    class Meta:
        verbose_name = _("naskah laporan akhir")
        verbose_name_plural = _("naskah laporan akhir")
        constraints = [
            models.UniqueConstraint(
                fields=["klaster", "dari", "sampai"], name="naskah_satu_per_periode"
            ),
        ]

    def __str__(self):
        return f"{self.klaster} {self.dari:%Y-%m-%d}–{self.sampai:%Y-%m-%d}"

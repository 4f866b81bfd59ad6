from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from klaster.format import format_rupiah, format_tanggal
from klaster.models import Klaster


class SumberDana(models.Model):
    """Where money comes from. A klaster's `dana_bergulir` holds its repaid revolving money."""

    class Jenis(models.TextChoices):
        ZAKAT = "zakat", _("Zakat")
        INFAK = "infak", _("Infak/sedekah")
        WAKAF = "wakaf", _("Wakaf")
        CSR = "csr", _("CSR")
        HIBAH = "hibah", _("Hibah")
        DANA_BERGULIR = "dana_bergulir", _("Dana bergulir")

    nama = models.CharField(_("nama"), max_length=150)
    jenis = models.CharField(_("jenis"), max_length=14, choices=Jenis.choices)
    # Only the revolving fund belongs to one klaster; donors' funds are shared.
    klaster = models.ForeignKey(
        Klaster,
        verbose_name=_("klaster"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sumber_dana",
    )

    class Meta:
        verbose_name = _("sumber dana")
        verbose_name_plural = _("sumber dana")
        ordering = ["nama"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(jenis="dana_bergulir") | Q(klaster__isnull=False),
                name="sumberdana_bergulir_punya_klaster",
            ),
            models.UniqueConstraint(
                fields=["klaster"],
                condition=Q(jenis="dana_bergulir"),
                name="sumberdana_satu_dana_bergulir_per_klaster",
            ),
        ]

    def __str__(self):
        return self.nama


# what each loan keeps of its position (bantuan/posisi.py)
POSISI_TERSIMPAN = ("pokok_terbayar", "jatuh_tempo_belum_lunas", "generasi")


class BantuanQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(klaster__in=Klaster.objects.visible_to(user).values("pk"))


class Bantuan(models.Model):
    """One financing: a grant, an asset, or revolving capital (the only kind repaid)."""

    class Jenis(models.TextChoices):
        MODAL_BERGULIR = "modal_bergulir", _("Modal bergulir")
        HIBAH_MODAL = "hibah_modal", _("Hibah modal usaha")
        ASET = "aset", _("Aset produktif")
        BEASISWA = "beasiswa", _("Beasiswa")
        KESEHATAN = "kesehatan", _("Layanan kesehatan")
        PELATIHAN = "pelatihan", _("Pelatihan")

    class Status(models.TextChoices):
        DIAJUKAN = "diajukan", _("Diajukan")
        DISETUJUI = "disetujui", _("Disetujui")
        DITOLAK = "ditolak", _("Ditolak")
        DICAIRKAN = "dicairkan", _("Dicairkan")
        LUNAS = "lunas", _("Lunas")
        DIHAPUSBUKUKAN = "dihapusbukukan", _("Dihapusbukukan")

    # statuses in which money has left the programme's hands
    STATUS_CAIR = (Status.DICAIRKAN, Status.LUNAS, Status.DIHAPUSBUKUKAN)

    nomor = models.CharField(_("nomor"), max_length=20)
    klaster = models.ForeignKey(
        Klaster, verbose_name=_("klaster"), on_delete=models.PROTECT, related_name="bantuan"
    )
    mitra = models.ForeignKey(
        "mitra.Mitra",
        verbose_name=_("mitra"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="bantuan",
    )
    kelompok = models.ForeignKey(
        "kelompok.Kelompok",
        verbose_name=_("kelompok"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="bantuan",
    )
    jenis = models.CharField(_("jenis"), max_length=14, choices=Jenis.choices)
    sumber_dana = models.ForeignKey(
        SumberDana, verbose_name=_("sumber dana"), on_delete=models.PROTECT, related_name="bantuan"
    )
    jumlah = models.DecimalField(_("jumlah"), max_digits=15, decimal_places=2)
    tujuan = models.CharField(_("tujuan penggunaan"), max_length=255, blank=True)
    tanggal_pengajuan = models.DateField(_("tanggal pengajuan"))
    status = models.CharField(
        _("status"), max_length=14, choices=Status.choices, default=Status.DIAJUKAN
    )
    tenor_bulan = models.PositiveSmallIntegerField(_("tenor (bulan)"), null=True, blank=True)
    tanggal_cair = models.DateField(_("tanggal cair"), null=True, blank=True)
    diajukan_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("diajukan oleh"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    disetujui_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("disetujui oleh"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    tanggal_keputusan = models.DateField(_("tanggal keputusan"), null=True, blank=True)
    alasan = models.TextField(
        _("alasan"), blank=True, help_text=_("Alasan penolakan atau hapus buku.")
    )
    tanggal_hapus_buku = models.DateField(_("tanggal hapus buku"), null=True, blank=True)
    tanggal_lunas = models.DateField(_("tanggal lunas"), null=True, blank=True)
    # The loan's position, kept by the services in the transaction that records each entry,
    # under the loan's row lock (bantuan/posisi.py says how each is derived). Today's pages
    # read them; a position for a past date is computed from the entries (bantuan.selectors).
    pokok_terbayar = models.DecimalField(
        _("pokok terbayar"),
        max_digits=15,
        decimal_places=2,
        default=0,
        editable=False,
        help_text=_("Jumlah semua angsuran, termasuk entri koreksi."),
    )
    jatuh_tempo_belum_lunas = models.DateField(
        _("jatuh tempo tertua yang belum lunas"),
        null=True,
        blank=True,
        editable=False,
        help_text=_(
            "Jatuh tempo angsuran terjadwal tertua yang belum tertutup pembayaran; kosong bila "
            "lunas atau bukan pinjaman."
        ),
    )
    generasi = models.PositiveSmallIntegerField(
        _("generasi dana bergulir"),
        null=True,
        blank=True,
        editable=False,
        help_text=_(
            "1 = dipinjamkan dari dana donor; n + 1 = dari dana bergulir yang dikembalikan "
            "peminjam generasi n. Kosong untuk hibah dari dana donor."
        ),
    )

    objects = BantuanQuerySet.as_manager()
    # the kept position is derived from the entries, which have their own history
    history = HistoricalRecords(excluded_fields=list(POSISI_TERSIMPAN))

    class Meta:
        verbose_name = _("bantuan")
        verbose_name_plural = _("bantuan")
        ordering = ["-tanggal_pengajuan", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(jumlah__gt=0), name="bantuan_jumlah_positif"),
            # exactly one recipient: a member or a group
            models.CheckConstraint(
                condition=Q(mitra__isnull=True) ^ Q(kelompok__isnull=True),
                name="bantuan_satu_penerima",
            ),
            models.UniqueConstraint(
                fields=["klaster", "nomor"], name="bantuan_nomor_unik_per_klaster"
            ),
            # revolving capital is the only kind with a tenor, and it must have one
            models.CheckConstraint(
                condition=(Q(jenis="modal_bergulir") & Q(tenor_bulan__gte=1))
                | (~Q(jenis="modal_bergulir") & Q(tenor_bulan__isnull=True)),
                name="bantuan_tenor_hanya_modal_bergulir",
            ),
            # money that left has a disbursement date; money that did not, has none
            models.CheckConstraint(
                condition=(
                    Q(status__in=["dicairkan", "lunas", "dihapusbukukan"])
                    & Q(tanggal_cair__isnull=False)
                )
                | (
                    ~Q(status__in=["dicairkan", "lunas", "dihapusbukukan"])
                    & Q(tanggal_cair__isnull=True)
                ),
                name="bantuan_tanggal_cair_sesuai_status",
            ),
            models.CheckConstraint(
                condition=Q(tanggal_cair__isnull=True)
                | Q(tanggal_cair__gte=F("tanggal_pengajuan")),
                name="bantuan_cair_setelah_pengajuan",
            ),
            # repayments never exceed the principal
            models.CheckConstraint(
                condition=Q(pokok_terbayar__gte=0) & Q(pokok_terbayar__lte=F("jumlah")),
                name="bantuan_pokok_terbayar_dalam_batas",
            ),
        ]
        indexes = [
            # portfolio and arrears: disbursed revolving loans of a klaster
            models.Index(fields=["klaster", "status", "jenis"], name="bantuan_klaster_status_idx"),
            # disbursement per year
            models.Index(fields=["klaster", "tanggal_cair"], name="bantuan_klaster_cair_idx"),
            # the financing list's page: ORDER BY tanggal_pengajuan DESC, id DESC LIMIT 50
            # (Meta.ordering) read from the index instead of sorting every row
            models.Index(fields=["-tanggal_pengajuan", "-id"], name="bantuan_urutan_daftar_idx"),
            # the loans behind as of today (jatuh_tempo_belum_lunas < today: the arrears list,
            # the list's totals, the facilitator's week): the running loans only, 83,000 of
            # 368,000 at 1000x; the overdue ones read in 1 ms instead of 100 (issue 18)
            models.Index(
                fields=["jatuh_tempo_belum_lunas"],
                condition=Q(jatuh_tempo_belum_lunas__isnull=False),
                name="bantuan_belum_lunas_idx",
            ),
        ]

    def __str__(self):
        return f"{self.nomor} — {self.penerima}"

    def save(self, *args, **kwargs):
        # The kept position is written by bantuan/posisi.py alone (an UPDATE of its columns
        # under the loan's row lock). A save() of an instance read earlier (an admin form, a
        # service deciding on the loan) writes every other column, never those back stale.
        if not self._state.adding and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [
                f.name
                for f in self._meta.concrete_fields
                if not f.primary_key and f.name not in POSISI_TERSIMPAN
            ]
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("bantuan:detail", args=[self.pk])

    @property
    def penerima(self):
        return self.mitra if self.mitra_id else self.kelompok


class JadwalAngsuran(models.Model):
    """One scheduled monthly instalment, fixed at disbursement.

    `kumulatif` (the sum of instalments up to and including this one) finds the oldest
    unpaid instalment: the first row whose kumulatif exceeds what was paid (the services when
    they keep Bantuan.jatuh_tempo_belum_lunas, the selectors for a past date).
    """

    bantuan = models.ForeignKey(
        Bantuan, verbose_name=_("bantuan"), on_delete=models.PROTECT, related_name="jadwal"
    )
    ke = models.PositiveSmallIntegerField(_("angsuran ke"))
    jatuh_tempo = models.DateField(_("jatuh tempo"))
    jumlah = models.DecimalField(_("jumlah"), max_digits=15, decimal_places=2)
    kumulatif = models.DecimalField(_("kumulatif"), max_digits=15, decimal_places=2)

    class Meta:
        verbose_name = _("jadwal angsuran")
        verbose_name_plural = _("jadwal angsuran")
        ordering = ["bantuan", "ke"]
        constraints = [
            models.UniqueConstraint(fields=["bantuan", "ke"], name="jadwal_ke_unik"),
            models.CheckConstraint(condition=Q(jumlah__gt=0), name="jadwal_jumlah_positif"),
            models.CheckConstraint(condition=Q(ke__gte=1), name="jadwal_ke_min_1"),
        ]
        indexes = [
            # oldest unpaid instalment: first row of a loan whose kumulatif exceeds the paid sum
            models.Index(fields=["bantuan", "kumulatif"], name="jadwal_bantuan_kumulatif_idx"),
        ]

    def __str__(self):
        return f"{self.bantuan.nomor} #{self.ke}"


class AngsuranQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(bantuan__klaster__in=Klaster.objects.visible_to(user).values("pk"))


class Angsuran(models.Model):
    """A repayment of revolving capital. Never edited or deleted: a mistake is corrected by
    a reversing entry (negative amount) pointing at the entry it reverses."""

    bantuan = models.ForeignKey(
        Bantuan, verbose_name=_("bantuan"), on_delete=models.PROTECT, related_name="angsuran"
    )
    tanggal = models.DateField(_("tanggal"))
    jumlah = models.DecimalField(_("jumlah"), max_digits=15, decimal_places=2)
    dicatat_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dicatat oleh"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    koreksi_dari = models.OneToOneField(
        "self",
        verbose_name=_("koreksi atas"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="koreksi",
    )
    alasan = models.TextField(_("alasan koreksi"), blank=True)
    dibuat = models.DateTimeField(_("dibuat"), auto_now_add=True)

    objects = AngsuranQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("angsuran")
        verbose_name_plural = _("angsuran")
        ordering = ["tanggal", "pk"]
        constraints = [
            # a payment is positive; a reversal is negative, names what it reverses and why
            models.CheckConstraint(
                condition=(Q(jumlah__gt=0) & Q(koreksi_dari__isnull=True))
                | (Q(jumlah__lt=0) & Q(koreksi_dari__isnull=False) & ~Q(alasan="")),
                name="angsuran_positif_atau_koreksi",
            ),
        ]
        indexes = [
            # paid-to-date per loan (arrears, remaining principal)
            models.Index(fields=["bantuan", "tanggal"], name="angsuran_bantuan_tanggal_idx"),
        ]

    def __str__(self):
        # read in the admin and the history: "BTN-2012-0001 5 Februari 2025 Rp150.000"
        return f"{self.bantuan.nomor} {format_tanggal(self.tanggal)} {format_rupiah(self.jumlah)}"

"""The other half of a Klaster Mandiri: programme activities, outside parties and market
links, survey rounds (social capital, CIBEST) and the zakat nisab table.

Every record but the nisab belongs to one klaster and is scoped through it
(`visible_to(user)`), like the rest of the programme's data."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from klaster.models import Klaster
from program.instrumen import KUESIONER_TERBARU, PILIHAN_KUESIONER


class PerKlasterQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(klaster__in=Klaster.objects.visible_to(user).values("pk"))


class PihakLuar(models.Model):
    """An outside party the programme works with: the regency government and its offices,
    buyers, banks, universities, NGOs, companies. A registry per klaster."""

    class Jenis(models.TextChoices):
        PEMERINTAH = "pemerintah", _("Pemerintah daerah / dinas")
        PEMBELI = "pembeli", _("Pembeli / offtaker")
        LEMBAGA_KEUANGAN = "lembaga_keuangan", _("Lembaga keuangan")
        PERGURUAN_TINGGI = "perguruan_tinggi", _("Perguruan tinggi")
        LSM = "lsm", _("LSM")
        SWASTA = "swasta", _("Swasta / CSR")

    klaster = models.ForeignKey(
        Klaster, verbose_name=_("klaster"), on_delete=models.PROTECT, related_name="pihak_luar"
    )
    nama = models.CharField(_("nama"), max_length=200)
    jenis = models.CharField(_("jenis"), max_length=20, choices=Jenis.choices)
    kontak = models.CharField(
        _("kontak"),
        max_length=200,
        blank=True,
        help_text=_("Nama orang yang dihubungi dan nomor teleponnya."),
    )
    desa = models.ForeignKey(
        "klaster.Wilayah",
        verbose_name=_("desa"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"tingkat": "desa"},
    )
    kabupaten = models.ForeignKey(
        "klaster.Wilayah",
        verbose_name=_("kabupaten/kota"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"tingkat": "kabupaten"},
    )
    catatan = models.TextField(_("catatan"), blank=True)
    dibuat = models.DateTimeField(_("dibuat"), auto_now_add=True)

    objects = PerKlasterQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("pihak luar")
        verbose_name_plural = _("pihak luar")
        ordering = ["nama", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["klaster", "nama"], name="pihakluar_nama_unik_per_klaster"
            ),
        ]

    def __str__(self):
        return self.nama

    def get_absolute_url(self):
        return reverse("program:pihak_luar_detail", args=[self.pk])


class KegiatanProgram(models.Model):
    """A programme activity: a training, business mentoring, a market or network meeting,
    stakeholder socialisation, education, health or advocacy. The uuid is made by the
    client, so a form sent twice creates one activity."""

    class Jenis(models.TextChoices):
        PELATIHAN = "pelatihan", _("Pelatihan / peningkatan kapasitas")
        PENDAMPINGAN_USAHA = "pendampingan_usaha", _("Pendampingan usaha")
        AKSES_PASAR = "akses_pasar", _("Akses pasar dan jejaring")
        SOSIALISASI = "sosialisasi", _("Sosialisasi dan sinergi pemangku kepentingan")
        PENDIDIKAN = "pendidikan", _("Pendidikan")
        KESEHATAN = "kesehatan", _("Kesehatan")
        ADVOKASI = "advokasi", _("Advokasi")

    uuid = models.UUIDField(_("uuid"), unique=True, default=uuid.uuid4)
    klaster = models.ForeignKey(
        Klaster, verbose_name=_("klaster"), on_delete=models.PROTECT, related_name="kegiatan"
    )
    kelompok = models.ForeignKey(
        "kelompok.Kelompok",
        verbose_name=_("kelompok"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="kegiatan_program",
        help_text=_("Kosongkan bila kegiatan untuk beberapa kelompok atau seluruh klaster."),
    )
    jenis = models.CharField(_("jenis"), max_length=20, choices=Jenis.choices)
    judul = models.CharField(_("judul"), max_length=200)
    tanggal = models.DateField(_("tanggal"))
    desa = models.ForeignKey(
        "klaster.Wilayah",
        verbose_name=_("desa"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"tingkat": "desa"},
    )
    fasilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("fasilitator"),
        on_delete=models.PROTECT,
        related_name="kegiatan_program",
    )
    narasumber = models.CharField(
        _("narasumber"),
        max_length=200,
        blank=True,
        help_text=_("Pelatih atau pembicara dari luar, bila ada."),
    )
    jam = models.DecimalField(
        _("lama (jam)"),
        max_digits=5,
        decimal_places=2,
        help_text=_("Lama kegiatan dalam jam, misalnya 2,5."),
    )
    biaya = models.DecimalField(_("biaya"), max_digits=15, decimal_places=2, default=0)
    sumber_dana = models.ForeignKey(
        "bantuan.SumberDana",
        verbose_name=_("sumber dana"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="kegiatan_program",
    )
    peserta = models.ManyToManyField(
        "mitra.Mitra", verbose_name=_("peserta"), blank=True, related_name="kegiatan_program"
    )
    pihak_luar = models.ManyToManyField(
        PihakLuar, verbose_name=_("pihak luar yang hadir"), blank=True, related_name="kegiatan"
    )
    catatan = models.TextField(_("catatan"), blank=True)
    foto = models.ImageField(_("foto"), upload_to="program/%Y/%m/", null=True, blank=True)
    # kept by program.services in the activity's own transaction, for the lists
    jumlah_peserta = models.PositiveIntegerField(_("jumlah peserta"), default=0, editable=False)
    dicatat_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dicatat oleh"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    dibuat = models.DateTimeField(_("dibuat"), auto_now_add=True)

    objects = PerKlasterQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[peserta], excluded_fields=["jumlah_peserta"])

    class Meta:
        verbose_name = _("kegiatan program")
        verbose_name_plural = _("kegiatan program")
        ordering = ["-tanggal", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(jam__gt=0), name="kegiatan_jam_positif"),
            models.CheckConstraint(condition=Q(biaya__gte=0), name="kegiatan_biaya_tidak_negatif"),
            # money spent names where it came from
            models.CheckConstraint(
                condition=Q(biaya=0) | Q(sumber_dana__isnull=False),
                name="kegiatan_biaya_punya_sumber",
            ),
        ]
        indexes = [
            models.Index(fields=["klaster", "tanggal"], name="kegiatan_klaster_tgl_idx"),
        ]

    def __str__(self):
        return f"{self.judul} ({self.tanggal})"

    def get_absolute_url(self):
        return reverse("program:kegiatan_detail", args=[self.pk])


class TautanPasar(models.Model):
    """A mitra's or a kelompok's link with an outside party: a buyer's contract, a
    supplier, a bank account or credit, a government programme."""

    class Jenis(models.TextChoices):
        KONTRAK_PEMBELI = "kontrak_pembeli", _("Kontrak pembeli")
        PEMASOK = "pemasok", _("Pemasok")
        REKENING_KREDIT = "rekening_kredit", _("Rekening / kredit bank")
        PROGRAM_PEMERINTAH = "program_pemerintah", _("Program pemerintah")

    klaster = models.ForeignKey(
        Klaster, verbose_name=_("klaster"), on_delete=models.PROTECT, related_name="tautan_pasar"
    )
    mitra = models.ForeignKey(
        "mitra.Mitra",
        verbose_name=_("mitra"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tautan_pasar",
    )
    kelompok = models.ForeignKey(
        "kelompok.Kelompok",
        verbose_name=_("kelompok"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tautan_pasar",
    )
    pihak_luar = models.ForeignKey(
        PihakLuar, verbose_name=_("pihak luar"), on_delete=models.PROTECT, related_name="tautan"
    )
    jenis = models.CharField(_("jenis"), max_length=20, choices=Jenis.choices)
    komoditas = models.CharField(_("komoditas"), max_length=150, blank=True)
    tanggal_mulai = models.DateField(_("tanggal mulai"))
    tanggal_selesai = models.DateField(_("tanggal selesai"), null=True, blank=True)
    nilai_per_bulan = models.DecimalField(
        _("nilai per bulan"),
        max_digits=15,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Perkiraan nilai transaksi per bulan, bila diketahui."),
    )
    catatan = models.TextField(_("catatan"), blank=True)
    dicatat_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dicatat oleh"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    dibuat = models.DateTimeField(_("dibuat"), auto_now_add=True)

    objects = PerKlasterQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("tautan pasar")
        verbose_name_plural = _("tautan pasar")
        ordering = ["-tanggal_mulai", "-pk"]
        constraints = [
            # exactly one side: a member or a group
            models.CheckConstraint(
                condition=Q(mitra__isnull=True) ^ Q(kelompok__isnull=True),
                name="tautanpasar_satu_pihak",
            ),
            models.CheckConstraint(
                condition=Q(tanggal_selesai__isnull=True)
                | Q(tanggal_selesai__gte=models.F("tanggal_mulai")),
                name="tautanpasar_selesai_setelah_mulai",
            ),
            models.CheckConstraint(
                condition=Q(nilai_per_bulan__isnull=True) | Q(nilai_per_bulan__gt=0),
                name="tautanpasar_nilai_positif",
            ),
        ]

    def __str__(self):
        pihak = self.mitra or self.kelompok
        return f"{pihak} — {self.pihak_luar} ({self.get_jenis_display()})"

    def get_absolute_url(self):
        return reverse("program:tautan_detail", args=[self.pk])


class PutaranSurvei(models.Model):
    """A survey round of a klaster: baseline, monitoring or endline, with the questionnaire
    version (program/instrumen.py) its answers follow."""

    class Jenis(models.TextChoices):
        BASELINE = "baseline", _("Baseline")
        MONITORING = "monitoring", _("Monitoring")
        ENDLINE = "endline", _("Endline")

    klaster = models.ForeignKey(
        Klaster, verbose_name=_("klaster"), on_delete=models.PROTECT, related_name="putaran_survei"
    )
    nama = models.CharField(_("nama"), max_length=150)
    jenis = models.CharField(_("jenis"), max_length=10, choices=Jenis.choices)
    kuesioner = models.CharField(
        _("kuesioner"), max_length=20, choices=PILIHAN_KUESIONER, default=KUESIONER_TERBARU
    )
    tanggal_mulai = models.DateField(_("tanggal mulai"))
    tanggal_selesai = models.DateField(
        _("tanggal selesai"),
        null=True,
        blank=True,
        help_text=_("Kosongkan selama putaran masih berjalan."),
    )
    dibuat_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dibuat oleh"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    dibuat = models.DateTimeField(_("dibuat"), auto_now_add=True)

    objects = PerKlasterQuerySet.as_manager()

    class Meta:
        verbose_name = _("putaran survei")
        verbose_name_plural = _("putaran survei")
        ordering = ["-tanggal_mulai", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["klaster", "nama"], name="putaran_nama_unik"),
            models.CheckConstraint(
                condition=Q(tanggal_selesai__isnull=True)
                | Q(tanggal_selesai__gte=models.F("tanggal_mulai")),
                name="putaran_selesai_setelah_mulai",
            ),
        ]

    def __str__(self):
        return self.nama

    def get_absolute_url(self):
        return reverse("program:putaran_detail", args=[self.pk])


class JawabanSurveiQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(putaran__klaster__in=Klaster.objects.visible_to(user).values("pk"))


def _skala_1_5(nama: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{nama}__gte": 1, f"{nama}__lte": 5}), name=f"jawaban_{nama}_1_5"
    )


def _indeks_0_100(nama: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{nama}__isnull": True}) | Q(**{f"{nama}__gte": 0, f"{nama}__lte": 100}),
        name=f"jawaban_{nama}_0_100",
    )


class JawabanSurvei(models.Model):
    """One household's answers in one round. The uuid is made on the phone, so an answer
    sent twice (the offline queue, a double tap) is recorded once.

    The social-capital items are kept as given ({item code: 1–5}, checked against the
    round's questionnaire) with the indices computed from them at write time; the CIBEST
    part has its own columns."""

    uuid = models.UUIDField(_("uuid"), unique=True, default=uuid.uuid4)
    putaran = models.ForeignKey(
        PutaranSurvei, verbose_name=_("putaran"), on_delete=models.PROTECT, related_name="jawaban"
    )
    mitra = models.ForeignKey(
        "mitra.Mitra",
        verbose_name=_("mitra"),
        on_delete=models.PROTECT,
        related_name="jawaban_survei",
    )
    tanggal = models.DateField(_("tanggal wawancara"))
    modal_sosial = models.JSONField(_("jawaban modal sosial"), default=dict, blank=True)
    indeks_relasi = models.DecimalField(
        _("indeks hubungan antaranggota"), max_digits=5, decimal_places=2, null=True
    )
    indeks_kapasitas = models.DecimalField(
        _("indeks kapasitas"), max_digits=5, decimal_places=2, null=True
    )
    indeks_jejaring = models.DecimalField(
        _("indeks jejaring"), max_digits=5, decimal_places=2, null=True
    )
    indeks_modal_sosial = models.DecimalField(
        _("indeks modal sosial"), max_digits=5, decimal_places=2, null=True
    )
    jumlah_anggota_keluarga = models.PositiveSmallIntegerField(_("jumlah anggota rumah tangga"))
    pendapatan_rumah_tangga = models.DecimalField(
        _("pendapatan rumah tangga per bulan"),
        max_digits=15,
        decimal_places=2,
        help_text=_("Dari semua sumber, bukan hanya usaha."),
    )
    shalat = models.PositiveSmallIntegerField(_("shalat"))
    puasa = models.PositiveSmallIntegerField(_("puasa"))
    zakat_infak = models.PositiveSmallIntegerField(_("zakat dan infak"))
    lingkungan_keluarga = models.PositiveSmallIntegerField(_("lingkungan keluarga"))
    kebijakan_pemerintah = models.PositiveSmallIntegerField(_("kebijakan pemerintah"))
    skor_spiritual = models.DecimalField(_("skor spiritual"), max_digits=3, decimal_places=2)
    dicatat_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dicatat oleh"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    dibuat = models.DateTimeField(_("dibuat"), auto_now_add=True)

    objects = JawabanSurveiQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("jawaban survei")
        verbose_name_plural = _("jawaban survei")
        ordering = ["putaran", "mitra", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["putaran", "mitra"], name="jawaban_satu_per_putaran"),
            models.CheckConstraint(
                condition=Q(jumlah_anggota_keluarga__gte=1), name="jawaban_anggota_min_1"
            ),
            models.CheckConstraint(
                condition=Q(pendapatan_rumah_tangga__gte=0), name="jawaban_pendapatan_tidak_negatif"
            ),
            models.CheckConstraint(
                condition=Q(skor_spiritual__gte=1, skor_spiritual__lte=5),
                name="jawaban_skor_spiritual_1_5",
            ),
            *(
                _skala_1_5(n)
                for n in (
                    "shalat",
                    "puasa",
                    "zakat_infak",
                    "lingkungan_keluarga",
                    "kebijakan_pemerintah",
                )
            ),  # fmt: skip
            *(
                _indeks_0_100(n)
                for n in (
                    "indeks_relasi",
                    "indeks_kapasitas",
                    "indeks_jejaring",
                    "indeks_modal_sosial",
                )
            ),  # fmt: skip
        ]
        indexes = [
            models.Index(fields=["mitra", "tanggal"], name="jawaban_mitra_tanggal_idx"),
        ]

    def __str__(self):
        return f"{self.mitra} — {self.putaran}"


class Nisab(models.Model):
    """The zakat nisab on income, as a monthly income equivalent, from a date on. A
    household whose income at endline is at or above the nisab in force then has
    graduated: from mustahik (receiving zakat) to muzakki (paying it)."""

    berlaku_sejak = models.DateField(_("berlaku sejak"), unique=True)
    nilai_bulanan = models.DecimalField(_("nisab per bulan"), max_digits=15, decimal_places=2)
    nilai_tahunan = models.DecimalField(
        _("nisab per tahun"), max_digits=15, decimal_places=2, null=True, blank=True
    )
    dasar = models.CharField(_("dasar perhitungan"), max_length=200, blank=True)
    sumber = models.CharField(_("sumber"), max_length=300)
    perkiraan = models.BooleanField(
        _("perkiraan"),
        default=False,
        help_text=_("Centang bila nilainya perkiraan, bukan angka yang ditetapkan."),
    )

    class Meta:
        verbose_name = _("nisab zakat")
        verbose_name_plural = _("nisab zakat")
        ordering = ["berlaku_sejak"]
        constraints = [
            models.CheckConstraint(condition=Q(nilai_bulanan__gt=0), name="nisab_positif"),
        ]

    def __str__(self):
        return f"{self.berlaku_sejak}: {self.nilai_bulanan}"


class TingkatKelompok(models.TextChoices):
    """How strong a kelompok is, from its latest assessment (program/penilaian.py has the
    rule)."""

    TUMBUH = "tumbuh", _("Tumbuh")
    BERKEMBANG = "berkembang", _("Berkembang")
    MANDIRI = "mandiri", _("Mandiri")


def _skor_1_3(nama: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{nama}__gte": 1, f"{nama}__lte": 3}), name=f"penilaian_{nama}_1_3"
    )


# the nine scored indicators, in the rubric's order (program/penilaian.py)
SKOR_PENILAIAN = (
    "skor_pertemuan",
    "skor_pengurus",
    "skor_pembukuan",
    "skor_usaha_bersama",
    "skor_usaha_anggota",
    "skor_tabungan",
    "skor_angsuran",
    "skor_par30",
    "skor_jejaring",
)


class PenilaianKelompok(models.Model):
    """A facilitator's periodic assessment of a kelompok's maturity. The indicators taken
    from the records (attendance, savings growth, PAR30, outside links) are computed by the
    service on the assessment date and kept as they were, next to the judged scores; the
    total and the level follow the rule in program/penilaian.py."""

    klaster = models.ForeignKey(
        Klaster, verbose_name=_("klaster"), on_delete=models.PROTECT, related_name="penilaian"
    )
    kelompok = models.ForeignKey(
        "kelompok.Kelompok",
        verbose_name=_("kelompok"),
        on_delete=models.PROTECT,
        related_name="penilaian",
    )
    tanggal = models.DateField(_("tanggal penilaian"))
    # computed from the records on the assessment date (not editable)
    jumlah_pertemuan = models.PositiveIntegerField(_("pertemuan kelompok 6 bulan"), default=0)
    tingkat_kehadiran = models.DecimalField(
        _("tingkat kehadiran (%)"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    saldo_tabungan = models.DecimalField(
        _("saldo tabungan"), max_digits=15, decimal_places=2, default=0
    )
    saldo_tabungan_awal = models.DecimalField(
        _("saldo tabungan 6 bulan sebelumnya"), max_digits=15, decimal_places=2, default=0
    )
    par30 = models.DecimalField(
        _("PAR30 (%)"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    jumlah_tautan = models.PositiveIntegerField(_("tautan dengan pihak luar"), default=0)
    # scores 1–3: the computed ones from the figures above, the others judged
    skor_pertemuan = models.PositiveSmallIntegerField(_("pertemuan rutin"))
    skor_pengurus = models.PositiveSmallIntegerField(_("pengurus"))
    skor_pembukuan = models.PositiveSmallIntegerField(_("pembukuan"))
    skor_usaha_bersama = models.PositiveSmallIntegerField(_("usaha bersama"))
    skor_usaha_anggota = models.PositiveSmallIntegerField(_("usaha anggota berjalan"))
    skor_tabungan = models.PositiveSmallIntegerField(_("pertumbuhan tabungan"))
    skor_angsuran = models.PositiveSmallIntegerField(_("riwayat angsuran"))
    skor_par30 = models.PositiveSmallIntegerField(_("PAR30 kelompok"))
    skor_jejaring = models.PositiveSmallIntegerField(_("jejaring"))
    skor_total = models.PositiveSmallIntegerField(_("skor total"))
    tingkat = models.CharField(_("tingkat"), max_length=10, choices=TingkatKelompok.choices)
    catatan = models.TextField(_("catatan"), blank=True)
    dinilai_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dinilai oleh"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    dibuat = models.DateTimeField(_("dibuat"), auto_now_add=True)

    objects = PerKlasterQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("penilaian kelompok")
        verbose_name_plural = _("penilaian kelompok")
        ordering = ["-tanggal", "-pk"]
        constraints = [
            *(_skor_1_3(n) for n in SKOR_PENILAIAN),
            models.CheckConstraint(
                condition=Q(skor_total__gte=9, skor_total__lte=27), name="penilaian_total_9_27"
            ),
            models.CheckConstraint(
                condition=Q(tingkat__in=TingkatKelompok.values), name="penilaian_tingkat_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["kelompok", "tanggal"], name="penilaian_kelompok_tgl_idx"),
        ]

    def __str__(self):
        return f"{self.kelompok} — {self.tanggal} ({self.get_tingkat_display()})"

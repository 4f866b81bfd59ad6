"""What the API shows and accepts. Reading serializers turn rows the selectors already
fetched into JSON (no query of their own); writing serializers only parse the input, and
the services (the same as the web's) apply every rule.

Money is a string ("1200000.00"), never a float; dates are ISO 8601.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from bantuan.models import Angsuran, Bantuan
from kelompok.models import Kelompok
from klaster.models import Klaster
from kunjungan.models import Kunjungan
from mitra.models import JenisKelamin, Mitra, PengukuranPendapatan, Sektor

UANG = {"max_digits": 15, "decimal_places": 2}


def _kunjungan_id(obj) -> int | None:
    # a reading or an instalment taken at a visit: the link row, fetched with select_related
    link = getattr(obj, "kunjungan_link", None)
    return link.kunjungan_id if link is not None else None


# --------------------------------------------------------------------------- reading


class KlasterSerializer(serializers.ModelSerializer):
    kabupaten_nama = serializers.CharField(source="kabupaten.nama", read_only=True)
    kecamatan = serializers.SerializerMethodField()

    class Meta:
        model = Klaster
        fields = [
            "id",
            "kode",
            "nama",
            "kabupaten",
            "kabupaten_nama",
            "kecamatan",
            "tahap",
            "tanggal_mulai",
            "tanggal_selesai",
            "target_mitra",
            "anggaran",
        ]

    def get_kecamatan(self, obj) -> list[str]:
        # prefetched by the view
        return [w.kode for w in obj.kecamatan.all()]


class KelompokSerializer(serializers.ModelSerializer):
    desa_nama = serializers.CharField(source="desa.nama", read_only=True)
    lembaga_nama = serializers.CharField(source="lembaga.nama", read_only=True, default=None)
    jumlah_anggota = serializers.IntegerField(read_only=True)

    class Meta:
        model = Kelompok
        fields = [
            "id",
            "kode",
            "nama",
            "klaster",
            "sektor",
            "desa",
            "desa_nama",
            "tanggal_dibentuk",
            "ketua",
            "usaha_kelompok",
            "status",
            "lembaga",
            "lembaga_nama",
            "jumlah_anggota",
        ]


class MitraSerializer(serializers.ModelSerializer):
    """A mitra in a list: NIK and phone masked, as on the web's lists (UU PDP)."""

    nik = serializers.CharField(source="nik_tersamar", read_only=True)
    telepon = serializers.CharField(source="telepon_tersamar", read_only=True)
    desa_nama = serializers.CharField(source="desa.nama", read_only=True)

    class Meta:
        model = Mitra
        fields = [
            "id",
            "nik",
            "nama",
            "jenis_kelamin",
            "telepon",
            "klaster",
            "kelompok",
            "desa",
            "desa_nama",
            "sektor",
            "jenis_usaha",
            "status",
            "tanggal_bergabung",
            "tanggal_keluar",
            "jumlah_anggota_keluarga",
        ]


class MitraDetailSerializer(MitraSerializer):
    """One mitra: the full NIK and phone, as the web's mitra page shows them to whoever
    may open it (tests/test_matriks_izin.py NIK_PENUH)."""

    nik = serializers.CharField(read_only=True)
    telepon = serializers.CharField(read_only=True)

    class Meta(MitraSerializer.Meta):
        fields = [*MitraSerializer.Meta.fields, "tanggal_lahir", "alamat"]


class PosisiSerializer(serializers.Serializer):
    """A loan's position as of `per_tanggal` (bantuan.selectors.anotasi_posisi)."""

    per_tanggal = serializers.DateField()
    terbayar = serializers.DecimalField(**UANG)
    sisa_pokok = serializers.DecimalField(**UANG)
    tunggakan = serializers.DecimalField(**UANG)
    kewajiban_jatuh_tempo = serializers.DecimalField(**UANG)
    terkumpul = serializers.DecimalField(**UANG)
    jatuh_tempo_tertunggak = serializers.DateField(allow_null=True)
    hari_tunggakan = serializers.IntegerField()
    kolektibilitas = serializers.IntegerField(allow_null=True)


class BantuanSerializer(serializers.ModelSerializer):
    penerima_nama = serializers.SerializerMethodField()
    sumber_dana_nama = serializers.CharField(source="sumber_dana.nama", read_only=True)
    posisi = serializers.SerializerMethodField()

    class Meta:
        model = Bantuan
        fields = [
            "id",
            "nomor",
            "klaster",
            "mitra",
            "kelompok",
            "penerima_nama",
            "jenis",
            "sumber_dana",
            "sumber_dana_nama",
            "jumlah",
            "tujuan",
            "tanggal_pengajuan",
            "status",
            "tenor_bulan",
            "tanggal_cair",
            "tanggal_keputusan",
            "tanggal_lunas",
            "tanggal_hapus_buku",
            "alasan",
            "generasi",
            "posisi",
        ]

    def get_penerima_nama(self, obj) -> str:
        penerima = obj.mitra if obj.mitra_id else obj.kelompok
        return penerima.nama

    @staticmethod
    def _posisi(obj, per_tanggal) -> dict:
        return {
            "per_tanggal": per_tanggal,
            **{
                nama: getattr(obj, nama)
                for nama in PosisiSerializer._declared_fields
                if nama != "per_tanggal"
            },
        }

    def get_posisi(self, obj) -> PosisiSerializer:
        return PosisiSerializer(self._posisi(obj, self.context["per_tanggal"])).data


class JadwalSerializer(serializers.Serializer):
    ke = serializers.IntegerField()
    jatuh_tempo = serializers.DateField()
    jumlah = serializers.DecimalField(**UANG)
    kumulatif = serializers.DecimalField(**UANG)
    dibayar = serializers.DecimalField(**UANG)
    keadaan = serializers.ChoiceField(
        choices=["lunas", "sebagian", "belum", "tertunggak"],
        help_text=_("Keadaan angsuran terjadwal per tanggal posisi."),
    )


class BantuanDetailSerializer(BantuanSerializer):
    jadwal = serializers.SerializerMethodField()

    class Meta(BantuanSerializer.Meta):
        fields = [*BantuanSerializer.Meta.fields, "jadwal"]

    def get_jadwal(self, obj) -> JadwalSerializer(many=True):
        baris = [
            {
                "ke": b["jadwal"].ke,
                "jatuh_tempo": b["jadwal"].jatuh_tempo,
                "jumlah": b["jadwal"].jumlah,
                "kumulatif": b["jadwal"].kumulatif,
                "dibayar": b["dibayar"],
                "keadaan": b["keadaan"],
            }
            for b in self.context["jadwal"]
        ]
        return JadwalSerializer(baris, many=True).data


class AngsuranSerializer(serializers.ModelSerializer):
    kunjungan = serializers.SerializerMethodField()

    class Meta:
        model = Angsuran
        fields = [
            "id",
            "bantuan",
            "tanggal",
            "jumlah",
            "koreksi_dari",
            "alasan",
            "dicatat_oleh",
            "kunjungan",
            "dibuat",
        ]

    def get_kunjungan(self, obj) -> int | None:
        return _kunjungan_id(obj)


class PengukuranSerializer(serializers.ModelSerializer):
    kunjungan = serializers.SerializerMethodField()

    class Meta:
        model = PengukuranPendapatan
        fields = [
            "id",
            "mitra",
            "tanggal",
            "pendapatan_bulanan",
            "jenis",
            "dicatat_oleh",
            "kunjungan",
            "dibuat",
        ]

    def get_kunjungan(self, obj) -> int | None:
        return _kunjungan_id(obj)


class KunjunganSerializer(serializers.ModelSerializer):
    hadir = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    ada_foto = serializers.SerializerMethodField()

    class Meta:
        model = Kunjungan
        fields = [
            "id",
            "uuid",
            "fasilitator",
            "klaster",
            "kelompok",
            "tanggal",
            "jenis_kegiatan",
            "hadir",
            "jumlah_hadir",
            "jumlah_hadir_anggota",
            "jumlah_anggota",
            "ringkasan",
            "kendala",
            "tindak_lanjut",
            "tindak_lanjut_selesai",
            "tindak_lanjut_selesai_pada",
            "lokasi_lat",
            "lokasi_lon",
            "ada_foto",
            "dibuat",
        ]

    def get_ada_foto(self, obj) -> bool:
        return bool(obj.foto)


class BarisPengukuranSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    mitra = serializers.IntegerField()
    jumlah = serializers.DecimalField(**UANG)


class BarisAngsuranSerializer(BarisPengukuranSerializer):
    bantuan = serializers.IntegerField()


class KunjunganDetailSerializer(KunjunganSerializer):
    pengukuran = serializers.SerializerMethodField()
    angsuran = serializers.SerializerMethodField()

    class Meta(KunjunganSerializer.Meta):
        fields = [*KunjunganSerializer.Meta.fields, "pengukuran", "angsuran"]

    def get_pengukuran(self, obj) -> BarisPengukuranSerializer(many=True):
        return [
            {"id": p.pk, "mitra": p.mitra_id, "jumlah": str(p.pendapatan_bulanan)}
            for p in self.context["isi"]["pengukuran"]
        ]

    def get_angsuran(self, obj) -> BarisAngsuranSerializer(many=True):
        return [
            {
                "id": a.pk,
                "mitra": a.bantuan.mitra_id,
                "bantuan": a.bantuan_id,
                "jumlah": str(a.jumlah),
            }
            for a in self.context["isi"]["angsuran"]
        ]


# --------------------------------------------------------------------------- writing


class UangMitraSerializer(serializers.Serializer):
    mitra = serializers.IntegerField(min_value=1)
    jumlah = serializers.DecimalField(**UANG)


def _satu_per_mitra(baris, label) -> None:
    ids = [b["mitra"] for b in baris]
    if len(ids) != len(set(ids)):
        raise serializers.ValidationError(
            _("Satu mitra hanya boleh muncul sekali di %(label)s.") % {"label": label}
        )


class KunjunganTulisSerializer(serializers.Serializer):
    """A group meeting as the meeting screen records it (kunjungan.services.kunjungan_catat).
    Sending the same `uuid` again returns the visit already recorded (200) instead of a
    second one (201)."""

    uuid = serializers.UUIDField(help_text=_("Dibuat oleh aplikasi pengirim; kiriman ulang aman."))
    kelompok = serializers.IntegerField(min_value=1)
    tanggal = serializers.DateField()
    jenis_kegiatan = serializers.ChoiceField(choices=Kunjungan.JenisKegiatan.choices)
    hadir = serializers.ListField(
        child=serializers.IntegerField(min_value=1), required=False, default=list, max_length=1000
    )
    ringkasan = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=10_000
    )
    kendala = serializers.CharField(required=False, allow_blank=True, default="", max_length=10_000)
    tindak_lanjut = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=10_000
    )
    pendapatan = UangMitraSerializer(many=True, required=False, default=list)
    angsuran = UangMitraSerializer(many=True, required=False, default=list)
    lokasi_lat = serializers.DecimalField(
        max_digits=9, decimal_places=6, required=False, allow_null=True, default=None
    )
    lokasi_lon = serializers.DecimalField(
        max_digits=9, decimal_places=6, required=False, allow_null=True, default=None
    )

    def validate_pendapatan(self, baris):
        _satu_per_mitra(baris, _("pendapatan"))
        return baris

    def validate_angsuran(self, baris):
        _satu_per_mitra(baris, _("angsuran"))
        return baris

    def data_layanan(self) -> dict:
        """The parsed input as keyword arguments of kunjungan_catat (kelompok aside)."""
        d = dict(self.validated_data)
        d.pop("kelompok")
        d["pendapatan"] = {b["mitra"]: b["jumlah"] for b in d["pendapatan"]}
        d["angsuran"] = {b["mitra"]: b["jumlah"] for b in d["angsuran"]}
        return d


class MitraTulisSerializer(serializers.Serializer):
    """A mitra registration (mitra.services.mitra_buat): the web form's fields. Give
    `kelompok` or `klaster` (or neither when you work in one klaster only)."""

    nik = serializers.CharField(max_length=30)
    nama = serializers.CharField(max_length=150)
    jenis_kelamin = serializers.ChoiceField(choices=JenisKelamin.choices)
    tanggal_lahir = serializers.DateField()
    telepon = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    kelompok = serializers.IntegerField(min_value=1, required=False, allow_null=True, default=None)
    klaster = serializers.IntegerField(min_value=1, required=False, allow_null=True, default=None)
    desa = serializers.CharField(
        max_length=13, help_text=_("Kode desa Kemendagri, misalnya 36.02.06.2002.")
    )
    alamat = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")
    sektor = serializers.ChoiceField(choices=Sektor.choices)
    jenis_usaha = serializers.CharField(
        max_length=100, required=False, allow_blank=True, default=""
    )
    # a new member has not left: no exit date, no "keluar" status (as the web form)
    status = serializers.ChoiceField(
        choices=[(v, label) for v, label in Mitra.Status.choices if v != Mitra.Status.KELUAR],
        required=False,
        default=Mitra.Status.AKTIF,
    )
    tanggal_bergabung = serializers.DateField()
    jumlah_anggota_keluarga = serializers.IntegerField(min_value=1, max_value=50, default=1)
    pendapatan_awal = serializers.DecimalField(
        **UANG,
        required=False,
        allow_null=True,
        default=None,
        help_text=_("Pendapatan bulanan saat bergabung: disimpan sebagai pengukuran baseline."),
    )
    konfirmasi_beda_nik = serializers.BooleanField(
        default=False,
        help_text=_(
            "Kirim true setelah memeriksa data bila tanggal lahir atau jenis kelamin berbeda "
            "dengan NIK (jawaban 400 dengan field konfirmasi_beda_nik)."
        ),
    )


class PengukuranTulisSerializer(serializers.Serializer):
    mitra = serializers.IntegerField(min_value=1)
    tanggal = serializers.DateField()
    pendapatan_bulanan = serializers.DecimalField(**UANG)
    jenis = serializers.ChoiceField(choices=PengukuranPendapatan.Jenis.choices)

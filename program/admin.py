"""Back office of the programme's other half. Staff edits pass the same rules as the pages
(program/aturan.py); the kept figures (attendance count, survey indices and spiritual score)
are computed again when the admin saves."""

from django import forms
from django.contrib import admin
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin

from klaster.forms import tambah_galat_service
from program import aturan
from program.instrumen import (
    JEJARING,
    KAPASITAS,
    KUESIONER,
    RELASI,
    TOTAL,
    indeks_modal_sosial,
    skor_spiritual,
)
from program.models import (
    JawabanSurvei,
    KegiatanProgram,
    Nisab,
    PihakLuar,
    PutaranSurvei,
    TautanPasar,
)


def _galat(form, galat) -> None:
    if galat:
        tambah_galat_service(form, forms.ValidationError(galat))


class PihakLuarAdminForm(forms.ModelForm):
    class Meta:
        model = PihakLuar
        fields = ["klaster", "nama", "jenis", "kontak", "catatan"]

    def clean(self):
        data = super().clean()
        if data.get("klaster"):
            _galat(
                self,
                aturan.periksa_pihak_luar(
                    klaster=data["klaster"],
                    nama=aturan.bersihkan_teks(data.get("nama")),
                    kontak=aturan.bersihkan_teks(data.get("kontak")),
                    catatan=aturan.bersihkan_catatan(data.get("catatan")),
                ),
            )
        return data


@admin.register(PihakLuar)
class PihakLuarAdmin(SimpleHistoryAdmin):
    form = PihakLuarAdminForm
    list_display = ["nama", "jenis", "klaster", "kontak"]
    list_filter = ["jenis", "klaster"]
    search_fields = ["nama", "kontak"]
    raw_id_fields = ["klaster", "desa", "kabupaten"]
    list_select_related = ["klaster"]


class KegiatanAdminForm(forms.ModelForm):
    class Meta:
        model = KegiatanProgram
        fields = ["klaster", "tanggal", "judul", "jam", "biaya", "sumber_dana", "kelompok",
                  "desa", "peserta", "pihak_luar", "narasumber", "catatan"]  # fmt: skip

    def clean(self):
        data = super().clean()
        klaster = data.get("klaster")
        if klaster is not None and not self.errors:
            _galat(
                self,
                aturan.periksa_kegiatan(
                    klaster=klaster,
                    kecamatan_ids=set(klaster.kecamatan.values_list("kode", flat=True)),
                    hari_ini=timezone.localdate(),
                    judul=data.get("judul") or "",
                    tanggal=data.get("tanggal"),
                    jam=data.get("jam"),
                    biaya=data.get("biaya"),
                    sumber_dana=data.get("sumber_dana"),
                    kelompok=data.get("kelompok"),
                    desa=data.get("desa"),
                    peserta=list(data.get("peserta") or []),
                    pihak_luar=list(data.get("pihak_luar") or []),
                    narasumber=data.get("narasumber") or "",
                    catatan=data.get("catatan") or "",
                ),
            )
        return data


@admin.register(KegiatanProgram)
class KegiatanProgramAdmin(SimpleHistoryAdmin):
    form = KegiatanAdminForm
    list_display = [
        "tanggal",
        "judul",
        "jenis",
        "klaster",
        "kelompok",
        "jumlah_peserta",
        "jam",
        "biaya",
    ]
    list_filter = ["jenis", "klaster", "tanggal"]
    search_fields = ["judul", "narasumber", "uuid"]
    date_hierarchy = "tanggal"
    raw_id_fields = [
        "klaster",
        "kelompok",
        "desa",
        "fasilitator",
        "dicatat_oleh",
        "peserta",
        "pihak_luar",
    ]
    readonly_fields = ["uuid", "jumlah_peserta", "dibuat"]
    list_select_related = ["klaster", "kelompok"]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        k = form.instance
        KegiatanProgram.objects.filter(pk=k.pk).update(jumlah_peserta=k.peserta.count())


class TautanAdminForm(forms.ModelForm):
    class Meta:
        model = TautanPasar
        fields = ["klaster", "mitra", "kelompok", "pihak_luar", "tanggal_mulai",
                  "tanggal_selesai", "nilai_per_bulan", "komoditas", "catatan"]  # fmt: skip

    def clean(self):
        data = super().clean()
        if data.get("klaster") is not None and not self.errors:
            _galat(
                self,
                aturan.periksa_tautan(
                    klaster=data["klaster"],
                    hari_ini=timezone.localdate(),
                    mitra=data.get("mitra"),
                    kelompok=data.get("kelompok"),
                    pihak_luar=data.get("pihak_luar"),
                    tanggal_mulai=data.get("tanggal_mulai"),
                    tanggal_selesai=data.get("tanggal_selesai"),
                    nilai_per_bulan=data.get("nilai_per_bulan"),
                    komoditas=data.get("komoditas") or "",
                    catatan=data.get("catatan") or "",
                ),
            )
        return data


@admin.register(TautanPasar)
class TautanPasarAdmin(SimpleHistoryAdmin):
    form = TautanAdminForm
    list_display = [
        "__str__",
        "jenis",
        "klaster",
        "tanggal_mulai",
        "tanggal_selesai",
        "nilai_per_bulan",
    ]
    list_filter = ["jenis", "klaster"]
    search_fields = ["komoditas", "pihak_luar__nama", "mitra__nama", "kelompok__nama"]
    raw_id_fields = ["klaster", "mitra", "kelompok", "pihak_luar", "dicatat_oleh"]
    list_select_related = ["klaster", "mitra", "kelompok", "pihak_luar"]


class PutaranAdminForm(forms.ModelForm):
    class Meta:
        model = PutaranSurvei
        fields = ["klaster", "nama", "tanggal_mulai", "tanggal_selesai", "kuesioner"]

    def clean(self):
        data = super().clean()
        if data.get("klaster") is not None and not self.errors:
            _galat(
                self,
                aturan.periksa_putaran(
                    klaster=data["klaster"],
                    hari_ini=timezone.localdate(),
                    nama=data.get("nama") or "",
                    tanggal_mulai=data.get("tanggal_mulai"),
                    tanggal_selesai=data.get("tanggal_selesai"),
                    kuesioner=data.get("kuesioner"),
                ),
            )
        return data


@admin.register(PutaranSurvei)
class PutaranSurveiAdmin(admin.ModelAdmin):
    form = PutaranAdminForm
    list_display = ["nama", "jenis", "klaster", "tanggal_mulai", "tanggal_selesai", "kuesioner"]
    list_filter = ["jenis", "klaster"]
    search_fields = ["nama"]
    raw_id_fields = ["klaster", "dibuat_oleh"]
    list_select_related = ["klaster"]


class JawabanAdminForm(forms.ModelForm):
    """A correction of an answer: the round's questionnaire rules; the indices and the
    spiritual score follow the corrected items."""

    class Meta:
        model = JawabanSurvei
        fields = ["putaran", "mitra", "tanggal", "modal_sosial", "jumlah_anggota_keluarga",
                  "pendapatan_rumah_tangga", "shalat", "puasa", "zakat_infak",
                  "lingkungan_keluarga", "kebijakan_pemerintah"]  # fmt: skip

    def clean(self):
        data = super().clean()
        putaran = data.get("putaran")
        if putaran is not None and not self.errors:
            kuesioner = KUESIONER[putaran.kuesioner]
            _galat(
                self,
                aturan.periksa_jawaban(
                    putaran=putaran,
                    kuesioner=kuesioner,
                    hari_ini=timezone.localdate(),
                    mitra=data.get("mitra"),
                    tanggal=data.get("tanggal"),
                    modal_sosial=dict(data.get("modal_sosial") or {}),
                    spiritual={b.kode: data.get(b.kode) for b in kuesioner.spiritual},
                    jumlah_anggota_keluarga=data.get("jumlah_anggota_keluarga"),
                    pendapatan_rumah_tangga=data.get("pendapatan_rumah_tangga"),
                ),
            )
        return data


@admin.register(JawabanSurvei)
class JawabanSurveiAdmin(SimpleHistoryAdmin):
    form = JawabanAdminForm
    list_display = ["mitra", "putaran", "tanggal", "indeks_modal_sosial", "skor_spiritual",
                    "pendapatan_rumah_tangga", "jumlah_anggota_keluarga"]  # fmt: skip
    list_filter = ["putaran__jenis", "putaran__klaster"]
    search_fields = ["mitra__nama", "uuid"]
    raw_id_fields = ["putaran", "mitra", "dicatat_oleh"]
    readonly_fields = ["uuid", "indeks_relasi", "indeks_kapasitas", "indeks_jejaring",
                       "indeks_modal_sosial", "skor_spiritual", "dibuat"]  # fmt: skip
    list_select_related = ["mitra", "putaran"]

    def save_model(self, request, obj, form, change):
        kuesioner = KUESIONER[obj.putaran.kuesioner]
        indeks = indeks_modal_sosial(kuesioner, obj.modal_sosial)
        obj.indeks_relasi = indeks[RELASI]
        obj.indeks_kapasitas = indeks[KAPASITAS]
        obj.indeks_jejaring = indeks[JEJARING]
        obj.indeks_modal_sosial = indeks[TOTAL]
        obj.skor_spiritual = skor_spiritual([getattr(obj, b.kode) for b in kuesioner.spiritual])
        super().save_model(request, obj, form, change)


@admin.register(Nisab)
class NisabAdmin(admin.ModelAdmin):
    list_display = ["berlaku_sejak", "nilai_bulanan", "nilai_tahunan", "perkiraan", "sumber"]
    list_filter = ["perkiraan"]

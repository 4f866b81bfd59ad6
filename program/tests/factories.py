import datetime
import uuid
from decimal import Decimal

import factory

from klaster.tests.factories import KlasterFactory, UserFactory
from program.instrumen import KUESIONER, KUESIONER_TERBARU, indeks_modal_sosial, skor_spiritual
from program.models import (
    JawabanSurvei,
    KegiatanProgram,
    PenilaianKelompok,
    PihakLuar,
    PutaranSurvei,
    TautanPasar,
    TingkatKelompok,
)


class PihakLuarFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PihakLuar

    klaster = factory.SubFactory(KlasterFactory)
    nama = factory.Sequence(lambda n: f"Dinas Uji {n}")
    jenis = PihakLuar.Jenis.PEMERINTAH
    kontak = "Bapak Uji 0812000000"


class KegiatanProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = KegiatanProgram
        skip_postgeneration_save = True

    klaster = factory.SubFactory(KlasterFactory)
    jenis = KegiatanProgram.Jenis.PELATIHAN
    judul = factory.Sequence(lambda n: f"Pelatihan pembukuan {n}")
    tanggal = datetime.date(2024, 4, 10)
    fasilitator = factory.SubFactory(UserFactory, grup="Fasilitator")
    dicatat_oleh = factory.LazyAttribute(lambda o: o.fasilitator)
    jam = Decimal("2")

    @factory.post_generation
    def peserta(self, create, extracted, **kwargs):
        if create and extracted:
            self.peserta.add(*extracted)
            self.jumlah_peserta = len(extracted)
            self.save(update_fields=["jumlah_peserta"])

    @factory.post_generation
    def pihak_luar(self, create, extracted, **kwargs):
        if create and extracted:
            self.pihak_luar.add(*extracted)


class TautanPasarFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TautanPasar

    pihak_luar = factory.SubFactory(PihakLuarFactory, jenis=PihakLuar.Jenis.PEMBELI)
    klaster = factory.LazyAttribute(lambda o: o.pihak_luar.klaster)
    jenis = TautanPasar.Jenis.KONTRAK_PEMBELI
    komoditas = "Gula aren"
    tanggal_mulai = datetime.date(2024, 7, 1)
    dicatat_oleh = factory.SubFactory(UserFactory, grup="Fasilitator")


class PutaranSurveiFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PutaranSurvei

    klaster = factory.SubFactory(KlasterFactory)
    nama = factory.Sequence(lambda n: f"Baseline {n}")
    jenis = PutaranSurvei.Jenis.BASELINE
    kuesioner = KUESIONER_TERBARU
    tanggal_mulai = datetime.date(2024, 2, 1)
    dibuat_oleh = factory.SubFactory(UserFactory, grup="Manajer Program")


def butir_modal_sosial(relasi: int, kapasitas: int, jejaring: int) -> dict[str, int]:
    """Every item of a dimension answered with the same value."""
    nilai = {"relasi": relasi, "kapasitas": kapasitas, "jejaring": jejaring}
    return {b.kode: nilai[b.dimensi] for b in KUESIONER[KUESIONER_TERBARU].modal_sosial}


def butir_spiritual(skor: str) -> dict[str, int]:
    """Five whole answers 1–5 whose mean is `skor` (e.g. "2.8" -> 3, 3, 3, 3, 2)."""
    total = int(Decimal(skor) * 5)
    dasar, sisa = divmod(total, 5)
    kode = [b.kode for b in KUESIONER[KUESIONER_TERBARU].spiritual]
    return {k: dasar + (1 if i < sisa else 0) for i, k in enumerate(kode)}


class JawabanSurveiFactory(factory.django.DjangoModelFactory):
    """An answer written directly, with its indices computed as the service computes them
    (for volume; the fixture goes through the service)."""

    class Meta:
        model = JawabanSurvei

    class Params:
        dimensi = (3, 3, 3)
        skor = "3"

    uuid = factory.LazyFunction(uuid.uuid4)
    putaran = factory.SubFactory(PutaranSurveiFactory)
    mitra = None
    tanggal = datetime.date(2024, 3, 1)
    jumlah_anggota_keluarga = 4
    pendapatan_rumah_tangga = Decimal("1500000")
    modal_sosial = factory.LazyAttribute(lambda o: butir_modal_sosial(*o.dimensi))
    indeks_relasi = factory.LazyAttribute(
        lambda o: indeks_modal_sosial(KUESIONER[KUESIONER_TERBARU], o.modal_sosial)["relasi"]
    )
    indeks_kapasitas = factory.LazyAttribute(
        lambda o: indeks_modal_sosial(KUESIONER[KUESIONER_TERBARU], o.modal_sosial)["kapasitas"]
    )
    indeks_jejaring = factory.LazyAttribute(
        lambda o: indeks_modal_sosial(KUESIONER[KUESIONER_TERBARU], o.modal_sosial)["jejaring"]
    )
    indeks_modal_sosial = factory.LazyAttribute(
        lambda o: indeks_modal_sosial(KUESIONER[KUESIONER_TERBARU], o.modal_sosial)["total"]
    )
    shalat = factory.LazyAttribute(lambda o: butir_spiritual(o.skor)["shalat"])
    puasa = factory.LazyAttribute(lambda o: butir_spiritual(o.skor)["puasa"])
    zakat_infak = factory.LazyAttribute(lambda o: butir_spiritual(o.skor)["zakat_infak"])
    lingkungan_keluarga = factory.LazyAttribute(
        lambda o: butir_spiritual(o.skor)["lingkungan_keluarga"]
    )
    kebijakan_pemerintah = factory.LazyAttribute(
        lambda o: butir_spiritual(o.skor)["kebijakan_pemerintah"]
    )
    skor_spiritual = factory.LazyAttribute(
        lambda o: skor_spiritual(list(butir_spiritual(o.skor).values()))
    )


class PenilaianKelompokFactory(factory.django.DjangoModelFactory):
    """An assessment with every score 2 (total 18, berkembang) unless told otherwise;
    tests that need the service's computed indicators call penilaian_kelompok_catat."""

    class Meta:
        model = PenilaianKelompok

    kelompok = factory.SubFactory("kelompok.tests.factories.KelompokFactory")
    klaster = factory.LazyAttribute(lambda o: o.kelompok.klaster)
    tanggal = datetime.date(2024, 6, 30)
    skor_pertemuan = 2
    skor_pengurus = 2
    skor_pembukuan = 2
    skor_usaha_bersama = 2
    skor_usaha_anggota = 2
    skor_tabungan = 2
    skor_angsuran = 2
    skor_par30 = 2
    skor_jejaring = 2
    skor_total = 18
    tingkat = TingkatKelompok.BERKEMBANG
    dinilai_oleh = factory.SubFactory(UserFactory, grup="Fasilitator")

"""seed_demo's programme half (demo/program.py): the Lebak report shows social capital
rising in all three dimensions and the CIBEST welfare quadrant growing, every row is dated
within the programme, and the same seed writes the same rows.

Seeded once for the module on a timeline ending 30 June 2026 (the BPS lines of Lebak 2023
and 2024 and the 2024/2025 nisab apply), in a transaction rolled back at the end."""

import datetime as dt
import io
from collections import Counter
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.db import transaction

from bantuan.models import SumberDana
from demo.program import isi_program
from klaster.models import Klaster
from laporan.selectors import Saringan
from mitra.models import Mitra, PengukuranPendapatan
from program import selectors
from program.models import JawabanSurvei, KegiatanProgram, PihakLuar, PutaranSurvei, TautanPasar

SAMPAI = dt.date(2026, 6, 30)

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            out = io.StringIO()
            call_command(
                "seed_demo", "--force", "--sampai", SAMPAI.isoformat(), "--password",
                "sandi-demo-uji-2026", stdout=out,
            )  # fmt: skip
            lebak = Klaster.objects.get(kode="LBK")
            s = Saringan(
                klaster=Klaster.objects.filter(pk=lebak.pk),
                dari=lebak.tanggal_mulai,
                sampai=SAMPAI,
                per_tanggal=SAMPAI,
            )
            yield SimpleNamespace(
                output=out.getvalue(), lebak=lebak, laporan=selectors.bagian_program(s)
            )
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def test_social_capital_rises_in_every_dimension(demo):
    ms = demo.laporan["modal_sosial"]
    for b in ms["baris"]:
        assert b["endline_rerata"] > b["baseline_rerata"], b["dimensi"]
        assert b["endline_median"] >= b["baseline_median"], b["dimensi"]
        assert b["porsi_naik"] > 0.5, b["dimensi"]
    # every Lebak mitra but the six with nothing after their baseline is a pair
    assert ms["n"] == 324 - 6
    assert len([d for d in ms["dikecualikan"] if "belum ada endline" in d["alasan"]]) == 6


def test_the_welfare_quadrant_grows_and_absolute_poverty_shrinks(demo):
    cb = demo.laporan["cibest"]
    assert cb["n"] == 318
    w = {i["kode"]: i for i in cb["indeks"]}
    assert w["kesejahteraan"]["endline"] > w["kesejahteraan"]["baseline"]
    assert w["kemiskinan_absolut"]["endline"] < w["kemiskinan_absolut"]["baseline"]
    # the matrix holds every pair once, and its margins are the two distributions
    assert sum(sum(t["ke"]) for t in cb["transisi"]) == cb["n"]
    assert [t["jumlah"] for t in cb["transisi"]] == [b["baseline"] for b in cb["sebaran"]]
    assert cb["transisi_kolom"] == [b["endline"] for b in cb["sebaran"]]


def test_survey_answers_follow_each_mitras_readings_and_household(demo):
    Jenis = PengukuranPendapatan.Jenis
    bacaan = {
        (m, j): (t, v)
        for m, j, t, v in PengukuranPendapatan.objects.filter(
            mitra__klaster=demo.lebak, jenis__in=[Jenis.BASELINE, Jenis.ENDLINE]
        ).values_list("mitra_id", "jenis", "tanggal", "pendapatan_bulanan")
    }
    ukuran = dict(
        Mitra.objects.filter(klaster=demo.lebak).values_list("pk", "jumlah_anggota_keluarga")
    )
    jawaban = JawabanSurvei.objects.filter(putaran__klaster=demo.lebak).values_list(
        "mitra_id",
        "putaran__jenis",
        "tanggal",
        "pendapatan_rumah_tangga",
        "jumlah_anggota_keluarga",
    )
    n = Counter()
    for mitra_id, jenis, tanggal, pendapatan, anggota in jawaban:
        t, usaha = bacaan[(mitra_id, jenis)]
        assert tanggal == t  # answered the day the income was read
        # household income = the business income read that day + other income
        assert usaha + 150_000 <= pendapatan <= usaha + Decimal(875_000)
        assert anggota in (ukuran[mitra_id], ukuran[mitra_id] - 1)
        if jenis == "endline":
            assert anggota == ukuran[mitra_id]
        n[jenis] += 1
    assert n == {"baseline": 324, "endline": 318}


def test_activities_meet_the_regency_and_every_row_is_within_the_programme(demo):
    lebak = demo.lebak
    kegiatan = KegiatanProgram.objects.filter(klaster=lebak)
    assert kegiatan.filter(tanggal__gt=SAMPAI).count() == 0
    assert kegiatan.filter(tanggal__lt=lebak.tanggal_mulai).count() == 0
    assert TautanPasar.objects.filter(klaster=lebak, tanggal_mulai__gt=SAMPAI).count() == 0
    jenis = Counter(kegiatan.values_list("jenis", flat=True))
    assert set(jenis) == set(KegiatanProgram.Jenis.values)
    assert jenis["pelatihan"] == 4 * 32
    pemda = PihakLuar.objects.get(klaster=lebak, nama="Pemerintah Kabupaten Lebak")
    rapat = kegiatan.filter(jenis="sosialisasi", pihak_luar=pemda)
    assert rapat.count() == 3
    assert rapat.filter(judul__startswith="Lokakarya exit", tanggal=SAMPAI).exists()
    # attendance lists hold members of the klaster only, at the activity's date
    Hadir = KegiatanProgram.peserta.through
    salah = Hadir.objects.filter(kegiatanprogram__klaster=lebak).exclude(mitra__klaster=lebak)
    assert not salah.exists()
    assert (
        demo.laporan["akses_pasar"]["mitra_akses"] > demo.laporan["akses_pasar"]["mitra_akses_awal"]
    )
    assert PutaranSurvei.objects.filter(klaster=lebak).count() == 2
    assert "jawaban_survei" in demo.output


def _sidik_jari(klaster_ids):
    kegiatan = sorted(
        KegiatanProgram.objects.filter(klaster_id__in=klaster_ids).values_list(
            "uuid", "judul", "tanggal", "jam", "biaya", "jumlah_peserta"
        )
    )
    jawaban = sorted(
        JawabanSurvei.objects.filter(putaran__klaster_id__in=klaster_ids).values_list(
            "uuid", "mitra__nik", "tanggal", "pendapatan_rumah_tangga", "skor_spiritual",
            "indeks_modal_sosial",
        )
    )  # fmt: skip
    tautan = sorted(
        TautanPasar.objects.filter(klaster_id__in=klaster_ids).values_list(
            "pihak_luar__nama", "jenis", "tanggal_mulai", "nilai_per_bulan", "mitra__nik"
        ),
        key=str,
    )
    return kegiatan, jawaban, tautan


def test_the_same_seed_writes_the_same_programme(demo):
    klaster = list(Klaster.objects.order_by("pk"))
    ids = [k.pk for k in klaster]
    sebelum = _sidik_jari(ids)
    # who the seed made responsible in each klaster, read from the rows it wrote
    fasilitator = dict(KegiatanProgram.objects.values_list("klaster_id", "fasilitator_id"))
    manajer = dict(PutaranSurvei.objects.values_list("klaster_id", "dibuat_oleh_id"))
    petugas = {k: (fasilitator[k], manajer[k]) for k in ids}
    sumber = {j: pk for j, pk in SumberDana.objects.filter(klaster=None).values_list("jenis", "pk")}
    with transaction.atomic():
        JawabanSurvei.objects.filter(putaran__klaster__in=klaster).delete()
        PutaranSurvei.objects.filter(klaster__in=klaster).delete()
        TautanPasar.objects.filter(klaster__in=klaster).delete()
        KegiatanProgram.objects.filter(klaster__in=klaster).delete()
        PihakLuar.objects.filter(klaster__in=klaster).delete()
        isi_program(klaster=klaster, petugas=petugas, seed="2014", sampai=SAMPAI, sumber=sumber)
        assert _sidik_jari(ids) == sebelum
        transaction.set_rollback(True)


def test_lebak_has_savings_and_assessments_rewritten_the_same_by_the_same_seed(demo):
    from demo.tabungan import isi_tabungan_dan_penilaian
    from program.models import PenilaianKelompok
    from tabungan.models import TransaksiTabungan

    lebak = demo.lebak

    def sidik():
        return (
            sorted(
                TransaksiTabungan.objects.values_list(
                    "uuid", "klaster_id", "mitra_id", "jenis", "tanggal", "jumlah"
                )
            ),
            sorted(
                PenilaianKelompok.objects.values_list(
                    "kelompok_id", "tanggal", "skor_total", "tingkat", "saldo_tabungan"
                )
            ),
        )

    tabungan, nilai = sebelum = sidik()
    # Lebak only, every entry on or before the last day, every kelompok assessed a month
    # before the end
    assert tabungan and {t[1] for t in tabungan} == {lebak.pk}
    assert max(t[4] for t in tabungan) <= SAMPAI
    akhir = [n for n in nilai if n[1] == SAMPAI - dt.timedelta(days=30)]
    assert len(akhir) == 32
    assert {n[3] for n in akhir} <= {"tumbuh", "berkembang", "mandiri"}
    fas = TransaksiTabungan.objects.filter(jenis="setoran").values_list("dicatat_oleh_id")[0][0]
    man = TransaksiTabungan.objects.filter(jenis="penarikan").values_list("dicatat_oleh_id")[0][0]
    with transaction.atomic():
        TransaksiTabungan.objects.all().delete()
        PenilaianKelompok.objects.all().delete()
        isi_tabungan_dan_penilaian(
            klaster=lebak, fasilitator_id=fas, manajer_id=man, seed="2014", sampai=SAMPAI
        )
        assert sidik() == sebelum
        transaction.set_rollback(True)

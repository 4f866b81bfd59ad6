"""seed_demo's programme half (issue 16): activities, outside parties, market links and the
baseline/endline survey rounds of every seeded klaster.

Called by demo/seed.py inside the seed's transaction, after the financing half is written:
it reads back each klaster's kelompok, mitra and income readings (a few queries for all
klaster at once) and writes the programme's rows in bulk (no services, no history rows,
like the rest of the seed; the figures' versions were bumped by the seed already).
Deterministic: one `random.Random` per klaster, seeded from --seed and the klaster's code,
walking kelompok by code and mitra by NIK; every date is on or before --sampai.

What it makes, per klaster, on the programme's timeline (the real 2011–2014 shape shifted to
end on --sampai):
- outside parties: the regency government and its offices, buyers per sector, a bank and a
  sharia rural bank, a university, an NGO and a CSR partner (names from the klaster's
  kabupaten and kecamatan);
- activities: per kelompok four trainings, two business-mentoring sessions and a buyers'
  meeting; for the klaster a kick-off socialisation, a mid-term coordination meeting and the
  exit workshop with the regency government and offices (kelompok leaders attend),
  education, two health activities and advocacy for the cooperatives' legal status;
- market links: a buyer's contract per kelompok from its second year, bank accounts or
  credit for about a third of the mitra, a government programme for some kelompok;
- surveys: a baseline round answered on each mitra's baseline income reading date and an
  endline round on their endline reading date (the six mitra with nothing after their
  baseline have no endline: the report names them). Household income = the business
  income read that day + other income (wages, remittances: Rp150.000–700.000, a little
  more at endline); household size = the mitra's, one fewer at baseline for a few
  households (a child born during the programme). Social capital items and spiritual
  scores rise on average between the rounds, as the programme's impact study reports.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections import defaultdict
from decimal import Decimal

from demo.rencana import DURASI_HARI
from kelompok.models import Kelompok
from klaster.models import Klaster
from mitra.models import Mitra, PengukuranPendapatan
from program.instrumen import (
    JEJARING,
    KAPASITAS,
    KUESIONER,
    KUESIONER_TERBARU,
    RELASI,
    TOTAL,
    indeks_modal_sosial,
    skor_spiritual,
)
from program.models import JawabanSurvei, KegiatanProgram, PihakLuar, PutaranSurvei, TautanPasar

HARI = dt.timedelta(days=1)
J = KegiatanProgram.Jenis
P = PihakLuar.Jenis
T = TautanPasar.Jenis

PELATIHAN = {
    "pertanian": (
        "Pelatihan budidaya padi organik",
        "Pelatihan pengolahan gula aren",
        "Sekolah lapang pengendalian hama terpadu",
    ),
    "peternakan": (
        "Pelatihan pakan fermentasi",
        "Pelatihan kesehatan ternak domba",
        "Pelatihan pembuatan pupuk kandang",
    ),
    "umkm": (
        "Pelatihan pengemasan dan label produk",
        "Pelatihan pemasaran daring",
        "Pelatihan perizinan usaha mikro (NIB dan PIRT)",
    ),
}
PELATIHAN_UMUM = (
    "Pelatihan pembukuan usaha rumah tangga",
    "Pelatihan manajemen kelompok dan dana bergulir",
)
KOMODITAS = {
    "pertanian": ("Gula aren", "Beras organik"),
    "peternakan": ("Domba", "Kambing"),
    "umkm": ("Makanan olahan", "Kerajinan anyaman"),
}


def _tanggal(rng, awal: dt.date, dari: int, sampai: int, batas: dt.date) -> dt.date:
    return min(awal + HARI * rng.randint(dari, sampai), batas)


def _uuid(rng) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def _aktif(m, tanggal: dt.date) -> bool:
    return m["tanggal_bergabung"] <= tanggal and (
        m["tanggal_keluar"] is None or m["tanggal_keluar"] >= tanggal
    )


def _butir_spiritual(rng, skor: Decimal) -> list[int]:
    """Five whole answers 1–5 whose mean is `skor` (a multiple of 0,2)."""
    total = int(skor * 5)
    nilai = [1] * 5
    sisa = total - 5
    while sisa:
        i = rng.randrange(5)
        if nilai[i] < 5:
            nilai[i] += 1
            sisa -= 1
    return nilai


def _likert(rng, pusat: float) -> int:
    return max(1, min(5, round(rng.gauss(pusat, 0.7))))


def isi_program(
    *, klaster: list[Klaster], petugas: dict[int, tuple[int, int]], seed: str, sampai: dt.date,
    sumber: dict[str, int],
) -> dict[str, int]:  # fmt: skip
    """Write the programme's rows of every klaster; returns the row counts per table.
    `petugas`: {klaster id: (fasilitator id, manajer id)}; `sumber`: shared funds by kind."""
    ids = [k.pk for k in klaster]
    kabupaten = dict(Klaster.objects.filter(pk__in=ids).values_list("pk", "kabupaten__nama"))
    kecamatan = {}
    for k_id, nama in Klaster.kecamatan.through.objects.filter(klaster_id__in=ids).values_list(
        "klaster_id", "wilayah__nama"
    ):
        kecamatan.setdefault(k_id, nama)
    kelompok = defaultdict(list)
    for g in (
        Kelompok.objects.filter(klaster_id__in=ids)
        .order_by("kode")
        .values("pk", "klaster_id", "kode", "sektor", "desa_id", "tanggal_dibentuk", "ketua_id")
    ):
        kelompok[g["klaster_id"]].append(g)
    anggota = defaultdict(list)
    for m in (
        Mitra.objects.filter(klaster_id__in=ids, kelompok__isnull=False)
        .order_by("nik")
        .values(
            "pk", "klaster_id", "kelompok_id", "tanggal_bergabung", "tanggal_keluar",
            "jumlah_anggota_keluarga",
        )
    ):  # fmt: skip
        anggota[m["kelompok_id"]].append(m)
    bacaan: dict[int, dict[str, tuple]] = defaultdict(dict)
    Jenis = PengukuranPendapatan.Jenis
    for mitra_id, jenis, tanggal, nilai in (
        PengukuranPendapatan.objects.filter(
            mitra__klaster_id__in=ids, jenis__in=[Jenis.BASELINE, Jenis.ENDLINE]
        )
        .order_by("mitra_id", "tanggal", "pk")
        .values_list("mitra_id", "jenis", "tanggal", "pendapatan_bulanan")
    ):
        bacaan[mitra_id][jenis] = (tanggal, nilai)

    tulis = defaultdict(list)
    for k in sorted(klaster, key=lambda k: k.kode):
        rng = random.Random(f"{seed}:program:{k.kode}")  # demo data, deterministic by design  # nosec B311
        fas, man = petugas[k.pk]
        _klaster(
            rng, tulis, k, kabupaten[k.pk], kecamatan.get(k.pk, k.nama), kelompok[k.pk],
            anggota, bacaan, fas, man, sampai, sumber,
        )  # fmt: skip
    return _simpan(tulis)


def _klaster(rng, tulis, k, kab, tempat, kelompok, anggota, bacaan, fas, man, sampai, sumber):
    mulai = sampai - HARI * DURASI_HARI

    def pihak(nama, jenis, kontak=""):
        p = PihakLuar(klaster_id=k.pk, nama=nama, jenis=jenis, kontak=kontak)
        tulis["pihak"].append(p)
        return p

    pemda = pihak(f"Pemerintah {kab}", P.PEMERINTAH, "Bagian Perekonomian Setda")
    bappeda = pihak(f"Bappeda {kab}", P.PEMERINTAH)
    dinas_kop = pihak(f"Dinas Koperasi dan UKM {kab}", P.PEMERINTAH)
    dinas = {
        "pertanian": pihak(f"Dinas Pertanian {kab}", P.PEMERINTAH),
        "peternakan": pihak(f"Dinas Peternakan {kab}", P.PEMERINTAH),
        "umkm": dinas_kop,
    }
    pembeli = {
        "pertanian": pihak(f"CV Aren Manis {tempat}", P.PEMBELI),
        "peternakan": pihak(f"Pedagang Ternak {tempat}", P.PEMBELI),
        "umkm": pihak(f"Toko Oleh-oleh {tempat}", P.PEMBELI),
    }
    bank = pihak(f"Bank BRI Unit {tempat}", P.LEMBAGA_KEUANGAN)
    bprs = pihak(f"BPR Syariah {kab}", P.LEMBAGA_KEUANGAN)
    kampus = pihak(
        "Institut Pertanian Bogor", P.PERGURUAN_TINGGI, "Departemen Ilmu Ekonomi Syariah"
    )
    lsm = pihak(f"Forum Pemberdayaan Masyarakat {tempat}", P.LSM)
    csr = pihak("CSR Mitra Korporasi", P.SWASTA)
    pemerintah = [pemda, bappeda, dinas_kop, dinas["pertanian"], dinas["peternakan"]]
    batas = sampai

    def kegiatan(jenis, judul, tanggal, jam, peserta, hadir_pihak=(), kel=None, desa=None,
                 biaya=Decimal(0), narasumber=""):  # fmt: skip
        k_obj = KegiatanProgram(
            uuid=_uuid(rng), klaster_id=k.pk, kelompok_id=kel, jenis=jenis, judul=judul,
            tanggal=tanggal, desa_id=desa, fasilitator_id=fas, narasumber=narasumber,
            jam=Decimal(jam), biaya=biaya,
            sumber_dana_id=(sumber[rng.choice(("zakat", "infak"))] if biaya else None),
            jumlah_peserta=len(peserta), dicatat_oleh_id=fas,
        )  # fmt: skip
        tulis["kegiatan"].append((k_obj, [m["pk"] for m in peserta], list(hadir_pihak)))

    def hadir(daftar, tanggal, peluang):
        return [m for m in daftar if _aktif(m, tanggal) and rng.random() < peluang]

    semua = [m for g in kelompok for m in anggota[g["pk"]]]
    for g in kelompok:
        dibentuk, sektor = g["tanggal_dibentuk"], g["sektor"]
        anggota_g = anggota[g["pk"]]
        judul = [*PELATIHAN[sektor], *PELATIHAN_UMUM]
        rng.shuffle(judul)
        for i, (dari, hingga) in enumerate(((60, 200), (200, 450), (450, 750), (750, 1000))):
            t = _tanggal(rng, dibentuk, dari, hingga, batas)
            biaya = (
                Decimal(rng.randrange(250, 1501, 50) * 1000) if rng.random() < 0.5 else Decimal(0)
            )
            kegiatan(
                J.PELATIHAN, judul[i], t, rng.choice(("2", "2.5", "3", "4")),
                hadir(anggota_g, t, 0.78), [dinas[sektor]] if i % 2 == 0 else [],
                kel=g["pk"], desa=g["desa_id"], biaya=biaya,
                narasumber=rng.choice(("Penyuluh lapangan", "Tim pendamping", "Praktisi usaha")),
            )  # fmt: skip
        for dari, hingga in ((120, 400), (500, 900)):
            t = _tanggal(rng, dibentuk, dari, hingga, batas)
            kegiatan(J.PENDAMPINGAN_USAHA, "Pendampingan usaha dan pembukuan", t, "2",
                     hadir(anggota_g, t, 0.5), kel=g["pk"], desa=g["desa_id"])  # fmt: skip
        t = _tanggal(rng, dibentuk, 360, 620, batas)
        kegiatan(J.AKSES_PASAR, f"Temu pembeli {KOMODITAS[sektor][0].lower()}", t, "3",
                 hadir(anggota_g, t, 0.6), [pembeli[sektor]], kel=g["pk"], desa=g["desa_id"])  # fmt: skip
        # market links: a buyer's contract for the group, bank accounts for some members
        # most groups win a buyer's contract; a few lose it again before the end
        if rng.random() < 0.7:
            mulai_kontrak = _tanggal(rng, dibentuk, 300, 600, batas)
            selesai = None
            if rng.random() < 0.15:
                selesai = min(mulai_kontrak + HARI * rng.randint(120, 360), batas)
            tulis["tautan"].append(
                TautanPasar(
                    klaster_id=k.pk, kelompok_id=g["pk"], pihak_luar=pembeli[sektor],
                    jenis=T.KONTRAK_PEMBELI, komoditas=rng.choice(KOMODITAS[sektor]),
                    tanggal_mulai=mulai_kontrak, tanggal_selesai=selesai,
                    nilai_per_bulan=Decimal(len(anggota_g) * rng.randrange(150, 401, 50) * 1000),
                    dicatat_oleh_id=fas,
                )
            )  # fmt: skip
        if rng.random() < 0.25:
            tulis["tautan"].append(
                TautanPasar(
                    klaster_id=k.pk, kelompok_id=g["pk"], pihak_luar=dinas[sektor],
                    jenis=T.PROGRAM_PEMERINTAH, komoditas=KOMODITAS[sektor][0],
                    tanggal_mulai=_tanggal(rng, dibentuk, 400, 900, batas), dicatat_oleh_id=fas,
                )
            )  # fmt: skip
        for m in anggota_g:
            if m["tanggal_keluar"] is None and rng.random() < 0.35:
                tulis["tautan"].append(
                    TautanPasar(
                        klaster_id=k.pk, mitra_id=m["pk"], pihak_luar=rng.choice((bank, bprs)),
                        jenis=T.REKENING_KREDIT,
                        tanggal_mulai=_tanggal(rng, dibentuk, 450, 1000, batas),
                        nilai_per_bulan=None, dicatat_oleh_id=fas,
                    )
                )  # fmt: skip

    ketua = [m for m in semua if m["pk"] in {g["ketua_id"] for g in kelompok}]
    for hari, judul, jam in (
        (20, "Sosialisasi program Klaster Mandiri kepada pemerintah kabupaten", "3"),
        (550, "Rapat koordinasi pemangku kepentingan", "3"),
        (DURASI_HARI, "Lokakarya exit program Klaster Mandiri", "5"),
    ):
        t = min(mulai + HARI * hari, batas)
        hadir_pihak = {20: pemerintah, 550: [*pemerintah, bank, bprs]}.get(
            hari, [*pemerintah, bank, kampus, lsm, csr]
        )
        kegiatan(J.SOSIALISASI, judul, t, jam, [m for m in ketua if _aktif(m, t)], hadir_pihak)
    for hari, jenis, judul, peluang, pihak_hadir in (
        (400, J.PENDIDIKAN, "Penyuluhan pendidikan anak dan beasiswa", 0.25, [csr]),
        (300, J.KESEHATAN, "Pemeriksaan kesehatan gratis", 0.35, [lsm]),
        (700, J.KESEHATAN, "Penyuluhan gizi keluarga", 0.3, []),
    ):
        t = min(mulai + HARI * hari, batas)
        kegiatan(jenis, judul, t, "3", hadir(semua, t, peluang), pihak_hadir,
                 biaya=Decimal(rng.randrange(1000, 3001, 250) * 1000))  # fmt: skip
    t = min(mulai + HARI * 800, batas)
    kegiatan(J.ADVOKASI, "Pendampingan badan hukum koperasi", t, "4",
             [m for m in ketua if _aktif(m, t)], [dinas_kop])  # fmt: skip

    _survei(rng, tulis, k, semua, bacaan, fas, man, sampai)


def _survei(rng, tulis, k, semua, bacaan, fas, man, sampai):
    kuesioner = KUESIONER[KUESIONER_TERBARU]
    Jenis = PengukuranPendapatan.Jenis
    awal = [bacaan[m["pk"]][Jenis.BASELINE][0] for m in semua if Jenis.BASELINE in bacaan[m["pk"]]]
    akhir = [bacaan[m["pk"]][Jenis.ENDLINE][0] for m in semua if Jenis.ENDLINE in bacaan[m["pk"]]]
    if not awal:
        return
    baseline = PutaranSurvei(
        klaster_id=k.pk, nama="Survei baseline", jenis=PutaranSurvei.Jenis.BASELINE,
        kuesioner=KUESIONER_TERBARU, tanggal_mulai=min(awal), tanggal_selesai=max(awal),
        dibuat_oleh_id=man,
    )  # fmt: skip
    endline = PutaranSurvei(
        klaster_id=k.pk, nama="Survei endline", jenis=PutaranSurvei.Jenis.ENDLINE,
        kuesioner=KUESIONER_TERBARU,
        tanggal_mulai=min(akhir, default=sampai), tanggal_selesai=max(akhir, default=sampai),
        dibuat_oleh_id=man,
    )  # fmt: skip
    tulis["putaran"] += [baseline, endline]
    # where each dimension starts, and how far the programme moves it
    pusat = {RELASI: (2.7, 1.0), KAPASITAS: (2.3, 1.1), JEJARING: (1.9, 1.3)}
    for m in semua:
        b = bacaan[m["pk"]]
        if Jenis.BASELINE not in b:
            continue
        lain = Decimal(rng.randrange(150, 701, 25) * 1000)
        ukuran = m["jumlah_anggota_keluarga"]
        ukuran_awal = ukuran - 1 if ukuran >= 3 and rng.random() < 0.08 else ukuran
        skor_awal = Decimal(rng.choice((12, 13, 14, 14, 15, 15, 16, 16, 17, 18))) / 5
        naik = Decimal(rng.choice((-1, 0, 1, 1, 2, 2, 3))) / 5
        skor_akhir = min(Decimal(5), max(Decimal(1), skor_awal + naik))
        geser = {d: rng.gauss(p[1], 0.5) for d, p in pusat.items()}
        for putaran, jenis, ukuran_r, skor, sesudah in (
            (baseline, Jenis.BASELINE, ukuran_awal, skor_awal, False),
            (endline, Jenis.ENDLINE, ukuran, skor_akhir, True),
        ):
            if jenis not in b:
                continue
            tanggal, usaha = b[jenis]
            tambahan = lain * Decimal(rng.randrange(100, 126)) / 100 if sesudah else lain
            ms = {
                butir.kode: _likert(
                    rng, pusat[butir.dimensi][0] + (geser[butir.dimensi] if sesudah else 0)
                )
                for butir in kuesioner.modal_sosial
            }
            indeks = indeks_modal_sosial(kuesioner, ms)
            spiritual = _butir_spiritual(rng, skor)
            tulis["jawaban"].append(
                JawabanSurvei(
                    uuid=_uuid(rng), putaran=putaran, mitra_id=m["pk"], tanggal=tanggal,
                    modal_sosial=ms, indeks_relasi=indeks[RELASI],
                    indeks_kapasitas=indeks[KAPASITAS], indeks_jejaring=indeks[JEJARING],
                    indeks_modal_sosial=indeks[TOTAL], jumlah_anggota_keluarga=ukuran_r,
                    pendapatan_rumah_tangga=(usaha + tambahan).quantize(Decimal(1)),
                    skor_spiritual=skor_spiritual(spiritual), dicatat_oleh_id=fas,
                    **{b_.kode: v for b_, v in zip(kuesioner.spiritual, spiritual, strict=True)},
                )
            )  # fmt: skip


def _simpan(tulis) -> dict[str, int]:
    PihakLuar.objects.bulk_create(tulis["pihak"], batch_size=500)
    KegiatanProgram.objects.bulk_create([k for k, _p, _h in tulis["kegiatan"]], batch_size=500)
    Hadir = KegiatanProgram.peserta.through
    Pihak = KegiatanProgram.pihak_luar.through
    Hadir.objects.bulk_create(
        [Hadir(kegiatanprogram_id=k.pk, mitra_id=m) for k, peserta, _h in tulis["kegiatan"]
         for m in peserta],
        batch_size=2000,
    )  # fmt: skip
    Pihak.objects.bulk_create(
        [Pihak(kegiatanprogram_id=k.pk, pihakluar_id=p.pk) for k, _p, pihak in tulis["kegiatan"]
         for p in pihak],
        batch_size=2000,
    )  # fmt: skip
    TautanPasar.objects.bulk_create(tulis["tautan"], batch_size=1000)
    PutaranSurvei.objects.bulk_create(tulis["putaran"], batch_size=500)
    for j in tulis["jawaban"]:
        j.putaran_id = j.putaran.pk
    JawabanSurvei.objects.bulk_create(tulis["jawaban"], batch_size=1000)
    return {
        "pihak_luar": len(tulis["pihak"]),
        "kegiatan_program": len(tulis["kegiatan"]),
        "tautan_pasar": len(tulis["tautan"]),
        "jawaban_survei": len(tulis["jawaban"]),
    }

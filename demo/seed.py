"""seed_demo's database half: regions, users, klaster, then each klaster's planned rows.

`jalankan_seed()` is called by the management command. It first loads the regions the
seed needs when they are missing (reference data, idempotent, committed on its own), then
writes everything else in one transaction, so a failure leaves the programme's tables as
they were.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import Count, Sum

from bantuan.models import Bantuan, SumberDana
from demo.alur import rencana_berurutan, rencana_paralel
from demo.kelembagaan import isi_kelembagaan
from demo.program import isi_program
from demo.rencana import (
    BENTUK_KECIL,
    BENTUK_PENUH,
    DURASI_HARI,
    TOTAL_CAIR_LEBAK,
    Konteks,
)
from demo.tabungan import isi_tabungan_dan_penilaian
from demo.tulis import MODEL, Penulis
from klaster import versi
from klaster.akses import GRUP_FASILITATOR, GRUP_MANAJER, GRUP_NASIONAL
from klaster.garis_kemiskinan import muat_garis_kemiskinan
from klaster.models import Klaster, Penugasan, Wilayah
from klaster.wilayah_data import muat_wilayah, pastikan_wilayah_lebak
from program.nisab import muat_nisab

KEC_LEBAK = "36.02.06"  # Leuwidamar
DESA_LEBAK = ("36.02.06.2002", "36.02.06.2006", "36.02.06.2004", "36.02.06.2011")
KEC_KECIL = "36.02.01"  # Malingping: fasilitator2's small klaster
KAB_LEBAK = "36.02"


@dataclass
class SpekKlaster:
    kode: str
    nama: str
    kecamatan: Wilayah
    desa: tuple[str, ...]
    penuh: bool
    fasilitator: str
    manajer: str


@dataclass
class HasilSeed:
    jumlah: dict[str, int] = field(default_factory=dict)
    total_cair_lebak: Decimal = Decimal(0)
    detik: float = 0.0
    detik_tulis: dict[str, float] = field(default_factory=dict)
    pengguna: list[str] = field(default_factory=list)
    catatan: list[str] = field(default_factory=list)


def _desa_per_kecamatan() -> dict[str, list[str]]:
    desa: dict[str, list[str]] = {}
    for kode, induk in (
        Wilayah.objects.filter(tingkat=Wilayah.Tingkat.DESA)
        .order_by("kode")
        .values_list("kode", "induk_id")
    ):
        desa.setdefault(induk, []).append(kode)
    return desa


def _pilih_desa(semua: list[str], banyak: int = 4) -> tuple[str, ...]:
    # prefer desa (last part starts with 2) over kelurahan (1): the programme works in villages
    urut = sorted(semua, key=lambda k: (not k.rsplit(".", 1)[1].startswith("2"), k))
    return tuple(urut[:banyak])


def _kecamatan_lebak_lain(desa: dict[str, list[str]]) -> list[str]:
    dipakai = {KEC_LEBAK, KEC_KECIL}
    return [
        k
        for k in sorted(desa)
        if k.startswith(KAB_LEBAK + ".") and k not in dipakai and len(desa[k]) >= 4
    ]


def siapkan_wilayah(skala: int, tulis=print) -> list[str]:
    """Load the regions a seed of `skala` klaster needs, if they are missing: the Lebak
    file always, the national file when Lebak has too few kecamatan for the extra klaster.

    Called before the seed's transaction, and committed on its own: the bulk load alters
    tables (demo/tulis.py), which PostgreSQL refuses while rows inserted earlier in
    the same transaction still have deferred checks queued ("pending trigger events"), and
    the regions are reference data that `manage.py muat_wilayah` loads the same way.
    Returns notes for the command's summary."""
    catatan = []
    if not Wilayah.objects.filter(kode=DESA_LEBAK[0]).exists():
        tulis("Regions not loaded yet: loading the Banten/Lebak subset first ...")
        pastikan_wilayah_lebak()
        catatan.append("wilayah: Lebak subset loaded before seeding")
    # Aceh: the national file's first row. Checked first: counting Lebak's kecamatan
    # reads every desa, which is not worth it once the whole country is there.
    if (
        skala > 1
        and not Wilayah.objects.filter(kode="11").exists()
        and skala - 1 > len(_kecamatan_lebak_lain(_desa_per_kecamatan()))
    ):
        tulis(
            f"--skala {skala} needs kecamatan outside Lebak: loading the national region "
            "file first (some seconds; `manage.py muat_wilayah` does it once for all) ..."
        )
        hasil = muat_wilayah()
        catatan.append(f"wilayah: national file loaded ({hasil.dibuat} rows created)")
    return catatan


def pilih_kecamatan_tambahan(banyak: int) -> list[tuple[Wilayah, tuple]]:
    """`banyak` kecamatan for the extra klaster of --skala: the other kecamatan of Lebak
    first, then kecamatan spread evenly over the rest of Indonesia (loaded beforehand by
    `siapkan_wilayah`). Each needs at least four desa."""
    if banyak <= 0:
        return []
    desa = _desa_per_kecamatan()
    lebak = _kecamatan_lebak_lain(desa)
    pilihan = lebak[:banyak]
    if len(pilihan) < banyak:
        lain = [k for k in sorted(desa) if not k.startswith(KAB_LEBAK + ".") and len(desa[k]) >= 4]
        perlu = banyak - len(pilihan)
        if perlu > len(lain):
            raise ValueError(f"only {len(lebak) + len(lain)} kecamatan available for --skala")
        langkah = len(lain) / perlu
        pilihan += [lain[int(i * langkah)] for i in range(perlu)]
    wilayah = Wilayah.objects.in_bulk(pilihan)
    return [(wilayah[k], _pilih_desa(desa[k])) for k in pilihan]


def _pengguna(spek: list[SpekKlaster], password: str, skala: int) -> dict[str, object]:
    """Demo users with one password hash (hashing is slow; 200 users must not take minutes)."""
    User = get_user_model()
    # the groups come from a data migration; get_or_create in case they were removed since
    grup = {
        nama: Group.objects.get_or_create(name=nama)[0] for nama in (GRUP_FASILITATOR, GRUP_MANAJER)
    }
    hash_ = make_password(password)
    ingin = [
        ("admin", "Admin", "Program", None, True),
        ("manajer", "Dewi", "Kurniasih", GRUP_MANAJER, False),
        ("fasilitator", "Ujang", "Supriatna", GRUP_FASILITATOR, False),
        ("fasilitator2", "Iis", "Rohaeti", GRUP_FASILITATOR, False),
    ]
    if skala > 1:
        ingin.append(("manajer_nasional", "Hendra", "Permana", GRUP_MANAJER, False))
    for s in spek[2:]:
        nama_tempat = s.kecamatan.nama
        ingin.append((s.manajer, "Manajer", nama_tempat, GRUP_MANAJER, False))
        ingin.append((s.fasilitator, "Fasilitator", nama_tempat, GRUP_FASILITATOR, False))
    ada = User.objects.in_bulk([u[0] for u in ingin], field_name="username")
    baru, lama = [], []
    for username, depan, belakang, _grup, super_ in ingin:
        u = ada.get(username) or User(username=username)
        u.first_name, u.last_name, u.password = depan, belakang, hash_
        u.is_active, u.is_staff, u.is_superuser = True, super_, super_
        (lama if u.pk else baru).append(u)
    User.objects.bulk_create(baru, batch_size=500)
    User.objects.bulk_update(
        lama, ["first_name", "last_name", "password", "is_active", "is_staff", "is_superuser"]
    )
    pengguna = User.objects.in_bulk([u[0] for u in ingin], field_name="username")
    Through = User.groups.through
    Through.objects.bulk_create(
        [
            Through(user_id=pengguna[username].pk, group_id=grup[g].pk)
            for username, _d, _b, g, _s in ingin
            if g
        ],
        ignore_conflicts=True,
    )
    if skala > 1:  # the national manager sees every klaster
        pengguna["manajer_nasional"].groups.add(Group.objects.get_or_create(name=GRUP_NASIONAL)[0])
    return pengguna


def _sumber_bersama() -> dict[str, int]:
    sumber = {}
    for jenis, nama in (
        ("zakat", "Dana Zakat"),
        ("infak", "Dana Infak dan Sedekah"),
        ("csr", "CSR Mitra Korporasi"),
    ):
        obj, _ = SumberDana.objects.get_or_create(nama=nama, jenis=jenis, klaster=None)
        sumber[jenis] = obj.pk
    return sumber


def jalankan_seed(
    *, password: str, sampai: dt.date, seed: str = "2014", skala: int = 1, tulis=print
) -> HasilSeed:
    mulai_jam = time.monotonic()
    catatan = siapkan_wilayah(skala, tulis)
    hasil = _seed(password=password, sampai=sampai, seed=seed, skala=skala, tulis=tulis)
    hasil.catatan[:0] = catatan
    hasil.detik = time.monotonic() - mulai_jam
    return hasil


@transaction.atomic
def _seed(*, password: str, sampai: dt.date, seed: str, skala: int, tulis) -> HasilSeed:
    mulai_jam = time.monotonic()
    hasil = HasilSeed()
    tambahan = pilih_kecamatan_tambahan(skala - 1)
    desa_kecil = Wilayah.objects.filter(induk_id=KEC_KECIL, tingkat=Wilayah.Tingkat.DESA)
    desa_kecil = _pilih_desa(list(desa_kecil.values_list("kode", flat=True)), 2)
    wilayah = Wilayah.objects.in_bulk([KEC_LEBAK, KEC_KECIL])
    spek = [
        SpekKlaster("LBK", "Klaster Mandiri Lebak", wilayah[KEC_LEBAK], DESA_LEBAK, True,
                    "fasilitator", "manajer"),
        SpekKlaster("MLP", "Klaster Mandiri Malingping", wilayah[KEC_KECIL],
                    desa_kecil, False, "fasilitator2", "manajer"),
    ]  # fmt: skip
    for kec, desa_kec in tambahan:
        kode = f"KM-{kec.kode_angka}"
        spek.append(
            SpekKlaster(kode, f"Klaster Mandiri {kec.nama}", kec, desa_kec, True,
                        f"fasilitator_{kec.kode_angka}", f"manajer_{kec.kode_angka}")
        )  # fmt: skip
    pengguna = _pengguna(spek, password, skala)
    hasil.pengguna = sorted(pengguna)
    sumber = _sumber_bersama()

    mulai = sampai - dt.timedelta(days=DURASI_HARI)  # the timeline ends on `sampai`
    klaster = Klaster.objects.bulk_create(
        [
            Klaster(
                kode=s.kode, nama=s.nama, kabupaten_id=s.kecamatan.induk_id,
                tahap=Klaster.Tahap.PEMANDIRIAN, tanggal_mulai=mulai, tanggal_selesai=sampai,
                target_mitra=324 if s.penuh else 20,
                anggaran=Decimal(1_750_000_000) if s.penuh else Decimal(250_000_000),
            )
            for s in spek
        ]
    )  # fmt: skip
    if any(k.pk is None for k in klaster):  # a backend that does not return ids
        klaster = list(Klaster.objects.filter(kode__in=[s.kode for s in spek]).order_by("pk"))
    Klaster.kecamatan.through.objects.bulk_create(
        [
            Klaster.kecamatan.through(klaster_id=k.pk, wilayah_id=s.kecamatan.kode)
            for k, s in zip(klaster, spek, strict=True)
        ]
    )
    SumberDana.objects.bulk_create(
        [
            SumberDana(
                nama=f"Dana Bergulir {k.nama}", jenis=SumberDana.Jenis.DANA_BERGULIR, klaster=k
            )
            for k in klaster
        ]
    )
    bergulir = dict(
        SumberDana.objects.filter(
            jenis=SumberDana.Jenis.DANA_BERGULIR, klaster__in=klaster
        ).values_list("klaster_id", "pk")
    )
    penugasan = [
        Penugasan(
            pengguna=pengguna["manajer"],
            klaster=klaster[0],
            peran=Penugasan.Peran.MANAJER,
            sejak=mulai,
        )
    ]
    for k, s in zip(klaster, spek, strict=True):
        penugasan.append(
            Penugasan(
                pengguna=pengguna[s.fasilitator],
                klaster=k,
                peran=Penugasan.Peran.FASILITATOR,
                sejak=mulai,
            )
        )
        if s.manajer != "manajer":
            penugasan.append(
                Penugasan(
                    pengguna=pengguna[s.manajer],
                    klaster=k,
                    peran=Penugasan.Peran.MANAJER,
                    sejak=mulai,
                )
            )
    Penugasan.objects.bulk_create(penugasan)
    # everything below is written in bulk (no ORM signals): the figures' versions change
    # here, in this transaction, so no cached report can outlive a new seed (klaster/versi.py)
    versi.naikkan([k.pk for k in klaster], acuan=True)

    penulis = Penulis()
    semua_konteks = [
        Konteks(
            seed=str(seed), indeks=indeks, klaster_id=k.pk, kode=s.kode,
            nama_tempat=s.kecamatan.nama, kecamatan_kode=s.kecamatan.kode, desa=s.desa,
            fasilitator_id=pengguna[s.fasilitator].pk, manajer_id=pengguna[s.manajer].pk,
            sumber=sumber | {"dana_bergulir": bergulir[k.pk]}, akhir=sampai,
            bentuk=BENTUK_PENUH if s.penuh else BENTUK_KECIL,
            target_cair=TOTAL_CAIR_LEBAK if s.penuh else None, penuh=s.penuh,
        )
        for indeks, (k, s) in enumerate(zip(klaster, spek, strict=True))
    ]  # fmt: skip
    # At scale on PostgreSQL, helper processes plan and format the COPY text ahead while
    # this one writes (demo/alur.py). On SQLite the inserts run in this process and
    # need its CPU, and rows would have to be unpickled here: plan in-process instead.
    paralel = penulis.pakai_copy and len(semua_konteks) > 2
    alur = rencana_paralel if paralel else rencana_berurutan
    with penulis.muat_massal():
        rencana = alur(semua_konteks, penulis.id_awal(), teks=penulis.pakai_copy)
        for indeks, (total_cair, baris) in enumerate(rencana):
            for tabel, isi in baris.items():
                penulis.tulis(tabel, isi)
            if indeks == 0:
                hasil.total_cair_lebak = total_cair
            if skala >= 10 and (indeks + 1) % 10 == 0:
                detik = time.monotonic() - mulai_jam
                tulis(f"  {indeks + 1}/{len(spek)} klaster written ({detik:.0f} s)")
    penulis.setel_ulang_sequence()

    muat_garis_kemiskinan()
    hasil.catatan.append("garis kemiskinan: loaded (klaster.garis_kemiskinan)")
    muat_nisab()
    # the programme's other half: activities, outside parties, market links, surveys
    jumlah_program = isi_program(
        klaster=klaster,
        petugas={
            k.pk: (pengguna[s.fasilitator].pk, pengguna[s.manajer].pk)
            for k, s in zip(klaster, spek, strict=True)
        },
        seed=str(seed),
        sampai=sampai,
        sumber=sumber,
    )

    # institutions (issue 17): the cooperatives' milestones, the klaster's stage history
    jumlah_program |= isi_kelembagaan(
        klaster=klaster,
        petugas={
            k.pk: (pengguna[s.fasilitator].pk, pengguna[s.manajer].pk)
            for k, s in zip(klaster, spek, strict=True)
        },
        seed=str(seed),
        sampai=sampai,
    )

    hasil.jumlah = {"klaster": len(klaster), "pengguna": len(pengguna)}
    hasil.jumlah |= {tabel: penulis.jumlah[tabel] for tabel in MODEL}
    hasil.jumlah |= jumlah_program
    # group savings and maturity assessments, for the Lebak klaster only (issue 17)
    hasil.jumlah |= isi_tabungan_dan_penilaian(
        klaster=klaster[0],
        fasilitator_id=pengguna[spek[0].fasilitator].pk,
        manajer_id=pengguna[spek[0].manajer].pk,
        seed=str(seed),
        sampai=sampai,
    )
    # what the portfolio page will say: money that left the programme in the Lebak klaster
    cek = Bantuan.objects.filter(klaster=klaster[0], status__in=Bantuan.STATUS_CAIR).aggregate(
        total=Sum("jumlah"), n=Count("pk")
    )
    # internal invariant, not an access check
    assert cek["total"] == hasil.total_cair_lebak, (cek, hasil.total_cair_lebak)  # nosec B101
    hasil.detik_tulis = penulis.detik
    hasil.detik = time.monotonic() - mulai_jam
    return hasil

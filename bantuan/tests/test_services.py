import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from bantuan import services
from bantuan.jadwal import hitung_jadwal
from bantuan.models import Angsuran, Bantuan, JadwalAngsuran, SumberDana
from bantuan.tests.factories import SumberDanaFactory, pinjaman_cair
from mitra.tests.factories import MitraFactory

D = datetime.date
TANGGAL_CAIR = D(2012, 3, 10)
TANGGAL_BAYAR = D(2012, 4, 10)


@pytest.mark.parametrize(
    ("pokok", "tenor"),
    [
        ("1000000", 7),
        ("1000000", 3),
        ("1714661978", 24),
        ("999999", 12),
        ("100", 7),  # less than a rupiah per month: whole sen, last absorbs
        ("5", 7),
        ("1234567.89", 11),
        ("2500000", 1),
    ],
)
def test_schedule_sums_to_the_principal_exactly(pokok, tenor):
    jadwal = hitung_jadwal(pokok=Decimal(pokok), tenor_bulan=tenor, tanggal_cair=D(2012, 1, 31))
    assert sum(c.jumlah for c in jadwal) == Decimal(pokok)
    assert [c.ke for c in jadwal] == list(range(1, tenor + 1))
    assert jadwal[-1].kumulatif == Decimal(pokok)
    assert all(c.jumlah > 0 for c in jadwal)
    # equal instalments except the last, which absorbs the rounding
    assert len({c.jumlah for c in jadwal[:-1]}) <= 1


def test_schedule_of_one_million_over_seven_months_by_hand():
    jadwal = hitung_jadwal(pokok=Decimal("1000000"), tenor_bulan=7, tanggal_cair=D(2012, 1, 31))
    assert [c.jumlah for c in jadwal] == [Decimal("142857")] * 6 + [Decimal("142858")]
    # from the month after disbursement, clamped to the month's end
    assert [c.jatuh_tempo for c in jadwal[:3]] == [D(2012, 2, 29), D(2012, 3, 31), D(2012, 4, 30)]


@pytest.fixture
def mitra(personas):
    return MitraFactory(klaster=personas.klaster_lebak, kelompok=personas.kelompok_lebak)


@pytest.fixture
def zakat(db):
    return SumberDanaFactory(nama="Zakat", jenis=SumberDana.Jenis.ZAKAT)


def ajukan(personas, mitra, zakat, **kw):
    data = {
        "oleh": personas.fasilitator,
        "klaster": personas.klaster_lebak,
        "jenis": Bantuan.Jenis.MODAL_BERGULIR,
        "sumber_dana": zakat,
        "jumlah": Decimal("1000000"),
        "tanggal_pengajuan": D(2012, 3, 1),
        "mitra": mitra,
        "tenor_bulan": 7,
    }
    data.update(kw)
    return services.bantuan_ajukan(**data)


def cair(personas, b, tanggal=TANGGAL_CAIR):
    services.bantuan_setujui(bantuan=b, oleh=personas.manajer, tanggal=D(2012, 3, 5))
    return services.bantuan_cairkan(bantuan=b, oleh=personas.manajer, tanggal_cair=tanggal)


def test_full_flow_propose_approve_disburse_makes_the_schedule(personas, mitra, zakat):
    b = ajukan(personas, mitra, zakat)
    assert b.nomor == "BTN-2012-0001" and b.status == Bantuan.Status.DIAJUKAN
    assert b.diajukan_oleh == personas.fasilitator
    b = cair(personas, b)
    assert b.status == Bantuan.Status.DICAIRKAN
    assert b.disetujui_oleh == personas.manajer
    jadwal = list(JadwalAngsuran.objects.filter(bantuan=b).order_by("ke"))
    assert len(jadwal) == 7
    assert sum(j.jumlah for j in jadwal) == Decimal("1000000")
    assert jadwal[0].jatuh_tempo == D(2012, 4, 10)
    assert jadwal[-1].kumulatif == Decimal("1000000")
    # the history knows who did it
    assert b.history.first().history_user == personas.manajer


def test_numbers_run_per_klaster_and_year(personas, mitra, zakat):
    a = ajukan(personas, mitra, zakat)
    b = ajukan(personas, mitra, zakat)
    c = ajukan(personas, mitra, zakat, tanggal_pengajuan=D(2013, 1, 2))
    lain = MitraFactory(klaster=personas.klaster_lain)
    d = services.bantuan_ajukan(
        oleh=personas.admin,
        klaster=personas.klaster_lain,
        jenis=Bantuan.Jenis.BEASISWA,
        sumber_dana=zakat,
        jumlah=Decimal("500000"),
        tanggal_pengajuan=D(2012, 5, 1),
        mitra=lain,
    )
    assert [a.nomor, b.nomor, c.nomor, d.nomor] == [
        "BTN-2012-0001",
        "BTN-2012-0002",
        "BTN-2013-0001",
        "BTN-2012-0001",
    ]
    assert d.tenor_bulan is None


@pytest.mark.parametrize(
    ("kw", "field", "pesan"),
    [
        ({"jumlah": Decimal("0")}, "jumlah", "lebih dari Rp0"),
        ({"tenor_bulan": None}, "tenor_bulan", "tenor"),
        ({"tanggal_pengajuan": D(2999, 1, 1)}, "tanggal_pengajuan", "masa depan"),
    ],
)
def test_ajukan_refuses_bad_input_with_a_message(personas, mitra, zakat, kw, field, pesan):
    with pytest.raises(ValidationError) as e:
        ajukan(personas, mitra, zakat, **kw)
    assert pesan in " ".join(e.value.message_dict[field])
    assert not Bantuan.objects.exists()


def test_ajukan_needs_exactly_one_recipient_of_the_klaster(personas, mitra, zakat):
    with pytest.raises(ValidationError, match="satu penerima"):
        ajukan(personas, mitra, zakat, kelompok=personas.kelompok_lebak)
    with pytest.raises(ValidationError, match="bukan anggota"):
        ajukan(personas, MitraFactory(klaster=personas.klaster_lain), zakat)
    fund_lain = SumberDanaFactory(
        jenis=SumberDana.Jenis.DANA_BERGULIR, klaster=personas.klaster_lain
    )
    with pytest.raises(ValidationError, match="klaster lain"):
        ajukan(personas, mitra, fund_lain)
    assert not Bantuan.objects.exists()


def test_roles_are_checked_by_the_services(personas, mitra, zakat):
    b = ajukan(personas, mitra, zakat)
    for fungsi, kw in [
        (services.bantuan_setujui, {}),
        (services.bantuan_tolak, {"alasan": "x"}),
        (services.bantuan_cairkan, {"tanggal_cair": D(2012, 3, 10)}),
        (services.bantuan_hapus_buku, {"alasan": "x"}),
    ]:
        with pytest.raises(PermissionDenied):
            fungsi(bantuan=b, oleh=personas.fasilitator, **kw)
    # a fasilitator of another klaster cannot propose here
    with pytest.raises(PermissionDenied):
        ajukan(personas, mitra, zakat, oleh=personas.fasilitator2)
    b.refresh_from_db()
    assert b.status == Bantuan.Status.DIAJUKAN


def test_tolak_needs_a_reason_and_a_rejected_loan_cannot_be_disbursed(personas, mitra, zakat):
    b = ajukan(personas, mitra, zakat)
    with pytest.raises(ValidationError, match="alasan"):
        services.bantuan_tolak(bantuan=b, oleh=personas.manajer, alasan="  ")
    services.bantuan_tolak(bantuan=b, oleh=personas.manajer, alasan="Usaha belum jelas")
    with pytest.raises(ValidationError, match="disetujui dulu"):
        services.bantuan_cairkan(bantuan=b, oleh=personas.manajer, tanggal_cair=D(2012, 3, 10))
    b.refresh_from_db()
    assert b.status == Bantuan.Status.DITOLAK and b.alasan == "Usaha belum jelas"


def test_cairkan_refuses_a_date_before_approval(personas, mitra, zakat):
    b = ajukan(personas, mitra, zakat)
    services.bantuan_setujui(bantuan=b, oleh=personas.manajer, tanggal=D(2012, 3, 5))
    with pytest.raises(ValidationError, match="sebelum"):
        services.bantuan_cairkan(bantuan=b, oleh=personas.manajer, tanggal_cair=D(2012, 3, 4))
    assert not JadwalAngsuran.objects.exists()


@pytest.fixture
def pinjaman(personas, mitra, zakat):
    return cair(personas, ajukan(personas, mitra, zakat))  # Rp1.000.000, cair 10 Mar 2012


def catat(personas, b, jumlah, tanggal=TANGGAL_BAYAR, oleh=None):
    return services.angsuran_catat(
        bantuan=b, jumlah=Decimal(jumlah), tanggal=tanggal, oleh=oleh or personas.fasilitator
    )


@pytest.mark.parametrize(
    ("jumlah", "tanggal", "pesan"),
    [
        ("0", D(2012, 4, 10), "lebih dari Rp0"),
        ("-5", D(2012, 4, 10), "lebih dari Rp0"),
        ("1000000.01", D(2012, 4, 10), "melebihi sisa pokok Rp1.000.000,00"),
        ("100000", D(2012, 3, 9), "sebelum tanggal cair 10 Maret 2012"),
        ("100000", "besok", "belum terjadi"),
    ],
)
def test_angsuran_catat_refuses(personas, pinjaman, jumlah, tanggal, pesan):
    if tanggal == "besok":
        tanggal = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as e:
        catat(personas, pinjaman, jumlah, tanggal)
    assert pesan in " ".join(e.value.messages)
    assert not Angsuran.objects.exists()


def test_angsuran_catat_refuses_loans_that_are_not_open(personas, mitra, zakat, pinjaman):
    belum = ajukan(personas, mitra, zakat)
    with pytest.raises(ValidationError, match="belum dicairkan"):
        catat(personas, belum, "1000")
    hibah = ajukan(personas, mitra, zakat, jenis=Bantuan.Jenis.HIBAH_MODAL)
    cair(personas, hibah)
    with pytest.raises(ValidationError, match="hanya modal bergulir"):
        catat(personas, hibah, "1000")
    assert not JadwalAngsuran.objects.filter(bantuan=hibah).exists()
    services.bantuan_hapus_buku(
        bantuan=pinjaman, oleh=personas.manajer, alasan="Pindah ke luar daerah"
    )
    with pytest.raises(ValidationError, match="dihapusbukukan"):
        catat(personas, pinjaman, "1000")
    with pytest.raises(PermissionDenied):
        catat(personas, belum, "1000", oleh=personas.fasilitator2)


def test_full_repayment_marks_lunas_and_then_refuses_more(personas, pinjaman):
    catat(personas, pinjaman, "400000", D(2012, 4, 10))
    catat(personas, pinjaman, "600000", D(2012, 6, 1))
    pinjaman.refresh_from_db()
    assert pinjaman.status == Bantuan.Status.LUNAS
    assert pinjaman.tanggal_lunas == D(2012, 6, 1)
    with pytest.raises(ValidationError, match="sudah lunas"):
        catat(personas, pinjaman, "1")


def test_koreksi_reverses_and_unmarks_lunas(personas, pinjaman):
    pertama = catat(personas, pinjaman, "400000", D(2012, 4, 10))
    kedua = catat(personas, pinjaman, "600000", D(2012, 6, 1))
    with pytest.raises(ValidationError, match="alasan"):
        services.angsuran_koreksi(angsuran=kedua, oleh=personas.fasilitator, alasan="")
    balik = services.angsuran_koreksi(
        angsuran=kedua, oleh=personas.fasilitator, alasan="Salah ketik, seharusnya 60.000"
    )
    assert balik.jumlah == Decimal("-600000")
    assert balik.koreksi_dari == kedua and balik.tanggal == kedua.tanggal
    pinjaman.refresh_from_db()
    assert pinjaman.status == Bantuan.Status.DICAIRKAN and pinjaman.tanggal_lunas is None
    with pytest.raises(ValidationError, match="sudah pernah dikoreksi"):
        services.angsuran_koreksi(angsuran=kedua, oleh=personas.manajer, alasan="lagi")
    with pytest.raises(ValidationError, match="koreksi tidak bisa dikoreksi"):
        services.angsuran_koreksi(angsuran=balik, oleh=personas.manajer, alasan="lagi")
    # another facilitator may not reverse what this one recorded; a manager may
    from klaster.models import Penugasan
    from klaster.tests.factories import PenugasanFactory, UserFactory

    rekan = UserFactory(username="rekan", grup="Fasilitator")
    PenugasanFactory(
        pengguna=rekan, klaster=personas.klaster_lebak, peran=Penugasan.Peran.FASILITATOR
    )
    with pytest.raises(PermissionDenied):
        services.angsuran_koreksi(angsuran=pertama, oleh=rekan, alasan="x")
    services.angsuran_koreksi(angsuran=pertama, oleh=personas.manajer, alasan="Dobel")
    assert sum(a.jumlah for a in Angsuran.objects.filter(bantuan=pinjaman)) == 0
    assert Angsuran.objects.count() == 4  # nothing was deleted


def test_hapus_buku(personas, pinjaman):
    catat(personas, pinjaman, "100000", D(2012, 4, 10))
    with pytest.raises(ValidationError, match="alasan"):
        services.bantuan_hapus_buku(bantuan=pinjaman, oleh=personas.manajer, alasan="")
    with pytest.raises(ValidationError, match="sebelum 10 April 2012"):
        services.bantuan_hapus_buku(
            bantuan=pinjaman, oleh=personas.manajer, alasan="x", tanggal=D(2012, 4, 1)
        )
    services.bantuan_hapus_buku(
        bantuan=pinjaman, oleh=personas.manajer, alasan="Meninggal dunia", tanggal=D(2013, 6, 1)
    )
    pinjaman.refresh_from_db()
    assert pinjaman.status == Bantuan.Status.DIHAPUSBUKUKAN
    assert pinjaman.tanggal_hapus_buku == D(2013, 6, 1)
    with pytest.raises(ValidationError):
        services.bantuan_hapus_buku(bantuan=pinjaman, oleh=personas.manajer, alasan="lagi")


def test_relending_needs_repaid_money_in_the_fund(personas, mitra, zakat):
    fund = SumberDanaFactory(jenis=SumberDana.Jenis.DANA_BERGULIR, klaster=personas.klaster_lebak)
    pinjaman_cair(
        mitra=mitra,
        jumlah="600000",
        tanggal_cair=D(2012, 1, 1),
        sumber_dana=zakat,
        bayar=[(D(2012, 2, 1), "300000")],
    )
    b = ajukan(personas, mitra, fund, jumlah=Decimal("400000"))
    services.bantuan_setujui(bantuan=b, oleh=personas.manajer, tanggal=D(2012, 3, 5))
    with pytest.raises(ValidationError, match="Saldo dana bergulir hanya Rp300.000"):
        services.bantuan_cairkan(bantuan=b, oleh=personas.manajer, tanggal_cair=D(2012, 3, 10))
    kecil = ajukan(personas, mitra, fund, jumlah=Decimal("300000"))
    cair(personas, kecil)
    assert Bantuan.objects.get(pk=kecil.pk).status == Bantuan.Status.DICAIRKAN

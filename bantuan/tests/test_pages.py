import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from bantuan import selectors
from bantuan.models import Angsuran, Bantuan, SumberDana
from bantuan.tests.factories import (
    BantuanFactory,
    SumberDanaFactory,
    angsuran_langsung,
    pinjaman_cair,
)
from mitra.tests.factories import MitraFactory

D = datetime.date


@pytest.fixture
def data(personas):
    """A small portfolio in klaster_lebak and one loan in klaster_lain."""
    k = personas.klaster_lebak
    zakat = SumberDanaFactory(nama="Zakat Lebak", jenis=SumberDana.Jenis.ZAKAT)

    def mf():
        return MitraFactory(klaster=k, kelompok=personas.kelompok_lebak)

    lancar = pinjaman_cair(
        mitra=mf(), jumlah="1200000", tanggal_cair=D(2026, 10, 1), sumber_dana=zakat
    )
    macet = pinjaman_cair(
        mitra=mf(),
        jumlah="1000000",
        tenor_bulan=10,
        tanggal_cair=D(2025, 1, 5),
        sumber_dana=zakat,
        bayar=[(D(2025, 2, 5), "100000")],
    )
    diajukan = BantuanFactory(mitra=mf(), sumber_dana=zakat, tanggal_pengajuan=D(2026, 11, 1))
    hibah = BantuanFactory(
        mitra=None,
        kelompok=personas.kelompok_lebak,
        jenis=Bantuan.Jenis.ASET,
        jumlah=Decimal("5000000"),
        sumber_dana=zakat,
        status=Bantuan.Status.DICAIRKAN,
        tanggal_cair=D(2026, 1, 10),
    )
    lain = pinjaman_cair(
        mitra=MitraFactory(klaster=personas.klaster_lain, kelompok=personas.kelompok_lain),
        tanggal_cair=D(2026, 1, 1),
    )
    return {"lancar": lancar, "macet": macet, "diajukan": diajukan, "hibah": hibah, "lain": lain}


def test_list_shows_scope_only_with_totals(client, personas, data):
    client.force_login(personas.fasilitator)
    r = client.get(reverse("bantuan:list"))
    assert r.status_code == 200
    nomor = {b.pk for b in r.context["bantuan_list"]}
    assert data["lain"].pk not in nomor
    assert nomor == {data[k].pk for k in ("lancar", "macet", "diajukan", "hibah")}
    assert r.context["total"]["jumlah"] == Decimal("1200000") + Decimal("1000000") + Decimal(
        "1000000"
    ) + Decimal("5000000")
    # outstanding of the two running loans only
    assert r.context["total"]["sisa_pokok"] == Decimal("1200000") + Decimal("900000")
    html = r.content.decode()
    assert "Rp8.200.000" in html
    assert data["macet"].mitra.nik not in html  # NIK never in a list


def test_list_filters(client, personas, data):
    client.force_login(personas.manajer)
    r = client.get(reverse("bantuan:list"), {"kolektibilitas": 5})
    assert [b.pk for b in r.context["bantuan_list"]] == [data["macet"].pk]
    assert r.context["total"]["sisa_pokok"] == Decimal("900000")
    r = client.get(reverse("bantuan:list"), {"jenis": "aset"})
    assert [b.pk for b in r.context["bantuan_list"]] == [data["hibah"].pk]
    r = client.get(reverse("bantuan:list"), {"status": "diajukan"})
    assert [b.pk for b in r.context["bantuan_list"]] == [data["diajukan"].pk]
    r = client.get(reverse("bantuan:list"), {"kelompok": personas.kelompok_lebak.pk})
    assert len(r.context["bantuan_list"]) == 4
    # a kelompok of another klaster is not even a valid choice
    r = client.get(reverse("bantuan:list"), {"kelompok": personas.kelompok_lain.pk})
    assert not r.context["filter"].form.is_valid()


def test_detail_shows_position_schedule_and_history(client, personas, data):
    client.force_login(personas.fasilitator)
    b = data["macet"]
    r = client.get(reverse("bantuan:detail", args=[b.pk]))
    assert r.status_code == 200
    html = r.content.decode()
    assert "Rp900.000" in html  # sisa pokok
    assert r.context["bantuan"].kolektibilitas == 5
    assert len(r.context["jadwal"]) == 10
    assert r.context["jadwal"][0]["keadaan"] == "lunas"
    assert r.context["jadwal"][1]["keadaan"] == "tertunggak"
    assert "Riwayat perubahan" in html


def test_detail_of_another_klaster_is_404(client, personas, data):
    client.force_login(personas.fasilitator)
    assert client.get(reverse("bantuan:detail", args=[data["lain"].pk])).status_code == 404


def test_reject_refuses_get(client, personas, data):
    client.force_login(personas.manajer)
    assert client.get(reverse("bantuan:tolak", args=[data["diajukan"].pk])).status_code == 405


@pytest.mark.parametrize("nama", ["setujui", "cairkan", "hapus_buku"])
def test_decision_pages_open_on_get_and_change_nothing(client, personas, data, nama):
    # approval, disbursement and write-off ask for confirmation on a page of their own
    client.force_login(personas.manajer)
    b = data["diajukan"]
    assert client.get(reverse(f"bantuan:{nama}", args=[b.pk])).status_code == 200
    assert Bantuan.objects.get(pk=b.pk).status == Bantuan.Status.DIAJUKAN


@pytest.mark.parametrize(
    ("nama", "kunci", "post"),
    [
        ("setujui", "diajukan", {}),
        ("tolak", "diajukan", {"alasan": "tidak layak"}),
        ("cairkan", "diajukan", {"tanggal_cair": "2026-11-02"}),
        ("hapus_buku", "macet", {"alasan": "pindah"}),
    ],
)
def test_fasilitator_cannot_decide(client, personas, data, nama, kunci, post):
    client.force_login(personas.fasilitator)
    b = data[kunci]
    sebelum = Bantuan.objects.get(pk=b.pk).status
    assert client.post(reverse(f"bantuan:{nama}", args=[b.pk]), post).status_code == 403
    assert Bantuan.objects.get(pk=b.pk).status == sebelum


@pytest.mark.parametrize("nama", ["setujui", "tolak", "cairkan", "hapus_buku", "angsuran_catat"])
def test_actions_on_another_klaster_are_404(client, personas, data, nama):
    client.force_login(personas.manajer)
    assert client.post(reverse(f"bantuan:{nama}", args=[data["lain"].pk]), {}).status_code == 404


def test_anonymous_goes_to_login(client, data):
    r = client.get(reverse("bantuan:list"))
    assert r.status_code == 302 and reverse("akun:masuk") in r["Location"]


def test_manajer_approves_and_disburses(client, personas, data):
    client.force_login(personas.manajer)
    b = data["diajukan"]
    r = client.post(
        reverse("bantuan:setujui", args=[b.pk]), {"tanggal": "2026-11-02", "konfirmasi": "on"}
    )
    assert r.status_code == 302
    r = client.post(
        reverse("bantuan:cairkan", args=[b.pk]), {"tanggal_cair": "2026-11-03", "konfirmasi": "on"}
    )
    assert r.status_code == 302
    # after disbursement the loan's page offers the schedule and recording an instalment
    assert r["Location"].endswith("#langkah-berikutnya")
    b.refresh_from_db()
    assert b.status == Bantuan.Status.DICAIRKAN and b.jadwal.count() == 12
    halaman = client.get(b.get_absolute_url()).content.decode()
    assert 'id="langkah-jadwal"' in halaman and 'id="langkah-catat-angsuran"' in halaman
    # the write-off sits behind the secondary menu, on a page of its own
    assert '<details class="tindakan-lain' in halaman and 'id="ke-hapus-buku"' in halaman


@pytest.mark.parametrize(
    ("nama", "kunci", "post"),
    [
        ("setujui", "diajukan", {"tanggal": "2026-11-02"}),
        ("hapus_buku", "macet", {"alasan": "pindah"}),
    ],
)
def test_a_decision_without_the_confirmation_ticked_changes_nothing(
    client, personas, data, nama, kunci, post
):
    client.force_login(personas.manajer)
    b = data[kunci]
    sebelum = Bantuan.objects.get(pk=b.pk).status
    r = client.post(reverse(f"bantuan:{nama}", args=[b.pk]), post)
    assert r.status_code == 422
    assert "Centang kotak konfirmasi" in r.content.decode()
    assert Bantuan.objects.get(pk=b.pk).status == sebelum


def test_disbursing_needs_the_confirmation_too(client, personas, data):
    client.force_login(personas.manajer)
    b = data["diajukan"]
    client.post(
        reverse("bantuan:setujui", args=[b.pk]), {"tanggal": "2026-11-02", "konfirmasi": "on"}
    )
    r = client.post(reverse("bantuan:cairkan", args=[b.pk]), {"tanggal_cair": "2026-11-03"})
    assert r.status_code == 422
    assert "Centang kotak konfirmasi" in r.content.decode()
    assert Bantuan.objects.get(pk=b.pk).status == Bantuan.Status.DISETUJUI


def test_bad_action_input_comes_back_with_a_message(client, personas, data):
    client.force_login(personas.manajer)
    b = data["diajukan"]
    r = client.post(reverse("bantuan:tolak", args=[b.pk]), {"alasan": ""})
    assert r.status_code == 422
    assert r.context["form_tolak"].errors
    # disbursing before approval: the service's message is shown
    r = client.post(
        reverse("bantuan:cairkan", args=[b.pk]), {"tanggal_cair": "2026-11-03", "konfirmasi": "on"}
    )
    assert r.status_code == 422
    assert "disetujui dulu" in r.content.decode()
    assert Bantuan.objects.get(pk=b.pk).status == Bantuan.Status.DIAJUKAN


def test_propose_page(client, personas, data):
    client.force_login(personas.fasilitator)
    url = reverse("bantuan:ajukan")
    assert client.get(url).status_code == 200
    mitra = data["lancar"].mitra
    r = client.post(
        url,
        {
            "mitra": mitra.pk,
            "jenis": "modal_bergulir",
            "sumber_dana": data["lancar"].sumber_dana_id,
            "jumlah": "1.500.000",
            "tenor_bulan": 12,
            "tanggal_pengajuan": "2026-11-20",
            "tujuan": "Modal warung",
        },
    )
    assert r.status_code == 302
    b = Bantuan.objects.get(mitra=mitra, status=Bantuan.Status.DIAJUKAN)
    assert b.jumlah == Decimal("1500000") and b.nomor == "BTN-2026-0001"


def test_propose_bad_input_saves_nothing(client, personas, data):
    client.force_login(personas.fasilitator)
    n = Bantuan.objects.count()
    r = client.post(
        reverse("bantuan:ajukan"),
        {
            "mitra": data["lancar"].mitra.pk,
            "kelompok": personas.kelompok_lebak.pk,
            "jenis": "modal_bergulir",
            "sumber_dana": data["lancar"].sumber_dana_id,
            "jumlah": "0",
            "tanggal_pengajuan": "2026-11-20",
        },
    )
    assert r.status_code == 422
    html = r.content.decode()
    assert "Pilih satu penerima" in html and "tenor" in html
    assert Bantuan.objects.count() == n
    # another klaster's mitra is not a valid choice
    r = client.post(reverse("bantuan:ajukan"), {"mitra": data["lain"].mitra.pk})
    assert r.status_code == 422 and Bantuan.objects.count() == n


def test_user_without_role_cannot_propose(client, personas, data):
    from klaster.tests.factories import UserFactory

    client.force_login(UserFactory(username="tamu"))
    assert client.get(reverse("bantuan:ajukan")).status_code == 403


def test_repayment_form(client, personas, data):
    client.force_login(personas.fasilitator)
    b = data["lancar"]
    url = reverse("bantuan:angsuran_catat", args=[b.pk])
    assert client.get(url).status_code == 200
    r = client.post(url, {"jumlah": "100.000", "tanggal": "2026-11-01"})
    assert r.status_code == 302
    assert Angsuran.objects.get(bantuan=b).jumlah == Decimal("100000")
    # above the remaining principal: message, nothing saved
    r = client.post(url, {"jumlah": "5.000.000", "tanggal": "2026-11-01"})
    assert r.status_code == 422
    assert "melebihi sisa pokok Rp1.100.000" in r.content.decode()
    assert Angsuran.objects.filter(bantuan=b).count() == 1
    # another klaster's loan: 404; a grant: message
    assert client.get(reverse("bantuan:angsuran_catat", args=[data["lain"].pk])).status_code == 404
    r = client.post(
        reverse("bantuan:angsuran_catat", args=[data["hibah"].pk]),
        {"jumlah": "1000", "tanggal": "2026-11-01"},
    )
    assert r.status_code == 422 and "hanya modal bergulir" in r.content.decode()


def test_repayment_correction(client, personas, data):
    b = data["lancar"]
    client.force_login(personas.fasilitator)
    client.post(
        reverse("bantuan:angsuran_catat", args=[b.pk]),
        {"jumlah": "100000", "tanggal": "2026-11-01"},
    )
    a = Angsuran.objects.get(bantuan=b)
    url = reverse("bantuan:angsuran_koreksi", args=[a.pk])
    assert client.get(url).status_code == 200
    r = client.post(url, {"alasan": ""})
    assert r.status_code == 422 and Angsuran.objects.filter(bantuan=b).count() == 1
    r = client.post(url, {"alasan": "Salah pinjaman"})
    assert r.status_code == 302
    assert sum(x.jumlah for x in Angsuran.objects.filter(bantuan=b)) == 0
    r = client.post(url, {"alasan": "lagi"})
    assert r.status_code == 422 and "sudah pernah dikoreksi" in r.content.decode()
    # a facilitator of the other klaster: 404
    client.force_login(personas.fasilitator2)
    assert client.get(url).status_code == 404


def test_portfolio_page_figures_equal_the_selectors(client, personas, data):
    client.force_login(personas.manajer)
    r = client.get(reverse("bantuan:portofolio"), {"per_tanggal": "2026-11-27"})
    assert r.status_code == 200
    ringkasan = selectors.ringkasan_portofolio(
        Bantuan.objects.filter(klaster=personas.klaster_lebak), per_tanggal=D(2026, 11, 27)
    )
    assert r.context["ringkasan"] == ringkasan
    # independently: lancar 1.2M (first due 1 Nov 2026, unpaid -> 26 days), macet 900k
    assert ringkasan["outstanding"] == Decimal("2100000")
    assert ringkasan["par30"] == Decimal("900000") / Decimal("2100000")
    assert ringkasan["total_dicairkan"] == Decimal("1200000") + Decimal("1000000") + Decimal(
        "5000000"
    )
    html = r.content.decode()
    assert "Rp7.200.000" in html and "Rp2.100.000" in html and "42,9%" in html


def test_arrears_page_sorted_with_phone(client, personas, data):
    client.force_login(personas.fasilitator)
    r = client.get(reverse("bantuan:tunggakan"), {"per_tanggal": "2026-11-27"})
    assert r.status_code == 200
    baris = r.context["baris"]
    assert [b.pk for b in baris] == [data["macet"].pk, data["lancar"].pk]
    assert baris[0].hari_tunggakan > baris[1].hari_tunggakan == 26
    html = r.content.decode()
    # the facilitator assigned to the klaster calls a member in one tap (issue 15)
    macet = data["macet"].mitra
    assert f'href="tel:{macet.telepon}"' in html
    assert personas.kelompok_lebak.nama in html
    assert data["lain"].mitra.telepon_tersamar not in html


def test_arrears_phone_is_masked_for_who_is_not_assigned(client, personas, data):
    # a national viewer (superuser, no Penugasan) reads the list as a donor would (UU PDP)
    client.force_login(personas.admin)
    html = client.get(reverse("bantuan:tunggakan"), {"per_tanggal": "2026-11-27"}).content
    html = html.decode()
    macet = data["macet"].mitra
    assert macet.telepon not in html and "tel:" not in html
    assert "*" * (len(macet.telepon) - 4) + macet.telepon[-4:] in html


@pytest.mark.parametrize("nama", ["portofolio", "tunggakan", "list"])
def test_report_pages_refuse_post(client, personas, nama):
    client.force_login(personas.manajer)
    assert client.post(reverse(f"bantuan:{nama}")).status_code == 405


def test_detail_of_a_row_written_in_bulk_without_history(client, personas, data):
    b = data["macet"]
    b.history.all().delete()  # as seed_demo and imports write rows
    client.force_login(personas.manajer)
    assert client.get(reverse("bantuan:detail", args=[b.pk])).status_code == 200
    Bantuan.objects.filter(pk=b.pk).update(tujuan="x")  # no history either
    b.refresh_from_db()
    b.tujuan = "Modal warung"
    b.save()  # the first record is a change whose earlier state is unknown
    r = client.get(reverse("bantuan:detail", args=[b.pk]))
    assert "keadaan sebelumnya tidak tercatat" in r.content.decode()


def test_only_the_recorder_or_a_manager_may_correct(client, personas, data):
    from klaster.models import Penugasan
    from klaster.tests.factories import PenugasanFactory, UserFactory

    b = data["lancar"]
    a = angsuran_langsung(
        b, tanggal=D(2026, 11, 1), jumlah=Decimal("1000"), dicatat_oleh=personas.fasilitator
    )
    rekan = UserFactory(username="rekan", grup="Fasilitator")
    PenugasanFactory(
        pengguna=rekan, klaster=personas.klaster_lebak, peran=Penugasan.Peran.FASILITATOR
    )
    url = reverse("bantuan:angsuran_koreksi", args=[a.pk])
    client.force_login(rekan)
    assert client.get(url).status_code == 403
    assert client.post(url, {"alasan": "x"}).status_code == 403
    client.force_login(personas.manajer)
    assert client.get(url).status_code == 200
    assert Angsuran.objects.filter(bantuan=b).count() == 1


def test_propose_form_is_prefilled_from_the_mitra_page(client, personas, data):
    client.force_login(personas.fasilitator)
    mitra = data["lancar"].mitra
    r = client.get(reverse("bantuan:ajukan"), {"mitra": mitra.pk})
    assert r.context["form"].initial["mitra"] == mitra.pk


def _pilihan_kelompok(response):
    return [v for v, _label in response.context["filter"].form.fields["kelompok"].widget.choices]


def test_list_offers_the_kelompok_of_the_one_klaster_in_scope(client, personas):
    client.force_login(personas.manajer)
    r = client.get(reverse("bantuan:list"))
    assert _pilihan_kelompok(r) == ["", personas.kelompok_lebak.pk]
    assert "Pilih klaster dulu" not in r.content.decode()


def test_list_offers_kelompok_only_of_the_chosen_klaster_across_many(client, personas):
    # nationally there are thousands of kelompok: only the chosen klaster's are offered
    client.force_login(personas.admin)
    r = client.get(reverse("bantuan:list"))
    assert _pilihan_kelompok(r) == [""]
    assert "Pilih klaster dulu untuk menyaring per kelompok." in r.content.decode()

    r = client.get(reverse("bantuan:list"), {"klaster": personas.klaster_lain.pk})
    assert _pilihan_kelompok(r) == ["", personas.kelompok_lain.pk]


def test_list_keeps_a_chosen_kelompok_without_its_klaster(client, personas, data):
    # a link with ?kelompok= alone still filters and shows the choice as selected
    client.force_login(personas.admin)
    r = client.get(reverse("bantuan:list"), {"kelompok": personas.kelompok_lebak.pk})
    assert _pilihan_kelompok(r) == ["", personas.kelompok_lebak.pk]
    assert len(r.context["bantuan_list"]) == 4
    assert f'value="{personas.kelompok_lebak.pk}" selected' in r.content.decode()


def test_portfolio_tables_kept_rendered_follow_a_repayment_and_a_rename(client, personas, data):
    """The per-klaster tables are kept rendered under a digest of their rows: a repayment
    (money into the revolving fund) and a klaster's new name show on the next request."""
    import re

    def tabel(id_):
        html = client.get(reverse("bantuan:portofolio")).content.decode()
        isi = re.search(rf'id="{id_}".*?<tbody>(.*?)</tbody>', html, re.S).group(1)
        return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", isi)).strip()

    client.force_login(personas.manajer)
    sebelum = tabel("tabel-dana-bergulir")
    assert tabel("tabel-dana-bergulir") == sebelum  # the kept fragment, unchanged
    # the fixture's one repayment of 100.000 is in the fund, nothing lent again
    assert sebelum == f"{personas.klaster_lebak.nama} Rp100.000 Rp0 Rp100.000"
    client.force_login(personas.fasilitator)
    r = client.post(
        reverse("bantuan:angsuran_catat", args=[data["lancar"].pk]),
        {"jumlah": "100000", "tanggal": "2026-11-01"},
    )
    assert r.status_code == 302
    client.force_login(personas.manajer)
    sesudah = tabel("tabel-dana-bergulir")
    assert sesudah == f"{personas.klaster_lebak.nama} Rp200.000 Rp0 Rp200.000"
    personas.klaster_lebak.nama = "Klaster Lebak Baru"
    personas.klaster_lebak.save()
    assert tabel("tabel-dana-bergulir").startswith("Klaster Lebak Baru")

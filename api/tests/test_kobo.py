"""The KoboToolbox bridge: the XLSForm a kelompok page offers, and a submission of it (JSON as
Kobo's REST Service sends it, api/tests/kiriman_kobo.json) becoming one visit through the
meeting screen's service."""

import datetime
import io
import json
import uuid
from decimal import Decimal
from pathlib import Path

import pytest
from django.template import Context, Template
from django.urls import reverse
from openpyxl import load_workbook

from bantuan.models import Angsuran, Bantuan
from bantuan.tests.factories import pinjaman_cair
from kelompok.tests.factories import KelompokFactory
from klaster.tests.factories import PenugasanFactory, UserFactory
from kunjungan.models import Kunjungan
from mitra.models import PengukuranPendapatan
from mitra.tests.factories import MitraFactory

KIRIMAN = Path(__file__).with_name("kiriman_kobo.json")
URL = reverse("api:kobo_kiriman")
UUID_KIRIMAN = uuid.UUID("7b0d3c9e-2f4a-4c1e-9a51-2d8e6f0b1c33")


def kiriman(**ubah) -> dict:
    return {**json.loads(KIRIMAN.read_text()), **ubah}


@pytest.fixture
def kelompok_kobo(personas):
    """The kelompok and members the fixture names (ids fixed to match it): Ani and Budi
    attend, Budi repays his loan, Cici stays home."""
    kelompok = KelompokFactory(pk=9100, klaster=personas.klaster_lebak, kode="LBK-09")
    gabung = datetime.date(2012, 1, 1)
    ani = MitraFactory(pk=9101, kelompok=kelompok, nama="Ani", tanggal_bergabung=gabung)
    budi = MitraFactory(pk=9102, kelompok=kelompok, nama="Budi", tanggal_bergabung=gabung)
    cici = MitraFactory(pk=9103, kelompok=kelompok, nama="Cici", tanggal_bergabung=gabung)
    pinjaman = pinjaman_cair(mitra=budi, tanggal_cair=datetime.date(2024, 1, 10), jumlah="1200000")
    return kelompok, ani, budi, cici, pinjaman


def test_a_kobo_submission_becomes_a_visit(personas, kelompok_kobo, klien_token):
    kelompok, ani, budi, cici, pinjaman = kelompok_kobo
    respons = klien_token(personas.fasilitator).post(URL, kiriman(), format="json")
    assert respons.status_code == 201, respons.json()
    kunjungan = Kunjungan.objects.get(uuid=UUID_KIRIMAN)
    assert respons.json() == {"kunjungan": kunjungan.pk, "uuid": str(UUID_KIRIMAN), "baru": True}
    assert kunjungan.kelompok == kelompok and kunjungan.fasilitator == personas.fasilitator
    assert kunjungan.tanggal == datetime.date(2024, 3, 5)
    assert kunjungan.jenis_kegiatan == "pertemuan_kelompok"
    assert set(kunjungan.hadir.all()) == {ani, budi}
    assert (kunjungan.jumlah_hadir, kunjungan.jumlah_anggota) == (2, 3)
    bacaan = PengukuranPendapatan.objects.filter(kunjungan=kunjungan)
    assert {(p.mitra_id, p.pendapatan_bulanan, p.jenis) for p in bacaan} == {
        (ani.pk, Decimal("1750000"), "monitoring"),
        (budi.pk, Decimal("950000"), "monitoring"),
    }
    angsuran = Angsuran.objects.get(kunjungan=kunjungan)
    assert (angsuran.bantuan, angsuran.jumlah) == (pinjaman, Decimal("100000"))
    assert Bantuan.objects.get(pk=pinjaman.pk).pokok_terbayar == Decimal("100000")
    assert kunjungan.ringkasan == "Membahas harga gabah dan jadwal tanam."
    assert kunjungan.kendala == "Pupuk terlambat datang."
    assert kunjungan.tindak_lanjut == "Hubungi penyalur pupuk."
    assert (kunjungan.lokasi_lat, kunjungan.lokasi_lon) == (
        Decimal("-6.571234"),
        Decimal("106.251234"),
    )


def test_kobo_retries_and_edits_make_one_visit(personas, kelompok_kobo, klien_token):
    klien = klien_token(personas.fasilitator)
    assert klien.post(URL, kiriman(), format="json").status_code == 201
    ulang = klien.post(URL, kiriman(), format="json")
    assert ulang.status_code == 200 and ulang.json()["baru"] is False
    # an edit in Kobo gets a new instanceID and keeps the first one as meta/rootUuid
    baru = str(uuid.uuid4())
    suntingan = kiriman(
        **{
            "meta/instanceID": f"uuid:{baru}",
            "_uuid": baru,
            "meta/deprecatedID": f"uuid:{UUID_KIRIMAN}",
            "meta/rootUuid": f"uuid:{UUID_KIRIMAN}",
        }
    )
    assert klien.post(URL, suntingan, format="json").status_code == 200
    assert Kunjungan.objects.count() == 1 and Angsuran.objects.count() == 1


def test_nested_groups_are_read_too(personas, kelompok_kobo, klien_token):
    data = kiriman()
    datar = {k: v for k, v in data.items() if "/" not in k or k.startswith("meta/")}
    datar["kehadiran"] = {"hadir": data["kehadiran/hadir"]}
    datar["pendapatan"] = {"m_9101": data["pendapatan/m_9101"]}
    respons = klien_token(personas.fasilitator).post(URL, datar, format="json")
    assert respons.status_code == 201
    kunjungan = Kunjungan.objects.get()
    assert kunjungan.hadir.count() == 2
    assert PengukuranPendapatan.objects.filter(kunjungan=kunjungan).count() == 1


def test_a_refused_submission_names_the_forms_fields(personas, kelompok_kobo, klien_token):
    klien = klien_token(personas.fasilitator)
    respons = klien.post(URL, kiriman(**{"angsuran/m_9101": "50000"}), format="json")
    assert respons.status_code == 400
    assert "tidak punya pinjaman" in respons.json()["angsuran/m_9101"][0]
    respons = klien.post(URL, kiriman(**{"pendapatan/m_9101": "satu juta"}), format="json")
    assert respons.status_code == 400 and "pendapatan/m_9101" in respons.json()
    tanpa_uuid = {k: v for k, v in kiriman().items() if k not in {"_uuid", "meta/instanceID"}}
    assert "meta/instanceID" in klien.post(URL, tanpa_uuid, format="json").json()
    assert klien.post(URL, [1, 2], format="json").status_code == 400
    assert (
        not Kunjungan.objects.exists()
        and not PengukuranPendapatan.objects.filter(kunjungan__isnull=False).exists()
    )


def test_the_kelompok_comes_from_the_form_id_when_the_field_is_missing(
    personas, kelompok_kobo, klien_token
):
    data = {k: v for k, v in kiriman().items() if k != "kelompok"}
    assert klien_token(personas.fasilitator).post(URL, data, format="json").status_code == 201


def _survey(buku) -> list[dict]:
    ws = buku["survey"]
    kepala, *baris = [list(r) for r in ws.iter_rows(values_only=True)]
    return [dict(zip(kepala, r, strict=True)) for r in baris]


def _jalur(survey) -> set[str]:
    """The names a submission carries: each field under its groups ("group/field")."""
    grup, hasil = [], set()
    for r in survey:
        if r["type"] == "begin_group":
            grup.append(r["name"])
        elif r["type"] == "end_group":
            grup.pop()
        else:
            hasil.add("/".join([*grup, r["name"]]))
    return hasil


def test_the_xlsform_matches_what_the_bridge_reads(client, personas, kelompok_kobo):
    kelompok, ani, budi, cici, pinjaman = kelompok_kobo
    client.force_login(personas.fasilitator)
    respons = client.get(reverse("api:kobo_xlsform", args=[kelompok.pk]))
    assert respons.status_code == 200
    assert respons["Content-Disposition"] == 'attachment; filename="kunjungan-LBK-09.xlsx"'
    buku = load_workbook(io.BytesIO(respons.content))
    assert buku.sheetnames == ["survey", "choices", "settings"]
    survey = _survey(buku)
    jalur = _jalur(survey)
    # every answer field of the fixture is a field of the form
    dijawab = {k for k in kiriman() if not k.startswith(("_", "meta/", "formhub/"))}
    assert dijawab <= jalur, dijawab - jalur
    assert {"pendapatan/m_9101", "pendapatan/m_9102", "pendapatan/m_9103"} <= jalur
    # only a member with an active loan gets an instalment field
    assert {j for j in jalur if j.startswith("angsuran/")} == {"angsuran/m_9102"}
    pilihan = [tuple(r) for r in buku["choices"].iter_rows(values_only=True)][1:]
    assert [(n, label) for daftar, n, label in pilihan if daftar == "anggota_k9100"] == [
        ("9101", "Ani"),
        ("9102", "Budi"),
        ("9103", "Cici"),
    ]
    assert {n for daftar, n, _l in pilihan if daftar == "jenis_kegiatan"} == {
        c for c, _l in Kunjungan.JenisKegiatan.choices
    }
    settings = list(buku["settings"].iter_rows(values_only=True))
    assert settings[0][:2] == ("form_title", "form_id") and settings[1][1] == "km_kunjungan_k9100"
    kelompok_baris = next(r for r in survey if r["name"] == "kelompok")
    assert (kelompok_baris["type"], kelompok_baris["calculation"]) == ("calculate", "9100")


def test_the_kelompok_page_links_the_form_for_those_who_record_visits(client, personas):
    kelompok = personas.kelompok_lebak
    tautan = reverse("api:kobo_xlsform", args=[kelompok.pk])
    client.force_login(personas.fasilitator)
    assert tautan in client.get(reverse("kelompok:detail", args=[kelompok.pk])).content.decode()
    # the tag itself shows nothing to whoever holds no role
    templat = Template("{% load api_kobo %}{% tautan_xlsform kelompok %}")
    assert tautan in templat.render(Context({"kelompok": kelompok, "is_manajer": True}))
    assert templat.render(Context({"kelompok": kelompok})).strip() == ""


def test_the_xlsform_is_404_outside_the_scope_and_403_without_a_role(personas, klien_token):
    url = reverse("api:kobo_xlsform", args=[personas.kelompok_lebak.pk])
    assert klien_token(personas.fasilitator2).get(url).status_code == 404
    tamu = UserFactory(username="tamu")
    PenugasanFactory(pengguna=tamu, klaster=personas.klaster_lebak)
    assert klien_token(tamu).get(url).status_code == 403
    assert klien_token(personas.manajer).get(url).status_code == 200

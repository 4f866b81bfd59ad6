"""The KoboToolbox / ODK bridge: a kelompok's visit form as an XLSForm, and a submission of
that form (JSON as Kobo's REST Service sends it) read back into the meeting screen's input.

The form is made for one kelompok: its members are the attendance choices, and each member
has an income field and, with an active revolving loan, an instalment field, named by the
mitra's id. A submission arrives flat, a group's fields under "group/field":

    {"kelompok": "12", "tanggal": "2024-03-01", "jenis_kegiatan": "pertemuan_kelompok",
     "kehadiran/hadir": "101 102", "pendapatan/m_101": "1500000", "angsuran/m_102": "100000",
     "catatan/ringkasan": "...", "lokasi": "-6.57 106.25 0 5",
     "meta/instanceID": "uuid:…", "_uuid": "…", "_submission_time": "…", ...}

Its uuid (meta/rootUuid, which an edit in Kobo keeps, else meta/instanceID, else _uuid)
becomes the visit's uuid: Kobo's retries and a second REST Service hook make one visit.
"""

import datetime
import io
import re
import uuid as uuid_lib
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from rest_framework.exceptions import ValidationError

from klaster.ekspor import tambah_baris
from kunjungan.models import Kunjungan

GRUP_HADIR = "kehadiran"
GRUP_PENDAPATAN = "pendapatan"
GRUP_ANGSURAN = "angsuran"
GRUP_CATATAN = "catatan"
KOLOM_SURVEY = [
    "type",
    "name",
    "label",
    "hint",
    "required",
    "relevant",
    "constraint",
    "constraint_message",
    "calculation",
]
ENAM_DESIMAL = Decimal("0.000001")


def form_id(kelompok) -> str:
    return f"km_kunjungan_k{kelompok.pk}"


def nama_berkas(kelompok) -> str:
    kode = re.sub(r"[^A-Za-z0-9_-]+", "-", kelompok.kode).strip("-") or str(kelompok.pk)
    return f"kunjungan-{kode}.xlsx"


def xlsform(kelompok, anggota) -> bytes:
    """The visit form of a kelompok as an XLSForm workbook (survey, choices, settings).
    `anggota`: the roster (Mitra with `.pinjaman`, the active loan or None)."""
    survey: list[dict] = [
        {"type": "start", "name": "start"},
        {"type": "end", "name": "end"},
        # the kelompok travels with every submission: the form is made for it
        {"type": "calculate", "name": "kelompok", "calculation": str(kelompok.pk)},
        {
            "type": "date",
            "name": "tanggal",
            "label": _("Tanggal kunjungan"),
            "required": "yes",
            "constraint": ". <= today()",
            "constraint_message": _("Tanggal kunjungan tidak boleh di masa depan."),
        },
        {
            "type": "select_one jenis_kegiatan",
            "name": "jenis_kegiatan",
            "label": _("Jenis kegiatan"),
            "required": "yes",
        },
    ]
    choices = [
        {"list_name": "jenis_kegiatan", "name": nilai, "label": str(label)}
        for nilai, label in Kunjungan.JenisKegiatan.choices
    ]
    if anggota:
        daftar = f"anggota_k{kelompok.pk}"
        survey += [
            {"type": "begin_group", "name": GRUP_HADIR, "label": _("Kehadiran")},
            {
                "type": f"select_multiple {daftar}",
                "name": "hadir",
                "label": _("Siapa yang hadir?"),
            },
            {"type": "end_group", "name": GRUP_HADIR},
            {
                "type": "begin_group",
                "name": GRUP_PENDAPATAN,
                "label": _("Pendapatan sebulan (Rp)"),
            },
        ]
        choices += [{"list_name": daftar, "name": str(m.pk), "label": m.nama} for m in anggota]
        for m in anggota:
            survey.append(
                {
                    "type": "decimal",
                    "name": f"m_{m.pk}",
                    "label": m.nama,
                    "hint": _("Kosongkan bila tidak diukur."),
                    "relevant": f"selected(${{hadir}}, '{m.pk}')",
                    "constraint": ". >= 0",
                    "constraint_message": _("Pendapatan tidak boleh di bawah nol."),
                }
            )
        survey.append({"type": "end_group", "name": GRUP_PENDAPATAN})
        berpinjaman = [m for m in anggota if getattr(m, "pinjaman", None) is not None]
        if berpinjaman:
            survey.append(
                {"type": "begin_group", "name": GRUP_ANGSURAN, "label": _("Angsuran (Rp)")}
            )
            for m in berpinjaman:
                survey.append(
                    {
                        "type": "decimal",
                        "name": f"m_{m.pk}",
                        "label": f"{m.nama} — {m.pinjaman.nomor}",
                        "hint": _("Kosongkan bila tidak membayar."),
                        "relevant": f"selected(${{hadir}}, '{m.pk}')",
                        "constraint": ". > 0",
                        "constraint_message": _("Angsuran harus lebih dari Rp0, atau kosongkan."),
                    }
                )
            survey.append({"type": "end_group", "name": GRUP_ANGSURAN})
    survey += [
        {"type": "begin_group", "name": GRUP_CATATAN, "label": _("Catatan pertemuan")},
        {"type": "text", "name": "ringkasan", "label": _("Ringkasan pertemuan")},
        {"type": "text", "name": "kendala", "label": _("Kendala")},
        {"type": "text", "name": "tindak_lanjut", "label": _("Tindak lanjut")},
        {"type": "end_group", "name": GRUP_CATATAN},
        {"type": "geopoint", "name": "lokasi", "label": _("Lokasi pertemuan")},
    ]
    buku = Workbook()
    ws = buku.active
    ws.title = "survey"
    ws.append(KOLOM_SURVEY)
    for baris in survey:
        # member names are user text: string cells, never formulas (klaster/ekspor.py)
        tambah_baris(ws, [str(baris.get(k, "")) for k in KOLOM_SURVEY])
    ws = buku.create_sheet("choices")
    ws.append(["list_name", "name", "label"])
    for baris in choices:
        tambah_baris(ws, [baris["list_name"], baris["name"], baris["label"]])
    ws = buku.create_sheet("settings")
    ws.append(["form_title", "form_id", "version"])
    tambah_baris(
        ws,
        [
            _("Kunjungan %(kelompok)s") % {"kelompok": f"{kelompok.kode} {kelompok.nama}"},
            form_id(kelompok),
            # a new version whenever the form is downloaded again (members change)
            timezone.localtime().strftime("%Y%m%d%H%M"),
        ],
    )
    keluaran = io.BytesIO()
    buku.save(keluaran)
    return keluaran.getvalue()


# --------------------------------------------------------------------------- submissions


def _datar(data, awalan: str = "") -> dict:
    """Kobo sends a group's fields as "group/field"; some exports nest them instead."""
    hasil = {}
    for kunci, nilai in data.items():
        if isinstance(nilai, dict) and not kunci.startswith("_"):
            hasil.update(_datar(nilai, f"{awalan}{kunci}/"))
        else:
            hasil[f"{awalan}{kunci}"] = nilai
    return hasil


def _teks(nilai) -> str:
    return "" if nilai is None else str(nilai).strip()


def _uuid(data: dict) -> uuid_lib.UUID | None:
    for kunci in ("meta/rootUuid", "meta/instanceID", "_uuid"):
        teks = _teks(data.get(kunci)).removeprefix("uuid:")
        if teks:
            try:
                return uuid_lib.UUID(teks)
            except ValueError:
                return None
    return None


def _kelompok(data: dict) -> int | None:
    teks = _teks(data.get("kelompok"))
    if not teks:
        m = re.fullmatch(r"km_kunjungan_k(\d+)", _teks(data.get("_xform_id_string")))
        teks = m.group(1) if m else ""
    return int(teks) if teks.isascii() and teks.isdigit() else None


def _lokasi(data: dict) -> tuple[Decimal | None, Decimal | None]:
    bagian = _teks(data.get("lokasi")).split()
    if len(bagian) < 2:
        geo = data.get("_geolocation") or []
        bagian = [str(x) for x in geo if x is not None][:2]
    if len(bagian) < 2:
        return None, None
    try:
        lat, lon = (Decimal(x).quantize(ENAM_DESIMAL, ROUND_HALF_UP) for x in bagian[:2])
    except InvalidOperation:
        return None, None
    return lat, lon


def _uang_per_mitra(data: dict, grup: str, galat: dict) -> dict[int, Decimal]:
    hasil = {}
    pola = re.compile(rf"{grup}/m_(\d+)")
    for kunci, nilai in data.items():
        m = pola.fullmatch(kunci)
        teks = _teks(nilai)
        if not m or not teks:
            continue
        try:
            hasil[int(m.group(1))] = Decimal(teks)
        except InvalidOperation:
            galat.setdefault(kunci, []).append(
                _("Tulis angka rupiah saja, misalnya 150000 (bukan %(nilai)s).")
                % {"nilai": teks[:30]}
            )
    return hasil


def baca_kiriman(kiriman) -> tuple[int, dict]:
    """(kelompok id, kunjungan_catat's keyword arguments) from a Kobo submission; raises
    a 400 (ValidationError) naming the submission's own fields."""
    if not isinstance(kiriman, dict):
        raise ValidationError(
            {"non_field_errors": [_("Kiriman harus berupa objek JSON dari Kobo.")]}
        )
    data = _datar(kiriman)
    galat: dict[str, list[str]] = {}
    kunjungan_uuid = _uuid(data)
    if kunjungan_uuid is None:
        galat["meta/instanceID"] = [
            _("Kiriman tanpa uuid (meta/instanceID atau _uuid) yang sah tidak bisa dicatat.")
        ]
    kelompok = _kelompok(data)
    if kelompok is None:
        galat["kelompok"] = [
            _(
                "Kiriman tidak menyebut kelompoknya; pakai formulir yang diunduh dari halaman kelompok."
            )
        ]
    tanggal = None
    try:
        tanggal = datetime.date.fromisoformat(_teks(data.get("tanggal"))[:10])
    except ValueError:
        galat["tanggal"] = [_("Isi tanggal kunjungan (TTTT-BB-HH).")]
    jenis = _teks(data.get("jenis_kegiatan")) or Kunjungan.JenisKegiatan.PERTEMUAN_KELOMPOK
    hadir = []
    for bagian in _teks(data.get(f"{GRUP_HADIR}/hadir")).split():
        if bagian.isascii() and bagian.isdigit():
            hadir.append(int(bagian))
        else:
            galat.setdefault(f"{GRUP_HADIR}/hadir", []).append(
                _("Pilihan kehadiran %(nilai)s tidak dikenal; unduh formulir kelompok lagi.")
                % {"nilai": bagian[:30]}
            )
    pendapatan = _uang_per_mitra(data, GRUP_PENDAPATAN, galat)
    angsuran = _uang_per_mitra(data, GRUP_ANGSURAN, galat)
    lat, lon = _lokasi(data)
    if galat:
        raise ValidationError(galat)
    return kelompok, {
        "uuid": kunjungan_uuid,
        "tanggal": tanggal,
        "jenis_kegiatan": jenis,
        "hadir": hadir,
        "ringkasan": _teks(data.get(f"{GRUP_CATATAN}/ringkasan")),
        "kendala": _teks(data.get(f"{GRUP_CATATAN}/kendala")),
        "tindak_lanjut": _teks(data.get(f"{GRUP_CATATAN}/tindak_lanjut")),
        "pendapatan": pendapatan,
        "angsuran": angsuran,
        "lokasi_lat": lat,
        "lokasi_lon": lon,
    }


def nama_field_kobo(field: str) -> str:
    """A service error's field as the form names it: pendapatan_12 -> pendapatan/m_12."""
    m = re.fullmatch(r"(pendapatan|angsuran)_(\d+)", field)
    if m:
        return f"{m.group(1)}/m_{m.group(2)}"
    if field == "hadir":
        return f"{GRUP_HADIR}/hadir"
    if field in {"ringkasan", "kendala", "tindak_lanjut"}:
        return f"{GRUP_CATATAN}/{field}"
    if field in {"lokasi_lat", "lokasi_lon"}:
        return "lokasi"
    return field

"""The impact report's figures as JSON: what the page /laporan/dampak/ shows, for the same
parameters, through the page's own parsing (scope, 404s, messages) and the same cached
sections (laporan.views: `_baca_permintaan`, `_laporan`)."""

import dataclasses
import datetime
from decimal import Decimal

from django.db import models
from django.utils.functional import Promise
from rest_framework.exceptions import ValidationError

from klaster import akses
from laporan import views as laporan_views
from laporan.selectors import LaporanDampak

BAGIAN = ("orang", "uang", "portofolio", "dana_bergulir", "pendapatan", "kegiatan")


def ke_json(nilai):
    """Figures as JSON values: Decimal as a string (exact), dates ISO 8601, translated
    labels as text, dataclass rows as objects, a model row as its id and name. Anything else
    (helpers a section keeps for the page, such as the poverty-line lookup) is left out."""
    if nilai is None or isinstance(nilai, bool | int | float | str):
        return nilai
    if isinstance(nilai, Decimal):
        return str(nilai)
    if isinstance(nilai, datetime.date):  # datetime too
        return nilai.isoformat()
    if isinstance(nilai, Promise):
        return str(nilai)
    if isinstance(nilai, dict):
        hasil = {}
        for k, v in nilai.items():
            v = ke_json(v)
            if v is not _TANPA:
                hasil[k if isinstance(k, str) else str(ke_json(k))] = v
        return hasil
    if isinstance(nilai, list | tuple | set | frozenset):
        return [v for v in (ke_json(x) for x in nilai) if v is not _TANPA]
    if dataclasses.is_dataclass(nilai) and not isinstance(nilai, type):
        return ke_json({f.name: getattr(nilai, f.name) for f in dataclasses.fields(nilai)})
    if isinstance(nilai, models.Model):
        return {"id": nilai.pk, "nama": str(nilai)}
    return _TANPA


_TANPA = object()


def saringan_json(p) -> dict:
    s = p.saringan
    return {
        "klaster": [k.pk for k in p.klaster_terpilih],
        "kelompok": s.kelompok_id,
        "dari": ke_json(s.dari),
        "sampai": ke_json(s.sampai),
        "per_tanggal": ke_json(s.tanggal_posisi),
        "sektor": s.sektor,
        "desa": s.desa_kode,
        "jenis_kelamin": s.jenis_kelamin,
    }


def angka(laporan: LaporanDampak) -> dict:
    return {nama: ke_json(getattr(laporan, nama)) for nama in BAGIAN}


def angka_dampak(request) -> dict:
    akses.require_petugas(request.user)  # as the page
    p = laporan_views._baca_permintaan(request)
    if not p.valid:
        raise ValidationError(
            {nama: [str(pesan) for pesan in daftar] for nama, daftar in p.form.errors.items()}
        )
    return {"saringan": saringan_json(p), **angka(laporan_views._laporan(p))}

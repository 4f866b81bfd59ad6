"""Building spreadsheet files in tests, and a fingerprint of the database to compare."""

import csv
import hashlib
import io

from django.apps import apps
from openpyxl import Workbook


def xlsx(rows: list[list]) -> bytes:
    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def csv_bytes(rows: list[list], delimiter: str = ",", encoding: str = "utf-8-sig") -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return buf.getvalue().encode(encoding)


MODEL_DIPANTAU = [
    "mitra.Mitra",
    "mitra.HistoricalMitra",
    "mitra.PengukuranPendapatan",
    "mitra.HistoricalPengukuranPendapatan",
    "kelompok.Kelompok",
    "kelompok.HistoricalKelompok",
    "bantuan.Bantuan",
    "bantuan.HistoricalBantuan",
    "bantuan.JadwalAngsuran",
    "bantuan.Angsuran",
    "bantuan.HistoricalAngsuran",
]


def sidik_db() -> dict:
    """Row count and a checksum of every value, per model the import can touch."""
    hasil = {}
    for label in MODEL_DIPANTAU:
        model = apps.get_model(label)
        nilai = list(model.objects.order_by("pk").values_list())
        hasil[label] = (len(nilai), hashlib.sha256(repr(nilai).encode()).hexdigest())
    return hasil

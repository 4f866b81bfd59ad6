"""django-import-export resources for the admin; the rules live in klaster.impor."""

from klaster.impor.sumber import buat_sumber
from mitra.models import Mitra, PengukuranPendapatan

MitraResource = buat_sumber("mitra", Mitra)
PengukuranPendapatanResource = buat_sumber("pengukuran", PengukuranPendapatan)

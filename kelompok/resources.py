"""django-import-export resources for the admin; the rules live in klaster.impor."""

from kelompok.models import Kelompok
from klaster.impor.sumber import buat_sumber

KelompokResource = buat_sumber("kelompok", Kelompok)

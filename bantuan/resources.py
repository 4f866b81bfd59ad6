"""django-import-export resources for the admin; the rules live in klaster.impor (angsuran
go through bantuan.services.angsuran_catat)."""

from bantuan.models import Angsuran, Bantuan
from klaster.impor.sumber import buat_sumber

BantuanResource = buat_sumber("bantuan", Bantuan)
AngsuranResource = buat_sumber("angsuran", Angsuran)

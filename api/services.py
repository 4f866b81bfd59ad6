"""Personal API tokens: made, used and revoked here only."""

import hashlib
import secrets
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from api.models import TokenApi
from klaster.aturan import teks_satu_baris

# "km_" tells a leaked secret apart in logs and secret scanners; 32 random bytes follow
AWALAN_TOKEN = "km_"  # noqa: S105 (a prefix, not a secret) # nosec B105
PANJANG_AWALAN = 10  # characters kept in clear to tell tokens apart: "km_" + 7
# the last-used time is written at most this often per token (not on every request)
SEGARKAN_TERAKHIR_DIPAKAI = timedelta(minutes=1)
TOKEN_AKTIF_MAKS = 20


def hash_kunci(kunci: str) -> str:
    return hashlib.sha256(kunci.encode()).hexdigest()


@transaction.atomic
def token_buat(*, pengguna, nama: str) -> tuple[TokenApi, str]:
    """Make a token for `pengguna`; returns it and its secret, which is never stored."""
    nama = teks_satu_baris(nama)
    if not nama:
        raise ValidationError({"nama": _("Beri nama token ini, misalnya “Kobo Lebak”.")})
    if len(nama) > TokenApi._meta.get_field("nama").max_length:
        raise ValidationError({"nama": _("Nama token paling banyak 100 karakter.")})
    # one row lock per user: two tabs cannot both pass the limit below
    get_user_model().objects.select_for_update().filter(pk=pengguna.pk).first()
    if TokenApi.objects.aktif().filter(pengguna=pengguna).count() >= TOKEN_AKTIF_MAKS:
        raise ValidationError(
            _("Anda sudah punya %(n)d token aktif. Cabut token yang tidak dipakai dulu.")
            % {"n": TOKEN_AKTIF_MAKS}
        )
    kunci = AWALAN_TOKEN + secrets.token_urlsafe(32)
    token = TokenApi.objects.create(
        pengguna=pengguna, nama=nama, kunci_hash=hash_kunci(kunci), awalan=kunci[:PANJANG_AWALAN]
    )
    return token, kunci


def token_cabut(*, token: TokenApi, oleh) -> TokenApi:
    """Revoke a token of one's own. Revoking it twice is harmless."""
    if token.pengguna_id != oleh.pk:
        raise ValidationError(_("Token ini bukan milik Anda."))
    TokenApi.objects.filter(pk=token.pk, dicabut__isnull=True).update(dicabut=timezone.now())
    token.refresh_from_db(fields=["dicabut"])
    return token


def token_cabut_oleh_admin(*, tokens) -> int:
    """Revoke these tokens at once (the admin's action); returns how many were active."""
    return tokens.filter(dicabut__isnull=True).update(dicabut=timezone.now())


def token_cari(kunci: str) -> TokenApi | None:
    """The active token with this secret and its (active) user, or None. One query."""
    if not kunci.startswith(AWALAN_TOKEN) or len(kunci) > 200:
        return None
    return (
        TokenApi.objects.aktif()
        .select_related("pengguna")
        .filter(kunci_hash=hash_kunci(kunci), pengguna__is_active=True)
        .first()
    )


def token_catat_pemakaian(token: TokenApi) -> None:
    """Keep the last-used time, to the minute: one UPDATE a minute per token at most."""
    sekarang = timezone.now()
    if token.terakhir_dipakai and sekarang - token.terakhir_dipakai < SEGARKAN_TERAKHIR_DIPAKAI:
        return
    TokenApi.objects.filter(pk=token.pk).update(terakhir_dipakai=sekarang)
    token.terakhir_dipakai = sekarang

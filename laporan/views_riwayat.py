"""The change history page for managers."""

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_GET

from klaster import akses
from klaster.models import Klaster
from laporan.riwayat import PILIHAN_SUMBER, halaman_riwayat


def galat_csrf(request, reason=""):
    """A form sent without a valid CSRF token (often: the page was open too long)."""
    return render(
        request,
        "galat/403.html",
        {"pesan": _("Formulir ini sudah kedaluwarsa. Muat ulang halaman lalu kirim lagi.")},
        status=403,
    )


def respons_terkunci(request, original_response=None, credentials=None):
    """django-axes' lockout response (AXES_LOCKOUT_CALLABLE): an Indonesian page, 429."""
    menit = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(
        request,
        "akun/terkunci.html",
        {"batas_gagal": settings.AXES_FAILURE_LIMIT, "menit_kunci": menit},
        status=429,
    )


class SaringRiwayatForm(forms.Form):
    sumber = forms.ChoiceField(
        label=_l("Data"), required=False, choices=[("", _l("Semua data"))] + PILIHAN_SUMBER
    )
    pengguna = forms.ModelChoiceField(
        label=_l("Diubah oleh"),
        required=False,
        queryset=get_user_model().objects.none(),
        empty_label=_l("Semua pengguna"),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # the people who work in the manager's klaster, and the admins
        klaster = Klaster.objects.visible_to(user).values("pk")
        self.fields["pengguna"].queryset = (
            get_user_model()
            .objects.filter(Q(penugasan__klaster__in=klaster) | Q(is_staff=True))
            .distinct()
            .order_by("username")
        )


@login_required
@require_GET
def riwayat(request):
    """Who changed what and when on mitra, kelompok, bantuan, angsuran and kunjungan."""
    akses.require_manajer(request.user)
    form = SaringRiwayatForm(request.GET or None, user=request.user)
    saring = {}
    if form.is_bound and form.is_valid():
        saring = {
            "sumber": form.cleaned_data["sumber"] or None,
            "pengguna_id": form.cleaned_data["pengguna"].pk
            if form.cleaned_data["pengguna"]
            else None,
        }
    halaman, entri = halaman_riwayat(
        request.user, nomor_halaman=request.GET.get("halaman"), **saring
    )
    parameter = request.GET.copy()
    parameter.pop("halaman", None)
    return render(
        request,
        "akun/riwayat.html",
        {"form": form, "halaman": halaman, "entri": entri, "parameter": parameter.urlencode()},
    )

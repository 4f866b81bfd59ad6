"""The account page's API tokens: list, make (the secret shown once), revoke."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from api import services
from api.models import TokenApi
from klaster.forms import tambah_galat_service


class TokenForm(forms.Form):
    nama = forms.CharField(
        label=gettext_lazy("Nama token"),
        max_length=100,
        error_messages={"required": gettext_lazy("Beri nama token ini, misalnya “Kobo Lebak”.")},
        help_text=gettext_lazy("Untuk apa token ini, misalnya “Kobo Lebak” atau “Gudang data”."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def token_api(request):
    """GET lists the user's tokens; POST `aksi=buat` makes one and shows its secret on this
    answer only (it is stored hashed), `aksi=cabut` + `token` revokes one of the user's."""
    form = TokenForm()
    kunci_baru = None
    status = 200
    if request.method == "POST":
        aksi = request.POST.get("aksi")
        if aksi == "cabut":
            token = get_object_or_404(
                TokenApi.objects.filter(pengguna=request.user),
                pk=_angka(request.POST.get("token")),
            )
            services.token_cabut(token=token, oleh=request.user)
            messages.success(request, _("Token “%(nama)s” dicabut.") % {"nama": token.nama})
            return redirect("akun:token_api")
        form = TokenForm(request.POST)
        if form.is_valid():
            try:
                token, kunci_baru = services.token_buat(
                    pengguna=request.user, nama=form.cleaned_data["nama"]
                )
            except ValidationError as e:
                tambah_galat_service(form, e)
            else:
                form = TokenForm()
        if kunci_baru is None:
            status = 422
    return render(
        request,
        "api/token.html",
        {
            "form": form,
            "kunci_baru": kunci_baru,
            "token_list": TokenApi.objects.filter(pengguna=request.user),
        },
        status=status,
    )


def _angka(nilai) -> int:
    teks = str(nilai or "")
    return int(teks) if teks.isascii() and teks.isdigit() and len(teks) < 19 else 0

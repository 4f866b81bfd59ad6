import functools

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from klaster.models import Klaster


class MasukForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _(
            "Nama pengguna atau kata sandi salah. Periksa keduanya (huruf besar/kecil "
            "dibedakan) lalu coba lagi."
        ),
        "inactive": _("Akun ini tidak aktif. Hubungi admin program."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Masuk"), css_class="w-100"))


class TombolUtama(Submit):
    """The one main button of a form, styled as on the meeting screen (kunjungan/baru.html):
    green, large, the full width of the form, so every form ends the same way."""

    field_classes = "btn btn-success btn-lg w-100"


def tambah_galat_service(form, error) -> None:
    """Put a service's ValidationError on the form: on its field when the form has one."""
    if hasattr(error, "error_dict"):
        for nama_field, pesan in error.message_dict.items():
            form.add_error(nama_field if nama_field in form.fields else None, pesan)
    else:
        form.add_error(None, error)


def pilihan_nama(field, pasangan) -> None:
    """Offer records by name in a model choice field (a record's __str__ is its name) as
    (id, name) pairs, not objects: a national filter lists a thousand klaster and a thousand
    funds, and an object for each was a large share of the page. `pasangan`: the pairs, or a
    queryset whose pairs are read once, when the field is first rendered (an API request,
    which never renders it, reads nothing). The field still validates the chosen id against
    its own queryset."""
    kosong = ("", field.empty_label or "---------")
    if hasattr(pasangan, "values_list"):
        queryset = pasangan
        field.widget.choices = functools.cache(
            lambda: [kosong, *queryset.values_list("pk", "nama")]
        )
    else:
        field.widget.choices = [kosong, *pasangan]


class InputTanggal(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class PilihanDesa(forms.ModelChoiceField):
    """Desa labelled with its kecamatan when a klaster spans more than one."""

    def label_from_instance(self, obj):
        return f"{obj.nama} — {obj.induk.nama}" if obj.induk_id else obj.nama


class PilihKlasterForm(forms.Form):
    """First step of a create form when the user works in more than one klaster."""

    klaster = forms.ModelChoiceField(label=_("Klaster"), queryset=Klaster.objects.none())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["klaster"].queryset = Klaster.objects.visible_to(user).order_by("nama")
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.add_input(TombolUtama("lanjut", _("Lanjut")))

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


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


def tambah_galat_service(form, error) -> None:
    """Put a service's ValidationError on the form: on its field when the form has one."""
    if hasattr(error, "error_dict"):
        for nama_field, pesan in error.message_dict.items():
            form.add_error(nama_field if nama_field in form.fields else None, pesan)
    else:
        form.add_error(None, error)

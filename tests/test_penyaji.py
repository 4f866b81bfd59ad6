"""klaster/penyaji.py writes a <select> exactly as Django's templates do, byte for byte."""

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from klaster.models import Klaster
from klaster.penyaji import Penyaji
from klaster.tests.factories import KlasterFactory

PILIHAN = [
    ("", "---------"),
    ("1", "Lebak & <Banten>"),
    ("2", 'Kutip "ganda"'),
    ("Grup", [("3", "Satu"), ("4", "Dua")]),
    (5, "Angka"),
    ("6", mark_safe("<b>aman</b>")),  # noqa: S308 # nosec B308 B703 (safe text: as it is)
    ("7", gettext_lazy("Semua")),  # a lazy label, translated when written
    ("8", "Petik 'tunggal'"),
]


class Contoh(forms.Form):
    biasa = forms.ChoiceField(choices=PILIHAN, required=False)
    wajib = forms.ChoiceField(choices=PILIHAN)
    banyak = forms.MultipleChoiceField(choices=PILIHAN, required=False)
    mati = forms.ChoiceField(choices=PILIHAN, disabled=True, required=False)
    atribut = forms.ChoiceField(
        choices=PILIHAN,
        widget=forms.Select(attrs={"class": "form-select x'y", "data-a": "<b>", "hidden": True}),
    )
    klaster = forms.ModelChoiceField(queryset=Klaster.objects.order_by("nama"), required=False)


@pytest.mark.parametrize(
    "data",
    [
        None,
        {"biasa": "1", "wajib": "3", "banyak": ["2", "4"], "atribut": "5", "klaster": ""},
        {"biasa": "tidak-ada", "wajib": "", "banyak": ["9"]},
    ],
)
@pytest.mark.django_db
def test_every_select_is_written_as_djangos_templates_write_it(data):
    KlasterFactory(nama="Klaster <A>")
    KlasterFactory(nama="Klaster B")
    form = Contoh(data)
    form.is_valid()
    ditulis = 0
    for field in form:
        kami = field.as_widget()  # settings.FORM_RENDERER: Penyaji
        assert isinstance(form.renderer, Penyaji)
        field.form.renderer = DjangoTemplates()
        django = field.as_widget()
        field.form.renderer = Penyaji()
        assert str(kami) == str(django), field.name
        ditulis += "<select" in kami
    assert ditulis == len(form.fields)


def test_an_option_with_its_own_template_is_left_to_django():
    class Opsi(forms.Select):
        option_template_name = "django/forms/widgets/input_option.html"

    html = forms.ChoiceField(choices=[("1", "Satu")], widget=Opsi).widget.render(
        "x", "1", renderer=Penyaji()
    )
    assert "<input" in html

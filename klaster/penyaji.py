"""The form renderer (settings.FORM_RENDERER): Django's, with <select> written in Python.

Django renders a select through one template include per option. A national manager's
filters list a thousand klaster (and their revolving funds): those options alone took about
100 ms of every list page at 1000x (issue 18). `Penyaji` writes exactly what Django's
select.html, select_option.html and attrs.html write (tests/test_penyaji.py compares the two
byte for byte) and leaves every other template, and any select whose options use another
template, to Django.
"""

from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

SELECT = "django/forms/widgets/select.html"
OPSI = "django/forms/widgets/select_option.html"


def _atribut(attrs) -> str:
    # django/forms/widgets/attrs.html
    bagian = []
    for nama, nilai in attrs.items():
        if nilai is False:
            continue
        if nilai is True:
            bagian.append(f" {conditional_escape(nama)}")
        else:
            bagian.append(f' {conditional_escape(nama)}="{conditional_escape(str(nilai))}"')
    return "".join(bagian)


def tulis_select(widget) -> str:
    """select.html for the context's `widget` (its name, attrs and optgroups)."""
    bagian = [f'<select name="{conditional_escape(widget["name"])}"{_atribut(widget["attrs"])}>']
    for nama_grup, pilihan, _indeks in widget["optgroups"]:
        if nama_grup:
            bagian.append(f'\n  <optgroup label="{conditional_escape(nama_grup)}">')
        for o in pilihan:
            bagian.append(
                f'\n  <option value="{conditional_escape(str(o["value"]))}"'
                f"{_atribut(o['attrs'])}>{conditional_escape(o['label'])}</option>\n"
            )
        if nama_grup:
            bagian.append("\n  </optgroup>")
    bagian.append("\n</select>")
    return mark_safe("".join(bagian))  # noqa: S308 -- every value above is escaped


class Penyaji(DjangoTemplates):
    def render(self, template_name, context, request=None):
        if template_name == SELECT and all(
            o["template_name"] == OPSI
            for _g, pilihan, _i in context["widget"]["optgroups"]
            for o in pilihan
        ):
            return tulis_select(context["widget"])
        return super().render(template_name, context, request)

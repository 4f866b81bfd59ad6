"""The form renderer (settings.FORM_RENDERER): Django's, with <select> written in Python.

Django renders a select through one template include per option. A national manager's
filters list a thousand klaster (and their revolving funds): those options alone took about
100 ms of every list page at 1000x (issue 18). `Penyaji` writes exactly what Django's
select.html, select_option.html and attrs.html write (tests/test_penyaji.py compares the two
byte for byte) and leaves every other template, and any select whose options use another
template, to Django.
"""

import html

from django.forms.renderers import DjangoTemplates
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

SELECT = "django/forms/widgets/select.html"
OPSI = "django/forms/widgets/select_option.html"


def _atribut(attrs):
    # django/forms/widgets/attrs.html
    return format_html_join(
        "",
        "{}",
        (
            (
                format_html(" {}", nama)
                if nilai is True
                else format_html(' {}="{}"', nama, str(nilai)),
            )
            for nama, nilai in attrs.items()
            if nilai is not False
        ),
    )


def _teks(nilai) -> str:
    # format_html's escaping of one value (conditional_escape): safe text stays as it is
    return nilai.__html__() if hasattr(nilai, "__html__") else html.escape(str(nilai))


def _opsi(o) -> str:
    # select_option.html; the attributes of nearly every option are none or `selected`,
    # written directly (a thousand options per select at national scale)
    attrs = o["attrs"]
    if not attrs:
        atribut = ""
    elif attrs == {"selected": True}:
        atribut = " selected"
    else:
        atribut = _atribut(attrs)
    return f'\n  <option value="{_teks(str(o["value"]))}"{atribut}>{_teks(o["label"])}</option>\n'


def _grup(nama_grup, pilihan):
    # every part of the options is escaped in _opsi
    opsi = mark_safe("".join(_opsi(o) for o in pilihan))  # noqa: S308 # nosec B308 B703
    if nama_grup:
        return format_html('\n  <optgroup label="{}">{}\n  </optgroup>', nama_grup, opsi)
    return opsi


def tulis_select(widget):
    """select.html for the context's `widget` (its name, attrs and optgroups); every value
    escaped by format_html."""
    isi = format_html_join(
        "", "{}", ((_grup(g, pilihan),) for g, pilihan, _i in widget["optgroups"])
    )
    return format_html(
        '<select name="{}"{}>{}\n</select>', widget["name"], _atribut(widget["attrs"]), isi
    )


class Penyaji(DjangoTemplates):
    def render(self, template_name, context, request=None):
        if template_name == SELECT and all(
            o["template_name"] == OPSI
            for _g, pilihan, _i in context["widget"]["optgroups"]
            for o in pilihan
        ):
            return tulis_select(context["widget"])
        return super().render(template_name, context, request)

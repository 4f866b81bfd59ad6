"""Odd query values in the Django admin are refused, not a server error (issue 14 item 8).

Django's changelist turns most wrong query values into its "?e=1" page, but lets a few
through to a 500: a year beyond what `datetime` holds in a date_hierarchy (`?tanggal__year=
99999999999999999999`), a date filter at year 1 on a DateTimeField in a time zone east of
UTC (axes' logs). django-import-export's export page reads every query parameter as a
changelist filter and fails on one that is not (`/admin/mitra/mitra/export/?format=1`).

These live in libraries, not in our admin classes, so one wrapper is put around every
registered admin class (ours, django-axes', auth's) when the URLconf is loaded.
"""

from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from import_export.admin import ExportMixin


class ChangeListAmanMixin:
    def get_changelist_instance(self, request):
        try:
            return super().get_changelist_instance(request)
        except (OverflowError, ValueError) as exc:
            # the changelist view answers IncorrectLookupParameters with its "?e=1" page
            raise IncorrectLookupParameters(exc) from exc


class EksporAmanMixin(ChangeListAmanMixin):
    def export_action(self, request):
        try:
            return super().export_action(request)
        except (IncorrectLookupParameters, OverflowError, ValueError):
            messages.error(
                request,
                _(
                    "Alamat ekspor ini membawa saringan yang tidak dikenal. Pilih saringan di "
                    "daftar ini, lalu tekan Ekspor lagi."
                ),
            )
            opts = self.model._meta
            return redirect(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))


def amankan(site: admin.AdminSite) -> None:
    """Wrap every admin class registered on `site` (once; safe to call again)."""
    for model, model_admin in list(site._registry.items()):
        kelas = type(model_admin)
        if issubclass(kelas, ChangeListAmanMixin):
            continue
        mixin = EksporAmanMixin if issubclass(kelas, ExportMixin) else ChangeListAmanMixin
        site.unregister(model)
        site.register(model, type(kelas.__name__, (mixin, kelas), {}))

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from api import services
from api.models import TokenApi


@admin.register(TokenApi)
class TokenApiAdmin(admin.ModelAdmin):
    """Who holds which token, and a way to revoke one (a lost phone, a person who left).
    Tokens are made by their owners on the account page: the secret is never here."""

    list_display = ["nama", "pengguna", "awalan", "dibuat", "terakhir_dipakai", "dicabut"]
    list_filter = [("dicabut", admin.EmptyFieldListFilter)]
    search_fields = ["nama", "pengguna__username", "awalan"]
    list_select_related = ["pengguna"]
    readonly_fields = ["pengguna", "nama", "awalan", "dibuat", "terakhir_dipakai", "dicabut"]
    fields = readonly_fields
    actions = ["cabut"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Cabut token yang dipilih"))
    def cabut(self, request, queryset):
        n = services.token_cabut_oleh_admin(tokens=queryset)
        self.message_user(
            request,
            ngettext("%(n)d token dicabut.", "%(n)d token dicabut.", n) % {"n": n},
            messages.SUCCESS,
        )

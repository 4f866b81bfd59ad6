from django.utils.translation import gettext_lazy as _
from rest_framework.pagination import CursorPagination


class HalamanKursor(CursorPagination):
    """Cursor pagination: stable pages while rows are being added (a facilitator's visits
    arrive all day), and no COUNT over a national table."""

    ordering = "pk"
    page_size_query_param = "ukuran"
    max_page_size = 500
    cursor_query_description = _("Kursor halaman berikutnya/sebelumnya (dari `next`/`previous`).")
    page_size_query_description = _("Jumlah baris per halaman (paling banyak 500).")
    invalid_cursor_message = _("Kursor halaman tidak sah; mulai lagi dari halaman pertama.")

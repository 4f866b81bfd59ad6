"""The KoboToolbox / ODK bridge's two doors: the XLSForm of a kelompok (linked from its page)
and the endpoint Kobo's REST Service posts each submission to."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.parsers import JSONParser
from rest_framework.response import Response
from rest_framework.views import APIView

from api import kobo
from api.bahasa import BahasaApiMixin
from api.galat import detail_dari
from api.views import catat_kunjungan
from klaster import akses
from kunjungan import selectors as kunjungan_selectors

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class _BerkasSaja(BaseContentNegotiation):
    """A file download answers whatever the Accept header says (errors stay JSON)."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class KoboXlsformView(BahasaApiMixin, APIView):
    content_negotiation_class = _BerkasSaja

    @extend_schema(
        summary=_("XLSForm kunjungan sebuah kelompok (untuk KoboToolbox/ODK)"),
        description=_(
            "Unggah berkas ini sebagai formulir baru di KoboToolbox, lalu arahkan REST "
            "Service formulir itu ke /api/kobo/kiriman/. Unduh lagi bila anggota berubah."
        ),
        responses={(200, XLSX): OpenApiResponse(OpenApiTypes.BINARY)},
    )
    def get(self, request, pk):
        akses.require_petugas(request.user)  # as the meeting screen
        rapat = kunjungan_selectors.kelompok_dan_anggota(request.user, pk)
        if rapat is None:
            raise Http404
        kelompok, anggota = rapat
        akses.require_petugas_di(request.user, kelompok.klaster_id)
        kunjungan_selectors.tambah_pinjaman(anggota, per_tanggal=timezone.localdate())
        response = HttpResponse(kobo.xlsform(kelompok, anggota), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="{kobo.nama_berkas(kelompok)}"'
        return response


class KoboKirimanView(BahasaApiMixin, APIView):
    # Kobo's REST Service posts JSON; its "Custom HTTP Headers" carry the token
    parser_classes = [JSONParser]

    @extend_schema(
        summary=_("Terima kiriman REST Service KoboToolbox"),
        description=_(
            "Satu kiriman formulir kunjungan (JSON seperti dikirim Kobo) menjadi satu "
            "kunjungan lewat layanan layar pertemuan. Uuid kiriman menjadi uuid kunjungan: "
            "kiriman ulang menjawab 200 tanpa mencatat lagi. Pasang token di Custom HTTP "
            "Headers REST Service: Authorization: Token km_…"
        ),
        request=OpenApiTypes.OBJECT,
        responses={
            201: inline_serializer(
                "KoboTercatat",
                {
                    "kunjungan": serializers.IntegerField(),
                    "uuid": serializers.UUIDField(),
                    "baru": serializers.BooleanField(),
                },
            )
        },
    )
    def post(self, request):
        akses.require_petugas(request.user)  # as the meeting screen
        kelompok_pk, data = kobo.baca_kiriman(request.data)
        try:
            kunjungan, baru = catat_kunjungan(request.user, kelompok_pk, data)
        except DjangoValidationError as e:
            # the service names the meeting screen's fields; answer with the form's names
            galat = detail_dari(e)
            raise ValidationError({kobo.nama_field_kobo(k): v for k, v in galat.items()}) from e
        return Response(
            {"kunjungan": kunjungan.pk, "uuid": str(kunjungan.uuid), "baru": baru},
            status=status.HTTP_201_CREATED if baru else status.HTTP_200_OK,
        )

"""The REST API: thin views, like the web's.

Each endpoint reads through `Model.objects.visible_to(user)` (a record outside the user's
scope answers 404, never 403), checks the role with the same klaster.akses call as the web
page it mirrors, reads through the same selectors and writes through the same services. A
record named in a request body that lies outside the scope is a 404 too, as on the web,
where it is part of the URL.
"""

from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from api import laporan
from api import serializers as s
from api.bahasa import BahasaApiMixin
from api.saringan import AngsuranFilter, PengukuranFilter, SaringanWeb, per_tanggal_dari
from bantuan import selectors as bantuan_selectors
from bantuan.filters import BantuanFilter
from bantuan.models import Angsuran, Bantuan
from kelompok import selectors as kelompok_selectors
from kelompok.filters import KelompokFilter
from kelompok.models import Kelompok
from klaster import akses
from klaster.models import Klaster, Wilayah
from kunjungan import selectors as kunjungan_selectors
from kunjungan import services as kunjungan_services
from kunjungan.forms import KunjunganFilter
from kunjungan.models import Kunjungan
from mitra import selectors as mitra_selectors
from mitra import services as mitra_services
from mitra.filters import MitraFilter
from mitra.models import Mitra, PengukuranPendapatan

PARAM_PER_TANGGAL = OpenApiParameter(
    "per_tanggal",
    OpenApiTypes.DATE,
    description=_("Tanggal posisi pinjaman (TTTT-BB-HH); tanpa parameter ini: hari ini."),
)


class DasarViewSet(BahasaApiMixin, viewsets.GenericViewSet):
    """Signed in (token or session); the roles of the web pages this endpoint mirrors:
    a list of the programme's data needs a role in some klaster (akses.require_petugas),
    one record a role in its klaster (akses.require_petugas_di), checked after the scope
    (so an outsider gets 404 before anything else). The web list pages' filters on `list`."""

    filter_backends = [SaringanWeb]
    # False: only signed in, as the klaster pages
    perlu_peran = True

    def saringan_kwargs(self) -> dict:
        return {"user": self.request.user}

    def filter_queryset(self, queryset):
        # only a list is filtered: a detail or a write builds no FilterSet (its choices
        # would cost queries for nothing)
        if self.action != "list":
            return queryset
        return super().filter_queryset(queryset)

    def klaster_dari(self, obj) -> int:
        """The klaster a record belongs to (its role is checked there)."""
        return obj.klaster_id

    def cek_peran_objek(self, obj) -> None:
        if self.perlu_peran:
            akses.require_petugas_di(self.request.user, self.klaster_dari(obj))

    def get_object(self):
        obj = super().get_object()  # 404 outside the scope
        self.cek_peran_objek(obj)
        return obj

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)  # signed in, within the rate
        if self.perlu_peran and self.action == "list":
            akses.require_petugas(request.user)

    def _tercipta(self, data, nama_url: str, pk) -> Response:
        lokasi = reverse(f"api:{nama_url}-detail", args=[pk])
        return Response(data, status=status.HTTP_201_CREATED, headers={"Location": lokasi})


@extend_schema_view(
    list=extend_schema(summary=_("Klaster yang dapat Anda lihat")),
    retrieve=extend_schema(summary=_("Satu klaster")),
)
class KlasterViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, DasarViewSet):
    serializer_class = s.KlasterSerializer
    filter_backends = []
    perlu_peran = False  # as the klaster list and page

    def get_queryset(self):
        return (
            Klaster.objects.visible_to(self.request.user)
            .select_related("kabupaten")
            .prefetch_related("kecamatan")
        )


@extend_schema_view(
    list=extend_schema(summary=_("Kelompok (saringan halaman daftar kelompok)")),
    retrieve=extend_schema(summary=_("Satu kelompok")),
)
class KelompokViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, DasarViewSet):
    serializer_class = s.KelompokSerializer
    filterset_class = KelompokFilter

    def get_queryset(self):
        return kelompok_selectors.kelompok_daftar(self.request.user)


@extend_schema_view(
    list=extend_schema(
        summary=_("Mitra (saringan halaman daftar mitra)"),
        description=_("NIK dan telepon disamarkan, seperti di daftar mitra pada web."),
    ),
    retrieve=extend_schema(
        summary=_("Satu mitra"),
        description=_("NIK dan telepon lengkap, seperti di halaman mitra pada web."),
    ),
)
class MitraViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, DasarViewSet
):
    filterset_class = MitraFilter

    def get_queryset(self):
        if self.action == "list":
            return mitra_selectors.mitra_daftar(self.request.user)
        return mitra_selectors.mitra_untuk_detail(self.request.user)

    def get_serializer_class(self):
        if self.action == "list":
            return s.MitraSerializer
        if self.action == "create":
            return s.MitraTulisSerializer
        return s.MitraDetailSerializer

    @extend_schema(
        summary=_("Daftarkan mitra"),
        description=_(
            "Aturan dan pesan NIK sama dengan formulir web (mitra.services.mitra_buat). Bila "
            "tanggal lahir atau jenis kelamin berbeda dengan NIK, jawaban 400 memuat field "
            "konfirmasi_beda_nik: periksa data, lalu kirim lagi dengan konfirmasi_beda_nik "
            "true."
        ),
        request=s.MitraTulisSerializer,
        responses={201: s.MitraDetailSerializer},
    )
    def create(self, request, *args, **kwargs):
        akses.require_petugas(request.user)
        masukan = s.MitraTulisSerializer(data=request.data)
        masukan.is_valid(raise_exception=True)
        data = dict(masukan.validated_data)
        user = request.user
        kelompok_pk, klaster_pk = data.pop("kelompok"), data.pop("klaster")
        kelompok = klaster = None
        if kelompok_pk is not None:
            kelompok = get_object_or_404(
                Kelompok.objects.visible_to(user).select_related("klaster"), pk=kelompok_pk
            )
        elif klaster_pk is not None:
            klaster = akses.get_visible_or_404(Klaster, user, pk=klaster_pk)
        else:
            # as the web form: the user's only klaster, when there is one
            pilihan = list(Klaster.objects.visible_to(user).order_by("pk")[:2])
            klaster = pilihan[0] if len(pilihan) == 1 else None
        desa = Wilayah.objects.filter(pk=data.pop("desa"), tingkat=Wilayah.Tingkat.DESA).first()
        if desa is None:
            raise ValidationError(
                {
                    "desa": [
                        _("Kode desa tidak dikenal. Tulis kode Kemendagri, misalnya 36.02.06.2002.")
                    ]
                }
            )
        konfirmasi = data.pop("konfirmasi_beda_nik")
        try:
            mitra = mitra_services.mitra_buat(
                oleh=user,
                klaster=klaster,
                kelompok=kelompok,
                desa=desa,
                konfirmasi_beda_nik=konfirmasi,
                **data,
            )
        except mitra_services.NikBedaDenganData as e:
            raise ValidationError({"konfirmasi_beda_nik": e.messages}) from e
        mitra = mitra_selectors.mitra_untuk_detail(user).get(pk=mitra.pk)
        return self._tercipta(s.MitraDetailSerializer(mitra).data, "mitra", mitra.pk)


@extend_schema_view(
    list=extend_schema(
        summary=_("Bantuan dengan posisi per tanggal (saringan halaman daftar bantuan)"),
        parameters=[PARAM_PER_TANGGAL],
    ),
    retrieve=extend_schema(
        summary=_("Satu bantuan dengan jadwal angsuran dan posisi per tanggal"),
        parameters=[PARAM_PER_TANGGAL],
    ),
)
class BantuanViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, DasarViewSet):
    filterset_class = BantuanFilter

    @cached_property
    def per_tanggal(self):
        """?per_tanggal= (a bad one is a 400), today without it."""
        return per_tanggal_dari(self.request)

    def saringan_kwargs(self) -> dict:
        return {"user": self.request.user, "per_tanggal": self.per_tanggal}

    def get_queryset(self):
        qs = Bantuan.objects.visible_to(self.request.user).select_related(
            "mitra", "kelompok", "sumber_dana"
        )
        if self.action == "retrieve":
            qs = bantuan_selectors.anotasi_posisi(qs, per_tanggal=self.per_tanggal)
        return qs

    def get_serializer_class(self):
        return s.BantuanDetailSerializer if self.action == "retrieve" else s.BantuanSerializer

    def list(self, request, *args, **kwargs):
        d = self.per_tanggal
        qs = bantuan_selectors.anotasi_posisi(
            self.filter_queryset(self.get_queryset()), per_tanggal=d
        )
        halaman = bantuan_selectors.tambah_hari_tunggakan(self.paginate_queryset(qs), per_tanggal=d)
        data = s.BantuanSerializer(halaman, many=True, context={"per_tanggal": d}).data
        return self.get_paginated_response(data)

    def retrieve(self, request, *args, **kwargs):
        d = self.per_tanggal
        bantuan = self.get_object()
        bantuan_selectors.tambah_hari_tunggakan([bantuan], per_tanggal=d)
        jadwal = bantuan_selectors.jadwal_dengan_status(bantuan, per_tanggal=d)["baris"]
        konteks = {"per_tanggal": d, "jadwal": jadwal}
        return Response(s.BantuanDetailSerializer(bantuan, context=konteks).data)


@extend_schema_view(
    list=extend_schema(summary=_("Angsuran (termasuk entri koreksi)")),
    retrieve=extend_schema(summary=_("Satu angsuran")),
)
class AngsuranViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, DasarViewSet):
    serializer_class = s.AngsuranSerializer
    filterset_class = AngsuranFilter

    def saringan_kwargs(self) -> dict:
        return {}

    def get_queryset(self):
        return Angsuran.objects.visible_to(self.request.user).select_related(
            "kunjungan_link", "bantuan"
        )

    def klaster_dari(self, obj) -> int:
        return obj.bantuan.klaster_id


@extend_schema_view(
    list=extend_schema(summary=_("Pengukuran pendapatan")),
    retrieve=extend_schema(summary=_("Satu pengukuran pendapatan")),
)
class PengukuranViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, DasarViewSet
):
    filterset_class = PengukuranFilter

    def saringan_kwargs(self) -> dict:
        return {}

    def get_queryset(self):
        return PengukuranPendapatan.objects.visible_to(self.request.user).select_related(
            "kunjungan_link", "mitra"
        )

    def klaster_dari(self, obj) -> int:
        return obj.mitra.klaster_id

    def get_serializer_class(self):
        return s.PengukuranTulisSerializer if self.action == "create" else s.PengukuranSerializer

    @extend_schema(
        summary=_("Catat pengukuran pendapatan (di luar kunjungan)"),
        request=s.PengukuranTulisSerializer,
        responses={201: s.PengukuranSerializer},
    )
    def create(self, request, *args, **kwargs):
        akses.require_petugas(request.user)
        masukan = s.PengukuranTulisSerializer(data=request.data)
        masukan.is_valid(raise_exception=True)
        data = dict(masukan.validated_data)
        mitra = akses.get_visible_or_404(Mitra, request.user, pk=data.pop("mitra"))
        pengukuran = mitra_services.pengukuran_catat(oleh=request.user, mitra=mitra, **data)
        return self._tercipta(s.PengukuranSerializer(pengukuran).data, "pengukuran", pengukuran.pk)


@extend_schema_view(
    list=extend_schema(summary=_("Kunjungan (saringan halaman riwayat kunjungan)")),
    retrieve=extend_schema(summary=_("Satu kunjungan dengan kehadiran, pengukuran, angsuran")),
)
class KunjunganViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, DasarViewSet
):
    filterset_class = KunjunganFilter

    def saringan_kwargs(self) -> dict:
        user = self.request.user
        return {
            "kelompok_qs": Kelompok.objects.visible_to(user).order_by("kode"),
            "fasilitator_qs": kunjungan_selectors.fasilitator_pilihan(user),
        }

    def get_queryset(self):
        hadir = Prefetch("hadir", queryset=Mitra.objects.only("pk").order_by("pk"))
        if self.action == "list":
            return kunjungan_selectors.kunjungan_list(self.request.user).prefetch_related(hadir)
        return Kunjungan.objects.visible_to(self.request.user).prefetch_related(hadir)

    def get_serializer_class(self):
        if self.action == "list":
            return s.KunjunganSerializer
        if self.action == "create":
            return s.KunjunganTulisSerializer
        return s.KunjunganDetailSerializer

    def retrieve(self, request, *args, **kwargs):
        kunjungan = self.get_object()
        return Response(self._detail(kunjungan))

    @staticmethod
    def _detail(kunjungan) -> dict:
        isi = kunjungan_selectors.kunjungan_detail(kunjungan)
        return s.KunjunganDetailSerializer(kunjungan, context={"isi": isi}).data

    @extend_schema(
        summary=_("Catat kunjungan: kehadiran, pengukuran pendapatan, angsuran"),
        description=_(
            "Layanan yang sama dengan layar pertemuan (kunjungan.services.kunjungan_catat), "
            "satu transaksi. Kiriman ulang dengan uuid yang sama menjawab 200 dengan "
            "kunjungan yang sudah tercatat, tanpa mencatat lagi. Galat per anggota memakai "
            "field `pendapatan_<id mitra>` dan `angsuran_<id mitra>`."
        ),
        request=s.KunjunganTulisSerializer,
        responses={201: s.KunjunganDetailSerializer, 200: s.KunjunganDetailSerializer},
    )
    def create(self, request, *args, **kwargs):
        akses.require_petugas(request.user)  # as the meeting screen
        masukan = s.KunjunganTulisSerializer(data=request.data)
        masukan.is_valid(raise_exception=True)
        kunjungan, baru = catat_kunjungan(
            request.user, masukan.validated_data["kelompok"], masukan.data_layanan()
        )
        data = self._detail(kunjungan)
        if not baru:
            return Response(data, status=status.HTTP_200_OK)
        return self._tercipta(data, "kunjungan", kunjungan.pk)


def catat_kunjungan(user, kelompok_pk: int, data: dict) -> tuple[Kunjungan, bool]:
    """A visit through the meeting screen's service, for a kelompok in the user's scope
    (404 otherwise). Returns the visit and whether this request recorded it (False: the
    uuid was recorded before, and the visit is returned as it is)."""
    rapat = kunjungan_selectors.kelompok_dan_anggota(user, kelompok_pk)
    if rapat is None:
        raise Http404
    kelompok, anggota = rapat
    akses.require_petugas_di(user, kelompok.klaster_id)
    sudah = Kunjungan.objects.filter(uuid=data["uuid"]).exists()
    kunjungan = kunjungan_services.kunjungan_catat(
        oleh=user, kelompok=kelompok, anggota=anggota, **data
    )
    return kunjungan, not sudah


class LaporanDampakView(BahasaApiMixin, APIView):
    """The impact report's figures as JSON: the page's parameters, scope and figures."""

    @extend_schema(
        summary=_("Angka laporan dampak"),
        description=_(
            "Angka yang sama dengan halaman /laporan/dampak/ untuk parameter yang sama "
            "(klaster, kelompok, dari, sampai, per_tanggal, sektor, desa, jenis_kelamin). "
            "Uang sebagai teks desimal, tanggal ISO 8601."
        ),
        parameters=[
            OpenApiParameter("klaster", OpenApiTypes.INT),
            OpenApiParameter("kelompok", OpenApiTypes.INT),
            OpenApiParameter("dari", OpenApiTypes.DATE),
            OpenApiParameter("sampai", OpenApiTypes.DATE),
            OpenApiParameter("per_tanggal", OpenApiTypes.DATE),
            OpenApiParameter("sektor", OpenApiTypes.STR),
            OpenApiParameter("desa", OpenApiTypes.STR),
            OpenApiParameter("jenis_kelamin", OpenApiTypes.STR),
        ],
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request):
        return Response(laporan.angka_dampak(request))

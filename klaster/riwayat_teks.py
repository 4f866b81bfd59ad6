"""A change history people can read (django-simple-history rows, any tracked model): field
labels instead of names, the related record's name instead of its id, money and dates
formatted, internal fields (ids, the device's uuid, timestamps, figures the services keep)
left out. Used by the managers' history page and the loan's "Riwayat perubahan"."""

from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from klaster.format import format_rupiah, format_tanggal

# keys, the device's uuid and the row's own timestamps: nothing a reader acts on
TIDAK_DITAMPILKAN = {"id", "uuid", "dibuat", "diubah"}


@dataclass
class Perubahan:
    label: str
    lama: str
    baru: str


def bidang(model_riwayat) -> list:
    """The fields of a history model worth showing: not the history's own, not internal,
    not the figures a service keeps on the row (not editable in any form)."""
    asal = getattr(model_riwayat, "instance_type", None)
    tersimpan = {f.name for f in asal._meta.fields if not f.editable} if asal else set()
    return [
        f
        for f in model_riwayat._meta.fields
        if not f.name.startswith("history_")
        and f.name not in TIDAK_DITAMPILKAN
        and f.name not in tersimpan
    ]


def _nama(obj) -> str:
    """A person by full name (or username), a loan by its number, a group by code and
    name, a region or a fund by its name: read from the row's own fields, as a str() that
    follows other relations would cost a query per record."""
    if hasattr(obj, "get_full_name"):
        return obj.get_full_name() or obj.get_username()
    nomor, kode, nama = (getattr(obj, a, None) for a in ("nomor", "kode", "nama"))
    if nomor:
        return str(nomor)
    if kode and nama and "." not in str(kode) and not str(nama).startswith(str(kode)):
        return f"{kode} {nama}"
    return str(nama or obj)


def kunci_asing(model_riwayat) -> list[str]:
    """The foreign keys shown: select_related() them with the history rows so that
    nama_terkait names them without a query of its own."""
    return [f.name for f in bidang(model_riwayat) if f.is_relation and f.many_to_one]


def nama_terkait(baris) -> dict[tuple[type, object], str]:
    """{(model, pk): name} for every foreign key value on these history rows: read from the
    related objects fetched with the rows (kunci_asing), else one query per related model,
    whatever the number of rows."""
    nama: dict[tuple[type, object], str] = {}
    ids: dict[type, set] = {}
    for h in baris:
        for f in bidang(type(h)):
            if not (f.is_relation and f.related_model is not None):
                continue
            nilai = getattr(h, f.attname)
            if nilai is None:
                continue
            if f.is_cached(h):
                obj = getattr(h, f.name)
                if obj is not None:
                    nama[(f.related_model, nilai)] = _nama(obj)
                continue
            ids.setdefault(f.related_model, set()).add(nilai)
    for model, pk in ids.items():
        for obj in model._default_manager.filter(pk__in=pk - {k for m, k in nama if m is model}):
            nama[(model, obj.pk)] = _nama(obj)
    return nama


def nilai_terbaca(f, nilai, nama=None, samaran=None) -> str:
    if nilai is None or nilai == "":
        return "—"
    if samaran and f.name in samaran:
        return samaran[f.name](str(nilai))
    if f.choices:
        return str(dict(f.flatchoices).get(nilai, nilai))
    if isinstance(nilai, bool):
        return str(_("Ya") if nilai else _("Tidak"))
    if isinstance(nilai, Decimal) and f.decimal_places == 2:
        return format_rupiah(nilai)
    if f.is_relation:
        return (nama or {}).get((f.related_model, nilai), _("(tidak ditemukan)"))
    if f.get_internal_type() == "DateTimeField":
        return format_tanggal(timezone.localtime(nilai))
    if f.get_internal_type() == "DateField":
        return format_tanggal(nilai)
    return str(nilai)


def beda(baru, lama, nama=None, samaran=None) -> list[Perubahan]:
    """What changed from `lama` (None: the record was created) to `baru`."""
    hasil = []
    for f in bidang(type(baru)):
        nilai_baru = getattr(baru, f.attname)
        nilai_lama = getattr(lama, f.attname) if lama is not None else None
        if lama is None and nilai_baru in (None, ""):
            continue
        if lama is not None and nilai_baru == nilai_lama:
            continue
        hasil.append(
            Perubahan(
                label=str(f.verbose_name),
                lama="" if lama is None else nilai_terbaca(f, nilai_lama, nama, samaran),
                baru=nilai_terbaca(f, nilai_baru, nama, samaran),
            )
        )
    return hasil

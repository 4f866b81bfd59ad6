"""Who changed what and when (django-simple-history), for the managers' history page.

Five history tables (mitra, kelompok, bantuan, angsuran, kunjungan) are read as one list:
a UNION of (history_id, history_date, sumber) rows, scoped to the user's klaster, ordered
and paginated in the database. Then, per table present on the page, one query fetches the
page's rows with their user and the id of each row's previous version (a subquery), and one
fetches those previous versions, with the related records they name (joined: no query of
their own, klaster/riwayat_teks.py): at most 2 + 2×5 queries, whatever the history's size.
"""

from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.db.models import CharField, OuterRef, Subquery, Value
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from bantuan.models import Angsuran, Bantuan
from kelompok.models import Kelompok
from klaster import riwayat_teks
from klaster.format import format_tanggal
from klaster.models import Klaster
from kunjungan.models import Kunjungan
from mitra.models import Mitra, samarkan_nik, samarkan_telepon

# key → (model, path from the history row to its klaster, how a row is named)
SUMBER = {
    "mitra": (Mitra, "klaster", lambda h: h.nama),
    "kelompok": (Kelompok, "klaster", lambda h: f"{h.kode} {h.nama}"),
    "bantuan": (Bantuan, "klaster", lambda h: h.nomor),
    "angsuran": (
        Angsuran,
        "bantuan__klaster",
        lambda h: f"{h.bantuan.nomor if h.bantuan else h.bantuan_id} · {format_tanggal(h.tanggal)}",
    ),
    "kunjungan": (
        Kunjungan,
        "klaster",
        lambda h: f"{format_tanggal(h.tanggal)} · {h.get_jenis_kegiatan_display()}",
    ),
}
# lazy: the names are read in the language of the page that shows them
PILIHAN_SUMBER = [
    (kunci, capfirst(model._meta.verbose_name)) for kunci, (model, *_r) in SUMBER.items()
]
JUDUL_TINDAKAN = {"+": _("dibuat"), "~": _("diubah"), "-": _("dihapus")}

# personal data stays masked here too: this list is not a mitra's detail page
SAMARAN = {"nik": samarkan_nik, "telepon": samarkan_telepon}


@dataclass
class Entri:
    sumber: str
    jenis: str
    nama_objek: str
    objek_id: int
    waktu: object
    pengguna: object
    tindakan: str
    perubahan: list[riwayat_teks.Perubahan] = field(default_factory=list)


def riwayat_terlihat(user, *, sumber: str | None = None, pengguna_id: int | None = None):
    """UNION of (history_id, history_date, sumber) over the five tables, newest first."""
    klaster = Klaster.objects.visible_to(user).values("pk")
    bagian = []
    for kunci, (model, jalur, _nama) in SUMBER.items():
        if sumber and kunci != sumber:
            continue
        qs = model.history.filter(**{f"{jalur}__in": klaster})
        if pengguna_id:
            qs = qs.filter(history_user_id=pengguna_id)
        bagian.append(
            # .order_by(): no ORDER BY inside a UNION member (the history models have one)
            qs.order_by()
            .annotate(sumber=Value(kunci, output_field=CharField()))
            .values_list("history_id", "history_date", "sumber")
        )
    gabungan = bagian[0].union(*bagian[1:], all=True) if len(bagian) > 1 else bagian[0]
    return gabungan.order_by("-history_date", "-history_id")


def halaman_riwayat(user, *, nomor_halaman, sumber=None, pengguna_id=None, per_halaman=25):
    """A Page of the history, and its rows as Entri with their field changes."""
    halaman = Paginator(
        riwayat_terlihat(user, sumber=sumber, pengguna_id=pengguna_id), per_halaman
    ).get_page(nomor_halaman)
    baris = list(halaman.object_list)
    per_sumber: dict[str, list[int]] = {}
    for history_id, _waktu, kunci in baris:
        per_sumber.setdefault(kunci, []).append(history_id)

    rekaman = {}
    for kunci, ids in per_sumber.items():
        model, _jalur, nama = SUMBER[kunci]
        riwayat = model.history.model
        sebelumnya = (
            riwayat.objects.filter(id=OuterRef("id"), history_id__lt=OuterRef("history_id"))
            .order_by("-history_id")
            .values("history_id")[:1]
        )
        qs = (
            riwayat.objects.filter(history_id__in=ids)
            .select_related("history_user", *riwayat_teks.kunci_asing(riwayat))
            .annotate(id_sebelumnya=Subquery(sebelumnya))
        )
        baru = list(qs)
        lama = {
            h.history_id: h
            for h in riwayat.objects.filter(
                history_id__in=[h.id_sebelumnya for h in baru if h.id_sebelumnya]
            ).select_related(*riwayat_teks.kunci_asing(riwayat))
        }
        nama_fk = riwayat_teks.nama_terkait([*baru, *lama.values()])
        for h in baru:
            rekaman[(kunci, h.history_id)] = Entri(
                sumber=kunci,
                jenis=str(model._meta.verbose_name).capitalize(),
                nama_objek=nama(h),
                objek_id=h.id,
                waktu=h.history_date,
                pengguna=h.history_user,
                tindakan=str(JUDUL_TINDAKAN.get(h.history_type, h.history_type)),
                perubahan=[]
                if h.history_type == "-"
                else riwayat_teks.beda(h, lama.get(h.id_sebelumnya), nama_fk, SAMARAN),
            )
    entri = [rekaman[(kunci, hid)] for hid, _w, kunci in baris if (kunci, hid) in rekaman]
    return halaman, entri

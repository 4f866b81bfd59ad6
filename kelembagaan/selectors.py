"""Reads for the kelembagaan pages and the exit report: a lembaga's status from its
milestones, the cooperatives of a klaster with their legal numbers, and the stage gates'
checklist computed from the data as of a date."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bantuan import selectors as bantuan_selectors
from bantuan.models import Bantuan
from kelembagaan import aturan, tingkat
from kelembagaan.models import DokumenLembaga, RiwayatTahap, TonggakLembaga
from kelompok.models import Kelompok, Lembaga
from klaster.format import format_persen
from klaster.models import Klaster
from mitra.models import Mitra

J = TonggakLembaga.Jenis
T = Klaster.Tahap


class Status:
    """A lembaga's status, derived from its milestones as of a date (the latest step
    reached wins)."""

    RINTISAN = "rintisan"
    DIDIRIKAN = "didirikan"
    BERAKTA = "berakta"
    BERBADAN_HUKUM = "berbadan_hukum"
    BERIZIN = "berizin"

    LABEL = {
        RINTISAN: gettext_lazy("Rintisan (belum ada rapat pendirian)"),
        DIDIRIKAN: gettext_lazy("Didirikan (rapat pendirian)"),
        BERAKTA: gettext_lazy("Berakta notaris, menunggu pengesahan"),
        BERBADAN_HUKUM: gettext_lazy("Berbadan hukum"),
        BERIZIN: gettext_lazy("Berbadan hukum dan berizin usaha (NIB)"),
    }


def status_dari(tonggak, per_tanggal: datetime.date) -> str:
    """The status from milestones (objects with .jenis and .tanggal) dated on or before
    the date."""
    ada = {t.jenis for t in tonggak if t.tanggal <= per_tanggal}
    if J.PENGESAHAN in ada:
        return Status.BERIZIN if J.NIB in ada else Status.BERBADAN_HUKUM
    if J.AKTA_NOTARIS in ada:
        return Status.BERAKTA
    if J.RAPAT_PENDIRIAN in ada:
        return Status.DIDIRIKAN
    return Status.RINTISAN


@dataclass
class RingkasLembaga:
    lembaga: Lembaga
    status: str
    status_label: str
    tonggak: list
    kelompok: list
    jumlah_mitra: int  # active mitra of the member kelompok, as of the date
    rat_terakhir: TonggakLembaga | None
    tanggal_pengesahan: datetime.date | None
    nomor_pengesahan: str


def _mitra_aktif_pada(d: datetime.date) -> Q:
    """Mitra counted as members on a date: joined by then and not left by then."""
    return Q(anggota__tanggal_bergabung__lte=d) & (
        Q(anggota__tanggal_keluar__isnull=True) | Q(anggota__tanggal_keluar__gt=d)
    )


def lembaga_ringkas(lembaga_qs, *, per_tanggal: datetime.date) -> list[RingkasLembaga]:
    """Each lembaga with its milestones, member kelompok (with their active mitra as of the
    date) and status: three queries whatever the number of lembaga."""
    # three queries also when there is no lembaga (a prefetch would skip two): the pages'
    # query counts stay the same whatever the data
    semua = list(lembaga_qs.select_related("klaster"))
    ids = lembaga_qs.values("pk")
    tonggak_per = defaultdict(list)
    for t in TonggakLembaga.objects.filter(lembaga__in=ids).order_by("tanggal", "pk"):
        tonggak_per[t.lembaga_id].append(t)
    kelompok_per = defaultdict(list)
    for g in (
        Kelompok.objects.filter(lembaga__in=ids)
        .order_by("kode")
        .annotate(jumlah_mitra=Count("anggota", filter=_mitra_aktif_pada(per_tanggal)))
    ):
        kelompok_per[g.lembaga_id].append(g)
    hasil = []
    for lb in semua:
        tonggak = tonggak_per[lb.pk]
        sampai = [t for t in tonggak if t.tanggal <= per_tanggal]
        status = status_dari(tonggak, per_tanggal)
        rat = [t for t in sampai if t.jenis == J.RAT]
        pengesahan = next((t for t in sampai if t.jenis == J.PENGESAHAN), None)
        anggota = kelompok_per[lb.pk]
        hasil.append(
            RingkasLembaga(
                lembaga=lb,
                status=status,
                status_label=str(Status.LABEL[status]),
                tonggak=tonggak,
                kelompok=anggota,
                jumlah_mitra=sum(g.jumlah_mitra for g in anggota),
                rat_terakhir=max(rat, key=lambda t: t.tahun_buku) if rat else None,
                # the approval as recorded on the lembaga (the milestone keeps it there)
                tanggal_pengesahan=pengesahan.tanggal if pengesahan else None,
                nomor_pengesahan=pengesahan.nomor if pengesahan else "",
            )
        )
    return hasil


def lembaga_detail(lembaga: Lembaga, *, per_tanggal: datetime.date) -> dict:
    """The lembaga page: its summary and documents (four queries)."""
    ringkas = lembaga_ringkas(Lembaga.objects.filter(pk=lembaga.pk), per_tanggal=per_tanggal)[0]
    dokumen = list(
        DokumenLembaga.objects.filter(lembaga=lembaga).select_related("tonggak").order_by("pk")
    )
    return {"ringkas": ringkas, "dokumen": dokumen}


def tercatat(lembaga: Lembaga) -> tuple[dict, set]:
    """({jenis: tanggal} of the milestones other than RAT, {book years with a RAT})."""
    rows = list(TonggakLembaga.objects.filter(lembaga=lembaga).values_list("jenis", "tanggal",
                                                                           "tahun_buku"))  # fmt: skip
    return (
        {j: t for j, t, _th in rows if j != J.RAT},
        {th for j, _t, th in rows if j == J.RAT},
    )


# --- stage gates ------------------------------------------------------------------------


@dataclass
class Syarat:
    kode: str
    label: str
    terpenuhi: bool
    nilai: str  # what the data say, in words

    def untuk_json(self) -> dict:
        return {"kode": self.kode, "label": self.label, "terpenuhi": self.terpenuhi,
                "nilai": self.nilai}  # fmt: skip


SYARAT_PER_TAHAP = {
    T.PENGUATAN: ("kelompok_terbentuk", "par30"),
    T.PEMANDIRIAN: ("kelompok_terbentuk", "tingkat_kelompok", "koperasi_dibentuk", "par30"),
    T.SELESAI: ("tingkat_kelompok", "kelompok_berbadan_hukum", "par30"),
}


def _kelompok_aktif(klaster, d: datetime.date):
    return Kelompok.objects.filter(klaster=klaster, tanggal_dibentuk__lte=d).exclude(
        status=Kelompok.Status.TIDAK_AKTIF
    )


def syarat_tahap(klaster, ke: str, *, per_tanggal: datetime.date) -> list[Syarat]:
    """The checklist of the gate into stage `ke`, computed from the data as of the date.
    Queries: mitra (1), kelompok with their lembaga's approval (1), the assessment levels
    (program's), cooperatives (1), the portfolio (bantuan.selectors, the impact report's)."""
    d = per_tanggal
    kode = SYARAT_PER_TAHAP.get(ke, ())
    hasil: list[Syarat] = []
    kelompok = None
    if {"tingkat_kelompok", "kelompok_berbadan_hukum"} & set(kode):
        kelompok = list(
            _kelompok_aktif(klaster, d).values_list("pk", "lembaga__tanggal_pengesahan")
        )
    for k in kode:
        if k == "kelompok_terbentuk":
            m = (
                Mitra.objects.filter(
                    klaster=klaster,
                    tanggal_bergabung__lte=d,
                )
                .exclude(Q(tanggal_keluar__lte=d) | Q(status=Mitra.Status.CALON))
                .aggregate(
                    n=Count("pk"),
                    tanpa=Count("pk", filter=Q(kelompok__isnull=True)),
                    n_kelompok=Count("kelompok", distinct=True),
                )
            )
            ok = m["n"] >= klaster.target_mitra and m["n"] > 0 and m["tanpa"] == 0
            hasil.append(
                Syarat(
                    k,
                    _("Semua kelompok terbentuk (target mitra tercapai, semua mitra dalam "
                      "kelompok)"),
                    ok,
                    _("%(n)s dari target %(t)s mitra dalam %(g)s kelompok; %(x)s mitra belum "
                      "berkelompok") % {"n": m["n"], "t": klaster.target_mitra,
                                        "g": m["n_kelompok"], "x": m["tanpa"]},
                )
            )  # fmt: skip
        elif k == "tingkat_kelompok":
            ambang = aturan.PORSI_BERKEMBANG[ke]
            ids = [pk for pk, _t in kelompok]
            level = tingkat.tingkat_per_kelompok(ids, d) if ids else {}
            n_baik = sum(1 for pk in ids if level.get(pk) in tingkat.BERKEMBANG_ATAU_LEBIH)
            porsi = Decimal(n_baik) / len(ids) if ids else Decimal(0)
            hasil.append(
                Syarat(
                    k,
                    _("Kelompok tingkat berkembang atau mandiri paling sedikit %(a)s")
                    % {"a": format_persen(ambang, 0)},
                    bool(ids) and porsi >= ambang,
                    _("%(b)s dari %(n)s kelompok aktif (%(p)s); %(x)s belum dinilai")
                    % {"b": n_baik, "n": len(ids), "p": format_persen(porsi),
                       "x": sum(1 for pk in ids if pk not in level)},
                )
            )  # fmt: skip
        elif k == "koperasi_dibentuk":
            n = (
                Lembaga.objects.filter(klaster=klaster, bentuk=Lembaga.Bentuk.KOPERASI)
                .filter(
                    Q(tanggal_pengesahan__lte=d)
                    | Q(tonggak__jenis=J.RAPAT_PENDIRIAN, tonggak__tanggal__lte=d)
                )
                .distinct()
                .count()
            )
            hasil.append(
                Syarat(k, _("Koperasi dibentuk (rapat pendirian atau pengesahan tercatat)"),
                       n > 0, _("%(n)s koperasi") % {"n": n})
            )  # fmt: skip
        elif k == "kelompok_berbadan_hukum":
            n = len(kelompok)
            sah = sum(1 for _pk, t in kelompok if t is not None and t <= d)
            hasil.append(
                Syarat(k, _("Semua kelompok aktif bergabung dalam lembaga berbadan hukum"),
                       n > 0 and sah == n,
                       _("%(s)s dari %(n)s kelompok aktif") % {"s": sah, "n": n})
            )  # fmt: skip
        elif k == "par30":
            pf = bantuan_selectors.ringkasan_portofolio(
                Bantuan.objects.filter(klaster=klaster), per_tanggal=d
            )
            par30 = pf["par30"]
            ok = par30 is None or par30 < aturan.PAR30_MAKS
            nilai = (
                _("tidak ada pinjaman beredar")
                if par30 is None
                else _("PAR30 %(p)s") % {"p": format_persen(par30)}
            )
            hasil.append(
                Syarat(k, _("PAR30 di bawah %(a)s") % {"a": format_persen(aturan.PAR30_MAKS, 0)},
                       ok, nilai)
            )  # fmt: skip
    return hasil


def riwayat_tahap(klaster_ids) -> list[RiwayatTahap]:
    return list(
        RiwayatTahap.objects.filter(klaster__in=klaster_ids)
        .select_related("klaster", "diputuskan_oleh")
        .order_by("klaster__nama", "tanggal", "pk")
    )


def panel_tahap(klaster, *, per_tanggal: datetime.date) -> dict:
    """The klaster page's stage panel: the history and the next gate's checklist today."""
    berikut = aturan.TAHAP_BERIKUT.get(klaster.tahap)
    syarat = syarat_tahap(klaster, berikut, per_tanggal=per_tanggal) if berikut else []
    return {
        "riwayat": riwayat_tahap([klaster.pk]),
        "berikut": berikut,
        "berikut_label": T(berikut).label if berikut else "",
        "syarat": syarat,
        "semua_terpenuhi": all(s.terpenuhi for s in syarat),
    }

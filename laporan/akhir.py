"""The exit report (laporan akhir program) of a klaster and its period: a PDF (WeasyPrint,
A4) and an XLSX annex.

Every figure comes from the impact report of the same klaster and period
(`bagian.laporan_dampak`, the same selectors and cache): this module computes none of its
own. It adds what only the exit report has: the summary page's sentences (the figures put
into words), the stage history and the cooperatives with their legal numbers (from
kelembagaan), and the manager's narrative (kelembagaan.NaskahLaporanAkhir).
"""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass, field

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from openpyxl import load_workbook

from kelembagaan import selectors as kelembagaan_selectors
from kelembagaan.models import NaskahLaporanAkhir
from klaster import versi
from klaster.ekspor import buku_tanpa_rumus
from klaster.format import format_persen, format_rupiah, format_tanggal
from klaster.models import Klaster
from laporan import bagian, ekspor, grafik, selectors
from mitra.models import Sektor


@dataclass
class LaporanAkhir:
    klaster: Klaster
    dari: datetime.date
    sampai: datetime.date
    dampak: selectors.LaporanDampak
    kecamatan: list = field(default_factory=list)
    desa: list = field(default_factory=list)  # names of the kelompok's desa
    riwayat: list = field(default_factory=list)
    lembaga: list = field(default_factory=list)
    naskah: NaskahLaporanAkhir | None = None

    @property
    def berbadan_hukum(self) -> list:
        """The cooperatives counted by the impact report (approved on or before the end)."""
        return [
            r for r in self.lembaga
            if r.tanggal_pengesahan and r.tanggal_pengesahan <= self.sampai
            and r.lembaga.bentuk == "koperasi"
        ]  # fmt: skip

    def saringan_teks(self) -> list[tuple[str, str]]:
        return [
            (str(_("Klaster")), self.klaster.nama),
            (str(_("Periode")), f"{format_tanggal(self.dari)} – {format_tanggal(self.sampai)}"),
            (str(_("Posisi per tanggal")), format_tanggal(self.sampai)),
        ]


def periode_bawaan(
    klaster: Klaster, hari_ini: datetime.date
) -> tuple[datetime.date, datetime.date]:
    """The programme's period: from its start to its end (or today while it runs)."""
    sampai = min(klaster.tanggal_selesai or hari_ini, hari_ini)
    return klaster.tanggal_mulai, max(sampai, klaster.tanggal_mulai)


def susun(klaster: Klaster, *, dari: datetime.date, sampai: datetime.date,
          pendapatan: str = "halaman") -> LaporanAkhir:  # fmt: skip
    """The exit report's content. `pendapatan` as bagian.laporan_dampak ("lengkap" for
    the files)."""
    terpilih = list(versi.dengan_versi(Klaster.objects.filter(pk=klaster.pk)))
    s = selectors.Saringan(
        klaster=Klaster.objects.filter(pk=klaster.pk), dari=dari, sampai=sampai,
        per_tanggal=sampai,
    )  # fmt: skip
    versi_terpilih = bagian.versi_dari(terpilih)
    # every section at once (one cache entry, as the impact report's page reads it); the
    # desa of its kelompok come with the people section
    isi = bagian.ambil(s, versi_terpilih, bagian.LAPORAN)
    dampak = bagian.laporan_dampak(s, versi_terpilih, bagian=isi, pendapatan=pendapatan)
    desa = sorted({nama for _kode, nama in isi["dasar"]["desa_opsi"]})
    return LaporanAkhir(
        klaster=klaster,
        dari=dari,
        sampai=sampai,
        dampak=dampak,
        kecamatan=[w.nama for w in klaster.kecamatan.order_by("kode")],
        desa=desa,
        riwayat=[
            r for r in kelembagaan_selectors.riwayat_tahap([klaster.pk]) if r.tanggal <= sampai
        ],
        lembaga=kelembagaan_selectors.lembaga_ringkas(
            klaster.lembaga.order_by("nama"), per_tanggal=sampai
        ),
        naskah=NaskahLaporanAkhir.objects.filter(klaster=klaster, dari=dari, sampai=sampai)
        .select_related("diubah_oleh")
        .first(),
    )


def ringkasan(la: LaporanAkhir) -> list[str]:
    """The summary page in sentences, every number from the impact report's sections."""
    o, u, pf, pd = la.dampak.orang, la.dampak.uang, la.dampak.portofolio, la.dampak.pendapatan
    kelompok = {kode: n for kode, _l, n in o["kelompok_per_sektor"]}
    sektor = [
        _("%(label)s %(m)s mitra dalam %(g)s kelompok") % {"label": label, "m": n, "g": kelompok[kode]}
        for kode, label, n, _lk, _p in sorted(o["mitra_per_sektor"], key=lambda r: -r[2])
        if n
    ]  # fmt: skip
    kalimat = [
        _("Program %(nama)s berjalan dari %(dari)s sampai %(sampai)s di Kecamatan %(kec)s, "
          "di %(n)s desa: %(desa)s.") % {
            "nama": la.klaster.nama, "dari": format_tanggal(la.dari),
            "sampai": format_tanggal(la.sampai), "kec": ", ".join(la.kecamatan) or "–",
            "n": len(la.desa), "desa": ", ".join(la.desa) or "–"},
        _("%(m)s mitra dalam %(g)s kelompok, di sektor %(sektor)s.") % {
            "m": o["mitra_total"], "g": o["kelompok_total"], "sektor": "; ".join(sektor) or "–"},
        _("Dana tersalurkan %(total)s dalam %(n)s bantuan (modal usaha dan aset "
          "masyarakat).") % {"total": format_rupiah(u["total"]), "n": u["n"]},
        _("Pada akhir periode PAR30 %(par)s dan tingkat pengembalian %(kembali)s.") % {
            "par": format_persen(pf["par30"]), "kembali": format_persen(pf["tingkat_pengembalian"])},
    ]  # fmt: skip
    for r in pd["per_sektor"]:
        if r["n"] and r["perubahan_rata"] is not None:
            arah = _("naik") if r["perubahan_rata"] > 0 else _("turun")
            kalimat.append(
                _("Pendapatan rata-rata mitra %(sektor)s %(arah)s %(p)s dari baseline "
                  "%(a)s ke %(b)s per bulan (n=%(n)s).") % {
                    "sektor": r["label"].lower() if r["kode"] != Sektor.UMKM else r["label"],
                    "arah": arah, "p": format_persen(abs(r["perubahan_rata"])),
                    "a": format_rupiah(r["rata_sebelum"]), "b": format_rupiah(r["rata_sesudah"]),
                    "n": r["n"]}
            )  # fmt: skip
    bh = la.berbadan_hukum
    kalimat.append(
        _("%(n)s koperasi berbadan hukum per %(t)s%(daftar)s.") % {
            "n": o["koperasi"], "t": format_tanggal(la.sampai),
            "daftar": (": " + "; ".join(
                f"{r.lembaga.nama} ({r.nomor_pengesahan}, {format_tanggal(r.tanggal_pengesahan)})"
                for r in bh)) if bh else ""}
    )  # fmt: skip
    tahap = "; ".join(
        f"{r.get_ke_display().lower()} {format_tanggal(r.tanggal)}" for r in la.riwayat
    )
    kalimat.append(
        _("Tahap program: %(tahap)s%(riwayat)s.") % {
            "tahap": la.klaster.get_tahap_display().lower(),
            "riwayat": f" ({tahap})" if tahap else ""}
    )  # fmt: skip
    return kalimat


def nama_berkas(la: LaporanAkhir, akhiran: str) -> str:
    kode = "".join(c for c in la.klaster.kode if c.isalnum() or c in "-_") or "klaster"
    return f"laporan-akhir-{kode}-{la.sampai.isoformat()}.{akhiran}"


def buat_pdf(la: LaporanAkhir, *, request=None) -> bytes:
    from weasyprint import CSS, HTML  # heavy import, only when a PDF is asked for

    saringan_teks = la.saringan_teks()
    html = render_to_string(
        "laporan/akhir/pdf.html",
        {
            "la": la,
            "laporan": la.dampak,
            "ringkasan": ringkasan(la),
            "saringan_teks": saringan_teks,
            "metode": selectors.CATATAN_METODE,
            "grafik": {k: ekspor._data_uri(v) for k, v in grafik.semua_grafik(la.dampak).items()},
            "dibuat_teks": format_tanggal(timezone.localdate()),
        },
        request=request,
    )
    css = [CSS(filename=finders.find("css/laporan-pdf.css")),
           CSS(filename=finders.find("css/laporan-akhir-pdf.css"))]  # fmt: skip
    return HTML(string=html, base_url=None).write_pdf(stylesheets=css)


KOLOM_TAHAP = [
    (_l("Tanggal"), ekspor.TANGGAL, 12),
    (_l("Dari tahap"), ekspor.TEKS, 14),
    (_l("Ke tahap"), ekspor.TEKS, 14),
    (_l("Diputuskan oleh"), ekspor.TEKS, 20),
    (_l("Semua syarat terpenuhi"), ekspor.TEKS, 10),
    (_l("Syarat"), ekspor.TEKS, 60),
    (_l("Catatan"), ekspor.TEKS, 40),
]
KOLOM_LEMBAGA = [
    (_l("Nama"), ekspor.TEKS, 34),
    (_l("Bentuk"), ekspor.TEKS, 10),
    (_l("Status"), ekspor.TEKS, 24),
    (_l("Nomor SK pengesahan"), ekspor.TEKS, 26),
    (_l("Tanggal pengesahan"), ekspor.TANGGAL, 12),
    (_l("Kelompok anggota"), ekspor.ANGKA, 10),
    (_l("Mitra aktif"), ekspor.ANGKA, 10),
    (_l("RAT terakhir (tahun buku)"), ekspor.ANGKA, 10),
    (_l("Anggota (RAT)"), ekspor.ANGKA, 10),
    (_l("Simpanan pokok (RAT)"), ekspor.RUPIAH, 16),
    (_l("Simpanan wajib (RAT)"), ekspor.RUPIAH, 16),
]


def buat_xlsx(la: LaporanAkhir, *, request=None) -> bytes:
    """The impact report's workbook of the same klaster and period (every table of it),
    with the exit report's own sheets in front: summary, stage history, institutions and
    the narrative."""
    st = la.saringan_teks()
    wb = load_workbook(io.BytesIO(ekspor.buat_xlsx(la.dampak, saringan_teks=st, request=request)))
    ya = {True: _("ya"), False: _("tidak")}
    lembar = [
        ekspor._lembar(wb, _("Ringkasan program"), _("Laporan akhir program"), st,
                       [(_l("Ringkasan"), ekspor.TEKS, 120)], [[k] for k in ringkasan(la)]),
        ekspor._lembar(
            wb, _("Riwayat tahap"), _("Riwayat tahap program"), st, KOLOM_TAHAP,
            [[r.tanggal, r.get_dari_display(), r.get_ke_display(),
              r.diputuskan_oleh.get_full_name() or r.diputuskan_oleh.username,
              ya[r.semua_terpenuhi],
              "; ".join(f"{'✓' if s['terpenuhi'] else '✗'} {s['label']}: {s['nilai']}"
                        for s in r.syarat), r.catatan] for r in la.riwayat],
        ),
        ekspor._lembar(
            wb, _("Kelembagaan"), _("Lembaga dan koperasi"), st, KOLOM_LEMBAGA,
            [[r.lembaga.nama, r.lembaga.get_bentuk_display(), r.status_label,
              r.nomor_pengesahan, r.tanggal_pengesahan, len(r.kelompok), r.jumlah_mitra,
              r.rat_terakhir.tahun_buku if r.rat_terakhir else None,
              r.rat_terakhir.jumlah_anggota if r.rat_terakhir else None,
              r.rat_terakhir.simpanan_pokok if r.rat_terakhir else None,
              r.rat_terakhir.simpanan_wajib if r.rat_terakhir else None] for r in la.lembaga],
            selectors.CATATAN_METODE["orang"],
        ),
        ekspor._lembar(
            wb, _("Naskah"), _("Pelajaran dan rekomendasi"), st,
            [(_l("Bagian"), ekspor.TEKS, 30), (_l("Isi"), ekspor.TEKS, 100)],
            [[_("Pelajaran yang dipetik"), la.naskah.pelajaran if la.naskah else ""],
             [_("Rekomendasi untuk pemerintah kabupaten"),
              la.naskah.rekomendasi if la.naskah else ""]],
        ),
    ]  # fmt: skip
    # the exit report's sheets first, then the impact report's (openpyxl keeps the order
    # in this list; move_sheet moves one sheet by an offset)
    wb._sheets = lembar + [ws for ws in wb._sheets if ws not in lembar]
    wb.active = 0
    buku_tanpa_rumus(wb)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()

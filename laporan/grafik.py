"""Charts of the impact report and the dashboard: SVG drawn on the server with pygal.

No JavaScript and nothing from the internet: `js=[]` drops pygal's external script, and the
inline config <script> pygal always writes is stripped, so the SVG is plain markup that
prints, works offline and embeds in the PDF. Values are converted to float for drawing only;
the exact Decimal figures are in the tables next to each chart.
"""

import re

import pygal
from django.utils import timezone
from django.utils.translation import gettext as _
from pygal.style import Style

from klaster.format import format_bulan, format_persen

GAYA = Style(
    background="white",
    plot_background="white",
    foreground="#212529",
    foreground_strong="#212529",
    foreground_subtle="#6c757d",
    font_family="DejaVu Sans, Helvetica, Arial, sans-serif",
    title_font_size=18,
    label_font_size=13,
    major_label_font_size=13,
    legend_font_size=13,
    value_font_size=12,
    tooltip_font_size=12,
    colors=("#198754", "#0d6efd", "#fd7e14", "#6f42c1", "#dc3545", "#20c997"),
)

_SCRIPT = re.compile(r"<script\b[^>]*>.*?</script>", re.S)


def _config(**kw):
    config = pygal.Config(
        disable_xml_declaration=True,
        js=[],
        style=GAYA,
        width=800,
        height=420,
        legend_at_bottom=True,
        # two columns: a label of 20 characters fits at 800 px, nothing is cut off
        legend_at_bottom_columns=2,
        print_values=False,
        show_y_guides=True,
        truncate_legend=-1,
        truncate_label=-1,
        margin=16,
    )
    for key, value in kw.items():
        setattr(config, key, value)
    return config


def _svg(chart) -> str:
    return _SCRIPT.sub("", chart.render(is_unicode=True))


def _rp_singkat(x) -> str:
    """Axis labels: Rp1,7 M, Rp250 jt."""
    if x is None:
        return ""
    x = float(x)
    if abs(x) >= 1e9:
        return f"Rp{x / 1e9:.1f} M".replace(".", ",")
    if abs(x) >= 1e6:
        return f"Rp{x / 1e6:.1f} jt".replace(".", ",")
    if abs(x) >= 1e3:
        return f"Rp{x / 1e3:.0f} rb"
    return f"Rp{x:.0f}"


def _kosong(judul: str) -> str:
    chart = pygal.Bar(_config(title=judul, no_data_text=_("Belum ada data")))
    return _svg(chart)


def pencairan_per_tahun(uang: dict) -> str:
    judul = _("Dana dicairkan per tahun menurut jenis")
    if not uang["per_tahun"]:
        return _kosong(judul)
    chart = pygal.StackedBar(_config(title=judul, value_formatter=_rp_singkat))
    chart.x_labels = [str(t["tahun"]) for t in uang["per_tahun"]]
    for i, (_kode, label) in enumerate(uang["jenis_kolom"]):
        chart.add(str(label), [float(t["per_jenis"][i]) for t in uang["per_tahun"]])
    return _svg(chart)


def pendapatan_per_sektor(pendapatan: dict) -> str:
    judul = _("Rata-rata pendapatan bulanan baseline dan terakhir, per sektor")
    rows = [r for r in pendapatan["per_sektor"] if r["n"]]
    if not rows:
        return _kosong(judul)
    chart = pygal.Bar(_config(title=judul, value_formatter=_rp_singkat))
    chart.x_labels = [f"{r['label']} (n={r['n']})" for r in rows]
    chart.add(_("Baseline"), [float(r["rata_sebelum"]) for r in rows])
    chart.add(_("Pengukuran terakhir"), [float(r["rata_sesudah"]) for r in rows])
    return _svg(chart)


def kolektibilitas(portofolio: dict) -> str:
    judul = _("Sisa pokok pinjaman menurut kolektibilitas")
    rows = portofolio["kolektibilitas_list"]
    if not any(r["jumlah_pinjaman"] for r in rows):
        return _kosong(judul)
    # horizontal bars, each category naming its amount and count: the small risky buckets
    # (a few loans next to a large "lancar") stay readable even when their bar is thin
    chart = pygal.HorizontalBar(
        _config(
            title=judul,
            value_formatter=_rp_singkat,
            show_legend=False,
            # pygal's horizontal chart swaps its axes: these hide the amounts' axis and
            # its guides; the categories, which name each amount, stay
            show_x_labels=False,
            show_x_guides=False,
        )
    )
    rows = list(reversed(rows))  # 1 Lancar on top
    chart.x_labels = [
        _("%(kol)s %(nama)s: %(jumlah)s, %(n)s pinjaman")
        % {
            "kol": r["kol"],
            "nama": r["nama"],
            "jumlah": _rp_singkat(r["sisa_pokok"]),
            "n": r["jumlah_pinjaman"],
        }
        for r in rows
    ]
    chart.add(
        _("Sisa pokok"),
        [
            {
                "value": float(r["sisa_pokok"]),
                "label": _("%(n)s pinjaman, %(porsi)s")
                % {"n": r["jumlah_pinjaman"], "porsi": format_persen(r["porsi"])},
                "color": WARNA_KOL.get(r["kol"]),
            }
            for r in rows
        ],
    )
    return _svg(chart)


# kolektibilitas 1..5: green to black, as the badges on the pages
WARNA_KOL = {1: "#198754", 2: "#e0a800", 3: "#fd7e14", 4: "#dc3545", 5: "#212529"}


def kunjungan_per_bulan(kegiatan: dict) -> str:
    judul = _("Kunjungan lapangan per bulan")
    rows = kegiatan["per_bulan"]
    if not rows:
        return _kosong(judul)
    # the current month is still running: a lighter bar and "(berjalan)" in its label
    bulan_ini = timezone.localdate().replace(day=1)
    berjalan = [r["bulan"].replace(day=1) == bulan_ini for r in rows]
    chart = pygal.Bar(_config(title=judul, show_legend=False))
    chart.x_labels = [
        format_bulan(r["bulan"]) + (" " + _("(berjalan)") if b else "")
        for r, b in zip(rows, berjalan, strict=True)
    ]
    chart.x_label_rotation = 45
    if len(rows) > 18:
        chart.x_labels_major_every = max(1, len(rows) // 12)
        chart.show_minor_x_labels = False
        if berjalan[-1]:
            chart.x_labels_major = [chart.x_labels[-1]]
    chart.add(
        _("Kunjungan"),
        [
            {"value": r["n"], "color": "#a3cfbb", "label": _("bulan berjalan, belum lengkap")}
            if b
            else r["n"]
            for r, b in zip(rows, berjalan, strict=True)
        ],
    )
    return _svg(chart)


GRAFIK = {
    # name in the URL: (builder, the report section it needs)
    "pencairan": (pencairan_per_tahun, "uang"),
    "pendapatan": (pendapatan_per_sektor, "pendapatan"),
    "kolektibilitas": (kolektibilitas, "portofolio"),
    "kunjungan": (kunjungan_per_bulan, "kegiatan"),
}


def semua_grafik(laporan) -> dict[str, str]:
    """Every chart of a computed report, as SVG text (for the PDF)."""
    return {nama: builder(getattr(laporan, bagian)) for nama, (builder, bagian) in GRAFIK.items()}

"""The impact report's "temuan utama": three to six sentences a donor reads first, each
computed from the report's own figures (the same dicts the tables print), never typed.

Pure functions of a computed report (laporan.selectors.LaporanDampak or anything with the
same sections): no query, so the page, the PDF and a test get the same sentences.
"""

from decimal import Decimal

from django.utils.translation import gettext as _

from klaster.format import format_persen, format_rupiah


def _arah(perubahan: Decimal) -> str:
    return _("naik") if perubahan >= 0 else _("turun")


def _persen_mutlak(nilai: Decimal) -> str:
    return format_persen(abs(nilai))


def kalimat_pendapatan(pendapatan: dict) -> list[str]:
    total = pendapatan.get("total") or {}
    hasil = []
    if total.get("n") and total.get("perubahan_rata") is not None:
        hasil.append(
            _(
                "Pendapatan rata-rata mitra %(arah)s %(persen)s dari baseline ke pengukuran "
                "terakhir (n=%(n)s; %(kecuali)s mitra tidak dihitung karena datanya belum "
                "lengkap)."
            )
            % {
                "arah": _arah(total["perubahan_rata"]),
                "persen": _persen_mutlak(total["perubahan_rata"]),
                "n": total["n"],
                "kecuali": pendapatan.get("n_dikecualikan", 0),
            }
        )
    sektor = [
        r
        for r in pendapatan.get("per_sektor") or []
        if r.get("n") and r.get("perubahan_rata") is not None
    ]
    if sektor:
        terbesar = max(sektor, key=lambda r: r["perubahan_rata"])
        hasil.append(
            _("Pendapatan rata-rata mitra %(sektor)s %(arah)s %(persen)s (n=%(n)s).")
            % {
                "sektor": str(terbesar["label"]).lower(),
                "arah": _arah(terbesar["perubahan_rata"]),
                "persen": _persen_mutlak(terbesar["perubahan_rata"]),
                "n": terbesar["n"],
            }
        )
    if total.get("n") and total.get("porsi_naik") is not None:
        hasil.append(
            _("%(persen)s mitra (%(naik)s dari %(n)s) pendapatannya naik.")
            % {"persen": format_persen(total["porsi_naik"]), "naik": total["naik"], "n": total["n"]}
        )
    sebelum, sesudah = total.get("porsi_miskin_sebelum"), total.get("porsi_miskin_sesudah")
    if sebelum is not None and sesudah is not None:
        hasil.append(
            _(
                "Mitra dengan pendapatan per kapita di bawah garis kemiskinan: %(sebelum)s saat "
                "baseline, %(sesudah)s pada pengukuran terakhir (n=%(n)s)."
            )
            % {
                "sebelum": format_persen(sebelum),
                "sesudah": format_persen(sesudah),
                "n": total.get("n_garis_sesudah", total.get("n")),
            }
        )
    return hasil


def kalimat_uang(uang: dict, portofolio: dict) -> list[str]:
    if not uang.get("n"):
        return []
    teks = _("%(jumlah)s dicairkan dalam %(n)s bantuan.") % {
        "jumlah": format_rupiah(uang["total"]),
        "n": uang["n"],
    }
    if portofolio.get("jumlah_pinjaman_aktif") and portofolio.get("par30") is not None:
        teks += " " + _(
            "Pinjaman modal bergulir yang masih beredar %(beredar)s; %(par30)s di antaranya "
            "menunggak lebih dari 30 hari (PAR30); angsuran kembali %(kembali)s dari yang jatuh "
            "tempo."
        ) % {
            "beredar": format_rupiah(portofolio["outstanding"]),
            "par30": format_persen(portofolio["par30"]),
            "kembali": format_persen(portofolio.get("tingkat_pengembalian")),
        }
    return [teks]


def kalimat_orang(orang: dict) -> list[str]:
    if not orang.get("mitra_total"):
        return []
    return [
        _("%(mitra)s mitra dalam %(kelompok)s kelompok; %(koperasi)s koperasi terbentuk.")
        % {
            "mitra": orang["mitra_total"],
            "kelompok": orang.get("kelompok_total", 0),
            "koperasi": orang.get("koperasi", 0),
        }
    ]


def temuan_utama(laporan) -> list[str]:
    """3 to 6 sentences from the report's figures (fewer only when there is little data)."""
    kalimat = (
        kalimat_pendapatan(getattr(laporan, "pendapatan", None) or {})
        + kalimat_uang(
            getattr(laporan, "uang", None) or {}, getattr(laporan, "portofolio", None) or {}
        )
        + kalimat_orang(getattr(laporan, "orang", None) or {})
    )
    return kalimat[:6]

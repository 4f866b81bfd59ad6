"""PostgreSQL COPY text format for planned rows (pure: no Django, usable in a helper process)."""

# Tables whose values are numbers, dates and fixed strings the planner wrote (no tab,
# newline or backslash, never the text "None"): their COPY lines are made by a plain join.
_TANPA_TEKS_BEBAS = {
    "hadir",
    "jadwal",
    "angsuran",
    "pengukuran",
    "pengukuran_kunjungan",
    "angsuran_kunjungan",
}


def _escape(v) -> str:
    if v is None:
        return "\\N"
    if isinstance(v, str):
        return (
            v.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
        )
    return str(v)


def teks_copy(tabel: str, baris: list[tuple]) -> str:
    """COPY text format. The planner's strings come from fixed word lists, so the fast
    joins are tried first and checked as a whole (a stray tab, newline or backslash changes
    the counts); escaping value by value is the fallback."""
    if tabel in _TANPA_TEKS_BEBAS:
        teks = "\n".join("\t".join(map(str, r)) for r in baris).replace("None", "\\N")
    else:
        teks = "\n".join("\t".join(["\\N" if v is None else str(v) for v in r]) for r in baris)
    kolom = len(baris[0])
    if (
        teks.count("\t") == (kolom - 1) * len(baris)
        and teks.count("\n") == len(baris) - 1
        and "\r" not in teks
        and teks.count("\\") == teks.count("\\N")
    ):
        return teks
    return "\n".join("\t".join(map(_escape, r)) for r in baris)

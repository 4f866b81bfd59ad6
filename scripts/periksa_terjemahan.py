"""Every string marked for translation has an English translation (issue 19).

    python scripts/periksa_terjemahan.py            check (make lint runs it)
    python scripts/periksa_terjemahan.py --perbarui  regenerate and compile (make messages)

The check runs makemessages over a temporary copy of the project, so it sees the sources as
they are now, and compares the result with the committed catalogue
locale/en/LC_MESSAGES/django.po. It fails, listing every string with where it is used, when:
- a marked string is not in the committed catalogue (someone added or changed a string and
  did not run `make messages`);
- a string has no English translation (empty msgstr) or a fuzzy one (msgmerge's guess from
  a similar old string: to be checked by a person, then its "fuzzy" flag removed);
- the committed django.mo does not hold what django.po says (`make messages` compiles it).
Strings that are no longer in the sources are reported too (make messages drops them).

Indonesian needs no translation (the source strings are Indonesian); locale/id is generated
alongside so a wording can be overridden there. locale/paket/ holds Indonesian for
third-party packages and is not touched.
"""

import argparse
import os
import shutil
import subprocess  # runs our own manage.py with fixed arguments  # nosec B404
import sys
import tempfile
from pathlib import Path

import polib

AKAR = Path(__file__).resolve().parent.parent
BAHASA = ("id", "en")
PO_EN = Path("locale/en/LC_MESSAGES/django.po")
MO_EN = PO_EN.with_suffix(".mo")
# what makemessages reads: every app's Python and templates (html, txt); not the tests, the
# benchmark, the docs or the static files (the JavaScript gets its strings from templates)
ABAIKAN = [
    "tests",
    "bench",
    "docs",
    "static",
    "staticfiles",
    "media",
    "backups",
    "locale",
    "conftest.py",
    "node_modules",
    "scripts",
]
OPSI_MAKEMESSAGES = [
    "--add-location=file",  # file names only: line numbers would change with every edit
    "--no-obsolete",
    *(f"--ignore={pola}" for pola in ABAIKAN),
]
# not copied into the temporary tree
TIDAK_DISALIN = shutil.ignore_patterns(
    ".venv", ".git", "__pycache__", "*.pyc", "media", "staticfiles", "backups", "*.sqlite3",
    "node_modules", ".pytest_cache", ".ruff_cache",
)  # fmt: skip


def _manage(akar: Path, *args: str) -> None:
    env = {**os.environ, "DEBUG": "1", "DJANGO_SETTINGS_MODULE": "config.settings"}
    subprocess.run(  # noqa: S603 (our own manage.py, fixed arguments) # nosec B603
        [sys.executable, "manage.py", *args], cwd=akar, env=env, check=True, capture_output=True
    )


def perbarui(akar: Path = AKAR) -> None:
    """make messages: the catalogues regenerated from the sources, then compiled."""
    _manage(akar, "makemessages", *(f"--locale={b}" for b in BAHASA), *OPSI_MAKEMESSAGES)
    _manage(akar, "compilemessages", "--ignore=.venv", "--ignore=node_modules")


def _kunci(e: polib.POEntry) -> tuple:
    return (e.msgctxt, e.msgid, e.msgid_plural)


def _tampil(e: polib.POEntry) -> str:
    teks = e.msgid if len(e.msgid) <= 100 else e.msgid[:97] + "..."
    konteks = f" [context {e.msgctxt}]" if e.msgctxt else ""
    tempat = ", ".join(sorted({f for f, _baris in e.occurrences})[:3])
    return f"  msgid {teks!r}{konteks}  ({tempat})"


def _kosong(e: polib.POEntry) -> bool:
    if e.msgid_plural:
        return not e.msgstr_plural or any(not v for v in e.msgstr_plural.values())
    return not e.msgstr


def periksa(akar: Path = AKAR) -> list[str]:
    """The problems found, as lines to print; empty when the English catalogue is complete
    and up to date."""
    komit = polib.pofile(str(akar / PO_EN))
    with tempfile.TemporaryDirectory(prefix="periksa_terjemahan_") as tmp:
        salinan = Path(tmp) / "proyek"
        shutil.copytree(akar, salinan, ignore=TIDAK_DISALIN)
        _manage(salinan, "makemessages", "--locale=en", *OPSI_MAKEMESSAGES)
        baru = polib.pofile(str(salinan / PO_EN))

    ada = {_kunci(e) for e in komit if not e.obsolete}
    sumber = {_kunci(e) for e in baru if not e.obsolete}
    belum_masuk = [e for e in baru if not e.obsolete and _kunci(e) not in ada]
    kosong = [e for e in baru if not e.obsolete and _kunci(e) in ada and _kosong(e)]
    fuzzy = [e for e in baru if not e.obsolete and "fuzzy" in e.flags]
    usang = [e for e in komit if not e.obsolete and _kunci(e) not in sumber]

    masalah = []
    if belum_masuk:
        masalah.append(
            f"{len(belum_masuk)} marked string(s) not in {PO_EN} yet (new or changed in the "
            "sources):"
        )
        masalah += [_tampil(e) for e in belum_masuk]
    if kosong:
        masalah.append(f"{len(kosong)} string(s) without an English translation (empty msgstr):")
        masalah += [_tampil(e) for e in kosong]
    if fuzzy:
        masalah.append(
            f"{len(fuzzy)} fuzzy translation(s) (guessed from a similar old string; check the "
            "English, then delete the '#, fuzzy' line):"
        )
        masalah += [_tampil(e) for e in fuzzy]
    if usang:
        masalah.append(f"{len(usang)} string(s) in {PO_EN} no longer used in the sources:")
        masalah += [_tampil(e) for e in usang]

    mo_path = akar / MO_EN
    if not mo_path.exists():
        masalah.append(f"{MO_EN} is missing: run `make messages`.")
    else:
        mo = {(e.msgctxt, e.msgid): e for e in polib.mofile(str(mo_path))}
        beda = []
        for e in komit.translated_entries():
            m = mo.get((e.msgctxt, e.msgid))
            isi_po = e.msgstr_plural if e.msgid_plural else e.msgstr
            isi_mo = None if m is None else (m.msgstr_plural if e.msgid_plural else m.msgstr)
            if isi_mo is None or (
                {int(k): v for k, v in isi_mo.items()} if e.msgid_plural else isi_mo
            ) != ({int(k): v for k, v in isi_po.items()} if e.msgid_plural else isi_po):
                beda.append(e)
        if beda:
            masalah.append(
                f"{MO_EN} is older than {PO_EN} for {len(beda)} string(s): run `make messages`."
            )
            masalah += [_tampil(e) for e in beda[:10]]
    if masalah:
        masalah += [
            "",
            "To fix: run `make messages` (regenerates locale/*/LC_MESSAGES/django.po from the",
            f"sources and compiles them), write the English of every empty msgstr in {PO_EN}",
            "(remove the '#, fuzzy' line of any entry you checked), run `make messages` again",
            "to compile, and commit both django.po and django.mo.",
        ]
    return masalah


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--perbarui", action="store_true", help="regenerate and compile the catalogues"
    )
    args = parser.parse_args(argv)
    if args.perbarui:
        perbarui()
        print("Catalogues regenerated and compiled (locale/id, locale/en).")
    masalah = periksa()
    if masalah and args.perbarui:
        # make messages is the first step of the fix: list what is left to translate
        print("Still to do:\n" + "\n".join(masalah))
        return 0
    if masalah:
        print("Translation check FAILED:", file=sys.stderr)
        print("\n".join(masalah), file=sys.stderr)
        return 1
    jumlah = len(polib.pofile(str(AKAR / PO_EN)).translated_entries())
    print(f"Translation check: all {jumlah} marked strings have English in {PO_EN}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())

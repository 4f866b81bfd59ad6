"""Which Chromium runs which browser test (chromium.py, docs/keputusan.md): every test that
cuts the network or works the service worker in the full browser, the rest in the headless
shell of the same version."""

import ast
from pathlib import Path

import pytest

from tests import chromium

ROOT = Path(__file__).resolve().parent.parent
# What only the full browser is trusted with: the network cut and the service worker.
TANDA_OFFLINE = ("set_offline(", "serviceWorker", "service_workers")


def _penanda(simpul) -> set[str]:
    """The pytest.mark.<name> markers named anywhere in an AST node."""
    return {
        n.attr
        for n in ast.walk(simpul)
        if isinstance(n, ast.Attribute)
        and isinstance(n.value, ast.Attribute)
        and n.value.attr == "mark"
    }


def _uji_offline():
    """(file, test, markers of the test and its module) for every test function whose own
    code cuts the network or touches the service worker."""
    for jalur in sorted(ROOT.rglob("test_*.py")):
        if {".venv", "node_modules"} & set(jalur.parts) or jalur == Path(__file__):
            continue
        teks = jalur.read_text(encoding="utf-8")
        if not any(t in teks for t in TANDA_OFFLINE):
            continue
        pohon = ast.parse(teks)
        modul = set()
        for simpul in pohon.body:
            if isinstance(simpul, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == "pytestmark" for t in simpul.targets
            ):
                modul = _penanda(simpul.value)
        for simpul in pohon.body:
            if isinstance(simpul, ast.FunctionDef) and simpul.name.startswith("test_"):
                kode = ast.get_source_segment(teks, simpul)
                if any(t in kode for t in TANDA_OFFLINE):
                    penanda = modul | set().union(*map(_penanda, simpul.decorator_list))
                    yield jalur.relative_to(ROOT).as_posix(), simpul.name, penanda


def test_every_test_that_cuts_the_network_runs_in_the_full_browser():
    uji = list(_uji_offline())
    berkas = {b for b, _, _ in uji}
    # the sweep finds what it must (a rename of the markers' files would empty it)
    assert {"tests/e2e/test_offline.py", "program/tests/test_survei_e2e.py"} <= berkas
    assert all("e2e" in p for _, _, p in uji)
    tanpa = [f"{b}::{n}" for b, n, p in uji if "chromium_penuh" not in p]
    assert tanpa == [], f"offline browser tests outside the full browser: {tanpa}"


@pytest.mark.parametrize(
    ("penuh", "ada_shell", "harapan"),
    [
        ("", True, chromium.CHROMIUM_HEADLESS),
        ("1", True, chromium.CHROMIUM),
        ("", False, chromium.CHROMIUM),
    ],
)
def test_the_other_browser_tests_run_in_the_shell_unless_told_or_missing(
    monkeypatch, penuh, ada_shell, harapan
):
    monkeypatch.setenv("KM_CHROMIUM_PENUH", penuh)
    ada = chromium.os.path.exists
    monkeypatch.setattr(
        chromium.os.path,
        "exists",
        lambda p: ada_shell if p == chromium.CHROMIUM_HEADLESS else ada(p),
    )
    assert chromium.jalur_chromium_ringan() == harapan

"""Which of Debian's two Chromium builds runs the browser tests (conftest.py)."""

import os

# Debian's Chromium, in two builds of one version. The full browser (package chromium) runs
# every test that cuts the network or works the service worker (marker chromium_penuh;
# tests/test_chromium_pilihan.py checks that they carry it). The headless shell (package
# chromium-headless-shell, what Playwright itself runs for headless tests) runs the rest:
# the same Blink and V8 without the browser's own interface, about 40 % less CPU for the
# same tests (docs/keputusan.md). KM_CHROMIUM_PENUH=1 runs every browser test in the full
# browser; without the headless shell they all run there.
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_HEADLESS = "/usr/bin/chromium-headless-shell"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def jalur_chromium_ringan() -> str:
    if os.environ.get("KM_CHROMIUM_PENUH") == "1" or not os.path.exists(CHROMIUM_HEADLESS):
        return CHROMIUM
    return CHROMIUM_HEADLESS

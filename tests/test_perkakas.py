"""Tooling a newcomer trips over (issue 14 items 15, 17, 18): the Makefile, pytest's output,
logging, runserver on the network, a region file that is not there, the deploy steps."""

import os
import re
import shutil
import subprocess
import sys
import warnings
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

ROOT = Path(__file__).resolve().parent.parent


def _jalankan(*args, env=None, cwd=ROOT, timeout=120):
    lingkungan = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "RUNSERVER_HOST"}
        and not k.startswith("PYTEST_")
    }
    lingkungan.update(env or {})
    return subprocess.run(  # noqa: S603 (our own commands, fixed arguments)
        list(args), cwd=cwd, env=lingkungan, capture_output=True, text=True, timeout=timeout
    )


def _manage(*args, **env):
    return _jalankan(sys.executable, "manage.py", *args, env=env)


# --- item 15: no whitenoise warning about a missing staticfiles/ ---------------------------


def test_a_new_request_handler_warns_about_no_missing_static_directory(db, settings):
    # pytest-django runs with settings.DEBUG off, as production; staticfiles/ is made only
    # by collectstatic. Each test client builds the middleware again, whitenoise included.
    with warnings.catch_warnings(record=True) as gesekan:
        warnings.simplefilter("always")
        respons = Client().get("/static/css/app.css")
    assert respons.status_code == 200  # found where it lives, without collectstatic
    pesan = [str(w.message) for w in gesekan]
    assert not [p for p in pesan if "No directory at" in p], pesan


# --- item 17: make run HOST=0.0.0.0 answers another machine ------------------------------

CEK_HOST = (
    "from django.core.exceptions import DisallowedHost\n"
    "from django.test import RequestFactory\n"
    "for host in ('192.0.2.7', '198.51.100.9', 'localhost'):\n"
    "    try:\n"
    "        RequestFactory().get('/', HTTP_HOST=host).get_host(); print('HOST', host, 'ok')\n"
    "    except DisallowedHost:\n"
    "        print('HOST', host, 'ditolak')\n"
)


def _host_diterima(**env) -> dict[str, bool]:
    hasil = _manage("shell", "-c", CEK_HOST, **env)
    assert hasil.returncode == 0, hasil.stderr
    return {
        baris.split()[1]: baris.split()[2] == "ok"
        for baris in hasil.stdout.split("\n")
        if baris.startswith("HOST ")
    }


def test_debug_server_on_every_interface_answers_any_host_name():
    # a phone on the same network reaches the laptop by an address the laptop cannot know
    assert _host_diterima(DEBUG="1", RUNSERVER_HOST="0.0.0.0") == {  # noqa: S104
        "192.0.2.7": True,
        "198.51.100.9": True,
        "localhost": True,
    }


def test_debug_server_on_one_address_answers_that_address():
    assert _host_diterima(DEBUG="1", RUNSERVER_HOST="192.0.2.7") == {
        "192.0.2.7": True,
        "198.51.100.9": False,
        "localhost": True,
    }


def test_loopback_explicit_hosts_and_production_are_unchanged():
    loopback = _host_diterima(DEBUG="1", RUNSERVER_HOST="127.0.0.1")
    assert loopback == {"192.0.2.7": False, "198.51.100.9": False, "localhost": True}
    eksplisit = _host_diterima(DEBUG="1", RUNSERVER_HOST="0.0.0.0", ALLOWED_HOSTS="klaster.lan")  # noqa: S104
    assert eksplisit == {"192.0.2.7": False, "198.51.100.9": False, "localhost": False}
    produksi = _host_diterima(
        DEBUG="0",
        SECRET_KEY="uji-" + "x" * 50,
        ALLOWED_HOSTS="klaster.example.org",
        RUNSERVER_HOST="0.0.0.0",  # noqa: S104
    )
    assert not any(produksi.values())


def test_make_run_passes_its_host_to_the_settings():
    hasil = _jalankan("make", "-n", "--no-print-directory", "run", "HOST=0.0.0.0", "PORT=8123")
    assert hasil.returncode == 0, hasil.stderr
    assert re.search(
        r"RUNSERVER_HOST=0\.0\.0\.0 .*manage\.py runserver 0\.0\.0\.0:8123", hasil.stdout
    )


# --- item 18 ------------------------------------------------------------------------------


@pytest.fixture
def salinan_makefile(tmp_path):
    """The Makefile and requirements in an empty folder: what a fresh clone would install."""
    for nama in ("Makefile", "requirements.txt", "requirements-dev.txt"):
        shutil.copy(ROOT / nama, tmp_path / nama)
    return tmp_path


def _perintah_make(folder, target) -> str:
    hasil = _jalankan("make", "-n", "--no-print-directory", target, cwd=folder)
    assert hasil.returncode == 0, hasil.stderr
    return hasil.stdout


def test_make_run_installs_only_the_runtime_requirements(salinan_makefile):
    perintah = _perintah_make(salinan_makefile, "run")
    assert "-r requirements.txt" in perintah
    assert "requirements-dev.txt" not in perintah


def test_make_test_lint_and_audit_install_the_dev_requirements(salinan_makefile):
    for target in ("test", "lint", "audit"):
        assert "-r requirements-dev.txt" in _perintah_make(salinan_makefile, target), target


def test_muat_wilayah_with_a_missing_file_says_so_without_a_traceback(db, tmp_path):
    hilang = tmp_path / "tidak-ada.csv"
    with pytest.raises(CommandError, match="tidak ada"):
        call_command("muat_wilayah", file=hilang)
    # and on the command line: one line, no traceback
    hasil = _manage("muat_wilayah", "--file", str(hilang), DEBUG="1")
    assert hasil.returncode == 1
    assert "tidak-ada.csv tidak ada" in hasil.stderr
    assert "Traceback" not in hasil.stderr


def test_muat_wilayah_with_a_file_that_is_not_a_region_csv_says_which_columns(db, tmp_path):
    salah = tmp_path / "salah.csv"
    salah.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(CommandError, match="kode, nama, tingkat, kode_induk"):
        call_command("muat_wilayah", file=salah)


@pytest.mark.parametrize("debug", ["1", "0"])
def test_every_log_line_is_printed_once(debug):
    kode = (
        "import logging\n"
        "logging.getLogger('django.request').warning('PESAN-UJI-django')\n"
        "logging.getLogger('kunjungan.services').warning('PESAN-UJI-aplikasi')\n"
    )
    env = {"DEBUG": debug}
    if debug == "0":
        env |= {"SECRET_KEY": "uji-" + "x" * 50, "ALLOWED_HOSTS": "klaster.example.org"}
    hasil = _manage("shell", "-c", kode, **env)
    assert hasil.returncode == 0, hasil.stderr
    keluaran = hasil.stdout + hasil.stderr
    assert keluaran.count("PESAN-UJI-django") == 1, keluaran
    assert keluaran.count("PESAN-UJI-aplikasi") == 1, keluaran


def test_pytest_q_as_the_readme_shows_still_prints_the_summary():
    # make test PYTEST_ARGS="mitra -q": the -q must not double one in pytest.ini's addopts
    hasil = _jalankan(
        sys.executable,
        "-m",
        "pytest",
        "-q",
        "-n0",
        "tests/test_keamanan_header.py::test_the_500_page_needs_no_database",
        env={"DEBUG": "1"},
    )
    assert hasil.returncode == 0, hasil.stdout + hasil.stderr
    assert re.search(r"^1 passed", hasil.stdout, re.MULTILINE), hasil.stdout


def test_the_deploy_steps_load_every_reference_data_set():
    # every muat_* command (regions, poverty lines, ...) is in the README's deploy block
    perintah = sorted(
        p.stem for p in ROOT.glob("*/management/commands/muat_*.py") if p.stem != "__init__"
    )
    assert "muat_garis_kemiskinan" in perintah and "muat_wilayah" in perintah
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blok = readme.split("Deploying a release:", 1)[1].split("```", 2)[1]
    for nama in perintah:
        assert f"manage.py {nama}" in blok, f"README's deploy steps omit {nama}"


def test_ci_takes_its_database_name_from_the_environment_and_drops_it():
    skrip = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert re.search(r'^DB="\$\{KM_CI_DB:-klaster_ci_\$\$\}"$', skrip, re.MULTILINE)
    assert "trap hapus_db EXIT" in skrip
    assert not re.search(r"^DB=klaster_ci$", skrip, re.MULTILINE)


# --- item 16: make audit --------------------------------------------------------------------

AUDIT_PALSU = {
    "tak_terjangkau": (
        0,
        "No known vulnerabilities found\nName Skip Reason\n"
        "django Dependency not found on PyPI and could not be audited: django (5.2)\n",
    ),
    "galat_koneksi": (1, "ERROR: ConnectionError: Max retries exceeded with url: /pypi/django"),
    "rentan": (1, "Found 1 known vulnerability in 1 package\ndjango 5.2 GHSA-xxxx 5.2.1"),
    "bersih": (0, "No known vulnerabilities found"),
}


@pytest.fixture
def venv_palsu(tmp_path):
    """A .venv whose pip-audit and bandit are stand-ins: make audit's own logic, offline."""
    bin_ = tmp_path / "venv" / "bin"
    bin_.mkdir(parents=True)
    (bin_ / "python").write_text("")
    for nama in ("pip-audit", "bandit"):
        skrip = bin_ / nama
        skrip.write_text(
            "#!/bin/sh\n"
            f'printf "%b\\n" "${{{nama.upper().replace("-", "_")}_KELUARAN:-}}"\n'
            f"exit ${{{nama.upper().replace('-', '_')}_KELUAR:-0}}\n"
        )
        skrip.chmod(0o755)
    for stempel in (".installed", ".installed-runtime"):
        (tmp_path / "venv" / stempel).touch()  # newer than the requirements: no install
    return tmp_path / "venv"


@pytest.mark.parametrize(
    ("kasus", "lulus", "peringatan"),
    [
        ("tak_terjangkau", True, True),
        ("galat_koneksi", True, True),
        ("bersih", True, False),
        ("rentan", False, False),
    ],
)
def test_make_audit_fails_on_a_vulnerability_but_only_warns_when_offline(
    venv_palsu, kasus, lulus, peringatan
):
    keluar, keluaran = AUDIT_PALSU[kasus]
    hasil = _jalankan(
        "make",
        "--no-print-directory",
        "audit",
        f"VENV={venv_palsu}",
        env={"PIP_AUDIT_KELUAR": str(keluar), "PIP_AUDIT_KELUARAN": keluaran},
    )
    assert (hasil.returncode == 0) is lulus, hasil.stdout + hasil.stderr
    assert ("WARNING" in hasil.stdout) is peringatan, hasil.stdout


def test_make_audit_fails_when_bandit_finds_something(venv_palsu):
    hasil = _jalankan(
        "make",
        "--no-print-directory",
        "audit",
        f"VENV={venv_palsu}",
        env={"BANDIT_KELUAR": "1", "PIP_AUDIT_KELUARAN": AUDIT_PALSU["bersih"][1]},
    )
    assert hasil.returncode != 0


def test_bandit_finds_nothing_unreviewed_in_our_code():
    # every finding is marked on its line with the reason and `# nosec <rule>`
    hasil = _jalankan(
        str(Path(sys.executable).parent / "bandit"), "--quiet", "--ini", ".bandit", "-r", "."
    )
    assert hasil.returncode == 0, hasil.stdout[-3000:]

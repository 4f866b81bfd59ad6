"""Settings for Klaster Mandiri, read from the environment.

Every value that differs between a laptop and production comes from an environment
variable, parsed by a helper that fails loudly on a value it does not understand.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), got {raw!r}")


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from exc


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off. "
            "For local work set DEBUG=1 (make run does this)."
        )
    SECRET_KEY = "django-insecure-local-development-only"  # noqa: S105 (DEBUG only) # nosec B105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
# `make run HOST=0.0.0.0` (trying the app from a phone on the same network) passes its HOST
# here. In DEBUG, without ALLOWED_HOSTS set, a server bound beyond loopback answers to the
# address it was bound to, or to any host name when bound to every interface: the phone
# reaches it by the laptop's address, which the laptop cannot know for certain.
RUNSERVER_HOST = os.environ.get("RUNSERVER_HOST", "").strip().strip("[]")
if DEBUG and "ALLOWED_HOSTS" not in os.environ and RUNSERVER_HOST:
    if RUNSERVER_HOST in {"0.0.0.0", "::"}:  # noqa: S104 (DEBUG only: bound by make run) # nosec B104
        ALLOWED_HOSTS = ["*"]
    elif RUNSERVER_HOST not in {"127.0.0.1", "localhost", "::1"}:
        ALLOWED_HOSTS = [*ALLOWED_HOSTS, RUNSERVER_HOST]
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "bootstrap",
    "django_filters",
    "simple_history",
    "import_export",
    "axes",
    "csp",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_tasks",
    "django_tasks_db",
    "klaster",
    "tugas",
    "mitra",
    "kelompok",
    "bantuan",
    "tabungan",
    "kunjungan",
    "program",
    "kelembagaan",
    "laporan",
    "impor",
    "demo",
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # the read state for the replica router (klaster/replika.py), around all the rest
    "config.middleware.ReplikaMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "config.middleware.SesiBergulirMiddleware",
    # the interface language: the language cookie or Indonesian (klaster/bahasa.py)
    "config.middleware.BahasaMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # personal data (full NIK on a mitra's page and in exports): never in a shared cache
    "config.middleware.TanpaCacheBersamaMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "config.middleware.PermissionsPolicyMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "config.middleware.WajibGantiSandiMiddleware",
    # last, as django-axes requires: it turns a lockout into the lockout page
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "config.context_processors.peran",
            ],
            # unlocalize: ids in attributes and query strings must never get a thousand separator
            "builtins": ["klaster.templatetags.format", "django.templatetags.l10n"],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"


def _database(url: str) -> dict:
    db = dj_database_url.parse(
        url,
        conn_max_age=env_int("CONN_MAX_AGE", 60),
        # a connection kept for reuse (CONN_MAX_AGE) that the server dropped meanwhile (a
        # restart, a failover, an idle timeout) is replaced before the request uses it
        conn_health_checks=True,
        # behind pgbouncer in transaction pooling a cursor cannot outlive its transaction:
        # DB_SERVER_SIDE_CURSORS=0 makes QuerySet.iterator() fetch in the client instead
        disable_server_side_cursors=not env_bool("DB_SERVER_SIDE_CURSORS", True),
    )
    if db["ENGINE"] == "django.db.backends.postgresql":
        # PostgreSQL's JIT compiles any plan above jit_above_cost; for the report's grouped
        # queries over a national history it spent longer compiling (measured ~1.5 s on a
        # 2-core server) than the query ran. Off for this application's sessions only.
        opsi = db.setdefault("OPTIONS", {})
        opsi["options"] = f"-c jit=off {opsi.get('options', '')}".strip()
    return db


DATABASES = {
    "default": _database(os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"))
}
# A streaming replica of the primary (PostgreSQL hot standby) for the report and export
# pages (the dashboard, the impact report and its files, portfolio, arrears): they mark
# themselves with klaster.replika.baca_replika and the router sends their reads there; every
# write, and every read of a request whose user wrote in the last REPLIKA_JEDA_DETIK seconds,
# goes to "default". Unset: everything reads "default". README "Scaling out".
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
if DATABASE_REPLICA_URL:
    DATABASES["replika"] = _database(DATABASE_REPLICA_URL)
    # the test runner does not create a database on a read-only copy: in tests the alias
    # reads the test database (tests/test_replika.py starts a real replica of its own)
    DATABASES["replika"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["klaster.replika.RouterReplika"]
# how long after a write its user reads the primary only: longer than the replica's lag
REPLIKA_JEDA_DETIK = env_int("REPLIKA_JEDA_DETIK", 30)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Caches. "default" is each process's own memory (fragments rendered once per process: the
# navigation, the offline layer's strings). "laporan" holds the impact report's and the
# dashboard's sections (laporan/bagian.py), keyed on the versions of the figures that the
# database keeps, so it is shared by every worker and survives a restart: a table in the
# application's database by default (created by `manage.py createcachetable`, which
# `make migrate` runs), or Redis when REDIS_URL (or CACHE_URL) is set, e.g.
# redis://127.0.0.1:6379/1. An entry of a superseded version is never read again; it
# leaves after CACHE_LAPORAN_DETIK or when the table is full.
CACHE_LAPORAN_DETIK = env_int("CACHE_LAPORAN_DETIK", 3 * 24 * 60 * 60)
# Each worker keeps this many of those entries as objects in front of the shared cache
# (klaster/simpanan.py). A national page right after a write reads the written klaster's
# parts of the groups the write touched (32 klaster per block), one entry per block and
# group of sections, and one per section (laporan/bagian.py): at 1,000 klaster a worker
# that has served every section keeps 224 block entries (32 blocks x 7 groups), a block's
# parts after a write and the merged sections, about 500 entries.
CACHE_LAPORAN_SALINAN = env_int("CACHE_LAPORAN_SALINAN", 1024)
_CACHE_URL = os.environ.get("REDIS_URL") or os.environ.get("CACHE_URL") or ""
if _CACHE_URL:
    if not _CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured(
            f"REDIS_URL/CACHE_URL must be a Redis URL (redis://host:port/db), got {_CACHE_URL!r}"
        )
    _CACHE_LAPORAN = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": _CACHE_URL,
    }
else:
    _CACHE_LAPORAN = {
        # Django's DatabaseCache, its set_many in one statement (config/cache.py)
        "BACKEND": "config.cache.TabelCache",
        "LOCATION": "cache_laporan",
        # national scale: ~1,000 entries a day (101 klaster x sections x dates asked)
        "OPTIONS": {"MAX_ENTRIES": 50_000},
    }
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "OPTIONS": {"MAX_ENTRIES": 2_000},
    },
    "laporan": {**_CACHE_LAPORAN, "KEY_PREFIX": "km", "TIMEOUT": CACHE_LAPORAN_DETIK},
}
if _CACHE_URL:
    # With Redis, sessions are read from it and written to both it and the database
    # (cached_db): the database stays the record, so a flushed or restarted Redis signs
    # nobody out, and a sign-out in one worker is seen by every other at once (a shared
    # cache, never a per-process one). Saves the session query of every signed-in page.
    CACHES["sesi"] = {**_CACHE_LAPORAN, "KEY_PREFIX": "sesi", "TIMEOUT": None}
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    SESSION_CACHE_ALIAS = "sesi"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # not a rule: its password_changed hook flags a password set by another person (the
    # admin) so that its owner must replace it at the next request (klaster/sandi.py)
    {"NAME": "klaster.sandi.PenandaGantiSandi"},
]

# django-axes checks the lockout first; ModelBackend then does the real authentication.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

LOGIN_URL = "akun:masuk"
LOGIN_REDIRECT_URL = "klaster:beranda"
LOGOUT_REDIRECT_URL = "akun:masuk"

# Indonesian by default; English for donors and partners (issue 19). Each language is named
# in itself on the switcher. The choice lives in the language cookie (a year) and, for a
# signed-in user, in klaster.PreferensiBahasa (klaster/bahasa.py). Numbers and money stay
# Indonesian in both (config/formats/en), unless the impact report is asked for English
# number formatting (klaster/format.py).
LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
LANGUAGE_COOKIE_NAME = "km_bahasa"
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
LANGUAGE_COOKIE_SAMESITE = "Lax"
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True
# locale/: the project's catalogues (make messages); locale/paket/: Indonesian for
# third-party packages that ship none (django-import-export), kept apart so that
# makemessages never marks them obsolete
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale" / "paket"]

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not DEBUG
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# whitenoise looks in STATIC_ROOT (filled by collectstatic in production). On a laptop and in
# the tests it finds the files where they live, each request (autorefresh), instead: so it
# neither needs collectstatic nor warns "No directory at: staticfiles/". Fixed here because
# pytest-django turns settings.DEBUG off during tests, which is what whitenoise would read.
WHITENOISE_AUTOREFRESH = DEBUG
WHITENOISE_USE_FINDERS = DEBUG
# Background work (tugas/, README "Background work"): django-tasks, its queue in the
# application's database (django-tasks-db), run by `manage.py db_worker` (make run starts
# one beside the server). Exports over EKSPOR_LATAR_BARIS rows (mitra in the report's scope,
# records in a list) and imports over IMPOR_LATAR_BARIS rows are made there, with a progress
# bar; their files are kept TUGAS_UMUR_JAM hours for their owner only.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}
EKSPOR_LATAR_BARIS = env_int("EKSPOR_LATAR_BARIS", 5000)
# the PDF lays out every table of the report with WeasyPrint: ~2-3 s for one klaster of
# 324 mitra, so it moves to the background much sooner than the spreadsheets
EKSPOR_LATAR_BARIS_PDF = env_int("EKSPOR_LATAR_BARIS_PDF", 300)
IMPOR_LATAR_BARIS = env_int("IMPOR_LATAR_BARIS", 2000)
TUGAS_UMUR_JAM = env_int("TUGAS_UMUR_JAM", 24)
TUGAS_SIMPAN_HARI = env_int("TUGAS_SIMPAN_HARI", 30)

MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Uploaded visit photos are served by kunjungan.views.kunjungan_foto after the visit's scope
# check. Behind nginx, MEDIA_ACCEL_REDIRECT=/_foto_internal/ (an `internal` location whose
# alias is MEDIA_ROOT) hands the sending to nginx (X-Accel-Redirect); behind Apache or
# lighttpd with mod_xsendfile, MEDIA_X_SENDFILE=1 sends X-Sendfile with the file's path.
MEDIA_ACCEL_REDIRECT = os.environ.get("MEDIA_ACCEL_REDIRECT", "")
MEDIA_X_SENDFILE = env_bool("MEDIA_X_SENDFILE", False)
if MEDIA_ACCEL_REDIRECT and not (
    MEDIA_ACCEL_REDIRECT.startswith("/") and MEDIA_ACCEL_REDIRECT.endswith("/")
):
    raise ImproperlyConfigured(
        f"MEDIA_ACCEL_REDIRECT must be a path that starts and ends with '/', got "
        f"{MEDIA_ACCEL_REDIRECT!r}"
    )

# Django's form renderer with <select> written in Python (klaster/penyaji.py): a thousand
# options through one template include each cost ~100 ms a page at national scale
FORM_RENDERER = "klaster.penyaji.Penyaji"
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

SESSION_COOKIE_AGE = 8 * 60 * 60  # 8 hours
# The 8 hours count from the last request (idle timeout): config.middleware
# .SesiBergulirMiddleware saves a session that is in use again once its last save is older
# than SESI_SEGARKAN_DETIK, instead of SESSION_SAVE_EVERY_REQUEST's write on every page.
SESI_SEGARKAN_DETIK = 5 * 60

# The most one financing may be (bantuan/aturan.py): a larger figure is refused as a typing
# mistake by the pages, the import and the admin. Whole rupiah.
BANTUAN_JUMLAH_MAKS = env_int("BANTUAN_JUMLAH_MAKS", 1_000_000_000)

# Four eyes on financing (bantuan/aturan.py): whoever proposed a financing cannot approve it.
# Off (EMPAT_MATA=0) only for a small programme where one person must do both.
EMPAT_MATA = env_bool("EMPAT_MATA", True)

# --- Security (issue 7). Production defaults are the strict ones; DEBUG relaxes them for a
# laptop on plain http. `DEBUG=0 SECRET_KEY=... ALLOWED_HOSTS=... manage.py check --deploy`
# reports no issues with these defaults.
from datetime import timedelta  # noqa: E402

from csp.constants import NONE, SELF  # noqa: E402

# Login lockout: 5 failures for the same username from the same IP lock that pair for 30
# minutes; a failure during the lock restarts it. The lockout page is in Indonesian.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "klaster.views_akun.respons_terkunci"  # templates/akun/terkunci.html
AXES_VERBOSE = False
# Behind a reverse proxy REMOTE_ADDR is the proxy; CLIENT_IP_HEADER names the request.META
# key the proxy overwrites with the client address (e.g. HTTP_X_REAL_IP) so that a lock is
# per client, not per proxy. Unset: REMOTE_ADDR.
CLIENT_IP_HEADER = os.environ.get("CLIENT_IP_HEADER", "")
AXES_CLIENT_IP_CALLABLE = "config.middleware.ip_klien"

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
# e.g. SECURE_PROXY_SSL_HEADER=HTTP_X_FORWARDED_PROTO,https when TLS ends at a proxy that
# always sets (never passes through) that header
_proxy_ssl_header = env_list("SECURE_PROXY_SSL_HEADER", [])
if _proxy_ssl_header:
    if len(_proxy_ssl_header) != 2:
        raise ImproperlyConfigured(
            "SECURE_PROXY_SSL_HEADER must be 'HEADER,value', e.g. HTTP_X_FORWARDED_PROTO,https"
        )
    SECURE_PROXY_SSL_HEADER = tuple(_proxy_ssl_header)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 365 * 24 * 60 * 60)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_HTTPONLY = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
CSRF_FAILURE_VIEW = "klaster.views_akun.galat_csrf"

# Content-Security-Policy (django-csp 4): our own files only, no inline script or style.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "worker-src": [SELF],
        "manifest-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    },
}
# Powerful browser features: location and camera for the app itself (visit reports), the
# rest off. Sent by config.middleware.PermissionsPolicyMiddleware.
PERMISSIONS_POLICY = {
    "geolocation": "(self)",
    "camera": "(self)",
    "microphone": "()",
    "payment": "()",
    "usb": "()",
    "serial": "()",
    "hid": "()",
    "midi": "()",
    "magnetometer": "()",
    "gyroscope": "()",
    "accelerometer": "()",
    "display-capture": "()",
}

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    # Django's own "django" logger has a console handler of its own in DEBUG and passes
    # each record on to the root's too: every line printed twice. Root alone prints them.
    "loggers": {"django": {"handlers": [], "propagate": True}},
}

# --- REST API (api/, issue 19). Personal tokens (api.models.TokenApi) or the browser's
# session; every endpoint scopes and checks roles as the web pages do (klaster/akses.py).
# API_RATE: requests per token (or per signed-in session, or per address without either),
# e.g. "120/min", "5000/hour". Counted in the "default" cache: per process unless that cache
# is shared.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.autentikasi.TokenApiAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_THROTTLE_CLASSES": ["api.batas.BatasPerToken"],
    "DEFAULT_THROTTLE_RATES": {
        "token": os.environ.get("API_RATE", "120/min"),
        "anonim": os.environ.get("API_RATE_ANONIM", "30/min"),
    },
    "DEFAULT_PAGINATION_CLASS": "api.paginasi.HalamanKursor",
    "PAGE_SIZE": 50,
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.galat.penangan_galat",
    "COERCE_DECIMAL_TO_STRING": True,
    "DATE_FORMAT": "iso-8601",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Klaster Mandiri API",
    "DESCRIPTION": (
        "Data programme Klaster Mandiri: klaster, kelompok, mitra, bantuan, angsuran, "
        "kunjungan, pengukuran pendapatan dan angka laporan dampak; pencatatan kunjungan, "
        "pendaftaran mitra, pengukuran pendapatan dan kiriman KoboToolbox. Lihat api/README.md."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    # Swagger UI and Redoc from the drf-spectacular-sidecar package: nothing from a CDN
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # fields of one name with different choices in different models
    "ENUM_NAME_OVERRIDES": {
        "JenisBantuanEnum": "bantuan.models.Bantuan.Jenis",
        "JenisPengukuranEnum": "mitra.models.PengukuranPendapatan.Jenis",
        "StatusBantuanEnum": "bantuan.models.Bantuan.Status",
        "StatusMitraEnum": "mitra.models.Mitra.Status",
        "StatusKelompokEnum": "kelompok.models.Kelompok.Status",
    },
}

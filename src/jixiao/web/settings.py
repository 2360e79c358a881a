"""Django settings for the jixiao web application.

Everything that differs between machines comes from the environment:

- ``JIXIAO_ENV``: ``production`` turns on the secure settings (``check --deploy`` clean);
  anything else (default ``development``) is for a developer's machine.
- ``SECRET_KEY``: required in production; a fixed, clearly-labelled dev key otherwise.
- ``DATABASE_URL``: e.g. ``postgres://user@host:5432/jixiao``; default a SQLite file under ``var/``.
- ``ALLOWED_HOSTS``: comma-separated; ``DEBUG``: ``1``/``0`` overrides the default.
- ``TRUSTED_PROXIES``: addresses/networks of the reverse proxies whose ``X-Forwarded-For`` counts.
- ``CELERY_BROKER_URL``: Redis for background jobs; unset, jobs run in-process.

docs/deploy.md lists every variable.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from jixiao.web.dburl import parse_database_url

WEB_DIR = Path(__file__).resolve().parent
BASE_DIR = Path(os.environ.get("JIXIAO_HOME", Path.cwd())).resolve()
VAR_DIR = BASE_DIR / "var"

ENV = os.environ.get("JIXIAO_ENV", "development").strip().lower()
PRODUCTION = ENV == "production"


def _flag(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = _flag("DEBUG", default=not PRODUCTION)
SECURE = PRODUCTION or not DEBUG

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it to a long random string, e.g. "
            "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`."
        )
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production-" + "x" * 20

ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "").split(",") if h.strip()]
if not ALLOWED_HOSTS and not PRODUCTION:
    ALLOWED_HOSTS = ["localhost", "127.0.0.1", "[::1]", "testserver"]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "jixiao.web.accounts",
    "jixiao.web.org",
    "jixiao.web.audit",
    "jixiao.web.schemes",
    "jixiao.web.cycles",
    "jixiao.web.payroll",
    "jixiao.web.imports",
    "jixiao.web.jobs",
    "jixiao.web.ops",
]

MIDDLEWARE = [
    "jixiao.web.ops.middleware.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "jixiao.web.accounts.middleware.ChineseByDefaultMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "jixiao.web.accounts.middleware.SecurityHeadersMiddleware",
    # last: turns a locked-out login (app or admin) into the lockout page
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "jixiao.web.urls"
WSGI_APPLICATION = "jixiao.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [WEB_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "jixiao.web.accounts.context.roles",
            ],
        },
    }
]

_db_url = os.environ.get("DATABASE_URL", "").strip()
if _db_url:
    DATABASES = {"default": parse_database_url(_db_url, base_dir=BASE_DIR)}
else:
    DATABASES = {
        "default": {"ENGINE": "django.db.backends.sqlite3", "NAME": str(VAR_DIR / "jixiao.sqlite3")}
    }
if (
    DATABASES["default"]["ENGINE"].endswith("sqlite3")
    and DATABASES["default"]["NAME"] != ":memory:"
):
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# The lockout backend goes first (django-axes); the second refuses demo accounts in production.
AUTHENTICATION_BACKENDS = [
    "jixiao.web.accounts.lockout.LockoutBackend",
    "jixiao.web.accounts.backends.AccountBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "cycles:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Login lockout (django-axes, attempts stored in the database so locks survive restarts and
# hold across workers): LOGIN_FAILURE_LIMIT failures for one (username, client address) pair
# lock that pair for LOGIN_FAILURE_WINDOW seconds — an outsider elsewhere cannot lock a known
# user out — and LOGIN_IP_FAILURE_LIMIT failures from one address, whatever the usernames,
# lock the address (password spraying). The client address is the connecting peer, or the
# X-Forwarded-For entry added by a proxy listed in TRUSTED_PROXIES (jixiao.web.clientip).
LOGIN_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
LOGIN_FAILURE_WINDOW = int(os.environ.get("LOGIN_FAILURE_WINDOW", "900"))
LOGIN_IP_FAILURE_LIMIT = int(os.environ.get("LOGIN_IP_FAILURE_LIMIT", "30"))
TRUSTED_PROXIES = [p.strip() for p in os.environ.get("TRUSTED_PROXIES", "").split(",") if p.strip()]
AXES_ENABLED = True
AXES_HANDLER = "jixiao.web.accounts.lockout.LockoutHandler"
AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = dt.timedelta(seconds=LOGIN_FAILURE_WINDOW)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "jixiao.web.clientip.client_ip"
AXES_LOCKOUT_CALLABLE = "jixiao.web.accounts.lockout.lockout_response"
AXES_USERNAME_CALLABLE = "jixiao.web.accounts.lockout.username_of"
AXES_VERBOSE = False
AXES_ENABLE_ADMIN = True

_redis = os.environ.get("REDIS_URL", "").strip()
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _redis}
        if _redis
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "jixiao"}
    )
}

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [WEB_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [WEB_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# WhiteNoise serves static files from the app server. With DEBUG off the files are served
# from STATIC_ROOT with hashed names and gzip/brotli copies (`serve` runs collectstatic);
# with DEBUG on, straight from the source folders.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# Background jobs (jixiao.web.jobs): Celery with this broker; unset, jobs run in-process.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "").strip()
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_QUEUE", "jixiao")

# Security baseline (cookies, headers). Strict in production, relaxed only for local http dev.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 8 * 3600
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    CSRF_COOKIE_HTTPONLY = True
    SECURE_SSL_REDIRECT = _flag("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # load balancers probe over plain http

# Business defaults from the seeds (000: appeal within 3 working days, handled within 10 days;
# 001: the GM approves within 3 days; absent > 20 days: not appraised this period). Working
# days follow China's public holidays and 调休 (jixiao.web.workdays).
JIXIAO_APPROVAL_DAYS = 3
JIXIAO_RATING_WORKING_DAYS = 5
JIXIAO_APPEAL_WORKING_DAYS = 3
JIXIAO_APPEAL_HANDLING_DAYS = 10
JIXIAO_ABSENCE_LIMIT_DAYS = 20
# Upload size per role, checked before a byte of the upload is read (docs/security.md): heads
# and supervisors upload their departments' data, HR the whole shop's.
JIXIAO_UPLOAD_MAX_BYTES = {"hr": 20 * 2**20, "manager": 2 * 2**20}
# An import preview not confirmed within this many hours expires (its stored file is deleted by
# the next upload to the cycle or by `python -m jixiao.web expire_imports`).
JIXIAO_IMPORT_PREVIEW_HOURS = 72

# One line per request (jixiao.request, from jixiao.web.ops.middleware) on stderr. Django's own
# request logger only reports server errors (with the traceback): a 403/404 is the one line.
LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO").upper()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "line": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "line"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "jixiao.request": {"level": LOG_LEVEL},
        "jixiao.jobs": {"level": LOG_LEVEL},
        "django.request": {"level": "ERROR"},
        "django.security": {"level": "WARNING"},
        # failed logins are kept in the database (axes.AccessAttempt, in the admin)
        "axes": {"level": "ERROR"},
    },
}

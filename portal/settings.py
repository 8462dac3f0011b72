"""Settings of the portal: one file, driven by the environment.

`DJANGO_ENV=production` turns on the production checks: a secret key and allowed
hosts must come from the environment, cookies are HTTPS-only, HSTS is on.
`DATABASE_URL` picks the database (default: SQLite under var/); `REDIS_URL` picks
the Celery broker (unset: tasks run eagerly in-process).
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name, default)
    if value is None:
        raise ImproperlyConfigured(f"Set the environment variable {name}.")
    return value


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {raw!r}.")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, not {raw!r}.") from exc


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_rate(name: str, default: str) -> str:
    """A rate limit: a count per second, minute, hour or day ("60/m"; "30/10m" is 30 in ten
    minutes), as portal/ratelimits.py reads it."""
    value = env_str(name, default)
    if not re.fullmatch(r"[1-9][0-9]*/[0-9]*[smhd]", value):
        raise ImproperlyConfigured(f"{name} must be a rate such as 60/m, not {value!r}.")
    return value


def redis_database(url: str, number: int) -> str:
    """The same Redis server as `url`, another of its numbered databases."""
    return urlsplit(url)._replace(path=f"/{number}").geturl()


ENVIRONMENT = env_str("DJANGO_ENV", "development")
if ENVIRONMENT not in {"development", "production"}:
    raise ImproperlyConfigured("DJANGO_ENV must be 'development' or 'production'.")
PRODUCTION = ENVIRONMENT == "production"

DEBUG = False if PRODUCTION else env_bool("DJANGO_DEBUG", True)
SECRET_KEY = (
    env_str("DJANGO_SECRET_KEY")
    if PRODUCTION
    else env_str("DJANGO_SECRET_KEY", "development-only-key-never-used-in-production")
)
ALLOWED_HOSTS = (
    env_list("DJANGO_ALLOWED_HOSTS")
    if PRODUCTION
    else env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
)
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("Set DJANGO_ALLOWED_HOSTS in production.")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "django_tables2",
    "csp",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "portal",
    "companies",
    "credit",
    "funds",
    "proposals",
    "supervision",
    "cases",
    "demonstrations",
    "complaints",
    "training",
]

MIDDLEWARE = [
    # First: the kept bytes of a public page for an anonymous visitor, with the headers the
    # whole stack gave them (portal/pagecache.py), before anything else costs a thing.
    "portal.pagecache.PublishedPageMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Early, so that every answer carries them, those of the middleware below included.
    "csp.middleware.CSPMiddleware",
    "portal.headers.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Before the language's ?lang= link answers anything: a NUL in an address is a 400.
    "portal.middleware.RefuseNulMiddleware",
    "portal.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "portal.ratelimits.RateLimitedPostsMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "portal.middleware.SessionLimitsMiddleware",
    "portal.middleware.MfaMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into its lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.menu.context",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'portal.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60 if PRODUCTION else 0),
        # A reused connection is checked before a request uses it: a database restart or a
        # terminated backend costs a reconnect, not a 500.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several threads (runserver, the live test server) share the file: wait, do not fail.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
else:
    # PostgreSQL's JIT compiles a query whose estimated cost is high (a subquery per row of a
    # country's tables) for longer than the query then runs: 320 of the progress page's
    # 480 ms on the country set (issue 14). A page's queries are short; no JIT.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "portal.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "portal.passwords.ContextWordsValidator"},
    {"NAME": "portal.passwords.ChineseCommonPasswordValidator"},
]
# Names a guesser tries first: the city's and the bureau's, in characters and pinyin.
PORTAL_PASSWORD_CONTEXT_WORDS = env_list(
    "PORTAL_PASSWORD_CONTEXT_WORDS",
    "吉林,jilin,吉林市,jilinshi,住建,zhujian,住建局,zhujianju,物业,wuye",
)
CSRF_FAILURE_VIEW = "portal.views.csrf_failure"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "portal:dashboard"
LOGOUT_REDIRECT_URL = "portal:home"

# The second factor (portal/mfa.py): these roles must enrol; every other role may.
PORTAL_MFA_REQUIRED_ROLES = env_list("PORTAL_MFA_REQUIRED_ROLES", "bureau")
OTP_TOTP_ISSUER = "物业监管平台"

# Failed sign-ins: five failures for one user name from one address lock it for 15 minutes.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False  # no banner on every manage.py command
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# Behind reverse proxies the address that connects is the proxy's: count the person's from
# X-Forwarded-For (portal/web.py client_ip), or anyone could lock anyone out with five tries.
PORTAL_PROXY_COUNT = env_int("PORTAL_PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "portal.web.client_ip"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# ISO dates first among the input formats (date inputs read nothing else).
FORMAT_MODULE_PATH = ["portal.formats"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "var" / "staticfiles"
# Uploaded files are never served from a public address: portal/files.py serves each to
# whoever may read the row that holds it (there is no MEDIA_URL on purpose).
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
# Outside production, whitenoise serves straight from static/ (no collectstatic needed).
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = DEBUG
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap5.html"

# Spreadsheet imports: larger files are refused before they are parsed.
IMPORT_MAX_BYTES = env_int("IMPORT_MAX_BYTES", 10 * 1024 * 1024)
IMPORT_MAX_ROWS = env_int("IMPORT_MAX_ROWS", 200_000)
# An .xlsx is a zip: refuse one that would unpack to more than this (zip bombs).
IMPORT_MAX_UNCOMPRESSED_BYTES = env_int("IMPORT_MAX_UNCOMPRESSED_BYTES", 20 * IMPORT_MAX_BYTES)
# Each part of an .xlsx that openpyxl holds in memory whole (all but the worksheets, which it
# streams): the shared strings of a 100,000-row workbook take a few MB.
IMPORT_MAX_PART_BYTES = env_int("IMPORT_MAX_PART_BYTES", 16 * 1024 * 1024)
# Larger files are read and checked by a Celery worker, not in the upload's request; plans
# writing more rows are applied by a worker (one transaction, progress on the page).
IMPORT_INLINE_MAX_BYTES = env_int("IMPORT_INLINE_MAX_BYTES", 256 * 1024)
IMPORT_INLINE_MAX_ROWS = env_int("IMPORT_INLINE_MAX_ROWS", 2000)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "portal@localhost")

# Celery: with REDIS_URL unset, tasks run eagerly in this process (the SQLite default).
REDIS_URL = os.environ.get("REDIS_URL", "")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or "cache+memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
# At-least-once delivery: a task is acknowledged after it ran, a killed worker's task
# returns to the queue, and it returns within minutes (Redis visibility timeout).
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 300)}
CELERY_RESULT_EXPIRES = 24 * 3600
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE: dict = {
    # The dashboard's trend: the day's coverage counts per city, district and street.
    "coverage-snapshot-daily": {
        "task": "companies.tasks.coverage_snapshot_take",
        "schedule": crontab(hour=1, minute=30),
    },
    # An emergency repair step that passed its deadline is escalated, never approved by silence.
    "funds-escalate-overdue-emergencies": {
        "task": "funds.escalate_overdue_emergencies",
        "schedule": crontab(minute="*/15"),
    },
    # Every active rating run ends: finished, or failed with a reason (credit.services.reconcile).
    "credit-rating-runs-reconcile": {
        "task": "credit.tasks.rating_runs_reconcile",
        "schedule": float(env_int("CREDIT_RECONCILE_EVERY_SECONDS", 30)),
    },
    # Handlers hear of overdue and near-due proposals and of owed second replies.
    "proposals-due-reminders": {
        "task": "proposals.tasks.send_due_reminders",
        "schedule": crontab(hour=8, minute=0),
    },
}

# --- Rules of the trade the bureau may tune (deadlines, limits); rating rules live in RuleSet.
# The rating batch: firms per Celery task (one transaction and a fixed number of queries each).
CREDIT_RATING_CHUNK_SIZE = env_int("CREDIT_RATING_CHUNK_SIZE", 4000)
# Parts of the shared cells a run of several chunks aggregates once (credit/services/batch.py);
# 0: every chunk reads the assessments itself.
CREDIT_RATING_CELLS_PARTS = env_int("CREDIT_RATING_CELLS_PARTS", 2)
# A run whose chunks rated no firm for this long is reconciled (credit.services.reconcile):
# a chunk of 4000 firms takes 1.3 s warm and 24 s at worst, cold (docs/benchmarks.md).
CREDIT_RUN_STALL_SECONDS = env_int("CREDIT_RUN_STALL_SECONDS", 60)
CREDIT_RUN_MAX_ROUNDS = env_int("CREDIT_RUN_MAX_ROUNDS", 5)
# A chunk meeting a database error tries again after 2, 4, 8, 16, 30, 30 s (plus up to 25%).
CREDIT_CHUNK_RETRIES = env_int("CREDIT_CHUNK_RETRIES", 6)
CREDIT_CHUNK_RETRY_FLOOR_SECONDS = env_int("CREDIT_CHUNK_RETRY_FLOOR_SECONDS", 2)
CREDIT_CHUNK_RETRY_CAP_SECONDS = env_int("CREDIT_CHUNK_RETRY_CAP_SECONDS", 30)
# A credit certificate is valid this many days from its issue, unless revoked or superseded
# by a newer list that grades the firm otherwise (checked live on the public verify page).
CREDIT_CERTIFICATE_VALID_DAYS = env_int("CREDIT_CERTIFICATE_VALID_DAYS", 90)
CREDIT_EVIDENCE_MAX_BYTES = env_int("CREDIT_EVIDENCE_MAX_BYTES", 5 * 1024 * 1024)
SUPERVISION_PHOTO_MAX_BYTES = env_int("SUPERVISION_PHOTO_MAX_BYTES", 5 * 1024 * 1024)
CREDIT_ATTACHMENT_MAX_BYTES = env_int("CREDIT_ATTACHMENT_MAX_BYTES", 5 * 1024 * 1024)
CREDIT_MAX_ATTACHMENTS = env_int("CREDIT_MAX_ATTACHMENTS", 5)
CREDIT_RECTIFICATION_DAYS = env_int("CREDIT_RECTIFICATION_DAYS", 30)
FUNDS_EVIDENCE_MAX_BYTES = env_int("FUNDS_EVIDENCE_MAX_BYTES", 5 * 1024 * 1024)
FUNDS_EMERGENCY_STEP_HOURS = env_int("FUNDS_EMERGENCY_STEP_HOURS", 24)
FUNDS_NOTICE_DAYS = env_int("FUNDS_NOTICE_DAYS", 10)
FUNDS_ORDINARY_PUBLICITY_DAYS = env_int("FUNDS_ORDINARY_PUBLICITY_DAYS", 7)
FUNDS_TOP_UP_RATIO = env_str("FUNDS_TOP_UP_RATIO", "0.30")
FUNDS_FIRST_PAYMENT_RATIO = env_str("FUNDS_FIRST_PAYMENT_RATIO", "0.70")
# A year's maintenance plan is late when not approved by the end of this month of the year.
FUNDS_PLAN_DUE_MONTH = env_int("FUNDS_PLAN_DUE_MONTH", 3)
PROPOSALS_REPLY_MONTHS = env_int("PROPOSALS_REPLY_MONTHS", 3)
# Cases from the ground: a photo's size limit, the deduction a confirmed case proposes
# (points), and per urgency the days of each step (review, report, close, confirm), when the
# bureau changes cases/choices.py's table: {"urgent": [1, 1, 1, 2], ...}.
CASES_PHOTO_MAX_BYTES = env_int("CASES_PHOTO_MAX_BYTES", 10 * 1024 * 1024)
CASES_CREDIT_POINTS = env_str("CASES_CREDIT_POINTS", "2.00")
CASES_DEADLINE_DAYS: dict[str, list[int]] = {}
# Owners' complaints: working days for the firm's answer and the community's verification.
COMPLAINTS_ANSWER_DAYS = env_int("COMPLAINTS_ANSWER_DAYS", 5)
COMPLAINTS_VERIFY_DAYS = env_int("COMPLAINTS_VERIFY_DAYS", 5)
PROPOSALS_MAX_REPLY_MONTHS = env_int("PROPOSALS_MAX_REPLY_MONTHS", 6)
PROPOSALS_CO_INPUT_MONTHS = env_int("PROPOSALS_CO_INPUT_MONTHS", 1)
PROPOSALS_RETURN_DAYS = env_int("PROPOSALS_RETURN_DAYS", 5)
PROPOSALS_REHANDLE_MONTHS = env_int("PROPOSALS_REHANDLE_MONTHS", 1)
PROPOSALS_NEAR_DUE_DAYS = env_int("PROPOSALS_NEAR_DUE_DAYS", 14)
# The register metadata of replies start from these (bureau staff may edit them in the admin).
PROPOSALS_ORGANISATION_CODE = env_str("PROPOSALS_ORGANISATION_CODE", "1120200MB17140993")
PROPOSALS_DOC_PREFIX_CPPCC = env_str("PROPOSALS_DOC_PREFIX_CPPCC", "吉市住建提字")
PROPOSALS_DOC_PREFIX_NPC = env_str("PROPOSALS_DOC_PREFIX_NPC", "吉市住建建字")

if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", False)
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SECURE_REFERRER_POLICY = "same-origin"
    SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
SESSION_COOKIE_HTTPONLY = True
# A session ends after this many idle minutes (the bureau's sooner), and after a working day.
PORTAL_IDLE_MINUTES_BUREAU = env_int("PORTAL_IDLE_MINUTES_BUREAU", 30)
PORTAL_IDLE_MINUTES = env_int("PORTAL_IDLE_MINUTES", 120)
PORTAL_SESSION_HOURS = env_int("PORTAL_SESSION_HOURS", 10)
SESSION_COOKIE_AGE = PORTAL_SESSION_HOURS * 3600
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp): nothing inline runs and nothing inline styles (no
# script, style element, style attribute or on…= handler in a template: behaviour lives in
# static/js, looks in static/css; JSON for scripts in <script type="application/json">, which
# is data, not run), and nothing comes from another origin (intranets: every library is
# vendored under static/). tests/portal/test_headers.py checks every template for it.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        # Bootstrap draws the arrows and ticks of its form controls as data: SVGs in its CSS.
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],  # Bootstrap Icons
        "connect-src": ["'self'"],  # htmx, and the pickers asking the server
        "frame-ancestors": ["'none'"],  # X-Frame-Options DENY, for browsers that read CSP
        "form-action": ["'self'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}
# Powerful features the portal never uses, refused to every page (and to anything a page
# would embed): portal/headers.py.
PORTAL_PERMISSIONS_POLICY = {
    feature: "()"
    for feature in (
        "accelerometer",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "hid",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "serial",
        "usb",
    )
}

# The cache (public pages, reply PDFs, rate-limit counts): Redis when REDIS_URL is set, so that
# every gunicorn worker counts and forgets alike, in a database of its own (clearing a cache
# flushes its whole database, and Celery's queues live in REDIS_URL's); else memory, per
# process. The public pages are invalidated through this cache (portal/pagecache.py): with
# several worker processes it must be the shared one, or a publication shows only in the
# process that made it.
CACHE_URL = env_str("CACHE_URL", redis_database(REDIS_URL, 1) if REDIS_URL else "")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
        if CACHE_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# Rate limits per visitor (portal/ratelimits.py: per client address, per account when signed
# in), high enough that a person never meets them: pages, searches (each a query of the
# database), files (CSV, JSON, PDF: larger answers), and sign-in attempts across user names.
PORTAL_RATE_LIMITS_ENABLED = env_bool("PORTAL_RATE_LIMITS_ENABLED", True)
PORTAL_RATE_LIMITS = {
    "public_pages": env_rate("PORTAL_RATE_PUBLIC_PAGES", "60/m"),
    "public_search": env_rate("PORTAL_RATE_PUBLIC_SEARCH", "60/m"),
    "public_files": env_rate("PORTAL_RATE_PUBLIC_FILES", "20/m"),
    "sign_in": env_rate("PORTAL_RATE_SIGN_IN", "20/m"),
}
# Views not ours to decorate: their POSTs are limited by URL name (RateLimitedPostsMiddleware).
PORTAL_RATE_LIMITED_POSTS = {"login": "sign_in", "portal:mfa_verify": "sign_in"}
# A reply's PDF is drawn once per version of its content and kept this long.
PROPOSALS_PDF_CACHE_SECONDS = env_int("PROPOSALS_PDF_CACHE_SECONDS", 7 * 24 * 3600)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}

# Texts the bureau may reword without a code change.
PORTAL_NAME = _("Property Supervision Portal")
BUREAU_NAME = env_str("PORTAL_BUREAU_NAME", "市住房和城乡建设局")

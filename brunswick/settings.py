"""Settings for the Brunswick Park concern portal.

Everything is configured from the environment (django-environ). With nothing set, the
portal runs on embedded defaults that need no other server: SQLite, Celery tasks run
eagerly, private files on local disk under var/, e-mail printed to the console.
Setting DATABASE_URL, REDIS_URL and EMAIL_URL switches to the real services.
"""

import secrets
from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
VAR_DIR = Path(env("BRUNSWICK_VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def _embedded_secret_key() -> str:
    """A per-install key kept under var/, so a new machine needs no configuration."""
    path = VAR_DIR / "secret-key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


# DJANGO_ENV=production: the key must come from the environment, and the HTTPS-only
# settings below default to on. Each can still be set on its own.
PRODUCTION = env("DJANGO_ENV", default="development") == "production"
SECRET_KEY = (
    env("SECRET_KEY") if PRODUCTION else (env("SECRET_KEY", default=None) or _embedded_secret_key())
)
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = (
    env.list("ALLOWED_HOSTS")
    if PRODUCTION
    else env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# The public address of the portal, for links in e-mails sent by the worker.
PORTAL_URL = env("PORTAL_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "pgtrigger",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_filters",
    "axes",
    "crispy_forms",
    "crispy_forms_gds",
    "simple_history",
    "brunswick.accounts",
    "brunswick.audit",
    "brunswick.outbox",
    "brunswick.access",
    "brunswick.school",
    "reports",
    "cases",
    "letters",
    "brunswick.retention",
    "brunswick.subject_access",
    "insight",
]

MIDDLEWARE = [
    "brunswick.audit.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After WhiteNoise, which answers static files itself: pages only.
    "csp.middleware.CSPMiddleware",
    "brunswick.security.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Signs staff out after STAFF_SESSION_IDLE_SECONDS idle or STAFF_SESSION_MAX_SECONDS in all.
    "brunswick.accounts.middleware.StaffSessionTimeoutMiddleware",
    # Closed by default: a view is public only if marked with @login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # A write that timed out waiting for SQLite's lock: "try again", not a 500.
    "brunswick.errors.DatabaseBusyMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes requires: turns a lockout into the "try again later" page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "brunswick.urls"
WSGI_APPLICATION = "brunswick.wsgi.application"

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
                "brunswick.school.context_processors.school",
                "brunswick.access.context_processors.waiting_roles",
            ],
            # {% load govuk_fields %} in templates/gds/field.html: every field's input
            # styled and counted as GOV.UK Frontend's components are.
            "libraries": {"govuk_fields": "brunswick.govuk_fields"},
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The web server and the worker write at the same time. BEGIN IMMEDIATE takes the write
    # lock when a transaction starts, so the second writer waits (up to `timeout` seconds)
    # and then reads what the first committed: a case's version check then tells the loser
    # "someone else changed this case" instead of SQLite's "database is locked". WAL lets
    # pages be read while a write is under way.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": env.int("SQLITE_BUSY_TIMEOUT", default=20),
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
# Production may keep connections between requests (CONN_MAX_AGE, seconds); each is then
# checked before use, so after PostgreSQL restarts the next request reconnects.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# In production the portal connects as a role that owns no table, and `migrate` runs as the
# owner: set this (in the migrate container only) to the portal's role, and every migrate
# grants it the row privileges it needs, append-only on the audit log
# (brunswick/audit/privileges.py, docker/db-init/).
DATABASE_APP_ROLE = env("DATABASE_APP_ROLE", default="")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

# Redis, when given, is the Celery broker and the shared cache (rate limits).
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            # Fail fast when Redis is down: rate limiting then lets reports through.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }

# Without Redis, the broker is a folder under var/ (kombu's filesystem transport), and
# `make run` starts a real worker and beat on it: the embedded default runs every task and
# every scheduled job the production set-up does, with no server to install.
CELERY_BROKER_URL = REDIS_URL or "filesystem://"
BROKER_FOLDER = VAR_DIR / "broker"
if not REDIS_URL:
    for _folder in ("queue", "processed", "control"):
        (BROKER_FOLDER / _folder).mkdir(parents=True, exist_ok=True)
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# A web request must not hang while Redis is down: the outbox keeps the job instead.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = (
    {"socket_connect_timeout": 2, "socket_timeout": 5}
    if REDIS_URL
    else {
        "data_folder_in": str(BROKER_FOLDER / "queue"),
        "data_folder_out": str(BROKER_FOLDER / "queue"),
        "processed_folder": str(BROKER_FOLDER / "processed"),
        "control_folder": str(BROKER_FOLDER / "control"),
        "store_processed": False,
        "polling_interval": 0.5,
    }
)
# Beat keeps when each job last ran here, so a restart does not run them all again.
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.5,
    "interval_max": 0.5,
}
CELERY_BEAT_SCHEDULE = {
    "relay-outbox": {"task": "brunswick.outbox.tasks.relay_outbox", "schedule": 60.0},
    "send-reminders": {"task": "cases.tasks.send_reminders", "schedule": 3600.0},
    "discard-stale-staged-screenshots": {
        "task": "reports.tasks.discard_stale_staged_screenshots",
        "schedule": 3600.0,
    },
    "remind-subject-access-deadlines": {
        "task": "brunswick.subject_access.tasks.remind_subject_access_deadlines",
        "schedule": 3600.0,
    },
    "purge-expired-records": {
        "task": "brunswick.retention.tasks.purge_expired_records",
        "schedule": crontab(hour=2, minute=30),
    },
    "clear-expired-sessions": {
        "task": "brunswick.accounts.tasks.clear_expired_sessions",
        "schedule": crontab(hour=3, minute=15),
    },
    # /healthz reports the worker stale when this is older than five minutes.
    "worker-heartbeat": {"task": "brunswick.health.heartbeat", "schedule": 60.0},
}
# Task modules outside an app's tasks.py.
CELERY_IMPORTS = ["brunswick.health"]

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
# A mail server that accepts the connection and then hangs must not hold a worker for ever:
# the job fails, is retried with back-off, and the worker moves on.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
DEFAULT_FROM_EMAIL = env(
    "DEFAULT_FROM_EMAIL",
    default="Brunswick Park concern portal <noreply@brunswickpark.southwark.sch.uk>",
)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Used for report follow-up passphrases as well as staff passwords.
# Rounds of PBKDF2 for a report's follow-up passphrase (reports.credentials): 64.6 random
# bits need less stretching than a password a person chose, and every report and every
# follow-up sign-in pays for it (about 60 ms here, where Django's 1,000,000 took 0.6 s).
PASSPHRASE_HASH_ITERATIONS = env.int("PASSPHRASE_HASH_ITERATIONS", default=100_000)
PASSWORD_HASHERS = env.list(
    "PASSWORD_HASHERS",
    default=[
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        "django.contrib.auth.hashers.ScryptPasswordHasher",
    ],
)

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "staticfiles"
# Evidence lives here: never under STATIC_ROOT and never behind a URL of its own.
# Files are served only through views that check who is asking.
PRIVATE_MEDIA_ROOT = Path(env("PRIVATE_MEDIA_ROOT", default=str(VAR_DIR / "private")))
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(PRIVATE_MEDIA_ROOT), "base_url": None},
    },
    # In production file names carry a hash of their content, so browsers may keep them
    # for a year (WhiteNoise) and a new release is fetched at once; compressed either way.
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "whitenoise.storage.CompressedStaticFilesStorage"
    },
}
# Development serves files straight from static/ as they change; production only what
# collectstatic gathered (finders' copies are neither compressed nor hashed).
WHITENOISE_USE_FINDERS = not PRODUCTION
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
# Ten screenshots of up to 10 MB each, plus the form.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FILES = 20

# --- HTTPS, cookies and security headers ------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=PRODUCTION)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
CSRF_COOKIE_HTTPONLY = True  # No script reads it: forms carry the token.
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "brunswick.errors.csrf_failure"
# Over HTTPS every cookie name carries the __Host- prefix: browsers then accept it only if
# it is Secure, for this host alone and for the whole site, so neither a page on another
# sub-domain of the school's domain nor a plain-HTTP page can plant or overwrite one.
COOKIE_PREFIX = "__Host-" if SESSION_COOKIE_SECURE else ""
SESSION_COOKIE_NAME = f"{COOKIE_PREFIX}sessionid"
CSRF_COOKIE_NAME = f"{COOKIE_PREFIX}csrftoken"
# The key that unseals a visitor's drafts and receipt (reports/browser.py).
REPORT_KEY_COOKIE_NAME = f"{COOKIE_PREFIX}report_key"
# Messages ("Report triaged"): Django's cookie, with the same prefix (brunswick.security).
MESSAGE_STORAGE = "brunswick.security.MessageStorage"
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=365 * 24 * 3600 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
# Preloading commits the whole registrable domain (the school's, or the council's) for
# good: a decision for its owner, so off unless they ask, and the deploy check silenced.
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=PRODUCTION)
# A load balancer or container health check asks over plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Reverse proxies (addresses or networks) whose X-Forwarded-For and X-Forwarded-Proto we
# believe. Empty: the client is REMOTE_ADDR and a forwarded header changes nothing.
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])
if TRUSTED_PROXIES:
    # The proxy terminates TLS and must overwrite (not append to) this header.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Rate limits and lockouts count the client, not our proxy (brunswick.security.client_ip).
RATELIMIT_IP_META_KEY = "brunswick.security.client_ip"
AXES_CLIENT_IP_CALLABLE = "brunswick.security.client_ip"

# Scripts only from our own files (portal.js is a module file; no inline snippets), no
# inline styles, nothing may frame the portal.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}

# --- Staff sign-in, sessions and lockout ---------------------------------------------
LOGIN_URL = "/staff/login/"
LOGIN_REDIRECT_URL = "/staff/"
# django-axes first: it refuses a locked-out username before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Failures count per username AND address together, so someone elsewhere who guesses at
# the Head Teacher's username locks only themselves out. A wrong authenticator code counts
# too (brunswick.accounts.views.StaffAuthenticationForm). The address is the client's, from
# brunswick.security.client_ip (AXES_CLIENT_IP_CALLABLE below): behind a reverse proxy, list
# it in TRUSTED_PROXIES, or all staff share the proxy's address.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = True  # The lockout page says so.
AXES_LOCKOUT_CALLABLE = "brunswick.accounts.views.locked_out"
# Masked in django-axes' records and logs (it always masks the password).
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "otp_token", "csrfmiddlewaretoken"]
# A staff session ends after this long without a request, and this long after sign-in.
# Parents' follow-up access has its own limit (FOLLOW_UP_SESSION_SECONDS).
STAFF_SESSION_IDLE_SECONDS = env.int("STAFF_SESSION_IDLE_SECONDS", default=30 * 60)
STAFF_SESSION_MAX_SECONDS = env.int("STAFF_SESSION_MAX_SECONDS", default=12 * 60 * 60)

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"
# Widgets crispy-forms-gds does not know would get their class name as a CSS class
# ("timeinput"); brunswick/govuk_fields.py gives them GOV.UK Frontend's classes instead.
CRISPY_CLASS_CONVERTERS = {
    name: ""
    for name in (
        "timeinput", "dateinput", "datetimeinput", "numberinput", "urlinput",
        "fileinput", "multiplefileinput", "telinput",
    )
}  # fmt: skip

# --- The portal's own limits -------------------------------------------------------
SCREENSHOT_MAX_FILES = env.int("SCREENSHOT_MAX_FILES", default=10)
SCREENSHOT_MAX_BYTES = env.int("SCREENSHOT_MAX_BYTES", default=10 * 1024 * 1024)
SCREENSHOT_MAX_PIXELS = env.int("SCREENSHOT_MAX_PIXELS", default=60_000_000)
# Staged screenshots not attached to a report within this time are discarded.
SCREENSHOT_STAGING_HOURS = env.int("SCREENSHOT_STAGING_HOURS", default=24)
# Screenshots kept before a form is sent cost disk: requests that add files, per client
# address and for the whole portal (refused, not let through, when the cache is down);
# bytes on one form and on all unsent forms together; and the free space the private file
# store keeps, below which no new screenshot is staged (sends still go through).
SCREENSHOT_STAGE_RATE_PER_ADDRESS = env("SCREENSHOT_STAGE_RATE_PER_ADDRESS", default="12/15m")
SCREENSHOT_STAGE_RATE_GLOBAL = env("SCREENSHOT_STAGE_RATE_GLOBAL", default="300/15m")
STAGED_BYTES_PER_FORM = env.int("STAGED_BYTES_PER_FORM", default=50 * 1024 * 1024)
STAGED_BYTES_TOTAL = env.int("STAGED_BYTES_TOTAL", default=2 * 1024 * 1024 * 1024)
DISK_FREE_FLOOR_BYTES = env.int("DISK_FREE_FLOOR_BYTES", default=1024 * 1024 * 1024)
# Anonymous submissions per client address, and for the whole portal.
REPORT_RATE_PER_ADDRESS = env("REPORT_RATE_PER_ADDRESS", default="10/h")
REPORT_RATE_GLOBAL = env("REPORT_RATE_GLOBAL", default="300/h")
# Follow-up sign-in: attempts per client address, and wrong passphrases per address and
# reference. Never per reference alone, which a stranger could use to lock a parent out.
FOLLOW_UP_RATE_PER_ADDRESS = env("FOLLOW_UP_RATE_PER_ADDRESS", default="10/15m")
FOLLOW_UP_FAILURES_PER_ADDRESS_AND_REFERENCE = env(
    "FOLLOW_UP_FAILURES_PER_ADDRESS_AND_REFERENCE", default="5/15m"
)
# After a send, the browser that sent it is told "you already sent report BP-..." for
# this long if it comes back to the form (Back, a reload), then forgets the reference.
REPORT_SENT_REMEMBERED_SECONDS = env.int("REPORT_SENT_REMEMBERED_SECONDS", default=20 * 60)
# A form kept while screenshots are added (sealed in the session: reports/browser.py) opens
# again for this long; after it, the parent starts again (the screenshots go at 24 hours).
REPORT_DRAFT_SECONDS = env.int("REPORT_DRAFT_SECONDS", default=2 * 60 * 60)
# How long a parent stays signed in to a report's follow-up page.
FOLLOW_UP_SESSION_SECONDS = env.int("FOLLOW_UP_SESSION_SECONDS", default=30 * 60)
RATELIMIT_USE_CACHE = "default"
RATELIMIT_ENABLE = env.bool("RATELIMIT_ENABLE", default=True)
# django-ratelimit reports a cache that gave no count; reports.ratelimits then decides per
# limit: sends are let through (a school would rather have the report), staging is not.
RATELIMIT_FAIL_OPEN = False
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.E003", "django_ratelimit.W001"]
if not SECURE_HSTS_PRELOAD:
    SILENCED_SYSTEM_CHECKS.append("security.W021")  # See SECURE_HSTS_PRELOAD.

# json: one object per line (brunswick.logs.JsonFormatter), for the log collector.
LOG_FORMAT = env("LOG_FORMAT", default="json" if PRODUCTION else "plain")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "brunswick.logs.JsonFormatter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # WeasyPrint and fontTools narrate every render step at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

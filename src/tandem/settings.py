"""Tandem settings. Every knob comes from an environment variable; the defaults run
the embedded demo (SQLite, file cache, database task worker) with nothing
else installed. See docs/deployment.md for the production values."""

import os
import secrets
import tempfile
from decimal import Decimal
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent.parent
VAR_DIR = Path(os.environ.get("TANDEM_VAR_DIR", PROJECT_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _secret_key() -> str:
    """SECRET_KEY from the environment, else one generated once and kept in VAR_DIR."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    key_file = VAR_DIR / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ninja",  # the API docs from the shop's own static files, not a CDN
    "django.contrib.humanize",
    "django.contrib.sitemaps",  # sitemap.xml (tandem.content.sitemaps)
    "django_tasks",
    "django_tasks_db",
    "tandem.core",
    "tandem.customers",
    "tandem.catalog",
    "tandem.inventory",
    "tandem.pricing",
    "tandem.billing",
    "tandem.cart",
    "tandem.orders",
    "tandem.checkout",
    "tandem.messaging",
    "tandem.quotes",
    "tandem.salesrep",
    "tandem.privacy",
    "tandem.service",
    "tandem.content",
    "tandem.feeds",
    "tandem.punchout",
    "tandem.storefront",
    "tandem.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "tandem.core.problems.RequestIdMiddleware",
    "tandem.core.logs.AccessLogMiddleware",
    "tandem.core.rate_limit.ApiRateLimitMiddleware",
    "tandem.core.middleware.PermissionsPolicyMiddleware",
    "tandem.core.middleware.RejectNullBytesMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "tandem.punchout.middleware.PunchoutModeMiddleware",  # punchout browsers: catalog and cart only
    "tandem.customers.idle.StaffIdleTimeoutMiddleware",
    "tandem.customers.security_middleware.AccountSecurityMiddleware",
    "tandem.core.idempotency.IdempotencyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "tandem.storefront.middleware.CustomerContextMiddleware",
]

ROOT_URLCONF = "tandem.urls"
WSGI_APPLICATION = "tandem.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tandem.storefront.context_processors.shop",
                "tandem.messaging.context_processors.inbox",
                "tandem.salesrep.context_processors.acting",  # after "shop": overrides cart_count
                "tandem.punchout.context_processors.punchout",  # after "acting": the session's cart
            ],
        },
    }
]

# --- database -------------------------------------------------------------------
DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'tandem.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=0)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writers queue on a lock file, woken in turn (tandem.core.sqlite), not by polling.
    DATABASES["default"]["ENGINE"] = "tandem.core.sqlite"
    DATABASES["default"]["OPTIONS"] = {
        # Writers queue instead of failing with "database is locked".
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;"
            "PRAGMA busy_timeout=20000;PRAGMA foreign_keys=ON;"
            "PRAGMA cache_size=-64000;PRAGMA mmap_size=268435456;"
        ),
    }
    # Tests use a file too (not shared-cache memory), so parallel transactions lock the
    # way they do in production.
    # One file per test process: parallel test runs on one machine never share it.
    DATABASES["default"]["TEST"] = {
        "NAME": str(Path(tempfile.gettempdir()) / f"tandem-test-{os.getpid()}.sqlite3")
    }
# Persistent connections (checked before reuse): opening one per request cost a fifth of every
# worker's time on SQLite (issue 11's profile).
DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("CONN_MAX_AGE", "60"))
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- cache, sessions, background tasks ---------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
# "default" is shared by every process (and every server): sessions, signed-in users,
# login throttling, the catalog version. Without Redis it is a file cache in VAR_DIR,
# which all processes of one machine share. "local" (and the template fragment cache)
# is private to each process and only holds entries whose keys change when their data
# does (they carry the catalog version), so it can never serve stale data.
LOCAL_CACHE = {"BACKEND": "tandem.core.process_cache.ProcessCache", "OPTIONS": {"MAX_ENTRIES": 5000}}
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "tandem",
        }
    }
    INSTALLED_APPS += ["django_rq"]
    RQ_QUEUES = {"default": {"URL": REDIS_URL}}
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
else:
    CACHES = {
        "default": {
            "BACKEND": "tandem.core.file_cache.FileCache",
            "LOCATION": str(VAR_DIR / "cache"),
            "OPTIONS": {"MAX_ENTRIES": 20000},
        }
    }
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
CACHES["local"] = LOCAL_CACHE
CACHES["template_fragments"] = LOCAL_CACHE
if env_bool("TASKS_IMMEDIATE", False):
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# Sessions live in the database and are read through the cache (Redis when configured).
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# Catalog pages, prices and facets carry the catalog version in their keys (every change by
# staff, an import or the API retires them at once): they may live long. Stock levels on
# those pages are refreshed every STOCK_CACHE_SECONDS.
CATALOG_CACHE_SECONDS = int(os.environ.get("CATALOG_CACHE_SECONDS", "3600"))
STOCK_CACHE_SECONDS = int(os.environ.get("STOCK_CACHE_SECONDS", "30"))

# --- auth and security -----------------------------------------------------------------
AUTH_USER_MODEL = "customers.User"
AUTHENTICATION_BACKENDS = ["tandem.customers.auth.EmailBackend"]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.ScryptPasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": int(os.environ.get("PASSWORD_MIN_LENGTH", "12"))},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# The versions of the texts people agree to; a consent record names the version it was given to.
TERMS_VERSION = os.environ.get("TERMS_VERSION", "2026-01")
PRIVACY_POLICY_VERSION = os.environ.get("PRIVACY_POLICY_VERSION", "2026-01")
# Orders and invoices of an erased account keep the buyer's details this many years (the
# accounting law: Poland 5 years from the end of the year), then privacy's housekeeping job
# anonymises them too.
PERSONAL_DATA_RETENTION_YEARS = int(os.environ.get("PERSONAL_DATA_RETENTION_YEARS", "6"))
# Staff are signed out after this long without a request (customers.idle).
STAFF_IDLE_MINUTES = int(os.environ.get("STAFF_IDLE_MINUTES", "30"))
# "required": staff confirm every sign-in with an authenticator app and set one up at their
# first sign-in (customers.two_factor); "optional": staff choose, as customers do.
STAFF_TWO_FACTOR = os.environ.get("STAFF_TWO_FACTOR", "required")
if STAFF_TWO_FACTOR not in ("required", "optional"):
    raise ImproperlyConfigured("STAFF_TWO_FACTOR is 'required' or 'optional'.")
LOGIN_URL = "storefront:login"
LOGIN_REDIRECT_URL = "storefront:home"
LOGOUT_REDIRECT_URL = "storefront:home"
# How long a signed-in user's row (with company, terms, rep) is reused from the cache;
# any save of the user, membership or company drops it at once.
AUTH_USER_CACHE_SECONDS = int(os.environ.get("AUTH_USER_CACHE_SECONDS", "30"))
# Sign-in attempts allowed per LOGIN_THROTTLE_SECONDS: for one account from one address, for
# one account from anywhere, and from one address whatever the account (customers.throttle).
# GET /orders/changes serves a change once it is this old, so a transaction still running when
# a page is read cannot be passed over by the cursor (core.sync.changes_page).
SYNC_SETTLE_SECONDS = int(os.environ.get("SYNC_SETTLE_SECONDS", "10"))
# API answers to requests with an Idempotency-Key are replayed to retries this long (core.idempotency).
IDEMPOTENCY_KEEP_HOURS = int(os.environ.get("IDEMPOTENCY_KEEP_HOURS", "24"))
# …and a first attempt that never answered (its server died) is taken over by a retry after
# this long: longer than gunicorn lets a request run (60 s).
IDEMPOTENCY_ABANDONED_SECONDS = int(os.environ.get("IDEMPOTENCY_ABANDONED_SECONDS", "90"))
# API requests a minute per key, and per address for callers without one (0: no limit).
API_RATE_LIMIT_PER_KEY = int(os.environ.get("API_RATE_LIMIT_PER_KEY", "1200"))
API_RATE_LIMIT_PER_IP = int(os.environ.get("API_RATE_LIMIT_PER_IP", "600"))
# Delivered domain events (core.events) are kept this many days, then housekeeping removes them.
OUTBOX_KEEP_DAYS = int(os.environ.get("OUTBOX_KEEP_DAYS", "30"))
# The scheduler (`tandem scheduler`, started by `tandem demo`) runs the periodic jobs this often.
SCHEDULER_INTERVAL_SECONDS = int(os.environ.get("SCHEDULER_INTERVAL_SECONDS", "60"))
# A scheduler that stops renewing its lease (it died) is replaced by another after this long.
SCHEDULER_LEASE_SECONDS = int(os.environ.get("SCHEDULER_LEASE_SECONDS", "30"))
# /readyz: the worker's and the scheduler's heartbeats may be this old, the oldest queued task
# and the oldest undelivered domain event this old, before the check fails.
READY_HEARTBEAT_SECONDS = int(os.environ.get("READY_HEARTBEAT_SECONDS", "300"))
READY_QUEUE_AGE_SECONDS = int(os.environ.get("READY_QUEUE_AGE_SECONDS", "600"))
READY_OUTBOX_AGE_SECONDS = int(os.environ.get("READY_OUTBOX_AGE_SECONDS", "600"))
# How far ahead a buyer may ask for delivery (checkout, the API).
DELIVERY_DATE_HORIZON_DAYS = int(os.environ.get("DELIVERY_DATE_HORIZON_DAYS", "365"))
# A task started this long ago and not finished (its worker died) is queued again (core.scheduler).
TASK_STALL_SECONDS = int(os.environ.get("TASK_STALL_SECONDS", "900"))
# Days an export's file is kept for its user to download (core.exports).
EXPORT_KEEP_DAYS = int(os.environ.get("EXPORT_KEEP_DAYS", "7"))
# Catalog feeds (tandem.feeds): a stale feed is written again at most this often, and its
# public URL answers at most this many requests a minute from one address (0: no limit).
FEED_MIN_INTERVAL_SECONDS = int(os.environ.get("FEED_MIN_INTERVAL_SECONDS", "300"))
FEED_RATE_LIMIT_PER_MINUTE = int(os.environ.get("FEED_RATE_LIMIT_PER_MINUTE", "60"))
# Recommendations (service.recommendations): computed again by the worker when the last run
# is older than this, from the orders of the last RECOMMENDATIONS_HISTORY_DAYS.
RECOMMENDATIONS_INTERVAL_HOURS = int(os.environ.get("RECOMMENDATIONS_INTERVAL_HOURS", "24"))
RECOMMENDATIONS_HISTORY_DAYS = int(os.environ.get("RECOMMENDATIONS_HISTORY_DAYS", "730"))
# stock.low is announced when a variant's free units (all active warehouses) fall to this or below.
STOCK_LOW_THRESHOLD = int(os.environ.get("STOCK_LOW_THRESHOLD", "5"))
LOGIN_THROTTLE_ATTEMPTS = int(os.environ.get("LOGIN_THROTTLE_ATTEMPTS", "5"))
LOGIN_THROTTLE_ACCOUNT_ATTEMPTS = int(os.environ.get("LOGIN_THROTTLE_ACCOUNT_ATTEMPTS", "20"))
LOGIN_THROTTLE_IP_ATTEMPTS = int(os.environ.get("LOGIN_THROTTLE_IP_ATTEMPTS", "50"))
LOGIN_THROTTLE_SECONDS = int(os.environ.get("LOGIN_THROTTLE_SECONDS", "900"))
# Password reset mails per account per LOGIN_THROTTLE_SECONDS, and how long a reset link works.
PASSWORD_RESET_THROTTLE_ATTEMPTS = int(os.environ.get("PASSWORD_RESET_THROTTLE_ATTEMPTS", "3"))
# Sign-ups allowed from one client address per LOGIN_THROTTLE_SECONDS (customers.registration).
REGISTRATION_THROTTLE_ATTEMPTS = int(os.environ.get("REGISTRATION_THROTTLE_ATTEMPTS", "10"))
PASSWORD_RESET_TIMEOUT = int(os.environ.get("PASSWORD_RESET_TIMEOUT", "3600"))
# How many reverse proxies append to X-Forwarded-For in front of the app (0: none; the
# client address is then the socket's peer). Set it behind nginx, a load balancer, etc.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))

HTTPS = env_bool("HTTPS", False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"


def _origin(url: str) -> str:
    """``https://cdn.example.com`` of an absolute URL; "" for a path on this site."""
    scheme, _sep, rest = url.partition("://")
    return f"{scheme}://{rest.split('/', 1)[0]}" if _sep else ""


# Content-Security-Policy (core.middleware): scripts only from the shop's own files, images
# also from MEDIA_URL's host (object storage, a CDN), forms posted only to the shop and to
# CSP_FORM_ACTION (a payment provider's page, space-separated origins).
_MEDIA_ORIGIN = _origin(os.environ.get("MEDIA_URL", "/media/"))
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        f"img-src 'self' data: {_MEDIA_ORIGIN}".strip(),
        "font-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        f"form-action 'self' {os.environ.get('CSP_FORM_ACTION', '')}".strip(),
    ]
)
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS and env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000" if HTTPS else "0"))
if env_bool("USE_X_FORWARDED_PROTO", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- e-mail -------------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Tandem Tools <shop@example.com>")

# --- languages, time -----------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("pl", _("Polish")), ("bg", _("Bulgarian")), ("ru", _("Russian"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/Warsaw")
USE_I18N = True
USE_TZ = True

# --- static and media -------------------------------------------------------------------
STATIC_URL = "/static/"
# Collected static files (production, STATIC_COLLECTED=1); the demo serves them from the
# apps' folders through WhiteNoise's finders.
STATIC_ROOT = (
    Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
    if env_bool("STATIC_COLLECTED", False) or os.environ.get("STATIC_ROOT")
    else None
)
MEDIA_URL = os.environ.get("MEDIA_URL", "/media/")
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
# Customers' files (drawings sent with a request for quotation) are kept outside MEDIA_ROOT,
# never served by URL: only a view that checks who is asking hands them out.
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", VAR_DIR / "private"))
SERVE_MEDIA = env_bool("SERVE_MEDIA", True)
WHITENOISE_USE_FINDERS = not env_bool("STATIC_COLLECTED", False)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("STATIC_COLLECTED", False)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000

# --- the shop ------------------------------------------------------------------------
SHOP_NAME = os.environ.get("SHOP_NAME", "Tandem Tools")
# On documents (offers, invoices): the address as lines separated by "|", the VAT ID, and
# a PNG/JPEG logo file.
SHOP_ADDRESS = os.environ.get("SHOP_ADDRESS", "ul. Przykładowa 1|00-001 Warszawa|Polska")
SHOP_VAT_ID = os.environ.get("SHOP_VAT_ID", "PL5260001246")
SHOP_LOGO = os.environ.get("SHOP_LOGO", "")
# Offers: a rep alone may not price a line below the purchase price plus
# OFFER_MIN_MARGIN_PERCENT (when the purchase price is known) or, without one, below the
# customer's own price less OFFER_MAX_DISCOUNT_PERCENT; someone with the "approve below the
# floor" permission (Admin, Sales manager) may send such an offer, and it is recorded.
OFFER_MIN_MARGIN_PERCENT = Decimal(os.environ.get("OFFER_MIN_MARGIN_PERCENT", "5"))
OFFER_MAX_DISCOUNT_PERCENT = Decimal(os.environ.get("OFFER_MAX_DISCOUNT_PERCENT", "30"))
SHOP_COUNTRY = os.environ.get("SHOP_COUNTRY", "PL")
# The shop's public address, for links in e-mails.
SHOP_URL = os.environ.get("SHOP_URL", "http://127.0.0.1:8000").rstrip("/")
SHOP_CURRENCY = os.environ.get("SHOP_CURRENCY", "PLN")
SHOP_CURRENCIES = env_list("SHOP_CURRENCIES", "PLN,EUR")
# Decides whether an EU company's VAT ID allows reverse charge (offline checksum by
# default; point it at an online VIES checker class in production if you have one).
VAT_CHECKER = os.environ.get("VAT_CHECKER", "tandem.customers.vat_check.ChecksumVatChecker")
# Housekeeping (`tandem manage housekeeping`): orders waiting for approval expire after
# APPROVAL_EXPIRY_HOURS; unpaid online orders are cancelled after UNPAID_ONLINE_HOURS and
# unpaid bank-transfer orders after UNPAID_TRANSFER_DAYS (their stock is released).
APPROVAL_EXPIRY_HOURS = int(os.environ.get("APPROVAL_EXPIRY_HOURS", "72"))
UNPAID_ONLINE_HOURS = int(os.environ.get("UNPAID_ONLINE_HOURS", "24"))
UNPAID_TRANSFER_DAYS = int(os.environ.get("UNPAID_TRANSFER_DAYS", "7"))
# Payment reminders for overdue invoices go out this many days after the due date (each once).
REMINDER_STEPS = env_list("REMINDER_STEPS", "3,14,30")
# Online payments go through PAYMENT_PROVIDER (a code registered in billing.payments).
# The built-in "test" gateway moves no money: it is off unless PAYMENT_TEST_ENABLED is set
# (`tandem demo` sets it); without an enabled provider, online payment is not offered.
PAYMENT_TEST_ENABLED = env_bool("PAYMENT_TEST_ENABLED", False)
PAYMENT_TEST_SECRET = os.environ.get("PAYMENT_TEST_SECRET", "")
PAYMENT_PROVIDER = os.environ.get("PAYMENT_PROVIDER", "test")
# Bank account shown for prepayment by bank transfer.
SHOP_BANK_ACCOUNT = os.environ.get("SHOP_BANK_ACCOUNT", "PL61 1090 1014 0000 0712 1981 2874")
# Invoices are issued by themselves (docs/operations.md "Invoices and documents"): a retail order
# prepaid online or by transfer on "payment" (when it is paid) or "placement"; an order on account
# on "shipment" (each shipment when it leaves) or "placement"; "manual": finance staff issue them.
INVOICE_RETAIL_ON = os.environ.get("INVOICE_RETAIL_ON", "payment")
INVOICE_COMPANY_ON = os.environ.get("INVOICE_COMPANY_ON", "shipment")
# Webhooks: each POST gives up after WEBHOOK_TIMEOUT seconds in all; a delivery is retried with
# growing pauses until WEBHOOK_MAX_ATTEMPTS attempts have failed. Endpoints on loopback,
# private, link-local and other non-public addresses are refused unless
# WEBHOOK_ALLOW_PRIVATE_NETWORKS is set (a receiver inside your own network).
WEBHOOK_TIMEOUT = float(os.environ.get("WEBHOOK_TIMEOUT", "5"))
WEBHOOK_MAX_ATTEMPTS = int(os.environ.get("WEBHOOK_MAX_ATTEMPTS", "5"))
# An attempt under way (its worker may have died) is retried by the sweep after twice the
# timeout plus this margin: how long a delivery waits when its worker was killed.
WEBHOOK_ATTEMPT_MARGIN_SECONDS = int(os.environ.get("WEBHOOK_ATTEMPT_MARGIN_SECONDS", "120"))
WEBHOOK_ALLOW_PRIVATE_NETWORKS = env_bool("WEBHOOK_ALLOW_PRIVATE_NETWORKS", False)
# Hostnames that serve only the B2B portal: every page there requires a company login.
B2B_HOSTS = env_list("B2B_HOSTS", "")

# One line per request on the tandem.access logger (core.logs); "off" turns it off.
ACCESS_LOG = os.environ.get("ACCESS_LOG", "on").lower() not in ("off", "0", "false", "no")
# Prometheus metrics at /metrics (core.metrics): "off" stops recording them; who may read them.
METRICS = os.environ.get("METRICS", "on").lower() not in ("off", "0", "false", "no")
METRICS_TOKEN = os.environ.get("METRICS_TOKEN", "")
METRICS_ALLOW_IPS = [
    ip.strip() for ip in os.environ.get("METRICS_ALLOW_IPS", "127.0.0.1,::1").split(",") if ip.strip()
]
# "json": one JSON object a line (time, level, logger, message, request id, route, status…).
LOG_FORMAT = os.environ.get("LOG_FORMAT", "plain")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "tandem.core.problems.RequestIdLogFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "tandem.core.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "json" if LOG_FORMAT == "json" else "plain",
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    "loggers": {"tandem": {"level": os.environ.get("TANDEM_LOG_LEVEL", "INFO"), "filters": ["request_id"]}},
}

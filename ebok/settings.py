"""eBOK settings: one module, configured by environment variables.

Every variable is documented in docs/configuration.md. Development and the demo run
with DEBUG=true (set by `make run`); production runs with DEBUG unset and must provide
SECRET_KEY, ALLOWED_HOSTS and EMAIL_URL, or the process refuses to start.

Variables of eBOK's own carry the EBOK_ prefix; Django's own setting names and the
django-environ URLs do not (decision 100). `env` still reads a renamed variable's old name
(`ebok.core.environment.RENAMED`) and `manage.py check` names it (ebok.W001).
"""

import ipaddress
from datetime import timedelta
from pathlib import Path

from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from ebok.core.environment import Env

BASE_DIR = Path(__file__).resolve().parent.parent

env = Env()

DEBUG = env.bool("DEBUG", default=False)
VAR_DIR = Path(env.str("EBOK_VAR_DIR", default=str(BASE_DIR / "var")))

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    raise ImproperlyConfigured(
        "SECRET_KEY is not set. `make run` generates one under var/; "
        "in production set it in the environment."
    )

ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"] if DEBUG else []
)
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set in production.")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# Proxies whose X-Forwarded-For is believed (addresses or CIDRs, IPv4 and IPv6). The
# client address is the right-most header entry that is not itself one of them
# (ebok.core.clientip); from any other peer the header is ignored. Empty: peer address.
EBOK_TRUSTED_PROXIES = env.list("EBOK_TRUSTED_PROXIES", default=[])
try:
    _trusted = [ipaddress.ip_network(p.strip(), strict=False) for p in EBOK_TRUSTED_PROXIES if p]
except ValueError as exc:
    raise ImproperlyConfigured(f"EBOK_TRUSTED_PROXIES: {exc}") from exc

# The public address of the portal, used in links inside e-mails and letters.
EBOK_BASE_URL = env.str("EBOK_BASE_URL", default="http://127.0.0.1:8000").rstrip("/")
# The day the portal went live, shown in the accessibility statement (YYYY-MM-DD).
EBOK_PUBLISHED_ON = env.str("EBOK_PUBLISHED_ON", default="")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "captcha",
    "ninja",
    "ebok.core",
    "ebok.accounts",
    "ebok.customers",
    "ebok.contracts",
    "ebok.billing",
    "ebok.letters",
    "ebok.interruptions",
    "ebok.portal",
    "ebok.backoffice",
    "ebok.integration",
    "ebok.api",
    "ebok.demo",
    "ebok.insight",
]

MIDDLEWARE = [
    # First: the request id is in every later log line; metrics time the whole request.
    "ebok.core.requestid.RequestIdMiddleware",
    "ebok.core.metrics.MetricsMiddleware",
    "ebok.core.middleware.PageTimingMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "ebok.core.middleware.RejectNulCharactersMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "ebok.accounts.middleware.SessionOTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "ebok.accounts.middleware.AccountSessionMiddleware",
    "ebok.accounts.middleware.TermsAcceptanceMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "ebok.core.middleware.NoStoreForAuthenticatedMiddleware",
    # Last, as django-axes requires: turns a lockout into the Polish lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ebok.urls"
WSGI_APPLICATION = "ebok.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "ebok" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ebok.core.context_processors.site",
                "ebok.portal.context_processors.portal",
                "ebok.portal.context_processors.interruption_banner",
            ],
        },
    },
]

# Django's own widget templates render with Jinja2 (ebok/core/forms_renderer.py).
FORM_RENDERER = "ebok.core.forms_renderer.FormRenderer"

# --- Database -------------------------------------------------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'ebok.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while one writer commits; IMMEDIATE takes the write lock at
    # the start of a transaction so concurrent writers queue instead of failing.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The cache holds every rate limit, the per-address login limit, cached site configuration
# and (with the database) sessions, so it must be shared by every process: without
# CACHE_URL it is a table in the database (created by `migrate`, see ebok.core.apps);
# CACHE_URL=redis://host:6379/0 uses Django's Redis backend for a cluster.
if env.str("CACHE_URL", default=""):
    CACHES = {"default": env.cache("CACHE_URL")}
    if CACHES["default"]["BACKEND"] == "django_redis.cache.RedisCache":
        # django-environ names django-redis; Django's own backend needs no extra package.
        CACHES["default"]["BACKEND"] = "django.core.cache.backends.redis.RedisCache"
        CACHES["default"].pop("OPTIONS", None)
else:
    CACHES = {
        "default": {
            # Django's database cache with an atomic, expiry-keeping incr.
            "BACKEND": "ebok.core.cache.DatabaseCache",
            "LOCATION": "ebok_cache",
            "OPTIONS": {"MAX_ENTRIES": 100000},
        }
    }
CACHES["default"].setdefault("KEY_PREFIX", env.str("EBOK_CACHE_KEY_PREFIX", default="ebok"))

# --- Authentication -------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "portal:login"
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "portal:home"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
# Password policy (docs/configuration.md). "strong" (default): >= 12 characters, a letter
# and a digit, not common, not similar to the login, e-mail, payer code, NIP or PESEL.
# "manual": the 2012 manual's rule, >= 5 characters with a letter and a digit.
EBOK_PASSWORD_POLICY = env.str("EBOK_PASSWORD_POLICY", default="strong")  # noqa: S105
EBOK_PASSWORD_MIN_LENGTH = env.int(
    "EBOK_PASSWORD_MIN_LENGTH",
    default=5 if EBOK_PASSWORD_POLICY == "manual" else 12,  # noqa: S105
)
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": EBOK_PASSWORD_MIN_LENGTH},
    },
    {"NAME": "ebok.accounts.validators.MaximumLengthValidator", "OPTIONS": {"max_length": 128}},
    {"NAME": "ebok.accounts.validators.LetterAndDigitValidator"},
]
if EBOK_PASSWORD_POLICY != "manual":  # noqa: S105 - a policy name, not a password
    AUTH_PASSWORD_VALIDATORS += [
        {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
        {"NAME": "ebok.accounts.validators.PersonalDataSimilarityValidator"},
    ]

AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses a locked-out login+IP before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    "ebok.accounts.backends.AccountBackend",
]
# Lockout: 5 failures for one login from one IP within 15 minutes lock that pair for 15
# minutes. The per-IP limit across logins is EBOK_LOGIN_IP_FAILURE_LIMIT (cache based).
AXES_FAILURE_LIMIT = env.int("EBOK_LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("EBOK_LOGIN_COOLOFF_MINUTES", default=15))
AXES_USE_ATTEMPT_EXPIRATION = True
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "ebok.portal.views.auth.lockout"
# The one client-address helper (EBOK_TRUSTED_PROXIES); axes keeps its attempts in the database,
# shared by every node.
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_CLIENT_IP_CALLABLE = "ebok.core.audit.client_ip"
AXES_USERNAME_FORM_FIELD = "username"
AXES_VERBOSE = False
EBOK_LOGIN_IP_FAILURE_LIMIT = env.int("EBOK_LOGIN_IP_FAILURE_LIMIT", default=30)

# Sessions: idle timeout, absolute limit (SESSION_COOKIE_AGE), rotated at login. Stored in
# the database and read through the shared cache, so any node can serve any session.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 60 * 60)
EBOK_SESSION_IDLE_TIMEOUT = env.int("EBOK_SESSION_IDLE_TIMEOUT", default=15 * 60)
EBOK_SESSION_ABSOLUTE_LIMIT = env.int("EBOK_SESSION_ABSOLUTE_LIMIT", default=SESSION_COOKIE_AGE)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Account lifecycle (docs/configuration.md).
PASSWORD_RESET_TIMEOUT = env.int("PASSWORD_RESET_TIMEOUT", default=2 * 60 * 60)
EBOK_REGISTRATION_LINK_DAYS = env.int("EBOK_REGISTRATION_LINK_DAYS", default=7)
EBOK_REGISTRATION_RATE_PER_HOUR = env.int("EBOK_REGISTRATION_RATE_PER_HOUR", default=5)
EBOK_REGISTRATION_PER_ADDRESS_PER_HOUR = env.int(
    "EBOK_REGISTRATION_PER_ADDRESS_PER_HOUR", default=3
)
# Password/login reminders: per client address, and per target login or e-mail address.
EBOK_REMINDER_RATE_PER_HOUR = env.int("EBOK_REMINDER_RATE_PER_HOUR", default=10)
EBOK_REMINDER_PER_ADDRESS_PER_HOUR = env.int("EBOK_REMINDER_PER_ADDRESS_PER_HOUR", default=3)
EBOK_ONE_TIME_PASSWORD_DAYS = env.int("EBOK_ONE_TIME_PASSWORD_DAYS", default=30)
# The one-time link that lets a new operator (or `createadmin`) set the first password.
EBOK_SETUP_LINK_HOURS = env.int("EBOK_SETUP_LINK_HOURS", default=72)
# How a new login is made: "payer_code" (the payer code, "-2", "-3"... if taken) or "email".
EBOK_LOGIN_SCHEME = env.str("EBOK_LOGIN_SCHEME", default="payer_code")
OTP_TOTP_ISSUER = env.str("EBOK_TOTP_ISSUER", default="eBOK")
CAPTCHA_IMAGE_SIZE = (160, 50)
CAPTCHA_FONT_SIZE = 34
CAPTCHA_LETTER_ROTATION = (-20, 20)
CAPTCHA_TIMEOUT = 15
# The spoken CAPTCHA (ebok.core.captcha_audio): path to espeak-ng or flite; empty = the
# first of the two found on PATH (Debian packages espeak-ng, flite).
EBOK_CAPTCHA_TTS = env.str("EBOK_CAPTCHA_TTS", default="")
EBOK_CAPTCHA_AUDIO_PER_10_MINUTES = env.int("EBOK_CAPTCHA_AUDIO_PER_10_MINUTES", default=30)

# --- Internationalisation -------------------------------------------------------------
LANGUAGE_CODE = "pl"
LANGUAGES = [("pl", "polski"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "ebok" / "locale"]
TIME_ZONE = "Europe/Warsaw"
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files ----------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(VAR_DIR / "static")))
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
# Uploaded and generated documents are never served directly: only through views that
# check ownership. MEDIA_URL exists for Django's checks, nothing is routed to it.
MEDIA_URL = "/media-not-served/"
# EBOK_S3_BUCKET set: attachments and stored PDFs go to an S3-compatible bucket (private
# ACL; files are streamed through the permission-checked views, never linked to the bucket).
EBOK_S3_BUCKET = env.str("EBOK_S3_BUCKET", default="")
EBOK_S3_ENDPOINT_URL = env.str("EBOK_S3_ENDPOINT_URL", default="")
_default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
if EBOK_S3_BUCKET:
    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": EBOK_S3_BUCKET,
            "endpoint_url": EBOK_S3_ENDPOINT_URL or None,
            "access_key": env.str("EBOK_S3_ACCESS_KEY_ID", default="") or None,
            "secret_key": env.str("EBOK_S3_SECRET_ACCESS_KEY", default="") or None,
            "region_name": env.str("EBOK_S3_REGION", default="") or None,
            "addressing_style": env.str(
                "EBOK_S3_ADDRESSING_STYLE", default="path" if EBOK_S3_ENDPOINT_URL else "auto"
            ),
            "signature_version": "s3v4",
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": 60,
            "file_overwrite": False,
            "location": env.str("EBOK_S3_PREFIX", default=""),
        },
    }
STORAGES = {
    "default": _default_storage,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# Attachments (ebok.core.uploads): the size handler stops an oversized file mid-stream.
FILE_UPLOAD_HANDLERS = [
    "ebok.core.uploads.SizeLimitUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
EBOK_UPLOAD_MAX_BYTES = env.int("EBOK_UPLOAD_MAX_BYTES", default=10 * 1024 * 1024)
EBOK_UPLOAD_MAX_FILES = env.int("EBOK_UPLOAD_MAX_FILES", default=5)
EBOK_UPLOAD_ALLOWED_TYPES = env.list(
    "EBOK_UPLOAD_ALLOWED_TYPES", default=["pdf", "jpeg", "png", "docx", "odt", "xlsx", "ods"]
)
# Public remark form: submissions per IP address per hour.
EBOK_REMARK_RATE_PER_HOUR = env.int("EBOK_REMARK_RATE_PER_HOUR", default=5)

# --- E-mail -----------------------------------------------------------------------------
if DEBUG:
    _email = env.email_url("EMAIL_URL", default="filemail://")
    if _email["EMAIL_BACKEND"] == "django.core.mail.backends.filebased.EmailBackend":
        _email["EMAIL_FILE_PATH"] = str(VAR_DIR / "mail")
else:
    if not env.str("EMAIL_URL", default=""):
        raise ImproperlyConfigured("EMAIL_URL must be set in production (smtp+tls://...).")
    _email = env.email_url("EMAIL_URL")
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_FILE_PATH = _email.get("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
EMAIL_HOST = _email.get("EMAIL_HOST", "localhost")
EMAIL_PORT = _email.get("EMAIL_PORT", 25)
EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _email.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _email.get("EMAIL_USE_SSL", False)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="eBOK <ebok@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)

# --- Task queue -------------------------------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": env.str("EBOK_TASKS_BACKEND", default="django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# --- Billing integration (docs/integration.md) -----------------------------------------
# Payment reminders: this many days before the due date, and this many days after it.
EBOK_PAYMENT_REMINDER_DAYS_BEFORE = env.int("EBOK_PAYMENT_REMINDER_DAYS_BEFORE", default=3)
EBOK_PAYMENT_REMINDER_DAYS_AFTER = env.int("EBOK_PAYMENT_REMINDER_DAYS_AFTER", default=7)
# Largest number of records one API import call accepts (batch files have no limit).
EBOK_API_IMPORT_MAX_RECORDS = env.int("EBOK_API_IMPORT_MAX_RECORDS", default=10000)
# Customers' personal feed (/api/v1/my/): requests per token per minute.
EBOK_PERSONAL_TOKEN_RATE_PER_MINUTE = env.int("EBOK_PERSONAL_TOKEN_RATE_PER_MINUTE", default=60)
# Active personal tokens one user may hold.
EBOK_PERSONAL_TOKENS_PER_USER = env.int("EBOK_PERSONAL_TOKENS_PER_USER", default=10)

# --- Security ---------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    # Load balancers and Prometheus ask over plain HTTP on the internal network.
    SECURE_REDIRECT_EXEMPT = [r"^zdrowie/$", r"^metryki/$"]
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # Behind a TLS-terminating proxy that sets X-Forwarded-Proto.
    if env.bool("EBOK_BEHIND_TLS_PROXY", default=False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

# --- Logging ----------------------------------------------------------------------------
# EBOK_LOG_FORMAT=json: one JSON object per line. Every line carries the request id
# (ebok.core.requestid), also in the task worker for tasks a request enqueued.
EBOK_LOG_FORMAT = env.str("EBOK_LOG_FORMAT", default="plain")
if EBOK_LOG_FORMAT not in ("plain", "json"):
    raise ImproperlyConfigured("EBOK_LOG_FORMAT must be 'plain' or 'json'.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "ebok.core.requestid.RequestIdFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "ebok.core.requestid.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": EBOK_LOG_FORMAT,
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # django-axes logs every login at INFO; failures are in the login history already.
    "loggers": {"django.db.backends": {"level": "WARNING"}, "axes": {"level": "WARNING"}},
}

# Prometheus metrics at /metryki/: readable from localhost and EBOK_TRUSTED_PROXIES, or by
# anyone sending "Authorization: Bearer <EBOK_METRICS_TOKEN>" (docs/operations.md).
EBOK_METRICS_TOKEN = env.str("EBOK_METRICS_TOKEN", default="")

# Bench mode enables the framework-floor view used by the benchmark harness only.
EBOK_BENCH = env.bool("EBOK_BENCH", default=False)
if EBOK_BENCH:
    # Server CPU per request in a response header, read by `make bench` (bench/).
    MIDDLEWARE = ["bench.middleware.ServerCpuMiddleware", *MIDDLEWARE]

# TrueType fonts with Polish glyphs embedded in every PDF (Debian: fonts-dejavu-core).
EBOK_PDF_FONT_DIR = env.str("EBOK_PDF_FONT_DIR", default="/usr/share/fonts/truetype/dejavu")

# Heat insight (docs/insight.md): heating degree days are counted below this mean daily
# outdoor temperature (15 °C is the Polish practice); the design outdoor temperature of the
# climate zone (Bydgoszcz: zone II, −18 °C) scales the peak-demand estimate.
EBOK_HDD_BASE = env.float("EBOK_HDD_BASE", default=15.0)
EBOK_DESIGN_TEMPERATURE = env.float("EBOK_DESIGN_TEMPERATURE", default=-18.0)

"""Django settings for ownpath, read from the environment (see the README's configuration table).

One file for every environment: ``OWNPATH_ENV`` is ``development`` (default), ``test`` or ``production``.
Defaults run on one laptop (SQLite, local-memory cache, the database task queue); production refuses to
start without the secrets it needs.
"""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from ownpath.env import env_bool, env_choice, env_int, env_list, env_str
from ownpath.modules import discover_modules

BASE_DIR = Path(__file__).resolve().parent.parent

OWNPATH_ENV = env_str("OWNPATH_ENV", "development")
if OWNPATH_ENV not in {"development", "test", "production"}:
    raise ImproperlyConfigured("OWNPATH_ENV must be development, test or production")
PRODUCTION = OWNPATH_ENV == "production"

DEBUG = env_bool("OWNPATH_DEBUG", default=OWNPATH_ENV == "development")
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("OWNPATH_DEBUG must not be on in production")

_DEV_SECRET = "ownpath-development-secret-key-not-for-production-use-0123456789"  # noqa: S105  (refused in production)
SECRET_KEY = env_str("OWNPATH_SECRET_KEY", "" if PRODUCTION else _DEV_SECRET)
if PRODUCTION and (len(SECRET_KEY) < 50 or SECRET_KEY == _DEV_SECRET):
    raise ImproperlyConfigured("OWNPATH_SECRET_KEY must be set to a random string of 50 characters or more")

ALLOWED_HOSTS = env_list("OWNPATH_ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("OWNPATH_CSRF_TRUSTED_ORIGINS")

# Keys for the encryption at rest of sensitive fields: comma-separated Fernet keys, newest first.
# Rotation: put a new key first, keep the old ones, run `manage.py rotate_encryption_keys`, then drop them.
_dev_key = base64.urlsafe_b64encode(hashlib.sha256(f"encryption:{SECRET_KEY}".encode()).digest()).decode()
OWNPATH_ENCRYPTION_KEYS = env_list("OWNPATH_ENCRYPTION_KEYS", [] if PRODUCTION else [_dev_key])
if PRODUCTION and not OWNPATH_ENCRYPTION_KEYS:
    raise ImproperlyConfigured("OWNPATH_ENCRYPTION_KEYS must hold at least one Fernet key in production")

# Key for the keyed hashes that recognise a returning caller without storing the number.
OWNPATH_HASH_KEY = env_str("OWNPATH_HASH_KEY", SECRET_KEY)
# Keys of the audit log's hash chain (HMAC), newest first: seals are made with the first, verified with any.
# Keep them when the secret key changes, or set them explicitly (docs/audit.md).
OWNPATH_AUDIT_KEYS = env_list("OWNPATH_AUDIT_KEYS", [hashlib.sha256(f"audit:{SECRET_KEY}".encode()).hexdigest()])

OWNPATH_MODULES = discover_modules(env_str("OWNPATH_MODULES", "all"))
OWNPATH_DEMO = env_bool("OWNPATH_DEMO", default=not PRODUCTION)
if PRODUCTION and OWNPATH_DEMO:
    raise ImproperlyConfigured("OWNPATH_DEMO must not be on in production: demo accounts have published secrets")

INSTALLED_APPS = [
    "ownpath.core",
    *[f"ownpath.modules.{name}" for name in OWNPATH_MODULES],
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_countries",
    "ninja",
    "rules.apps.AutodiscoverRulesConfig",
    "allauth",
    "allauth.account",
    "allauth.mfa",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages are sent compressed (a phone page stays small, docs/design.md); Django pads each compressed
    # response with random bytes against BREACH, and CSRF tokens are masked per response.
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "ownpath.core.db.PrimaryPinMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "ownpath.core.middleware.StaffSecondFactorMiddleware",
    "ownpath.core.middleware.ApiErrorShapeMiddleware",
    "ownpath.core.middleware.RefusedInputMiddleware",
]

ROOT_URLCONF = "ownpath.urls"
WSGI_APPLICATION = "ownpath.wsgi.application"
ASGI_APPLICATION = "ownpath.asgi.application"
AUTH_USER_MODEL = "core.User"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "ownpath" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ownpath.core.context_processors.ownpath",
            ],
        },
    }
]

_default_db = f"sqlite:///{BASE_DIR / 'var' / 'ownpath.sqlite3'}"
DATABASE_URL = env_str("DATABASE_URL", "" if PRODUCTION else _default_db)
if not DATABASE_URL:
    raise ImproperlyConfigured("DATABASE_URL must point at PostgreSQL in production")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("OWNPATH_DB_CONN_MAX_AGE", 0))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # WAL lets readers go on while one writer writes; a writer waits up to OWNPATH_SQLITE_BUSY_SECONDS for
    # another's transaction instead of failing with "database is locked" (long jobs commit in batches, so
    # no transaction holds the lock for long); IMMEDIATE takes the write lock at BEGIN, so a transaction
    # never fails half-way when it first writes.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": env_int("OWNPATH_SQLITE_BUSY_SECONDS", 30),
    }
elif _pool_size := env_int("OWNPATH_DB_POOL_SIZE", 0):
    # PostgreSQL connection pool per process (psycopg_pool): threaded workers with many open web chats then
    # share a few connections instead of opening one per request; a request waits up to 10 s for one.
    if DATABASES["default"]["CONN_MAX_AGE"]:
        raise ImproperlyConfigured("OWNPATH_DB_POOL_SIZE and OWNPATH_DB_CONN_MAX_AGE cannot both be set")
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": min(2, _pool_size),
        "max_size": _pool_size,
        "timeout": 10,
    }
# Behind PgBouncer in transaction mode (OWNPATH_DB_PGBOUNCER): no server-side cursors (they need the same
# server connection across statements) and no prepared statements (PgBouncer before 1.21 cannot route
# them). LISTEN needs a session of its own: the chat's listener connects to OWNPATH_LISTEN_DATABASE_URL.
OWNPATH_DB_PGBOUNCER = env_bool("OWNPATH_DB_PGBOUNCER", default=False)
# A streaming replica (DATABASE_REPLICA_URL): reads that may be a moment stale (reports, indicators, HSDS,
# portal search) go there, except for a user who wrote in the last OWNPATH_REPLICA_PIN_SECONDS.
DATABASE_REPLICA_URL = env_str("DATABASE_REPLICA_URL")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(
        DATABASE_REPLICA_URL, conn_max_age=DATABASES["default"]["CONN_MAX_AGE"]
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    if "pool" in DATABASES["default"].get("OPTIONS", {}):
        DATABASES["replica"].setdefault("OPTIONS", {})["pool"] = dict(DATABASES["default"]["OPTIONS"]["pool"])
for _db in DATABASES.values():
    if _db["ENGINE"] == "django.db.backends.postgresql":
        # A database that cannot be reached fails the request in seconds, with a clear message.
        _db.setdefault("OPTIONS", {}).setdefault("connect_timeout", env_int("OWNPATH_DB_CONNECT_TIMEOUT", 5))
        if OWNPATH_DB_PGBOUNCER:
            _db["DISABLE_SERVER_SIDE_CURSORS"] = True
            _db["OPTIONS"]["prepare_threshold"] = None
# The role that owns the schema (PostgreSQL): `manage.py migrate` and `createcachetable` connect with it and
# then grant DATABASE_URL's role what the application needs; that role may only add to and read the audit
# log (docs/audit.md). Empty: migrations run as DATABASE_URL's role, which then owns everything.
OWNPATH_OWNER_DATABASE_URL = env_str("OWNPATH_OWNER_DATABASE_URL")
DATABASE_ROUTERS = ["ownpath.core.db.PrimaryReplicaRouter"]
OWNPATH_REPLICA_PIN_SECONDS = env_int("OWNPATH_REPLICA_PIN_SECONDS", 15)
OWNPATH_LISTEN_DATABASE_URL = env_str("OWNPATH_LISTEN_DATABASE_URL")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Sessions live in the database and the cache (sign-in rate limits) in a database table in production, so
# every app server shares them: any server can answer any request.
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "ownpath_cache"}
        if PRODUCTION or env_bool("OWNPATH_SHARED_CACHE", default=False)
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# Background tasks: ownpath's database backend (leases, heartbeats, retries; ownpath/core/queue/), run by
# `manage.py worker`; the test settings run each task at once in the caller.
TASKS = {
    "default": {
        "BACKEND": (
            "ownpath.core.queue.backend.ImmediateBackend"
            if OWNPATH_ENV == "test"
            else "ownpath.core.queue.backend.DatabaseBackend"
        ),
    }
}
# Seconds a worker holds a task between heartbeats (it renews every third): a killed worker's task runs
# again after at most this long. The first retry of a failed task waits OWNPATH_TASK_BACKOFF_SECONDS, each
# next one twice as long (at most an hour).
OWNPATH_TASK_LEASE_SECONDS = env_int("OWNPATH_TASK_LEASE_SECONDS", 60)
OWNPATH_TASK_BACKOFF_SECONDS = env_int("OWNPATH_TASK_BACKOFF_SECONDS", 30)

AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if OWNPATH_ENV == "test":
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Sign-in: e-mail and password, then a TOTP code; allauth rate-limits failed attempts per IP and account.
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "core:dashboard"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_ADAPTER = "ownpath.core.auth.AccountAdapter"
ACCOUNT_LOGOUT_ON_GET = False
_login_limit = env_int("OWNPATH_LOGIN_ATTEMPTS_LIMIT", 5)
_login_window = env_int("OWNPATH_LOGIN_ATTEMPTS_TIMEOUT", 300)
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": f"10/m/ip,{_login_limit}/{_login_window}s/key",
    "reset_password": "20/m/ip,5/m/key",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "ownpath"

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", "English"),
    ("pl", "Polski"),
    ("uk", "Українська"),
    ("ru", "Русский"),
    ("ar", "العربية"),
]
LOCALE_PATHS = [BASE_DIR / "ownpath" / "locale"]
TIME_ZONE = env_str("OWNPATH_TIME_ZONE", "Europe/Warsaw")
USE_I18N = True
# Dates, times and numbers by the reader's locale, 24-hour everywhere (ownpath/formats/); English is written
# the British way unless OWNPATH_ENGLISH_FORMATS=en-us.
FORMAT_MODULE_PATH = ["ownpath.formats"]
OWNPATH_ENGLISH_FORMATS = env_choice("OWNPATH_ENGLISH_FORMATS", "en-gb", ("en-gb", "en-us"))
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("OWNPATH_STATIC_ROOT", str(BASE_DIR / "var" / "static")))
if not PRODUCTION:
    # Outside production WhiteNoise serves straight from the apps' static folders; no collectstatic needed.
    WHITENOISE_USE_FINDERS = True
    WHITENOISE_AUTOREFRESH = True
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Uploaded files: on local disk in development; in object storage (any S3 API) when several app servers
# run. Production requires OWNPATH_S3_BUCKET, or OWNPATH_STORAGE=filesystem for a deployment of one server.
OWNPATH_STORAGE = env_choice("OWNPATH_STORAGE", "s3" if PRODUCTION else "filesystem", ("filesystem", "s3"))
if OWNPATH_STORAGE == "s3":
    if not env_str("OWNPATH_S3_BUCKET"):
        raise ImproperlyConfigured(
            "OWNPATH_S3_BUCKET must name the bucket for uploaded files (or set OWNPATH_STORAGE=filesystem "
            "for a deployment of one server)"
        )
    _media_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("OWNPATH_S3_BUCKET"),
            "endpoint_url": env_str("OWNPATH_S3_ENDPOINT_URL") or None,
            "region_name": env_str("OWNPATH_S3_REGION") or None,
            "access_key": env_str("OWNPATH_S3_ACCESS_KEY_ID") or None,
            "secret_key": env_str("OWNPATH_S3_SECRET_ACCESS_KEY") or None,
            "location": env_str("OWNPATH_S3_PREFIX", "media"),
            "default_acl": None,
            "file_overwrite": False,
            "querystring_auth": True,
            "querystring_expire": 300,
        },
    }
else:
    _media_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": _media_storage,
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
MEDIA_ROOT = Path(env_str("OWNPATH_MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
OWNPATH_MAX_UPLOAD_BYTES = env_int("OWNPATH_MAX_UPLOAD_BYTES", 10 * 1024 * 1024)
# An archive (DOCX, XLSX, ODT, a ZIP package) may unpack to at most this much (a zip bomb is refused before
# it is unpacked; see ownpath/core/uploads.py).
OWNPATH_MAX_UNPACKED_BYTES = env_int("OWNPATH_MAX_UNPACKED_BYTES", 100 * 1024 * 1024)

_email_backend = env_str(
    "OWNPATH_EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if PRODUCTION else "django.core.mail.backends.console.EmailBackend",
)
_smtp_options = {
    "host": env_str("OWNPATH_EMAIL_HOST", "localhost"),
    "port": env_int("OWNPATH_EMAIL_PORT", 587),
    "username": env_str("OWNPATH_EMAIL_HOST_USER"),
    "password": env_str("OWNPATH_EMAIL_HOST_PASSWORD"),
    "use_tls": env_bool("OWNPATH_EMAIL_USE_TLS", default=True),
}
MAILERS = {
    "default": {
        "BACKEND": _email_backend,
        "OPTIONS": _smtp_options if _email_backend.endswith("smtp.EmailBackend") else {},
    }
}
DEFAULT_FROM_EMAIL = env_str("OWNPATH_FROM_EMAIL", "ownpath <noreply@localhost>")
# The address a badge verifier can write to about an Open Badge whose issuing organisation has none; a
# production deployment must set it (system check ownpath.training.E001).
OWNPATH_BADGE_ISSUER_EMAIL = env_str("OWNPATH_BADGE_ISSUER_EMAIL", "" if PRODUCTION else "badges@localhost")

# Security headers. Everything is served from our own origin: no CDN, no inline script.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("OWNPATH_SESSION_AGE", 8 * 3600)
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("OWNPATH_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env_int("OWNPATH_HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("OWNPATH_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}


# Retention (days): inactive client records are anonymised, read notifications deleted; see the README.
OWNPATH_RETENTION_PERSON_DAYS = env_int("OWNPATH_RETENTION_PERSON_DAYS", 5 * 365)
OWNPATH_RETENTION_NOTIFICATION_DAYS = env_int("OWNPATH_RETENTION_NOTIFICATION_DAYS", 180)
# The language of the host country's labour market (ISO 639-1): the assessment suggests a course below B1.
OWNPATH_HOST_LANGUAGE = env_str("OWNPATH_HOST_LANGUAGE", "pl")
OWNPATH_HOST_COUNTRY = env_str("OWNPATH_HOST_COUNTRY", "PL").upper()
# Machine translation of directory texts: "none", or "libretranslate" (a server the deployment hosts).
OWNPATH_MT_PROVIDER = env_choice("OWNPATH_MT_PROVIDER", "none", ("none", "libretranslate"))
OWNPATH_LIBRETRANSLATE_URL = env_str("OWNPATH_LIBRETRANSLATE_URL", "http://127.0.0.1:5000")
OWNPATH_LIBRETRANSLATE_API_KEY = env_str("OWNPATH_LIBRETRANSLATE_API_KEY")
# Text messages (sign-in codes, booking reminders): "none", "console" (log), "memory" (tests) or "http".
OWNPATH_SMS_PROVIDER = env_choice("OWNPATH_SMS_PROVIDER", "none", ("none", "console", "memory", "http"))
if PRODUCTION and OWNPATH_SMS_PROVIDER == "console":
    raise ImproperlyConfigured("OWNPATH_SMS_PROVIDER=console writes sign-in codes to the log: not in production")
OWNPATH_SMS_URL = env_str("OWNPATH_SMS_URL")
OWNPATH_SMS_TOKEN = env_str("OWNPATH_SMS_TOKEN")
# Days a receiving organisation has to answer a referral before both sides are reminded.
OWNPATH_REFERRAL_ANSWER_DAYS = env_int("OWNPATH_REFERRAL_ANSWER_DAYS", 10)
# Where people reach this site: links in e-mails and text messages (booking changes, offers) start here.
_first_host = next((h.lstrip(".") for h in ALLOWED_HOSTS if h not in {"*", ""}), "localhost")
OWNPATH_BASE_URL = env_str(
    "OWNPATH_BASE_URL", f"https://{_first_host}" if PRODUCTION else f"http://127.0.0.1:{env_int('PORT', 8000)}"
).rstrip("/")
# Helpline: days after which what could identify a caller (number hash, notes, chat messages, callback
# numbers) is scrubbed by the retention sweep; the languages its knowledge base is translated into.
OWNPATH_HELPLINE_RETENTION_DAYS = env_int("OWNPATH_HELPLINE_RETENTION_DAYS", 90)
OWNPATH_HELPLINE_LANGUAGES = env_list(
    "OWNPATH_HELPLINE_LANGUAGES", ["en", "pl", "uk", "ru", "ar", "ti", "prs", "so", "tr", "ka"]
)
# How long (seconds) a web-chat poll waits for a new message before answering "nothing new".
OWNPATH_CHAT_WAIT_SECONDS = env_int("OWNPATH_CHAT_WAIT_SECONDS", 20)
# Whether each process runs a watcher thread that wakes its chat polls for messages posted by other
# processes (PostgreSQL LISTEN/NOTIFY, or one query a second on other databases); off in the test settings.
OWNPATH_CHAT_WATCH = env_bool("OWNPATH_CHAT_WATCH", default=OWNPATH_ENV != "test")

# A failing event handler is logged and the others still run; in the test settings it raises instead, so a
# broken handler fails the test that published the event (ownpath/core/events.py).
OWNPATH_EVENTS_RAISE = env_bool("OWNPATH_EVENTS_RAISE", default=OWNPATH_ENV == "test")

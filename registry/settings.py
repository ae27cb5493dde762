"""Settings for PMSC Registry, read from environment variables (see README.md)."""

import secrets
from pathlib import Path
from typing import Any

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from registry.audit import signing as _audit_signing
from registry.env import check_secret, envbool, envint, envlist, envstr

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

DEBUG = envbool("DEBUG", False)

SECRET_KEY = envstr("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    # A development key, new on every start: sessions do not survive a restart, which is fine locally.
    SECRET_KEY = "dev-" + secrets.token_urlsafe(48)

# Keyed hash for personnel identity documents. It must stay stable for the life of the data
# (rotating it breaks cross-company matching), so it is separate from SECRET_KEY.
IDENTITY_HASH_KEY = envstr("IDENTITY_HASH_KEY", "")
if not IDENTITY_HASH_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("IDENTITY_HASH_KEY must be set when DEBUG is off")
    IDENTITY_HASH_KEY = "development-identity-hash-key"

# --- Secret strength (ASVS 2.9, 6.4) and input limits (ASVS 5.1) -----------------------------------
# Production (DEBUG off) refuses to start with a weak secret: SECRET_KEY needs 50 characters
# (Django's own deployment check), IDENTITY_HASH_KEY 32, each with 10 different characters of
# more than one kind. The API's JSON bodies are bounded (api/parsers.py): API_MAX_BODY_BYTES
# (default DATA_UPLOAD_MAX_MEMORY_SIZE, 2.5 MB) answers 413 beyond it, API_MAX_JSON_DEPTH
# (default 32) a 400.
if not DEBUG:
    check_secret("SECRET_KEY", SECRET_KEY, 50)
    check_secret("IDENTITY_HASH_KEY", IDENTITY_HASH_KEY, 32)
API_MAX_BODY_BYTES = envint("API_MAX_BODY_BYTES", 0) or None
API_MAX_JSON_DEPTH = envint("API_MAX_JSON_DEPTH", 32)

# --- Audit signing key (docs/audit.md, "Signatures and checkpoints") ---------------------------
# Ed25519 key that signs every audit entry and the checkpoints of the chain head. Keep it outside
# the database: AUDIT_SIGNING_KEY (base64 of the 32-byte private key) or AUDIT_SIGNING_KEY_FILE
# (a file with that, or a PKCS#8 PEM from `openssl genpkey -algorithm ed25519`). Required when
# DEBUG is off; DEBUG uses a fixed, public development key. AUDIT_PREVIOUS_PUBLIC_KEYS: base64
# public keys of retired signing keys, so what they signed still verifies after a rotation.
_audit_key = envstr("AUDIT_SIGNING_KEY")
_audit_key_file = envstr("AUDIT_SIGNING_KEY_FILE")
if _audit_key and _audit_key_file:
    raise ImproperlyConfigured("Set AUDIT_SIGNING_KEY or AUDIT_SIGNING_KEY_FILE, not both")
if _audit_key_file:
    try:
        _audit_key = Path(_audit_key_file).read_text()
    except OSError as exc:
        raise ImproperlyConfigured(f"AUDIT_SIGNING_KEY_FILE cannot be read: {exc}") from None
if not _audit_key:
    if not DEBUG:
        raise ImproperlyConfigured(
            "AUDIT_SIGNING_KEY or AUDIT_SIGNING_KEY_FILE must be set when DEBUG is off"
        )
    _audit_key = _audit_signing.DEVELOPMENT_KEY
try:
    AUDIT_SIGNING_KEY = _audit_signing.parse_private_key(_audit_key)
    AUDIT_PREVIOUS_PUBLIC_KEYS = envlist("AUDIT_PREVIOUS_PUBLIC_KEYS", [])
    for _k in AUDIT_PREVIOUS_PUBLIC_KEYS:
        _audit_signing.parse_public_key(_k)
except ValueError as exc:
    raise ImproperlyConfigured(f"Bad audit signing key: {exc}") from None

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_otp",  # two-factor: see "Two-factor authentication" below
    "django_otp.plugins.otp_totp",
    "registry",
    "registry.audit",
    "api",
]

MIDDLEWARE = [
    # First: the request id for every log line, then /healthz and /readyz before the host check,
    # the HTTPS redirect, sessions and transactions (registry/health.py).
    "registry.logs.RequestIdMiddleware",
    "registry.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Compresses HTML and JSON, but never a page that carries a CSRF token (registry/headers.py).
    "registry.headers.CompressionMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Two-factor: marks request.user verified, then holds back unverified users of OTP roles.
    "django_otp.middleware.OTPMiddleware",
    "registry.twofactor.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Session timeouts (see the "Sessions" block below): after authentication and messages.
    "registry.sessions.SessionTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # The API's query parameters refuse control characters (NUL...) with a 400 (api/middleware.py).
    "api.middleware.QueryParametersMiddleware",
    "registry.headers.NoStoreMiddleware",
    # Last, so its process_view (one transaction per writing request) runs after the CSRF check.
    "registry.audit.middleware.AuditMiddleware",
]

ROOT_URLCONF = "registry.urls"
WSGI_APPLICATION = "registry.wsgi.application"
ASGI_APPLICATION = "registry.asgi.application"

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
                "registry.web.permissions.navigation",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATABASE_URL = envstr("DATABASE_URL", f"sqlite:///{VAR_DIR / 'registry.sqlite3'}")
_db = dj_database_url.parse(DATABASE_URL)
if _db["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(exist_ok=True)
    # WAL and a busy timeout let a running server and a management command share the file;
    # IMMEDIATE transactions take the write lock up front instead of failing half-way.
    _db["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    _db["TEST"] = {"NAME": envstr("SQLITE_TEST_NAME")}
elif _db["ENGINE"] == "django.db.backends.postgresql":
    # Persistent connections: opening a PostgreSQL connection per request costs more than the
    # lookup it serves. Health checks drop connections that the server has closed. Or, with
    # DB_POOL_MAX_SIZE > 0, a psycopg connection pool per process (Django 5.2's "pool" option):
    # fewer server connections than gunicorn threads, shared between them.
    _pool_max = envint("DB_POOL_MAX_SIZE", 0)
    if _pool_max > 0:
        _db["CONN_MAX_AGE"] = 0
        _db.setdefault("OPTIONS", {})["pool"] = {
            "min_size": min(envint("DB_POOL_MIN_SIZE", 2), _pool_max),
            "max_size": _pool_max,
            "timeout": envint("DB_POOL_TIMEOUT", 10),
        }
    else:
        _db["CONN_MAX_AGE"] = envint("DB_CONN_MAX_AGE", 600)
        _db["CONN_HEALTH_CHECKS"] = True
else:
    raise ImproperlyConfigured(f"Unsupported DATABASE_URL engine: {_db['ENGINE']}")
DATABASES = {"default": _db}
# A read replica (PostgreSQL streaming replication) for the long reads that can lag a moment:
# exports and dashboards (registry/replica.py). Tests mirror it onto the primary.
DATABASE_REPLICA_URL = envstr("DATABASE_REPLICA_URL", "")
if DATABASE_REPLICA_URL:
    _replica = dj_database_url.parse(DATABASE_REPLICA_URL)
    if _replica["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured("DATABASE_REPLICA_URL must be a PostgreSQL URL")
    _replica["CONN_MAX_AGE"] = _db["CONN_MAX_AGE"]
    _replica["CONN_HEALTH_CHECKS"] = True
    _replica["OPTIONS"] = {**_db.get("OPTIONS", {})}
    _replica["TEST"] = {"MIRROR": "default"}
    DATABASES["replica"] = _replica
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"] if (BASE_DIR / "static").is_dir() else []
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG
# In development (and under the tests, which run with DEBUG=1 in the environment but
# settings.DEBUG off) WhiteNoise looks a file up when it is asked for, instead of scanning every
# static file each time a request handler starts: each test client starts one.
WHITENOISE_AUTOREFRESH = DEBUG

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

# --- Security (production values when DEBUG is off) ---------------------------------------------
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp 4; ASVS 14.4.3, 14.4.6): only this origin's scripts, styles
# and images; no inline script or style anywhere (templates, admin, Swagger UI at /api/docs/,
# whose init script is served as a file by SpectacularSwaggerSplitView), no plugins, no framing,
# forms post only here. Cache-Control: no-store on every answer to a signed-in or token request
# and on personnel answers comes from registry.headers.NoStoreMiddleware.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    },
}

# --- Sessions and re-authentication (registry/sessions.py, registry/credentials.py) -----------
# A signed-in session ends SESSION_ABSOLUTE_HOURS after the login and after SESSION_IDLE_MINUTES
# without a request; licence transitions and waivers ask for the password again when it was
# last entered more than REAUTH_MINUTES ago. Sessions live in the database (so a password change
# or deactivation can delete them); the cookie lasts no longer than the absolute limit.
SESSION_ABSOLUTE_HOURS = envint("SESSION_ABSOLUTE_HOURS", 12)
SESSION_IDLE_MINUTES = envint("SESSION_IDLE_MINUTES", 30)
REAUTH_MINUTES = envint("REAUTH_MINUTES", 5)
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_HOURS * 3600
SESSION_COOKIE_HTTPONLY = True

# Logs go to standard error: one JSON object per line with the request id (registry/logs.py),
# or plain text with LOG_FORMAT=text (the default with DEBUG).
LOG_FORMAT = envstr("LOG_FORMAT", "text" if DEBUG else "json")
if LOG_FORMAT not in ("json", "text"):
    raise ImproperlyConfigured("LOG_FORMAT must be json or text")
LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "registry.logs.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "registry.logs.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": LOG_FORMAT,
        }
    },
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL", "WARNING")},
}

# Licences that end within this many days are reported as expiring (LIC-EXPIRING).
LICENCE_EXPIRY_WARNING_DAYS = envint("LICENCE_EXPIRY_WARNING_DAYS", 90)

# --- Two-factor authentication (registry/twofactor.py) ---------------------------------------
# Regulators, auditors and administrators sign in with a password and then a TOTP code (or a
# one-time recovery code), on the web, in the admin and for an API token.
OTP_TOTP_ISSUER = envstr("OTP_TOTP_ISSUER", "PMSC Registry")
# The admin's device pages do not show TOTP secrets or recovery codes.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# After a wrong code the device refuses codes for 2**(n-1) seconds (n wrong codes in a row).
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_RECOVERY_THROTTLE_FACTOR = 1

# --- REST API (api/) --------------------------------------------------------------------------
API_PAGE_SIZE = envint("API_PAGE_SIZE", 50)
API_MAX_PAGE_SIZE = envint("API_MAX_PAGE_SIZE", 500)
API_TOKEN_LIFETIME_DAYS = envint("API_TOKEN_LIFETIME_DAYS", 90)
# A create or licence transition sent with `Idempotency-Key` keeps its answer this many hours for
# the caller's retries (api/idempotency.py); `manage.py daily` deletes older keys.
IDEMPOTENCY_KEY_HOURS = envint("IDEMPOTENCY_KEY_HOURS", 24)
if IDEMPOTENCY_KEY_HOURS < 1:
    raise ImproperlyConfigured("IDEMPOTENCY_KEY_HOURS must be >= 1")
REST_FRAMEWORK: dict[str, Any] = {
    # Token first: its challenge makes a request without credentials answer 401, not 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.TokenAuthentication",
        # Session authentication that ignores a session still waiting for its second factor.
        "api.authentication.OTPSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.RolePermission"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # JSON bounded in depth and size (api/parsers.py); the registry's views take JSON only.
    "DEFAULT_PARSER_CLASSES": [
        "api.parsers.StrictJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_FILTER_BACKENDS": [
        "api.filtersets.StrictFilterBackend",
        "api.filtersets.StrictOrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.PageNumberPagination",
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.AnonThrottle", "api.throttling.UserThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "anon": envstr("API_THROTTLE_ANON", "120/minute"),
        "user": envstr("API_THROTTLE_USER", "2000/minute"),
        "login": envstr("API_THROTTLE_LOGIN", "10/minute"),
    },
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "api.schema.AutoSchema",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "PMSC Registry API",
    "DESCRIPTION": "Registry and contract oversight of private military and security companies. "
    "Errors share one JSON shape (see the Error schema).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Per operation: security with {} where anonymous callers are served; FK filters as integers.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.postprocess",
    ],
    "ENUM_NAME_OVERRIDES": {
        "LicenceStateEnum": "registry.choices.LicenceState",
        "StandingEnum": "registry.choices.Standing",
        "StandardKindEnum": "registry.choices.StandardKind",
        "OrganisationEnum": "registry.choices.Organisation",
        "ClientKindEnum": "registry.choices.ClientKind",
        "ContractStatusEnum": "registry.choices.ContractStatus",
        "PersonnelOriginEnum": "registry.choices.PersonnelOrigin",
        "IncidentCategoryEnum": "registry.choices.IncidentCategory",
        "IncidentSeverityEnum": "registry.choices.IncidentSeverity",
        "IncidentStatusEnum": "registry.choices.IncidentStatus",
        "SanctionKindEnum": "registry.choices.SanctionKind",
        "SanctionScopeEnum": "registry.choices.SanctionScope",
        "VettingOutcomeEnum": "registry.choices.VettingOutcome",
        "SeverityEnum": "registry.choices.Severity",
        "FindingStateEnum": "registry.choices.FindingState",
        "VerdictEnum": "registry.choices.Verdict",
    },
}

# --- Login protection and the shared cache (see README "Login protection") ------------------
# Failures are counted by django-axes in the database per username and client address; after
# LOGIN_FAILURE_LIMIT of them that pair is locked out for LOGIN_COOLOFF_MINUTES (every door:
# web, admin, API token). A success resets the count. Each address also has a login rate
# (API_THROTTLE_LOGIN, all doors together) counted in the default cache.
from registry.env import cache_config  # noqa: E402

# Number of reverse proxies in front of the app that append to X-Forwarded-For. 0: the header
# is ignored and REMOTE_ADDR is the client. Never more than there really are: the header's
# left part is whatever the client sent.
TRUSTED_PROXY_COUNT = envint("TRUSTED_PROXY_COUNT", 0)
LOGIN_FAILURE_LIMIT = envint("LOGIN_FAILURE_LIMIT", 5)
LOGIN_COOLOFF_MINUTES = envint("LOGIN_COOLOFF_MINUTES", 15)
# However many addresses they come from: an account with LOGIN_ACCOUNT_FAILURE_LIMIT failures in
# the last LOGIN_ACCOUNT_WINDOW_MINUTES accepts no login until the oldest of them leaves the
# window (ASVS 2.2.1: at most 100 failed attempts per hour on one account).
LOGIN_ACCOUNT_FAILURE_LIMIT = envint("LOGIN_ACCOUNT_FAILURE_LIMIT", 100)
LOGIN_ACCOUNT_WINDOW_MINUTES = envint("LOGIN_ACCOUNT_WINDOW_MINUTES", 60)
# Failed logins are kept this many days (manage.py daily deletes older ones).
LOGIN_FAILURE_LOG_DAYS = envint("LOGIN_FAILURE_LOG_DAYS", 90)
if (
    TRUSTED_PROXY_COUNT < 0
    or min(
        LOGIN_FAILURE_LIMIT,
        LOGIN_COOLOFF_MINUTES,
        LOGIN_ACCOUNT_FAILURE_LIMIT,
        LOGIN_ACCOUNT_WINDOW_MINUTES,
        LOGIN_FAILURE_LOG_DAYS,
    )
    < 1
):
    raise ImproperlyConfigured(
        "TRUSTED_PROXY_COUNT must be >= 0; LOGIN_FAILURE_LIMIT, LOGIN_COOLOFF_MINUTES, "
        "LOGIN_ACCOUNT_FAILURE_LIMIT, LOGIN_ACCOUNT_WINDOW_MINUTES and LOGIN_FAILURE_LOG_DAYS >= 1"
    )

# Throttle counts must be shared by every worker: the database cache by default in production
# (`manage.py createcachetable` creates its table), Redis if CACHE_URL says so, local memory
# for development and tests.
CACHE_URL = envstr("CACHE_URL", "locmem://" if DEBUG else "db://")
# Stored status answers (api/answers.py), each keyed by the version of what it shows, so any
# cache is safe: local memory in each worker by default (no query to read one), or a shared one.
ANSWER_CACHE_URL = envstr("ANSWER_CACHE_URL", "locmem://answers")
ANSWER_CACHE_ENTRIES = envint("ANSWER_CACHE_ENTRIES", 1000)
CACHES = {
    "default": cache_config(CACHE_URL),
    "answers": {
        **cache_config(ANSWER_CACHE_URL),
        "TIMEOUT": 3600,
        # Not OPTIONS: Redis would pass those on to its connection pool.
        "max_entries": ANSWER_CACHE_ENTRIES,
    },
}

# axes before registry: its signal receivers run first, so a logged failure knows the lockout.
INSTALLED_APPS.insert(INSTALLED_APPS.index("registry"), "axes")
MIDDLEWARE += [
    "registry.security.LoginThrottleMiddleware",
    "axes.middleware.AxesMiddleware",  # turns an axes lockout into registry.security's page
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses a locked-out pair before any check
    "registry.security.AccountLockoutBackend",  # then an account over its hourly failure limit
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = "registry.security.failure_limit"  # LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = "registry.security.cooloff"  # LOGIN_COOLOFF_MINUTES
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "registry.security.client_ip"
AXES_USERNAME_CALLABLE = "registry.security.axes_username"
AXES_LOCKOUT_CALLABLE = "registry.security.lockout_response"
AXES_HTTP_RESPONSE_CODE = 429
# One row per failed login (username, address, time): the per-account limit counts them.
AXES_ENABLE_ACCESS_FAILURE_LOG = True
# axes trims a user's rows beyond this by deleting the newest, which would hide new failures
# from the per-account count; the daily run deletes rows older than LOGIN_FAILURE_LOG_DAYS.
AXES_ACCESS_FAILURE_LOG_PER_USER_LIMIT = 10**9
LOGGING["loggers"] = {
    **LOGGING.get("loggers", {}),
    "registry.security": {"level": envstr("SECURITY_LOG_LEVEL", "INFO")},
}

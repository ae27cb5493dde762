"""Settings for PMSC Registry, read from environment variables (see README.md)."""

import secrets
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from registry.env import envbool, envint, envlist, envstr

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
IDENTITY_HASH_KEY = envstr("IDENTITY_HASH_KEY")
if not IDENTITY_HASH_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("IDENTITY_HASH_KEY must be set when DEBUG is off")
    IDENTITY_HASH_KEY = "development-identity-hash-key"

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
    "registry",
    "registry.audit",
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
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
    # lookup it serves. Health checks drop connections that the server has closed.
    _db["CONN_MAX_AGE"] = envint("DB_CONN_MAX_AGE", 600)
    _db["CONN_HEALTH_CHECKS"] = True
else:
    raise ImproperlyConfigured(f"Unsupported DATABASE_URL engine: {_db['ENGINE']}")
DATABASES = {"default": _db}
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

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL", "WARNING")},
}

# Licences that end within this many days are reported as expiring (LIC-EXPIRING).
LICENCE_EXPIRY_WARNING_DAYS = envint("LICENCE_EXPIRY_WARNING_DAYS", 90)

# --- REST API (api/) --------------------------------------------------------------------------
API_PAGE_SIZE = envint("API_PAGE_SIZE", 50)
API_MAX_PAGE_SIZE = envint("API_MAX_PAGE_SIZE", 500)
API_TOKEN_LIFETIME_DAYS = envint("API_TOKEN_LIFETIME_DAYS", 90)
REST_FRAMEWORK = {
    # Token first: its challenge makes a request without credentials answer 401, not 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.RolePermission"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
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

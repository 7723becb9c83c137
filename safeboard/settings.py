"""Safeboard's settings, driven by environment variables (see docs/configuration.md)."""

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def envint(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _secret_key() -> str:
    """SECRET_KEY from the environment; otherwise a random key kept beside the code (dev)."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    path = BASE_DIR / ".secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = envbool("DEBUG")
# DEMO waives two-factor sign-in for the demo accounts only; `make run` turns it on.
DEMO = envbool("DEMO")
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "auditlog",
    "rules.apps.AutodiscoverRulesConfig",
    "import_export",
    "ninja",  # the API docs' Swagger UI from the site's own static files (the CSP allows no CDN)
    "django_tasks",
    "django_tasks_db",
    "safeboard.core",
    "safeboard.accounts",
    "safeboard.partnership",
    "safeboard.audit",
    "safeboard.performance",
    "safeboard.planning",
    "safeboard.learning",
    "safeboard.allegations",
    "safeboard.private_fostering",
    "safeboard.child_deaths",
    "safeboard.reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "safeboard.core.caching.NoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "safeboard.core.middleware.NulRefusalMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "safeboard.accounts.middleware.TwoFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "safeboard.core.middleware.MethodNotAllowedPageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    "safeboard.core.middleware.TenancyMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "safeboard.urls"
WSGI_APPLICATION = "safeboard.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "safeboard" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "safeboard.core.context_processors.safeboard",
                "safeboard.partnership.context_processors.notifications",
            ],
            "builtins": ["safeboard.core.templatetags.govuk"],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=envint("DB_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "timeout": 20,
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
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
LOGIN_URL = "accounts:sign-in"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:sign-in"

# Sessions end after SESSION_IDLE_MINUTES without a request, and when the browser closes.
SESSION_COOKIE_AGE = envint("SESSION_IDLE_MINUTES", 60) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"

# HTTPS=1 when served over HTTPS behind a proxy that sets X-Forwarded-Proto.
HTTPS = envbool("HTTPS")
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS and envbool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31536000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Wrong passwords (safeboard/accounts/lockout.py): AXES_FAILURE_LIMIT in a row for a username
# from one address lock that username from that address for AXES_COOLOFF_MINUTES (its owner
# still signs in from elsewhere); AXES_ADDRESS_FAILURE_LIMIT from one address within
# AXES_ADDRESS_COOLOFF_HOURS, whatever the usernames, lock the address for that long.
SIGN_IN_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", 5)
SIGN_IN_COOLOFF = timedelta(minutes=envint("AXES_COOLOFF_MINUTES", 30))
ADDRESS_FAILURE_LIMIT = envint("AXES_ADDRESS_FAILURE_LIMIT", 100)
ADDRESS_COOLOFF = timedelta(hours=envint("AXES_ADDRESS_COOLOFF_HOURS", 1))
# Proxies in front of Safeboard that append the client's address to X-Forwarded-For (nginx
# as in docs/deployment.md): one when served over HTTPS behind a proxy.
TRUSTED_PROXIES = envint("TRUSTED_PROXIES", 1 if HTTPS else 0)
AXES_FAILURE_LIMIT = "safeboard.accounts.lockout.failure_limit"
AXES_COOLOFF_TIME = "safeboard.accounts.lockout.cool_off"
AXES_CLIENT_IP_CALLABLE = "safeboard.accounts.lockout.client_address"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked.html"
AXES_VERBOSE = False

OTP_TOTP_ISSUER = os.environ.get("OTP_ISSUER", "Safeboard")

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True
DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j F Y, H:i"

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "safeboard" / "static"]
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Uploaded files are never served directly: views check permissions and stream them.
MEDIA_URL = "/files/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
MAX_UPLOAD_MB = envint("MAX_UPLOAD_MB", 20)
# The most rows a CSV or Excel file may have under its header (core.tables); blank rows count.
MAX_IMPORT_ROWS = envint("MAX_IMPORT_ROWS", 50_000)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if envbool("STATIC_MANIFEST")
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Without the manifest (development, tests), files are served from the source folders.
WHITENOISE_USE_FINDERS = not envbool("STATIC_MANIFEST")
WHITENOISE_AUTOREFRESH = not envbool("STATIC_MANIFEST")

# The DfE LAIT files (national comparators) that `demo load` imports and the tests read: the
# small extract in the repository unless SAFEBOARD_LAIT_DIR names another folder, such as the
# full national files. An installation imports its own with `comparators import-lait`.
LAIT_DIR = Path(
    os.environ.get("SAFEBOARD_LAIT_DIR") or BASE_DIR / "safeboard" / "performance" / "data" / "lait"
)

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Safeboard <safeboard@localhost>")

TASKS = {"default": {"BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}

NINJA_PAGINATION_PER_PAGE = 100

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

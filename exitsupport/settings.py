"""Settings for ExitSupport, read from the environment (12-factor).

Every value has a safe development default, so `make run` works with no
configuration at all. In production set at least DEBUG=0, SECRET_KEY,
ALLOWED_HOSTS and DATABASE_URL; the app refuses to start with the development
secret when DEBUG is off.
"""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.conf.locale import LANG_INFO
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

_DEV_SECRET = "django-insecure-development-only-never-use-in-production"  # noqa: S105


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


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def check_secret_key(key: str) -> None:
    """Refuse a production secret that is missing, short or repetitive: the
    same rules as Django's deploy check (security.W009), as an error."""
    if key == _DEV_SECRET or not key:
        raise ImproperlyConfigured("Set SECRET_KEY in the environment when DEBUG is off.")
    if len(key) < 50 or len(set(key)) < 5 or key.startswith("django-insecure-"):
        raise ImproperlyConfigured(
            "SECRET_KEY is too weak for production: use at least 50 random characters, e.g. "
            "python -c 'import secrets; print(secrets.token_urlsafe(64))'."
        )


DEBUG = env_bool("DEBUG", True)
SECRET_KEY = os.environ.get("SECRET_KEY", _DEV_SECRET)
if not DEBUG:
    check_secret_key(SECRET_KEY)

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("Set ALLOWED_HOSTS in the environment when DEBUG is off.")
if not DEBUG and "*" in ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "ALLOWED_HOSTS=* accepts any Host header when DEBUG is off: name the site's host names."
    )
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "exitsupport.apps.CatalogueAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "bootstrap",  # Bootstrap's CSS/JS from PyPI (django-bootstrap-static): no CDN
    "simple_history",
    "exitsupport.apps.SignInAttemptsConfig",  # axes
    "django_otp",
    "exitsupport.apps.TwoFactorDevicesConfig",  # django_otp.plugins.otp_totp
    "csp",
    "factors",
    "assessments",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "assessments.middleware.SessionIdleRefreshMiddleware",
    # The language: the browser's (Accept-Language) or the language cookie,
    # then the account's choice, which sign-in copied into the session.
    "django.middleware.locale.LocaleMiddleware",
    "assessments.language.UserLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "assessments.middleware.RequireTwoFactorMiddleware",
    "assessments.security.middleware.RefusalTraceMiddleware",
    "assessments.security.middleware.PermissionsPolicyMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Axes must be last: it turns a lockout into a response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "exitsupport.urls"
WSGI_APPLICATION = "exitsupport.wsgi.application"

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
                "assessments.context_processors.sign_in_policy",
                "factors.translations.context_processors.translation_status",
                "assessments.language.language_picker",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("CONN_MAX_AGE", 0),
        conn_health_checks=True,
    )
}
# Reports and their exports may read from a PostgreSQL streaming replica
# (exitsupport/db_router.py); everything else uses the primary.
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"],
        conn_max_age=env_int("CONN_MAX_AGE", 0),
        conn_health_checks=True,
    )
    # In tests the replica reads the primary's test database: the same one, or,
    # on a real streaming replica, its copy by replication.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["exitsupport.db_router.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "exitsupport.auth_backends.ModelBackendOneQuery",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {
        "NAME": "assessments.security.passwords.DistinctCharactersValidator",
        "OPTIONS": {"min_distinct": 6},
    },
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

# --- Languages ---------------------------------------------------------------
# English is the source (British English: "en-gb", so dates keep the British
# formats; a browser asking for "en" or "en-us" gets it). Each person may choose
# one of these (kept on their account); until they do, pages follow the
# browser's Accept-Language. See README.md, "Translations".
LANGUAGES = [
    ("en-gb", "English"),
    ("es", "Español"),
    ("ne", "नेपाली"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]

# Two test locales, built from the extracted messages by `manage.py
# pseudo_locales` (never committed): "en-xa" accents every letter and brackets
# every string, so English left unmarked shows; "ar-xb" is right-to-left (its
# base language is in LANGUAGES_BIDI), to prove layout and print. They are
# offered only with TEST_LOCALES=1; the test suite turns them on.
# Their names, as offered in the picker, are written in them.
TEST_LANGUAGES = [
    ("en-xa", "⟦Ƥšéûðö⟧"),
    ("ar-xb", "\u202eƦŢĻ\u202c"),
]
LANG_INFO.setdefault(
    "en-xa",
    {"bidi": False, "code": "en-xa", "name": "Pseudo-locale", "name_local": "⟦Ƥšéûðö⟧"},
)
LANG_INFO.setdefault(
    "ar-xb",
    {"bidi": True, "code": "ar-xb", "name": "RTL pseudo-locale", "name_local": "\u202eƦŢĻ\u202c"},
)
TEST_LOCALES = env_bool("TEST_LOCALES", False)
if TEST_LOCALES:
    LANGUAGES = LANGUAGES + TEST_LANGUAGES

# The language cookie: set by the language picker, so that the sign-in page
# keeps the language chosen; it holds nothing but the language code.
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("STATIC_MANIFEST", not DEBUG)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# WhiteNoise serves collected files in production; in development and tests
# Django's own static handlers serve them, so WhiteNoise need not scan the finders.
# In development it looks into staticfiles/ per request instead of at start-up
# (WhiteNoise's own default under DEBUG), so a fresh checkout that never ran
# collectstatic starts without a "No directory at: staticfiles/" warning.
WHITENOISE_USE_FINDERS = False
WHITENOISE_AUTOREFRESH = DEBUG

# Messages can name a client's reference: keep them server-side, not in a cookie.
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Sessions: short-lived, idle expiry enforced server side --------------
# Database sessions, read with a fixed statement (exitsupport/session_store.py).
SESSION_ENGINE = "exitsupport.session_store"
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_SECONDS", 15 * 60)
# The idle clock restarts with activity: SessionIdleRefreshMiddleware renews
# the session at most once a minute instead of writing it at every request.
SESSION_SAVE_EVERY_REQUEST = False
# However busy, a session ends this long after sign-in (a working day).
SESSION_ABSOLUTE_SECONDS = env_int("SESSION_ABSOLUTE_SECONDS", 8 * 3600)
# The "you are about to be signed out" warning comes this long before the end.
SESSION_WARNING_SECONDS = env_int("SESSION_WARNING_SECONDS", 120)
# A form sent after the session ended is kept (server side) this long for
# its author to find again after signing in; then it is deleted.
HELD_SUBMISSION_SECONDS = env_int("HELD_SUBMISSION_SECONDS", 24 * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# --- HTTPS and headers (active whenever DEBUG is off) ----------------------
SECURE_HTTPS = env_bool("SECURE_HTTPS", not DEBUG)
SESSION_COOKIE_SECURE = SECURE_HTTPS
CSRF_COOKIE_SECURE = SECURE_HTTPS
LANGUAGE_COOKIE_SECURE = SECURE_HTTPS
if SECURE_HTTPS:
    # The __Host- prefix: the browser takes the cookie only if it is Secure,
    # has Path=/ and no Domain, so no other (sub)domain can plant or read it.
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    LANGUAGE_COOKIE_NAME = "__Host-language"
SECURE_SSL_REDIRECT = SECURE_HTTPS and env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = 365 * 24 * 3600 if SECURE_HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HTTPS
SECURE_HSTS_PRELOAD = SECURE_HTTPS
if env_bool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Browser features the app never uses, all turned off (Permissions-Policy).
PERMISSIONS_POLICY = [
    "accelerometer", "autoplay", "camera", "display-capture", "encrypted-media",
    "geolocation", "gyroscope", "magnetometer", "microphone", "midi", "payment",
    "publickey-credentials-get", "screen-wake-lock", "usb", "xr-spatial-tracking",
]  # fmt: skip

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

# --- Sign-in protection ----------------------------------------------------
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 30) / 60  # hours
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
# A success resets the lockout counter (AccessAttempt), but every failure is
# also kept in AccessFailureLog, which a success does not touch.
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_ACCESS_FAILURE_LOG_PER_USER_LIMIT = env_int("AXES_FAILURE_LOG_PER_USER", 1000)
AXES_VERBOSE = False
AXES_IPWARE_PROXY_COUNT = env_int("AXES_PROXY_COUNT", 0) or None

REQUIRE_2FA = env_bool("REQUIRE_2FA", False)
OTP_TOTP_ISSUER = "ExitSupport"
# How long an enrolment code for the second factor stays valid.
ENROLMENT_CODE_HOURS = env_int("ENROLMENT_CODE_HOURS", 72)

# --- Security officer's view ------------------------------------------------
# A burst: at least REFUSAL_BURST_COUNT refusals (403/404 on records, wrong
# codes, failed sign-ins) by one user or from one address within
# REFUSAL_BURST_MINUTES, over the last REFUSAL_BURST_DAYS.
REFUSAL_BURST_COUNT = env_int("REFUSAL_BURST_COUNT", 10)
REFUSAL_BURST_MINUTES = env_int("REFUSAL_BURST_MINUTES", 10)
REFUSAL_BURST_DAYS = env_int("REFUSAL_BURST_DAYS", 30)
# Draft saves (and opening the draft's form) of one assessment by one user are
# recorded once per this many minutes, so autosave does not flood the trail.
AUDIT_DRAFT_MINUTES = env_int("AUDIT_DRAFT_MINUTES", 15)

# --- Product settings ------------------------------------------------------
# Counts below this threshold are shown as "<N" in every report and export.
REPORT_MIN_CELL = env_int("REPORT_MIN_CELL", 5)
CLIENTS_PER_PAGE = env_int("CLIENTS_PER_PAGE", 25)
# Free-text fields refuse input longer than this many characters.
MAX_NOTE_LENGTH = env_int("MAX_NOTE_LENGTH", 4000)
# Support plans: how many factors one plan may focus on; how long a closed case
# is kept before `erase_closed_cases` may erase it; how soon supervisors are told.
PLAN_MAX_FOCUS_FACTORS = env_int("PLAN_MAX_FOCUS_FACTORS", 5)
CASE_RETENTION_DAYS = env_int("CASE_RETENTION_DAYS", 6 * 365)
CASE_RETENTION_NOTICE_DAYS = env_int("CASE_RETENTION_NOTICE_DAYS", 90)

# What a new client reference must look like: the default asks for a short
# prefix of capitals and a number (N-0042, DEMO-001), which refuses names
# ("Maria.Gonzalez"), initials ("MG"), phone numbers and e-mail addresses.
CLIENT_REFERENCE_PATTERN = os.environ.get(
    "CLIENT_REFERENCE_PATTERN", r"^[A-Z]{1,4}(?:-[A-Z]{1,4})?-[0-9]{1,8}$"
)
CLIENT_REFERENCE_EXAMPLE = os.environ.get("CLIENT_REFERENCE_EXAMPLE", "N-0042")
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 1024 * 1024)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

"""Settings for 四下基层工作平台.

Everything that differs between machines comes from the environment:
DATABASE_URL (default: SQLite in ./var), SECRET_KEY, FIELD_ENCRYPTION_KEY, DEBUG,
NOTIFY_BACKEND, ALLOWED_HOSTS.
"""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("GRASSROOTS_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = os.environ.get("DEBUG", "0") == "1"
SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-insecure-key-change-me-in-production")
# Key for personal data at rest (phone, ID number). Any string; it is stretched to a Fernet key.
FIELD_ENCRYPTION_KEY = os.environ.get("FIELD_ENCRYPTION_KEY", SECRET_KEY)
ALLOWED_HOSTS = os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "grassroots.accounts",
    "grassroots.workcal",
    "grassroots.appeals",
    "grassroots.ledger",
    "grassroots.commitments",
    "grassroots.surveys",
    "grassroots.reception",
    "grassroots.activities",
    "grassroots.onsite",
    "grassroots.research",
    "grassroots.accountability",
    "grassroots.portal",
    "grassroots.notify",
    "grassroots.textintel",
    "grassroots.administration",
    "grassroots.audit",
    "grassroots.errors",
    "grassroots.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "grassroots.audit.context.OriginMiddleware",
    "grassroots.errors.middleware.KeepFormsThroughLogin",
]
CSRF_FAILURE_VIEW = "grassroots.errors.views.csrf_failure"

ROOT_URLCONF = "grassroots.urls"
WSGI_APPLICATION = "grassroots.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "grassroots" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "grassroots.administration.context_processors.calendar_notice",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(default=f"sqlite:///{VAR_DIR / 'grassroots.sqlite3'}", conn_max_age=60)
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Appeals are written by several requests at once: take the write lock when a transaction
    # begins and wait for it, instead of failing halfway with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(timeout=20, transaction_mode="IMMEDIATE")
    # Tests use a file too: the in-memory default shares one cache between connections,
    # where SQLite reports "table is locked" at once instead of waiting.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-grassroots.sqlite3")}

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "appeals:inbox"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]

LANGUAGE_CODE = "zh-hans"
FORMAT_MODULE_PATH = ["grassroots.formats"]  # ISO dates in date inputs (see the module)
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
# Serve static files from the apps directly (no collectstatic step on an intranet box).
WHITENOISE_USE_FINDERS = True
STATICFILES_DIRS = [BASE_DIR / "grassroots" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Uploads: a whole request (form plus files) and each attachment.
DATA_UPLOAD_MAX_MEMORY_SIZE = 30 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
ATTACHMENT_MAX_COUNT = 5

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if os.environ.get("REDIS_URL"):
    CACHES["default"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ["REDIS_URL"],
    }

# Residents' portal: submissions per client address per hour.
# The local petition office's phone, shown to residents where the portal cannot help (a limit
# reached, a form refused): "12345" or the 信访局's own number.
PETITION_PHONE = os.environ.get("PETITION_PHONE", "12345")
PORTAL_SUBMIT_RATE = int(os.environ.get("PORTAL_SUBMIT_RATE", "10"))
PORTAL_LOOKUP_RATE = int(os.environ.get("PORTAL_LOOKUP_RATE", "30"))
# per person: submissions per phone number, lookups per tracking code (each per hour)
PORTAL_SUBMIT_RATE_PER_PHONE = int(os.environ.get("PORTAL_SUBMIT_RATE_PER_PHONE", "5"))
PORTAL_LOOKUP_RATE_PER_CODE = int(os.environ.get("PORTAL_LOOKUP_RATE_PER_CODE", "10"))
# per address at an assisted-service point listed by administrators (便民服务中心)
PORTAL_ASSISTED_SUBMIT_RATE = int(os.environ.get("PORTAL_ASSISTED_SUBMIT_RATE", "300"))
# How many reverse proxies in front of the app append to X-Forwarded-For (0: use REMOTE_ADDR).
PORTAL_TRUSTED_PROXIES = int(os.environ.get("PORTAL_TRUSTED_PROXIES", "0"))

# Officials without a grassroots activity for more than this many days are listed for their supervisors.
GRASSROOTS_ABSENCE_LIMIT_DAYS = int(os.environ.get("GRASSROOTS_ABSENCE_LIMIT_DAYS", "30"))
# A pause of a statutory clock (听证 in 复核, §36) counts from the day it is recorded; one that
# starts up to this many days earlier needs a supervisor's approval, earlier still is refused.
PAUSE_BACKDATE_GRACE_DAYS = int(os.environ.get("PAUSE_BACKDATE_GRACE_DAYS", "3"))
# Reception days required by level and post: see grassroots/reception/accountability.py (DEFAULT_RULES);
# set RECEPTION_RULES here to change them.

# Text core model files (classifiers, duplicate index), written by `manage.py retrain_textcore`.
TEXTCORE_MODEL_DIR = Path(os.environ.get("TEXTCORE_MODEL_DIR", VAR_DIR / "models"))
# Hotspots are found among at most this many recent appeals in the user's scope.
HOTSPOT_MAX_APPEALS = int(os.environ.get("HOTSPOT_MAX_APPEALS", "3000"))

# Notifications: "console", "file" (writes to var/outbox) or a dotted path to a sender class.
NOTIFY_BACKEND = os.environ.get("NOTIFY_BACKEND", "file")
NOTIFY_OUTBOX_DIR = VAR_DIR / "outbox"

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

"""Settings shared by every environment. Every value comes from the environment."""

from datetime import timedelta
from pathlib import Path

import environ
from corsheaders.defaults import default_headers as default_cors_headers

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()

SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=[])

INSTALLED_APPS = [
    "lms.core.apps.AdminConfig",  # django.contrib.admin, with rate limits on its login
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "corsheaders",
    "rest_framework",
    "rest_framework_simplejwt.token_blacklist",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI's files, served from here rather than a CDN
    "csp",
    "lms.core",
    "lms.users",
    "lms.audit",
    "lms.courses",
    "lms.enrollments",
    "lms.payments",
    "lms.learning",
]

MIDDLEWARE = [
    # First, so that every response (a 413 too) carries the request id and the CORS headers.
    "lms.core.middleware.RequestIdMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "lms.core.middleware.BodySizeLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "lms.audit.services.AuditContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------
# DATABASE_URL: sqlite:///path (default), mysql://user:pass@host:3306/name, postgres://...
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
# Persistent connections: opening one per request triples the cost of a request on PostgreSQL.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env.bool(
    "DB_PREPARED_STATEMENTS", default=False
):
    # Opt-in: server-side parameters, and a statement run 5 times on a connection is prepared
    # (PostgreSQL then skips parsing and planning it). Not behind a pooler in transaction mode
    # that cannot keep prepared statements (PgBouncer before 1.21); recycle the workers after a
    # migration that changes a column's type.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault("server_side_binding", True)
    DATABASES["default"]["OPTIONS"].setdefault("prepare_threshold", 5)
DATABASES["default"].setdefault("ATOMIC_REQUESTS", False)
if DATABASES["default"]["ENGINE"] == "django.db.backends.mysql":
    # PyMySQL (pure Python) stands in for mysqlclient, which needs C headers to build.
    import pymysql

    pymysql.version_info = (2, 2, 1, "final", 0)  # Django 5.2 asks for mysqlclient >= 2.2.1
    pymysql.install_as_MySQLdb()
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault("charset", "utf8mb4")
    DATABASES["default"]["OPTIONS"].setdefault("isolation_level", "read committed")
    DATABASES["default"]["TEST"] = {"CHARSET": "utf8mb4", "COLLATION": "utf8mb4_unicode_ci"}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "users.User"
AUTHENTICATION_BACKENDS = [
    "lms.users.backends.EmailBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Cache ----------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="lms"),
            # Every throttled request and the health check wait on Redis; an outage must not hang them.
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 2, "SOCKET_TIMEOUT": 2},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"

# Lesson files, stored through Django's storage API (STORAGES["default"]): on local disk here, never
# served from a public URL; downloads go through a permission-checked view. See docs/operations.md
# for S3-compatible storage in production.
MEDIA_ROOT = env.path("LMS_MEDIA_ROOT", default=BASE_DIR / "media")
MEDIA_URL = "media/"
# The largest lesson file an instructor may upload.
LMS_MAX_UPLOAD_BYTES = env.int("LMS_MAX_UPLOAD_BYTES", default=50 * 1024 * 1024)
# Hosts a lesson's video URL may point at (https only).
LMS_VIDEO_HOSTS = env.list(
    "LMS_VIDEO_HOSTS",
    default=["youtube.com", "www.youtube.com", "youtu.be", "vimeo.com", "player.vimeo.com"],
)

# Requests with a larger body get 413 before any parsing.
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("LMS_MAX_BODY_BYTES", default=1024 * 1024)

# --- CORS (django-cors-headers) ----------------------------------------------
# Browser origins allowed to call the API, e.g. "https://app.example.com"; none by default.
# Authentication is a bearer token, never a cookie, so credentials are not allowed.
CORS_ALLOWED_ORIGINS = env.list("CORS_ALLOWED_ORIGINS", default=[])
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_CREDENTIALS = False
CORS_ALLOW_HEADERS = (*default_cors_headers, "x-request-id")
CORS_EXPOSE_HEADERS = ["Retry-After", "X-Request-ID"]

# --- Django REST Framework --------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "lms.users.authentication.CachedJWTAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PARSER_CLASSES": ["lms.core.parsers.JSONParser"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PAGINATION_CLASS": "lms.core.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "lms.core.filters.SearchFilter",
        "lms.core.filters.StableOrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "lms.core.schema.AutoSchema",
    "EXCEPTION_HANDLER": "lms.core.exception_handler.exception_handler",
    # Views with their own limits (login, registration, payment creation) replace these.
    "DEFAULT_THROTTLE_CLASSES": [
        "lms.core.throttling.AnonRateThrottle",
        "lms.core.throttling.UserRateThrottle",
    ],
    # "<requests>/<second|minute|hour|day>" per scope; an empty value switches a scope off.
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("THROTTLE_ANON_RATE", default="120/minute") or None,
        "user": env.str("THROTTLE_USER_RATE", default="600/minute") or None,
        "login_ip": env.str("THROTTLE_LOGIN_IP_RATE", default="10/minute") or None,
        # Per (account, client IP); the total is per account from every address together.
        "login_account": env.str("THROTTLE_LOGIN_ACCOUNT_RATE", default="10/minute") or None,
        "login_account_total": env.str("THROTTLE_LOGIN_ACCOUNT_TOTAL_RATE", default="100/hour") or None,
        "register_ip": env.str("THROTTLE_REGISTER_IP_RATE", default="10/minute") or None,
        "register_account": env.str("THROTTLE_REGISTER_ACCOUNT_RATE", default="10/minute") or None,
        "payments": env.str("THROTTLE_PAYMENTS_RATE", default="10/minute") or None,
    },
    # Proxies in front of the app that append to X-Forwarded-For. 0: the client IP is REMOTE_ADDR,
    # and a client-sent X-Forwarded-For is ignored (it would otherwise let anyone pick their IP).
    "NUM_PROXIES": env.int("THROTTLE_NUM_PROXIES", default=0),
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}

# Seconds a cached catalog page or count lives. With Redis every course change retires them at once;
# with per-process local memory this is how long other worker processes may serve the old page.
CATALOG_CACHE_SECONDS = env.int("CATALOG_CACHE_SECONDS", default=30)

# Seconds a user's authentication data (id, role, active flag) may be served from the cache. Only
# with a shared cache: a per-process one would keep a deactivated user's rights on other workers.
AUTH_USER_CACHE_SECONDS = env.int("AUTH_USER_CACHE_SECONDS", default=60) if REDIS_URL else 0
# A student's catalog flags (is_enrolled, payment_status), cached with a shared cache only: a change
# forgets them on commit in every worker. Per-process memory could not, so they are read each time.
VIEWER_CACHE_SECONDS = CATALOG_CACHE_SECONDS if REDIS_URL else 0

SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(minutes=env.int("JWT_ACCESS_MINUTES", default=15)),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=env.int("JWT_REFRESH_DAYS", default=7)),
    "ROTATE_REFRESH_TOKENS": True,
    "BLACKLIST_AFTER_ROTATION": True,
    "UPDATE_LAST_LOGIN": False,
    "AUTH_HEADER_TYPES": ("Bearer",),
    "TOKEN_REFRESH_SERIALIZER": "lms.users.serializers.TokenRefreshSerializer",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "LMS API",
    "DESCRIPTION": "Learning Management System: accounts, course catalog, enrollments and payments.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/",
    # Swagger UI from the drf-spectacular-sidecar package: no CDN, works offline, fits the CSP.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # One name per choice set, whichever serializers share it (generated clients import them).
    "ENUM_NAME_OVERRIDES": {
        "CourseStatusEnum": "lms.courses.models.Course.Status",
        "PaymentStatusEnum": "lms.payments.models.Payment.Status",
        "ViewerPaymentStatusEnum": "lms.courses.viewer.PAYMENT_STATUSES",
    },
}

# --- Content-Security-Policy (django-csp), on every response ---------------------------------
# Pages (the admin site, Swagger UI) load scripts, styles and images from this origin only. Inline
# styles stay allowed: Swagger UI's page and the admin site use them; inline scripts do not.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# --- Stripe (used by the payments app) -------------------------------------
STRIPE_SECRET_KEY = env.str("STRIPE_SECRET_KEY", default="")
STRIPE_WEBHOOK_SECRET = env.str("STRIPE_WEBHOOK_SECRET", default="")
STRIPE_API_BASE = env.str("STRIPE_API_BASE", default="")
LMS_CURRENCY = env.str("LMS_CURRENCY", default="usd").lower()
# The smallest non-zero course price: Stripe's minimum charge in the default currency.
LMS_MIN_CHARGE = env.str("LMS_MIN_CHARGE", default="0.50")

# --- Celery (only with Redis): periodic re-read of pending payments, covering lost webhooks ---
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_BEAT_SCHEDULE = {
    "sync-pending-payments": {
        "task": "payments.sync_pending_payments",
        "schedule": env.int("LMS_SYNC_PAYMENTS_SECONDS", default=300),
    },
}

# --- Logging: JSON lines tagged with the request id (LOG_FORMAT=plain for people) -----------
LOG_FORMAT = env.str("LOG_FORMAT", default="json")
LOG_LEVEL = env.str("LOG_LEVEL", default="INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "lms.core.log.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "lms.core.log.JsonFormatter"},
        "plain": {
            "()": "lms.core.log.PlainFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s",
        },
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "filters": ["request_id"]}
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    # Django's own loggers write through the handler above only, not also through its plain,
    # unredacted development handler.
    "loggers": {"django": {"handlers": [], "level": LOG_LEVEL, "propagate": True}},
}

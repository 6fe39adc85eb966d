"""Settings shared by every environment. Every value comes from the environment."""

from datetime import timedelta
from pathlib import Path

import environ
from corsheaders.defaults import default_headers as default_cors_headers
from django.core.exceptions import ImproperlyConfigured

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
    "lms.certificates",
    "lms.reviews",
]

MIDDLEWARE = [
    # First, so that every response (a 413 too) carries the request id and the CORS headers.
    "lms.core.middleware.RequestIdMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "lms.core.middleware.BodySizeLimitMiddleware",
    # Inside CORS, so the JSON errors it makes carry the CORS headers; it keeps every other header.
    "lms.core.middleware.ApiJsonErrorsMiddleware",
    "lms.core.middleware.ApiSlashMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Static files (the admin site's, Swagger UI's) from STATIC_ROOT, right after the HTTPS redirect.
    "whitenoise.middleware.WhiteNoiseMiddleware",
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
# A new connection per request: the development server serves each request in a thread of its own,
# and a kept connection would stay open with its thread. Production (gunicorn) keeps them.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # One writer at a time. IMMEDIATE: a transaction takes the write lock when it begins, so a second
    # writer waits for it (up to `timeout` seconds) rather than failing with "database is locked" at
    # its first write. WAL: reads go on while a transaction writes. Options in the URL win.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault("transaction_mode", "IMMEDIATE")
    DATABASES["default"]["OPTIONS"].setdefault("timeout", 20)
    DATABASES["default"]["OPTIONS"].setdefault(
        "init_command", "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
    )
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

# Static files: `manage.py collectstatic` copies them to STATIC_ROOT with content-hashed names and
# gzipped copies, and WhiteNoise serves them from there (far-future caching for the hashed names).
# With DEBUG on, templates link the plain names and the development server serves the apps' copies.
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# The web app's build (`npm run build` in frontend/): its index.html is served for client-side
# paths (lms.core.views.WebAppView), its hashed assets as static files under /static/app/.
LMS_FRONTEND_DIST = BASE_DIR / "frontend" / "dist"
STATICFILES_DIRS = [("app", LMS_FRONTEND_DIST)] if LMS_FRONTEND_DIST.is_dir() else []

# Lesson files, stored through Django's storage API (STORAGES["default"]): on local disk here, never
# served from a public URL; downloads go through a permission-checked view. See docs/operations.md
# for S3-compatible storage in production.
MEDIA_ROOT = env.path("LMS_MEDIA_ROOT", default=BASE_DIR / "media")
MEDIA_URL = "media/"
# The largest lesson file an instructor may upload.
# Certificates: the page size of their PDF (a4 or letter, landscape), the name they carry, and
# the public address of the web app, whose /verify/{code} page their QR code opens.
LMS_CERTIFICATE_PAGE_SIZE = env.str("LMS_CERTIFICATE_PAGE_SIZE", default="a4").lower()
if LMS_CERTIFICATE_PAGE_SIZE not in ("a4", "letter"):
    raise ImproperlyConfigured("LMS_CERTIFICATE_PAGE_SIZE must be a4 or letter.")
LMS_SITE_NAME = env.str("LMS_SITE_NAME", default="LMS")
LMS_PUBLIC_URL = env.str("LMS_PUBLIC_URL", default="http://127.0.0.1:8000")
LMS_MAX_UPLOAD_BYTES = env.int("LMS_MAX_UPLOAD_BYTES", default=50 * 1024 * 1024)
# Hosts a lesson's video URL may point at (https only).
LMS_VIDEO_HOSTS = env.list(
    "LMS_VIDEO_HOSTS",
    default=["youtube.com", "www.youtube.com", "youtu.be", "vimeo.com", "player.vimeo.com"],
)
# The player each video host's lessons are embedded from (frontend/src/features/learning/video.ts
# builds the same addresses); the CSP's frame-src allows only the players of the hosts above.
LMS_VIDEO_EMBED_ORIGINS = {
    "youtube.com": "https://www.youtube-nocookie.com",
    "www.youtube.com": "https://www.youtube-nocookie.com",
    "youtu.be": "https://www.youtube-nocookie.com",
    "vimeo.com": "https://player.vimeo.com",
    "player.vimeo.com": "https://player.vimeo.com",
}

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
        "reviews": env.str("THROTTLE_REVIEWS_RATE", default="10/minute") or None,
        # The public certificate check, per client IP: enough for people, not for guessing codes.
        "certificate_verify": env.str("THROTTLE_CERTIFICATE_VERIFY_RATE", default="30/minute") or None,
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

# The API's version: in the OpenAPI schema and in the index at /api/.
API_VERSION = "1.0.0"
# The web app's refresh token cookie (lms/users/cookies.py) is Secure: sent over HTTPS only.
# Only a plain-HTTP development server on loopback may switch it off (local.py does).
LMS_REFRESH_COOKIE_SECURE = env.bool("LMS_REFRESH_COOKIE_SECURE", default=True)
# Origins besides the site's own that may call the cookie endpoints, e.g. "https://app.example.com".
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

SPECTACULAR_SETTINGS = {
    "TITLE": "LMS API",
    "DESCRIPTION": "Learning Management System: accounts, course catalog, enrollments and payments.",
    "VERSION": API_VERSION,
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
        # Lesson videos: the embedded players of LMS_VIDEO_HOSTS, nothing else.
        "frame-src": [
            "'self'",
            *sorted({origin for host, origin in LMS_VIDEO_EMBED_ORIGINS.items() if host in LMS_VIDEO_HOSTS}),
        ],
    }
}

# --- Stripe (used by the payments app) -------------------------------------
STRIPE_SECRET_KEY = env.str("STRIPE_SECRET_KEY", default="")
STRIPE_WEBHOOK_SECRET = env.str("STRIPE_WEBHOOK_SECRET", default="")
# The browser's key (pk_live_… or pk_test_…, of the same account): public by design, the web app's
# checkout gets it with the payment it starts.
STRIPE_PUBLISHABLE_KEY = env.str("STRIPE_PUBLISHABLE_KEY", default="")
STRIPE_API_BASE = env.str("STRIPE_API_BASE", default="")
# Development only: the web app's checkout pays at localstripe through a stand-in for Stripe.js
# (lms/payments/local_checkout.py). Only config/settings/local.py can turn it on.
LMS_LOCAL_CHECKOUT = False
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
    "render-pending-certificates": {  # those whose render failed five times, or whose task was lost
        "task": "certificates.render_pending",
        "schedule": env.int("LMS_RENDER_CERTIFICATES_SECONDS", default=600),
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

"""Production. Missing secrets fail Django's system checks (lms.core.checks)."""

import secrets

from .base import *  # noqa: F403
from .base import env

# Without a key Django fails while importing apps, before lms.E001 can name the problem. A throwaway
# key lets the system checks run; lms.E001 refuses it because of its prefix, so nothing starts with it.
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="") or f"django-insecure-{secrets.token_urlsafe(50)}"

DEBUG = env.bool("DJANGO_DEBUG", default=False)

# Persistent connections for gunicorn's workers: opening one per request triples the cost of a
# request on PostgreSQL. A sync worker keeps one.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)

SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
# Load balancers probe over plain HTTP inside the network; a redirect would read as "down".
SECURE_REDIRECT_EXEMPT = [r"^api/health/$"]
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True

# The proxies in front (THROTTLE_NUM_PROXIES, 0 by default, as in base): only with one in front are
# X-Forwarded-For (the client IP the throttles key on) and X-Forwarded-Proto trusted; reached
# directly, a client would set them itself.
if REST_FRAMEWORK["NUM_PROXIES"]:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
LMS_REQUIRE_PRODUCTION_SECRETS = True

"""Production. Refuses to load without what it requires (below), so no process can start without it:
gunicorn and uvicorn (config.wsgi, config.asgi), Celery and every management command alike."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env

SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
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
# The same rules as system checks (lms.E001-E003, payments.E001-E002), for settings modules that
# import this one and change these values after the guard below has passed.
LMS_REQUIRE_PRODUCTION_SECRETS = True

# --- What production requires, checked at import ----------------------------------------------
# Django's system checks run only under manage.py; gunicorn never runs them. Without this guard a
# worker started with no DJANGO_SECRET_KEY served requests with a key of its own, so a token one
# worker signed was refused by the others. The messages name the variables, never their values.
_missing = [
    name
    for name, value in (
        ("DJANGO_SECRET_KEY", SECRET_KEY),
        ("DJANGO_ALLOWED_HOSTS", ALLOWED_HOSTS),
        ("STRIPE_SECRET_KEY", STRIPE_SECRET_KEY),
        ("STRIPE_WEBHOOK_SECRET", STRIPE_WEBHOOK_SECRET),
        ("STRIPE_PUBLISHABLE_KEY", STRIPE_PUBLISHABLE_KEY),
    )
    if not value
]
_problems = [f"{name} is not set" for name in _missing]
if SECRET_KEY and (len(SECRET_KEY) < 50 or SECRET_KEY.startswith("django-insecure")):
    _problems.append(
        "DJANGO_SECRET_KEY is too weak: it needs at least 50 random characters and must not start "
        "with 'django-insecure'"
    )
if DEBUG:
    _problems.append("DJANGO_DEBUG is on; it must be off in production")
if _problems:
    raise ImproperlyConfigured(
        "config.settings.production refuses to load: "
        + "; ".join(_problems)
        + ". Set them in the environment (docs/operations.md, 'Environment variables')."
    )

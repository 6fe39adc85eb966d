"""System checks: production refuses to start without its secrets, and warns without a shared cache.

config/settings/production.py already refuses to load without its secrets (for gunicorn, which runs
no checks); these checks also hold a settings module that imports it and then changes a value.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, Warning, register


@register()
def production_secrets_check(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    if not getattr(settings, "LMS_REQUIRE_PRODUCTION_SECRETS", False):
        return []
    errors: list[Error] = []
    key = settings.SECRET_KEY or ""
    if not key or key.startswith("django-insecure") or len(key) < 50:
        errors.append(
            Error(
                "DJANGO_SECRET_KEY is missing or weak.",
                hint="Set DJANGO_SECRET_KEY to a random string of at least 50 characters.",
                id="lms.E001",
            )
        )
    if not settings.ALLOWED_HOSTS:
        errors.append(
            Error(
                "DJANGO_ALLOWED_HOSTS is empty.",
                hint="Set DJANGO_ALLOWED_HOSTS to the comma-separated host names this service answers.",
                id="lms.E002",
            )
        )
    if settings.DEBUG:
        errors.append(Error("DJANGO_DEBUG must be off in production.", id="lms.E003"))
    return errors


@register()
def production_shared_cache_check(app_configs: Any = None, **kwargs: Any) -> list[Warning]:
    """Without Redis every worker process keeps its own cache, so each enforces its own rate limits
    (N workers let N times the rate through) and keeps its own cached catalog pages."""
    if not getattr(settings, "LMS_REQUIRE_PRODUCTION_SECRETS", False) or settings.REDIS_URL:
        return []
    return [
        Warning(
            "REDIS_URL is not set: rate limits and cached pages are kept per worker process.",
            hint="Set REDIS_URL, so that every worker shares one cache, unless exactly one process "
            "serves the API.",
            id="lms.W001",
        )
    ]

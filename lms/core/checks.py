"""System checks: production refuses to start without its secrets."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, register


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

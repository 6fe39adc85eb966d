"""System checks: production needs its Stripe secrets, and never falls back to unsigned webhooks."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, register


@register()
def stripe_settings_check(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    if not getattr(settings, "LMS_REQUIRE_PRODUCTION_SECRETS", False):
        return []
    errors = []
    if not settings.STRIPE_SECRET_KEY:
        errors.append(Error("STRIPE_SECRET_KEY is not set.", id="payments.E001"))
    if not settings.STRIPE_WEBHOOK_SECRET:
        errors.append(Error("STRIPE_WEBHOOK_SECRET is not set.", id="payments.E002"))
    return errors

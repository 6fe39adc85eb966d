"""Reads that belong to no app: the service's own health."""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import connection

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Health:
    database: bool
    cache: bool
    stripe_secret_key_configured: bool
    stripe_webhook_secret_configured: bool

    @property
    def ok(self) -> bool:
        # Stripe settings are reported, not required: catalog and accounts work without them.
        return self.database and self.cache


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            row = cursor.fetchone()
    except Exception:
        logger.exception("Health check: the database is unavailable.")
        return False
    return row is not None and row[0] == 1


def _cache_ok() -> bool:
    key, value = f"health:{uuid.uuid4().hex}", uuid.uuid4().hex
    try:
        cache.set(key, value, timeout=10)
        ok = cache.get(key) == value
        cache.delete(key)
    except Exception:
        logger.exception("Health check: the cache is unavailable.")
        return False
    if not ok:
        logger.error("Health check: the cache did not return the value just stored.")
    return ok


def health_check() -> Health:
    """Database, cache and Stripe configuration status; secrets are only ever reported as present."""
    return Health(
        database=_database_ok(),
        cache=_cache_ok(),
        stripe_secret_key_configured=bool(settings.STRIPE_SECRET_KEY),
        stripe_webhook_secret_configured=bool(settings.STRIPE_WEBHOOK_SECRET),
    )

"""Connection health checks that cost a round trip only when a connection may have gone stale.

Django's CONN_HEALTH_CHECKS sends `SELECT 1` before the first query of every request on a reused
connection: one more round trip for every request that touches the database (on a webhook
event, one in eight statements). Here a connection checked, or opened, less than
HEALTH_CHECK_INTERVAL seconds ago is taken as alive; an older one is checked as Django does.

What that leaves: when the database restarts, a connection that was checked within the interval
fails the one request that uses it next (a 5xx; a Stripe event is then retried), and Django
replaces it at the end of that request, because an error occurred on it. A connection idle for
longer, the usual stale one, is checked and replaced before it is used, as before.
"""

from __future__ import annotations

import time
from typing import Any


class HealthCheckIntervalMixin:
    """For a DatabaseWrapper: CONN_HEALTH_CHECKS at most once per HEALTH_CHECK_INTERVAL seconds."""

    health_checked_at = float("-inf")

    def connect(self) -> None:
        super().connect()  # type: ignore[misc]
        self.health_checked_at = time.monotonic()  # a new connection is healthy

    def close_if_health_check_failed(self) -> None:
        wrapper: Any = self
        interval = wrapper.settings_dict.get("HEALTH_CHECK_INTERVAL", 0)
        due = (
            wrapper.connection is not None and wrapper.health_check_enabled and not wrapper.health_check_done
        )
        if due and time.monotonic() - self.health_checked_at < interval:
            wrapper.health_check_done = True
            return
        super().close_if_health_check_failed()  # type: ignore[misc]
        if due:
            self.health_checked_at = time.monotonic()

"""Rate limits. State lives in the default cache (Redis when REDIS_URL is set).

Rates are ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"][scope]``, read when a request arrives (DRF
copies them once, at import, which would make them impossible to change in tests or per process).
A throttled request gets 429 with ``Retry-After`` through the exception handler.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

from rest_framework.request import Request
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle


class RateThrottle(SimpleRateThrottle):
    """A fixed-window counter whose rate is looked up in the settings at request time.

    One cache round trip a request (an INCR), where DRF's own throttle reads and rewrites a list
    of timestamps (two, and a pickled list that grows with the rate). A client may spend one
    window's budget at its end and the next one's at its start.
    """

    def get_rate(self) -> str | None:
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def allow_request(self, request: Request, view: Any) -> bool:
        if self.rate is None:
            return True
        key = self.get_cache_key(request, view)
        if key is None:
            return True
        self.now = self.timer()
        window = int(self.now // self.duration)
        self.window_end = (window + 1) * self.duration
        key = f"{key}:{window}"
        try:
            count = self.cache.incr(key)
        except ValueError:  # the window's first request
            count = 1 if self.cache.add(key, 1, timeout=self.duration + 1) else self.cache.incr(key)
        return count <= self.num_requests

    def wait(self) -> float:
        # Until the window ends: a client that waits `Retry-After` seconds gets through.
        return max(1.0, self.window_end - self.now)

    def key_for(self, ident: str) -> str:
        return self.cache_format % {"scope": self.scope, "ident": ident}


class AnonRateThrottle(RateThrottle):
    """The general rate of anonymous requests, per client IP."""

    scope = "anon"

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        if request.user and request.user.is_authenticated:
            return None
        return self.key_for(self.get_ident(request))


class UserRateThrottle(RateThrottle):
    """The general rate of authenticated requests, per user."""

    scope = "user"

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        if not (request.user and request.user.is_authenticated):
            return None
        return self.key_for(str(request.user.pk))


class IPRateThrottle(RateThrottle):
    """Per client IP whether or not the request is authenticated; subclasses name the scope."""

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        return self.key_for(self.get_ident(request))


class SubmittedEmailRateThrottle(RateThrottle):
    """Per account named in the body (``email``), compared without case or surrounding spaces.

    The address is hashed: keys stay short whatever a client sends, and no address sits in the cache.
    A body without an email string is left to the view's validation (and to the per-IP throttle).
    """

    field = "email"

    def normalize(self, value: str) -> str:
        return value.strip().lower()

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        data = request.data  # a malformed body raises its 400/415 here, as it would in the view
        value = data.get(self.field) if isinstance(data, Mapping) else None
        if not isinstance(value, str) or not value.strip():
            return None
        digest = hashlib.sha256(self.normalize(value).encode()).hexdigest()
        return self.key_for(digest)


class PaymentRateThrottle(RateThrottle):
    """Payment creation, per user. Attach it to the create action only, next to UserRateThrottle
    (a view's ``throttle_classes`` replace the defaults rather than add to them)."""

    scope = "payments"

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        if not (request.user and request.user.is_authenticated):
            return None
        return self.key_for(str(request.user.pk))

"""Login, password and registration limits: per client IP, and per account named in the body.

A failed guess costs the attacker, not the account's owner: the per-account limit counts each
(account, client IP) pair, so guesses from elsewhere cannot lock the owner out; a much higher
ceiling per account bounds guesses spread over many addresses (and, past it, does lock out).
"""

from __future__ import annotations

import hashlib
from typing import Any

from rest_framework.request import Request

from lms.core.throttling import IPRateThrottle, RateThrottle, SubmittedEmailRateThrottle
from lms.users.models import UserManager


class LoginIPThrottle(IPRateThrottle):
    scope = "login_ip"


class LoginAccountThrottle(SubmittedEmailRateThrottle):
    """Per (account, client IP)."""

    scope = "login_account"

    def normalize(self, value: str) -> str:
        return UserManager.normalize_email(value)

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        key = super().get_cache_key(request, view)
        return None if key is None else f"{key}:{self.get_ident(request)}"


class LoginAccountTotalThrottle(SubmittedEmailRateThrottle):
    """Per account, from every address together: the ceiling."""

    scope = "login_account_total"

    def normalize(self, value: str) -> str:
        return UserManager.normalize_email(value)


class PasswordChangeThrottle(RateThrottle):
    """Guesses of the current password, per account: the login's per-account limit."""

    scope = "login_account"

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        if not (request.user and request.user.is_authenticated):
            return None
        digest = hashlib.sha256(f"password:{request.user.pk}".encode()).hexdigest()
        return self.key_for(digest)


class RegisterIPThrottle(IPRateThrottle):
    scope = "register_ip"


class RegisterAccountThrottle(SubmittedEmailRateThrottle):
    scope = "register_account"

    def normalize(self, value: str) -> str:
        return UserManager.normalize_email(value)

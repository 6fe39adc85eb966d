"""Login and registration limits: per client IP, and per account named in the body."""

from __future__ import annotations

from lms.core.throttling import IPRateThrottle, SubmittedEmailRateThrottle
from lms.users.models import UserManager


class LoginIPThrottle(IPRateThrottle):
    scope = "login_ip"


class LoginAccountThrottle(SubmittedEmailRateThrottle):
    scope = "login_account"

    def normalize(self, value: str) -> str:
        return UserManager.normalize_email(value)


class RegisterIPThrottle(IPRateThrottle):
    scope = "register_ip"


class RegisterAccountThrottle(SubmittedEmailRateThrottle):
    scope = "register_account"

    def normalize(self, value: str) -> str:
        return UserManager.normalize_email(value)

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from lms.users.models import User, UserManager


class EmailBackend(ModelBackend):
    """Authenticate with an email address, ignoring letter case."""

    def authenticate(
        self,
        request: HttpRequest | None,
        email: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        if email is None or password is None:
            return None
        try:
            user = User.objects.get(email=UserManager.normalize_email(email))
        except User.DoesNotExist:
            # Hash anyway, so the response time does not reveal whether the address exists.
            User().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None

"""JWT authentication that, with a shared cache, does not read the user table on every request.

With Redis, the few user fields a request needs are cached for AUTH_USER_CACHE_SECONDS (default
60). The account services forget the entry when their change commits, so a change made through
the API or the admin site takes effect at once on every worker; a change made directly in the
database takes effect within that bound. Without Redis the cache would be per process, and
another worker would keep a deactivated user's rights: then nothing is cached.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.cache import cache
from drf_spectacular.contrib.rest_framework_simplejwt import SimpleJWTScheme
from rest_framework_simplejwt.authentication import JWTAuthentication
from rest_framework_simplejwt.exceptions import AuthenticationFailed, InvalidToken
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.tokens import Token

from lms.users.models import User

# In the model's field order, which Model.from_db expects for a partial row.
CACHED_FIELDS = tuple(
    f.attname
    for f in User._meta.concrete_fields
    if f.attname in {"id", "username", "email", "role", "is_active"}
)


def _key(user_id: Any) -> str:
    return f"auth-user:{user_id}"


def forget_cached_user(user_id: int) -> None:
    """Drop a user's cached authentication data; the next request reads the database."""
    cache.delete(_key(user_id))


class CachedJWTAuthentication(JWTAuthentication):
    def get_user(self, validated_token: Token) -> User:
        try:
            user_id = validated_token[api_settings.USER_ID_CLAIM]
        except KeyError as exc:
            raise InvalidToken("Token contained no recognizable user identification") from exc
        seconds = settings.AUTH_USER_CACHE_SECONDS  # 0 without a shared cache: see settings
        values = cache.get(_key(user_id)) if seconds else None
        if values is None:
            row = User.objects.filter(pk=user_id).values_list(*CACHED_FIELDS).first()
            if row is None:
                raise AuthenticationFailed("User not found", code="user_not_found")
            values = list(row)
            if seconds:
                cache.set(_key(user_id), values, seconds)
        # A model instance with only these fields loaded; anything else is read on first access.
        # Services that write a user read its row afresh, never save this instance.
        user = User.from_db("default", list(CACHED_FIELDS), values)
        if not user.is_active:
            raise AuthenticationFailed("User is inactive", code="user_inactive")
        return user


class CachedJWTScheme(SimpleJWTScheme):
    """Documents CachedJWTAuthentication in the OpenAPI schema as the Bearer JWT it is."""

    target_class = CachedJWTAuthentication

"""JWT authentication that does not read the user table on every request.

The few user fields a request needs are cached for AUTH_USER_CACHE_SECONDS (default 60). The
account services forget the entry whenever a user is changed, deactivated or given a new
password, so through the API and the admin site that takes effect at once; a change made
directly in the database reaches running workers within that bound.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.cache import cache
from drf_spectacular.contrib.rest_framework_simplejwt import SimpleJWTScheme
from rest_framework_simplejwt.authentication import JWTAuthentication
from rest_framework_simplejwt.exceptions import AuthenticationFailed, InvalidToken, TokenError
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.tokens import Token
from rest_framework_simplejwt.utils import aware_utcnow

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


# Tokens whose signature this process has already verified, so a repeated token costs a dict
# lookup and an expiry check instead of a signature check. Access tokens are never revoked one by
# one (their lifetime is the bound), so a verified token stays valid until it expires.
_VERIFIED: dict[bytes, Token] = {}
_VERIFIED_MAX = 10_000


class CachedJWTAuthentication(JWTAuthentication):
    def get_validated_token(self, raw_token: bytes) -> Token:
        token = _VERIFIED.get(raw_token)
        if token is not None:
            try:
                token.check_exp(current_time=aware_utcnow())
                return token
            except TokenError:
                _VERIFIED.pop(raw_token, None)  # expired: the full check below says so
        token = super().get_validated_token(raw_token)
        if len(_VERIFIED) >= _VERIFIED_MAX:
            _VERIFIED.clear()
        _VERIFIED[raw_token] = token
        return token

    def get_user(self, validated_token: Token) -> User:
        try:
            user_id = validated_token[api_settings.USER_ID_CLAIM]
        except KeyError as exc:
            raise InvalidToken("Token contained no recognizable user identification") from exc
        values = cache.get(_key(user_id))
        if values is None:
            row = User.objects.filter(pk=user_id).values_list(*CACHED_FIELDS).first()
            if row is None:
                raise AuthenticationFailed("User not found", code="user_not_found")
            values = list(row)
            cache.set(_key(user_id), values, settings.AUTH_USER_CACHE_SECONDS)
        # A model instance with only these fields loaded: anything else (the password hash, say)
        # is read on first access, and save() writes only the loaded fields.
        user = User.from_db("default", list(CACHED_FIELDS), values)
        if not user.is_active:
            raise AuthenticationFailed("User is inactive", code="user_inactive")
        return user


class CachedJWTScheme(SimpleJWTScheme):
    """Documents CachedJWTAuthentication in the OpenAPI schema as the Bearer JWT it is."""

    target_class = CachedJWTAuthentication

from __future__ import annotations

from typing import Any

from django.contrib.auth.validators import UnicodeUsernameValidator
from django.db import IntegrityError, transaction
from rest_framework import serializers
from rest_framework_simplejwt import serializers as jwt_serializers
from rest_framework_simplejwt.exceptions import AuthenticationFailed, TokenError
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken
from rest_framework_simplejwt.tokens import RefreshToken

from lms.core.serializers import InputSerializer
from lms.users.models import Role, User


class UserSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["id", "username", "email", "role"]
        read_only_fields = fields


class AdminUserSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["id", "username", "email", "role", "is_active", "date_joined"]
        read_only_fields = fields


def _username_field(required: bool = True) -> serializers.CharField:
    return serializers.CharField(max_length=150, validators=[UnicodeUsernameValidator()], required=required)


class RegisterSerializer(InputSerializer):
    username = _username_field()
    email = serializers.EmailField(max_length=254)
    password = serializers.CharField(write_only=True, max_length=128, style={"input_type": "password"})
    role = serializers.ChoiceField(choices=Role.choices, default=Role.STUDENT)


class LoginSerializer(InputSerializer):
    email = serializers.CharField(max_length=254)
    password = serializers.CharField(max_length=128, style={"input_type": "password"})

    unknown_field_hints = {"username": 'Log in with "email" (your email address), not "username".'}


class TokenPairSerializer(serializers.Serializer):
    refresh = serializers.CharField()
    access = serializers.CharField()


class AccessTokenSerializer(serializers.Serializer):
    """The cookie endpoints' answer: the refresh token travels in the cookie, never in the body."""

    access = serializers.CharField()


class MeUpdateSerializer(InputSerializer):
    username = _username_field(required=False)
    email = serializers.EmailField(max_length=254, required=False)


class PasswordChangeSerializer(InputSerializer):
    current_password = serializers.CharField(max_length=128, style={"input_type": "password"})
    new_password = serializers.CharField(max_length=128, style={"input_type": "password"})


class AdminUserUpdateSerializer(InputSerializer):
    username = _username_field()
    email = serializers.EmailField(max_length=254)
    role = serializers.ChoiceField(choices=Role.choices)
    is_active = serializers.BooleanField()


class ClaimedRefreshToken(RefreshToken):
    """A refresh token whose redemption is claimed with one insert that only one request can win.

    simplejwt checks the blacklist and then adds to it (get_or_create): concurrent redemptions of
    one token all pass the check, and each got a new token family.
    """

    def blacklist(self) -> BlacklistedToken:
        outstanding = OutstandingToken.objects.filter(jti=self.payload[api_settings.JTI_CLAIM]).first()
        if outstanding is None:  # not issued here (every token this API issues is outstanding)
            return super().blacklist()
        try:
            with transaction.atomic():
                return BlacklistedToken.objects.create(token=outstanding)
        except IntegrityError as exc:
            raise TokenError("Token is blacklisted") from exc


class TokenRefreshSerializer(jwt_serializers.TokenRefreshSerializer):
    """A refresh token to redeem: it is revoked, and a new access and refresh token are issued."""

    # (The docstring is the schema's description.) simplejwt's refresh, with an atomic rotation,
    # answering 401 (not 500) for a deleted user.

    token_class = ClaimedRefreshToken

    def validate(self, attrs: dict[str, Any]) -> dict[str, str]:
        try:
            return super().validate(attrs)
        except User.DoesNotExist as exc:
            raise AuthenticationFailed(self.error_messages["no_active_account"], "no_active_account") from exc

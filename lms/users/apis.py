from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.extensions import OpenApiViewExtension
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.serializers import TokenBlacklistSerializer, TokenRefreshSerializer
from rest_framework_simplejwt.views import TokenBlacklistView

from lms.core.exceptions import AuthenticationFailed
from lms.core.schema import errors
from lms.core.throttling import UserRateThrottle
from lms.users import cookies, selectors, services
from lms.users.filters import UserFilter
from lms.users.models import User
from lms.users.permissions import IsAdmin
from lms.users.serializers import (
    AccessTokenSerializer,
    AdminUserSerializer,
    AdminUserUpdateSerializer,
    LoginSerializer,
    MeUpdateSerializer,
    PasswordChangeSerializer,
    RegisterSerializer,
    TokenPairSerializer,
    UserSerializer,
)
from lms.users.serializers import TokenRefreshSerializer as RotatingRefreshSerializer
from lms.users.throttling import (
    LoginAccountThrottle,
    LoginAccountTotalThrottle,
    LoginIPThrottle,
    PasswordChangeThrottle,
    RegisterAccountThrottle,
    RegisterIPThrottle,
)


class RegisterApi(APIView):
    permission_classes = [AllowAny]
    throttle_classes = [RegisterIPThrottle, RegisterAccountThrottle]

    @extend_schema(request=RegisterSerializer, responses={201: UserSerializer}, tags=["users"])
    def post(self, request: Request) -> Response:
        serializer = RegisterSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        creator = request.user if request.user.is_authenticated else None
        user = services.user_create(**serializer.validated_data, created_by=creator)
        return Response(UserSerializer(user).data, status=status.HTTP_201_CREATED)


class LoginApi(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [LoginIPThrottle, LoginAccountThrottle, LoginAccountTotalThrottle]

    @extend_schema(
        request=LoginSerializer,
        responses={200: TokenPairSerializer, 401: errors("no_active_account")},
        tags=["users"],
    )
    def post(self, request: Request) -> Response:
        serializer = LoginSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return Response(services.user_login(**serializer.validated_data))


# --- The web app's cookie endpoints (lms/users/cookies.py) ------------------------------------------

ORIGIN_REFUSED = errors("origin_refused", description="No Origin header, or another site's.")
NO_REFRESH_COOKIE = errors(
    "no_refresh_cookie",
    "token_not_valid",
    "no_active_account",
    "user_inactive",
    "user_not_found",
    description="No refresh cookie, or its token is malformed, expired or revoked, or its account "
    "is gone or deactivated.",
)


class CookieLoginApi(APIView):
    """Log in as /login/ does; the refresh token is set as an httpOnly cookie, the access token answered."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [LoginIPThrottle, LoginAccountThrottle, LoginAccountTotalThrottle]

    @extend_schema(
        request=LoginSerializer,
        responses={200: AccessTokenSerializer, 401: errors("no_active_account"), 403: ORIGIN_REFUSED},
        tags=["users"],
    )
    def post(self, request: Request) -> Response:
        cookies.check_origin(request)
        serializer = LoginSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        tokens = services.user_login(**serializer.validated_data)
        response = Response({"access": tokens["access"]})
        cookies.set_refresh_cookie(response, tokens["refresh"])
        return response


class CookieRefreshApi(APIView):
    """A new access token for the refresh cookie, which rotates (the old token is revoked)."""

    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(
        request=None,
        responses={200: AccessTokenSerializer, 401: NO_REFRESH_COOKIE, 403: ORIGIN_REFUSED},
        tags=["users"],
    )
    def post(self, request: Request) -> Response:
        cookies.check_origin(request)
        refresh = cookies.read_refresh_cookie(request)
        if refresh is None:
            raise AuthenticationFailed("No refresh cookie: log in again.", code="no_refresh_cookie")
        # The same rotation, revocation and checks as the JSON refresh endpoint.
        serializer = RotatingRefreshSerializer(data={"refresh": refresh})
        try:
            serializer.is_valid(raise_exception=True)
        except TokenError as exc:
            raise AuthenticationFailed(
                "The refresh cookie is invalid or expired: log in again.", code="token_not_valid"
            ) from exc
        except exceptions.AuthenticationFailed as exc:  # e.g. the account was deactivated
            # DRF would answer it 403 here, a view without authentication classes; it is a 401.
            raise AuthenticationFailed(str(exc.detail), code=str(exc.get_codes())) from exc
        response = Response({"access": serializer.validated_data["access"]})
        cookies.set_refresh_cookie(response, serializer.validated_data["refresh"])
        return response

    def handle_exception(self, exc: Exception) -> Response:
        response = super().handle_exception(exc)
        if response.status_code == status.HTTP_401_UNAUTHORIZED:
            cookies.clear_refresh_cookie(response)  # a dead cookie, sent again on every page load
        return response


class CookieLogoutApi(APIView):
    """Revoke the refresh cookie's token and clear the cookie; logging out twice is no error."""

    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(request=None, responses={204: None, 403: ORIGIN_REFUSED}, tags=["users"])
    def post(self, request: Request) -> Response:
        cookies.check_origin(request)
        refresh = cookies.read_refresh_cookie(request)
        if refresh is not None:
            try:
                TokenBlacklistSerializer(data={"refresh": refresh}).is_valid(raise_exception=True)
            except TokenError:
                pass  # already expired or revoked: nothing left to revoke
        response = Response(status=status.HTTP_204_NO_CONTENT)
        cookies.clear_refresh_cookie(response)
        return response


class MeApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: UserSerializer}, tags=["users"])
    def get(self, request: Request) -> Response:
        return Response(UserSerializer(request.user).data)

    @extend_schema(request=MeUpdateSerializer, responses={200: UserSerializer}, tags=["users"])
    def patch(self, request: Request) -> Response:
        serializer = MeUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        user = services.user_update(user=request.user, **serializer.validated_data)
        return Response(UserSerializer(user).data)


class PasswordChangeApi(APIView):
    permission_classes = [IsAuthenticated]
    throttle_classes = [UserRateThrottle, LoginIPThrottle, PasswordChangeThrottle]

    @extend_schema(request=PasswordChangeSerializer, responses={204: None}, tags=["users"])
    def post(self, request: Request) -> Response:
        serializer = PasswordChangeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.user_change_password(user=request.user, **serializer.validated_data)
        return Response(status=status.HTTP_204_NO_CONTENT)


SELF_CHANGE = errors("self_change", description="An admin cannot demote or deactivate themselves.")


@extend_schema(tags=["users"])
class UserViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Admin user management. DELETE deactivates the account; history is never deleted."""

    permission_classes = [IsAdmin]
    serializer_class = AdminUserSerializer
    filterset_class = UserFilter
    search_fields = ["username", "email"]
    ordering_fields = ["id", "username", "date_joined"]

    def get_queryset(self) -> QuerySet[User]:
        return selectors.user_list()

    @extend_schema(request=RegisterSerializer, responses={201: AdminUserSerializer})
    def create(self, request: Request) -> Response:
        serializer = RegisterSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = services.user_create(**serializer.validated_data, created_by=request.user)
        return Response(AdminUserSerializer(user).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=AdminUserUpdateSerializer, responses={200: AdminUserSerializer, 409: SELF_CHANGE})
    def update(self, request: Request, pk: str | None = None) -> Response:
        return self._update(request, partial=False)

    @extend_schema(request=AdminUserUpdateSerializer, responses={200: AdminUserSerializer, 409: SELF_CHANGE})
    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        return self._update(request, partial=True)

    def _update(self, request: Request, *, partial: bool) -> Response:
        user = self.get_object()
        serializer = AdminUserUpdateSerializer(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        user = services.user_update(user=user, actor=request.user, **serializer.validated_data)
        return Response(AdminUserSerializer(user).data)

    @extend_schema(responses={204: None, 409: SELF_CHANGE})
    def destroy(self, request: Request, pk: str | None = None) -> Response:
        services.user_deactivate(user=self.get_object(), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


# simplejwt's refresh and logout views (wired in urls.py) answer 401 to a refresh token that is
# malformed, expired or revoked, which their generated schema does not say.
INVALID_REFRESH_TOKEN = errors(
    "token_not_valid", "no_active_account", description="The refresh token is malformed, expired or revoked."
)


class TokenRefreshSchema(OpenApiViewExtension):
    target_class = "rest_framework_simplejwt.views.TokenRefreshView"

    def view_replacement(self) -> type[APIView]:
        view = type("TokenRefreshView", (self.target,), {})
        return extend_schema(responses={200: TokenRefreshSerializer, 401: INVALID_REFRESH_TOKEN})(view)


class LogoutApi(TokenBlacklistView):
    """simplejwt's logout (it blacklists the refresh token), answering 204 rather than 200 `{}`."""

    @extend_schema(
        responses={
            204: OpenApiResponse(description="The refresh token is revoked."),
            401: INVALID_REFRESH_TOKEN,
        },
        description="Log out: the refresh token is revoked (its access tokens expire on their own).",
        tags=["users"],
    )
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        super().post(request, *args, **kwargs)
        return Response(status=status.HTTP_204_NO_CONTENT)

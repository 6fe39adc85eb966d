"""The browser app's refresh token: an httpOnly cookie, and the Origin check that guards it.

The web app keeps its access token in memory only; the refresh token lives in a cookie that
script cannot read (httpOnly), that the browser sends only to the cookie endpoints (its path)
and only from this site (SameSite=Strict). A cookie is sent whoever makes the request, so each
cookie endpoint also refuses a request whose Origin is not this site: that is its CSRF check.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse
from rest_framework.request import Request

from lms.core.exceptions import Forbidden

REFRESH_COOKIE = "lms_refresh"
# Sent only to the cookie endpoints, never with an ordinary API request.
REFRESH_COOKIE_PATH = "/api/users/cookie/"


def check_origin(request: Request) -> None:
    """Refuse (403) a request without an Origin header or from another site than this one."""
    origin = request.headers.get("Origin")
    allowed = {f"{request.scheme}://{request.get_host()}", *settings.CSRF_TRUSTED_ORIGINS}
    if not origin or origin not in allowed:
        raise Forbidden("This endpoint answers only the web app's own origin.", code="origin_refused")


def read_refresh_cookie(request: Request) -> str | None:
    return request.COOKIES.get(REFRESH_COOKIE) or None


def set_refresh_cookie(response: HttpResponse, refresh: str) -> None:
    response.set_cookie(
        REFRESH_COOKIE,
        refresh,
        max_age=int(settings.SIMPLE_JWT["REFRESH_TOKEN_LIFETIME"].total_seconds()),
        path=REFRESH_COOKIE_PATH,
        secure=settings.LMS_REFRESH_COOKIE_SECURE,
        httponly=True,
        samesite="Strict",
    )


def clear_refresh_cookie(response: HttpResponse) -> None:
    response.delete_cookie(REFRESH_COOKIE, path=REFRESH_COOKIE_PATH, samesite="Strict")

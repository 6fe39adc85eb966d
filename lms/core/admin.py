from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django_ratelimit.core import is_ratelimited
from rest_framework.settings import api_settings
from rest_framework.throttling import BaseThrottle


class ReadOnlyModelAdmin(admin.ModelAdmin):
    """Shown in the admin site, never written there.

    Payments, enrollments, Stripe events and the audit trail change only through their services,
    which keep the rules (Stripe first, row locks) and write the audit trail; the admin site would
    bypass both.
    """

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyTabularInline(admin.TabularInline):
    """Related rows shown on a read-only page, for the same reason."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


def _admin_login_limited(request: HttpRequest) -> bool:
    """The API login's limits (per IP, per account and IP, per account) on the admin login form.

    django-ratelimit counts in the default cache, as the API's throttles do.
    """
    ip = BaseThrottle().get_ident(request)
    account = (request.POST.get("username") or "").strip().lower()
    limited = False
    for scope, ident in (
        ("login_ip", ip),
        ("login_account", f"{account}:{ip}"),
        ("login_account_total", account),
    ):
        rate = api_settings.DEFAULT_THROTTLE_RATES.get(scope)
        limited |= bool(rate) and is_ratelimited(
            request,
            group=f"admin-login:{scope}",
            key=lambda _group, _request, i=ident: i,
            rate=rate,
            increment=True,
        )
    return limited


class AdminSite(admin.AdminSite):
    """Django's admin site, with the API login's rate limits on its login form."""

    def login(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        if request.method == "POST" and _admin_login_limited(request):
            return HttpResponse(
                "Too many login attempts; try again later.", status=429, content_type="text/plain"
            )
        return super().login(request, extra_context)

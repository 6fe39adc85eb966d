from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import authenticate, get_user_model
from django.http import HttpRequest, HttpResponse
from django.views.decorators.debug import sensitive_variables
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


class AdminLoginForm(AdminAuthenticationForm):
    """The admin login takes the email address and password, as the API's login does.

    The field keeps its name, `username`, which Django's login page and the rate limits read.
    """

    def __init__(self, request: HttpRequest | None = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(request, *args, **kwargs)
        self.username_field = get_user_model()._meta.get_field("email")  # named in the error message
        field = self.fields["username"]
        field.label = "Email"
        field.max_length = self.username_field.max_length
        field.widget = forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"})
        field.widget.attrs["maxlength"] = field.max_length

    @sensitive_variables()
    def clean(self) -> dict[str, Any]:
        email = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if email is not None and password:
            self.user_cache = authenticate(self.request, email=email, password=password)
            if self.user_cache is None:
                raise self.get_invalid_login_error()
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data


class AdminSite(admin.AdminSite):
    """Django's admin site: the login takes the email, under the API login's rate limits."""

    login_form = AdminLoginForm

    def login(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        if request.method == "POST" and _admin_login_limited(request):
            return HttpResponse(
                "Too many login attempts; try again later.", status=429, content_type="text/plain"
            )
        return super().login(request, extra_context)

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest


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

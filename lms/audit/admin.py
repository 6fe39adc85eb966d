from django.contrib import admin
from django.http import HttpRequest

from lms.audit.models import AuditRecord


@admin.register(AuditRecord)
class AuditRecordAdmin(admin.ModelAdmin):
    list_display = (
        "id",
        "entity",
        "entity_id",
        "from_status",
        "to_status",
        "actor",
        "stripe_event_id",
        "via",
        "created_at",
    )
    list_filter = ("entity", "via", "to_status")
    search_fields = ("stripe_event_id",)
    raw_id_fields = ("actor",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: AuditRecord | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: AuditRecord | None = None) -> bool:
        return False

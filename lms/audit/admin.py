from django.contrib import admin

from lms.audit.models import AuditRecord
from lms.core.admin import ReadOnlyModelAdmin


@admin.register(AuditRecord)
class AuditRecordAdmin(ReadOnlyModelAdmin):
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

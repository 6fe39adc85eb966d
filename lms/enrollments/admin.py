from django.contrib import admin

from lms.core.admin import ReadOnlyModelAdmin
from lms.enrollments.models import Enrollment


@admin.register(Enrollment)
class EnrollmentAdmin(ReadOnlyModelAdmin):
    """Enroll and end through the API (or the services), so the audit trail records it."""

    list_display = ("id", "student", "course", "source", "enrolled_at", "ended_at")
    list_filter = ("source", "enrolled_at", "ended_at")
    search_fields = ("student__username", "course__title")
    raw_id_fields = ("student", "course")
    list_select_related = ("student", "course")

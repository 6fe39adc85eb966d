from django.contrib import admin

from lms.certificates.models import Certificate
from lms.core.admin import ReadOnlyModelAdmin


@admin.register(Certificate)
class CertificateAdmin(ReadOnlyModelAdmin):
    """Read-only: certificates are issued on completion and revoked with the enrollment."""

    list_display = ("id", "student_name", "course_title", "completed_at", "issued_at", "revoked_at")
    list_filter = ("issued_at", "revoked_at")
    search_fields = ("student_name", "course_title", "code")
    exclude = ("file",)

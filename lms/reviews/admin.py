from django.contrib import admin

from lms.core.admin import ReadOnlyModelAdmin
from lms.reviews.models import Review


@admin.register(Review)
class ReviewAdmin(ReadOnlyModelAdmin):
    """Read-only: a review changes through the API, whose services keep the course's rating
    aggregate and the audit trail (an admin hides one with PATCH /api/reviews/{id}/)."""

    list_display = ("id", "course", "student", "rating", "is_hidden", "created_at")
    list_filter = ("rating", "is_hidden", "created_at")
    search_fields = ("text", "course__title", "student__username")
    list_select_related = ("course", "student")

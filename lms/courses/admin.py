from django.contrib import admin

from lms.core.admin import ReadOnlyModelAdmin
from lms.courses.models import Course


@admin.register(Course)
class CourseAdmin(ReadOnlyModelAdmin):
    """Read-only: courses change through the API, whose service keeps the price and owner rules."""

    list_display = ("id", "title", "price", "instructor", "created_at")
    list_filter = ("created_at",)
    search_fields = ("title", "description")
    list_select_related = ("instructor",)

from django.contrib import admin

from lms.courses.models import Course


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = ("id", "title", "price", "instructor", "created_at")
    list_filter = ("created_at",)
    search_fields = ("title", "description")
    raw_id_fields = ("instructor",)
    list_select_related = ("instructor",)

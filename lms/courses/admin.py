from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from lms.courses.catalog_cache import catalog_changed
from lms.courses.models import Course


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = ("id", "title", "price", "instructor", "created_at")
    list_filter = ("created_at",)
    search_fields = ("title", "description")
    raw_id_fields = ("instructor",)
    list_select_related = ("instructor",)

    def save_model(self, request: HttpRequest, obj: Course, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        catalog_changed()

    def delete_model(self, request: HttpRequest, obj: Course) -> None:
        super().delete_model(request, obj)
        catalog_changed()

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Course]) -> None:
        super().delete_queryset(request, queryset)
        catalog_changed()

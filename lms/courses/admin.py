from django.contrib import admin
from django.db import models

from lms.core.admin import ReadOnlyModelAdmin, ReadOnlyTabularInline
from lms.courses.models import Course, Lesson, Section


class SectionInline(ReadOnlyTabularInline):
    """The course's outline, in order; edited through the API (lms.learning.services)."""

    model = Section
    fields = ("position", "title")
    readonly_fields = fields
    ordering = ("position",)
    show_change_link = True


@admin.register(Course)
class CourseAdmin(ReadOnlyModelAdmin):
    """Read-only: courses change through the API, whose service keeps the price and owner rules."""

    list_display = ("id", "title", "status", "price", "instructor", "created_at")
    list_filter = ("status", "created_at")
    search_fields = ("title", "description")
    list_select_related = ("instructor",)
    inlines = [SectionInline]


@admin.register(Section)
class SectionAdmin(ReadOnlyModelAdmin):
    """Read-only, like courses: the curriculum services keep positions and publishing rules."""

    list_display = ("id", "title", "course", "position")
    search_fields = ("title", "course__title")
    list_select_related = ("course",)
    ordering = ("course", "position")


@admin.register(Lesson)
class LessonAdmin(ReadOnlyModelAdmin):
    """Read-only: lesson bodies are rendered and sanitized by lms.learning.services on write."""

    list_display = ("id", "title", "kind", "section", "position", "is_preview")
    list_filter = ("kind", "is_preview")
    search_fields = ("title", "section__course__title")
    list_select_related = ("section", "section__course")
    ordering = ("section__course", "section__position", "position")
    exclude = ("body_html",)
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}  # Django 6's default

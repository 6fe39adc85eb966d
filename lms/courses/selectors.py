from __future__ import annotations

from django.db.models import QuerySet

from lms.courses.models import Course


def course_list() -> QuerySet[Course]:
    return Course.objects.select_related("instructor").order_by("-created_at", "-id")

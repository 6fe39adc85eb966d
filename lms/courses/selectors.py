from __future__ import annotations

from django.db.models import QuerySet

from lms.courses.models import Course


def course_list() -> QuerySet[Course]:
    # Only the instructor's username is shown: never read the rest of the user row (its password hash).
    return (
        Course.objects.select_related("instructor")
        .only(*COURSE_FIELDS, "instructor__username")
        .order_by("-created_at", "-id")
    )


COURSE_FIELDS = ("id", "title", "description", "price", "instructor_id", "status", "created_at", "updated_at")

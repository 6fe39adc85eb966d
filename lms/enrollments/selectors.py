from __future__ import annotations

from django.db.models import QuerySet

from lms.enrollments.models import Enrollment
from lms.users.models import User


def enrollment_list_for(*, user: User) -> QuerySet[Enrollment]:
    """The enrollments a user may see: their own, those in courses they teach, or all for admins."""
    qs = Enrollment.objects.select_related("course").order_by("-enrolled_at", "-id")
    if user.is_admin:
        return qs
    if user.is_instructor:
        return qs.filter(course__instructor=user)
    return qs.filter(student=user)

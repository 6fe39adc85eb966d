from __future__ import annotations

from django.db.models import Q, QuerySet

from lms.courses.models import Course
from lms.users.models import User

# In the catalog: published, by an instructor whose account is active.
ON_SALE = Q(status=Course.Status.PUBLISHED, instructor__is_active=True)


def course_list(*, user: User) -> QuerySet[Course]:
    """The catalog as `user` sees it: courses on sale; an instructor also sees their own (drafts
    included), an admin everything."""
    # Only the instructor's username is shown: never read the rest of the user row (its password hash).
    courses = (
        Course.objects.select_related("instructor")
        .only(*COURSE_FIELDS, "instructor__username", "instructor__is_active")
        .order_by("-created_at", "-id")
    )
    if user.is_authenticated and user.is_admin:
        return courses
    if user.is_authenticated and user.is_instructor:
        return courses.filter(ON_SALE | Q(instructor=user))
    return courses.filter(ON_SALE)


COURSE_FIELDS = ("id", "title", "description", "price", "instructor_id", "status", "created_at", "updated_at")

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet

from lms.courses.models import Course
from lms.users.models import Role, User

# In the catalog: published, by an instructor whose account is active.
ON_SALE = Q(status=Course.Status.PUBLISHED, instructor__is_active=True)


def course_list(*, user: User) -> QuerySet[Course]:
    """The catalog as `user` sees it: courses on sale; an instructor also sees their own (drafts
    included), an admin everything."""
    courses = _courses()
    if user.is_authenticated and user.is_admin:
        return courses
    if user.is_authenticated and user.is_instructor:
        return courses.filter(ON_SALE | Q(instructor=user))
    return courses.filter(ON_SALE)


def course_get(*, course_id: int) -> Course | None:
    """Any course, on sale or not: for those the catalog's rules do not cover (an enrolled student)."""
    return _courses().filter(pk=course_id).first()


def _courses() -> QuerySet[Course]:
    # Only the instructor's username is shown: never read the rest of the user row (its password hash).
    return (
        Course.objects.select_related("instructor")
        .only(*COURSE_FIELDS, "instructor__username", "instructor__is_active")
        .order_by("-created_at", "-id")
    )


# The courses an instructor's profile shows; the catalog's `?instructor=` pages through all of them.
PROFILE_COURSES = 20


@dataclass(frozen=True)
class InstructorProfile:
    instructor: User
    course_count: int
    courses: list[Course]  # the newest PROFILE_COURSES of them


def instructor_profile(*, instructor_id: int) -> InstructorProfile | None:
    """An instructor as the public sees them: their name and their courses on sale, or None when
    they are not an active instructor with a course on sale (their account is no one's business
    until they are in the catalog). Two queries, three with more than PROFILE_COURSES courses."""
    instructor = (
        User.objects.filter(pk=instructor_id, role=Role.INSTRUCTOR, is_active=True)
        .only("id", "username", "role", "is_active")
        .first()
    )
    if instructor is None:
        return None
    on_sale = course_list(user=AnonymousUser()).filter(instructor=instructor)
    courses = list(on_sale[:PROFILE_COURSES])
    if not courses:
        return None
    count = len(courses) if len(courses) < PROFILE_COURSES else on_sale.count()
    return InstructorProfile(instructor=instructor, course_count=count, courses=courses)


COURSE_FIELDS = (
    "id",
    "title",
    "description",
    "price",
    "instructor_id",
    "status",
    "created_at",
    "updated_at",
    "rating_avg",
    "rating_count",
)

"""Reading reviews, and who may see one."""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, QuerySet

from lms.courses.models import Course
from lms.enrollments.models import Enrollment
from lms.learning.selectors import course_visible_to
from lms.reviews.models import Review
from lms.users.models import User

REVIEW_FIELDS = (
    "id",
    "course_id",
    "student_id",
    "rating",
    "text",
    "reply",
    "replied_at",
    "is_hidden",
    "created_at",
    "updated_at",
    "student__username",  # the reviewer's display name: never read their email or password hash
)


def _reviews() -> QuerySet[Review]:
    """Reviews with `is_current_student`: whether the author still has an active enrollment in
    the course, in the same query (a refund or an ended enrollment keeps the review)."""
    current = Enrollment.objects.filter(
        student=OuterRef("student_id"), course=OuterRef("course_id"), ended_at__isnull=True
    )
    return (
        Review.objects.select_related("student")
        .only(*REVIEW_FIELDS)
        .annotate(is_current_student=Exists(current))
    )


def course_for_reviews(*, course_id: int, user: User) -> Course | None:
    """The course whose reviews `user` may read: one they may see (course_visible_to), else None."""
    course = Course.objects.select_related("instructor").filter(pk=course_id).first()
    if course is None or not course_visible_to(user=user, course=course):
        return None
    return course


def review_list(*, course: Course) -> QuerySet[Review]:
    """The course's visible reviews, newest first (hidden ones are left out for everyone)."""
    return _reviews().filter(course=course, is_hidden=False).order_by("-created_at", "-id")


def review_of(*, student: User, course: Course) -> Review | None:
    """The student's own review of the course, hidden or not (its author always sees it)."""
    return _reviews().filter(course=course, student=student).first()


def review_distribution(*, course: Course) -> dict[int, int]:
    """How many visible reviews give each rating, 1 to 5 (zeros included): one grouped query."""
    counts = dict(
        Review.objects.filter(course=course, is_hidden=False)
        .values_list("rating")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {rating: counts.get(rating, 0) for rating in range(1, 6)}


def review_get(*, review_id: int) -> Review | None:
    review = _reviews().filter(pk=review_id).first()
    if review is not None:
        review.course = Course.objects.select_related("instructor").get(pk=review.course_id)
    return review


def review_visible_to(*, user: User, review: Review) -> bool:
    """A review is seen by whoever sees its course; a hidden one only by admins and its author."""
    if not course_visible_to(user=user, course=review.course):
        return False
    if review.is_hidden:
        return user.is_authenticated and (user.is_admin or user.pk == review.student_id)
    return True

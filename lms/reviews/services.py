"""Writing reviews. Each change runs in one transaction that first locks the course row, then
keeps the course's rating aggregate (visible reviews only) and writes the audit trail."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from lms.audit.services import audit_record
from lms.core.exceptions import Conflict, Forbidden, NotFound
from lms.courses.models import Course
from lms.courses.services import course_rating_change
from lms.enrollments.models import Enrollment
from lms.reviews.models import Review
from lms.users.models import User

VISIBLE, HIDDEN, EDITED, REPLIED, DELETED = "visible", "hidden", "edited", "replied", "deleted"

# What each role may change with PATCH; a field outside its set is refused, never ignored.
AUTHOR_FIELDS = frozenset({"rating", "text"})
INSTRUCTOR_FIELDS = frozenset({"reply"})
ADMIN_FIELDS = frozenset({"is_hidden"})


class ReviewExists(Conflict):
    default_detail = "You have already reviewed this course: edit your review instead."
    default_code = "review_exists"


class StudentsOnly(Forbidden):
    default_detail = "Only students review courses."
    default_code = "students_only"


class ReviewEnrollmentRequired(Forbidden):
    default_detail = "Only students enrolled in this course can review it."
    default_code = "enrollment_required"


class ReviewFieldForbidden(Forbidden):
    default_code = "review_field_forbidden"


class ReviewDeleteForbidden(Forbidden):
    default_detail = "Only the review's author can delete it; an admin hides it instead."
    default_code = "review_delete_forbidden"


class ReviewHidden(Forbidden):
    default_detail = "An admin hid this review: it can no longer be deleted, so a new one cannot replace it."
    default_code = "review_hidden"


def _lock_course(course_id: int) -> Course:
    course = Course.objects.select_for_update().filter(pk=course_id).first()
    if course is None:
        raise NotFound("No such course.")
    return course


def _lock_review(review_id: int) -> Review:
    """The review, locked after its course; 404 when it went since the view read it."""
    review = Review.objects.select_for_update().filter(pk=review_id).first()
    if review is None:
        raise NotFound("No such review.")
    return review


def _state(review: Review) -> str:
    return HIDDEN if review.is_hidden else VISIBLE


def review_editable_fields(*, review: Review, actor: User) -> frozenset[str]:
    """The fields `actor` may change: the author their rating and text, the course's instructor
    the reply, an admin whether it is hidden; nothing for anyone else."""
    if actor.pk == review.student_id:
        return AUTHOR_FIELDS
    if actor.is_admin:
        return ADMIN_FIELDS
    if actor.is_instructor and review.course.instructor_id == actor.pk:
        return INSTRUCTOR_FIELDS
    return frozenset()


@transaction.atomic
def review_create(*, student: User, course: Course, rating: int, text: str = "") -> Review:
    """A student's one review of a course they are enrolled in (an active enrollment)."""
    if not student.is_student:
        raise StudentsOnly()
    course = _lock_course(course.pk)
    active = Enrollment.objects.filter(student=student, course=course, ended_at__isnull=True)
    if not active.exists():
        raise ReviewEnrollmentRequired()
    if Review.objects.filter(course=course, student=student).exists():
        raise ReviewExists()
    try:
        with transaction.atomic():
            review = Review.objects.create(course=course, student=student, rating=rating, text=text)
    except IntegrityError:  # the unique constraint: a concurrent create got there first
        if Review.objects.filter(course=course, student=student).exists():
            raise ReviewExists() from None
        raise
    course_rating_change(course=course, count=1, total=rating)
    audit_record(entity="review", entity_id=review.pk, from_status="", to_status=VISIBLE)
    return review


@transaction.atomic
def review_update(
    *,
    review: Review,
    actor: User,
    rating: int | None = None,
    text: str | None = None,
    reply: str | None = None,
    is_hidden: bool | None = None,
) -> Review:
    """Change a review as `actor`'s role allows (review_editable_fields); 403 for anything else."""
    given = {
        name
        for name, value in (("rating", rating), ("text", text), ("reply", reply), ("is_hidden", is_hidden))
        if value is not None
    }
    allowed = review_editable_fields(review=review, actor=actor)
    if not allowed:
        raise Forbidden("Only the author, the course's instructor or an admin can change a review.")
    refused = sorted(given - allowed)
    if refused:
        raise ReviewFieldForbidden(
            f"You cannot change: {', '.join(refused)}. You may change: {', '.join(sorted(allowed))}."
        )
    course = _lock_course(review.course_id)
    review = _lock_review(review.pk)
    before = _state(review)
    counted = not review.is_hidden
    if rating is not None and rating != review.rating:
        if counted:
            course_rating_change(course=course, count=0, total=rating - review.rating)
        review.rating = rating
    if text is not None:
        review.text = text
    if rating is not None or text is not None:
        audit_record(entity="review", entity_id=review.pk, from_status=before, to_status=EDITED)
    if reply is not None:
        review.reply = reply
        review.replied_at = timezone.now() if reply else None
        audit_record(entity="review", entity_id=review.pk, from_status=before, to_status=REPLIED)
    if is_hidden is not None and is_hidden != review.is_hidden:
        sign = -1 if is_hidden else 1
        course_rating_change(course=course, count=sign, total=sign * review.rating)
        review.is_hidden = is_hidden
        review.hidden_by = actor if is_hidden else None
        review.hidden_at = timezone.now() if is_hidden else None
        audit_record(entity="review", entity_id=review.pk, from_status=before, to_status=_state(review))
    review.course = course
    review.save()
    return review


@transaction.atomic
def review_delete(*, review: Review, actor: User) -> None:
    """Delete a review: its author only (an admin hides it instead, keeping the row)."""
    if actor.pk != review.student_id:
        raise ReviewDeleteForbidden()
    course = _lock_course(review.course_id)
    review = _lock_review(review.pk)
    if review.is_hidden:
        # Deleting it would let its author post it again, visible: the moderation would not hold.
        raise ReviewHidden()
    course_rating_change(course=course, count=-1, total=-review.rating)
    audit_record(entity="review", entity_id=review.pk, from_status=_state(review), to_status=DELETED)
    review.delete()

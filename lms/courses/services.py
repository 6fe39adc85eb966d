"""Writes to the catalog. The catalog knows nothing of money paid or of who enrolled."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, ProtectedError

from lms.core.exceptions import Conflict, Forbidden
from lms.courses.catalog_cache import catalog_changed
from lms.courses.models import Course, Lesson
from lms.users.models import User


def _clean_price(price: Decimal) -> Decimal:
    """The price to store: at least the processor's minimum, or 0 (never "-0", which Decimal keeps)."""
    if price == 0:
        return Decimal("0.00")
    minimum = Decimal(settings.LMS_MIN_CHARGE)
    if price < minimum:
        message = f"A paid course costs at least {minimum} (the processor's minimum); use 0 for free."
        raise ValidationError({"price": [message]})
    return price


def _resolve_instructor(*, actor: User, instructor: User | None) -> User:
    if actor.is_admin:
        if instructor is None:
            raise ValidationError({"instructor": ["An admin must name the course's instructor."]})
        if not instructor.is_instructor or not instructor.is_active:
            raise ValidationError({"instructor": ["The instructor must be an active instructor account."]})
        return instructor
    if not actor.is_instructor:
        raise Forbidden("Only instructors and admins can manage courses.")
    if instructor is not None and instructor.pk != actor.pk:
        raise ValidationError({"instructor": ["Instructors can only create and own their own courses."]})
    return actor


@transaction.atomic
def course_create(
    *, actor: User, title: str, price: Decimal, description: str = "", instructor: User | None = None
) -> Course:
    """Create a course; an instructor always owns what they create, an admin names the owner."""
    owner = _resolve_instructor(actor=actor, instructor=instructor)
    course = Course.objects.create(
        title=title, description=description, price=_clean_price(price), instructor=owner
    )
    transaction.on_commit(catalog_changed)
    return course


@transaction.atomic
def course_update(
    *,
    course: Course,
    actor: User,
    title: str | None = None,
    description: str | None = None,
    price: Decimal | None = None,
    instructor: User | None = None,
) -> Course:
    """Change a course; only its instructor or an admin may, and only an admin may move it."""
    course_check_can_manage(course=course, actor=actor)
    changed = ["updated_at"]
    if instructor is not None and instructor.pk != course.instructor_id:
        course.instructor = _resolve_instructor(actor=actor, instructor=instructor)
        changed.append("instructor")
    if title is not None:
        course.title = title
        changed.append("title")
    if description is not None:
        course.description = description
        changed.append("description")
    if price is not None:
        course.price = _clean_price(price)
        changed.append("price")
    # Only these columns: the row read before may hold a rating aggregate that a review has changed since.
    course.save(update_fields=changed)
    transaction.on_commit(catalog_changed)
    return course


@transaction.atomic
def course_delete(*, course: Course, actor: User) -> None:
    """Delete a course that has no history; one with enrollments or payments is refused (409)."""
    course_check_can_manage(course=course, actor=actor)
    try:
        with transaction.atomic():
            course.delete()
        transaction.on_commit(catalog_changed)
    except ProtectedError as exc:
        raise Conflict(
            "This course has enrollments or payments and cannot be deleted.", code="course_has_history"
        ) from exc


@transaction.atomic
def course_publish(*, course: Course, actor: User) -> Course:
    """Put a course on sale. It needs at least one lesson: students buy a curriculum."""
    course_check_can_manage(course=course, actor=actor)
    course = Course.objects.select_for_update().get(pk=course.pk)
    if not Lesson.objects.filter(section__course=course).exists():
        message = "A course needs at least one lesson before it can be published: add a section and a lesson."
        raise ValidationError({"status": [message]})
    return _set_status(course, Course.Status.PUBLISHED)


@transaction.atomic
def course_unpublish(*, course: Course, actor: User) -> Course:
    """Take a course off sale. Students already enrolled keep their access."""
    course_check_can_manage(course=course, actor=actor)
    course = Course.objects.select_for_update().get(pk=course.pk)
    return _set_status(course, Course.Status.DRAFT)


def _set_status(course: Course, status: str) -> Course:
    if course.status != status:
        course.status = status
        course.save(update_fields=["status", "updated_at"])
        transaction.on_commit(catalog_changed)
    return course


def course_check_open(*, course: Course) -> None:
    """Only a published course whose instructor is active can be paid for or enrolled in."""
    if not (course.is_published and course.instructor.is_active):
        raise ValidationError({"course": ["This course is not open for enrollment."]})


def course_check_can_manage(*, course: Course, actor: User) -> None:
    if not (actor.is_admin or (actor.is_instructor and course.instructor_id == actor.pk)):
        raise Forbidden("Only the course's instructor or an admin can change it.")


def course_rating_change(*, course: Course, count: int, total: int) -> None:
    """Add `count` reviews worth `total` stars to the course's aggregate (negative to take them
    away) and store the new average, in one UPDATE.

    Call inside the review change's transaction, with `course` read under `select_for_update`:
    the lock makes the read counts current, so the average computed from them is exact.
    """
    new_count, new_sum = course.rating_count + count, course.rating_sum + total
    average = None
    if new_count:
        average = (Decimal(new_sum) / new_count).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    Course.objects.filter(pk=course.pk).update(
        rating_count=F("rating_count") + count, rating_sum=F("rating_sum") + total, rating_avg=average
    )
    course.rating_count, course.rating_sum, course.rating_avg = new_count, new_sum, average
    transaction.on_commit(catalog_changed)

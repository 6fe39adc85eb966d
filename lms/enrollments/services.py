"""The rules of who may be enrolled where.

Paid enrollments arrive only through the payment flow: `lms.payments` calls `enrollment_ensure`
with source=PAYMENT after a verified webhook. This module never imports payments, so a
student enrolling themselves can only ever get into a free course.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from lms.audit.services import audit_record
from lms.certificates.services import certificate_issue, certificate_revoke
from lms.core.exceptions import Conflict, PaymentRequired
from lms.courses.models import Course, Lesson
from lms.courses.services import course_check_open
from lms.enrollments.models import Enrollment, LessonCompletion
from lms.users.models import User

ACTIVE, ENDED, COMPLETED = "active", "ended", "completed"  # an enrollment's status in the audit trail


class AlreadyEnrolled(Conflict):
    default_detail = "The student is already enrolled in this course."
    default_code = "already_enrolled"


@transaction.atomic
def enrollment_create(*, student: User, course: Course, source: str) -> Enrollment:
    """Enroll a student, reactivating an ended enrollment; raises AlreadyEnrolled when active.

    The caller has established the right to enroll (a free course, a verified payment, an admin).
    """
    enrollment, enrolled = enrollment_ensure(student=student, course=course, source=source)
    if not enrolled:
        raise AlreadyEnrolled()
    return enrollment


@transaction.atomic
def enrollment_ensure(*, student: User, course: Course, source: str) -> tuple[Enrollment, bool]:
    """Make sure a student is enrolled: (the enrollment, whether this call enrolled them).

    Idempotent, for callers to whom "already enrolled" is no error (a payment confirmed twice).
    The unique (student, course) constraint decides races: the insert comes first, in a
    savepoint, so a duplicate does not abort the caller's transaction.
    """
    if not student.is_student:
        raise ValidationError({"student": ["Only student accounts can be enrolled."]})
    try:
        with transaction.atomic():
            enrollment = Enrollment.objects.create(student=student, course=course, source=source)
    except IntegrityError:
        existing = Enrollment.objects.select_for_update().get(student=student, course=course)
        if existing.is_active:
            return existing, False
        # A new start: its completion (if any) is decided again below, from the kept progress.
        existing.ended_at = None
        existing.enrolled_at = timezone.now()
        existing.completed_at = None
        existing.source = source
        existing.save(update_fields=["ended_at", "enrolled_at", "completed_at", "source"])
        audit_record(entity="enrollment", entity_id=existing.pk, from_status=ENDED, to_status=ACTIVE)
        enrollment_complete_if_done(enrollment=existing)
        return existing, True
    audit_record(entity="enrollment", entity_id=enrollment.pk, from_status="", to_status=ACTIVE)
    return enrollment, True


def enrollment_enroll_self(*, student: User, course: Course) -> Enrollment:
    """A student enrolls themselves: free courses only; a paid course needs a payment (402)."""
    course_check_open(course=course)
    if not course.is_free:
        raise PaymentRequired(
            "This course is paid: create a payment with POST /api/payments/; "
            "you are enrolled automatically once it succeeds.",
        )
    return enrollment_create(student=student, course=course, source=Enrollment.Source.FREE)


def enrollment_grant(*, student: User, course: Course) -> Enrollment:
    """An admin enrolls any student without payment (a complimentary enrollment)."""
    course_check_open(course=course)
    return enrollment_create(student=student, course=course, source=Enrollment.Source.ADMIN)


@transaction.atomic
def enrollment_end(*, enrollment: Enrollment) -> Enrollment:
    """End access to the course. The row stays, so history is never lost; ending twice is a no-op."""
    locked = Enrollment.objects.select_for_update().get(pk=enrollment.pk)
    if locked.ended_at is None:
        locked.ended_at = timezone.now()
        locked.save(update_fields=["ended_at"])
        audit_record(entity="enrollment", entity_id=locked.pk, from_status=ACTIVE, to_status=ENDED)
        certificate_revoke(enrollment=locked)
    return locked


def enrollment_complete_if_done(*, enrollment: Enrollment) -> None:
    """Complete the enrollment once its student has completed every current lesson of the course.
    Call with the enrollment row locked."""
    if enrollment.completed_at is not None:
        return
    course_id = enrollment.course_id
    total = Lesson.objects.filter(section__course_id=course_id).count()
    done = LessonCompletion.objects.filter(
        enrollment=enrollment, lesson__section__course_id=course_id
    ).count()
    if total and done >= total:
        enrollment_complete(enrollment=enrollment)


@transaction.atomic
def enrollment_complete(*, enrollment: Enrollment) -> Enrollment:
    """The student has completed every lesson: record when, once, and issue the certificate."""
    locked = Enrollment.objects.select_for_update().get(pk=enrollment.pk)
    if locked.completed_at is None:
        locked.completed_at = timezone.now()
        locked.save(update_fields=["completed_at"])
        audit_record(entity="enrollment", entity_id=locked.pk, from_status=ACTIVE, to_status=COMPLETED)
        certificate_issue(enrollment=locked)
    enrollment.completed_at = locked.completed_at
    return locked

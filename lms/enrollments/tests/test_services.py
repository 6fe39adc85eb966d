from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from lms.audit.models import AuditRecord
from lms.core.exceptions import PaymentRequired
from lms.courses.tests.factories import CourseFactory, FreeCourseFactory
from lms.enrollments.models import Enrollment
from lms.enrollments.services import (
    AlreadyEnrolled,
    enrollment_create,
    enrollment_end,
    enrollment_enroll_self,
    enrollment_ensure,
    enrollment_grant,
)
from lms.enrollments.tests.factories import EnrollmentFactory

pytestmark = pytest.mark.django_db


def test_create_enrolls_with_the_given_source(student):
    course = CourseFactory(price=Decimal("120.00"))

    enrollment = enrollment_create(student=student, course=course, source=Enrollment.Source.PAYMENT)

    enrollment.refresh_from_db()
    assert (enrollment.student, enrollment.course) == (student, course)
    assert enrollment.source == Enrollment.Source.PAYMENT
    assert enrollment.ended_at is None
    assert enrollment.is_active


def test_create_twice_is_already_enrolled(student):
    course = CourseFactory()
    first = enrollment_create(student=student, course=course, source=Enrollment.Source.PAYMENT)

    with pytest.raises(AlreadyEnrolled) as exc:
        enrollment_create(student=student, course=course, source=Enrollment.Source.ADMIN)

    assert exc.value.status_code == 409
    assert list(Enrollment.objects.values_list("pk", "source")) == [(first.pk, Enrollment.Source.PAYMENT)]


def test_ended_enrollment_is_reactivated_in_place(student):
    long_ago = timezone.now() - timedelta(days=30)
    ended = EnrollmentFactory(
        student=student, source=Enrollment.Source.FREE, enrolled_at=long_ago, ended_at=long_ago
    )

    enrollment = enrollment_create(student=student, course=ended.course, source=Enrollment.Source.PAYMENT)

    assert enrollment.pk == ended.pk
    enrollment.refresh_from_db()
    assert enrollment.ended_at is None
    assert enrollment.source == Enrollment.Source.PAYMENT
    assert enrollment.enrolled_at > long_ago
    assert Enrollment.objects.count() == 1


def test_other_students_and_courses_are_independent(student, other_student):
    course, other_course = CourseFactory.create_batch(2)
    enrollment_create(student=student, course=course, source=Enrollment.Source.ADMIN)

    enrollment_create(student=other_student, course=course, source=Enrollment.Source.ADMIN)
    enrollment_create(student=student, course=other_course, source=Enrollment.Source.ADMIN)

    assert Enrollment.objects.count() == 3


@pytest.mark.parametrize("who", ["instructor", "admin_user"])
def test_only_students_can_be_enrolled(request, who):
    course = FreeCourseFactory()

    with pytest.raises(ValidationError) as exc:
        enrollment_create(student=request.getfixturevalue(who), course=course, source=Enrollment.Source.ADMIN)

    assert "student" in exc.value.message_dict
    assert not Enrollment.objects.exists()


@pytest.mark.parametrize("ended", [False, True])
def test_database_allows_one_row_per_student_and_course(ended):
    existing = EnrollmentFactory(ended_at=timezone.now() if ended else None)

    with pytest.raises(IntegrityError), transaction.atomic():
        Enrollment.objects.create(student=existing.student, course=existing.course, source="admin")

    assert Enrollment.objects.count() == 1


def test_database_refuses_an_end_before_the_start(student):
    now = timezone.now()
    with pytest.raises(IntegrityError), transaction.atomic():
        Enrollment.objects.create(
            student=student,
            course=CourseFactory(),
            source="admin",
            enrolled_at=now,
            ended_at=now - timedelta(1),
        )


def test_database_refuses_an_unknown_source(student):
    with pytest.raises(IntegrityError), transaction.atomic():
        Enrollment.objects.create(student=student, course=CourseFactory(), source="gift")


def test_enroll_self_in_a_free_course(student):
    course = FreeCourseFactory()

    enrollment = enrollment_enroll_self(student=student, course=course)

    assert Enrollment.objects.get(pk=enrollment.pk).source == Enrollment.Source.FREE


def test_enroll_self_in_a_paid_course_requires_payment(student):
    course = CourseFactory(price=Decimal("0.50"))

    with pytest.raises(PaymentRequired) as exc:
        enrollment_enroll_self(student=student, course=course)

    assert exc.value.status_code == 402
    assert "/api/payments/" in exc.value.detail
    assert not Enrollment.objects.exists()


def test_enroll_self_after_ending_reactivates(student):
    ended = EnrollmentFactory(student=student, course=FreeCourseFactory(), ended_at=timezone.now())

    enrollment = enrollment_enroll_self(student=student, course=ended.course)

    assert enrollment.pk == ended.pk
    enrollment.refresh_from_db()
    assert enrollment.is_active
    assert enrollment.source == Enrollment.Source.FREE


def test_grant_enrolls_in_a_paid_course_without_payment(student):
    course = CourseFactory(price=Decimal("120.00"))

    enrollment = enrollment_grant(student=student, course=course)

    enrollment.refresh_from_db()
    assert (enrollment.student, enrollment.course, enrollment.source) == (student, course, "admin")


def test_end_keeps_the_row(student):
    enrollment = EnrollmentFactory(student=student)

    ended = enrollment_end(enrollment=enrollment)

    assert ended.pk == enrollment.pk
    enrollment.refresh_from_db()
    assert enrollment.ended_at is not None
    assert not enrollment.is_active


def test_end_is_idempotent():
    enrollment = EnrollmentFactory()
    first = enrollment_end(enrollment=enrollment).ended_at

    again = enrollment_end(enrollment=enrollment)

    assert again.ended_at == first
    enrollment.refresh_from_db()
    assert enrollment.ended_at == first
    assert Enrollment.objects.count() == 1


def test_end_from_a_stale_copy_does_not_move_the_end(student):
    enrollment = EnrollmentFactory(student=student)
    stale = Enrollment.objects.get(pk=enrollment.pk)
    first = enrollment_end(enrollment=enrollment).ended_at

    # `stale` still reads ended_at=None; the service re-reads the locked row.
    assert enrollment_end(enrollment=stale).ended_at == first


# --- enrollment_ensure: idempotent, inside the caller's transaction -----------------------------------


def enrollment_trail(enrollment_id: int) -> list[tuple[str, str]]:
    records = AuditRecord.objects.filter(entity="enrollment", entity_id=enrollment_id).order_by("id")
    return list(records.values_list("from_status", "to_status"))


def test_ensure_of_a_new_enrollment_inserts_it_and_records_it(student):
    course = CourseFactory(price=Decimal("120.00"))

    enrollment, enrolled = enrollment_ensure(student=student, course=course, source=Enrollment.Source.PAYMENT)

    assert enrolled is True
    row = Enrollment.objects.get()
    assert (row.pk, row.student, row.course, row.source, row.ended_at) == (
        enrollment.pk,
        student,
        course,
        Enrollment.Source.PAYMENT,
        None,
    )
    assert enrollment_trail(enrollment.pk) == [("", "active")]


def existing_enrollment(ended: bool) -> Enrollment:
    long_ago = timezone.now() - timedelta(days=30)
    enrollment = EnrollmentFactory(
        source=Enrollment.Source.ADMIN, enrolled_at=long_ago, ended_at=long_ago if ended else None
    )
    enrollment.refresh_from_db()  # as stored, to compare with what is stored later
    return enrollment


def stored(enrollment: Enrollment) -> tuple:
    row = Enrollment.objects.get(pk=enrollment.pk)
    return (row.student_id, row.course_id, row.source, row.enrolled_at, row.ended_at)


def test_default_ensure_of_an_active_enrollment_returns_it_in_the_callers_transaction():
    existing = existing_enrollment(ended=False)
    before = stored(existing)
    other_course = CourseFactory()

    with transaction.atomic():
        earlier = Enrollment.objects.create(student=existing.student, course=other_course, source="admin")
        enrollment, enrolled = enrollment_ensure(
            student=existing.student, course=existing.course, source=Enrollment.Source.PAYMENT
        )
        assert Enrollment.objects.count() == 2  # the transaction goes on

    assert (enrollment.pk, enrolled) == (existing.pk, False)
    assert stored(existing) == before
    assert Enrollment.objects.filter(pk=earlier.pk).exists()
    assert enrollment_trail(existing.pk) == []


def test_default_ensure_of_an_ended_enrollment_reactivates_it_in_the_callers_transaction():
    existing = existing_enrollment(ended=True)
    other_course = CourseFactory()

    with transaction.atomic():
        earlier = Enrollment.objects.create(student=existing.student, course=other_course, source="admin")
        enrollment, enrolled = enrollment_ensure(
            student=existing.student, course=existing.course, source=Enrollment.Source.PAYMENT
        )
        assert Enrollment.objects.count() == 2  # the transaction goes on

    assert (enrollment.pk, enrolled) == (existing.pk, True)
    row = Enrollment.objects.get(pk=existing.pk)
    assert (row.ended_at, row.source) == (None, Enrollment.Source.PAYMENT)
    assert row.enrolled_at > existing.enrolled_at
    assert Enrollment.objects.filter(pk=earlier.pk).exists()
    assert enrollment_trail(existing.pk) == [("ended", "active")]


def test_an_ended_enrollment_reactivated_starts_anew_and_is_complete_again_when_all_is_done(student):
    from lms.learning.services import lesson_complete, lesson_create, section_create

    course = FreeCourseFactory()
    section = section_create(actor=course.instructor, course=course, title="S")
    lesson = lesson_create(actor=course.instructor, section=section, title="L")
    enrollment = enrollment_create(student=student, course=course, source=Enrollment.Source.FREE)
    lesson_complete(student=student, lesson=lesson)
    enrollment_end(enrollment=enrollment)

    again, enrolled = enrollment_ensure(student=student, course=course, source=Enrollment.Source.FREE)

    assert enrolled
    assert again.completed_at is not None and again.completed_at >= again.enrolled_at

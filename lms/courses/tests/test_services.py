from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import DataError, IntegrityError, transaction

from lms.core.exceptions import Conflict, Forbidden
from lms.courses.models import Course
from lms.courses.services import course_create, course_delete, course_update
from lms.courses.tests.factories import CourseFactory
from lms.enrollments.models import Enrollment
from lms.enrollments.tests.factories import EnrollmentFactory
from lms.users.tests.factories import InstructorFactory

pytestmark = pytest.mark.django_db


def test_instructor_owns_what_they_create(instructor):
    course = course_create(actor=instructor, title="Django", price=Decimal("120.00"))

    course.refresh_from_db()
    assert course.instructor == instructor
    assert course.title == "Django"
    assert course.description == ""
    assert course.price == Decimal("120.00")


def test_instructor_may_name_themselves(instructor):
    course = course_create(actor=instructor, title="Django", price=Decimal(0), instructor=instructor)

    assert course.instructor == instructor


def test_instructor_cannot_create_for_another_instructor(instructor, other_instructor):
    with pytest.raises(ValidationError) as exc:
        course_create(actor=instructor, title="Django", price=Decimal(0), instructor=other_instructor)

    assert "instructor" in exc.value.message_dict
    assert not Course.objects.exists()


def test_admin_names_the_instructor(admin_user, instructor):
    course = course_create(actor=admin_user, title="Django", price=Decimal(0), instructor=instructor)

    assert course.instructor == instructor


def test_admin_must_name_an_instructor(admin_user):
    with pytest.raises(ValidationError) as exc:
        course_create(actor=admin_user, title="Django", price=Decimal(0))

    assert "instructor" in exc.value.message_dict
    assert not Course.objects.exists()


@pytest.mark.parametrize("who", ["student", "inactive_instructor", "admin"])
def test_admin_cannot_name_a_non_instructor(admin_user, student, who):
    named = {
        "student": student,
        "inactive_instructor": InstructorFactory(is_active=False),
        "admin": admin_user,
    }[who]

    with pytest.raises(ValidationError) as exc:
        course_create(actor=admin_user, title="Django", price=Decimal(0), instructor=named)

    assert "instructor" in exc.value.message_dict
    assert not Course.objects.exists()


def test_student_cannot_create(student):
    with pytest.raises(Forbidden):
        course_create(actor=student, title="Django", price=Decimal(0))

    assert not Course.objects.exists()


@pytest.mark.parametrize("price", ["0", "0.50", "0.51", "999999.99"])
def test_price_zero_or_at_least_the_minimum_charge(instructor, price):
    course = course_create(actor=instructor, title="Django", price=Decimal(price))

    assert course.price == Decimal(price)


@pytest.mark.parametrize("price", ["0.01", "0.49"])
def test_price_below_the_minimum_charge_is_refused(instructor, price):
    with pytest.raises(ValidationError) as exc:
        course_create(actor=instructor, title="Django", price=Decimal(price))

    assert "0.50" in exc.value.message_dict["price"][0]
    assert not Course.objects.exists()


def test_minimum_charge_follows_the_setting(instructor, settings):
    settings.LMS_MIN_CHARGE = "2.00"

    with pytest.raises(ValidationError):
        course_create(actor=instructor, title="Django", price=Decimal("1.99"))
    assert course_create(actor=instructor, title="Django", price=Decimal("2.00")).price == Decimal("2.00")


@pytest.mark.parametrize("price", ["-0.01", "1000000.00"])
def test_database_refuses_a_price_out_of_range(instructor, price):
    # The check constraint, or the column's precision (PostgreSQL and MariaDB raise DataError).
    with pytest.raises((IntegrityError, DataError)), transaction.atomic():
        Course.objects.create(title="Django", price=Decimal(price), instructor=instructor)


def test_database_refuses_a_blank_title(instructor):
    with pytest.raises(IntegrityError), transaction.atomic():
        Course.objects.create(title="", price=Decimal("10.00"), instructor=instructor)


def test_owner_updates_only_the_fields_given(instructor):
    course = CourseFactory(instructor=instructor, title="Old", description="Kept", price=Decimal("10.00"))

    course_update(course=course, actor=instructor, price=Decimal("0"))

    course.refresh_from_db()
    assert (course.title, course.description, course.price) == ("Old", "Kept", Decimal("0.00"))


def test_update_checks_the_price(instructor):
    course = CourseFactory(instructor=instructor, price=Decimal("10.00"))

    with pytest.raises(ValidationError):
        course_update(course=course, actor=instructor, price=Decimal("0.10"))

    course.refresh_from_db()
    assert course.price == Decimal("10.00")


def test_other_instructor_cannot_update(instructor, other_instructor):
    course = CourseFactory(instructor=instructor, title="Old")

    with pytest.raises(Forbidden):
        course_update(course=course, actor=other_instructor, title="Taken")

    course.refresh_from_db()
    assert course.title == "Old"


def test_student_cannot_update(student):
    course = CourseFactory(title="Old")

    with pytest.raises(Forbidden):
        course_update(course=course, actor=student, title="Taken")

    course.refresh_from_db()
    assert course.title == "Old"


def test_owner_cannot_hand_the_course_to_another_instructor(instructor, other_instructor):
    course = CourseFactory(instructor=instructor)

    with pytest.raises(ValidationError):
        course_update(course=course, actor=instructor, instructor=other_instructor)

    course.refresh_from_db()
    assert course.instructor == instructor


def test_admin_updates_and_moves_a_course(admin_user, instructor, other_instructor):
    course = CourseFactory(instructor=instructor, title="Old")

    course_update(course=course, actor=admin_user, title="New", instructor=other_instructor)

    course.refresh_from_db()
    assert (course.title, course.instructor) == ("New", other_instructor)


def test_owner_deletes_a_course_without_history(instructor):
    course = CourseFactory(instructor=instructor)

    course_delete(course=course, actor=instructor)

    assert not Course.objects.filter(pk=course.pk).exists()


def test_other_instructor_cannot_delete(instructor, other_instructor):
    course = CourseFactory(instructor=instructor)

    with pytest.raises(Forbidden):
        course_delete(course=course, actor=other_instructor)

    assert Course.objects.filter(pk=course.pk).exists()


@pytest.mark.parametrize("ended", [False, True])
def test_course_with_enrollments_is_not_deleted(admin_user, ended):
    enrollment = EnrollmentFactory()
    if ended:
        Enrollment.objects.filter(pk=enrollment.pk).update(ended_at=enrollment.enrolled_at)

    with pytest.raises(Conflict) as exc:
        course_delete(course=enrollment.course, actor=admin_user)

    assert exc.value.code == "course_has_history"
    assert Course.objects.filter(pk=enrollment.course_id).exists()
    assert Enrollment.objects.filter(pk=enrollment.pk).exists()

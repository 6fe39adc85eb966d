"""GET /api/users/me/courses/: a student's active enrollments, each with its course's summary."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from lms.core.tests.queries import assert_no_n_plus_one
from lms.courses.models import Course
from lms.courses.tests.factories import CourseFactory
from lms.enrollments.tests.factories import EnrollmentFactory
from lms.learning import services
from lms.learning.services import lesson_create, section_create

pytestmark = pytest.mark.django_db

URL = "/api/users/me/courses/"


def test_my_courses_shows_each_active_enrollment_with_its_course(student, student_client, instructor):
    course = CourseFactory(instructor=instructor, title="Django", price=Decimal("120.00"))
    section = section_create(actor=instructor, course=course, title="One")
    first = lesson_create(actor=instructor, section=section, title="First")
    lesson_create(actor=instructor, section=section, title="Second")
    enrollment = EnrollmentFactory(student=student, course=course)
    services.lesson_complete(student=student, lesson=first)

    r = student_client.get(URL)

    assert r.status_code == 200
    body = r.json()
    assert body["count"] == 1
    assert body["results"] == [
        {
            "enrollment": enrollment.pk,
            "course": {
                "id": course.pk,
                "title": "Django",
                "price": "120.00",
                "instructor": instructor.pk,
                "instructor_name": instructor.username,
                "status": "published",
            },
            "source": "payment",
            "enrolled_at": body["results"][0]["enrolled_at"],
            "percent": 50,
            "completed_at": None,
        }
    ]


def test_only_my_active_enrollments_newest_first(student, other_student, student_client):
    older = EnrollmentFactory(student=student, enrolled_at=timezone.now() - timedelta(days=2))
    newer = EnrollmentFactory(student=student)
    EnrollmentFactory(student=student, ended_at=timezone.now())  # ended (say refunded)
    EnrollmentFactory(student=other_student)

    r = student_client.get(URL)

    assert [row["enrollment"] for row in r.json()["results"]] == [newer.pk, older.pk]


def test_a_course_taken_off_sale_stays_in_my_courses(student, student_client):
    enrollment = EnrollmentFactory(student=student, course=CourseFactory(status=Course.Status.DRAFT))

    (row,) = student_client.get(URL).json()["results"]

    assert row["enrollment"] == enrollment.pk
    assert row["course"]["status"] == "draft"


def test_my_courses_never_shows_an_email(student, student_client):
    EnrollmentFactory(student=student)

    (row,) = student_client.get(URL).json()["results"]

    assert "@" not in str(row)


@pytest.mark.parametrize(("client", "status"), [("anon_client", 401), ("instructor_client", 403)])
def test_only_students_have_courses_of_their_own(request, client, status):
    r = request.getfixturevalue(client).get(URL)

    assert r.status_code == status


def test_my_courses_cost_the_same_queries_for_1_and_100_courses(student, student_client):
    for course in CourseFactory.create_batch(100):  # each by its own instructor
        EnrollmentFactory(student=student, course=course)

    page = assert_no_n_plus_one(student_client, URL)

    assert len({row["course"]["instructor_name"] for row in page["results"]}) == 100

"""A fixed number of queries per request, whatever the page size: no N+1."""

from decimal import Decimal

import pytest

from lms.core.tests.queries import assert_no_n_plus_one
from lms.courses.models import Course
from lms.enrollments.models import Enrollment

pytestmark = pytest.mark.django_db

ROWS = 101


@pytest.fixture
def enrolled(student, instructor):
    """`student` in ROWS courses of `instructor`: each role below sees all ROWS enrollments."""
    Course.objects.bulk_create(
        Course(title=f"Course {n}", price=Decimal(10), instructor=instructor) for n in range(ROWS)
    )
    Enrollment.objects.bulk_create(
        Enrollment(student=student, course=course, source=Enrollment.Source.PAYMENT)
        for course in Course.objects.filter(instructor=instructor)
    )
    return Enrollment.objects.first()


@pytest.mark.parametrize("who", ["student", "instructor", "admin_user"])
def test_enrollment_list(request, make_client, enrolled, who):
    page = assert_no_n_plus_one(make_client(request.getfixturevalue(who)), "/api/enrollments/")

    assert page["count"] == ROWS
    assert all(row["course_title"].startswith("Course ") for row in page["results"])


def test_enrollment_list_filtered(admin_client_api, enrolled):
    page = assert_no_n_plus_one(admin_client_api, "/api/enrollments/?active=true&ordering=enrolled_at")

    assert page["count"] == ROWS


@pytest.mark.parametrize("who", ["student", "instructor", "admin_user"])
def test_enrollment_detail(request, make_client, enrolled, django_assert_num_queries, who):
    client = make_client(request.getfixturevalue(who))

    # user, the enrollment with its course
    with django_assert_num_queries(2):
        r = client.get(f"/api/enrollments/{enrolled.pk}/")

    assert r.status_code == 200
    assert r.json()["course_title"] == enrolled.course.title

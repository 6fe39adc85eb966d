"""A fixed number of queries per request, whatever the page size: no N+1.

Each test's request is its user's first, so it pays one query to load the user (later ones read the cache).
"""

from decimal import Decimal

import pytest

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
@pytest.mark.parametrize("page_size", [1, 100])
def test_enrollment_list(request, make_client, enrolled, django_assert_num_queries, who, page_size):
    client = make_client(request.getfixturevalue(who))

    # user, COUNT(*), the page with its courses
    with django_assert_num_queries(3):
        r = client.get(f"/api/enrollments/?page_size={page_size}")

    assert r.status_code == 200
    assert r.json()["count"] == ROWS
    assert len(r.json()["results"]) == page_size
    assert all(row["course_title"].startswith("Course ") for row in r.json()["results"])


@pytest.mark.parametrize("page_size", [1, 100])
def test_enrollment_list_filtered(admin_client_api, enrolled, django_assert_num_queries, page_size):
    with django_assert_num_queries(3):
        r = admin_client_api.get(f"/api/enrollments/?page_size={page_size}&active=true&ordering=enrolled_at")

    assert r.status_code == 200
    assert len(r.json()["results"]) == page_size


@pytest.mark.parametrize("who", ["student", "instructor", "admin_user"])
def test_enrollment_detail(request, make_client, enrolled, django_assert_num_queries, who):
    client = make_client(request.getfixturevalue(who))

    # user, the enrollment with its course
    with django_assert_num_queries(2):
        r = client.get(f"/api/enrollments/{enrolled.pk}/")

    assert r.status_code == 200
    assert r.json()["course_title"] == enrolled.course.title

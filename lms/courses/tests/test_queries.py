"""A fixed number of queries per request, whatever the page size: no N+1.

Each test's request is its user's first, so it pays one query to load the user (later ones read the cache).
"""

from decimal import Decimal

import pytest

from lms.courses.models import Course
from lms.users.tests.factories import InstructorFactory

pytestmark = pytest.mark.django_db

ROWS = 101


@pytest.fixture
def catalog():
    # Several instructors, so `instructor_name` would cost a query per row without the join.
    instructors = InstructorFactory.create_batch(5)
    Course.objects.bulk_create(
        Course(title=f"Course {n}", price=Decimal(n), instructor=instructors[n % 5]) for n in range(ROWS)
    )
    return Course.objects.first()


@pytest.mark.parametrize("page_size", [1, 100])
def test_course_list(student_client, catalog, django_assert_num_queries, page_size):
    # user, COUNT(*), the page with its instructors
    with django_assert_num_queries(3):
        r = student_client.get(f"/api/courses/?page_size={page_size}&ordering=-price")

    assert r.status_code == 200
    assert r.json()["count"] == ROWS
    assert len(r.json()["results"]) == page_size
    assert all(row["instructor_name"] for row in r.json()["results"])


@pytest.mark.parametrize("page_size", [1, 100])
def test_course_list_filtered(student_client, catalog, django_assert_num_queries, page_size):
    with django_assert_num_queries(3):
        r = student_client.get(f"/api/courses/?page_size={page_size}&is_free=false&search=course")

    assert r.status_code == 200
    assert r.json()["count"] == ROWS - 1
    assert len(r.json()["results"]) == page_size


def test_course_detail(student_client, catalog, django_assert_num_queries):
    # user, the course with its instructor
    with django_assert_num_queries(2):
        r = student_client.get(f"/api/courses/{catalog.pk}/")

    assert r.status_code == 200
    assert r.json()["instructor_name"] == catalog.instructor.username

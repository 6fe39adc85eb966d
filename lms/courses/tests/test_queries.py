"""A fixed number of queries per request, whatever the page size: no N+1."""

from decimal import Decimal

import pytest

from lms.core.tests.queries import assert_no_n_plus_one
from lms.courses.models import Course
from lms.users.tests.factories import InstructorFactory

pytestmark = pytest.mark.django_db

ROWS = 101


@pytest.fixture
def catalog():
    # Several instructors, so `instructor_name` would cost a query per row without the join.
    instructors = InstructorFactory.create_batch(5)
    Course.objects.bulk_create(
        Course(title=f"Course {n}", price=Decimal(n), instructor=instructors[n % 5], status="published")
        for n in range(ROWS)
    )
    return Course.objects.first()


@pytest.mark.parametrize("client", ["student_client", "instructor_client", "admin_client_api"])
@pytest.mark.parametrize("query", ["?ordering=-price", "?is_free=false&search=course"])
def test_course_list(request, catalog, client, query):
    page = assert_no_n_plus_one(request.getfixturevalue(client), f"/api/courses/{query}")

    assert page["count"] == (ROWS if "ordering" in query else ROWS - 1)
    assert all(row["instructor_name"] for row in page["results"])


def test_course_detail(student_client, catalog, django_assert_num_queries, settings):
    settings.VIEWER_CACHE_SECONDS = 0  # as without Redis: the user and the flags are read each time
    settings.AUTH_USER_CACHE_SECONDS = 0
    # user, the course with its instructor, the student's flags
    with django_assert_num_queries(3):
        r = student_client.get(f"/api/courses/{catalog.pk}/")

    assert r.status_code == 200
    assert r.json()["instructor_name"] == catalog.instructor.username


def test_anonymous_course_list_and_detail(anon_client, catalog, django_assert_num_queries):
    page = assert_no_n_plus_one(anon_client, "/api/courses/?ordering=-price")
    # the course with its instructor
    with django_assert_num_queries(1):
        r = anon_client.get(f"/api/courses/{catalog.pk}/")

    assert page["count"] == ROWS
    assert r.json()["instructor_name"] == catalog.instructor.username

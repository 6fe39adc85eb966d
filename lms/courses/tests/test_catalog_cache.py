"""The catalog read cache: fast for students, never stale after a change, and writers read fresh."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from lms.courses.catalog_cache import catalog_version
from lms.courses.models import Course
from lms.courses.tests.factories import CourseFactory

pytestmark = pytest.mark.django_db(transaction=True)  # on_commit must run, as in production

LIST = "/api/courses/"


def titles(response) -> list[str]:
    return [course["title"] for course in response.json()["results"]]


def test_a_repeated_catalog_read_costs_no_query(student_client, django_assert_num_queries):
    CourseFactory.create_batch(3)
    first = student_client.get(LIST)

    with django_assert_num_queries(0):
        second = student_client.get(LIST)

    assert second.status_code == 200
    assert second.json() == first.json()
    assert second["Content-Type"] == "application/json"


def test_the_cached_page_equals_the_uncached_one(student_client, instructor_client):
    course = CourseFactory(price=Decimal("120.00"))
    student_client.get(f"{LIST}?ordering=price")

    cached = student_client.get(f"{LIST}?ordering=price").json()
    fresh = instructor_client.get(f"{LIST}?ordering=price").json()  # instructors bypass the cache

    assert cached == fresh
    assert cached["results"][0]["price"] == "120.00"
    assert (
        student_client.get(f"{LIST}{course.pk}/").json()
        == instructor_client.get(f"{LIST}{course.pk}/").json()
    )


def test_a_new_course_is_visible_to_students_at_once(student_client, instructor_client):
    assert student_client.get(LIST).json()["count"] == 0

    created = instructor_client.post(LIST, {"title": "Fresh", "price": "10.00"})

    assert created.status_code == 201
    response = student_client.get(LIST)
    assert response.json()["count"] == 1
    assert titles(response) == ["Fresh"]


def test_an_update_and_a_delete_are_visible_to_students_at_once(
    student_client, instructor, instructor_client
):
    course = CourseFactory(instructor=instructor, title="Old")
    assert student_client.get(f"{LIST}{course.pk}/").json()["title"] == "Old"
    assert titles(student_client.get(LIST)) == ["Old"]

    instructor_client.patch(f"{LIST}{course.pk}/", {"title": "New"})

    assert student_client.get(f"{LIST}{course.pk}/").json()["title"] == "New"
    assert titles(student_client.get(LIST)) == ["New"]

    assert instructor_client.delete(f"{LIST}{course.pk}/").status_code == 204

    assert student_client.get(f"{LIST}{course.pk}/").status_code == 404
    assert student_client.get(LIST).json()["count"] == 0


def test_a_change_outside_the_services_is_stale_only_for_students(student_client, instructor_client):
    course = CourseFactory(title="Cached")
    student_client.get(f"{LIST}{course.pk}/")

    Course.objects.filter(pk=course.pk).update(title="Changed behind the cache's back")

    assert student_client.get(f"{LIST}{course.pk}/").json()["title"] == "Cached"  # until the entry expires
    assert instructor_client.get(f"{LIST}{course.pk}/").json()["title"] == "Changed behind the cache's back"


def test_the_admin_site_retires_cached_pages(admin_user, student_client):
    course = CourseFactory(title="Before")
    student_client.get(f"{LIST}{course.pk}/")
    version = catalog_version()
    site = Client()
    site.force_login(admin_user)

    response = site.post(
        f"/admin/courses/course/{course.pk}/change/",
        {"title": "After", "description": "", "price": "120.00", "instructor": course.instructor_id},
    )

    assert response.status_code == 302
    assert catalog_version() == version + 1
    assert student_client.get(f"{LIST}{course.pk}/").json()["title"] == "After"


def test_the_count_is_computed_once_per_filter_not_per_page(student_client):
    CourseFactory.create_batch(5)
    student_client.get(f"{LIST}?page_size=2&page=1")

    with CaptureQueriesContext(connection) as queries:
        response = student_client.get(f"{LIST}?page_size=2&page=2")

    assert response.json()["count"] == 5
    assert len(response.json()["results"]) == 2
    assert not [q for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]


def test_errors_are_not_cached(student_client):
    course = CourseFactory()

    assert student_client.get(f"{LIST}?min_price=abc").status_code == 400
    assert student_client.get(f"{LIST}?min_price=abc").status_code == 400
    assert student_client.get(f"{LIST}{course.pk + 1}/").status_code == 404
    assert student_client.get(f"{LIST}{course.pk}/").status_code == 200


def test_an_anonymous_request_never_reads_the_cache(student_client, anon_client):
    CourseFactory()
    student_client.get(LIST)

    response = anon_client.get(LIST)

    assert response.status_code == 401

"""The catalog read cache: fast for students, never stale after a change, and writers read fresh."""

from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lms.courses.models import Course
from lms.courses.tests.factories import CourseFactory

pytestmark = pytest.mark.django_db(transaction=True)  # on_commit must run, as in production

LIST = "/api/courses/"


def titles(response) -> list[str]:
    return [course["title"] for course in response.json()["results"]]


def test_a_repeated_anonymous_catalog_read_costs_no_query(anon_client):
    CourseFactory.create_batch(3)
    first = anon_client.get(LIST)

    with CaptureQueriesContext(connection) as queries:
        second = anon_client.get(LIST)

    assert [q["sql"] for q in queries.captured_queries] == []
    assert second.status_code == 200
    assert second.json() == first.json()
    assert second["Content-Type"] == "application/json"


def test_a_repeated_student_catalog_read_costs_only_the_query_for_their_flags(student_client, settings):
    settings.VIEWER_CACHE_SECONDS = 0  # as without a shared cache (with one, they are cached too)
    CourseFactory.create_batch(3)
    first = student_client.get(LIST)

    with CaptureQueriesContext(connection) as queries:
        second = student_client.get(LIST)

    (flags,) = [
        q["sql"] for q in queries.captured_queries if "users_user" not in q["sql"]
    ]  # the user (without Redis)
    assert "enrollments_enrollment" in flags
    assert "payments_payment" in flags
    assert second.json() == first.json()


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


def test_a_newly_published_course_is_visible_to_students_at_once(student_client, instructor_client):
    assert student_client.get(LIST).json()["count"] == 0

    created = instructor_client.post(LIST, {"title": "Fresh", "price": "10.00"})
    section = instructor_client.post(f"{LIST}{created.json()['id']}/sections/", {"title": "One"}).json()
    instructor_client.post(f"/api/sections/{section['id']}/lessons/", {"title": "First"})
    assert student_client.get(LIST).json()["count"] == 0  # a draft
    published = instructor_client.post(f"{LIST}{created.json()['id']}/publish/")

    assert published.status_code == 200
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


def test_a_visitor_is_served_the_students_page_which_shows_only_courses_on_sale(
    student_client, anon_client, instructor
):
    """Visitors and students see the same courses, so they share one cached page."""
    CourseFactory(title="On sale")
    CourseFactory(title="Draft", instructor=instructor, status=Course.Status.DRAFT)
    first = student_client.get(LIST)

    with CaptureQueriesContext(connection) as queries:
        response = anon_client.get(LIST)

    assert response.status_code == 200
    assert response.json() == first.json()
    assert titles(response) == ["On sale"]
    assert [q["sql"] for q in queries.captured_queries if Course._meta.db_table in q["sql"]] == []


def test_a_visitor_reads_a_course_on_sale_but_not_a_draft(anon_client, instructor):
    course = CourseFactory()
    draft = CourseFactory(instructor=instructor, status=Course.Status.DRAFT)

    assert anon_client.get(f"{LIST}{course.pk}/").json()["id"] == course.pk
    assert anon_client.get(f"{LIST}{draft.pk}/").status_code == 404


def test_anonymous_visitors_and_students_share_one_cached_page(student_client, anon_client):
    course = CourseFactory(title="Cached")
    assert student_client.get(LIST).status_code == 200
    assert student_client.get(f"{LIST}{course.pk}/").status_code == 200

    Course.objects.filter(pk=course.pk).update(title="Changed behind the cache's back")

    assert titles(anon_client.get(LIST)) == ["Cached"]  # the page the student's request stored
    assert anon_client.get(f"{LIST}{course.pk}/").json()["title"] == "Cached"


def test_a_page_built_for_one_host_is_not_served_to_another(student_client, settings):
    settings.ALLOWED_HOSTS = ["a.example", "b.example"]
    CourseFactory.create_batch(3)

    first = student_client.get(f"{LIST}?page_size=1", HTTP_HOST="a.example").json()
    second = student_client.get(f"{LIST}?page_size=1", HTTP_HOST="b.example").json()

    assert first["next"].startswith("http://a.example/")
    assert second["next"].startswith("http://b.example/")
    https = student_client.get(f"{LIST}?page_size=1", HTTP_HOST="a.example", secure=True).json()
    assert https["next"].startswith("https://a.example/")


@pytest.mark.parametrize("url", [f"{LIST}?pad=xxxx", f"{LIST}?page=1&junk=1", f"{LIST}1/?pad=1"])
def test_unknown_query_parameters_are_refused_and_store_nothing(student_client, url):
    CourseFactory(pk=1)
    keys_before = set(cache._cache) if hasattr(cache, "_cache") else None

    response = student_client.get(url)

    assert response.status_code == 400
    unknown = {name for name in url.split("?")[1].split("&") if not name.startswith("page=")}
    assert set(response.json()) == {name.split("=")[0] for name in unknown}
    if keys_before is not None:  # local memory: no page was stored
        assert not [k for k in set(cache._cache) - keys_before if "catalog:entry" in k]


@pytest.mark.parametrize("client", ["instructor_client", "admin_client_api"])
def test_instructors_and_admins_read_fresh_counts(request, student_client, client):
    reader = request.getfixturevalue(client)
    CourseFactory()
    assert student_client.get(LIST).json()["count"] == 1
    assert reader.get(LIST).json()["count"] == 1

    CourseFactory()  # behind the cache's back: no service bumped the version

    assert student_client.get(f"{LIST}?page=1").json()["count"] == 1  # the student's cached count
    assert reader.get(f"{LIST}?page=1").json()["count"] == 2


def test_paging_values_the_view_reads_alike_share_one_cached_page(student_client):
    # `?page_size=junk` is the default size and `?page=01` page 1: none makes a page of its own.
    CourseFactory()
    keys_before = set(cache._cache) if hasattr(cache, "_cache") else None
    urls = [LIST, f"{LIST}?page=1", f"{LIST}?page=01"] + [f"{LIST}?page_size=junk{n}" for n in range(20)]

    bodies = {student_client.get(url).content for url in urls}

    assert len(bodies) == 1
    if keys_before is not None:  # local memory: the entries it stored
        stored = [k for k in set(cache._cache) - keys_before if "catalog:entry" in k]
        # No parameter, `page=1` (and `page=01`), and every junk size as `page_size=20`: the links
        # of a page repeat its query, so these three are stored apart; twenty junk sizes add one.
        assert len(stored) == 3

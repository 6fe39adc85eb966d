"""The catalog's rating: shown, sorted with unrated courses last, filtered by `min_rating`."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lms.core.tests.queries import assert_no_n_plus_one
from lms.courses.models import Course
from lms.courses.tests.factories import CourseFactory

pytestmark = pytest.mark.django_db


def rated(title: str, count: int, total: int, average: str | None) -> Course:
    course = CourseFactory(title=title)
    Course.objects.filter(pk=course.pk).update(
        rating_count=count, rating_sum=total, rating_avg=Decimal(average) if average else None
    )
    return course


@pytest.fixture
def catalog():
    return {
        "none_a": rated("Unrated A", 0, 0, None),
        "low": rated("Low", 2, 3, "1.5"),
        "top": rated("Top", 1, 5, "5.0"),
        "none_b": rated("Unrated B", 0, 0, None),
        "mid": rated("Mid", 3, 12, "4.0"),
        "mid_twin": rated("Mid twin", 1, 4, "4.0"),
    }


def titles(client, query: str) -> list[str]:
    r = client.get(f"/api/courses/{query}")
    assert r.status_code == 200, r.content
    return [row["title"] for row in r.json()["results"]]


def test_highest_rated_first_unrated_last(anon_client, catalog):
    # Ties fall back on the id, in the direction of the last key.
    assert titles(anon_client, "?ordering=-rating_avg") == [
        "Top",
        "Mid twin",
        "Mid",
        "Low",
        "Unrated B",
        "Unrated A",
    ]


def test_lowest_rated_first_unrated_still_last(anon_client, catalog):
    assert titles(anon_client, "?ordering=rating_avg") == [
        "Low",
        "Mid",
        "Mid twin",
        "Top",
        "Unrated A",
        "Unrated B",
    ]


def test_rating_then_another_key(anon_client, catalog):
    assert titles(anon_client, "?ordering=-rating_avg,title")[:3] == ["Top", "Mid", "Mid twin"]


def test_min_rating(anon_client, catalog):
    assert sorted(titles(anon_client, "?min_rating=4")) == ["Mid", "Mid twin", "Top"]
    assert titles(anon_client, "?min_rating=4.5") == ["Top"]
    assert len(titles(anon_client, "?min_rating=1")) == 4  # unrated courses never match


@pytest.mark.parametrize("value", ["0", "6", "x", "-1"])
def test_an_invalid_min_rating_is_400(anon_client, catalog, value):
    r = anon_client.get(f"/api/courses/?min_rating={value}")
    assert r.status_code == 400
    assert "min_rating" in r.json()


def test_course_shows_its_rating(anon_client, catalog):
    body = anon_client.get(f"/api/courses/{catalog['mid'].pk}/").json()
    assert (body["rating_avg"], body["rating_count"]) == (4.0, 3)
    body = anon_client.get(f"/api/courses/{catalog['none_a'].pk}/").json()
    assert (body["rating_avg"], body["rating_count"]) == (None, 0)
    assert "rating_sum" not in body


@pytest.mark.parametrize("client", ["anon_client", "student_client", "admin_client_api"])
def test_sorting_by_rating_costs_no_extra_query(request, client):
    for n in range(30):
        rated(f"Course {n}", 1, n % 5 + 1, f"{n % 5 + 1}.0")
    page = assert_no_n_plus_one(
        request.getfixturevalue(client), "/api/courses/?ordering=-rating_avg", rows=30
    )
    assert [row["rating_avg"] for row in page["results"]] == sorted(
        (row["rating_avg"] for row in page["results"]), reverse=True
    )


def test_editing_a_course_read_before_a_review_keeps_the_rating_aggregate(instructor):
    """The view reads the course, a review lands, then the edit saves: only the edited columns."""
    from lms.courses import selectors
    from lms.courses.services import course_update
    from lms.enrollments.tests.factories import EnrollmentFactory
    from lms.reviews.services import review_create
    from lms.users.tests.factories import StudentFactory

    course = CourseFactory(instructor=instructor)
    read_before = selectors.course_list(user=instructor).get(pk=course.pk)
    student = StudentFactory()
    EnrollmentFactory(student=student, course=course)
    review_create(student=student, course=course, rating=5)

    course_update(course=read_before, actor=instructor, title="New title")

    course.refresh_from_db()
    assert (course.title, course.rating_count, course.rating_sum, course.rating_avg) == ("New title", 1, 5, 5)


def highest_rated_sql(anon_client) -> str:
    """The SQL of the catalog's "highest rated" page, as the API queries it."""
    with CaptureQueriesContext(connection) as queries:
        assert anon_client.get("/api/courses/?ordering=-rating_avg").status_code == 200
    (page,) = [q["sql"] for q in queries.captured_queries if "ORDER BY" in q["sql"]]
    return page


def plan_of(sql: str) -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # A few rows: without these the planner may sort them rather than read an index. With
            # them it still sorts when no index gives the order.
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute(("EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN ") + sql)
        return "\n".join(" ".join(str(cell) for cell in row) for row in cursor.fetchall())


def test_highest_rated_reads_an_index_in_order_without_sorting_the_catalog(anon_client, catalog):
    sql = highest_rated_sql(anon_client)

    if connection.vendor == "postgresql":
        # (rating_avg DESC NULLS LAST, id DESC), migration 0006: scanning course_rating_idx
        # backwards would put the unrated courses first.
        assert "course_rating_desc_idx" in plan_of(sql)
    elif connection.vendor == "sqlite":
        plan = plan_of(sql)
        assert "course_rating_idx" in plan and "TEMP B-TREE FOR ORDER BY" not in plan, plan
    else:
        # MariaDB puts NULLs last descending, so the order is course_rating_idx's, read backwards.
        # Its optimizer chooses by table size: the plan of a few rows would say nothing.
        assert "ORDER BY `courses_course`.`rating_avg` DESC, `courses_course`.`id` DESC LIMIT" in sql

"""A fixed number of queries for the review list, whatever the page size: no N+1."""

import pytest

from lms.core.tests.queries import assert_no_n_plus_one, queries_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviewed(course, review_by, admin_user):
    for n in range(20):
        review_by(course, rating=n % 5 + 1, text=f"Review {n}")
    return course


@pytest.mark.parametrize("client", ["anon_client", "student_client", "admin_client_api"])
def test_review_list(request, reviewed, client):
    page = assert_no_n_plus_one(
        request.getfixturevalue(client), f"/api/courses/{reviewed.pk}/reviews/", rows=20
    )

    assert all(row["student_name"] and row["is_current_student"] for row in page["results"])


def test_review_list_costs_the_same_with_1_and_20_reviews(anon_client, course, review_by):
    url = f"/api/courses/{course.pk}/reviews/"
    review_by(course)
    queries_of(anon_client, url)
    one, _ = queries_of(anon_client, url)
    for _ in range(19):
        review_by(course)
    twenty, page = queries_of(anon_client, url)

    assert len(page["results"]) == 20
    # the course with its instructor, the count, the page (author and enrollment flag joined in)
    assert len(one) == len(twenty) == 3, "\n".join(twenty)


def test_summary_is_two_queries(anon_client, reviewed, django_assert_num_queries):
    # the course, the grouped counts
    with django_assert_num_queries(2):
        r = anon_client.get(f"/api/courses/{reviewed.pk}/reviews/summary/")
    assert r.json()["rating_count"] == 20

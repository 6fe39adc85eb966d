"""Nothing in a query string makes one request cost unbounded work."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lms.core.filters import MAX_ID, MAX_SEARCH_TERM_LENGTH, MAX_SEARCH_TERMS
from lms.enrollments.tests.factories import EnrollmentFactory
from lms.users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

USERS = "/api/users/"


def test_search_uses_at_most_the_first_words(admin_client_api):
    UserFactory(username="alice")
    words = ["ali"] * MAX_SEARCH_TERMS + ["no-such-user"] * 500

    with CaptureQueriesContext(connection) as queries:
        r = admin_client_api.get(USERS, {"search": " ".join(words)})

    assert r.status_code == 200
    # The ignored words would have excluded alice; they never reach the database.
    assert [u["username"] for u in r.json()["results"]] == ["alice"]
    assert not any("no-such-user" in q["sql"] for q in queries.captured_queries)


def test_a_search_word_is_cut_to_the_maximum_length(admin_client_api):
    UserFactory(username="a" * 150)

    r = admin_client_api.get(USERS, {"search": "a" * (MAX_SEARCH_TERM_LENGTH + 50) + "zzz"})

    assert r.status_code == 200
    assert r.json()["count"] == 1  # only the first MAX_SEARCH_TERM_LENGTH characters are searched


# Found by the schema fuzzing: `?course=3.402823466e+38` reached the database driver, which raised (500).
@pytest.mark.parametrize(
    "path,name",
    [
        ("/api/courses/", "instructor"),
        ("/api/enrollments/", "course"),
        ("/api/enrollments/", "student"),
        ("/api/payments/", "course"),
        ("/api/payments/", "student"),
        ("/api/audit/", "entity_id"),
        ("/api/audit/", "actor"),
    ],
)
@pytest.mark.parametrize("value", ["0", str(MAX_ID + 1), "3.402823466e+38", "1.5", "x"])
def test_an_id_filter_out_of_range_or_not_whole_is_400(admin_client_api, path, name, value):
    r = admin_client_api.get(path, {name: value})

    assert r.status_code == 400
    assert list(r.json()) == [name]


def test_an_id_filter_takes_the_largest_id(admin_client_api):
    enrollment = EnrollmentFactory()

    assert admin_client_api.get("/api/enrollments/", {"course": str(MAX_ID)}).json()["count"] == 0
    r = admin_client_api.get("/api/enrollments/", {"course": str(enrollment.course_id)})
    assert [e["id"] for e in r.json()["results"]] == [enrollment.pk]

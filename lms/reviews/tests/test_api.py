"""Every review endpoint x role, the body rules, the output and the throttle."""

from decimal import Decimal

import pytest
from django.utils import timezone

from lms.courses.models import Course
from lms.courses.services import course_unpublish
from lms.enrollments.models import Enrollment
from lms.enrollments.services import enrollment_end
from lms.enrollments.tests.factories import EnrollmentFactory
from lms.reviews.models import Review
from lms.reviews.services import review_create, review_update
from lms.users.tests.factories import StudentFactory

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "stranger", "enrolled", "ended", "owner", "other_instructor", "admin")


def reviews_url(course) -> str:
    return f"/api/courses/{course.pk}/reviews/"


def summary_url(course) -> str:
    return f"/api/courses/{course.pk}/reviews/summary/"


def review_url(review) -> str:
    return f"/api/reviews/{review.pk}/"


def matrix(clients, send, expected: dict[str, int | tuple[int, str]]) -> None:
    """send(client, role) for each role; the status (and error code) each gets."""
    got = {}
    for role in ROLES:
        r = send(clients[role], role)
        want = expected[role]
        if isinstance(want, tuple):
            got[role] = (r.status_code, r.json().get("code"))
        else:
            got[role] = r.status_code
    assert got == expected


@pytest.fixture
def review(student, course, enrollment):
    """The enrolled student's review of `course`."""
    return review_create(student=student, course=course, rating=4, text="Good")


# --- POST /api/courses/{id}/reviews/ -------------------------------------------------------------


def test_create_matrix(clients, course):
    matrix(
        clients,
        lambda c, role: c.post(reviews_url(course), {"rating": 5}, format="json"),
        {
            "anonymous": (401, "not_authenticated"),
            "stranger": (403, "enrollment_required"),
            "enrolled": 201,
            "ended": (403, "enrollment_required"),
            "owner": (403, "students_only"),
            "other_instructor": (403, "students_only"),
            "admin": (403, "students_only"),
        },
    )
    assert Review.objects.count() == 1
    assert Course.objects.get(pk=course.pk).rating_count == 1


def test_create_returns_the_review(clients, course, student):
    r = clients["enrolled"].post(reviews_url(course), {"rating": 5, "text": "Loved it"}, format="json")

    assert r.status_code == 201
    body = r.json()
    review = Review.objects.get()
    assert body == {
        "id": review.pk,
        "course": course.pk,
        "student_name": student.username,
        "rating": 5,
        "text": "Loved it",
        "reply": "",
        "replied_at": None,
        "is_current_student": True,
        "is_hidden": False,
        "is_own": True,
        "created_at": body["created_at"],
        "updated_at": body["updated_at"],
    }
    assert review.student == student and review.course == course


def test_the_course_and_student_cannot_be_sent(clients, course, admin_user):
    r = clients["enrolled"].post(
        reviews_url(course), {"rating": 5, "student": admin_user.pk, "course": 999}, format="json"
    )

    assert r.status_code == 400
    assert set(r.json()) == {"student", "course"}
    assert Review.objects.count() == 0


def test_a_second_review_is_409(clients, course, review):
    r = clients["enrolled"].post(reviews_url(course), {"rating": 1}, format="json")

    assert r.status_code == 409
    assert r.json()["code"] == "review_exists"
    assert Review.objects.get().rating == 4


def test_a_missing_course_is_404(clients):
    for role in ("enrolled", "owner", "admin"):
        r = clients[role].post("/api/courses/999999/reviews/", {"rating": 5}, format="json")
        assert r.status_code == 404, role


def test_a_draft_course_is_404_to_those_who_cannot_see_it(clients, course, instructor):
    course_unpublish(course=course, actor=instructor)
    # The enrolled student still sees the course, so they may still review it.
    assert clients["enrolled"].post(reviews_url(course), {"rating": 3}, format="json").status_code == 201
    assert clients["stranger"].post(reviews_url(course), {"rating": 3}, format="json").status_code == 404
    assert clients["ended"].post(reviews_url(course), {"rating": 3}, format="json").status_code == 404


@pytest.mark.parametrize(
    "body",
    [{"rating": 0}, {"rating": 6}, {"rating": "x"}, {"rating": 4.5}, {}, {"rating": 3, "text": "a" * 5001}],
)
def test_create_validation(clients, course, body):
    r = clients["enrolled"].post(reviews_url(course), body, format="json")

    assert r.status_code == 400, r.content
    assert Review.objects.count() == 0


def test_text_of_5000_characters_is_accepted(clients, course):
    r = clients["enrolled"].post(reviews_url(course), {"rating": 3, "text": "a" * 5000}, format="json")
    assert r.status_code == 201


def test_creating_reviews_is_throttled(throttle_rates, clients, course):
    throttle_rates(reviews="2/minute")

    statuses = [
        clients["enrolled"].post(reviews_url(course), {"rating": 5}, format="json").status_code
        for _ in range(3)
    ]

    assert statuses == [201, 409, 429]


def test_reading_is_not_throttled_by_the_review_rate(throttle_rates, clients, course):
    throttle_rates(reviews="1/minute")
    assert [clients["enrolled"].get(reviews_url(course)).status_code for _ in range(3)] == [200] * 3


# --- GET /api/courses/{id}/reviews/ and /summary/ ------------------------------------------------


@pytest.mark.parametrize("url", [reviews_url, summary_url])
def test_read_matrix_published(clients, course, review, url):
    matrix(clients, lambda c, role: c.get(url(course)), dict.fromkeys(ROLES, 200))


@pytest.mark.parametrize("url", [reviews_url, summary_url])
def test_read_matrix_draft(clients, course, review, instructor, url):
    course_unpublish(course=course, actor=instructor)
    matrix(
        clients,
        lambda c, role: c.get(url(course)),
        {
            "anonymous": 404,
            "stranger": 404,
            "enrolled": 200,
            "ended": 404,
            "owner": 200,
            "other_instructor": 404,
            "admin": 200,
        },
    )


def test_unpublishing_keeps_the_reviews_visible_to_the_owner(clients, course, review, instructor):
    course_unpublish(course=course, actor=instructor)
    assert [row["id"] for row in clients["owner"].get(reviews_url(course)).json()["results"]] == [review.pk]


def test_the_list_is_newest_first_without_hidden_and_without_email(
    anon_client, course, review_by, admin_user
):
    older = review_by(course, rating=2)
    hidden = review_by(course, rating=1)
    newer = review_by(course, rating=5)
    review_update(review=hidden, actor=admin_user, is_hidden=True)

    r = anon_client.get(reviews_url(course))

    assert r.status_code == 200
    body = r.json()
    assert body["count"] == 2
    assert [row["id"] for row in body["results"]] == [newer.pk, older.pk]
    assert body["results"][0]["student_name"] == newer.student.username
    assert newer.student.email not in r.content.decode()
    assert "student" not in body["results"][0] and "email" not in body["results"][0]
    assert body["results"][0]["is_own"] is False


def test_the_list_filters_by_rating(anon_client, course, review_by):
    review_by(course, rating=2)
    five = review_by(course, rating=5)

    r = anon_client.get(f"{reviews_url(course)}?rating=5")

    assert [row["id"] for row in r.json()["results"]] == [five.pk]


@pytest.mark.parametrize("value", ["0", "6", "x", "4.5"])
def test_an_invalid_rating_filter_is_400(anon_client, course, value):
    r = anon_client.get(f"{reviews_url(course)}?rating={value}")
    assert r.status_code == 400
    assert "rating" in r.json()


def test_the_list_is_paginated(anon_client, course, review_by):
    for _ in range(3):
        review_by(course)
    r = anon_client.get(f"{reviews_url(course)}?page_size=2")
    body = r.json()
    assert body["count"] == 3 and len(body["results"]) == 2 and body["next"]


def test_a_refunded_students_review_stays_marked_not_current(anon_client, course, student, enrollment):
    review = review_create(student=student, course=course, rating=5)
    current = anon_client.get(reviews_url(course)).json()["results"][0]

    enrollment_end(enrollment=enrollment)
    after = anon_client.get(reviews_url(course)).json()["results"]

    assert current["is_current_student"] is True
    assert [(row["id"], row["is_current_student"]) for row in after] == [(review.pk, False)]
    assert Course.objects.get(pk=course.pk).rating_count == 1  # still counted


def test_summary(anon_client, course, review_by, admin_user):
    for rating in (5, 5, 4, 1):
        review_by(course, rating=rating)
    hidden = review_by(course, rating=2)
    review_update(review=hidden, actor=admin_user, is_hidden=True)

    r = anon_client.get(summary_url(course))

    assert r.status_code == 200
    assert r.json() == {
        "rating_avg": 3.8,
        "rating_count": 4,
        "distribution": {"1": 1, "2": 0, "3": 0, "4": 1, "5": 2},
    }


def test_summary_of_a_course_without_reviews(anon_client, course):
    assert anon_client.get(summary_url(course)).json() == {
        "rating_avg": None,
        "rating_count": 0,
        "distribution": {"1": 0, "2": 0, "3": 0, "4": 0, "5": 0},
    }


# --- /api/reviews/{id}/ ----------------------------------------------------------------------------


def test_detail_matrix(clients, review):
    matrix(clients, lambda c, role: c.get(review_url(review)), dict.fromkeys(ROLES, 200))


def test_a_hidden_review_is_seen_by_admins_and_its_author_only(clients, review, admin_user):
    review_update(review=review, actor=admin_user, is_hidden=True)
    matrix(
        clients,
        lambda c, role: c.get(review_url(review)),
        {
            "anonymous": 404,
            "stranger": 404,
            "enrolled": 200,
            "ended": 404,
            "owner": 404,
            "other_instructor": 404,
            "admin": 200,
        },
    )
    assert clients["admin"].get(review_url(review)).json()["is_hidden"] is True


# The body each role would send: what it may change when it is the author, owner or admin.
PATCH_BODIES = {
    "anonymous": {"rating": 1},
    "stranger": {"rating": 1},
    "enrolled": {"rating": 2, "text": "Changed my mind"},
    "ended": {"rating": 1},
    "owner": {"reply": "Thanks for the feedback"},
    "other_instructor": {"reply": "Not my course"},
    "admin": {"is_hidden": True},
}


def test_patch_matrix(clients, review):
    matrix(
        clients,
        lambda c, role: c.patch(review_url(review), PATCH_BODIES[role], format="json"),
        {
            "anonymous": (401, "not_authenticated"),
            "stranger": (403, "permission_denied"),
            "enrolled": 200,
            "ended": (403, "permission_denied"),
            "owner": 200,
            "other_instructor": (403, "permission_denied"),
            "admin": 200,
        },
    )
    review.refresh_from_db()
    assert (review.rating, review.text, review.reply, review.is_hidden) == (
        2,
        "Changed my mind",
        "Thanks for the feedback",
        True,
    )
    assert review.replied_at is not None


def test_patch_of_a_review_on_a_draft_is_404_to_those_who_cannot_see_it(clients, review, instructor):
    course_unpublish(course=review.course, actor=instructor)
    for role in ("stranger", "ended", "other_instructor"):
        r = clients[role].patch(review_url(review), PATCH_BODIES[role], format="json")
        assert r.status_code == 404, role
        assert clients[role].delete(review_url(review)).status_code == 404, role


@pytest.mark.parametrize(
    ("role", "body"),
    [
        ("enrolled", {"reply": "Praise myself"}),
        ("enrolled", {"is_hidden": True}),
        ("enrolled", {"rating": 5, "is_hidden": True}),
        ("owner", {"rating": 1}),
        ("owner", {"text": "Rewritten"}),
        ("owner", {"is_hidden": True}),
        ("admin", {"rating": 1}),
        ("admin", {"text": "Edited by an admin"}),
        ("admin", {"reply": "From an admin"}),
    ],
)
def test_a_field_the_role_may_not_change_is_403(clients, review, role, body):
    r = clients[role].patch(review_url(review), body, format="json")

    assert r.status_code == 403
    assert r.json()["code"] == "review_field_forbidden"
    review.refresh_from_db()
    assert (review.rating, review.text, review.reply, review.is_hidden) == (4, "Good", "", False)


@pytest.mark.parametrize(
    "body",
    [
        {"student": 1},
        {"course": 1},
        {"rating": 0},
        {"rating": 6},
        {"rating": "x"},
        {"text": "a" * 5001},
        {"created_at": "2020-01-01T00:00:00Z"},
    ],
)
def test_patch_validation(clients, review, body):
    r = clients["enrolled"].patch(review_url(review), body, format="json")
    assert r.status_code == 400, r.content
    review.refresh_from_db()
    assert (review.rating, review.text) == (4, "Good")


def test_the_author_may_still_edit_after_a_refund(clients, review, enrollment):
    enrollment_end(enrollment=enrollment)
    r = clients["enrolled"].patch(review_url(review), {"rating": 1}, format="json")
    assert r.status_code == 200
    assert r.json()["is_current_student"] is False


def test_delete_matrix(clients, review):
    forbidden = (403, "review_delete_forbidden")
    expected = {
        "anonymous": (401, "not_authenticated"),
        "stranger": forbidden,
        "ended": forbidden,
        "owner": forbidden,
        "other_instructor": forbidden,
        "admin": forbidden,
    }
    got = {}
    for role in expected:
        r = clients[role].delete(review_url(review))
        got[role] = (r.status_code, r.json()["code"])
    assert got == expected
    assert Review.objects.filter(pk=review.pk).exists()

    assert clients["enrolled"].delete(review_url(review)).status_code == 204
    assert not Review.objects.filter(pk=review.pk).exists()
    assert Course.objects.get(pk=review.course_id).rating_count == 0
    assert clients["enrolled"].delete(review_url(review)).status_code == 404


def test_a_missing_review_is_404(clients):
    for role in ROLES:
        assert clients[role].get("/api/reviews/999999/").status_code == 404


# --- The catalog shows the aggregate, fresh after each change ---------------------------------------


def test_the_catalog_shows_the_new_aggregate_after_a_review(
    clients, anon_client, course, django_capture_on_commit_callbacks
):
    before = anon_client.get(f"/api/courses/{course.pk}/").json()  # now cached
    listed = anon_client.get("/api/courses/").json()["results"][0]

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        clients["enrolled"].post(reviews_url(course), {"rating": 4}, format="json")

    after = anon_client.get(f"/api/courses/{course.pk}/").json()
    listed_after = anon_client.get("/api/courses/").json()["results"][0]
    assert (before["rating_avg"], before["rating_count"]) == (None, 0)
    assert (listed["rating_avg"], listed["rating_count"]) == (None, 0)
    assert (after["rating_avg"], after["rating_count"]) == (4.0, 1)
    assert (listed_after["rating_avg"], listed_after["rating_count"]) == (4.0, 1)
    assert callbacks  # the catalog's version moved on commit: cached pages were retired


def test_the_aggregate_does_not_inflate_with_many_enrollments(anon_client, course, review_by):
    for _ in range(5):
        EnrollmentFactory(student=StudentFactory(), course=course)  # enrolled, no review
    for rating in (5, 3, 4):
        review_by(course, rating=rating)
    EnrollmentFactory(student=StudentFactory(), course=course, ended_at=timezone.now())

    listed = anon_client.get("/api/courses/").json()
    detail = anon_client.get(f"/api/courses/{course.pk}/").json()

    assert Enrollment.objects.filter(course=course).count() == 9
    assert listed["count"] == 1
    assert (listed["results"][0]["rating_avg"], listed["results"][0]["rating_count"]) == (4.0, 3)
    assert (detail["rating_avg"], detail["rating_count"]) == (4.0, 3)
    assert Course.objects.get(pk=course.pk).rating_sum == 12
    assert Decimal(str(detail["rating_avg"])) == Decimal("4.0")


# --- GET /api/courses/{id}/reviews/mine/ ----------------------------------------------------------


def mine_url(course) -> str:
    return f"/api/courses/{course.pk}/reviews/mine/"


def test_mine_matrix(clients, course, review):
    """Only its author finds a review there; everyone else has none of their own (404)."""
    matrix(
        clients,
        lambda c, role: c.get(mine_url(course)),
        {
            "anonymous": 401,
            "stranger": 404,
            "enrolled": 200,
            "ended": 404,
            "owner": 404,
            "other_instructor": 404,
            "admin": 404,
        },
    )
    body = clients["enrolled"].get(mine_url(course)).json()
    assert (body["id"], body["is_own"], body["rating"]) == (review.pk, True, 4)


def test_mine_keeps_showing_the_author_their_hidden_review(clients, course, review, admin_user):
    review_update(review=review, actor=admin_user, is_hidden=True)

    assert clients["enrolled"].get(reviews_url(course)).json()["count"] == 0
    body = clients["enrolled"].get(mine_url(course)).json()
    assert (body["id"], body["is_hidden"]) == (review.pk, True)

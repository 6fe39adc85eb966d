from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from lms.courses.models import Course
from lms.courses.tests.factories import CourseFactory
from lms.enrollments.models import Enrollment
from lms.enrollments.tests.factories import EnrollmentFactory
from lms.users.tests.factories import InstructorFactory

pytestmark = pytest.mark.django_db

LIST = "/api/courses/"


def detail(course: Course) -> str:
    return f"/api/courses/{course.pk}/"


def ids(response) -> list[int]:
    return [row["id"] for row in response.json()["results"]]


# --- Representation ------------------------------------------------------------------------


def test_course_representation(student_client, instructor):
    course = CourseFactory(instructor=instructor, title="Django", description="Web", price=Decimal(120))

    r = student_client.get(detail(course))

    assert r.status_code == 200
    body = r.json()
    assert body == {
        "id": course.pk,
        "title": "Django",
        "description": "Web",
        "price": "120.00",
        "instructor": instructor.pk,
        "instructor_name": instructor.username,
        "status": "published",
        "created_at": body["created_at"],
        "updated_at": body["updated_at"],
        "rating_avg": None,
        "rating_count": 0,
        "is_enrolled": False,
        "payment_status": None,
    }
    assert body["created_at"].endswith("Z")


@pytest.mark.parametrize(
    ("sent", "shown"),
    [("120", "120.00"), ("99.9", "99.90"), ("0", "0.00"), ("-0", "0.00"), ("-0.00", "0.00"), (-0.0, "0.00")],
)
def test_price_is_a_string_with_two_places(instructor_client, sent, shown):
    r = instructor_client.post(LIST, {"title": "Django", "price": sent})

    assert r.status_code == 201, r.content
    assert r.json()["price"] == shown
    assert instructor_client.get(f"/api/courses/{r.json()['id']}/").json()["price"] == shown


def test_a_negative_zero_price_is_stored_and_shown_as_zero(instructor_client):
    created = instructor_client.post(LIST, {"title": "Free", "price": "-0"}).json()
    updated = instructor_client.patch(f"/api/courses/{created['id']}/", {"price": "-0.0"}).json()

    assert (created["price"], updated["price"]) == ("0.00", "0.00")
    assert str(Course.objects.get(pk=created["id"]).price) == "0.00"
    assert instructor_client.get(f"{LIST}?is_free=true").json()["count"] == 1


def test_unknown_course_is_404(student_client):
    assert student_client.get("/api/courses/999999/").status_code == 404
    assert student_client.get("/api/courses/abc/").status_code == 404


# --- Validation ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"price": "10.00"}, "title"),
        ({"title": "", "price": "10.00"}, "title"),
        ({"title": "   ", "price": "10.00"}, "title"),
        ({"title": "x" * 201, "price": "10.00"}, "title"),
        ({"title": None, "price": "10.00"}, "title"),
        ({"title": "Django"}, "price"),
        ({"title": "Django", "price": None}, "price"),
        ({"title": "Django", "price": "abc"}, "price"),
        ({"title": "Django", "price": "NaN"}, "price"),
        ({"title": "Django", "price": "-0.01"}, "price"),
        ({"title": "Django", "price": "-10"}, "price"),
        ({"title": "Django", "price": "1000000"}, "price"),
        ({"title": "Django", "price": "1000000.00"}, "price"),
        ({"title": "Django", "price": "12.345"}, "price"),
        ({"title": "Django", "price": "0.001"}, "price"),
        ({"title": "Django", "price": "0.01"}, "price"),
        ({"title": "Django", "price": "0.49"}, "price"),
        ({"title": "Django", "price": "10.00", "description": None}, "description"),
        ({"title": "Django", "price": "10.00", "id": 5}, "id"),
        ({"title": "Django", "price": "10.00", "created_at": "2020-01-01T00:00:00Z"}, "created_at"),
        ({"title": "Django", "price": "10.00", "instructor_name": "someone"}, "instructor_name"),
    ],
)
def test_create_validation(instructor_client, body, field):
    r = instructor_client.post(LIST, body)

    assert r.status_code == 400, r.content
    assert field in r.json()
    assert isinstance(r.json()[field], list)
    assert not Course.objects.exists()


@pytest.mark.parametrize(
    ("title", "price"),
    [("x" * 200, "10.00"), ("Free", "0"), ("Free", "0.00"), ("Cheapest", "0.50"), ("Dearest", "999999.99")],
)
def test_create_accepts_the_boundaries(instructor_client, title, price):
    r = instructor_client.post(LIST, {"title": title, "price": price})

    assert r.status_code == 201, r.content
    course = Course.objects.get()
    assert (course.title, course.price) == (title, Decimal(price))


def test_unknown_field_is_refused_not_ignored(instructor_client):
    r = instructor_client.post(LIST, {"title": "Django", "price": "10.00", "owner": 1})

    assert r.status_code == 400
    assert r.json() == {"owner": ["This field cannot be set."]}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"price": "0.10"}, "price"),
        ({"price": "-1"}, "price"),
        ({"price": "1.001"}, "price"),
        ({"title": ""}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"created_at": "2020-01-01T00:00:00Z"}, "created_at"),
    ],
)
def test_update_validation(instructor, instructor_client, body, field):
    course = CourseFactory(instructor=instructor, title="Old", price=Decimal("10.00"))

    r = instructor_client.patch(detail(course), body)

    assert r.status_code == 400, r.content
    assert field in r.json()
    course.refresh_from_db()
    assert (course.title, course.price) == ("Old", Decimal("10.00"))


def test_put_requires_title_and_price(instructor, instructor_client):
    course = CourseFactory(instructor=instructor)

    r = instructor_client.put(detail(course), {"description": "Only this"})

    assert r.status_code == 400
    assert set(r.json()) == {"title", "price"}


# --- Create by role --------------------------------------------------------------------------


def test_instructor_creates_their_own_course(instructor, instructor_client):
    r = instructor_client.post(LIST, {"title": "Django", "description": "Web", "price": "120.00"})

    assert r.status_code == 201, r.content
    course = Course.objects.get(pk=r.json()["id"])
    assert course.instructor == instructor
    assert r.json()["instructor"] == instructor.pk
    assert (course.title, course.description, course.price) == ("Django", "Web", Decimal("120.00"))


def test_instructor_may_send_their_own_id(instructor, instructor_client):
    r = instructor_client.post(LIST, {"title": "Django", "price": "0", "instructor": instructor.pk})

    assert r.status_code == 201, r.content
    assert Course.objects.get().instructor == instructor


def test_instructor_cannot_spoof_the_instructor(instructor_client, other_instructor):
    r = instructor_client.post(LIST, {"title": "Django", "price": "0", "instructor": other_instructor.pk})

    assert r.status_code == 400
    assert "instructor" in r.json()
    assert not Course.objects.exists()


def test_admin_names_the_instructor(admin_client_api, instructor):
    r = admin_client_api.post(LIST, {"title": "Django", "price": "10.00", "instructor": instructor.pk})

    assert r.status_code == 201, r.content
    assert r.json()["instructor"] == instructor.pk
    assert Course.objects.get().instructor == instructor


def test_admin_must_name_an_instructor(admin_client_api):
    r = admin_client_api.post(LIST, {"title": "Django", "price": "10.00"})

    assert r.status_code == 400
    assert "instructor" in r.json()
    assert not Course.objects.exists()


@pytest.mark.parametrize("who", ["student", "admin", "inactive_instructor", "missing"])
def test_admin_cannot_name_a_non_instructor(admin_client_api, admin_user, student, who):
    named = {
        "student": lambda: student.pk,
        "admin": lambda: admin_user.pk,
        "inactive_instructor": lambda: InstructorFactory(is_active=False).pk,
        "missing": lambda: 999999,
    }[who]()

    r = admin_client_api.post(LIST, {"title": "Django", "price": "10.00", "instructor": named})

    assert r.status_code == 400
    assert "instructor" in r.json()
    assert not Course.objects.exists()


def test_student_cannot_create(student_client, instructor):
    r = student_client.post(LIST, {"title": "Django", "price": "0", "instructor": instructor.pk})

    assert r.status_code == 403
    assert r.json()["code"] == "permission_denied"
    assert not Course.objects.exists()


def test_anonymous_cannot_create(anon_client):
    r = anon_client.post(LIST, {"title": "Django", "price": "0"})

    assert r.status_code == 401
    assert not Course.objects.exists()


# --- Update by role --------------------------------------------------------------------------


def test_owner_patches_their_course(instructor, instructor_client):
    course = CourseFactory(instructor=instructor, title="Old", description="Kept", price=Decimal("10.00"))

    r = instructor_client.patch(detail(course), {"price": "25.50"})

    assert r.status_code == 200, r.content
    assert r.json()["price"] == "25.50"
    course.refresh_from_db()
    assert (course.title, course.description, course.price) == ("Old", "Kept", Decimal("25.50"))


def test_owner_puts_their_course(instructor, instructor_client):
    course = CourseFactory(instructor=instructor, title="Old", price=Decimal("10.00"))

    r = instructor_client.put(detail(course), {"title": "New", "description": "Fresh", "price": "0"})

    assert r.status_code == 200, r.content
    course.refresh_from_db()
    assert (course.title, course.description, course.price) == ("New", "Fresh", Decimal("0.00"))
    assert course.instructor == instructor


def test_owner_cannot_give_the_course_away(instructor, instructor_client, other_instructor):
    course = CourseFactory(instructor=instructor, title="Old")

    r = instructor_client.patch(detail(course), {"title": "New", "instructor": other_instructor.pk})

    assert r.status_code == 400
    assert "instructor" in r.json()
    course.refresh_from_db()
    assert (course.title, course.instructor) == ("Old", instructor)


def test_other_instructor_cannot_change_a_course(instructor, other_instructor, make_client):
    course = CourseFactory(instructor=instructor, title="Old", price=Decimal("10.00"))
    client = make_client(other_instructor)

    patched = client.patch(detail(course), {"title": "Taken"})
    put = client.put(detail(course), {"title": "Taken", "price": "0"})
    # Permission is checked before the body, so an invalid body tells nothing either.
    invalid = client.patch(detail(course), {"price": "-1"})

    assert (patched.status_code, put.status_code, invalid.status_code) == (403, 403, 403)
    course.refresh_from_db()
    assert (course.title, course.price, course.instructor) == ("Old", Decimal("10.00"), instructor)


def test_student_cannot_change_a_course(student_client, instructor):
    course = CourseFactory(instructor=instructor, title="Old")

    assert student_client.patch(detail(course), {"title": "Taken"}).status_code == 403
    assert student_client.put(detail(course), {"title": "Taken", "price": "0"}).status_code == 403
    course.refresh_from_db()
    assert course.title == "Old"


def test_admin_changes_and_moves_any_course(admin_client_api, instructor, other_instructor):
    course = CourseFactory(instructor=instructor, title="Old")

    r = admin_client_api.patch(detail(course), {"title": "New", "instructor": other_instructor.pk})

    assert r.status_code == 200, r.content
    assert r.json()["instructor"] == other_instructor.pk
    course.refresh_from_db()
    assert (course.title, course.instructor) == ("New", other_instructor)


def test_change_of_missing_course_is_404(instructor_client):
    assert instructor_client.patch("/api/courses/999999/", {"title": "x"}).status_code == 404


# --- Delete by role --------------------------------------------------------------------------


def test_owner_deletes_their_course(instructor, instructor_client):
    course = CourseFactory(instructor=instructor)

    r = instructor_client.delete(detail(course))

    assert r.status_code == 204
    assert not Course.objects.filter(pk=course.pk).exists()


def test_admin_deletes_any_course(admin_client_api):
    course = CourseFactory()

    assert admin_client_api.delete(detail(course)).status_code == 204
    assert not Course.objects.filter(pk=course.pk).exists()


@pytest.mark.parametrize("who", ["student", "other_instructor"])
def test_others_cannot_delete(request, instructor, make_client, who):
    course = CourseFactory(instructor=instructor)

    r = make_client(request.getfixturevalue(who)).delete(detail(course))

    assert r.status_code == 403
    assert Course.objects.filter(pk=course.pk).exists()


@pytest.mark.parametrize("who", ["instructor", "admin_user"])
@pytest.mark.parametrize("ended", [False, True])
def test_course_with_history_is_not_deleted(request, instructor, make_client, who, ended):
    course = CourseFactory(instructor=instructor)
    enrollment = EnrollmentFactory(course=course, ended_at=timezone.now() if ended else None)

    r = make_client(request.getfixturevalue(who)).delete(detail(course))

    assert r.status_code == 409
    assert r.json()["code"] == "course_has_history"
    assert "enrollments" in r.json()["detail"]
    assert Course.objects.filter(pk=course.pk).exists()
    assert Enrollment.objects.filter(pk=enrollment.pk, course=course).exists()


# --- Filters, search, ordering ---------------------------------------------------------------


@pytest.fixture
def catalog(instructor, other_instructor):
    return {
        "free": CourseFactory(instructor=instructor, title="Intro to Python", price=Decimal(0)),
        "cheap": CourseFactory(instructor=instructor, title="Django basics", price=Decimal("9.99")),
        "mid": CourseFactory(
            instructor=other_instructor, title="Databases", description="SQL and python", price=Decimal(50)
        ),
        "dear": CourseFactory(instructor=other_instructor, title="Stripe payments", price=Decimal("120.00")),
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", {"free", "cheap", "mid", "dear"}),
        ("is_free=true", {"free"}),
        ("is_free=false", {"cheap", "mid", "dear"}),
        ("is_free=1", {"free"}),
        ("is_free=0", {"cheap", "mid", "dear"}),
        ("min_price=9.99", {"cheap", "mid", "dear"}),
        ("min_price=10", {"mid", "dear"}),
        ("max_price=9.99", {"free", "cheap"}),
        ("max_price=0", {"free"}),
        ("min_price=10&max_price=50", {"mid"}),
        ("min_price=60&max_price=50", set()),
        ("search=python", {"free", "mid"}),
        ("search=PYTHON", {"free", "mid"}),
        ("search=django", {"cheap"}),
        ("search=sql", {"mid"}),
        ("search=nothing-like-this", set()),
        ("search=python&is_free=false", {"mid"}),
    ],
)
def test_catalog_filters(student_client, catalog, query, expected):
    r = student_client.get(f"{LIST}?{query}")

    assert r.status_code == 200, r.content
    assert set(ids(r)) == {catalog[name].pk for name in expected}
    assert r.json()["count"] == len(expected)


def test_filter_by_instructor(student_client, catalog, instructor, other_instructor):
    mine = student_client.get(f"{LIST}?instructor={instructor.pk}")
    theirs = student_client.get(f"{LIST}?instructor={other_instructor.pk}&is_free=false")

    assert set(ids(mine)) == {catalog["free"].pk, catalog["cheap"].pk}
    assert set(ids(theirs)) == {catalog["mid"].pk, catalog["dear"].pk}


@pytest.mark.parametrize(
    "query",
    [
        "min_price=abc",
        "max_price=-1",
        "min_price=1000000",
        "instructor=abc",
        "instructor=0",
        "is_free=yes",
        "is_free=garbage",
    ],
)
def test_invalid_filter_is_400(student_client, catalog, query):
    r = student_client.get(f"{LIST}?{query}")

    assert r.status_code == 400
    assert query.split("=")[0] in r.json()


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [
        ("price", ["free", "cheap", "mid", "dear"]),
        ("-price", ["dear", "mid", "cheap", "free"]),
        ("title", ["mid", "cheap", "free", "dear"]),
        ("-title", ["dear", "free", "cheap", "mid"]),
        ("created_at", ["mid", "free", "dear", "cheap"]),
        ("-created_at", ["cheap", "dear", "free", "mid"]),
    ],
)
def test_ordering(student_client, catalog, ordering, expected):
    # Creation times are set apart explicitly: fast databases give equal auto_now_add values.
    base = timezone.now() - timedelta(days=1)
    for minutes, name in enumerate(["mid", "free", "dear", "cheap"]):
        Course.objects.filter(pk=catalog[name].pk).update(created_at=base + timedelta(minutes=minutes))

    r = student_client.get(f"{LIST}?ordering={ordering}")

    assert r.status_code == 200
    assert ids(r) == [catalog[name].pk for name in expected]


def test_default_order_is_newest_first(student_client, catalog):
    base = timezone.now() - timedelta(days=1)
    for minutes, name in enumerate(["dear", "free", "cheap", "mid"]):
        Course.objects.filter(pk=catalog[name].pk).update(created_at=base + timedelta(minutes=minutes))

    r = student_client.get(LIST)

    assert ids(r) == [catalog[name].pk for name in ["mid", "cheap", "free", "dear"]]


@pytest.mark.parametrize("ordering", ["instructor__password", "bogus", "price,bogus", "price,", "-"])
def test_an_ordering_key_not_offered_is_400(student_client, catalog, ordering):
    r = student_client.get(f"{LIST}?ordering={ordering}")

    assert r.status_code == 400
    assert r.json() == {
        "ordering": [
            "Must be one or more of (comma-separated): price, -price, created_at, -created_at, "
            "title, -title, rating_avg, -rating_avg."
        ]
    }


def test_ordering_by_several_keys(student_client, catalog):
    r = student_client.get(f"{LIST}?ordering=-price,title")

    assert ids(r) == [catalog[name].pk for name in ["dear", "mid", "cheap", "free"]]


@pytest.mark.parametrize("ordering", ["price", "-price", "title", "created_at", "-created_at"])
def test_equal_values_page_in_a_stable_order(student_client, instructor, ordering):
    courses = CourseFactory.create_batch(5, instructor=instructor, title="Same", price=Decimal(0))
    Course.objects.update(created_at=timezone.now())
    pk_order = sorted(c.pk for c in courses)
    if ordering.startswith("-"):
        pk_order.reverse()

    seen = [
        ids(student_client.get(f"{LIST}?ordering={ordering}&page_size=1&page={page}"))[0]
        for page in range(1, 6)
    ]

    assert seen == pk_order

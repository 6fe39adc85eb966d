"""The public catalog, and the student's own flags on it: `is_enrolled` and `payment_status`."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from lms.core.tests.queries import assert_no_n_plus_one
from lms.courses.models import Course
from lms.courses.tests.factories import CourseFactory
from lms.courses.viewer import PAYMENT_STATUSES
from lms.enrollments.models import Enrollment
from lms.enrollments.tests.factories import EnrollmentFactory
from lms.payments.models import Payment
from lms.payments.tests.factories import PaymentFactory
from lms.users.services import user_update

pytestmark = pytest.mark.django_db

LIST = "/api/courses/"


def flags(body: dict) -> dict[int, tuple]:
    items = body["results"] if "results" in body else [body]
    return {item["id"]: (item["is_enrolled"], item["payment_status"]) for item in items}


# --- The public catalog ------------------------------------------------------------------------


def test_anonymous_visitors_read_the_catalog_and_a_course(anon_client, student_client):
    course = CourseFactory(title="Open")

    listing = anon_client.get(LIST)
    one = anon_client.get(f"{LIST}{course.pk}/")

    assert listing.status_code == 200
    assert [row["title"] for row in listing.json()["results"]] == ["Open"]
    assert one.status_code == 200
    assert one.json() == student_client.get(f"{LIST}{course.pk}/").json()
    assert listing.json() == student_client.get(LIST).json()


def test_anonymous_visitors_see_exactly_what_a_student_sees(
    anon_client, student_client, instructor, django_capture_on_commit_callbacks
):
    on_sale = CourseFactory(instructor=instructor, title="On sale")
    draft = CourseFactory(instructor=instructor, status=Course.Status.DRAFT)
    retired = CourseFactory(title="Retired")
    with django_capture_on_commit_callbacks(execute=True):
        user_update(user=retired.instructor, is_active=False)

    for client in (anon_client, student_client):
        assert [row["id"] for row in client.get(LIST).json()["results"]] == [on_sale.pk]
        assert client.get(f"{LIST}{draft.pk}/").status_code == 404
        assert client.get(f"{LIST}{retired.pk}/").status_code == 404
        assert client.get(f"{LIST}?instructor={retired.instructor_id}").json()["count"] == 0


def test_anonymous_filters_search_and_ordering_work(anon_client):
    CourseFactory(title="Django basics", price=Decimal("0.00"))
    CourseFactory(title="Advanced Django", price=Decimal("50.00"))
    CourseFactory(title="Rust", price=Decimal("20.00"))

    body = anon_client.get(f"{LIST}?search=django&ordering=-price").json()

    assert [row["title"] for row in body["results"]] == ["Advanced Django", "Django basics"]
    assert anon_client.get(f"{LIST}?is_free=true").json()["count"] == 1


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_anonymous_visitors_cannot_write(anon_client, method):
    course = CourseFactory(title="Kept")
    url = LIST if method == "post" else f"{LIST}{course.pk}/"

    r = getattr(anon_client, method)(url, {"title": "Taken", "price": "1.00"}, format="json")

    assert r.status_code == 401
    assert r.json()["code"] == "not_authenticated"
    assert Course.objects.get(pk=course.pk).title == "Kept"
    assert Course.objects.count() == 1


def test_anonymous_catalog_reads_are_throttled_per_ip(anon_client, throttle_rates):
    throttle_rates(anon="2/minute")
    course = CourseFactory()

    statuses = [anon_client.get(url).status_code for url in (LIST, f"{LIST}{course.pk}/", LIST)]

    assert statuses == [200, 200, 429]


# --- The student's own flags -------------------------------------------------------------------


@pytest.fixture
def courses(student):
    """Five courses on sale, each in a different relation to `student`."""
    enrolled, paid, refunded, pending, untouched = CourseFactory.create_batch(5)
    EnrollmentFactory(student=student, course=enrolled, source="free")
    EnrollmentFactory(student=student, course=paid)
    PaymentFactory(student=student, course=paid, status=Payment.Status.SUCCEEDED)
    EnrollmentFactory(student=student, course=refunded, ended_at=timezone.now())
    PaymentFactory(student=student, course=refunded, status=Payment.Status.REFUNDED)
    PaymentFactory(student=student, course=pending, status=Payment.Status.FAILED)
    PaymentFactory(student=student, course=pending, status=Payment.Status.PENDING)  # the latest
    return {
        "enrolled": enrolled,
        "paid": paid,
        "refunded": refunded,
        "pending": pending,
        "untouched": untouched,
    }


EXPECTED = {
    "enrolled": (True, None),
    "paid": (True, "succeeded"),
    "refunded": (False, "refunded"),
    "pending": (False, "pending"),
    "untouched": (False, None),
}


def test_a_student_sees_their_flags_in_the_list_and_on_each_course(student_client, courses):
    listing = flags(student_client.get(LIST).json())

    assert listing == {courses[name].pk: expected for name, expected in EXPECTED.items()}
    for name, expected in EXPECTED.items():
        assert flags(student_client.get(f"{LIST}{courses[name].pk}/").json()) == {courses[name].pk: expected}


def test_one_students_flags_are_never_served_to_another(
    student_client, other_student, make_client, anon_client, courses
):
    mine = student_client.get(LIST).json()  # stores the shared page
    student_client.get(f"{LIST}{courses['paid'].pk}/")
    EnrollmentFactory(student=other_student, course=courses["untouched"])

    theirs = make_client(other_student).get(LIST).json()
    anonymous = anon_client.get(LIST).json()

    assert flags(mine)[courses["paid"].pk] == (True, "succeeded")
    assert set(flags(theirs).values()) == {(False, None), (True, None)}
    assert flags(theirs)[courses["untouched"].pk] == (True, None)
    assert set(flags(anonymous).values()) == {(False, None)}
    assert flags(anon_client.get(f"{LIST}{courses['paid'].pk}/").json()) == {
        courses["paid"].pk: (False, None)
    }
    # The flags are all that differs.
    strip = [
        {k: v for k, v in row.items() if k not in ("is_enrolled", "payment_status")}
        for row in mine["results"]
    ]
    assert strip == [
        {k: v for k, v in row.items() if k not in ("is_enrolled", "payment_status")}
        for row in anonymous["results"]
    ]


@pytest.fixture(params=[0, 30], ids=["flags-read-each-time", "flags-cached"])
def flags_cache(request, settings):
    """Both modes: without a shared cache the flags are read on each request, with one cached."""
    settings.VIEWER_CACHE_SECONDS = request.param
    return request.param


def test_flags_follow_a_change_at_once_though_the_page_is_cached(
    student_client, student, courses, flags_cache, django_capture_on_commit_callbacks
):
    untouched, paid = courses["untouched"], courses["paid"]
    assert flags(student_client.get(LIST).json())[untouched.pk] == (False, None)

    with django_capture_on_commit_callbacks(execute=True):  # as when the change commits
        payment = PaymentFactory(student=student, course=untouched, status=Payment.Status.PENDING)
    assert flags(student_client.get(LIST).json())[untouched.pk] == (False, "pending")

    with django_capture_on_commit_callbacks(execute=True):
        payment.status = Payment.Status.SUCCEEDED
        payment.save()
        EnrollmentFactory(student=student, course=untouched)
        Enrollment.objects.filter(student=student, course=paid).update(ended_at=timezone.now())
        Enrollment.objects.get(student=student, course=paid).save()  # as enrollment_end saves it
    body = student_client.get(LIST).json()
    assert flags(body)[untouched.pk] == (True, "succeeded")
    assert flags(body)[paid.pk] == (False, "succeeded")
    assert flags(student_client.get(f"{LIST}{untouched.pk}/").json()) == {untouched.pk: (True, "succeeded")}


def test_with_a_shared_cache_a_repeated_student_read_costs_no_query(
    student_client, student, courses, settings
):
    settings.VIEWER_CACHE_SECONDS = 30
    first = student_client.get(LIST).json()

    with CaptureQueriesContext(connection) as queries:
        second = student_client.get(LIST).json()

    assert [q["sql"] for q in queries.captured_queries if "users_user" not in q["sql"]] == []
    assert second == first
    assert flags(second)[courses["paid"].pk] == (True, "succeeded")


def test_cached_flags_are_each_students_own(student_client, other_student, make_client, courses, settings):
    settings.VIEWER_CACHE_SECONDS = 30
    assert flags(student_client.get(LIST).json())[courses["paid"].pk] == (True, "succeeded")

    theirs = make_client(other_student).get(LIST).json()

    assert set(flags(theirs).values()) == {(False, None)}


@pytest.mark.parametrize("client", ["instructor_client", "admin_client_api"])
def test_instructors_and_admins_get_false_and_null(request, client, courses):
    body = request.getfixturevalue(client).get(LIST).json()

    assert set(flags(body).values()) == {(False, None)}


def test_the_payment_status_enum_is_the_payment_models():
    assert list(PAYMENT_STATUSES) == list(Payment.Status.values)


def test_flags_cost_one_query_whatever_the_page_size(student_client, student, flags_cache):
    courses = CourseFactory.create_batch(100)
    for course in courses[::2]:
        EnrollmentFactory(student=student, course=course)
    for course in courses[::3]:
        PaymentFactory(student=student, course=course, status=Payment.Status.SUCCEEDED)

    page = assert_no_n_plus_one(student_client, LIST)

    assert sum(row["is_enrolled"] for row in page["results"]) == 50
    assert sum(row["payment_status"] == "succeeded" for row in page["results"]) == 34


def test_a_cached_page_with_flags_costs_the_same_queries_at_1_and_30_courses(
    student_client, student, flags_cache
):
    for course in CourseFactory.create_batch(30):
        EnrollmentFactory(student=student, course=course)
    student_client.get(f"{LIST}?page_size=1")
    student_client.get(f"{LIST}?page_size=30")

    with CaptureQueriesContext(connection) as one:
        student_client.get(f"{LIST}?page_size=1")
    with CaptureQueriesContext(connection) as many:
        body = student_client.get(f"{LIST}?page_size=30").json()

    assert len(one.captured_queries) == len(many.captured_queries)
    assert all(row["is_enrolled"] for row in body["results"])


@pytest.mark.parametrize("client", ["anon_client", "student_client", "instructor_client"])
def test_answers_that_depend_on_the_token_say_so_to_http_caches(request, client, instructor):
    course = CourseFactory(instructor=instructor)
    reader = request.getfixturevalue(client)

    for url in (LIST, f"{LIST}{course.pk}/", f"/api/instructors/{instructor.pk}/"):
        r = reader.get(url)
        assert r.status_code == 200
        assert "Authorization" in r["Vary"], url


def test_an_enrolled_student_still_sees_a_course_taken_off_sale(
    student_client, student, make_client, other_student, anon_client
):
    course = CourseFactory(status=Course.Status.DRAFT)  # unpublished after the student enrolled
    EnrollmentFactory(student=student, course=course)
    url = f"{LIST}{course.pk}/"

    mine = student_client.get(url)
    theirs = make_client(other_student).get(url)

    assert mine.status_code == 200
    assert (mine.json()["status"], mine.json()["is_enrolled"]) == ("draft", True)
    assert theirs.status_code == 404  # never served from the enrolled student's answer
    assert anon_client.get(url).status_code == 404
    assert course.pk not in [row["id"] for row in student_client.get(LIST).json()["results"]]  # not on sale


def test_an_ended_enrollment_does_not_open_a_course_off_sale(student_client, student):
    course = CourseFactory(status=Course.Status.DRAFT)
    EnrollmentFactory(student=student, course=course, ended_at=timezone.now())

    assert student_client.get(f"{LIST}{course.pk}/").status_code == 404


@pytest.mark.parametrize("pk", ["0", "99999999999999999999999", "1e3", "٣"])
def test_odd_course_ids_are_404_for_a_student(student_client, student, pk):
    EnrollmentFactory(student=student, course=CourseFactory(status=Course.Status.DRAFT))

    r = student_client.get(f"{LIST}{pk}/")

    assert r.status_code == 404
    assert r.json()["code"] == "not_found"

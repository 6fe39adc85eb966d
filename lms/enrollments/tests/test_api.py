from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from lms.courses.tests.factories import CourseFactory, FreeCourseFactory
from lms.enrollments.models import Enrollment
from lms.enrollments.tests.factories import EnrollmentFactory
from lms.users.tests.factories import InstructorFactory, StudentFactory

pytestmark = pytest.mark.django_db

LIST = "/api/enrollments/"


def detail(enrollment: Enrollment) -> str:
    return f"/api/enrollments/{enrollment.pk}/"


def ids(response) -> set[int]:
    return {row["id"] for row in response.json()["results"]}


# --- A student enrolls themselves ------------------------------------------------------------


def test_student_enrolls_in_a_free_course(student, student_client):
    course = FreeCourseFactory(title="Intro")

    r = student_client.post(LIST, {"course": course.pk})

    assert r.status_code == 201, r.content
    enrollment = Enrollment.objects.get()
    assert (enrollment.student, enrollment.course, enrollment.source) == (student, course, "free")
    assert r.json() == {
        "id": enrollment.pk,
        "student": student.pk,
        "course": course.pk,
        "course_title": "Intro",
        "source": "free",
        "enrolled_at": r.json()["enrolled_at"],
        "ended_at": None,
        "is_active": True,
        "percent": 0,
        "completed_at": None,
    }


def test_paid_course_without_payment_is_402(student_client):
    course = CourseFactory(price=Decimal("120.00"))

    r = student_client.post(LIST, {"course": course.pk})

    assert r.status_code == 402
    assert r.json()["code"] == "payment_required"
    assert "/api/payments/" in r.json()["detail"]
    assert not Enrollment.objects.exists()


def test_already_enrolled_is_409(student, student_client):
    existing = EnrollmentFactory(student=student, course=FreeCourseFactory())

    r = student_client.post(LIST, {"course": existing.course_id})

    assert r.status_code == 409
    assert r.json()["code"] == "already_enrolled"
    assert Enrollment.objects.count() == 1


def test_ended_enrollment_is_reactivated(student, student_client):
    ended = EnrollmentFactory(student=student, course=FreeCourseFactory(), ended_at=timezone.now())

    r = student_client.post(LIST, {"course": ended.course_id})

    assert r.status_code == 201, r.content
    assert r.json()["id"] == ended.pk
    assert r.json()["is_active"] is True
    ended.refresh_from_db()
    assert ended.ended_at is None
    assert Enrollment.objects.count() == 1


@pytest.mark.parametrize("field", ["student", "source", "enrolled_at", "ended_at"])
def test_student_cannot_set_other_fields(student_client, other_student, field):
    course = FreeCourseFactory()
    value = {
        "student": other_student.pk,
        "source": "admin",
        "enrolled_at": "2020-01-01T00:00:00Z",
        "ended_at": None,
    }[field]

    r = student_client.post(LIST, {"course": course.pk, field: value})

    assert r.status_code == 400
    assert r.json() == {field: ["This field cannot be set."]}
    assert not Enrollment.objects.exists()


@pytest.mark.parametrize(("body", "field"), [({}, "course"), ({"course": 999999}, "course")])
def test_student_enroll_validation(student_client, body, field):
    r = student_client.post(LIST, body)

    assert r.status_code == 400
    assert field in r.json()
    assert not Enrollment.objects.exists()


@pytest.mark.parametrize("who", ["instructor", "other_instructor"])
def test_instructor_cannot_enroll(request, make_client, who, instructor, student):
    course = FreeCourseFactory(instructor=instructor)
    client = make_client(request.getfixturevalue(who))

    assert client.post(LIST, {"course": course.pk}).status_code == 403
    assert client.post(LIST, {"course": course.pk, "student": student.pk}).status_code == 403
    assert not Enrollment.objects.exists()


# --- An admin enrolls a student ----------------------------------------------------------------


def test_admin_grants_a_paid_course(admin_client_api, student):
    course = CourseFactory(price=Decimal("120.00"))

    r = admin_client_api.post(LIST, {"student": student.pk, "course": course.pk})

    assert r.status_code == 201, r.content
    assert r.json()["source"] == "admin"
    enrollment = Enrollment.objects.get()
    assert (enrollment.student, enrollment.course, enrollment.source) == (student, course, "admin")


def test_admin_grant_twice_is_409(admin_client_api, student):
    existing = EnrollmentFactory(student=student)

    r = admin_client_api.post(LIST, {"student": student.pk, "course": existing.course_id})

    assert r.status_code == 409
    assert Enrollment.objects.count() == 1


@pytest.mark.parametrize(
    ("who", "message"),
    [
        ("instructor", "User {pk} is not a student: their role is instructor."),
        ("admin_user", "User {pk} is not a student: their role is admin."),
        ("inactive_student", "User {pk} is deactivated."),
        ("missing", "No user with id {pk}."),
        ("absent", "This field is required."),
    ],
)
def test_admin_must_name_an_active_student(request, admin_client_api, who, message):
    course = FreeCourseFactory()
    body = {"course": course.pk}
    if who == "inactive_student":
        body["student"] = StudentFactory(is_active=False).pk
    elif who == "missing":
        body["student"] = 999999
    elif who != "absent":
        body["student"] = request.getfixturevalue(who).pk

    r = admin_client_api.post(LIST, body)

    assert r.status_code == 400
    assert r.json() == {"student": [message.format(pk=body.get("student"))]}
    assert not Enrollment.objects.exists()


def test_admin_cannot_set_the_source(admin_client_api, student):
    course = FreeCourseFactory()

    r = admin_client_api.post(LIST, {"student": student.pk, "course": course.pk, "source": "payment"})

    assert r.status_code == 400
    assert r.json() == {"source": ["This field cannot be set."]}
    assert not Enrollment.objects.exists()


# --- Who sees what -----------------------------------------------------------------------------


@pytest.fixture
def enrollments(student, other_student, instructor, other_instructor):
    mine = CourseFactory(instructor=instructor)
    theirs = CourseFactory(instructor=other_instructor)
    return {
        "student_mine": EnrollmentFactory(student=student, course=mine),
        "student_theirs": EnrollmentFactory(student=student, course=theirs),
        "other_mine": EnrollmentFactory(student=other_student, course=mine, ended_at=timezone.now()),
        "other_theirs": EnrollmentFactory(student=other_student, course=theirs),
    }


@pytest.mark.parametrize(
    ("who", "visible"),
    [
        ("student", {"student_mine", "student_theirs"}),
        ("other_student", {"other_mine", "other_theirs"}),
        ("instructor", {"student_mine", "other_mine"}),
        ("other_instructor", {"student_theirs", "other_theirs"}),
        ("admin_user", {"student_mine", "student_theirs", "other_mine", "other_theirs"}),
    ],
)
def test_list_and_detail_are_scoped(request, make_client, enrollments, who, visible):
    client = make_client(request.getfixturevalue(who))

    r = client.get(LIST)

    assert r.status_code == 200
    assert ids(r) == {enrollments[name].pk for name in visible}
    assert r.json()["count"] == len(visible)
    for name, enrollment in enrollments.items():
        expected = 200 if name in visible else 404
        assert client.get(detail(enrollment)).status_code == expected, name


def test_instructor_without_courses_sees_nothing(make_client, enrollments):
    r = make_client(InstructorFactory()).get(LIST)

    assert r.status_code == 200
    assert r.json()["count"] == 0


def test_unknown_enrollment_is_404(admin_client_api):
    assert admin_client_api.get("/api/enrollments/999999/").status_code == 404


# --- Filters and ordering ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "visible"),
    [
        ("course={mine}", {"student_mine", "other_mine"}),
        ("course={theirs}", {"student_theirs", "other_theirs"}),
        ("student={student}", {"student_mine", "student_theirs"}),
        ("student={other_student}&course={mine}", {"other_mine"}),
        ("active=true", {"student_mine", "student_theirs", "other_theirs"}),
        ("active=1", {"student_mine", "student_theirs", "other_theirs"}),
        ("active=false", {"other_mine"}),
        ("active=0", {"other_mine"}),
        ("course=999999", set()),
    ],
)
def test_admin_filters(admin_client_api, enrollments, student, other_student, query, visible):
    query = query.format(
        mine=enrollments["student_mine"].course_id,
        theirs=enrollments["student_theirs"].course_id,
        student=student.pk,
        other_student=other_student.pk,
    )

    r = admin_client_api.get(f"{LIST}?{query}")

    assert r.status_code == 200, r.content
    assert ids(r) == {enrollments[name].pk for name in visible}


def test_filters_stay_inside_the_scope(student_client, enrollments, other_student):
    theirs = enrollments["other_theirs"]

    by_student = student_client.get(f"{LIST}?student={other_student.pk}")
    by_course = student_client.get(f"{LIST}?course={theirs.course_id}")

    assert ids(by_student) == set()
    assert ids(by_course) == {enrollments["student_theirs"].pk}


def test_instructor_filters_by_course(instructor_client, enrollments):
    mine = enrollments["student_mine"].course_id
    theirs = enrollments["student_theirs"].course_id

    assert ids(instructor_client.get(f"{LIST}?course={mine}")) == {
        enrollments["student_mine"].pk,
        enrollments["other_mine"].pk,
    }
    assert ids(instructor_client.get(f"{LIST}?course={theirs}")) == set()


@pytest.mark.parametrize("query", ["course=abc", "student=abc", "course=0"])
def test_invalid_filter_is_400(admin_client_api, query):
    r = admin_client_api.get(f"{LIST}?{query}")

    assert r.status_code == 400
    assert query.split("=")[0] in r.json()


def test_ordering_by_enrollment_time(admin_client_api, student):
    base = timezone.now() - timedelta(days=1)
    rows = [
        EnrollmentFactory(student=student, enrolled_at=base + timedelta(minutes=minutes))
        for minutes in (2, 0, 1)
    ]

    newest_first = admin_client_api.get(LIST).json()["results"]
    oldest_first = admin_client_api.get(f"{LIST}?ordering=enrolled_at").json()["results"]

    assert [row["id"] for row in newest_first] == [rows[0].pk, rows[2].pk, rows[1].pk]
    assert [row["id"] for row in oldest_first] == [rows[1].pk, rows[2].pk, rows[0].pk]


@pytest.mark.parametrize("ordering", ["", "enrolled_at", "-enrolled_at"])
def test_equal_times_page_in_a_stable_order(admin_client_api, student, ordering):
    same = timezone.now()
    rows = [EnrollmentFactory(student=student, enrolled_at=same) for _ in range(4)]
    pk_order = sorted(row.pk for row in rows)
    if ordering != "enrolled_at":
        pk_order.reverse()

    seen = [
        admin_client_api.get(f"{LIST}?ordering={ordering}&page_size=1&page={page}").json()["results"][0]["id"]
        for page in range(1, 5)
    ]

    assert seen == pk_order


# --- Ending an enrollment ----------------------------------------------------------------------


def test_admin_ends_an_enrollment_and_the_row_stays(admin_client_api, student, make_client):
    enrollment = EnrollmentFactory(student=student)

    r = admin_client_api.delete(detail(enrollment))

    assert r.status_code == 204
    enrollment.refresh_from_db()
    assert enrollment.ended_at is not None
    shown = make_client(student).get(detail(enrollment)).json()
    assert shown["is_active"] is False
    assert shown["ended_at"] is not None


def test_ending_twice_is_204_and_keeps_the_first_end(admin_client_api):
    enrollment = EnrollmentFactory()
    admin_client_api.delete(detail(enrollment))
    enrollment.refresh_from_db()
    first = enrollment.ended_at

    r = admin_client_api.delete(detail(enrollment))

    assert r.status_code == 204
    enrollment.refresh_from_db()
    assert enrollment.ended_at == first
    assert Enrollment.objects.count() == 1


def test_ending_a_missing_enrollment_is_404(admin_client_api):
    assert admin_client_api.delete("/api/enrollments/999999/").status_code == 404


@pytest.mark.parametrize("who", ["student", "instructor"])
def test_non_admin_cannot_end_even_a_missing_enrollment(request, make_client, who):
    # 403 comes before the lookup, so the answer does not reveal whether the id exists.
    assert make_client(request.getfixturevalue(who)).delete("/api/enrollments/999999/").status_code == 403


@pytest.mark.parametrize("method", ["put", "patch"])
def test_enrollments_cannot_be_edited(admin_client_api, method):
    enrollment = EnrollmentFactory()

    r = getattr(admin_client_api, method)(detail(enrollment), {"source": "free"})

    assert r.status_code == 405
    enrollment.refresh_from_db()
    assert enrollment.source == Enrollment.Source.PAYMENT

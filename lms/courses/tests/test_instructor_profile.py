"""GET /api/instructors/{id}/: an instructor's public name and their courses on sale."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lms.courses.models import Course
from lms.courses.selectors import PROFILE_COURSES
from lms.courses.tests.factories import CourseFactory
from lms.enrollments.tests.factories import EnrollmentFactory
from lms.users.services import user_update
from lms.users.tests.factories import AdminFactory, InstructorFactory

pytestmark = pytest.mark.django_db


def url(user) -> str:
    return f"/api/instructors/{user.pk}/"


def test_the_profile_shows_the_name_and_the_courses_on_sale(anon_client, instructor):
    older = CourseFactory(instructor=instructor, title="Older")
    newer = CourseFactory(instructor=instructor, title="Newer")
    CourseFactory(instructor=instructor, title="Draft", status=Course.Status.DRAFT)
    CourseFactory(title="Someone else's")

    r = anon_client.get(url(instructor))

    assert r.status_code == 200
    body = r.json()
    assert (body["id"], body["name"], body["course_count"]) == (instructor.pk, instructor.username, 2)
    assert [c["id"] for c in body["courses"]] == [newer.pk, older.pk]
    # Each course as the catalog shows it.
    assert body["courses"][0] == anon_client.get(f"/api/courses/{newer.pk}/").json()


def test_the_profile_never_shows_an_email(anon_client, admin_client_api, instructor):
    CourseFactory(instructor=instructor)

    for client in (anon_client, admin_client_api):
        body = client.get(url(instructor)).json()
        assert "email" not in body
        assert instructor.email not in str(body)


def test_a_student_sees_their_own_flags_on_the_profiles_courses(student, student_client, instructor):
    mine, other = CourseFactory.create_batch(2, instructor=instructor)
    EnrollmentFactory(student=student, course=mine)

    courses = {c["id"]: c["is_enrolled"] for c in student_client.get(url(instructor)).json()["courses"]}

    assert courses == {mine.pk: True, other.pk: False}


def test_students_admins_and_strangers_are_no_instructors(anon_client, student):
    for user in (student, AdminFactory()):
        r = anon_client.get(url(user))
        assert r.status_code == 404
        assert r.json()["code"] == "not_found"
    assert anon_client.get("/api/instructors/999999/").status_code == 404


def test_a_deactivated_instructor_has_no_profile(anon_client, instructor, django_capture_on_commit_callbacks):
    CourseFactory(instructor=instructor)
    with django_capture_on_commit_callbacks(execute=True):
        user_update(user=instructor, is_active=False)

    assert anon_client.get(url(instructor)).status_code == 404


def test_an_instructor_without_a_course_on_sale_has_no_profile_yet(anon_client, instructor):
    CourseFactory(instructor=instructor, status=Course.Status.DRAFT)

    assert anon_client.get(url(instructor)).status_code == 404


def test_the_profile_lists_the_newest_courses_and_counts_them_all(anon_client, instructor):
    Course.objects.bulk_create(
        Course(title=f"Course {n}", price=10, instructor=instructor, status="published")
        for n in range(PROFILE_COURSES + 5)
    )

    body = anon_client.get(url(instructor)).json()

    assert body["course_count"] == PROFILE_COURSES + 5
    assert len(body["courses"]) == PROFILE_COURSES
    catalog = anon_client.get(f"/api/courses/?instructor={instructor.pk}&page_size=100").json()
    assert catalog["count"] == PROFILE_COURSES + 5


@pytest.mark.parametrize("client", ["anon_client", "student_client"])
def test_the_profile_costs_the_same_queries_at_1_and_many_courses(request, client):
    reader = request.getfixturevalue(client)
    few, many = InstructorFactory(), InstructorFactory()
    CourseFactory(instructor=few)
    CourseFactory.create_batch(PROFILE_COURSES + 1, instructor=many)
    reader.get(url(few))  # warm-up: the cached user

    with CaptureQueriesContext(connection) as small:
        assert reader.get(url(few)).status_code == 200
    with CaptureQueriesContext(connection) as large:
        assert len(reader.get(url(many)).json()["courses"]) == PROFILE_COURSES

    # The large one counts its courses: one query more, whatever their number.
    assert len(large.captured_queries) == len(small.captured_queries) + 1

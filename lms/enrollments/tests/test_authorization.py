"""Refused writes to the catalog and to enrollments change nothing.

The status of every endpoint x method x role is in lms/core/tests/test_authorization_surface.py;
these tests check what a refusal leaves behind. Changing someone else's course is 403 (the
catalog is public); ending an enrollment is 403 before the lookup.
"""

from dataclasses import dataclass
from decimal import Decimal

import pytest

from lms.courses.models import Course
from lms.courses.tests.factories import CourseFactory, FreeCourseFactory
from lms.enrollments.models import Enrollment
from lms.enrollments.tests.factories import EnrollmentFactory
from lms.users.models import User

pytestmark = pytest.mark.django_db


@dataclass
class World:
    users: dict[str, User | None]
    course: Course  # owned by `owner`, no history, so the owner or an admin may delete it
    free_course: Course  # nobody is enrolled: POST /api/enrollments/ targets it
    enrollment: Enrollment  # `student` in a course of `owner`


@pytest.fixture
def world(users_by_role, student, instructor) -> World:
    taught = CourseFactory(instructor=instructor, price=Decimal("120.00"))
    return World(
        users=users_by_role,
        course=CourseFactory(instructor=instructor, title="Owned", price=Decimal("10.00")),
        free_course=FreeCourseFactory(instructor=instructor),
        enrollment=EnrollmentFactory(student=student, course=taught),
    )


def course_body(world: World, role: str) -> dict:
    body = {"title": "Written", "description": "By the table", "price": "20.00"}
    if role == "admin":
        body["instructor"] = world.users["owner"].pk
    return body


def enroll_body(world: World, role: str) -> dict:
    if role == "admin":
        return {"student": world.users["other_student"].pk, "course": world.free_course.pk}
    return {"course": world.free_course.pk}


def courses(world: World) -> str:
    return "/api/courses/"


def course(world: World) -> str:
    return f"/api/courses/{world.course.pk}/"


def enrollments(world: World) -> str:
    return "/api/enrollments/"


def enrollment(world: World) -> str:
    return f"/api/enrollments/{world.enrollment.pk}/"


@pytest.mark.parametrize("role", ["anonymous", "student", "other_student", "other_instructor"])
def test_refused_writes_change_nothing(world, make_client, role):
    client = make_client(world.users[role])
    before = (world.course.title, world.course.price, world.course.instructor_id)
    courses_before = Course.objects.count()

    statuses = [
        client.put(course(world), course_body(world, role)).status_code,
        client.patch(course(world), course_body(world, role)).status_code,
        client.delete(course(world)).status_code,
        client.delete(enrollment(world)).status_code,
    ]
    if role != "other_instructor":
        statuses.append(client.post(courses(world), course_body(world, role)).status_code)

    assert set(statuses) <= {401, 403}
    world.course.refresh_from_db()
    assert (world.course.title, world.course.price, world.course.instructor_id) == before
    assert Course.objects.count() == courses_before
    world.enrollment.refresh_from_db()
    assert world.enrollment.ended_at is None


def test_instructors_enroll_nobody(world, make_client):
    for role in ("owner", "other_instructor"):
        body = {"course": world.free_course.pk, "student": world.users["other_student"].pk}
        assert make_client(world.users[role]).post(enrollments(world), body).status_code == 403

    assert not Enrollment.objects.filter(course=world.free_course).exists()

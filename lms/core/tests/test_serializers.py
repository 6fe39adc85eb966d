"""IdRelatedField: an id names exactly one object, or the request is a 400 (never a 500)."""

import pytest

from lms.courses.tests.factories import CourseFactory, FreeCourseFactory
from lms.enrollments.models import Enrollment
from lms.payments.models import Payment

pytestmark = pytest.mark.django_db


def post_raw(client, path: str, raw: bytes):
    return client.generic("POST", path, raw, content_type="application/json")


@pytest.mark.parametrize(
    "sent",
    [
        pytest.param(b"{pk}.9", id="a-float"),  # DRF read it as the id before the point
        pytest.param(b"{pk}.0", id="a-whole-float"),
        pytest.param(b'"\\uff11"', id="a-full-width-digit"),  # DRF read it as 1 (int() reads any digits)
        pytest.param(b"1e999", id="infinity"),  # DRF's queryset.get(pk=inf): OverflowError, a 500
        pytest.param(b"true", id="a-boolean"),
        pytest.param(b'"{pk} "', id="digits-and-a-space"),
        pytest.param(b"[{pk}]", id="a-list"),
    ],
)
@pytest.mark.parametrize("path", ["/api/enrollments/", "/api/payments/"])
def test_a_course_id_that_is_not_an_integer_is_400(student_client, path, sent):
    # Free to enroll in, paid to pay for: with the id read as 1, each request would succeed.
    course = (FreeCourseFactory if path == "/api/enrollments/" else CourseFactory)(pk=1)
    raw = b'{"course": ' + sent.replace(b"{pk}", str(course.pk).encode()) + b"}"

    response = post_raw(student_client, path, raw)

    assert response.status_code == 400, response.content
    assert "course" in response.json()
    assert not Enrollment.objects.exists()
    assert not Payment.objects.exists()


@pytest.mark.parametrize("sent", [b"{pk}", b'"{pk}"'])
def test_an_integer_or_its_digits_name_the_course(student_client, sent):
    course = FreeCourseFactory()
    raw = b'{"course": ' + sent.replace(b"{pk}", str(course.pk).encode()) + b"}"

    response = post_raw(student_client, "/api/enrollments/", raw)

    assert response.status_code == 201, response.content
    assert Enrollment.objects.get().course == course


def test_an_admins_grant_refuses_a_student_id_that_is_not_an_integer(admin_client_api, student):
    course = FreeCourseFactory()

    response = post_raw(
        admin_client_api, "/api/enrollments/", b'{"student": 1e999, "course": %d}' % course.pk
    )

    assert response.status_code == 400, response.content
    assert "student" in response.json()

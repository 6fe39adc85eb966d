"""The API description's workflow, steps 2, 3, 6 and 7.

Step 6 (a verified payment enrolls the student) goes through `enrollment_create`, the call the
payments webhook makes; payments are not part of this app.
"""

import pytest

from lms.courses.models import Course
from lms.enrollments.models import Enrollment
from lms.enrollments.services import AlreadyEnrolled, enrollment_create

pytestmark = pytest.mark.django_db


def test_instructor_publishes_student_finds_pays_and_is_enrolled(
    instructor,
    instructor_client,
    student,
    student_client,
    other_student,
    make_client,
    django_capture_on_commit_callbacks,
):
    # 2. The instructor publishes a paid course.
    r = instructor_client.post(
        "/api/courses/", {"title": "Django for APIs", "description": "DRF in depth", "price": "120.00"}
    )
    assert r.status_code == 201, r.content
    course_id = r.json()["id"]
    assert r.json()["instructor"] == instructor.pk
    assert r.json()["status"] == "draft"  # off sale until it has content and is published
    section = instructor_client.post(f"/api/courses/{course_id}/sections/", {"title": "Start"}).json()
    instructor_client.post(f"/api/sections/{section['id']}/lessons/", {"title": "Hello"})
    r = instructor_client.post(f"/api/courses/{course_id}/publish/")
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "published"

    # 3. A student browses the catalog and finds it.
    r = student_client.get("/api/courses/?search=django&is_free=false")
    assert r.status_code == 200
    found = [row for row in r.json()["results"] if row["id"] == course_id]
    assert found == [
        {
            "id": course_id,
            "title": "Django for APIs",
            "description": "DRF in depth",
            "price": "120.00",
            "instructor": instructor.pk,
            "instructor_name": instructor.username,
            "status": "published",
            "created_at": found[0]["created_at"],
            "updated_at": found[0]["updated_at"],
            "rating_avg": None,
            "rating_count": 0,
            "is_enrolled": False,
            "payment_status": None,
        }
    ]
    # Not yet paid: enrolling directly is refused and points to payments.
    r = student_client.post("/api/enrollments/", {"course": course_id})
    assert r.status_code == 402
    assert "/api/payments/" in r.json()["detail"]
    assert student_client.get("/api/enrollments/").json()["count"] == 0

    # 6. The payment succeeds; the webhook enrolls the student.
    with django_capture_on_commit_callbacks(execute=True):  # as when the webhook's transaction commits
        enrollment = enrollment_create(
            student=student, course=Course.objects.get(pk=course_id), source=Enrollment.Source.PAYMENT
        )

    # 7. The student sees the enrollment; so does the instructor; another student does not.
    r = student_client.get("/api/enrollments/")
    assert r.status_code == 200
    assert r.json()["count"] == 1
    row = r.json()["results"][0]
    assert (row["id"], row["student"], row["course"]) == (enrollment.pk, student.pk, course_id)
    assert (row["course_title"], row["source"], row["is_active"]) == ("Django for APIs", "payment", True)
    assert row["enrolled_at"]

    assert [e["id"] for e in instructor_client.get("/api/enrollments/").json()["results"]] == [enrollment.pk]
    # The catalog and "my courses" know it too.
    assert student_client.get(f"/api/courses/{course_id}/").json()["is_enrolled"] is True
    mine = student_client.get("/api/users/me/courses/").json()["results"]
    assert [(c["enrollment"], c["course"]["title"]) for c in mine] == [(enrollment.pk, "Django for APIs")]
    assert make_client(other_student).get("/api/enrollments/").json()["count"] == 0

    # A replayed webhook does not enroll the student twice.
    with pytest.raises(AlreadyEnrolled):
        enrollment_create(
            student=student, course=Course.objects.get(pk=course_id), source=Enrollment.Source.PAYMENT
        )
    assert Enrollment.objects.filter(student=student, course_id=course_id).count() == 1

"""A course goes on sale when it is published, and only then can it be bought or joined."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from lms.courses.models import Course
from lms.courses.tests.factories import CourseFactory, FreeCourseFactory
from lms.enrollments.models import Enrollment
from lms.enrollments.services import enrollment_create
from lms.users.services import user_update

pytestmark = pytest.mark.django_db


def test_a_new_course_starts_as_a_draft(instructor_client):
    r = instructor_client.post("/api/courses/", {"title": "New", "price": "0"})

    assert r.json()["status"] == "draft"


def test_a_course_without_lessons_cannot_be_published(instructor_client, instructor):
    course = CourseFactory(instructor=instructor, status=Course.Status.DRAFT)

    r = instructor_client.post(f"/api/courses/{course.pk}/publish/")

    assert r.status_code == 400
    assert r.json() == {
        "status": [
            "A course needs at least one lesson before it can be published: add a section and a lesson."
        ]
    }
    course.refresh_from_db()
    assert course.status == "draft"


def test_publish_and_unpublish(instructor_client, instructor, build):
    course = CourseFactory(instructor=instructor, status=Course.Status.DRAFT)
    build(course, [1])

    published = instructor_client.post(f"/api/courses/{course.pk}/publish/")
    again = instructor_client.post(f"/api/courses/{course.pk}/publish/")
    unpublished = instructor_client.post(f"/api/courses/{course.pk}/unpublish/")

    assert [r.json()["status"] for r in (published, again, unpublished)] == [
        "published",
        "published",
        "draft",
    ]


def test_a_drafts_outline_and_lessons_are_404_to_those_who_cannot_see_it(
    anon_client, student_client, instructor_client, admin_client_api, instructor, build
):
    course = CourseFactory(instructor=instructor, status=Course.Status.DRAFT)
    ((lesson,),) = build(course, [1], is_preview=True)
    paths = [f"/api/courses/{course.pk}/curriculum/", f"/api/lessons/{lesson.pk}/"]

    for client in (anon_client, student_client):
        assert [client.get(path).status_code for path in paths] == [404, 404]
    for client in (instructor_client, admin_client_api):
        assert [client.get(path).status_code for path in paths] == [200, 200]


@pytest.mark.parametrize("closed", ["draft", "deactivated_instructor"])
def test_only_a_course_on_sale_can_be_paid_for_or_joined(
    closed, student_client, admin_client_api, student, instructor
):
    paid = CourseFactory(instructor=instructor)
    free = FreeCourseFactory(instructor=instructor)
    if closed == "draft":
        Course.objects.filter(pk__in=[paid.pk, free.pk]).update(status=Course.Status.DRAFT)
    else:
        user_update(user=instructor, is_active=False)

    responses = [
        student_client.post("/api/payments/", {"course": paid.pk}),
        student_client.post("/api/enrollments/", {"course": free.pk}),
        admin_client_api.post("/api/enrollments/", {"course": free.pk, "student": student.pk}),
    ]

    for r in responses:
        assert r.status_code == 400, r.content
        assert r.json() == {"course": ["This course is not open for enrollment."]}
    assert not Enrollment.objects.exists()


def test_students_already_enrolled_keep_access_when_a_course_closes(
    student_client, student, instructor, build
):
    course = CourseFactory(instructor=instructor)
    ((lesson,),) = build(course, [1])
    enrollment_create(student=student, course=course, source=Enrollment.Source.PAYMENT)
    Course.objects.filter(pk=course.pk).update(status=Course.Status.DRAFT)
    user_update(user=instructor, is_active=False)

    assert student_client.get(f"/api/courses/{course.pk}/curriculum/").status_code == 200
    assert student_client.get(f"/api/lessons/{lesson.pk}/").status_code == 200


@pytest.mark.django_db(transaction=True)
def test_the_migration_publishes_the_courses_that_existed_before_it(instructor):
    executor = MigrationExecutor(connection)
    before, after = [("courses", "0003_curriculum")], [("courses", "0004_status")]
    executor.migrate(before)
    old_apps = executor.loader.project_state(before).apps
    OldCourse = old_apps.get_model("courses", "Course")
    old = OldCourse.objects.create(title="On sale already", price=10, instructor_id=instructor.pk)

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(after)
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    assert Course.objects.get(pk=old.pk).status == "published"
    assert CourseFactory.build().status == "published"  # the factory's choice, not the model's
    assert Course(title="x", price=0, instructor=instructor).status == "draft"


def test_the_catalog_shows_students_and_visitors_only_courses_on_sale(
    student_client, instructor_client, admin_client_api, instructor, other_instructor
):
    on_sale = CourseFactory(instructor=instructor, title="On sale")
    draft = CourseFactory(instructor=instructor, title="Draft", status=Course.Status.DRAFT)
    others_draft = CourseFactory(instructor=other_instructor, title="Other draft", status=Course.Status.DRAFT)

    def titles(client) -> set[str]:
        return {row["title"] for row in client.get("/api/courses/").json()["results"]}

    assert titles(student_client) == {"On sale"}
    assert titles(instructor_client) == {"On sale", "Draft"}
    assert titles(admin_client_api) == {"On sale", "Draft", "Other draft"}
    assert student_client.get(f"/api/courses/{draft.pk}/").status_code == 404
    assert instructor_client.get(f"/api/courses/{others_draft.pk}/").status_code == 404
    assert student_client.get(f"/api/courses/{on_sale.pk}/").status_code == 200


@pytest.mark.parametrize(
    "change",
    [{"is_active": False}, {"is_active": False, "role": "student"}],
    ids=["deactivated", "and demoted"],
)
def test_a_deactivated_instructors_courses_leave_the_catalog_at_once(
    student_client, instructor, django_capture_on_commit_callbacks, change
):
    course = CourseFactory(instructor=instructor)
    assert student_client.get("/api/courses/").json()["count"] == 1  # now cached for students

    with django_capture_on_commit_callbacks(execute=True):
        user_update(user=instructor, **change)

    assert student_client.get("/api/courses/").json()["count"] == 0
    assert student_client.get(f"/api/courses/{course.pk}/").status_code == 404

"""The outline and lesson cache (cache.py): cheap for visitors and students, never stale after a
change, and access is still decided on every request."""

import pytest
from django.core.cache import cache as django_cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lms.courses import services as course_services
from lms.enrollments.services import enrollment_end
from lms.learning import cache, selectors, services
from lms.users.services import user_update

pytestmark = pytest.mark.django_db(transaction=True)  # on_commit must run, as in production


def outline(client, course) -> dict:
    response = client.get(f"/api/courses/{course.pk}/curriculum/")
    assert response.status_code == 200, response.content
    return response.json()


def sql_of(client, path: str) -> tuple[list[str], object]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    # Without Redis the user is read each time: that query is the authentication's, not this cache's.
    sql = [q["sql"].replace('"', "`") for q in queries.captured_queries]
    return [q for q in sql if "FROM `users_user`" not in q], response


@pytest.fixture
def lessons(course, build):
    (first, second), (third,) = build(course, [2, 1])
    return first, second, third


def test_a_repeated_anonymous_curriculum_read_costs_no_query(anon_client, course, lessons):
    first = outline(anon_client, course)

    queries, response = sql_of(anon_client, f"/api/courses/{course.pk}/curriculum/")

    assert queries == []
    assert response.json() == first


def test_a_repeated_lesson_read_costs_only_the_enrollment_lookup(student_client, course, lessons, enrollment):
    path = f"/api/lessons/{lessons[1].pk}/"
    first = student_client.get(path).json()

    queries, response = sql_of(student_client, path)

    (lookup,) = queries
    assert "enrollments_enrollment" in lookup
    assert response.json() == first
    assert first["body_html"] == lessons[1].body_html


WRITES = {
    "section added": lambda i, course, lessons: services.section_create(actor=i, course=course, title="New"),
    "section renamed": lambda i, course, lessons: services.section_update(
        actor=i, section=lessons[0].section, title="Renamed"
    ),
    "section deleted": lambda i, course, lessons: services.section_delete(
        actor=i, section=lessons[2].section
    ),
    "lesson added": lambda i, course, lessons: services.lesson_create(
        actor=i, section=lessons[0].section, title="Added"
    ),
    "lesson edited": lambda i, course, lessons: services.lesson_update(
        actor=i, lesson=lessons[0], title="Edited", is_preview=True
    ),
    "lesson deleted": lambda i, course, lessons: services.lesson_delete(actor=i, lesson=lessons[1]),
    "reordered": lambda i, course, lessons: services.curriculum_reorder(
        actor=i,
        course=course,
        sections=[
            {"id": lessons[2].section_id, "lessons": [lessons[2].pk, lessons[0].pk]},
            {"id": lessons[0].section_id, "lessons": [lessons[1].pk]},
        ],
    ),
}


@pytest.mark.parametrize("write", WRITES.values(), ids=WRITES.keys())
def test_every_curriculum_change_is_seen_at_once(
    write, anon_client, student_client, instructor_client, instructor, course, lessons, enrollment
):
    before = outline(anon_client, course)
    assert outline(student_client, course)["sections"]  # both readers have cached it

    write(instructor, course, lessons)

    fresh = outline(instructor_client, course)  # instructors always read the database
    assert fresh != before
    assert outline(anon_client, course) == fresh
    assert outline(student_client, course)["sections"][0]["id"] == fresh["sections"][0]["id"]


def test_an_edited_lesson_and_a_new_file_are_seen_at_once(
    student_client, instructor, course, lessons, enrollment
):
    path = f"/api/lessons/{lessons[0].pk}/"
    assert student_client.get(path).json()["file_url"] is None

    services.lesson_update(actor=instructor, lesson=lessons[0], body="**Revised**")
    services.lesson_attach_file(
        actor=instructor, lesson=lessons[0], file=SimpleUploadedFile("notes.txt", b"Read me.\n")
    )

    body = student_client.get(path).json()
    assert body["body_html"] == "<p><strong>Revised</strong></p>"
    assert body["file_url"].endswith(f"/api/lessons/{lessons[0].pk}/file/")


def test_the_file_url_is_keyed_by_host(anon_client, instructor, course, lessons, settings):
    settings.ALLOWED_HOSTS = ["one.example", "two.example"]
    services.lesson_update(actor=instructor, lesson=lessons[0], is_preview=True)
    services.lesson_attach_file(actor=instructor, lesson=lessons[0], file=SimpleUploadedFile("a.txt", b"a"))
    path = f"/api/lessons/{lessons[0].pk}/"

    one = anon_client.get(path, HTTP_HOST="one.example").json()
    two = anon_client.get(path, HTTP_HOST="two.example").json()

    assert one["file_url"].startswith("http://one.example/")
    assert two["file_url"].startswith("http://two.example/")


def test_an_unpublished_course_leaves_at_once(anon_client, instructor, course, lessons):
    services.lesson_update(actor=instructor, lesson=lessons[0], is_preview=True)
    preview = f"/api/lessons/{lessons[0].pk}/"
    assert anon_client.get(preview).status_code == 200
    outline(anon_client, course)

    course_services.course_unpublish(course=course, actor=instructor)

    assert anon_client.get(f"/api/courses/{course.pk}/curriculum/").status_code == 404
    assert anon_client.get(preview).status_code == 404


def test_a_deactivated_instructors_previews_close_but_enrolled_students_keep_access(
    anon_client, student_client, admin_user, instructor, course, lessons, enrollment
):
    services.lesson_update(actor=instructor, lesson=lessons[0], is_preview=True)
    preview = f"/api/lessons/{lessons[0].pk}/"
    assert anon_client.get(preview).status_code == 200
    assert student_client.get(preview).status_code == 200

    user_update(user=instructor, actor=admin_user, is_active=False)

    assert anon_client.get(preview).status_code == 404
    assert student_client.get(preview).status_code == 200
    assert outline(student_client, course)["course"] == course.pk


def test_an_ended_enrollment_loses_a_cached_lesson_at_once(student_client, course, lessons, enrollment):
    path = f"/api/lessons/{lessons[1].pk}/"
    assert student_client.get(path).status_code == 200

    enrollment_end(enrollment=enrollment)

    refused = student_client.get(path)
    assert refused.status_code == 403
    assert refused.json()["code"] == "enrollment_required"


def test_rows_read_while_a_change_commits_are_not_served_after_it(instructor, course, lessons):
    def racing_read():
        rows = selectors.curriculum_outline(course_id=course.pk)  # read before the change...
        services.section_update(actor=instructor, section=lessons[0].section, title="Renamed")  # ...commits
        return rows

    stale = cache.cached_outline(course.pk, racing_read)
    served = cache.cached_outline(course.pk, lambda: selectors.curriculum_outline(course_id=course.pk))

    assert stale["sections"][0]["title"] == "Section 1"
    assert served["sections"][0]["title"] == "Renamed"


def test_an_unknown_course_or_lesson_leaves_nothing_in_the_cache(anon_client):
    assert anon_client.get("/api/courses/987654321/curriculum/").status_code == 404
    assert anon_client.get("/api/lessons/987654321/").status_code == 404

    assert django_cache.get("curriculum:987654321:token") is None
    assert django_cache.get("curriculum:987654321:outline") is None

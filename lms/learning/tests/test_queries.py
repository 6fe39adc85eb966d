"""Curricula and progress cost the same queries however long the course."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lms.core.tests.queries import assert_no_n_plus_one, queries_of
from lms.courses.tests.factories import CourseFactory
from lms.enrollments.tests.factories import EnrollmentFactory
from lms.learning import cache, services

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ["anonymous", "student", "instructor"])
def test_the_curriculum_costs_the_same_queries_at_1_and_50_sections(
    role, anon_client, student_client, instructor_client, instructor, student, course, build, enrollment
):
    client = {"anonymous": anon_client, "student": student_client, "instructor": instructor_client}[role]
    small, large = course, CourseFactory(instructor=instructor)
    EnrollmentFactory(student=student, course=large)
    build(small, [1])
    long = build(large, [4] * 50)
    services.lesson_complete(student=student, lesson=long[0][0])
    queries_of(client, f"/api/courses/{small.pk}/curriculum/")  # warm-up: the cached user
    cache.curriculum_changed(small.pk)

    # Built from the database (nothing cached), then, for visitors and students, from the cache.
    few, _ = queries_of(client, f"/api/courses/{small.pk}/curriculum/")
    many, body = queries_of(client, f"/api/courses/{large.pk}/curriculum/")
    few_cached, _ = queries_of(client, f"/api/courses/{small.pk}/curriculum/")
    many_cached, cached_body = queries_of(client, f"/api/courses/{large.pk}/curriculum/")

    assert len(body["sections"]) == 50
    assert sum(len(section["lessons"]) for section in body["sections"]) == 200
    assert cached_body == body
    assert len(few) == len(many), "\n".join(many)
    assert len(few_cached) == len(many_cached), "\n".join(many_cached)

    # Visitors and students read the outline from the cache (a student's completions are read
    # every time); instructors read the database.
    def outline_reads(queries: list[str]) -> list[str]:
        return [sql for sql in queries if re.search(r'FROM ["`]courses_', sql)]

    assert len(outline_reads(many)) == 3
    assert len(outline_reads(many_cached)) == (3 if role == "instructor" else 0), "\n".join(many_cached)
    assert any("lessoncompletion" in sql for sql in many_cached) == (role == "student")


def test_progress_costs_the_same_queries_at_1_and_200_completions(
    student_client, student, instructor, course, build, enrollment
):
    (short,) = build(course, [1])
    services.lesson_complete(student=student, lesson=short[0])
    other = CourseFactory(instructor=instructor)
    other_enrollment = EnrollmentFactory(student=student, course=other)
    for section in build(other, [20] * 10):
        for lesson in section:
            services.lesson_complete(student=student, lesson=lesson)
    queries_of(student_client, f"/api/enrollments/{enrollment.pk}/progress/")

    few, _ = queries_of(student_client, f"/api/enrollments/{enrollment.pk}/progress/")
    many, body = queries_of(student_client, f"/api/enrollments/{other_enrollment.pk}/progress/")

    assert body["percent"] == 100
    assert len(few) == len(many), "\n".join(many)


def test_the_enrollment_list_shows_progress_at_constant_queries(student_client, student, instructor, build):
    courses = [CourseFactory(instructor=instructor) for _ in range(100)]
    for course in courses:
        EnrollmentFactory(student=student, course=course)
    (lessons,) = build(courses[0], [4])
    services.lesson_complete(student=student, lesson=lessons[0])

    page = assert_no_n_plus_one(student_client, "/api/enrollments/?ordering=enrolled_at")

    first = next(row for row in page["results"] if row["course"] == courses[0].pk)
    assert (first["percent"], first["completed_at"]) == (25, None)


def test_a_repeated_completion_reads_one_row_and_locks_and_writes_nothing(
    student_client, student, course, build, enrollment
):
    ((lesson, _),) = build(course, [2])
    path = f"/api/lessons/{lesson.pk}/complete/"
    assert student_client.post(path).status_code == 200

    with CaptureQueriesContext(connection) as captured:
        response = student_client.post(path)

    assert response.status_code == 200
    sql = [query["sql"].upper() for query in captured.captured_queries]
    assert not [
        q for q in sql if q.startswith(("INSERT", "UPDATE", "DELETE", "SAVEPOINT")) or "FOR UPDATE" in q
    ], sql
    assert len([q for q in sql if "LESSONCOMPLETION" in q]) == 1, sql

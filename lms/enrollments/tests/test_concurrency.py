"""Enrollments requested at the same moment, from threads with their own database connections.

On every database, SQLite's file included: the unique (student, course) constraint keeps one
enrollment, and no request fails with a 5xx.
"""

from collections import Counter

import pytest

from conftest import client_for
from lms.courses.tests.factories import FreeCourseFactory
from lms.enrollments.models import Enrollment
from lms.payments.tests.test_concurrency import in_threads
from lms.users.tests.factories import StudentFactory

pytestmark = pytest.mark.django_db(transaction=True)

N = 8
LIST = "/api/enrollments/"


def test_a_student_enrolling_many_times_at_once_is_enrolled_once(student):
    course = FreeCourseFactory()

    responses = in_threads(N, lambda i: client_for(student).post(LIST, {"course": course.pk}))

    assert sorted(r.status_code for r in responses) == [201] + [409] * (N - 1)
    assert Counter(r.json().get("code") for r in responses if r.status_code == 409) == {
        "already_enrolled": N - 1
    }
    [enrollment] = Enrollment.objects.filter(student=student, course=course)
    assert enrollment.is_active
    assert {r.json()["id"] for r in responses if r.status_code == 201} == {enrollment.pk}


def test_many_students_enrolling_at_once_are_each_enrolled_once():
    course = FreeCourseFactory()
    students = StudentFactory.create_batch(N)

    responses = in_threads(N, lambda i: client_for(students[i]).post(LIST, {"course": course.pk}))

    assert [r.status_code for r in responses] == [201] * N
    assert sorted(Enrollment.objects.filter(course=course).values_list("student_id", flat=True)) == sorted(
        student.pk for student in students
    )

"""Reviews written at the same moment: one per student, and an exact aggregate."""

from decimal import Decimal

import pytest

from conftest import client_for
from lms.courses.models import Course
from lms.enrollments.tests.factories import EnrollmentFactory
from lms.payments.tests.test_concurrency import in_threads
from lms.reviews.models import Review
from lms.users.tests.factories import StudentFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_creates_by_the_same_student_give_one_201_and_one_409(student, course, enrollment):
    def create(i: int) -> int:
        return client_for(student).post(f"/api/courses/{course.pk}/reviews/", {"rating": 4}).status_code

    statuses = in_threads(2, create)

    assert sorted(statuses) == [201, 409]
    assert Review.objects.filter(student=student, course=course).count() == 1
    course.refresh_from_db()
    assert (course.rating_count, course.rating_sum, course.rating_avg) == (1, 4, Decimal("4.0"))


def test_reviews_of_different_students_at_once_keep_count_and_sum_exact(course):
    students = StudentFactory.create_batch(6)
    for s in students:
        EnrollmentFactory(student=s, course=course)
    ratings = [5, 4, 3, 5, 1, 2]

    def create(i: int) -> int:
        url = f"/api/courses/{course.pk}/reviews/"
        return client_for(students[i]).post(url, {"rating": ratings[i]}).status_code

    statuses = in_threads(len(students), create)

    assert statuses == [201] * len(students)
    course = Course.objects.get(pk=course.pk)
    assert (course.rating_count, course.rating_sum, course.rating_avg) == (6, 20, Decimal("3.3"))


def test_a_review_retires_the_cached_catalog(student, course, enrollment, anon_client):
    assert anon_client.get(f"/api/courses/{course.pk}/").json()["rating_count"] == 0  # cached now

    r = client_for(student).post(f"/api/courses/{course.pk}/reviews/", {"rating": 5})

    assert r.status_code == 201
    assert anon_client.get(f"/api/courses/{course.pk}/").json()["rating_count"] == 1

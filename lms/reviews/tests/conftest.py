import pytest
from django.utils import timezone

from conftest import client_for
from lms.courses.tests.factories import CourseFactory
from lms.enrollments.tests.factories import EnrollmentFactory
from lms.reviews.services import review_create
from lms.users.tests.factories import StudentFactory


@pytest.fixture
def course(instructor):
    return CourseFactory(instructor=instructor)


@pytest.fixture
def enrollment(student, course):
    return EnrollmentFactory(student=student, course=course)


@pytest.fixture
def ended_student(course):
    """A student whose enrollment in `course` ended (a refund, or an admin ending it)."""
    student = StudentFactory()
    EnrollmentFactory(student=student, course=course, ended_at=timezone.now())
    return student


@pytest.fixture
def review_by():
    """review_by(course, rating=4, student=None): a new enrolled student's (or `student`'s) review."""

    def _review(course, rating=4, student=None, text=""):
        student = student or StudentFactory()
        EnrollmentFactory(student=student, course=course)
        return review_create(student=student, course=course, rating=rating, text=text)

    return _review


@pytest.fixture
def clients(student, other_student, ended_student, instructor, other_instructor, admin_user, enrollment):
    """One API client per role of the matrix (`student` is enrolled in `course`)."""
    return {
        "anonymous": client_for(None),
        "stranger": client_for(other_student),
        "enrolled": client_for(student),
        "ended": client_for(ended_student),
        "owner": client_for(instructor),
        "other_instructor": client_for(other_instructor),
        "admin": client_for(admin_user),
    }

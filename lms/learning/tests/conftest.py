import pytest

from lms.courses.tests.factories import CourseFactory
from lms.enrollments.tests.factories import EnrollmentFactory
from lms.learning.services import lesson_create, section_create


@pytest.fixture
def course(instructor):
    return CourseFactory(instructor=instructor)


@pytest.fixture
def build(instructor):
    """build(course, [n lessons per section, ...]) -> the sections' lessons, in order."""

    def _build(course, shape, **lesson_fields):
        sections = []
        for index, count in enumerate(shape):
            section = section_create(actor=instructor, course=course, title=f"Section {index + 1}")
            lessons = [
                lesson_create(
                    actor=instructor, section=section, title=f"Lesson {index + 1}.{n + 1}", **lesson_fields
                )
                for n in range(count)
            ]
            sections.append(lessons)
        return sections

    return _build


@pytest.fixture
def enrollment(student, course):
    return EnrollmentFactory(student=student, course=course)

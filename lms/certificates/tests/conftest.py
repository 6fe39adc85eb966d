import pytest

from lms.courses.tests.factories import CourseFactory
from lms.enrollments.tests.factories import EnrollmentFactory
from lms.learning.services import lesson_complete, lesson_create, section_create


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def course(instructor):
    course = CourseFactory(instructor=instructor, title="Éléments de Python — les bases")
    section = section_create(actor=instructor, course=course, title="One")
    for title in ("First", "Second"):
        lesson_create(actor=instructor, section=section, title=title)
    return course


@pytest.fixture
def enrollment(student, course):
    student.first_name, student.last_name = "Zoë", "Ångström-Müller"
    student.save(update_fields=["first_name", "last_name"])
    return EnrollmentFactory(student=student, course=course)


@pytest.fixture
def complete(django_capture_on_commit_callbacks):
    """complete(enrollment): its student completes every lesson, and the after-commit work runs."""

    def _complete(enrollment):
        lessons = enrollment.course.sections.get().lessons.order_by("position")
        with django_capture_on_commit_callbacks(execute=True):
            for lesson in lessons:
                lesson_complete(student=enrollment.student, lesson=lesson)
        enrollment.refresh_from_db()
        return enrollment.certificate

    return _complete

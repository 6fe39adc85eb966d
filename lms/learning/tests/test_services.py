"""The curriculum's rules and the progress rules, at the service layer."""

import time

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from lms.audit.models import AuditRecord
from lms.core.exceptions import Forbidden, NotFound
from lms.courses.models import Course, Lesson, Section
from lms.courses.tests.factories import CourseFactory
from lms.enrollments.models import LessonCompletion
from lms.enrollments.services import enrollment_end
from lms.learning import services
from lms.learning.selectors import enrollment_progress

pytestmark = pytest.mark.django_db


def outline(course) -> list[list[int]]:
    return [
        list(section.lessons.order_by("position", "id").values_list("id", flat=True))
        for section in Section.objects.filter(course=course).order_by("position", "id")
    ]


# --- Building ----------------------------------------------------------------------------------


def test_sections_and_lessons_are_appended_in_order(course, build):
    (first, second) = build(course, [3, 1])

    assert [lesson.position for lesson in first] == [0, 1, 2]
    assert list(Section.objects.filter(course=course).values_list("position", flat=True)) == [0, 1]
    assert outline(course) == [[lesson.pk for lesson in first], [second[0].pk]]


def test_only_the_owner_or_an_admin_builds_a_curriculum(course, other_instructor, admin_user, student):
    for intruder in (other_instructor, student):
        with pytest.raises(Forbidden):
            services.section_create(actor=intruder, course=course, title="Mine now")
    assert services.section_create(actor=admin_user, course=course, title="Admin's").position == 0
    assert Section.objects.filter(course=course).count() == 1


@pytest.mark.parametrize(
    "url",
    [
        "http://www.youtube.com/watch?v=x",
        "https://evil.example/video",
        "javascript:alert(1)",
        "https://youtube.com.evil.example/x",
        "https://evil.example\\@www.youtube.com/watch?v=x",  # a browser goes to evil.example
        "https://evil.example@www.youtube.com/watch?v=x",
        "https://www.youtube.com\\evil.example/x",
        "HTTPS://www.youtube.com/watch?v=x",  # the database's constraint wants https:// as written
    ],
)
def test_a_video_url_must_be_https_on_an_allowed_host(course, build, instructor, url):
    ((lesson,),) = build(course, [1])

    with pytest.raises(ValidationError) as error:
        services.lesson_update(actor=instructor, lesson=lesson, kind=Lesson.Kind.VIDEO, video_url=url)

    assert "video_url" in error.value.message_dict
    lesson.refresh_from_db()
    assert lesson.video_url == ""


def test_the_video_host_list_is_configurable(course, build, instructor, settings):
    ((lesson,),) = build(course, [1])
    settings.LMS_VIDEO_HOSTS = ["videos.example.org"]

    services.lesson_update(
        actor=instructor, lesson=lesson, kind="video", video_url="https://videos.example.org/1"
    )
    with pytest.raises(ValidationError):
        services.lesson_update(actor=instructor, lesson=lesson, video_url="https://www.youtube.com/watch?v=x")


def test_a_video_lesson_needs_a_video_url(course, build, instructor):
    ((lesson,),) = build(course, [1])

    with pytest.raises(ValidationError) as error:
        services.lesson_update(actor=instructor, lesson=lesson, kind=Lesson.Kind.VIDEO)

    assert "video_url" in error.value.message_dict


def test_the_body_is_kept_as_written_and_rendered_safely(course, build, instructor):
    ((lesson,),) = build(course, [1])

    lesson = services.lesson_update(actor=instructor, lesson=lesson, body="**hi** <script>x()</script>")

    assert lesson.body == "**hi** <script>x()</script>"
    assert "<strong>hi</strong>" in lesson.body_html
    assert "<script" not in lesson.body_html


def test_replacing_a_lesson_file_removes_the_old_one(
    course, build, instructor, django_capture_on_commit_callbacks
):
    ((lesson,),) = build(course, [1])
    with django_capture_on_commit_callbacks(execute=True):
        first = services.lesson_attach_file(
            actor=instructor, lesson=lesson, file=SimpleUploadedFile("a.txt", b"a")
        )
    old = first.file.name
    with django_capture_on_commit_callbacks(execute=True):
        second = services.lesson_attach_file(
            actor=instructor, lesson=lesson, file=SimpleUploadedFile("b.txt", b"b")
        )

    assert not second.file.storage.exists(old)
    assert second.file.storage.exists(second.file.name)


def test_deleting_a_section_removes_its_lessons_files(
    course, build, instructor, django_capture_on_commit_callbacks
):
    ((first, second), (other,)) = build(course, [2, 1])
    with django_capture_on_commit_callbacks(execute=True):
        gone = [
            services.lesson_attach_file(
                actor=instructor, lesson=lesson, file=SimpleUploadedFile("a.txt", b"a")
            )
            for lesson in (first, second)
        ]
        kept = services.lesson_attach_file(
            actor=instructor, lesson=other, file=SimpleUploadedFile("k.txt", b"k")
        )

    with django_capture_on_commit_callbacks(execute=True):
        services.section_delete(actor=instructor, section=first.section)

    storage = kept.file.storage
    assert [storage.exists(lesson.file.name) for lesson in gone] == [False, False]
    assert storage.exists(kept.file.name)  # another section's file stays


# --- Reordering --------------------------------------------------------------------------------


def test_a_reorder_moves_sections_and_lessons_between_sections(course, build, instructor):
    (a, b) = build(course, [2, 1])
    sections = list(Section.objects.filter(course=course).order_by("position"))
    new = [
        {"id": sections[1].pk, "lessons": [a[1].pk, b[0].pk]},
        {"id": sections[0].pk, "lessons": [a[0].pk]},
    ]

    services.curriculum_reorder(actor=instructor, course=course, sections=new)

    assert outline(course) == [[a[1].pk, b[0].pk], [a[0].pk]]


@pytest.mark.parametrize("mistake", ["missing", "repeated", "foreign", "foreign_section", "missing_section"])
def test_a_wrong_reorder_is_refused_and_changes_nothing(course, build, instructor, mistake):
    (a, b) = build(course, [2, 1])
    (other,) = build(CourseFactory(instructor=instructor), [1])
    sections = list(Section.objects.filter(course=course).order_by("position"))
    lessons_a, lessons_b = [a[1].pk, a[0].pk], [b[0].pk]
    entries = {
        "missing": [{"id": sections[0].pk, "lessons": lessons_a}, {"id": sections[1].pk, "lessons": []}],
        "repeated": [
            {"id": sections[0].pk, "lessons": [*lessons_a, b[0].pk]},
            {"id": sections[1].pk, "lessons": lessons_b},
        ],
        "foreign": [
            {"id": sections[0].pk, "lessons": [*lessons_a, other[0].pk]},
            {"id": sections[1].pk, "lessons": lessons_b},
        ],
        "foreign_section": [
            {"id": sections[0].pk, "lessons": lessons_a},
            {"id": sections[1].pk, "lessons": lessons_b},
            {"id": other[0].section_id, "lessons": []},
        ],
        "missing_section": [{"id": sections[0].pk, "lessons": [*lessons_a, *lessons_b]}],
    }[mistake]
    before = outline(course)

    with pytest.raises(ValidationError):
        services.curriculum_reorder(actor=instructor, course=course, sections=entries)

    assert outline(course) == before


def test_checking_a_reorder_takes_time_linear_in_its_size(course, build, instructor):
    """The body may hold about 450,000 ids (1 MiB): 50 times the ids may take about 50 times as
    long to refuse, not 2,500 (counting each id's repeats over the list took minutes)."""
    ((lesson,),) = build(course, [1])

    def seconds(ids: int) -> float:
        body = [{"id": lesson.section_id, "lessons": [lesson.pk] * ids}]
        started = time.perf_counter()
        with pytest.raises(ValidationError):
            services.curriculum_reorder(actor=instructor, course=course, sections=body)
        return time.perf_counter() - started

    small = min(seconds(1_000) for _ in range(3))
    assert seconds(50_000) < 500 * max(small, 0.001)


# --- Progress ----------------------------------------------------------------------------------


def test_completing_is_idempotent_and_needs_an_active_enrollment(
    course, build, student, other_student, enrollment
):
    ((lesson, _),) = build(course, [2])

    first = services.lesson_complete(student=student, lesson=lesson)
    again = services.lesson_complete(student=student, lesson=lesson)

    assert first.pk == again.pk
    assert LessonCompletion.objects.filter(lesson=lesson).count() == 1
    with pytest.raises(services.EnrollmentRequired):
        services.lesson_complete(student=other_student, lesson=lesson)
    enrollment_end(enrollment=enrollment)
    with pytest.raises(services.EnrollmentRequired):
        services.lesson_complete(student=student, lesson=lesson)


def test_completing_every_lesson_completes_the_enrollment_once(
    course, build, instructor, student, enrollment
):
    ((first, second),) = build(course, [2])
    services.lesson_complete(student=student, lesson=first)
    enrollment.refresh_from_db()
    assert enrollment.completed_at is None

    services.lesson_complete(student=student, lesson=second)
    enrollment.refresh_from_db()
    completed_at = enrollment.completed_at

    assert completed_at is not None
    assert (
        AuditRecord.objects.filter(
            entity="enrollment", entity_id=enrollment.pk, to_status="completed"
        ).count()
        == 1
    )
    services.lesson_uncomplete(student=student, lesson=second)
    services.lesson_complete(student=student, lesson=second)
    enrollment.refresh_from_db()
    assert enrollment.completed_at == completed_at
    assert (
        AuditRecord.objects.filter(
            entity="enrollment", entity_id=enrollment.pk, to_status="completed"
        ).count()
        == 1
    )


def test_percent_follows_the_current_lessons(course, build, instructor, student, enrollment):
    ((first, _second, _third),) = build(course, [3])
    services.lesson_complete(student=student, lesson=first)
    assert enrollment_progress(enrollment=enrollment).percent == 33  # 1/3, rounded down

    services.lesson_create(actor=instructor, section=first.section, title="Added later")
    assert enrollment_progress(enrollment=enrollment).percent == 25

    services.lesson_delete(actor=instructor, lesson=first)
    progress = enrollment_progress(enrollment=enrollment)
    assert (progress.percent, progress.completed_lessons, progress.last_lesson) == (0, [], None)


def test_completed_at_is_kept_when_lessons_are_added_later(course, build, instructor, student, enrollment):
    ((only,),) = build(course, [1])
    services.lesson_complete(student=student, lesson=only)
    services.lesson_create(actor=instructor, section=only.section, title="New")

    enrollment.refresh_from_db()
    progress = enrollment_progress(enrollment=enrollment)
    assert progress.completed_at is not None
    assert progress.percent == 50


def test_deleting_a_section_deletes_its_lessons_and_their_completions(
    course, build, instructor, student, enrollment
):
    (_kept, dropped) = build(course, [1, 2])
    services.lesson_complete(student=student, lesson=dropped[0])

    services.section_delete(actor=instructor, section=dropped[0].section)

    assert not Lesson.objects.filter(pk__in=[lesson.pk for lesson in dropped]).exists()
    assert not LessonCompletion.objects.exists()
    assert enrollment_progress(enrollment=enrollment).percent == 0


@pytest.mark.parametrize(
    "write",
    [
        lambda actor, lesson: services.lesson_delete(actor=actor, lesson=lesson),
        lambda actor, lesson: services.lesson_update(actor=actor, lesson=lesson, title="Renamed"),
        lambda actor, lesson: services.section_delete(actor=actor, section=lesson.section),
        lambda actor, lesson: services.lesson_create(actor=actor, section=lesson.section, title="New"),
    ],
    ids=["lesson_delete", "lesson_update", "section_delete", "lesson_create"],
)
def test_a_write_racing_the_courses_deletion_is_404_not_500(course, build, instructor, write):
    # The view read the lesson, then a concurrent request deleted the course (and with it the lesson).
    ((lesson,),) = build(course, [1])
    lesson = Lesson.objects.select_related("section__course").get(pk=lesson.pk)
    Course.objects.filter(pk=course.pk).delete()

    with pytest.raises(NotFound):
        write(instructor, lesson)

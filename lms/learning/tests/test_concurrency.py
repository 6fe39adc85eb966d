"""Curriculum edits and completions at the same moment, from threads with their own connections."""

import pytest

from conftest import client_for
from lms.core.exceptions import NotFound
from lms.courses.models import Lesson, Section
from lms.enrollments.models import Enrollment, LessonCompletion
from lms.learning import selectors, services
from lms.payments.tests.test_concurrency import in_threads

pytestmark = pytest.mark.django_db(transaction=True)


def outline(course) -> list[tuple[int, list[int]]]:
    return [
        (section.pk, list(section.lessons.order_by("position", "id").values_list("id", flat=True)))
        for section in Section.objects.filter(course=course).order_by("position", "id")
    ]


def test_two_reorders_at_once_one_wins_whole(instructor, course, build):
    (a, b, c) = build(course, [3, 3, 3])
    sections = [lessons[0].section_id for lessons in (a, b, c)]
    every = [lesson.pk for lesson in (*a, *b, *c)]
    orders = [
        [(sections[2], every[:1]), (sections[1], every[1:5]), (sections[0], every[5:])],
        [(sections[0], every[::-1][:4]), (sections[2], every[::-1][4:]), (sections[1], [])],
    ]

    def reorder(i: int) -> int:
        body = {"sections": [{"id": s, "lessons": lessons} for s, lessons in orders[i % 2]]}
        return (
            client_for(instructor)
            .put(f"/api/courses/{course.pk}/curriculum/order/", body, format="json")
            .status_code
        )

    for _ in range(3):
        statuses = in_threads(6, reorder)
        assert statuses == [200] * 6
        assert outline(course) in [orders[0], orders[1]]


def test_lesson_edits_and_reorders_at_once_all_succeed(instructor, course, build):
    """Both lock the course first; a lesson edit that locked its lesson row before the course
    could deadlock with a reorder holding the course and updating that lesson (a 500)."""
    (a, b) = build(course, [3, 3])
    every = [lesson.pk for lesson in (*a, *b)]
    orders = [every, every[::-1]]

    def edit_or_reorder(i: int) -> int:
        client = client_for(instructor)
        if i % 2:
            return client.patch(
                f"/api/lessons/{every[i % 6]}/", {"title": f"Edit {i}"}, format="json"
            ).status_code
        body = {
            "sections": [
                {"id": a[0].section_id, "lessons": orders[i % 4 // 2][:3]},
                {"id": b[0].section_id, "lessons": orders[i % 4 // 2][3:]},
            ]
        }
        return client.put(f"/api/courses/{course.pk}/curriculum/order/", body, format="json").status_code

    for _ in range(3):
        assert in_threads(8, edit_or_reorder) == [200] * 8


def test_a_lesson_completed_many_times_at_once_is_one_row(student, course, build, enrollment):
    ((lesson, _other),) = build(course, [2])

    statuses = in_threads(
        8, lambda i: client_for(student).post(f"/api/lessons/{lesson.pk}/complete/").status_code
    )

    assert statuses == [200] * 8
    assert LessonCompletion.objects.filter(lesson=lesson).count() == 1


def test_the_last_lessons_completed_at_once_complete_the_enrollment(student, course, build, enrollment):
    (lessons,) = build(course, [6])

    in_threads(6, lambda i: client_for(student).post(f"/api/lessons/{lessons[i].pk}/complete/").status_code)

    assert LessonCompletion.objects.filter(enrollment=enrollment).count() == 6
    assert Enrollment.objects.get(pk=enrollment.pk).completed_at is not None


# A delete that commits between the view reading the object and the service writing: each is a
# 404, never a 500 from the foreign key or an update of nothing.


def test_completing_a_lesson_deleted_meanwhile_is_404(
    student_client, instructor, course, build, enrollment, monkeypatch
):
    from lms.learning import apis

    ((lesson, _),) = build(course, [2])
    read = apis._lesson

    def read_then_deleted(pk: int):
        found = read(pk)
        services.lesson_delete(actor=instructor, lesson=read(pk))
        return found

    monkeypatch.setattr(apis, "_lesson", read_then_deleted)
    response = student_client.post(f"/api/lessons/{lesson.pk}/complete/")

    assert response.status_code == 404, response.content
    assert not LessonCompletion.objects.exists()


SECTION_WRITES = {
    "a lesson appended": lambda i, section: services.lesson_create(actor=i, section=section, title="New"),
    "a rename": lambda i, section: services.section_update(actor=i, section=section, title="Renamed"),
}


@pytest.mark.parametrize("write", SECTION_WRITES.values(), ids=SECTION_WRITES.keys())
def test_writing_to_a_section_deleted_meanwhile_is_404(instructor, course, build, write):
    ((lesson,), _kept) = build(course, [1, 1])
    stale = selectors.section_get(section_id=lesson.section_id)
    services.section_delete(actor=instructor, section=selectors.section_get(section_id=lesson.section_id))

    with pytest.raises(NotFound):
        write(instructor, stale)
    assert not Lesson.objects.filter(title="New").exists()

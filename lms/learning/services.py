"""Writes to curricula and to students' progress.

Instructors (of their own courses) and admins build the curriculum; students with an active
enrollment complete lessons. Each write of one course's curriculum locks the course row first,
so concurrent edits (two reorders, a reorder and an append) apply one after the other, whole.
"""

from __future__ import annotations

import os
import secrets
from collections import Counter
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.text import get_valid_filename

from lms.core.exceptions import Conflict, Forbidden, NotFound
from lms.courses.models import Course, Lesson, Section
from lms.courses.services import course_check_can_manage
from lms.enrollments.models import Enrollment, LessonCompletion
from lms.enrollments.services import enrollment_complete_if_done
from lms.learning import cache
from lms.learning.rendering import render_markdown
from lms.users.models import User


class EnrollmentRequired(Forbidden):
    default_detail = "Enroll in this course to see its lessons."
    default_code = "enrollment_required"


def _lock_course(course: Course) -> Course:
    """The course row, locked; 404 when it went since the view read it (a concurrent delete)."""
    locked = Course.objects.select_for_update().filter(pk=course.pk).first()
    if locked is None:
        raise NotFound("No such course.")
    return locked


def _lock_section(section: Section) -> Section:
    """The section read again with its course row locked (every curriculum write takes that lock
    first); 404 when a concurrent delete took it meanwhile."""
    _lock_course(section.course)
    locked = Section.objects.select_related("course").filter(pk=section.pk).first()
    if locked is None:
        raise NotFound("No such section.")
    return locked


def _lock_lesson(lesson: Lesson) -> Lesson:
    """The lesson read again with its course row locked; 404 when it went meanwhile. The course
    first, as every curriculum write does: locking the lesson row first, then the course (one
    FOR UPDATE over the join), could deadlock with a reorder, which holds the course and updates
    the lessons."""
    _lock_course(lesson.section.course)
    locked = Lesson.objects.select_related("section__course").filter(pk=lesson.pk).first()
    if locked is None:
        raise NotFound("No such lesson.")
    return locked


def _changed(course_id: int) -> None:
    """Retire the course's cached outline and lessons once this change commits (cache.py)."""
    transaction.on_commit(lambda: cache.curriculum_changed(course_id))


class LastLessonOnSale(Conflict):
    default_detail = (
        "A published course keeps at least one lesson: unpublish it before deleting its last one."
    )
    default_code = "course_needs_a_lesson"


def _check_a_lesson_stays(course: Course, *, leaving: Any) -> None:
    """A course on sale keeps a lesson, as publishing requires: students buy a curriculum."""
    if (
        course.is_published
        and not Lesson.objects.filter(section__course=course).exclude(pk__in=leaving).exists()
    ):
        raise LastLessonOnSale()


def _check_video_url(url: str) -> None:
    """https, on an allowed host, and read the same way by Python and by browsers: no user info
    (`https://evil.example\\@www.youtube.com` is evil.example to a browser), no backslash or
    white space, and the scheme in lower case, as the database's check constraint expects."""
    if not url:
        return
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    ambiguous = "@" in parts.netloc or any(c == "\\" or c.isspace() or ord(c) < 32 for c in url)
    if not url.startswith("https://") or ambiguous or host not in settings.LMS_VIDEO_HOSTS:
        hosts = ", ".join(settings.LMS_VIDEO_HOSTS)
        raise ValidationError({"video_url": [f"Use an https:// address on one of: {hosts}."]})


def _check_kind(lesson: Lesson) -> None:
    if lesson.kind == Lesson.Kind.VIDEO and not lesson.video_url:
        raise ValidationError({"video_url": ["A video lesson needs a video_url."]})


# --- Sections ----------------------------------------------------------------------------------


@transaction.atomic
def section_create(*, actor: User, course: Course, title: str) -> Section:
    """Append a section to the end of the course."""
    course_check_can_manage(course=course, actor=actor)
    course = _lock_course(course)
    last = course.sections.aggregate(last=Max("position"))["last"]
    _changed(course.pk)
    return Section.objects.create(course=course, title=title, position=0 if last is None else last + 1)


@transaction.atomic
def section_update(*, actor: User, section: Section, title: str) -> Section:
    course_check_can_manage(course=section.course, actor=actor)
    section = _lock_section(section)
    section.title = title
    section.save(update_fields=["title"])
    _changed(section.course_id)
    return section


@transaction.atomic
def section_delete(*, actor: User, section: Section) -> None:
    """Delete a section and its lessons (and their files, once that commits); completions of
    those lessons stop counting."""
    course_check_can_manage(course=section.course, actor=actor)
    section = _lock_section(section)
    _check_a_lesson_stays(section.course, leaving=Lesson.objects.filter(section=section))
    files = [name for name in section.lessons.values_list("file", flat=True) if name]
    section.delete()
    _changed(section.course_id)
    if files:
        storage = Lesson._meta.get_field("file").storage
        transaction.on_commit(lambda: [storage.delete(name) for name in files])


# --- Lessons -----------------------------------------------------------------------------------


LESSON_FIELDS = ("title", "kind", "body", "video_url", "duration_minutes", "is_preview")


@transaction.atomic
def lesson_create(*, actor: User, section: Section, title: str, **fields: Any) -> Lesson:
    """Append a lesson to the end of the section."""
    course_check_can_manage(course=section.course, actor=actor)
    section = _lock_section(section)
    last = section.lessons.aggregate(last=Max("position"))["last"]
    lesson = Lesson(section=section, title=title, position=0 if last is None else last + 1)
    _changed(section.course_id)
    return _save_lesson(lesson, fields)


@transaction.atomic
def lesson_update(*, actor: User, lesson: Lesson, **fields: Any) -> Lesson:
    course_check_can_manage(course=lesson.section.course, actor=actor)
    lesson = _lock_lesson(lesson)
    _changed(lesson.section.course_id)
    return _save_lesson(lesson, fields)


def _save_lesson(lesson: Lesson, fields: dict[str, Any]) -> Lesson:
    unknown = set(fields) - set(LESSON_FIELDS)
    if unknown:
        raise TypeError(f"unknown lesson fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(lesson, name, value)
    _check_video_url(lesson.video_url)
    _check_kind(lesson)
    lesson.body_html = render_markdown(lesson.body)
    lesson.save()
    return lesson


def _file_name(file: UploadedFile) -> str:
    """The uploaded name as the storage keeps it, or "lesson-file" when nothing of it is left
    (a name of emoji only, or of dots)."""
    try:
        return get_valid_filename(os.path.basename(file.name or ""))
    except SuspiciousFileOperation:
        return "lesson-file"


@transaction.atomic
def lesson_attach_file(*, actor: User, lesson: Lesson, file: UploadedFile) -> Lesson:
    """Store the lesson's file (replacing the previous one) through the storage API."""
    course_check_can_manage(course=lesson.section.course, actor=actor)
    lesson = _lock_lesson(lesson)
    previous = lesson.file.name
    # Each upload in a directory of its own: the storage renames a name already taken in one
    # directory (notes_AbC123x.txt), and the download is named after the stored file.
    lesson.file.save(f"{secrets.token_hex(8)}/{_file_name(file)}", file, save=False)
    lesson.save(update_fields=["file", "updated_at"])
    _changed(lesson.section.course_id)
    if previous:
        transaction.on_commit(lambda: lesson.file.storage.delete(previous))
    return lesson


@transaction.atomic
def lesson_delete(*, actor: User, lesson: Lesson) -> None:
    """Delete a lesson; its completions go with it and stop counting."""
    course_check_can_manage(course=lesson.section.course, actor=actor)
    course = _lock_course(lesson.section.course)
    _check_a_lesson_stays(course, leaving=Lesson.objects.filter(pk=lesson.pk))
    name, storage = lesson.file.name, lesson.file.storage
    lesson.delete()
    _changed(lesson.section.course_id)
    if name:
        transaction.on_commit(lambda: storage.delete(name))


# --- The order of the whole curriculum ----------------------------------------------------------


@transaction.atomic
def curriculum_reorder(*, actor: User, course: Course, sections: list[dict[str, Any]]) -> None:
    """Set the full order: `[{"id": section, "lessons": [lesson, ...]}, ...]`.

    Every section and lesson of the course appears exactly once, and nothing else; lessons may
    move between sections. All or nothing: any other list is a 400 and changes nothing.
    """
    course_check_can_manage(course=course, actor=actor)
    course = _lock_course(course)
    current_sections = {section.pk: section for section in course.sections.all()}
    current_lessons = {lesson.pk: lesson for lesson in Lesson.objects.filter(section__course=course)}
    sent_sections = [entry["id"] for entry in sections]
    sent_lessons = [lesson_id for entry in sections for lesson_id in entry["lessons"]]
    errors: dict[str, list[str]] = {}
    for name, sent, current in (
        ("sections", sent_sections, current_sections),
        ("lessons", sent_lessons, current_lessons),
    ):
        messages = []
        if repeated := sorted(i for i, times in Counter(sent).items() if times > 1):
            messages.append(f"Listed more than once: {repeated}.")
        if foreign := sorted(set(sent) - current.keys()):
            messages.append(f"Not in this course: {foreign}.")
        if missing := sorted(current.keys() - set(sent)):
            messages.append(f"Missing: {missing}.")
        if messages:
            errors[name] = messages
    if errors:
        raise ValidationError(errors)

    for section_position, entry in enumerate(sections):
        section = current_sections[entry["id"]]
        section.position = section_position
        for lesson_position, lesson_id in enumerate(entry["lessons"]):
            lesson = current_lessons[lesson_id]
            lesson.section_id, lesson.position = section.pk, lesson_position
    Section.objects.bulk_update(current_sections.values(), ["position"])
    Lesson.objects.bulk_update(current_lessons.values(), ["section", "position"])
    _changed(course.pk)


# --- Progress ----------------------------------------------------------------------------------


def lesson_complete(*, student: User, lesson: Lesson) -> LessonCompletion:
    """Mark a lesson complete (idempotent). Completing the last one completes the enrollment.

    A repeat finds the completion of an active enrollment and writes nothing (one query, no lock).
    Otherwise the enrollment row is locked first, so two completions of one student's last lessons
    cannot both miss that the course is now complete.
    """
    repeat = LessonCompletion.objects.filter(
        lesson=lesson, enrollment__student=student, enrollment__ended_at__isnull=True
    ).first()
    if repeat is not None and student.is_student:
        return repeat
    try:
        with transaction.atomic():
            enrollment = _locked_enrollment(student=student, lesson=lesson)
            # Every completion of this enrollment takes its lock first: under it, read-then-insert is safe.
            completion = LessonCompletion.objects.filter(enrollment=enrollment, lesson=lesson).first()
            if completion is None:
                completion = LessonCompletion.objects.create(enrollment=enrollment, lesson=lesson)
                enrollment_complete_if_done(enrollment=enrollment)
    except IntegrityError:
        # The lesson was deleted meanwhile (its foreign key fails at the insert or at commit).
        if not Lesson.objects.filter(pk=lesson.pk).exists():
            raise NotFound("No such lesson.") from None
        raise
    return completion


@transaction.atomic
def lesson_uncomplete(*, student: User, lesson: Lesson) -> None:
    """Unmark a lesson (idempotent). A completed enrollment keeps its `completed_at`."""
    enrollment = _locked_enrollment(student=student, lesson=lesson)
    LessonCompletion.objects.filter(enrollment=enrollment, lesson=lesson).delete()


def _locked_enrollment(*, student: User, lesson: Lesson) -> Enrollment:
    """The student's active enrollment in the lesson's course, its row locked (one query)."""
    enrollment = None
    if student.is_student:
        enrollment = (
            Enrollment.objects.select_for_update()
            .filter(student=student, course_id=lesson.section.course_id, ended_at__isnull=True)
            .first()
        )
    if enrollment is None:
        raise EnrollmentRequired("Only a student enrolled in this course can complete its lessons.")
    return enrollment

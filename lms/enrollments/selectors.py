from __future__ import annotations

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from lms.courses.models import Lesson
from lms.enrollments.models import Enrollment, LessonCompletion
from lms.users.models import User


def enrollment_list_for(*, user: User) -> QuerySet[Enrollment]:
    """The enrollments a user may see: their own, those in courses they teach, or all for admins.

    Each carries `lessons_total` and `lessons_done` (its progress), computed in the same query.
    """
    qs = with_progress(Enrollment.objects.select_related("course").order_by("-enrolled_at", "-id"))
    if user.is_admin:
        return qs
    if user.is_instructor:
        return qs.filter(course__instructor=user)
    return qs.filter(student=user)


def my_courses(*, student: User) -> QuerySet[Enrollment]:
    """A student's active enrollments, newest first, each with its course, the instructor's name
    and its progress: one query (and one count for the page)."""
    enrollment_fields = [f.attname for f in Enrollment._meta.concrete_fields]
    course_fields = [f"course__{name}" for name in ("id", "title", "price", "instructor_id", "status")]
    return with_progress(
        Enrollment.objects.filter(student=student, ended_at__isnull=True)
        .select_related("course__instructor")
        .only(*enrollment_fields, *course_fields, "course__instructor__username")
        .order_by("-enrolled_at", "-id")
    )


def with_progress(queryset: QuerySet[Enrollment]) -> QuerySet[Enrollment]:
    """Annotates `lessons_total` (the course's current lessons) and `lessons_done` (this
    enrollment's completions, which go when their lesson is deleted)."""
    total = (
        Lesson.objects.filter(section__course=OuterRef("course"))
        .order_by()
        .values("section__course")
        .annotate(n=Count("id"))
        .values("n")
    )
    done = (
        LessonCompletion.objects.filter(enrollment=OuterRef("pk"))
        .order_by()
        .values("enrollment")
        .annotate(n=Count("id"))
        .values("n")
    )
    return queryset.annotate(
        lessons_total=Coalesce(Subquery(total, output_field=IntegerField()), 0),
        lessons_done=Coalesce(Subquery(done, output_field=IntegerField()), 0),
    )


def progress_percent(*, done: int, total: int) -> int:
    """Completed ÷ current lessons, as a whole percentage rounded down (0 for a course without lessons)."""
    return 100 * done // total if total else 0

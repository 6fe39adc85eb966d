from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from lms.courses.models import Course, Lesson


class Enrollment(models.Model):
    """A student's access to a course. Ending one keeps the row: history is never deleted."""

    class Source(models.TextChoices):
        FREE = "free", "Free course"
        PAYMENT = "payment", "Paid"
        ADMIN = "admin", "Granted by an admin"

    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="enrollments"
    )
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="enrollments")
    source = models.CharField(max_length=16, choices=Source.choices)
    enrolled_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)
    # When the student had completed every lesson of the course; set once, kept if lessons are added.
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-enrolled_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["student", "course"], name="enrollment_unique_student_course"),
            models.CheckConstraint(
                condition=models.Q(source__in=["free", "payment", "admin"]), name="enrollment_source_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(ended_at__isnull=True) | models.Q(ended_at__gte=models.F("enrolled_at")),
                name="enrollment_ends_after_it_starts",
            ),
            models.CheckConstraint(
                condition=models.Q(completed_at__isnull=True)
                | models.Q(completed_at__gte=models.F("enrolled_at")),
                name="enrollment_completes_after_it_starts",
            ),
        ]
        indexes = [
            models.Index(fields=["course", "student"], name="enrollment_course_student_idx"),
            models.Index(fields=["-enrolled_at", "-id"], name="enrollment_recent_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.student_id} in {self.course_id}"

    @property
    def is_active(self) -> bool:
        return self.ended_at is None


class LessonCompletion(models.Model):
    """A student (through their enrollment) completed a lesson. Deleting the lesson deletes it."""

    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="completions")
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="completions")
    completed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["completed_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrollment", "lesson"], name="completion_unique_enrollment_lesson"
            )
        ]
        indexes = [models.Index(fields=["lesson"], name="completion_lesson_idx")]

    def __str__(self) -> str:
        return f"{self.enrollment_id} completed {self.lesson_id}"

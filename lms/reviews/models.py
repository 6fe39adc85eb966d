from __future__ import annotations

from django.conf import settings
from django.db import models

from lms.courses.models import Course

MAX_TEXT = 5000


class Review(models.Model):
    """A student's one review of a course they were enrolled in, with the instructor's one reply.

    A hidden review (an admin's decision) is kept, but leaves the lists and the course's aggregate.
    """

    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="reviews")
    # PROTECT: a student with reviews is deactivated, never deleted with what they wrote.
    student = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reviews")
    rating = models.PositiveSmallIntegerField()
    text = models.TextField(max_length=MAX_TEXT, blank=True, default="")
    reply = models.TextField(max_length=MAX_TEXT, blank=True, default="")
    replied_at = models.DateTimeField(null=True, blank=True)
    is_hidden = models.BooleanField(default=False)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    hidden_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["course", "student"], name="review_unique_course_student"),
            models.CheckConstraint(
                condition=models.Q(rating__gte=1, rating__lte=5), name="review_rating_range"
            ),
            models.CheckConstraint(
                condition=models.Q(reply="", replied_at__isnull=True)
                | (~models.Q(reply="") & models.Q(replied_at__isnull=False)),
                name="review_reply_has_date",
            ),
            models.CheckConstraint(
                condition=models.Q(is_hidden=False, hidden_at__isnull=True)
                | models.Q(is_hidden=True, hidden_at__isnull=False),
                name="review_hidden_has_date",
            ),
        ]
        indexes = [models.Index(fields=["course", "-created_at", "-id"], name="review_course_recent_idx")]

    def __str__(self) -> str:
        return f"{self.student_id} on {self.course_id}: {self.rating}"

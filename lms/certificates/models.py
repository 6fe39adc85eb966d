from __future__ import annotations

import secrets

from django.db import models
from django.utils import timezone

from lms.enrollments.models import Enrollment


def new_code() -> str:
    """A verification code: 192 random bits, URL-safe (32 characters)."""
    return secrets.token_urlsafe(24)


class Certificate(models.Model):
    """Issued once per enrollment, when the student completes the course.

    The names, title and date are copied at issue time, so a later rename does not rewrite a
    certificate already given. Revoking one (a refund, an ended enrollment) keeps the row.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Being rendered"
        READY = "ready", "Ready to download"
        REVOKED = "revoked", "Revoked"

    enrollment = models.OneToOneField(Enrollment, on_delete=models.PROTECT, related_name="certificate")
    code = models.CharField(max_length=64, unique=True, default=new_code, editable=False)
    student_name = models.CharField(max_length=300)
    course_title = models.CharField(max_length=200)
    instructor_name = models.CharField(max_length=300)
    completed_at = models.DateTimeField()
    issued_at = models.DateTimeField(default=timezone.now)
    file = models.FileField(upload_to="certificates/", max_length=200, blank=True, default="")
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(revoked_at__isnull=True) | models.Q(revoked_at__gte=models.F("issued_at")),
                name="certificate_revoked_after_issue",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.student_name}: {self.course_title}"

    @property
    def status(self) -> str:
        if self.revoked_at is not None:
            return self.Status.REVOKED
        return self.Status.READY if self.file else self.Status.PENDING

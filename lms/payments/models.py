from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from lms.courses.models import Course


class Payment(models.Model):
    """One attempt by a student to pay for a course. Rows are never deleted once money moved."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"
        CANCELED = "canceled", "Canceled"
        REFUNDED = "refunded", "Refunded"

    student = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="payments")
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="payments")
    amount = models.DecimalField(max_digits=8, decimal_places=2)
    currency = models.CharField(max_length=3)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    stripe_payment_intent = models.CharField(max_length=255, unique=True, null=True, blank=True)
    # Sent to Stripe as the idempotency key of every call made for this payment.
    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    last_error = models.CharField(max_length=500, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="payment_amount_positive"),
            models.CheckConstraint(
                condition=models.Q(status__in=["pending", "succeeded", "failed", "canceled", "refunded"]),
                name="payment_status_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["student", "course", "status"], name="payment_student_course_idx"),
            models.Index(fields=["course", "status"], name="payment_course_status_idx"),
            models.Index(fields=["status", "created_at"], name="payment_status_created_idx"),
            models.Index(fields=["-created_at", "-id"], name="payment_recent_idx"),
        ]

    def __str__(self) -> str:
        return f"payment {self.pk} ({self.status})"


class WebhookEvent(models.Model):
    """Every Stripe event received, stored under its id so a redelivery does nothing twice."""

    class Outcome(models.TextChoices):
        PROCESSED = "processed", "Processed"
        IGNORED = "ignored", "Ignored"
        MISMATCH = "mismatch", "Amount or currency mismatch"
        FAILED = "failed", "Can never be applied"

    event_id = models.CharField(max_length=255, unique=True)
    type = models.CharField(max_length=100)
    intent_id = models.CharField(max_length=255, blank=True, default="", db_index=True)
    outcome = models.CharField(max_length=16, choices=Outcome.choices)
    detail = models.CharField(max_length=500, blank=True, default="")
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_at", "-id"]

    def __str__(self) -> str:
        return f"{self.event_id} {self.type} ({self.outcome})"

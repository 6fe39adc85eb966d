from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.db import models


class AppendOnlyError(Exception):
    """Audit records are written once and never changed or deleted."""


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("Audit records cannot be changed.")

    def delete(self) -> NoReturn:
        raise AppendOnlyError("Audit records cannot be deleted.")


class AuditRecord(models.Model):
    """One change of a payment's, an enrollment's, a certificate's or a review's status: who or
    what caused it, from, to, when."""

    class Entity(models.TextChoices):
        PAYMENT = "payment", "Payment"
        ENROLLMENT = "enrollment", "Enrollment"
        CERTIFICATE = "certificate", "Certificate"
        REVIEW = "review", "Review"

    entity = models.CharField(max_length=16, choices=Entity.choices)
    # Not a foreign key: the record outlives an unpaid payment that an admin deleted.
    entity_id = models.BigIntegerField()
    from_status = models.CharField(max_length=16, blank=True, default="")
    to_status = models.CharField(max_length=16)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    stripe_event_id = models.CharField(max_length=255, blank=True, default="")
    via = models.CharField(max_length=16)  # api, webhook, sync, system
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["entity", "entity_id"], name="audit_entity_idx"),
            models.Index(fields=["-created_at", "-id"], name="audit_recent_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.entity} {self.entity_id}: {self.from_status or '-'} -> {self.to_status}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("Audit records cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("Audit records cannot be deleted.")

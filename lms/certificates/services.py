"""Issuing, rendering and revoking certificates. `enrollment_complete` issues, `enrollment_end`
(a refund, or an admin ending the enrollment) revokes, both inside their own transaction."""

from __future__ import annotations

import logging

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from lms.audit.services import audit_record
from lms.certificates.models import Certificate
from lms.certificates.rendering import render_pdf
from lms.core.exceptions import ApplicationError, Conflict
from lms.enrollments.models import Enrollment
from lms.users.models import User

logger = logging.getLogger(__name__)

ISSUED, REVOKED = "issued", "revoked"


class CertificatePending(Conflict):
    default_detail = "The certificate is still being rendered; try again in a moment."
    default_code = "certificate_pending"


class CertificateRevoked(ApplicationError):
    status_code = 410
    default_detail = "This certificate was revoked."
    default_code = "certificate_revoked"


def display_name(user: User) -> str:
    """The full name (a first and a last name of 150 characters each make 301), else the username."""
    return (user.get_full_name() or user.username)[: Certificate._meta.get_field("student_name").max_length]


def certificate_issue(*, enrollment: Enrollment) -> Certificate:
    """The enrollment's one certificate (made now if it has none, reinstated if it was revoked),
    rendered after commit.

    Call with the enrollment row locked (as `enrollment_complete` does); the unique enrollment
    column is the last word if two callers still meet.
    """
    existing = Certificate.objects.filter(enrollment=enrollment).first()
    if existing is not None:
        if existing.revoked_at is not None:  # refunded, then bought and completed again
            existing.revoked_at = None
            existing.save(update_fields=["revoked_at"])
            audit_record(entity="certificate", entity_id=existing.pk, from_status=REVOKED, to_status=ISSUED)
        return existing
    student, course = enrollment.student, enrollment.course
    certificate = Certificate.objects.create(
        enrollment=enrollment,
        student_name=display_name(student),
        course_title=course.title,
        instructor_name=display_name(course.instructor),
        completed_at=enrollment.completed_at,
    )
    audit_record(entity="certificate", entity_id=certificate.pk, from_status="", to_status=ISSUED)
    transaction.on_commit(lambda: _render_later(certificate.pk), robust=True)
    return certificate


def _render_later(certificate_id: int) -> None:
    # Imported here: the task module imports this one, and the Celery app (its broker, eager mode)
    # is configured from the settings, which are chosen by now (config/__init__.py says why not earlier).
    import config.celery  # noqa: F401
    from lms.certificates.tasks import render_certificate

    render_certificate.delay(certificate_id)


def certificate_revoke(*, enrollment: Enrollment) -> None:
    """Revoke the enrollment's certificate, if it has one; revoking twice is a no-op."""
    certificate = Certificate.objects.select_for_update().filter(enrollment=enrollment).first()
    if certificate is None or certificate.revoked_at is not None:
        return
    certificate.revoked_at = timezone.now()
    certificate.save(update_fields=["revoked_at"])
    audit_record(entity="certificate", entity_id=certificate.pk, from_status=ISSUED, to_status=REVOKED)


def certificate_render(*, certificate_id: int) -> Certificate | None:
    """Render the PDF and store it, once. Rendering is outside the transaction; the file is
    attached only if no other render got there first (then this one's file is removed)."""
    certificate = Certificate.objects.filter(pk=certificate_id).first()
    if certificate is None or certificate.file:
        return certificate
    name = certificate.file.storage.save(
        f"certificates/{certificate.pk}.pdf", ContentFile(render_pdf(certificate))
    )
    attached = Certificate.objects.filter(pk=certificate.pk, file="").update(file=name)
    if not attached:
        certificate.file.storage.delete(name)
    certificate.refresh_from_db()
    logger.info("certificate %s rendered", certificate.pk)
    return certificate


def certificates_render_pending() -> int:
    """Render every certificate still without its file (after a worker was down): the count."""
    pending = Certificate.objects.filter(file="", revoked_at__isnull=True).values_list("pk", flat=True)
    return sum(certificate_render(certificate_id=pk) is not None for pk in list(pending))


def certificate_pdf(*, certificate: Certificate) -> Certificate:
    """The certificate whose file may be downloaded: not revoked, and rendered."""
    if certificate.revoked_at is not None:
        raise CertificateRevoked()
    if not certificate.file:
        raise CertificatePending()
    return certificate

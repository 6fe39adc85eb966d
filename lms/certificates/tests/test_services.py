import os
import subprocess
import sys

import pytest
from django.db import IntegrityError

from lms.audit.models import AuditRecord
from lms.certificates import services
from lms.certificates.models import Certificate
from lms.enrollments.services import enrollment_end
from lms.learning.services import lesson_complete
from lms.payments.services import payment_refund
from lms.payments.tests.fixtures import succeeded_payment
from lms.users.models import User

pytestmark = pytest.mark.django_db


def test_completing_the_course_issues_one_certificate_with_the_names_of_the_day(enrollment, course, complete):
    certificate = complete(enrollment)

    assert certificate.student_name == "Zoë Ångström-Müller"
    assert certificate.course_title == "Éléments de Python — les bases"
    assert certificate.instructor_name == course.instructor.username
    assert certificate.completed_at == enrollment.completed_at
    assert len(certificate.code) >= 22  # at least 128 bits, URL-safe base64
    assert certificate.code.replace("-", "").replace("_", "").isalnum()
    assert certificate.status == Certificate.Status.READY  # rendered after commit (eagerly here)
    assert certificate.file.name.endswith(".pdf")
    record = AuditRecord.objects.get(entity="certificate")
    assert (record.entity_id, record.from_status, record.to_status) == (certificate.pk, "", "issued")


def test_the_longest_full_name_fits_the_certificate(enrollment, complete):
    # 150 + a space + 150 characters: one more than the certificate holds (a 500 on PostgreSQL
    # and MariaDB, which rolled back the lesson's completion with it).
    student = enrollment.student
    User.objects.filter(pk=student.pk).update(first_name="F" * 150, last_name="L" * 150)

    certificate = complete(enrollment)

    assert certificate.student_name == ("F" * 150 + " " + "L" * 150)[:300]


def test_later_renames_do_not_rewrite_the_certificate(enrollment, course, complete):
    certificate = complete(enrollment)
    course.title = "Renamed"
    course.save()
    enrollment.student.first_name = "Someone"
    enrollment.student.save()

    certificate.refresh_from_db()
    assert (certificate.student_name, certificate.course_title) == (
        "Zoë Ångström-Müller",
        "Éléments de Python — les bases",
    )


def test_completing_the_last_lesson_again_issues_nothing_more(enrollment, complete):
    certificate = complete(enrollment)
    last = enrollment.course.sections.get().lessons.order_by("position").last()

    lesson_complete(student=enrollment.student, lesson=last)
    complete(enrollment)

    assert Certificate.objects.get() == certificate


def test_the_database_allows_one_certificate_per_enrollment(enrollment, complete):
    certificate = complete(enrollment)

    with pytest.raises(IntegrityError):
        Certificate.objects.create(
            enrollment=enrollment,
            student_name="x",
            course_title="y",
            instructor_name="z",
            completed_at=certificate.completed_at,
        )


def test_an_incomplete_course_has_no_certificate(enrollment):
    lesson = enrollment.course.sections.get().lessons.order_by("position").first()

    lesson_complete(student=enrollment.student, lesson=lesson)

    assert not Certificate.objects.exists()


def test_ending_the_enrollment_revokes_the_certificate_and_keeps_it(enrollment, complete):
    certificate = complete(enrollment)

    enrollment_end(enrollment=enrollment)
    enrollment_end(enrollment=enrollment)  # twice: one revocation

    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.REVOKED
    assert certificate.file  # nothing is deleted
    assert list(
        AuditRecord.objects.filter(entity="certificate").values_list("to_status", flat=True).order_by("id")
    ) == ["issued", "revoked"]
    with pytest.raises(services.CertificateRevoked):
        services.certificate_pdf(certificate=certificate)


def test_a_failed_render_leaves_it_pending_and_the_sweep_renders_it(enrollment, complete, monkeypatch):
    def broken(certificate):
        raise OSError("disk full")

    monkeypatch.setattr(services, "render_pdf", broken)
    certificate = complete(enrollment)  # the task retried, then gave up
    assert certificate.status == Certificate.Status.PENDING
    with pytest.raises(services.CertificatePending):
        services.certificate_pdf(certificate=certificate)

    monkeypatch.undo()
    assert services.certificates_render_pending() == 1
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.READY


def test_rendering_twice_keeps_one_file(enrollment, complete, media):
    certificate = complete(enrollment)

    again = services.certificate_render(certificate_id=certificate.pk)

    assert again.file.name == certificate.file.name
    assert [p.name for p in (media / "certificates").iterdir()] == [certificate.file.name.split("/")[-1]]


def test_a_refund_revokes_the_certificate(localstripe_settings, student, course, complete):
    payment = succeeded_payment(student=student, course=course)
    certificate = complete(student.enrollments.get(course=course))

    payment_refund(payment=payment)

    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.REVOKED


def test_bought_again_after_a_refund_the_student_is_enrolled_complete_and_certified_again(
    localstripe_settings, student, course, complete
):
    # Completed, refunded (the enrollment ends, the certificate is revoked), then paid again: the
    # webhook's enrollment must not trip over the old completion date, and the kept progress
    # completes the new enrollment at once.
    first = succeeded_payment(student=student, course=course)
    certificate = complete(student.enrollments.get(course=course))
    payment_refund(payment=first)

    succeeded_payment(student=student, course=course)

    enrollment = student.enrollments.get(course=course)
    certificate.refresh_from_db()
    assert enrollment.is_active
    assert enrollment.completed_at is not None
    assert enrollment.completed_at >= enrollment.enrolled_at
    assert certificate.status == Certificate.Status.READY
    assert Certificate.objects.count() == 1
    assert list(
        AuditRecord.objects.filter(entity="certificate").values_list("to_status", flat=True).order_by("id")
    ) == ["issued", "revoked", "issued"]


def test_the_render_task_is_queued_through_the_projects_celery_app_from_any_thread():
    # In a fresh process where something reached Celery's default app first (Celery then keeps
    # its unconfigured fallback: an AMQP broker on localhost, no eager mode), a request thread
    # must still queue the render through the project's app.
    program = """
import threading
import celery
celery.current_app.main  # creates Celery's fallback default app
import django
django.setup()
import config.celery
from lms.certificates.tasks import render_certificate
seen = []
thread = threading.Thread(target=lambda: seen.append(render_certificate.app is config.celery.app))
thread.start()
thread.join()
print(seen)
"""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    result = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, env=env, check=False, timeout=60
    )

    assert result.stdout.strip() == "[True]", result.stderr

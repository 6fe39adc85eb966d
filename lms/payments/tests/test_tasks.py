"""The Celery beat entry runs the same sync as `manage.py sync_payments`."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.utils import timezone

from lms.courses.tests.factories import CourseFactory
from lms.payments import gateway
from lms.payments.models import Payment
from lms.payments.services import payment_create
from lms.payments.tasks import sync_pending_payments

pytestmark = pytest.mark.django_db


def test_beat_schedule_names_the_task():
    entry = settings.CELERY_BEAT_SCHEDULE["sync-pending-payments"]
    assert entry["task"] == sync_pending_payments.name


def test_task_applies_a_succeeded_intent_whose_webhook_was_lost(localstripe_settings, student, instructor):
    course = CourseFactory(instructor=instructor, price=Decimal("30.00"))
    payment = payment_create(student=student, course=course).payment
    gateway.confirm_test_payment(payment.stripe_payment_intent)  # no webhook is registered: it is "lost"
    Payment.objects.filter(pk=payment.pk).update(created_at=timezone.now() - timedelta(minutes=10))

    counts = sync_pending_payments.apply().get()

    payment.refresh_from_db()
    assert payment.status == Payment.Status.SUCCEEDED
    assert counts == {"processed": 1}
    assert student.enrollments.filter(course=course, ended_at__isnull=True).count() == 1

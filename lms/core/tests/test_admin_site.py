"""Money, access, courses and their history: read in the admin site, written only by the services."""

from decimal import Decimal

import pytest
from django.test import Client

from lms.audit.models import AuditRecord
from lms.courses.tests.factories import CourseFactory, FreeCourseFactory
from lms.enrollments.models import Enrollment
from lms.learning.services import lesson_create, section_create
from lms.payments.models import Payment, WebhookEvent
from lms.payments.tests.factories import PaymentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(student_client):
    student_client.post("/api/enrollments/", {"course": FreeCourseFactory().pk})  # an enrollment, audited
    course = CourseFactory(price=Decimal("120.00"))
    section = section_create(actor=course.instructor, course=course, title="Basics")
    lesson = lesson_create(actor=course.instructor, section=section, title="One", body="**read**")
    return {
        "audit/auditrecord": AuditRecord.objects.get(),
        "enrollments/enrollment": Enrollment.objects.get(),
        "payments/payment": PaymentFactory(),
        "courses/course": course,
        "courses/section": section,
        "courses/lesson": lesson,
        "payments/webhookevent": WebhookEvent.objects.create(
            event_id="evt_admin", type="payment_intent.succeeded", outcome="processed"
        ),
    }


@pytest.mark.parametrize(
    "model",
    [
        "audit/auditrecord",
        "courses/course",
        "courses/section",
        "courses/lesson",
        "enrollments/enrollment",
        "payments/payment",
        "payments/webhookevent",
    ],
)
def test_the_admin_site_reads_but_never_writes(model, records, admin_user):
    obj = records[model]
    before = {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}
    site = Client()
    site.force_login(admin_user)
    url = f"/admin/{model}/"

    assert site.get(url).status_code == 200
    assert site.get(f"{url}{obj.pk}/change/").status_code == 200  # a read-only view
    assert site.get(f"{url}add/").status_code == 403
    assert site.post(f"{url}add/", {}).status_code == 403
    assert (
        site.post(
            f"{url}{obj.pk}/change/",
            {"status": "succeeded", "ended_at": "2026-01-01", "price": "0.10", "title": "Changed"},
        ).status_code
        == 403
    )
    assert site.post(f"{url}{obj.pk}/delete/", {"post": "yes"}).status_code == 403

    obj.refresh_from_db()
    assert {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields} == before
    counts = (AuditRecord.objects.count(), Enrollment.objects.count(), Payment.objects.count())
    assert counts == (1, 1, 1)

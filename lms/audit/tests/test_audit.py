"""Every payment status change and every enrollment created or ended leaves an append-only record."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client, RequestFactory
from django.utils import timezone

from lms.audit.models import AppendOnlyError, AuditRecord
from lms.audit.services import AuditContextMiddleware, audit_cause, audit_record
from lms.courses.tests.factories import CourseFactory, FreeCourseFactory
from lms.payments import gateway
from lms.payments.models import Payment
from lms.payments.services import payments_sync_pending
from lms.payments.tests.factories import PaymentFactory
from lms.payments.tests.test_gateway import sign
from lms.payments.tests.test_webhooks import intent_event

pytestmark = pytest.mark.django_db

SECRET = "whsec_audit_tests"


def trail(entity: str, entity_id: int) -> list[tuple]:
    records = AuditRecord.objects.filter(entity=entity, entity_id=entity_id).order_by("id")
    return [(r.from_status, r.to_status, r.actor_id, r.stripe_event_id, r.via) for r in records]


def test_enrolling_through_the_api_names_the_user(student, student_client):
    course = FreeCourseFactory()

    enrollment_id = student_client.post("/api/enrollments/", {"course": course.pk}).json()["id"]

    assert trail("enrollment", enrollment_id) == [("", "active", student.pk, "", "api")]


def test_ending_an_enrollment_names_the_admin(admin_user, admin_client_api, student_client):
    enrollment_id = student_client.post("/api/enrollments/", {"course": FreeCourseFactory().pk}).json()["id"]

    assert admin_client_api.delete(f"/api/enrollments/{enrollment_id}/").status_code == 204

    assert trail("enrollment", enrollment_id)[-1] == ("active", "ended", admin_user.pk, "", "api")


def test_a_webhook_names_the_stripe_event_and_no_user(settings):
    settings.STRIPE_WEBHOOK_SECRET = SECRET
    payment = PaymentFactory(course=CourseFactory(price=Decimal("120.00")))
    body = intent_event(payment, "payment_intent.succeeded", event_id="evt_audit_1")

    response = Client().generic(
        "POST",
        "/api/payments/webhook/",
        body,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=sign(body, secret=SECRET),
    )

    assert response.status_code == 200, response.content
    assert trail("payment", payment.pk) == [("pending", "succeeded", None, "evt_audit_1", "webhook")]
    enrollment = payment.student.enrollments.get()
    assert trail("enrollment", enrollment.pk) == [("", "active", None, "evt_audit_1", "webhook")]


def test_creating_a_payment_and_the_sync_job_are_recorded(localstripe_settings, student, student_client):
    course = CourseFactory(price=Decimal("40.00"))
    payment_id = student_client.post("/api/payments/", {"course": course.pk}).json()["payment"]["id"]
    payment = Payment.objects.get(pk=payment_id)
    gateway.confirm_test_payment(payment.stripe_payment_intent)
    Payment.objects.filter(pk=payment.pk).update(created_at=timezone.now() - timedelta(minutes=10))

    payments_sync_pending()

    assert trail("payment", payment.pk) == [
        ("", "pending", student.pk, "", "api"),
        ("pending", "succeeded", None, "", "sync"),
    ]


def test_records_cannot_be_changed_or_deleted(student_client):
    student_client.post("/api/enrollments/", {"course": FreeCourseFactory().pk})
    record = AuditRecord.objects.get()

    record.to_status = "ended"
    with pytest.raises(AppendOnlyError):
        record.save()
    with pytest.raises(AppendOnlyError):
        record.delete()
    with pytest.raises(AppendOnlyError):
        AuditRecord.objects.filter(pk=record.pk).update(to_status="ended")
    with pytest.raises(AppendOnlyError):
        AuditRecord.objects.all().delete()
    assert AuditRecord.objects.get().to_status == "active"


@pytest.mark.parametrize(
    ("who", "expected"),
    [("anon", 401), ("student", 403), ("instructor", 403), ("admin", 200)],
)
def test_only_admins_read_the_trail(
    who, expected, make_client, student, instructor, admin_user, student_client
):
    student_client.post("/api/enrollments/", {"course": FreeCourseFactory().pk})
    user = {"anon": None, "student": student, "instructor": instructor, "admin": admin_user}[who]
    client = make_client(user)

    response = client.get("/api/audit/")
    record_id = AuditRecord.objects.get().pk

    assert response.status_code == expected
    assert client.get(f"/api/audit/{record_id}/").status_code == expected
    if expected == 200:
        [row] = response.json()["results"]
        assert (row["entity"], row["to_status"], row["actor"]) == ("enrollment", "active", student.pk)


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_nobody_writes_the_trail_through_the_api(method, admin_client_api, student_client):
    student_client.post("/api/enrollments/", {"course": FreeCourseFactory().pk})
    record = AuditRecord.objects.get()
    url = "/api/audit/" if method == "post" else f"/api/audit/{record.pk}/"

    response = getattr(admin_client_api, method)(url, {"to_status": "ended"})

    assert response.status_code == 405
    assert AuditRecord.objects.get().to_status == "active"


# --- Who caused a change ---------------------------------------------------------------------


def record(entity_id: int, from_status: str = "pending", to_status: str = "succeeded") -> None:
    audit_record(entity="payment", entity_id=entity_id, from_status=from_status, to_status=to_status)


def changes(cause: str, student, payment_id: int) -> None:
    """Record two changes of one payment, caused by `cause`."""

    def change(_request=None) -> None:
        record(payment_id)
        record(payment_id, "succeeded", "refunded")

    if cause == "request":
        request = RequestFactory().post("/api/payments/")
        request.user = student
        AuditContextMiddleware(change)(request)
    elif cause == "request+stripe":

        def in_event(_request) -> None:
            with audit_cause(via="webhook", stripe_event_id="evt_batch"):
                change()

        request = RequestFactory().post("/api/payments/webhook/")
        request.user = student  # whoever's request runs the code, Stripe caused the change
        AuditContextMiddleware(in_event)(request)
    elif cause == "sync":
        with audit_cause(via="sync"):
            change()
    else:
        change()


@pytest.mark.parametrize(
    ("cause", "actor", "stripe_event_id", "via"),
    [
        ("request", "student", "", "api"),
        ("request+stripe", None, "evt_batch", "webhook"),
        ("sync", None, "", "sync"),
        ("nothing", None, "", "system"),
    ],
)
def test_records_are_attributed_to_their_cause(student, cause, actor, stripe_event_id, via):
    changes(cause, student, payment_id=1)

    actor_id = student.pk if actor == "student" else None
    assert trail("payment", 1) == [
        ("pending", "succeeded", actor_id, stripe_event_id, via),
        ("succeeded", "refunded", actor_id, stripe_event_id, via),
    ]

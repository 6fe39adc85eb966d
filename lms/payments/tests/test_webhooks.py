"""POST /api/payments/webhook/ with events signed here, as Stripe signs them: HMAC-SHA256 over "{t}.{body}".

The exact bytes are sent with `client.generic`, so what is verified is what was signed.
"""

import json
import time
from datetime import timedelta
from decimal import Decimal
from itertools import count

import pytest
from django.test import Client
from django.utils import timezone

from lms.audit.models import AuditRecord
from lms.courses.tests.factories import CourseFactory
from lms.enrollments.models import Enrollment
from lms.enrollments.services import enrollment_grant
from lms.enrollments.tests.factories import EnrollmentFactory
from lms.payments.models import Payment, WebhookEvent
from lms.payments.tests.factories import PaymentFactory
from lms.payments.tests.test_gateway import sign

pytestmark = pytest.mark.django_db

URL = "/api/payments/webhook/"
SECRET = "whsec_webhook_tests"
Status = Payment.Status
_event_ids = count(1)


@pytest.fixture(autouse=True)
def webhook_secret(settings):
    settings.STRIPE_WEBHOOK_SECRET = SECRET
    # Applying an event never calls Stripe: make sure of it.
    settings.STRIPE_SECRET_KEY = ""
    return SECRET


@pytest.fixture
def payment():
    return PaymentFactory(course=CourseFactory(price=Decimal("120.00")))


def event_body(event_type: str, obj: dict, *, event_id: str | None = None) -> bytes:
    return json.dumps(
        {
            "id": event_id or f"evt_test{next(_event_ids):06d}",
            "object": "event",
            "api_version": "2026-10-28.endive",
            "created": int(time.time()),
            "livemode": False,
            "type": event_type,
            "data": {"object": obj},
        }
    ).encode()


def intent_event(
    payment: Payment,
    event_type: str = "payment_intent.succeeded",
    *,
    event_id: str | None = None,
    **fields,
) -> bytes:
    status = {
        "payment_intent.succeeded": "succeeded",
        "payment_intent.payment_failed": "requires_payment_method",
        "payment_intent.canceled": "canceled",
    }.get(event_type, "succeeded")
    obj = {
        "id": payment.stripe_payment_intent,
        "object": "payment_intent",
        "status": status,
        "amount": 12000,
        "currency": "usd",
        "client_secret": f"{payment.stripe_payment_intent}_secret_x",
        "metadata": {"payment_id": str(payment.pk)},
        **fields,
    }
    return event_body(event_type, obj, event_id=event_id)


def refund_event(payment: Payment, *, refunded: bool = True, event_id: str | None = None) -> bytes:
    obj = {
        "id": "ch_test",
        "object": "charge",
        "amount": 12000,
        "amount_refunded": 12000 if refunded else 100,
        "currency": "usd",
        "payment_intent": payment.stripe_payment_intent,
        "refunded": refunded,
    }
    return event_body("charge.refunded", obj, event_id=event_id)


def post(body: bytes, signature: str | None = "sign", *, client: Client | None = None):
    headers = {}
    if signature == "sign":
        signature = sign(body, secret=SECRET)
    if signature is not None:
        headers["HTTP_STRIPE_SIGNATURE"] = signature
    return (client or Client()).generic("POST", URL, body, content_type="application/json", **headers)


def status_of(payment: Payment) -> str:
    payment.refresh_from_db()
    return payment.status


def enrollments(payment: Payment) -> list[Enrollment]:
    return list(Enrollment.objects.filter(student=payment.student, course=payment.course))


# --- Accepted -----------------------------------------------------------------------------------


def test_succeeded_marks_the_payment_and_enrolls(payment):
    body = intent_event(payment, event_id="evt_ok")

    r = post(body)

    assert r.status_code == 200, r.content
    assert r.json() == {"received": True, "outcome": "processed"}
    assert status_of(payment) == Status.SUCCEEDED
    [enrollment] = enrollments(payment)
    assert (enrollment.source, enrollment.ended_at) == (Enrollment.Source.PAYMENT, None)
    record = WebhookEvent.objects.get()
    assert (record.event_id, record.type, record.intent_id, record.outcome) == (
        "evt_ok",
        "payment_intent.succeeded",
        payment.stripe_payment_intent,
        "processed",
    )


def test_amount_received_is_checked_when_present(payment):
    r = post(intent_event(payment, amount_received=100))

    assert r.status_code == 200
    assert r.json()["outcome"] == "mismatch"
    assert status_of(payment) == Status.PENDING
    assert enrollments(payment) == []
    assert WebhookEvent.objects.get().outcome == "mismatch"


@pytest.mark.parametrize(
    "fields",
    [
        pytest.param({"amount": 100}, id="amount"),
        pytest.param({"currency": "eur"}, id="currency"),
        pytest.param({"amount": 12000, "amount_received": 12000, "currency": "jpy"}, id="currency-jpy"),
        pytest.param({"currency": 5}, id="currency-not-a-string"),
        pytest.param({"currency": ["usd"]}, id="currency-a-list"),
        pytest.param({"amount": 12000.0}, id="amount-a-float"),
        pytest.param({"amount": True}, id="amount-a-boolean"),
    ],
)
def test_a_mismatch_is_recorded_and_does_not_enroll(payment, fields):
    r = post(intent_event(payment, **fields))

    assert r.status_code == 200
    assert r.json()["outcome"] == "mismatch"
    assert status_of(payment) == Status.PENDING
    assert payment.last_error.startswith("expected 12000 usd")
    assert enrollments(payment) == []
    record = WebhookEvent.objects.get()
    assert (record.outcome, record.detail) == ("mismatch", payment.last_error)


def test_the_payment_is_found_by_intent_not_by_metadata(payment):
    other = PaymentFactory()

    r = post(intent_event(payment, metadata={"payment_id": str(other.pk)}))

    assert r.status_code == 200
    assert status_of(payment) == Status.SUCCEEDED
    assert status_of(other) == Status.PENDING


def test_payment_failed_marks_failed(payment):
    body = intent_event(
        payment, "payment_intent.payment_failed", last_payment_error={"message": "Your card was declined."}
    )

    r = post(body)

    assert r.status_code == 200
    assert r.json()["outcome"] == "processed"
    assert status_of(payment) == Status.FAILED
    assert payment.last_error == "Your card was declined."
    assert enrollments(payment) == []


def test_canceled_marks_canceled(payment):
    r = post(intent_event(payment, "payment_intent.canceled", cancellation_reason="abandoned"))

    assert r.status_code == 200
    assert status_of(payment) == Status.CANCELED
    assert enrollments(payment) == []


def test_charge_refunded_marks_refunded_and_ends_the_enrollment(payment):
    post(intent_event(payment))

    r = post(refund_event(payment))

    assert r.status_code == 200
    assert r.json()["outcome"] == "processed"
    assert status_of(payment) == Status.REFUNDED
    [enrollment] = enrollments(payment)
    assert enrollment.ended_at is not None
    assert WebhookEvent.objects.filter(
        type="charge.refunded", intent_id=payment.stripe_payment_intent
    ).exists()


def test_a_refund_delivered_before_the_success_leaves_the_student_unenrolled(payment):
    refunded = post(refund_event(payment))
    late_success = post(intent_event(payment))

    assert refunded.json()["outcome"] == "processed"
    assert late_success.status_code == 200
    assert late_success.json()["outcome"] == "ignored"
    assert status_of(payment) == Status.REFUNDED
    assert enrollments(payment) == []


def test_a_partial_refund_is_ignored(payment):
    post(intent_event(payment))

    r = post(refund_event(payment, refunded=False))

    assert r.status_code == 200
    assert r.json()["outcome"] == "ignored"
    assert status_of(payment) == Status.SUCCEEDED
    assert enrollments(payment)[0].ended_at is None
    assert WebhookEvent.objects.get(type="charge.refunded").outcome == "ignored"


@pytest.mark.parametrize("late", ["payment_intent.payment_failed", "payment_intent.canceled"])
def test_a_late_failure_never_downgrades_a_succeeded_payment(payment, late):
    post(intent_event(payment))

    r = post(intent_event(payment, late))

    assert r.status_code == 200
    assert r.json()["outcome"] == "ignored"
    assert status_of(payment) == Status.SUCCEEDED
    assert enrollments(payment)[0].ended_at is None


def test_succeeded_after_failed_enrolls(payment):
    post(intent_event(payment, "payment_intent.payment_failed"))

    r = post(intent_event(payment))

    assert r.status_code == 200
    assert status_of(payment) == Status.SUCCEEDED
    assert len(enrollments(payment)) == 1


def test_an_unknown_intent_is_200_and_recorded_as_ignored(payment):
    other = PaymentFactory.build(stripe_payment_intent="pi_not_ours")

    r = post(intent_event(other, event_id="evt_unknown"))

    assert r.status_code == 200
    assert r.json()["outcome"] == "ignored"
    record = WebhookEvent.objects.get()
    assert (record.event_id, record.outcome, record.intent_id) == ("evt_unknown", "ignored", "pi_not_ours")
    assert record.detail == "unknown payment intent"
    assert status_of(payment) == Status.PENDING
    assert not Enrollment.objects.exists()


@pytest.mark.parametrize(
    ("event_type", "obj"),
    [
        ("customer.created", {"id": "cus_1", "object": "customer"}),
        (
            "payment_intent.created",
            {"id": "pi_x", "object": "payment_intent", "status": "requires_payment_method"},
        ),
        ("charge.succeeded", {"id": "ch_1", "object": "charge", "payment_intent": "pi_x"}),
    ],
)
def test_an_unhandled_event_type_is_200_and_recorded_as_ignored(payment, event_type, obj):
    r = post(event_body(event_type, obj, event_id="evt_unhandled"))

    assert r.status_code == 200
    assert r.json() == {"received": True, "outcome": "ignored"}
    record = WebhookEvent.objects.get()
    assert (record.event_id, record.type, record.outcome) == ("evt_unhandled", event_type, "ignored")
    assert status_of(payment) == Status.PENDING


def test_a_duplicate_delivery_does_nothing_more(payment):
    body = intent_event(payment, event_id="evt_twice")
    first = post(body)
    # A second delivery of the same event, as Stripe retries it: later, signed again.
    second = post(body, sign(body, secret=SECRET, timestamp=int(time.time()) + 1))

    assert (first.status_code, second.status_code) == (200, 200)
    assert second.json() == {"received": True, "outcome": "duplicate"}
    assert WebhookEvent.objects.filter(event_id="evt_twice").count() == 1
    assert len(enrollments(payment)) == 1


def test_a_duplicate_event_id_is_not_applied_even_with_another_body(payment):
    post(intent_event(payment, "payment_intent.payment_failed", event_id="evt_same"))

    r = post(intent_event(payment, event_id="evt_same"))

    assert r.json()["outcome"] == "duplicate"
    assert status_of(payment) == Status.FAILED
    assert enrollments(payment) == []


def test_the_webhook_needs_no_csrf_token_and_no_user(payment):
    r = post(intent_event(payment), client=Client(enforce_csrf_checks=True))

    assert r.status_code == 200
    assert status_of(payment) == Status.SUCCEEDED


def test_only_post_is_allowed():
    assert Client().get(URL).status_code == 405


# --- A student who already has an enrollment: the optimistic first attempt rolls back, the second applies


def trail(entity: str, entity_id: int) -> list[tuple]:
    """As test_audit's `trail` (which cannot be imported here: test_audit imports this module)."""
    records = AuditRecord.objects.filter(entity=entity, entity_id=entity_id).order_by("id")
    return list(records.values_list("from_status", "to_status", "actor_id", "stripe_event_id", "via"))


def redeliver(body: bytes):
    return post(body, sign(body, secret=SECRET, timestamp=int(time.time()) + 1))


def test_succeeded_for_a_student_already_enrolled_keeps_the_payment_for_a_refund(payment):
    granted = enrollment_grant(student=payment.student, course=payment.course)
    granted_row = Enrollment.objects.filter(pk=granted.pk).values().get()
    body = intent_event(payment, event_id="evt_paid_twice")

    r = post(body)

    assert r.status_code == 200, r.content
    assert r.json() == {"received": True, "outcome": "processed"}
    assert status_of(payment) == Status.SUCCEEDED
    assert "refund" in payment.last_error
    assert [e.pk for e in enrollments(payment)] == [granted.pk]
    assert Enrollment.objects.filter(pk=granted.pk).values().get() == granted_row
    assert Enrollment.objects.count() == 1
    assert list(WebhookEvent.objects.values_list("event_id", "outcome")) == [("evt_paid_twice", "processed")]
    # Once: nothing is left over from the first attempt, which rolled back.
    assert trail("payment", payment.pk) == [("pending", "succeeded", None, "evt_paid_twice", "webhook")]
    assert trail("enrollment", granted.pk) == [("", "active", None, "", "system")]  # the grant's only
    assert AuditRecord.objects.count() == 2

    again = redeliver(body)

    assert again.status_code == 200
    assert again.json() == {"received": True, "outcome": "duplicate"}
    assert WebhookEvent.objects.count() == 1
    assert AuditRecord.objects.count() == 2
    assert Enrollment.objects.filter(pk=granted.pk).values().get() == granted_row


def test_succeeded_for_a_student_whose_enrollment_ended_reactivates_it(payment):
    long_ago = timezone.now() - timedelta(days=30)
    ended = EnrollmentFactory(
        student=payment.student,
        course=payment.course,
        source=Enrollment.Source.ADMIN,
        enrolled_at=long_ago,
        ended_at=long_ago,
    )
    body = intent_event(payment, event_id="evt_back")

    r = post(body)

    assert r.status_code == 200, r.content
    assert r.json() == {"received": True, "outcome": "processed"}
    assert status_of(payment) == Status.SUCCEEDED
    assert payment.last_error == ""
    [enrollment] = enrollments(payment)
    assert enrollment.pk == ended.pk
    assert (enrollment.ended_at, enrollment.source) == (None, Enrollment.Source.PAYMENT)
    assert enrollment.enrolled_at > long_ago
    assert Enrollment.objects.count() == 1
    assert list(WebhookEvent.objects.values_list("event_id", "outcome")) == [("evt_back", "processed")]
    assert trail("payment", payment.pk) == [("pending", "succeeded", None, "evt_back", "webhook")]
    assert trail("enrollment", ended.pk) == [("ended", "active", None, "evt_back", "webhook")]
    assert AuditRecord.objects.count() == 2

    again = redeliver(body)

    assert again.status_code == 200
    assert again.json() == {"received": True, "outcome": "duplicate"}
    assert WebhookEvent.objects.count() == 1
    assert AuditRecord.objects.count() == 2
    assert enrollments(payment)[0].ended_at is None


# --- Refused: nothing changes -------------------------------------------------------------------


def assert_nothing_changed(payment: Payment) -> None:
    assert status_of(payment) == Status.PENDING
    assert not Enrollment.objects.exists()
    assert not WebhookEvent.objects.exists()


def test_a_missing_signature_is_400(payment):
    r = post(intent_event(payment), signature=None)

    assert r.status_code == 400
    assert r.json()["code"] == "invalid_signature"
    assert_nothing_changed(payment)


@pytest.mark.parametrize(
    "signature",
    [
        pytest.param("", id="empty"),
        pytest.param("garbage", id="unparsable"),
        pytest.param("t=1700000000", id="no-v1"),
        pytest.param("other-secret", id="other-secret"),
        pytest.param("v0", id="other-scheme"),
        pytest.param(f"t={int(time.time())},v1=\u00e9", id="not-ascii"),  # compare_digest raises on it
        pytest.param(f"t={int(time.time())},v1={'ÿ' * 64}", id="not-ascii-digest-length"),
    ],
)
def test_a_bad_signature_is_400(payment, signature):
    body = intent_event(payment)
    if signature == "other-secret":
        signature = sign(body, secret="whsec_someone_else")
    elif signature == "v0":
        signature = sign(body, secret=SECRET).replace("v1=", "v0=")

    r = post(body, signature)

    assert r.status_code == 400
    assert r.json()["code"] == "invalid_signature"
    assert_nothing_changed(payment)


@pytest.mark.parametrize(
    "tamper",
    [
        pytest.param(lambda b: b.replace(b'"amount": 12000', b'"amount": 1'), id="amount"),
        pytest.param(lambda b: b.replace(b"payment_intent.succeeded", b"payment_intent.canceled"), id="type"),
        pytest.param(lambda b: json.dumps(json.loads(b), indent=2).encode(), id="reserialised"),
        pytest.param(lambda b: b + b" ", id="trailing-space"),
    ],
)
def test_a_tampered_body_is_400(payment, tamper):
    body = intent_event(payment)
    signature = sign(body, secret=SECRET)
    tampered = tamper(body)
    assert tampered != body

    r = post(tampered, signature)

    assert r.status_code == 400
    assert_nothing_changed(payment)


def test_a_stale_signature_is_400(payment):
    body = intent_event(payment)

    r = post(body, sign(body, secret=SECRET, timestamp=int(time.time()) - 301))

    assert r.status_code == 400
    assert_nothing_changed(payment)


def test_a_signature_within_the_tolerance_is_accepted(payment):
    body = intent_event(payment)

    r = post(body, sign(body, secret=SECRET, timestamp=int(time.time()) - 240))

    assert r.status_code == 200
    assert status_of(payment) == Status.SUCCEEDED


def test_a_signed_body_that_is_not_an_event_is_400(payment):
    body = b'{"object": "event", "type": "payment_intent.succeeded"}'

    r = post(body)

    assert r.status_code == 400
    assert r.json()["code"] == "invalid_payload"
    assert_nothing_changed(payment)


@pytest.mark.parametrize("secret", ["", "   "])
def test_without_a_webhook_secret_every_event_is_refused(settings, payment, secret):
    settings.STRIPE_WEBHOOK_SECRET = secret
    body = intent_event(payment)

    signed_with_the_empty_secret = post(body, sign(body, secret=secret))
    unsigned = post(body, signature=None)

    assert (signed_with_the_empty_secret.status_code, unsigned.status_code) == (503, 503)
    assert unsigned.json()["code"] == "payment_provider_not_configured"
    assert_nothing_changed(payment)


# --- A failure while applying rolls back and asks for a retry --------------------------------------


def test_a_failure_applying_the_event_is_5xx_rolls_back_and_the_retry_succeeds(payment, monkeypatch):
    from django.db import OperationalError

    from lms.payments import services

    real = services.enrollment_ensure
    monkeypatch.setattr(
        services, "enrollment_ensure", lambda **kw: (_ for _ in ()).throw(OperationalError("gone"))
    )
    body = intent_event(payment, event_id="evt_retry")

    failed = post(body)

    assert failed.status_code == 500
    assert failed.json()["code"] == "webhook_failed"
    # Rolled back: the payment is not marked succeeded without its enrollment, and the event is
    # not recorded, so the retry below is not taken for a duplicate.
    assert_nothing_changed(payment)

    monkeypatch.setattr(services, "enrollment_ensure", real)  # the database is back
    retried = post(body, sign(body, secret=SECRET))

    assert retried.status_code == 200
    assert retried.json()["outcome"] == "processed"
    assert status_of(payment) == Status.SUCCEEDED
    assert len(enrollments(payment)) == 1
    assert WebhookEvent.objects.get().event_id == "evt_retry"


def test_a_payment_whose_student_row_is_missing_fails_loudly_and_is_retried(payment):
    """Bad data must give a 5xx (Stripe retries; the event stays unrecorded), never "unknown intent"."""
    from django.db import connection

    table = connection.ops.quote_name(payment.student._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "mysql":
            cursor.execute("SET FOREIGN_KEY_CHECKS = 0")
        # PostgreSQL and SQLite check the foreign key at commit, which this test never reaches.
        cursor.execute(f"DELETE FROM {table} WHERE id = %s", [payment.student_id])
        if connection.vendor == "mysql":
            cursor.execute("SET FOREIGN_KEY_CHECKS = 1")

    r = post(intent_event(payment))

    assert r.status_code == 500
    assert r.json()["code"] == "webhook_failed"
    assert_nothing_changed(payment)
    # Nothing may point at the removed student when the test's foreign keys are checked at its end.
    Payment.objects.filter(pk=payment.pk).delete()


def test_an_event_that_can_never_be_applied_is_recorded_with_a_2xx_and_an_alert(payment, monkeypatch, caplog):
    from django.core.exceptions import ValidationError

    from lms.payments import services

    def refuse(**kwargs):  # a business rule that refuses this event, now and on every retry
        raise ValidationError("refused by a rule")

    monkeypatch.setattr(services, "payment_apply_intent_state", refuse)
    monkeypatch.setattr("lms.payments.webhooks.payment_apply_intent_state", refuse)

    first = post(intent_event(payment, event_id="evt_never"))
    again = post(intent_event(payment, event_id="evt_never"))

    assert (first.status_code, first.json()["outcome"]) == (200, "failed")
    assert (again.status_code, again.json()["outcome"]) == (200, "duplicate")
    event = WebhookEvent.objects.get()
    assert (event.event_id, event.outcome) == ("evt_never", "failed")
    assert "refused by a rule" in event.detail
    assert status_of(payment) == Status.PENDING
    assert any(r.levelname == "ERROR" and "can never be applied" in r.getMessage() for r in caplog.records)


def test_a_succeeded_event_for_an_account_that_is_no_longer_a_students_settles_the_payment(payment):
    from lms.users.models import Role, User

    User.objects.filter(pk=payment.student_id).update(role=Role.INSTRUCTOR)

    r = post(intent_event(payment))

    assert r.status_code == 200
    assert status_of(payment) == Status.SUCCEEDED
    assert enrollments(payment) == []

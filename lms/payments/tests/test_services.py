"""The payment services, against a real localstripe wherever Stripe is asked anything.

`payment_apply_intent_state` is what the webhook, `sync_payments` and the admin actions share;
its rules are tested here on rows whose intents Stripe is never asked about.
"""

import logging
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from lms.audit.models import AuditRecord
from lms.core.exceptions import Conflict, UpstreamError, UpstreamUnavailable
from lms.courses.services import course_update
from lms.courses.tests.factories import CourseFactory, FreeCourseFactory
from lms.enrollments.models import Enrollment
from lms.enrollments.services import AlreadyEnrolled, enrollment_end, enrollment_grant
from lms.enrollments.tests.factories import EnrollmentFactory
from lms.payments import gateway, services
from lms.payments.models import Payment, WebhookEvent
from lms.payments.services import (
    IntentState,
    payment_apply_intent_state,
    payment_create,
    payment_delete,
    payment_refund,
    payments_sync_pending,
)
from lms.payments.tests.factories import PaymentFactory
from lms.payments.tests.fixtures import StripeRequest, _free_port, fake_stripe, succeeded_payment
from lms.users.models import Role, User

pytestmark = pytest.mark.django_db

Status = Payment.Status
PRICE = Decimal("120.00")
PRICE_MINOR = 12000


def intent_body(intent_id: str, status: str, **extra: object) -> dict:
    """A PaymentIntent as Stripe answers it, for the stand-in Stripe."""
    return {
        "id": intent_id,
        "object": "payment_intent",
        "status": status,
        "amount": PRICE_MINOR,
        "currency": "usd",
        "client_secret": f"{intent_id}_secret_x",
        "metadata": {},
        **extra,
    }


@pytest.fixture
def course(instructor):
    return CourseFactory(instructor=instructor, price=PRICE)


def active_enrollments(student, course) -> list[Enrollment]:
    return list(Enrollment.objects.filter(student=student, course=course, ended_at__isnull=True))


def paid(student, course) -> Payment:
    return succeeded_payment(student=student, course=course)


def age(payment: Payment, minutes: int) -> None:
    Payment.objects.filter(pk=payment.pk).update(created_at=timezone.now() - timedelta(minutes=minutes))


# --- payment_create ------------------------------------------------------------------------


def test_create_charges_the_course_price_read_on_the_server(localstripe_settings, student, course):
    start = payment_create(student=student, course=course)

    payment = Payment.objects.get()
    assert start.created is True
    assert start.payment == payment
    assert (payment.student, payment.course, payment.status) == (student, course, Status.PENDING)
    assert (payment.amount, payment.currency) == (PRICE, "usd")
    [intent] = localstripe_settings.payment_intents()
    assert intent["id"] == payment.stripe_payment_intent
    assert (intent["amount"], intent["currency"], intent["status"]) == (
        PRICE_MINOR,
        "usd",
        "requires_payment_method",
    )
    assert start.client_secret == intent["client_secret"]


def test_intent_metadata_names_student_course_and_payment_key(localstripe_settings, student, course):
    payment = payment_create(student=student, course=course).payment

    [intent] = localstripe_settings.payment_intents()
    assert intent["metadata"] == {
        "student_id": str(student.pk),
        "course_id": str(course.pk),
        "payment_key": str(payment.key),
    }


@pytest.mark.django_db(transaction=True)  # so that "inside a transaction" means the service's own
def test_stripe_is_called_with_no_transaction_and_so_no_lock_held(
    localstripe_settings, student, course, monkeypatch
):
    seen = []
    for name in ("create_payment_intent", "retrieve_payment_intent"):
        real = getattr(gateway, name)

        def spy(*args, _real=real, **kwargs):
            seen.append(connection.in_atomic_block)
            return _real(*args, **kwargs)

        monkeypatch.setattr(gateway, name, spy)

    first = payment_create(student=student, course=course)
    again = payment_create(student=student, course=course)  # resumes: retrieves the intent

    assert (first.created, again.payment.pk) == (True, first.payment.pk)
    assert seen == [False, False]


def test_a_start_that_loses_the_race_cancels_its_own_intent(
    localstripe_settings, student, course, monkeypatch
):
    real = gateway.create_payment_intent
    winner = []

    def create_while_another_request_wins(**kwargs):
        intent = real(**kwargs)
        if not winner:  # a concurrent request records its payment meanwhile
            monkeypatch.setattr(gateway, "create_payment_intent", real)
            winner.append(payment_create(student=student, course=course))
        return intent

    monkeypatch.setattr(gateway, "create_payment_intent", create_while_another_request_wins)

    start = payment_create(student=student, course=course)

    assert (start.created, start.payment.pk) == (False, winner[0].payment.pk)
    assert start.client_secret == winner[0].client_secret
    assert Payment.objects.count() == 1
    statuses = {i["id"]: i["status"] for i in localstripe_settings.payment_intents()}
    open_ = [i for i, status in statuses.items() if status != "canceled"]
    assert open_ == [winner[0].payment.stripe_payment_intent]
    assert len(statuses) == 2


def test_an_amount_equal_to_the_price_is_accepted(localstripe_settings, student, course):
    start = payment_create(student=student, course=course, amount=Decimal("120"))

    assert start.payment.amount == PRICE


@pytest.mark.parametrize("amount", ["1.00", "119.99", "120.01", "0"])
def test_an_amount_other_than_the_price_is_refused(localstripe_settings, student, course, amount):
    with pytest.raises(ValidationError) as exc:
        payment_create(student=student, course=course, amount=Decimal(amount))

    assert set(exc.value.message_dict) == {"amount"}
    assert "120.00" in exc.value.message_dict["amount"][0]
    assert not Payment.objects.exists()
    assert localstripe_settings.payment_intents() == []


def test_a_free_course_is_refused(localstripe_settings, student):
    course = FreeCourseFactory()

    with pytest.raises(ValidationError) as exc:
        payment_create(student=student, course=course)

    assert set(exc.value.message_dict) == {"course"}
    assert not Payment.objects.exists()
    assert localstripe_settings.payment_intents() == []


def test_an_enrolled_student_is_refused(localstripe_settings, student, course):
    EnrollmentFactory(student=student, course=course, source=Enrollment.Source.ADMIN)

    with pytest.raises(AlreadyEnrolled) as exc:
        payment_create(student=student, course=course)

    assert exc.value.status_code == 409
    assert not Payment.objects.exists()
    assert localstripe_settings.payment_intents() == []


def test_an_ended_enrollment_does_not_block_paying_again(localstripe_settings, student, course):
    EnrollmentFactory(student=student, course=course, ended_at=timezone.now())

    assert payment_create(student=student, course=course).created


def test_a_second_call_while_pending_returns_the_same_payment_and_secret(
    localstripe_settings, student, course
):
    first = payment_create(student=student, course=course)

    second = payment_create(student=student, course=course, amount=PRICE)

    assert second.created is False
    assert second.payment.pk == first.payment.pk
    assert second.client_secret == first.client_secret
    assert Payment.objects.count() == 1
    assert [i["id"] for i in localstripe_settings.payment_intents()] == [first.payment.stripe_payment_intent]


def test_other_students_and_courses_get_their_own_payment(
    localstripe_settings, student, other_student, course
):
    mine = payment_create(student=student, course=course).payment

    theirs = payment_create(student=other_student, course=course).payment
    another = payment_create(student=student, course=CourseFactory(price=Decimal("10.00"))).payment

    assert len({mine.pk, theirs.pk, another.pk}) == 3
    assert len(localstripe_settings.payment_intents()) == 3


def payment_moves(payment: Payment) -> list[tuple[str, str]]:
    """The payment's audited status changes, oldest first."""
    records = AuditRecord.objects.filter(entity="payment", entity_id=payment.pk).order_by("id")
    return list(records.values_list("from_status", "to_status"))


def test_a_declined_payment_is_retried_on_a_new_intent(localstripe_settings, student, course):
    first = payment_create(student=student, course=course)
    old_intent = first.payment.stripe_payment_intent
    gateway.confirm_test_payment(old_intent, decline=True)
    payment_apply_intent_state(state=IntentState(old_intent, Status.FAILED, reason="declined"))

    again = payment_create(student=student, course=course)

    assert again.created is True
    assert again.payment.pk != first.payment.pk
    assert again.payment.stripe_payment_intent != old_intent
    assert again.client_secret != first.client_secret
    assert (again.payment.status, again.payment.amount) == (Status.PENDING, PRICE)
    old = Payment.objects.get(pk=first.payment.pk)
    assert old.status == Status.CANCELED
    assert payment_moves(old) == [("", "pending"), ("pending", "failed"), ("failed", "canceled")]
    # The declined intent is canceled at Stripe, so it can never take money for the old payment.
    assert gateway.retrieve_payment_intent(old_intent).status == "canceled"
    assert gateway.retrieve_payment_intent(again.payment.stripe_payment_intent).status == (
        "requires_payment_method"
    )


def test_a_decline_whose_webhook_has_not_arrived_is_retried_on_a_new_intent(
    localstripe_settings, student, course
):
    first = payment_create(student=student, course=course).payment
    gateway.confirm_test_payment(first.stripe_payment_intent, decline=True)  # no webhook: still pending

    again = payment_create(student=student, course=course)

    assert (again.created, again.payment.status) == (True, Status.PENDING)
    first.refresh_from_db()
    assert first.status == Status.CANCELED
    assert payment_moves(first) == [("", "pending"), ("pending", "canceled")]
    assert gateway.retrieve_payment_intent(first.stripe_payment_intent).status == "canceled"
    # A late failure event for the old intent changes nothing now.
    payment_apply_intent_state(state=IntentState(first.stripe_payment_intent, Status.FAILED))
    first.refresh_from_db()
    assert first.status == Status.CANCELED


def test_a_retried_payment_is_paid_on_its_new_intent_and_the_old_one_never_enrolls(
    localstripe_settings, student, course
):
    first = payment_create(student=student, course=course).payment
    gateway.confirm_test_payment(first.stripe_payment_intent, decline=True)
    payment_apply_intent_state(state=IntentState(first.stripe_payment_intent, Status.FAILED))
    retry = payment_create(student=student, course=course).payment

    gateway.confirm_test_payment(retry.stripe_payment_intent)
    assert services.payment_sync(payment=retry) == "processed"
    # Stripe reporting a success of the old intent (it cannot: it is canceled) is ignored.
    outcome, _ = payment_apply_intent_state(state=succeeded(first))

    assert outcome == "ignored"
    first.refresh_from_db()
    retry.refresh_from_db()
    assert (first.status, retry.status) == (Status.CANCELED, Status.SUCCEEDED)
    [enrollment] = active_enrollments(student, course)
    assert enrollment.source == Enrollment.Source.PAYMENT


def test_a_payment_whose_intent_stripe_lost_is_canceled_and_replaced(localstripe_settings, student, course):
    # localstripe restarts empty (reset() does the same), while the database keeps the payment.
    first = payment_create(student=student, course=course).payment
    localstripe_settings.reset()

    again = payment_create(student=student, course=course)

    assert again.created is True
    assert again.payment.pk != first.pk
    first.refresh_from_db()
    assert first.status == Status.CANCELED
    assert first.last_error == services.INTENT_MISSING
    assert payment_moves(first) == [("", "pending"), ("pending", "canceled")]
    [intent] = localstripe_settings.payment_intents()
    assert intent["id"] == again.payment.stripe_payment_intent


def test_a_failed_payment_whose_intent_stripe_lost_is_canceled_and_replaced(
    localstripe_settings, student, course
):
    first = payment_create(student=student, course=course).payment
    payment_apply_intent_state(state=IntentState(first.stripe_payment_intent, Status.FAILED))
    localstripe_settings.reset()

    again = payment_create(student=student, course=course)

    assert again.created is True
    first.refresh_from_db()
    assert first.status == Status.CANCELED
    assert payment_moves(first)[-1] == ("failed", "canceled")


def test_a_pending_payment_at_an_old_price_is_canceled_and_replaced(localstripe_settings, student, course):
    old = payment_create(student=student, course=course).payment
    course.price = Decimal("99.00")
    course.save()

    new = payment_create(student=student, course=course)

    assert new.created is True
    assert new.payment.amount == Decimal("99.00")
    old.refresh_from_db()
    assert old.status == Status.CANCELED
    assert gateway.retrieve_payment_intent(old.stripe_payment_intent).status == "canceled"
    assert gateway.retrieve_payment_intent(new.payment.stripe_payment_intent).amount == 9900


def test_a_pending_payment_that_succeeded_at_stripe_is_applied_and_refused(
    localstripe_settings, student, course
):
    payment = payment_create(student=student, course=course).payment
    gateway.confirm_test_payment(payment.stripe_payment_intent)  # no webhook is registered: it is late

    with pytest.raises(AlreadyEnrolled):
        payment_create(student=student, course=course)

    # The 409 does not roll back what it learnt from Stripe.
    payment.refresh_from_db()
    assert payment.status == Status.SUCCEEDED
    [enrollment] = active_enrollments(student, course)
    assert enrollment.source == Enrollment.Source.PAYMENT
    assert Payment.objects.count() == 1
    assert len(localstripe_settings.payment_intents()) == 1


def test_unreachable_stripe_is_503_and_leaves_no_payment(settings, student, course):
    settings.STRIPE_SECRET_KEY = "sk_test_unreachable"
    settings.STRIPE_API_BASE = f"http://127.0.0.1:{_free_port()}"  # nothing listens there

    with pytest.raises(UpstreamUnavailable) as exc:
        payment_create(student=student, course=course)

    assert exc.value.status_code == 503
    assert not Payment.objects.exists()


def test_a_stripe_error_is_502_and_leaves_no_payment(localstripe_settings, settings, student, course):
    settings.STRIPE_SECRET_KEY = "sk_x"  # localstripe answers 401 to so short a key

    with pytest.raises(UpstreamError) as exc:
        payment_create(student=student, course=course)

    assert exc.value.status_code == 502
    assert not Payment.objects.exists()


def test_a_stripe_error_while_resuming_leaves_the_pending_payment(
    localstripe_settings, settings, student, course
):
    payment = payment_create(student=student, course=course).payment
    settings.STRIPE_SECRET_KEY = "sk_x"

    with pytest.raises(UpstreamError):
        payment_create(student=student, course=course)

    assert list(Payment.objects.values_list("pk", "status")) == [(payment.pk, Status.PENDING)]


def test_a_retry_whose_old_intent_a_concurrent_retry_canceled_first_starts_anew(settings, student, course):
    old = PaymentFactory(student=student, course=course, amount=PRICE, status=Status.FAILED)
    canceled_by_the_other_request = []

    def answer(request: StripeRequest) -> dict | tuple[int, dict]:
        if request.path.endswith("/cancel"):  # the other request canceled it a moment ago
            canceled_by_the_other_request.append(True)
            return 400, {
                "error": {"type": "invalid_request_error", "code": "payment_intent_unexpected_state"}
            }
        if request.method == "POST":
            return intent_body("pi_new", "requires_payment_method")
        status = "canceled" if canceled_by_the_other_request else "requires_payment_method"
        return intent_body(old.stripe_payment_intent, status, last_payment_error={"code": "card_declined"})

    with fake_stripe(settings, answer):
        start = payment_create(student=student, course=course)

    assert (start.created, start.payment.stripe_payment_intent) == (True, "pi_new")
    old.refresh_from_db()
    assert old.status == Status.CANCELED


def test_a_price_the_currency_cannot_charge_is_400_before_stripe(settings, student):
    settings.LMS_CURRENCY = "jpy"  # no minor units
    settings.STRIPE_API_BASE = f"http://127.0.0.1:{_free_port()}"  # it must not even ask Stripe
    course = CourseFactory(price=Decimal("10.50"))

    with pytest.raises(ValidationError) as exc:
        payment_create(student=student, course=course)

    assert "course" in exc.value.message_dict
    assert not Payment.objects.exists()


# --- payment_apply_intent_state ---------------------------------------------------------------


def succeeded(
    payment: Payment, *, amount: int | None = PRICE_MINOR, currency: str | None = "usd"
) -> IntentState:
    return IntentState(payment.stripe_payment_intent, Status.SUCCEEDED, amount=amount, currency=currency)


def test_succeeded_marks_the_payment_and_enrolls(course):
    payment = PaymentFactory(course=course)

    outcome = payment_apply_intent_state(state=succeeded(payment))

    assert outcome == (WebhookEvent.Outcome.PROCESSED, "succeeded")
    payment.refresh_from_db()
    assert (payment.status, payment.last_error) == (Status.SUCCEEDED, "")
    [enrollment] = active_enrollments(payment.student, course)
    assert enrollment.source == Enrollment.Source.PAYMENT


def test_succeeded_accepts_the_currency_in_any_case(course):
    payment = PaymentFactory(course=course)

    assert payment_apply_intent_state(state=succeeded(payment, currency="USD"))[0] == "processed"


def test_succeeded_in_a_zero_decimal_currency(course):
    payment = PaymentFactory(course=course, amount=Decimal("500"), currency="jpy")

    assert payment_apply_intent_state(state=succeeded(payment, amount=500, currency="jpy"))[0] == "processed"
    assert len(active_enrollments(payment.student, course)) == 1


@pytest.mark.parametrize(
    ("amount", "currency"),
    [
        pytest.param(PRICE_MINOR - 1, "usd", id="amount-lower"),
        pytest.param(PRICE_MINOR * 100, "usd", id="amount-in-dollars-as-cents"),
        pytest.param(120, "usd", id="amount-in-major-units"),
        pytest.param(None, "usd", id="amount-missing"),
        pytest.param(PRICE_MINOR, "eur", id="currency-other"),
        pytest.param(PRICE_MINOR, None, id="currency-missing"),
    ],
)
def test_a_mismatch_is_recorded_and_logged_and_does_not_enroll(course, caplog, amount, currency):
    payment = PaymentFactory(course=course)

    with caplog.at_level(logging.ERROR, logger="lms.payments.services"):
        outcome, detail = payment_apply_intent_state(
            state=succeeded(payment, amount=amount, currency=currency)
        )

    assert outcome == WebhookEvent.Outcome.MISMATCH
    assert f"expected {PRICE_MINOR} usd" in detail
    payment.refresh_from_db()
    assert payment.status == Status.PENDING
    assert payment.last_error == detail
    assert not Enrollment.objects.exists()
    [record] = [r for r in caplog.records if r.name == "lms.payments.services"]
    assert record.levelno == logging.ERROR
    assert str(payment.pk) in record.getMessage()


@pytest.mark.parametrize("status", [Status.FAILED, Status.CANCELED])
def test_failed_or_canceled_never_downgrade_a_succeeded_payment(course, status):
    payment = PaymentFactory(course=course)
    payment_apply_intent_state(state=succeeded(payment))

    outcome, _ = payment_apply_intent_state(state=IntentState(payment.stripe_payment_intent, status))

    assert outcome == WebhookEvent.Outcome.IGNORED
    payment.refresh_from_db()
    assert payment.status == Status.SUCCEEDED
    assert len(active_enrollments(payment.student, course)) == 1


@pytest.mark.parametrize("status", [Status.FAILED, Status.CANCELED])
def test_failed_or_canceled_mark_a_pending_payment(course, status):
    payment = PaymentFactory(course=course)

    outcome = payment_apply_intent_state(
        state=IntentState(payment.stripe_payment_intent, status, reason="Your card was declined.")
    )

    assert outcome == (WebhookEvent.Outcome.PROCESSED, status)
    payment.refresh_from_db()
    assert (payment.status, payment.last_error) == (status, "Your card was declined.")
    assert not Enrollment.objects.exists()


def test_succeeded_after_failed_enrolls(course):
    payment = PaymentFactory(course=course)
    payment_apply_intent_state(state=IntentState(payment.stripe_payment_intent, Status.FAILED))

    outcome, _ = payment_apply_intent_state(state=succeeded(payment))

    assert outcome == WebhookEvent.Outcome.PROCESSED
    payment.refresh_from_db()
    assert payment.status == Status.SUCCEEDED
    assert len(active_enrollments(payment.student, course)) == 1


def test_succeeded_twice_enrolls_once(course):
    payment = PaymentFactory(course=course)
    payment_apply_intent_state(state=succeeded(payment))

    outcome, _ = payment_apply_intent_state(state=succeeded(payment))

    assert outcome == WebhookEvent.Outcome.IGNORED
    assert Enrollment.objects.count() == 1


def test_succeeded_for_a_student_already_enrolled_keeps_the_payment_for_review(course):
    payment = PaymentFactory(course=course)
    granted = EnrollmentFactory(student=payment.student, course=course, source=Enrollment.Source.ADMIN)

    outcome, _ = payment_apply_intent_state(state=succeeded(payment))

    assert outcome == WebhookEvent.Outcome.PROCESSED
    payment.refresh_from_db()
    assert payment.status == Status.SUCCEEDED
    assert "refund" in payment.last_error
    assert list(Enrollment.objects.values_list("pk", "source")) == [(granted.pk, Enrollment.Source.ADMIN)]


def test_refunded_marks_the_payment_and_ends_the_enrollment(course):
    payment = PaymentFactory(course=course)
    payment_apply_intent_state(state=succeeded(payment))

    outcome = payment_apply_intent_state(state=IntentState(payment.stripe_payment_intent, Status.REFUNDED))

    assert outcome == (WebhookEvent.Outcome.PROCESSED, "refunded")
    payment.refresh_from_db()
    assert payment.status == Status.REFUNDED
    enrollment = Enrollment.objects.get(student=payment.student, course=course)
    assert enrollment.ended_at is not None


@pytest.mark.parametrize("refunded", ["older", "newer"])
def test_a_refund_never_ends_access_that_another_succeeded_payment_still_backs(course, refunded):
    older = PaymentFactory(course=course)
    newer = PaymentFactory(course=course, student=older.student)
    for payment in (older, newer):  # paid twice
        payment_apply_intent_state(state=succeeded(payment))
    target = older if refunded == "older" else newer

    payment_apply_intent_state(state=IntentState(target.stripe_payment_intent, Status.REFUNDED))

    assert len(active_enrollments(older.student, course)) == 1
    other = newer if refunded == "older" else older
    payment_apply_intent_state(state=IntentState(other.stripe_payment_intent, Status.REFUNDED))
    assert active_enrollments(older.student, course) == []  # nothing backs it any more


def test_a_full_refund_before_the_success_is_recorded_refunds_and_the_late_success_enrolls_no_one(course):
    # Stripe does not order events: the refund of a charge can arrive before its success.
    payment = PaymentFactory(course=course)

    outcome = payment_apply_intent_state(state=IntentState(payment.stripe_payment_intent, Status.REFUNDED))
    late, _ = payment_apply_intent_state(state=succeeded(payment))

    assert outcome == (WebhookEvent.Outcome.PROCESSED, "refunded")
    assert late == WebhookEvent.Outcome.IGNORED
    payment.refresh_from_db()
    assert payment.status == Status.REFUNDED
    assert not Enrollment.objects.exists()


def test_a_refund_of_a_refunded_payment_is_ignored(course):
    payment = PaymentFactory(course=course, status=Status.REFUNDED)

    outcome, _ = payment_apply_intent_state(state=IntentState(payment.stripe_payment_intent, Status.REFUNDED))

    assert outcome == WebhookEvent.Outcome.IGNORED


def test_succeeded_after_refunded_does_not_enroll_again(course):
    payment = PaymentFactory(course=course)
    payment_apply_intent_state(state=succeeded(payment))
    payment_apply_intent_state(state=IntentState(payment.stripe_payment_intent, Status.REFUNDED))

    outcome, _ = payment_apply_intent_state(state=succeeded(payment))

    assert outcome == WebhookEvent.Outcome.IGNORED
    payment.refresh_from_db()
    assert payment.status == Status.REFUNDED
    assert active_enrollments(payment.student, course) == []


def test_an_unknown_intent_is_ignored(course):
    payment = PaymentFactory(course=course)

    outcome = payment_apply_intent_state(
        state=IntentState("pi_unknown", Status.SUCCEEDED, PRICE_MINOR, "usd")
    )

    assert outcome == (WebhookEvent.Outcome.IGNORED, "unknown payment intent")
    payment.refresh_from_db()
    assert payment.status == Status.PENDING
    assert not Enrollment.objects.exists()


# --- payment_refund -------------------------------------------------------------------------


def test_refund_refunds_at_stripe_and_ends_the_enrollment(localstripe_settings, student, course):
    payment = paid(student, course)

    refunded = payment_refund(payment=payment)

    assert refunded.status == Status.REFUNDED
    payment.refresh_from_db()
    assert payment.status == Status.REFUNDED
    [refund] = localstripe_settings.refunds(payment.stripe_payment_intent)
    assert (refund["amount"], refund["status"]) == (PRICE_MINOR, "succeeded")
    assert Enrollment.objects.get(student=student, course=course).ended_at is not None


def test_refund_twice_refunds_once(localstripe_settings, student, course):
    payment = paid(student, course)
    payment_refund(payment=payment)

    again = payment_refund(payment=payment)

    assert again.status == Status.REFUNDED
    assert len(localstripe_settings.refunds(payment.stripe_payment_intent)) == 1


@pytest.mark.parametrize("status", [Status.PENDING, Status.FAILED, Status.CANCELED])
def test_only_a_succeeded_payment_can_be_refunded(localstripe_settings, course, status):
    payment = PaymentFactory(course=course, status=status)

    with pytest.raises(Conflict) as exc:
        payment_refund(payment=payment)

    assert exc.value.status_code == 409
    payment.refresh_from_db()
    assert payment.status == status


def test_a_refund_refused_by_stripe_changes_nothing(localstripe_settings, settings, student, course):
    payment = paid(student, course)
    settings.STRIPE_SECRET_KEY = "sk_x"  # localstripe answers 401

    with pytest.raises(UpstreamError):
        payment_refund(payment=payment)

    payment.refresh_from_db()
    assert payment.status == Status.SUCCEEDED
    assert len(active_enrollments(student, course)) == 1
    assert localstripe_settings.refunds(payment.stripe_payment_intent) == []


def test_a_refund_that_stripe_already_made_is_recorded_and_ends_the_enrollment(settings, student, course):
    """Refunded in Stripe's dashboard, its charge.refunded event lost: Stripe then refuses the
    refund with `charge_already_refunded`, which was a 502 on every try, the access kept."""
    payment = PaymentFactory(student=student, course=course, status=Status.SUCCEEDED)
    EnrollmentFactory(student=student, course=course, source=Enrollment.Source.PAYMENT)

    def answer(request: StripeRequest) -> tuple[int, dict]:
        assert request.path == "/v1/refunds"
        message = "Charge ch_1 has already been refunded."
        return 400, {
            "error": {"type": "invalid_request_error", "code": "charge_already_refunded", "message": message}
        }

    with fake_stripe(settings, answer):
        payment_refund(payment=payment)

    payment.refresh_from_db()
    assert payment.status == Status.REFUNDED
    assert active_enrollments(student, course) == []


# --- payment_delete -------------------------------------------------------------------------


def test_delete_cancels_the_intent_and_removes_a_pending_payment(localstripe_settings, student, course):
    payment = payment_create(student=student, course=course).payment

    payment_delete(payment=payment)

    assert not Payment.objects.exists()
    assert gateway.retrieve_payment_intent(payment.stripe_payment_intent).status == "canceled"


def test_delete_removes_a_declined_payment(localstripe_settings, student, course):
    payment = payment_create(student=student, course=course).payment
    gateway.confirm_test_payment(payment.stripe_payment_intent, decline=True)
    payment_apply_intent_state(state=IntentState(payment.stripe_payment_intent, Status.FAILED))

    payment_delete(payment=Payment.objects.get(pk=payment.pk))

    assert not Payment.objects.exists()
    assert gateway.retrieve_payment_intent(payment.stripe_payment_intent).status == "canceled"


def test_delete_of_a_payment_already_canceled_at_stripe(localstripe_settings, student, course):
    payment = payment_create(student=student, course=course).payment
    gateway.cancel_payment_intent(payment.stripe_payment_intent)

    payment_delete(payment=payment)

    assert not Payment.objects.exists()


def test_delete_of_a_payment_whose_intent_stripe_lost(localstripe_settings, student, course):
    payment = payment_create(student=student, course=course).payment
    localstripe_settings.reset()

    payment_delete(payment=payment)

    assert not Payment.objects.filter(pk=payment.pk).exists()
    assert payment_moves(payment) == [("", "pending"), ("pending", "deleted")]


def test_refund_of_a_payment_whose_intent_stripe_lost_is_409_and_changes_nothing(
    localstripe_settings, student, course
):
    payment = paid(student, course)
    localstripe_settings.reset()

    with pytest.raises(Conflict) as exc:
        payment_refund(payment=payment)

    assert (exc.value.status_code, exc.value.code) == (409, "payment_intent_missing")
    payment.refresh_from_db()
    assert payment.status == Status.SUCCEEDED
    assert len(active_enrollments(student, course)) == 1


@pytest.mark.parametrize("status", [Status.SUCCEEDED, Status.REFUNDED])
def test_delete_refuses_a_payment_that_took_money(settings, course, status):
    payment = PaymentFactory(course=course, status=status)
    settings.STRIPE_API_BASE = f"http://127.0.0.1:{_free_port()}"  # it must not even ask Stripe

    with pytest.raises(Conflict) as exc:
        payment_delete(payment=payment)

    assert exc.value.status_code == 409
    assert Payment.objects.filter(pk=payment.pk, status=status).exists()


def test_delete_of_a_pending_payment_that_succeeded_at_stripe_applies_it_and_refuses(
    localstripe_settings, student, course
):
    payment = payment_create(student=student, course=course).payment
    gateway.confirm_test_payment(payment.stripe_payment_intent)  # the webhook is late

    with pytest.raises(Conflict) as exc:
        payment_delete(payment=payment)

    assert exc.value.status_code == 409
    payment.refresh_from_db()
    assert payment.status == Status.SUCCEEDED
    assert len(active_enrollments(student, course)) == 1


@pytest.fixture
def processing_stripe(settings):
    """A stand-in Stripe whose intents are all `processing` (localstripe keeps them so for 0.5 s only)."""

    def answer(request: StripeRequest) -> dict:
        intent_id = request.path.split("/")[3]
        return {
            "id": intent_id,
            "object": "payment_intent",
            "status": "processing",
            "amount": PRICE_MINOR,
            "currency": "usd",
            "client_secret": f"{intent_id}_secret_x",
            "metadata": {},
        }

    with fake_stripe(settings, answer) as requests:
        yield requests


def test_delete_refuses_a_payment_still_processing_at_stripe(processing_stripe, course):
    payment = PaymentFactory(course=course)

    with pytest.raises(Conflict) as exc:
        payment_delete(payment=payment)

    assert exc.value.status_code == 409
    assert Payment.objects.filter(pk=payment.pk, status=Status.PENDING).exists()
    assert [(r.method, r.path) for r in processing_stripe] == [
        ("GET", f"/v1/payment_intents/{payment.stripe_payment_intent}")
    ]


# --- payments_sync_pending and `manage.py sync_payments` -----------------------------------------


def test_sync_applies_an_old_pending_payment_that_succeeded_at_stripe(localstripe_settings, student, course):
    payment = payment_create(student=student, course=course).payment
    gateway.confirm_test_payment(payment.stripe_payment_intent)  # no webhook: it was lost
    age(payment, minutes=6)

    assert payments_sync_pending() == {"processed": 1}

    payment.refresh_from_db()
    assert payment.status == Status.SUCCEEDED
    [enrollment] = active_enrollments(student, course)
    assert enrollment.source == Enrollment.Source.PAYMENT


def test_sync_payments_command(localstripe_settings, student, other_student, course, capsys):
    old = payment_create(student=student, course=course).payment
    young = payment_create(student=other_student, course=course).payment
    for payment in (old, young):
        gateway.confirm_test_payment(payment.stripe_payment_intent)
    age(old, minutes=6)
    age(young, minutes=4)

    call_command("sync_payments")

    assert capsys.readouterr().out.strip() == "sync_payments: processed=1"
    old.refresh_from_db()
    young.refresh_from_db()
    assert (old.status, young.status) == (Status.SUCCEEDED, Status.PENDING)
    assert len(active_enrollments(student, course)) == 1
    assert active_enrollments(other_student, course) == []


def test_sync_payments_command_takes_the_age(localstripe_settings, student, course, capsys):
    payment = payment_create(student=student, course=course).payment
    gateway.confirm_test_payment(payment.stripe_payment_intent)
    age(payment, minutes=2)

    call_command("sync_payments", "--older-than-minutes", "1")

    payment.refresh_from_db()
    assert payment.status == Status.SUCCEEDED


def test_sync_checks_the_amount_as_the_webhook_does(localstripe_settings, student, course):
    payment = payment_create(student=student, course=course).payment
    gateway.confirm_test_payment(payment.stripe_payment_intent)
    Payment.objects.filter(pk=payment.pk).update(amount=Decimal("130.00"))
    age(payment, minutes=6)

    assert payments_sync_pending() == {"mismatch": 1}

    payment.refresh_from_db()
    assert payment.status == Status.PENDING
    assert "expected 13000 usd, got 12000 usd" in payment.last_error
    assert not Enrollment.objects.exists()


def test_sync_marks_a_payment_canceled_at_stripe(localstripe_settings, student, course):
    payment = payment_create(student=student, course=course).payment
    gateway.cancel_payment_intent(payment.stripe_payment_intent)
    age(payment, minutes=6)

    assert payments_sync_pending() == {"processed": 1}

    payment.refresh_from_db()
    assert payment.status == Status.CANCELED


@pytest.mark.parametrize("status", [Status.PENDING, Status.FAILED])
def test_sync_cancels_a_payment_whose_intent_stripe_lost_without_a_traceback(
    localstripe_settings, student, course, caplog, status
):
    payment = payment_create(student=student, course=course).payment
    Payment.objects.filter(pk=payment.pk).update(status=status)
    age(payment, minutes=6)
    localstripe_settings.reset()

    assert payments_sync_pending() == {"processed": 1}

    payment.refresh_from_db()
    assert payment.status == Status.CANCELED
    assert payment.last_error == services.INTENT_MISSING
    assert payment_moves(payment)[-1] == (status, "canceled")
    assert not [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]
    assert payments_sync_pending() == {}  # final: not read again


def test_money_taken_on_an_intent_stripe_had_said_was_missing_is_recorded_and_enrolls(
    localstripe_settings, student, course
):
    # Stripe said "no such intent" for a while (a wrong key, say): the payment was canceled here,
    # but the intent never was. When the student pays it after all, the success must count.
    payment = payment_create(student=student, course=course).payment
    Payment.objects.filter(pk=payment.pk).update(status=Status.CANCELED, last_error=services.INTENT_MISSING)
    amount = gateway.to_minor_units(payment.amount, payment.currency)

    outcome, _ = services.payment_apply_intent_state(
        state=services.IntentState(
            payment.stripe_payment_intent, Status.SUCCEEDED, amount=amount, currency=payment.currency
        )
    )

    payment.refresh_from_db()
    assert (outcome, payment.status) == ("processed", Status.SUCCEEDED)
    assert len(active_enrollments(student, course)) == 1


def test_a_payment_canceled_for_another_reason_stays_canceled(localstripe_settings, student, course):
    payment = payment_create(student=student, course=course).payment
    Payment.objects.filter(pk=payment.pk).update(
        status=Status.CANCELED, last_error="The course price changed."
    )
    amount = gateway.to_minor_units(payment.amount, payment.currency)

    outcome, _ = services.payment_apply_intent_state(
        state=services.IntentState(
            payment.stripe_payment_intent, Status.SUCCEEDED, amount=amount, currency=payment.currency
        )
    )

    payment.refresh_from_db()
    assert (outcome, payment.status) == ("ignored", Status.CANCELED)
    assert active_enrollments(student, course) == []


def test_sync_leaves_a_succeeded_payment_whose_intent_stripe_lost(localstripe_settings, student, course):
    payment = paid(student, course)
    localstripe_settings.reset()

    assert services.payment_sync(payment=payment) == "ignored"

    payment.refresh_from_db()
    assert payment.status == Status.SUCCEEDED
    assert len(active_enrollments(student, course)) == 1


def test_sync_leaves_a_payment_still_open_at_stripe(localstripe_settings, student, course):
    payment = payment_create(student=student, course=course).payment
    age(payment, minutes=60)

    assert payments_sync_pending() == {"ignored": 1}

    payment.refresh_from_db()
    assert payment.status == Status.PENDING


def test_sync_with_stripe_unreachable_changes_nothing_and_counts_an_error(settings, course):
    payment = PaymentFactory(course=course)
    age(payment, minutes=6)
    settings.STRIPE_SECRET_KEY = "sk_test_unreachable"
    settings.STRIPE_API_BASE = f"http://127.0.0.1:{_free_port()}"

    assert payments_sync_pending() == {"error": 1}

    payment.refresh_from_db()
    assert payment.status == Status.PENDING


def test_sync_payments_command_exits_non_zero_when_a_payment_could_not_be_synced(settings, course, capsys):
    """cron (or whoever runs it) must see a failed run: the summary, then a non-zero exit."""
    age(PaymentFactory(course=course), minutes=6)
    settings.STRIPE_SECRET_KEY = "sk_test_unreachable"
    settings.STRIPE_API_BASE = f"http://127.0.0.1:{_free_port()}"

    with pytest.raises(CommandError, match=r"1 payment\(s\) could not be synced"):
        call_command("sync_payments")

    assert capsys.readouterr().out.strip() == "sync_payments: error=1"


def test_sync_applies_a_failed_payment_that_succeeded_at_stripe(localstripe_settings, student, course):
    # A declined card, then a retry on the same intent that succeeds and whose webhook is lost
    # (localstripe cannot confirm a declined intent again, so the decline is applied locally).
    payment = payment_create(student=student, course=course).payment
    payment_apply_intent_state(
        state=IntentState(payment.stripe_payment_intent, Status.FAILED, reason="declined")
    )
    gateway.confirm_test_payment(payment.stripe_payment_intent)
    age(payment, minutes=6)

    assert payments_sync_pending() == {"processed": 1}

    payment.refresh_from_db()
    assert payment.status == Status.SUCCEEDED
    assert len(active_enrollments(student, course)) == 1


def test_sync_does_not_reread_long_failed_payments(localstripe_settings, student, course):
    payment = payment_create(student=student, course=course).payment
    gateway.confirm_test_payment(payment.stripe_payment_intent, decline=True)
    Payment.objects.filter(pk=payment.pk).update(
        status=Status.FAILED,
        created_at=timezone.now() - timedelta(days=30),
        updated_at=timezone.now() - timedelta(days=8),
    )

    assert payments_sync_pending() == {}


def test_refund_ends_only_the_enrollment_the_payment_bought(localstripe_settings, student, course):
    payment = paid(student, course)
    enrollment = Enrollment.objects.get(student=student, course=course)
    enrollment_end(enrollment=enrollment)
    enrollment_grant(student=student, course=course)  # an admin's complimentary access replaces it

    payment_refund(payment=payment)

    payment.refresh_from_db()
    assert payment.status == Status.REFUNDED
    [still] = active_enrollments(student, course)
    assert still.source == Enrollment.Source.ADMIN


def test_a_payment_whose_account_is_no_longer_a_students_is_recorded_not_retried(
    localstripe_settings, student, course
):
    payment = payment_create(student=student, course=course).payment
    gateway.confirm_test_payment(payment.stripe_payment_intent)
    User.objects.filter(pk=student.pk).update(role=Role.INSTRUCTOR)  # after paying
    age(payment, minutes=6)

    assert payments_sync_pending() == {"processed": 1}

    payment.refresh_from_db()
    assert payment.status == Status.SUCCEEDED  # the money is on record
    assert "not enrolled" in payment.last_error
    assert not Enrollment.objects.exists()
    assert payments_sync_pending() == {}  # settled: not re-read forever


def test_one_payment_that_cannot_be_applied_does_not_stop_the_others(
    localstripe_settings, student, other_student, course, monkeypatch, caplog
):
    broken = payment_create(student=student, course=course).payment
    fine = payment_create(student=other_student, course=course).payment
    for payment in (broken, fine):
        gateway.confirm_test_payment(payment.stripe_payment_intent)
        age(payment, minutes=6)
    real = services.enrollment_ensure

    def fails_for_the_first_student(*, student, **kwargs):  # a fault nobody foresaw
        if student.pk == broken.student_id:
            raise RuntimeError("unforeseen")
        return real(student=student, **kwargs)

    monkeypatch.setattr(services, "enrollment_ensure", fails_for_the_first_student)

    assert payments_sync_pending() == {"error": 1, "processed": 1}

    broken.refresh_from_db()
    fine.refresh_from_db()
    assert (broken.status, fine.status) == (Status.PENDING, Status.SUCCEEDED)  # rolled back / applied
    assert len(active_enrollments(other_student, course)) == 1
    assert f"payment {broken.pk} could not be applied" in caplog.text


def test_a_checkout_keeps_the_price_it_started_at_until_reconciliation_cancels_it(
    localstripe_settings, student, other_student, course, instructor
):
    """The price rule: an open intent pays the price of its start; a repricing ends it at the next sync."""
    confirmed_early = payment_create(student=other_student, course=course).payment
    left_open = payment_create(student=student, course=course).payment
    course_update(course=course, actor=instructor, price=Decimal("500.00"))

    # Paid before reconciliation ran: at the price the student was shown, and enrolled.
    gateway.confirm_test_payment(confirmed_early.stripe_payment_intent)
    for payment in (confirmed_early, left_open):
        age(payment, minutes=6)

    assert payments_sync_pending() == {"processed": 2}

    confirmed_early.refresh_from_db()
    left_open.refresh_from_db()
    assert (confirmed_early.status, confirmed_early.amount) == (Status.SUCCEEDED, PRICE)
    assert left_open.status == Status.CANCELED
    assert gateway.retrieve_payment_intent(left_open.stripe_payment_intent).status == "canceled"
    assert active_enrollments(student, course) == []
    # Starting again costs the new price.
    assert payment_create(student=student, course=course).payment.amount == Decimal("500.00")

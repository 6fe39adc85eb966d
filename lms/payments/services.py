"""Payments: the only way into a paid course.

Every state change goes through `payment_apply_intent_state`, which the webhook, the
`sync_payments` command and the admin actions share, so a payment reaches the same final
state whichever of them sees Stripe's answer first.
"""

from __future__ import annotations

import dataclasses
import logging
import uuid
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from lms.audit.services import audit_cause, audit_record
from lms.core.exceptions import Conflict
from lms.courses.models import Course
from lms.courses.services import course_check_open
from lms.enrollments.models import Enrollment
from lms.enrollments.services import AlreadyEnrolled, enrollment_end, enrollment_ensure
from lms.payments import gateway
from lms.payments.models import Payment, WebhookEvent
from lms.users.models import User

logger = logging.getLogger(__name__)

Status = Payment.Status
Outcome = WebhookEvent.Outcome


# The statuses a payment may move to from each status; nothing else ever happens to it. Only a
# refund leaves succeeded; refunded and canceled are final. A failed payment never becomes pending
# again: a retry through the API cancels it and starts a new payment on a new intent. It can still
# succeed, as real Stripe lets Stripe.js pay the same intent again with another card.
TRANSITIONS: dict[str, frozenset[str]] = {
    Status.PENDING: frozenset({Status.SUCCEEDED, Status.FAILED, Status.CANCELED, Status.REFUNDED}),
    Status.FAILED: frozenset({Status.SUCCEEDED, Status.CANCELED, Status.REFUNDED}),
    Status.SUCCEEDED: frozenset({Status.REFUNDED}),
    Status.REFUNDED: frozenset(),
    Status.CANCELED: frozenset(),
}


def _allowed_moves(payment: Payment) -> frozenset[str]:
    if payment.status == Status.CANCELED and payment.last_error == INTENT_MISSING:
        # Canceled here because Stripe said it had no such intent (another key or account for a
        # while, say), so the intent itself was never canceled: money it takes is recorded.
        return MISSING_INTENT_TRANSITIONS
    return TRANSITIONS[payment.status]


def _set_status(payment: Payment, status: str, *, last_error: str | None = None) -> None:
    """Change a payment's status and append the change to the audit trail, in the caller's transaction."""
    if status not in _allowed_moves(payment):
        raise ValueError(f"payment {payment.pk}: {payment.status} -> {status} is not allowed")
    audit_record(entity="payment", entity_id=payment.pk, from_status=payment.status, to_status=status)
    payment.status = status
    fields = ["status", "updated_at"]
    if last_error is not None:
        payment.last_error = last_error[:500]
        fields.append("last_error")
    payment.save(update_fields=fields)


@dataclass(frozen=True)
class PaymentStart:
    payment: Payment
    client_secret: str
    created: bool


def payment_create(*, student: User, course: Course, amount: Decimal | None = None) -> PaymentStart:
    """Start paying for a course at its server-side price; an open payment is reused, never doubled.

    No Stripe call is made while a lock is held: Stripe can take many seconds (timeouts and
    retries), and the student's row lock would block their other requests all that time. The
    intent is created first and the payment row is recorded under the lock afterwards; of two
    concurrent starts the later one cancels its own intent and reuses the first payment.
    """
    course_check_open(course=course)
    if course.is_free:
        raise ValidationError({"course": ["This course is free: enroll with POST /api/enrollments/."]})
    if amount is not None and amount != course.price:
        raise ValidationError({"amount": [f"The amount must equal the course price ({course.price})."]})
    try:
        gateway.to_minor_units(course.price, settings.LMS_CURRENCY)
    except ValueError as exc:  # 10.50 in a currency without cents (LMS_CURRENCY=jpy)
        raise ValidationError({"course": [f"This course's price cannot be charged: {exc}"]}) from exc
    for _ in range(3):
        open_payment = _open_payment(student=student, course=course)
        if open_payment is None:
            start = _payment_start(student=student, course=course)
        else:
            start = _payment_resume(payment=open_payment, course=course)
        if start is not None:
            return start
    raise Conflict("An earlier payment for this course is still being settled; try again shortly.")


@transaction.atomic
def _open_payment(*, student: User, course: Course) -> Payment | None:
    """The student's open payment for the course, under their row lock; refuses the enrolled."""
    # Lock the student: concurrent requests for the same student decide one after the other.
    User.objects.select_for_update().filter(pk=student.pk).first()
    if Enrollment.objects.filter(student=student, course=course, ended_at__isnull=True).exists():
        raise AlreadyEnrolled("You are already enrolled in this course.")
    return (
        Payment.objects.filter(student=student, course=course, status__in=[Status.PENDING, Status.FAILED])
        .exclude(stripe_payment_intent=None)
        .order_by("-created_at", "-id")
        .first()
    )


def _payment_start(*, student: User, course: Course) -> PaymentStart | None:
    """A new intent at Stripe, then its payment row; None when a concurrent start won the race."""
    key = uuid.uuid4()
    intent = gateway.create_payment_intent(
        amount=course.price,
        currency=settings.LMS_CURRENCY,
        metadata={"student_id": str(student.pk), "course_id": str(course.pk), "payment_key": str(key)},
        idempotency_key=f"payment-{key}-create",
    )
    try:
        with transaction.atomic():
            if _open_payment(student=student, course=course) is None:
                payment = Payment.objects.create(
                    student=student,
                    course=course,
                    amount=course.price,
                    currency=settings.LMS_CURRENCY,
                    key=key,
                    stripe_payment_intent=intent.id,
                )
                audit_record(entity="payment", entity_id=payment.pk, from_status="", to_status=Status.PENDING)
                return PaymentStart(payment=payment, client_secret=intent.client_secret or "", created=True)
    except Exception:
        _cancel_unused(intent.id)
        raise
    # Another request recorded its payment first.
    _cancel_unused(intent.id)
    return None


def _cancel_unused(intent_id: str) -> None:
    """Cancel an intent whose client secret nobody was given; a failure only leaves it unused."""
    try:
        gateway.cancel_payment_intent(intent_id)
    except gateway.GatewayException:
        logger.warning("could not cancel unused intent %s; nobody holds its client secret", intent_id)


def _payment_resume(*, payment: Payment, course: Course) -> PaymentStart | None:
    """Reuse an open payment's intent, so one student never holds two chargeable intents.

    A pending payment whose intent is still open at Stripe, at today's price and with no failed
    attempt, is returned as it is. Any other open intent is canceled at Stripe first: one at an old
    price, and one a card was declined on (localstripe cannot confirm such an intent again, and a
    new intent works the same on real Stripe). One that already ended there is settled, and one
    Stripe no longer has is marked canceled. None means: start anew.
    """
    try:
        intent = gateway.retrieve_payment_intent(payment.stripe_payment_intent)
    except gateway.MissingAtStripe:
        _mark_intent_missing(payment)
        return None
    state = _state_from_intent(intent)
    if state is None:
        failed = payment.status == Status.FAILED or intent.last_payment_error is not None
        current = payment.amount == course.price and payment.currency == settings.LMS_CURRENCY
        if current and not failed:
            return PaymentStart(payment=payment, client_secret=intent.client_secret or "", created=False)
        if intent.cancelable:
            intent = _cancel_intent(payment.stripe_payment_intent)
        state = _state_from_intent(intent)
        if state is None:  # e.g. `processing`: it may still take the money, so it must settle first
            raise Conflict("An earlier payment for this course is still being processed; try again shortly.")
        if state.status == Status.CANCELED:
            reason = (
                "Replaced by a new attempt after a failed one." if failed else "The course price changed."
            )
            state = dataclasses.replace(state, reason=reason)
    payment_apply_intent_state(state=state)
    payment.refresh_from_db()
    if payment.status == Status.SUCCEEDED:
        raise AlreadyEnrolled("Your payment for this course has already succeeded.")
    if payment.status in (Status.PENDING, Status.FAILED):
        raise Conflict("Your earlier payment for this course needs review; contact support.")
    return None


def _cancel_intent(intent_id: str) -> gateway.Intent:
    """Cancel an open intent at Stripe. When Stripe refuses, the intent as it is now: a concurrent
    retry may have canceled it first, or it may have just succeeded."""
    try:
        return gateway.cancel_payment_intent(intent_id)
    except gateway.MissingAtStripe:
        raise
    except gateway.GatewayError:
        intent = gateway.retrieve_payment_intent(intent_id)
        if intent.cancelable:
            raise
        return intent


INTENT_MISSING = (
    "Stripe has no such payment intent (another Stripe account or mode, or a restarted localstripe)."
)
# What a payment canceled for INTENT_MISSING may still become: its intent may yet take the money.
MISSING_INTENT_TRANSITIONS = frozenset({Status.SUCCEEDED, Status.REFUNDED})


def _mark_intent_missing(payment: Payment) -> str:
    """Cancel a payment whose intent Stripe does not know (nobody can pay it); returns the outcome."""
    logger.warning(
        "payment %s: Stripe has no intent %s; marking it canceled", payment.pk, payment.stripe_payment_intent
    )
    outcome, _ = payment_apply_intent_state(
        state=IntentState(payment.stripe_payment_intent, Status.CANCELED, reason=INTENT_MISSING)
    )
    return outcome


def _locked_payment(*, intent_id: str) -> Payment | None:
    """The payment of an intent, its row locked until the transaction ends."""
    return Payment.objects.select_for_update().filter(stripe_payment_intent=intent_id).first()


@dataclass(frozen=True)
class IntentState:
    """What Stripe says about an intent, from an event or from a fresh read."""

    intent_id: str
    status: str  # succeeded | failed | canceled | refunded
    amount: int | None = None
    currency: str | None = None
    reason: str = ""


@transaction.atomic
def payment_apply_intent_state(*, state: IntentState) -> tuple[str, str]:
    """Move a payment to what Stripe reports, idempotently; returns (outcome, detail).

    The payment row is locked, so concurrent deliveries apply one after another. Success is
    checked against the stored amount and currency before anyone is enrolled, and a late
    failure or cancellation never downgrades a payment that already succeeded.
    """
    payment = _locked_payment(intent_id=state.intent_id)
    if payment is None:
        return Outcome.IGNORED, "unknown payment intent"
    if state.status not in _allowed_moves(payment):
        if state.status == Status.SUCCEEDED and payment.status == Status.CANCELED:
            logger.error("payment %s: Stripe reports success of a canceled payment; review", payment.pk)
        return Outcome.IGNORED, f"payment already {payment.status}"

    if state.status == Status.SUCCEEDED:
        expected = gateway.to_minor_units(payment.amount, payment.currency)
        currency = (state.currency or "").lower()
        if state.amount != expected or currency != payment.currency:
            detail = (
                f"expected {expected} {payment.currency}, got {state.amount} {currency or '?'}; not enrolled"
            )
            logger.error("payment %s amount mismatch: %s", payment.pk, detail)
            payment.last_error = detail[:500]
            payment.save(update_fields=["last_error", "updated_at"])
            return Outcome.MISMATCH, detail
        _set_status(payment, Status.SUCCEEDED, last_error="")
        try:
            _, enrolled = enrollment_ensure(
                student=payment.student, course=payment.course, source=Enrollment.Source.PAYMENT
            )
        except ValidationError:
            # The account stopped being a student's after paying: the money is on record, access
            # cannot be given. Retrying would never change that.
            logger.error(
                "payment %s succeeded, but its account is no student's; review for refund", payment.pk
            )
            payment.last_error = (
                "Paid, but the account is not a student's: not enrolled; review for a refund."
            )
            payment.save(update_fields=["last_error", "updated_at"])
            return Outcome.PROCESSED, "succeeded; not enrolled: the account is not a student's"
        if not enrolled:
            # Paid twice (e.g. an older intent confirmed late): keep the money on record for a refund.
            logger.warning(
                "payment %s succeeded for a student already enrolled; review for refund", payment.pk
            )
            payment.last_error = "The student was already enrolled; review for a refund."
            payment.save(update_fields=["last_error", "updated_at"])
    elif state.status == Status.REFUNDED and payment.status == Status.SUCCEEDED:
        _mark_refunded(payment)
    elif state.status == Status.REFUNDED:
        # A full refund proves that the charge succeeded and the money went back: the success
        # event is late (Stripe does not order events). Record the final state now, so that the
        # late success is ignored and enrolls no one who got their money back.
        _set_status(payment, Status.REFUNDED, last_error="Refunded before its success was recorded.")
    else:  # failed or canceled
        _set_status(payment, state.status, last_error=state.reason)
    return Outcome.PROCESSED, state.status


def _mark_refunded(payment: Payment) -> None:
    _set_status(payment, Status.REFUNDED)
    # Only access that nothing else backs ends: a complimentary or free enrollment stays, and so
    # does one that another succeeded payment (the student paid twice) still pays for.
    if Payment.objects.filter(
        student=payment.student_id, course=payment.course_id, status=Status.SUCCEEDED
    ).exists():
        return
    enrollment = Enrollment.objects.filter(
        student=payment.student_id, course=payment.course_id, source=Enrollment.Source.PAYMENT
    ).first()
    if enrollment is not None:
        enrollment_end(enrollment=enrollment)


@transaction.atomic
def payment_refund(*, payment: Payment) -> Payment:
    """Refund a succeeded payment at Stripe, mark it refunded and end the enrollment."""
    payment = Payment.objects.select_for_update().get(pk=payment.pk)
    if payment.status == Status.REFUNDED:
        return payment
    if payment.status != Status.SUCCEEDED:
        raise Conflict(f"Only a succeeded payment can be refunded; this one is {payment.status}.")
    try:
        gateway.refund_payment_intent(
            payment.stripe_payment_intent,
            idempotency_key=f"payment-{payment.key}-refund",
        )
    except gateway.MissingAtStripe as exc:
        # The money is on record here but not at this Stripe account: refund it where it was paid.
        raise Conflict(
            f"{INTENT_MISSING} It cannot be refunded through this account; the payment is unchanged.",
            code="payment_intent_missing",
        ) from exc
    except gateway.GatewayError as exc:
        if exc.stripe_code != "charge_already_refunded":
            raise
        # Refunded at Stripe already (in its dashboard, say) and its charge.refunded event lost:
        # record what Stripe says, so that the enrollment ends as after any refund.
        logger.warning("payment %s: Stripe says its charge was already refunded; recording it", payment.pk)
    _mark_refunded(payment)
    return payment


def payment_delete(*, payment: Payment) -> None:
    """Remove an unpaid payment, canceling its intent at Stripe first; money taken is never deleted."""
    if payment.status in (Status.SUCCEEDED, Status.REFUNDED):
        raise Conflict(
            "A payment that took money cannot be deleted; refund it instead.", code="payment_has_money"
        )
    intent = None
    if payment.stripe_payment_intent:
        try:
            intent = gateway.retrieve_payment_intent(payment.stripe_payment_intent)
        except gateway.MissingAtStripe:
            # Nothing at Stripe to cancel, and nothing there that could still take money.
            logger.warning(
                "payment %s: Stripe has no intent %s; deleting it", payment.pk, payment.stripe_payment_intent
            )
    if intent is not None:
        if intent.status == "succeeded":
            # Stripe took the money after all (a webhook is late): record it, never delete it.
            payment_apply_intent_state(state=_state_from_intent(intent))
            raise Conflict("This payment has just succeeded at Stripe and cannot be deleted.")
        if intent.cancelable:
            gateway.cancel_payment_intent(payment.stripe_payment_intent)
        elif intent.status != "canceled":
            # `processing` cannot be canceled and may still take the money, whose webhook would
            # then find no payment: paid, but not enrolled.
            raise Conflict("This payment is still being processed at Stripe; try again once it settles.")
    with transaction.atomic():
        locked = Payment.objects.select_for_update().filter(pk=payment.pk).first()
        if locked is None:
            return
        if locked.status in (Status.SUCCEEDED, Status.REFUNDED):
            raise Conflict("A payment that took money cannot be deleted; refund it instead.")
        audit_record(entity="payment", entity_id=locked.pk, from_status=locked.status, to_status="deleted")
        locked.delete()


def _state_from_intent(intent: gateway.Intent) -> IntentState | None:
    if intent.status == "succeeded":
        received = intent.amount_received if intent.amount_received is not None else intent.amount
        return IntentState(intent.id, Status.SUCCEEDED, amount=received, currency=intent.currency)
    if intent.status == "canceled":
        return IntentState(intent.id, Status.CANCELED)
    return None


# The sync's outcome for a payment it could not settle (Stripe unreachable or refusing, or a fault):
# nothing changed, the next run tries again, and the run reports failure.
SYNC_ERROR = "error"


def payment_sync(*, payment: Payment) -> str:
    """Re-read one payment's intent from Stripe and apply its final state, if it has one.

    A checkout keeps the price it started at (the webhook checks the amount against it), until
    the course is repriced: then its still-open intent is canceled here, at the next run.
    """
    if not payment.stripe_payment_intent:
        return Outcome.IGNORED
    try:
        intent = gateway.retrieve_payment_intent(payment.stripe_payment_intent)
        if intent.cancelable and payment.amount != payment.course.price:
            intent = gateway.cancel_payment_intent(payment.stripe_payment_intent)
    except gateway.MissingAtStripe:
        return _mark_intent_missing(payment)
    except gateway.GatewayException:
        logger.exception("sync: could not read intent of payment %s", payment.pk)
        return SYNC_ERROR
    state = _state_from_intent(intent)
    if state is None:
        return Outcome.IGNORED
    outcome, _ = payment_apply_intent_state(state=state)
    return outcome


FAILED_RECHECK = timedelta(days=7)


def payments_sync_pending(*, older_than: timedelta = timedelta(minutes=5)) -> dict[str, int]:
    """Apply Stripe's final state to every pending payment older than `older_than` (lost webhooks);
    the counts of each outcome, SYNC_ERROR for the payments it could not settle."""
    cutoff = timezone.now() - older_than
    counts: dict[str, int] = {}
    # A declined payment stays payable on its intent (Stripe.js may retry with another card on the
    # same client secret), so recently failed ones are re-read too: a late success must never be
    # left unapplied.
    pending = (
        Payment.objects.filter(
            Q(status=Status.PENDING)
            | Q(status=Status.FAILED, updated_at__gte=timezone.now() - FAILED_RECHECK),
            created_at__lt=cutoff,
        )
        .select_related("course")
        .order_by("id")
    )
    with audit_cause(via="sync"):
        for payment in pending.iterator():
            try:
                outcome = payment_sync(payment=payment)
            except Exception:
                # One payment that cannot be applied must not keep the others from being applied.
                logger.exception("sync: payment %s could not be applied; going on with the rest", payment.pk)
                outcome = SYNC_ERROR
            counts[outcome] = counts.get(outcome, 0) + 1
    return counts

"""Stripe webhook events: which event type maps to which payment state, and idempotent intake."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from lms.audit.services import audit_cause
from lms.core.exceptions import ApplicationError
from lms.payments.models import Payment, WebhookEvent
from lms.payments.services import IntentState, payment_apply_intent_state

logger = logging.getLogger(__name__)

Status = Payment.Status
Outcome = WebhookEvent.Outcome
DUPLICATE = "duplicate"


def _succeeded(obj: dict[str, Any]) -> IntentState:
    """An amount that is not an integer, or a currency that is not a string, is a mismatch."""
    received = obj.get("amount_received")
    amount = received if received is not None else obj.get("amount")
    currency = obj.get("currency")
    return IntentState(
        str(obj.get("id", "")),
        Status.SUCCEEDED,
        amount=amount if type(amount) is int else None,
        currency=currency if isinstance(currency, str) else None,
    )


def _failed(obj: dict[str, Any]) -> IntentState:
    error = obj.get("last_payment_error") or {}
    reason = error.get("message", "") if isinstance(error, dict) else ""
    return IntentState(str(obj.get("id", "")), Status.FAILED, reason=str(reason))


def _canceled(obj: dict[str, Any]) -> IntentState:
    return IntentState(
        str(obj.get("id", "")), Status.CANCELED, reason=str(obj.get("cancellation_reason") or "")
    )


def _refunded(obj: dict[str, Any]) -> IntentState | None:
    # charge.refunded also fires for partial refunds; only a full refund ends access.
    if not obj.get("refunded"):
        return None
    return IntentState(str(obj.get("payment_intent") or ""), Status.REFUNDED)


HANDLERS: dict[str, Callable[[dict[str, Any]], IntentState | None]] = {
    "payment_intent.succeeded": _succeeded,
    "payment_intent.payment_failed": _failed,
    "payment_intent.canceled": _canceled,
    "charge.refunded": _refunded,
}


class WebhookFailed(ApplicationError):
    """Applying a verified event failed and was rolled back; a 5xx makes Stripe deliver it again."""

    status_code = 500
    default_detail = "The event could not be applied; it will be retried."
    default_code = "webhook_failed"


def webhook_process(*, event_id: str, event_type: str, data_object: dict[str, Any]) -> str:
    """Apply a verified event and record it, all in one transaction; a redelivery does nothing.

    If applying fails, everything rolls back, the event stays unrecorded and the answer is a 5xx,
    so Stripe's retry can succeed. A service's business error (a 4xx elsewhere, e.g.
    enrollment_create's ValidationError) is a server-side failure here: the event is verified.
    """
    if WebhookEvent.objects.filter(event_id=event_id).exists():
        return DUPLICATE
    try:
        with audit_cause(via="webhook", stripe_event_id=event_id):
            return _webhook_apply_and_record(
                event_id=event_id, event_type=event_type, data_object=data_object
            )
    except IntegrityError as exc:
        # A concurrent delivery of this event committed first: its unique id refused this one.
        if WebhookEvent.objects.filter(event_id=event_id).exists():
            return DUPLICATE
        logger.exception("stripe event %s (%s) failed and was rolled back", event_id, event_type)
        raise WebhookFailed() from exc
    except (ValidationError, ApplicationError) as exc:
        # A business rule refused the event: a redelivery would be refused the same way, forever.
        # Record it (2xx, so Stripe stops) and alert; the payment waits for a person.
        logger.error("stripe event %s (%s) can never be applied: %r", event_id, event_type, exc)
        return _webhook_record(event_id, event_type, Outcome.FAILED, f"not applied: {exc!r}")
    except Exception as exc:
        logger.exception("stripe event %s (%s) failed and was rolled back", event_id, event_type)
        raise WebhookFailed() from exc


@transaction.atomic
def _webhook_apply_and_record(*, event_id: str, event_type: str, data_object: dict[str, Any]) -> str:
    handler = HANDLERS.get(event_type)
    state = handler(data_object) if handler is not None and isinstance(data_object, dict) else None
    if state is None or not state.intent_id:
        outcome, detail = WebhookEvent.Outcome.IGNORED, "event type or object not handled"
    else:
        outcome, detail = payment_apply_intent_state(state=state)
    # The unique event id: of two concurrent deliveries, the second fails here and rolls back.
    return _webhook_record(event_id, event_type, outcome, detail, intent_id=state.intent_id if state else "")


def _webhook_record(event_id: str, event_type: str, outcome: str, detail: str, *, intent_id: str = "") -> str:
    WebhookEvent.objects.create(
        event_id=event_id,
        type=event_type[:100],
        intent_id=intent_id[:255],
        outcome=outcome,
        detail=detail[:500],
    )
    logger.info("stripe event %s (%s): %s %s", event_id, event_type, outcome, detail)
    return outcome

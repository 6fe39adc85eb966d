"""Webhook ingestion: distinct `payment_intent.succeeded` events, signed as Stripe signs them.

Each event pays one pending Payment the seeder created. After the timed run, a short untimed
redelivery phase sends some events twice at once (fresh ones and already acknowledged ones), and
then the database is checked: every acknowledged event enrolled its student exactly once, nothing
else was enrolled, and no (student, course) pair has two enrollments.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import random
import time
import uuid
from dataclasses import dataclass
from typing import Any

from bench.loadgen import Reply, Request, run_python
from bench.seed import INTENT_PREFIX

WEBHOOK_PATH = "/api/payments/webhook/"
REDELIVER_ACKED = 200
REDELIVER_FRESH = 100


@dataclass(frozen=True)
class PendingPayment:
    payment_id: int
    intent: str
    amount_minor: int
    currency: str
    student_id: int
    course_id: int


def pending_payments() -> list[PendingPayment]:
    from lms.payments.models import Payment

    rows = (
        Payment.objects.filter(status=Payment.Status.PENDING, stripe_payment_intent__startswith=INTENT_PREFIX)
        .order_by("id")
        .values_list("id", "stripe_payment_intent", "amount", "currency", "student_id", "course_id")
    )
    # Stripe's minor units; every benchmark price has two decimals (the currency is usd).
    return [PendingPayment(pk, pi, int(amount * 100), cur, s, c) for pk, pi, amount, cur, s, c in rows]


def stripe_signature(payload: bytes, secret: str, timestamp: int) -> str:
    """The Stripe-Signature header: HMAC-SHA256 of "<timestamp>.<body>" under the endpoint secret."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + payload, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={mac}"


def event_payload(event_id: str, payment: PendingPayment, created: int) -> bytes:
    intent = {
        "id": payment.intent,
        "object": "payment_intent",
        "amount": payment.amount_minor,
        "amount_received": payment.amount_minor,
        "currency": payment.currency,
        "status": "succeeded",
        "livemode": False,
        "latest_charge": f"ch_{payment.intent.removeprefix('pi_')}",
        "metadata": {
            "payment_id": str(payment.payment_id),
            "student_id": str(payment.student_id),
            "course_id": str(payment.course_id),
        },
    }
    event = {
        "id": event_id,
        "object": "event",
        "api_version": "2026-10-28.endive",
        "created": created,
        "livemode": False,
        "pending_webhooks": 1,
        "request": {"id": None, "idempotency_key": None},
        "type": "payment_intent.succeeded",
        "data": {"object": intent},
    }
    return json.dumps(event, separators=(",", ":")).encode()


class SignedEvents:
    """Request i is the event of deliveries[i], signed when it is sent, as Stripe does."""

    def __init__(self, deliveries: list[tuple[str, PendingPayment]], secret: str) -> None:
        self.deliveries = deliveries
        self.secret = secret

    def __call__(self, index: int) -> Request:
        event_id, payment = self.deliveries[index]
        now = int(time.time())
        body = event_payload(event_id, payment, now)
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "Stripe-Signature": stripe_signature(body, self.secret, now),
            "User-Agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
        }
        return "POST", WEBHOOK_PATH, body, headers


def _outcome(reply: Reply) -> str:
    if reply.status == 0:
        return "no answer"
    if not 200 <= reply.status < 300:
        return f"http {reply.status}"
    try:
        return str(json.loads(reply.body).get("outcome", "ok"))
    except (ValueError, AttributeError):
        return "ok"


def _count(outcomes: list[str]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for outcome in outcomes:
        counts[outcome] = counts.get(outcome, 0) + 1
    return counts


def benchmark_webhook(*, port: int, secret: str, threads: int, duration: float) -> dict[str, Any]:
    """Time the ingestion of distinct signed events, replay some concurrently, then verify the database."""
    payments = pending_payments()
    if not payments:
        return {"skipped": "no pending benchmark payments were seeded"}
    run = uuid.uuid4().hex[:10]
    deliveries = [(f"evt_bench_{run}_{i:08d}", p) for i, p in enumerate(payments)]

    timed, replies = run_python(
        port, SignedEvents(deliveries, secret), threads=threads, duration=duration, keep_replies=True
    )
    sent = len(replies)
    acked = [i for i, reply in replies.items() if 200 <= reply.status < 300]
    outcomes = _count([_outcome(reply) for reply in replies.values()])

    # Redelivery: acknowledged events again, and fresh events twice, all at once from every thread.
    rng = random.Random(run)  # noqa: S311 (sampling, not secrets)
    replayed = rng.sample(acked, min(REDELIVER_ACKED, len(acked)))
    fresh = list(range(sent, min(len(deliveries), sent + REDELIVER_FRESH)))
    second = [deliveries[i] for i in replayed] + [deliveries[i] for i in fresh] * 2
    rng.shuffle(second)
    _, second_replies = run_python(
        port,
        SignedEvents(second, secret),
        threads=threads,
        duration=60,
        total=len(second),
        keep_replies=True,
    )
    by_event: dict[str, list[str]] = {}
    for index, reply in second_replies.items():
        by_event.setdefault(second[index][0], []).append(_outcome(reply))
    redelivery = {
        "sent": len(second_replies),
        "acknowledged_events_replayed": len(replayed),
        "fresh_events_sent_twice": len(fresh),
        "outcomes": _count([o for outs in by_event.values() for o in outs]),
    }
    delivered = {deliveries[i][0] for i in acked} | {
        event for event, outs in by_event.items() if any(not o.startswith(("http", "no ")) for o in outs)
    }
    should_enroll = {deliveries[i][1] for i in acked} | {
        deliveries[i][1] for i in fresh if deliveries[i][0] in delivered
    }
    # Sent but not acknowledged (an error or no answer): the server may or may not have applied it.
    acked_set = set(acked)
    unanswered = {deliveries[i][1] for i in replies if i not in acked_set} - should_enroll
    verification = verify(
        payments=payments, enrolled=should_enroll, maybe_enrolled=unanswered, delivered_events=delivered
    )
    spare = sent + len(fresh)
    queries = count_queries(deliveries[spare], secret) if spare < len(deliveries) else None
    return {
        "result": timed,
        "queries": queries,
        "events_available": len(payments),
        "events_sent": sent,
        "events_acknowledged": len(acked),
        "outcomes": outcomes,
        "redelivery": redelivery,
        "verification": verification,
    }


def count_queries(delivery: tuple[str, PendingPayment], secret: str) -> dict[str, Any]:
    """The SQL of one event never sent before, delivered in-process through the whole stack."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    event_id, payment = delivery
    now = int(time.time())
    body = event_payload(f"{event_id}_queries", payment, now)
    client = Client(HTTP_HOST="127.0.0.1")
    logging.disable(logging.INFO)  # the app logs each event; the server's log has them all already
    try:
        with CaptureQueriesContext(connection) as captured:
            response = client.post(
                WEBHOOK_PATH,
                data=body,
                content_type="application/json",
                headers={"Stripe-Signature": stripe_signature(body, secret, now)},
            )
    finally:
        logging.disable(logging.NOTSET)
    return {
        "status": response.status_code,
        "queries": len(captured),
        "sql_ms": round(sum(float(q["time"]) for q in captured.captured_queries) * 1000, 2),
        "statements": [q["sql"][:160] for q in captured.captured_queries],
    }


def verify(
    *,
    payments: list[PendingPayment],
    enrolled: set[PendingPayment],
    maybe_enrolled: set[PendingPayment],
    delivered_events: set[str],
) -> dict[str, Any]:
    """Compare the database with what the server acknowledged."""
    from django.db.models import Count

    from lms.enrollments.models import Enrollment
    from lms.payments.models import Payment, WebhookEvent

    expected_pairs = {(p.student_id, p.course_id) for p in enrolled}
    paid_pairs = set(
        Enrollment.objects.filter(source="payment", ended_at__isnull=True).values_list(
            "student_id", "course_id"
        )
    )
    duplicates = (
        Enrollment.objects.values("student_id", "course_id").annotate(n=Count("id")).filter(n__gt=1).count()
    )
    succeeded = set(
        Payment.objects.filter(
            pk__in=[p.payment_id for p in payments], status=Payment.Status.SUCCEEDED
        ).values_list("pk", flat=True)
    )
    stored_events = set(
        WebhookEvent.objects.filter(event_id__in=list(delivered_events)).values_list("event_id", flat=True)
    )
    lost = expected_pairs - paid_pairs
    unexpected = paid_pairs - expected_pairs - {(p.student_id, p.course_id) for p in maybe_enrolled}
    not_succeeded = {p.payment_id for p in enrolled} - succeeded
    report = {
        "expected_enrollments": len(expected_pairs),
        "payment_enrollments": len(paid_pairs),
        "lost_enrollments": len(lost),
        "unexpected_enrollments": len(unexpected),
        "duplicate_enrollments": duplicates,
        "payments_not_succeeded": len(not_succeeded),
        "events_not_stored": len(delivered_events - stored_events),
    }
    report["ok"] = not (lost or unexpected or duplicates or not_succeeded or delivered_events - stored_events)
    return report

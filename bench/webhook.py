"""Webhook ingestion: distinct `payment_intent.succeeded` events, signed as Stripe signs them.

Each event pays one pending Payment the seeder created; wrk sends them (see wrk_report.lua). After
the timed run, a short untimed redelivery phase sends some events again at once from Python threads
(stored ones, and fresh ones twice), and then the database is checked: as many events stored as
acknowledged, every stored event enrolled its student exactly once, nothing else was enrolled, and
no (student, course) pair has two enrollments.
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
from pathlib import Path
from typing import Any

from bench.loadgen import Reply, Request, run_python, run_wrk
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


def write_signed_events(path: Path, deliveries: list[tuple[str, PendingPayment]], secret: str) -> None:
    """One line per delivery for wrk: the Stripe-Signature header, a tab, the exact signed body.

    Signed now, just before the run: Stripe's tolerance is five minutes, and the server checks the
    timestamp, the HMAC and the body of every request exactly as if Stripe had just sent it.
    """
    now = int(time.time())
    with path.open("w", encoding="utf-8") as out:
        for event_id, payment in deliveries:
            body = event_payload(event_id, payment, now)
            out.write(f"{stripe_signature(body, secret, now)}\t{body.decode()}\n")


def benchmark_webhook(
    *, wrk: str, port: int, secret: str, threads: int, connections: int, duration: float, events_file: Path
) -> dict[str, Any]:
    """Time the ingestion of distinct signed events, replay some concurrently, then verify the database.

    The timed part is wrk with `connections` concurrent senders, like every other endpoint, so the
    sender's own cost is the same small one; wrk sends each event once (see wrk_report.lua).
    """
    from lms.payments.models import WebhookEvent

    payments = pending_payments()
    if not payments:
        return {"skipped": "no pending benchmark payments were seeded"}
    run = uuid.uuid4().hex[:10]
    deliveries = [(f"evt_bench_{run}_{i:08d}", p) for i, p in enumerate(payments)]
    # A short unmeasured run first (as for every endpoint), on events of its own.
    warm = deliveries[: len(deliveries) // 10]
    timed_deliveries = deliveries[len(warm) :]
    try:
        write_signed_events(events_file, warm, secret)
        run_wrk(
            wrk,
            port,
            WEBHOOK_PATH,
            threads=threads,
            connections=connections,
            duration=min(2, duration),
            events_file=events_file,
        )
        write_signed_events(events_file, timed_deliveries, secret)
        timed = run_wrk(
            wrk,
            port,
            WEBHOOK_PATH,
            threads=threads,
            connections=connections,
            duration=duration,
            events_file=events_file,
        )
    finally:
        events_file.unlink(missing_ok=True)
    # The requests in flight when wrk stopped are still being applied: let them finish first.
    time.sleep(2)

    stored = set(
        WebhookEvent.objects.filter(event_id__startswith=f"evt_bench_{run}_").values_list(
            "event_id", flat=True
        )
    )
    stored_timed = {event_id for event_id, _ in timed_deliveries if event_id in stored}
    acknowledged = timed.requests - timed.error_detail.get("status_errors", 0)

    # Redelivery: stored events again, and fresh events twice, all at once from Python threads.
    rng = random.Random(run)  # noqa: S311 (sampling, not secrets)
    unsent = [d for d in deliveries if d[0] not in stored]
    replayed = rng.sample(sorted(stored), min(REDELIVER_ACKED, len(stored)))
    by_id = dict(deliveries)
    fresh = unsent[-REDELIVER_FRESH:]
    second = [(event_id, by_id[event_id]) for event_id in replayed] + fresh * 2
    rng.shuffle(second)
    _, second_replies = run_python(
        port,
        SignedEvents(second, secret),
        threads=connections,
        duration=60,
        total=len(second),
        keep_replies=True,
    )
    by_event: dict[str, list[str]] = {}
    for index, reply in second_replies.items():
        by_event.setdefault(second[index][0], []).append(_outcome(reply))
    redelivery = {
        "sent": len(second_replies),
        "stored_events_replayed": len(replayed),
        "fresh_events_sent_twice": len(fresh),
        "outcomes": _count([o for outs in by_event.values() for o in outs]),
    }
    delivered = stored | {
        event for event, outs in by_event.items() if any(not o.startswith(("http", "no ")) for o in outs)
    }
    should_enroll = {by_id[event_id] for event_id in delivered}
    # Sent in the second phase but not acknowledged: the server may or may not have applied it.
    unanswered = {payment for event_id, payment in fresh if event_id not in delivered}
    verification = verify(
        payments=payments, enrolled=should_enroll, maybe_enrolled=unanswered, delivered_events=delivered
    )
    # Every acknowledged event must be stored (applied); a few more may be, answered after wrk stopped.
    verification["acknowledged_not_stored"] = max(0, acknowledged - len(stored_timed))
    verification["stored_after_wrk_stopped"] = max(0, len(stored_timed) - acknowledged)
    verification["ok"] = bool(
        verification["ok"]
        and verification["acknowledged_not_stored"] == 0
        and verification["stored_after_wrk_stopped"] <= connections
        and not timed.error_detail.get("repeated")
    )
    spare = next((d for d in reversed(unsent[: -REDELIVER_FRESH or None]) if d[0] not in delivered), None)
    queries = count_queries(spare, secret) if spare is not None else None
    return {
        "result": timed,
        "queries": queries,
        "events_available": len(timed_deliveries),
        "events_acknowledged": acknowledged,
        "events_stored": len(stored_timed),
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

"""Simultaneous requests, from threads with their own database connections.

On MariaDB and PostgreSQL the row locks (`select_for_update`) and the unique constraints keep one
enrollment and one final status. On SQLite (a file, as `make run` has) each transaction takes the
one write lock when it begins, and the others wait for it: no request may fail with "database is
locked".
"""

import queue
import random
import threading
import time
from collections import Counter
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Count
from django.test import Client

from lms.courses.tests.factories import CourseFactory
from lms.enrollments.models import Enrollment
from lms.payments import gateway
from lms.payments.models import Payment, WebhookEvent
from lms.payments.services import IntentState, payment_apply_intent_state, payment_create
from lms.payments.tests.factories import PaymentFactory
from lms.payments.tests.test_gateway import sign
from lms.payments.tests.test_webhooks import SECRET, URL, intent_event

pytestmark = pytest.mark.django_db(transaction=True)

N = 8
ROUNDS = 5


def in_threads(n: int, work: Callable[[int], object]) -> list:
    """Run work(0..n-1) in n threads released together; each closes its own connection."""
    barrier = threading.Barrier(n)
    results: list = [None] * n
    errors: list[BaseException] = []

    def run(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            results[i] = work(i)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a thread is stuck (a lock wait?)"
    assert not errors, errors
    return results


def deliver(body: bytes) -> tuple[int, str]:
    r = Client().generic(
        "POST", URL, body, content_type="application/json", HTTP_STRIPE_SIGNATURE=sign(body, secret=SECRET)
    )
    return r.status_code, r.json().get("outcome", r.json().get("code"))


@pytest.fixture
def webhook_secret(settings):
    settings.STRIPE_WEBHOOK_SECRET = SECRET
    settings.STRIPE_SECRET_KEY = ""  # applying an event never calls Stripe


def new_payment() -> Payment:
    return PaymentFactory(course=CourseFactory(price=Decimal("120.00")))


def assert_paid_once(payment: Payment) -> None:
    payment.refresh_from_db()
    assert payment.status == Payment.Status.SUCCEEDED
    [enrollment] = Enrollment.objects.filter(student=payment.student, course=payment.course)
    assert (enrollment.source, enrollment.ended_at) == (Enrollment.Source.PAYMENT, None)


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_simultaneous_deliveries_of_one_event(webhook_secret, round_):
    payment = new_payment()
    body = intent_event(payment, event_id=f"evt_same_{round_}")

    results = in_threads(N, lambda i: deliver(body))

    assert Counter(results) == {(200, "processed"): 1, (200, "duplicate"): N - 1}
    assert_paid_once(payment)
    assert WebhookEvent.objects.filter(event_id=f"evt_same_{round_}").count() == 1
    assert WebhookEvent.objects.count() == 1


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_simultaneous_succeeded_and_failed_events(webhook_secret, round_):
    payment = new_payment()
    succeeded = intent_event(payment, event_id=f"evt_ok_{round_}")
    failed = intent_event(payment, "payment_intent.payment_failed", event_id=f"evt_fail_{round_}")

    results = in_threads(N, lambda i: deliver(succeeded if i % 2 else failed))

    assert all(status == 200 for status, _ in results)
    outcomes = Counter(outcome for _, outcome in results)
    # Each event is applied once; the failure is ignored when the success came first.
    assert outcomes["duplicate"] == N - 2
    assert outcomes["processed"] + outcomes["ignored"] == 2
    assert outcomes["processed"] >= 1
    assert_paid_once(payment)
    assert sorted(WebhookEvent.objects.values_list("event_id", flat=True)) == sorted(
        [f"evt_ok_{round_}", f"evt_fail_{round_}"]
    )


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_simultaneous_different_succeeded_events_for_one_intent(webhook_secret, round_):
    payment = new_payment()
    bodies = [
        intent_event(payment, event_id=f"evt_a_{round_}"),
        intent_event(payment, event_id=f"evt_b_{round_}"),
    ]

    results = in_threads(N, lambda i: deliver(bodies[i % 2]))

    assert Counter(results) == {(200, "processed"): 1, (200, "ignored"): 1, (200, "duplicate"): N - 2}
    assert_paid_once(payment)
    records = dict(WebhookEvent.objects.values_list("event_id", "outcome"))
    assert set(records) == {f"evt_a_{round_}", f"evt_b_{round_}"}
    assert sorted(records.values()) == ["ignored", "processed"]


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_simultaneous_success_of_two_payments_for_one_course(webhook_secret, round_):
    """Two intents of one student for one course both succeed at once: one enrollment, one refund review.

    Both first attempts insert the enrollment optimistically; the unique constraint refuses the
    later one, whose event rolls back and is applied again, now finding the enrollment.
    """
    first = new_payment()
    second = PaymentFactory(student=first.student, course=first.course)
    bodies = [
        intent_event(first, event_id=f"evt_first_{round_}"),
        intent_event(second, event_id=f"evt_second_{round_}"),
    ]

    results = in_threads(2, lambda i: deliver(bodies[i]))

    assert results == [(200, "processed"), (200, "processed")]
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (Payment.Status.SUCCEEDED, Payment.Status.SUCCEEDED)
    [enrollment] = Enrollment.objects.filter(student=first.student, course=first.course)
    assert (enrollment.source, enrollment.ended_at) == (Enrollment.Source.PAYMENT, None)
    errors = sorted([first.last_error, second.last_error])
    assert errors[0] == ""
    assert "refund" in errors[1]
    assert sorted(WebhookEvent.objects.values_list("event_id", "outcome")) == [
        (f"evt_first_{round_}", "processed"),
        (f"evt_second_{round_}", "processed"),
    ]


def test_simultaneous_payment_creation_makes_one_payment(
    localstripe_settings, make_client, student, instructor
):
    course = CourseFactory(instructor=instructor, price=Decimal("120.00"))
    clients = [make_client(student) for _ in range(N)]

    responses = in_threads(N, lambda i: clients[i].post("/api/payments/", {"course": course.pk}))

    assert sorted(r.status_code for r in responses) == [200] * (N - 1) + [201]
    payment = Payment.objects.get()
    assert (payment.student, payment.course, payment.status) == (student, course, Payment.Status.PENDING)
    assert {r.json()["payment"]["id"] for r in responses} == {payment.pk}
    # Starts that lost the race canceled their own intents: one intent stays chargeable.
    [intent] = [i for i in localstripe_settings.payment_intents() if i["status"] != "canceled"]
    assert intent["id"] == payment.stripe_payment_intent
    assert {r.json()["client_secret"] for r in responses} == {intent["client_secret"]}


def test_simultaneous_retries_after_a_decline_make_one_new_payment(
    localstripe_settings, make_client, student, instructor
):
    course = CourseFactory(instructor=instructor, price=Decimal("120.00"))
    declined = payment_create(student=student, course=course).payment
    gateway.confirm_test_payment(declined.stripe_payment_intent, decline=True)
    payment_apply_intent_state(state=IntentState(declined.stripe_payment_intent, Payment.Status.FAILED))
    clients = [make_client(student) for _ in range(N)]

    responses = in_threads(N, lambda i: clients[i].post("/api/payments/", {"course": course.pk}))

    assert sorted(r.status_code for r in responses) == [200] * (N - 1) + [201], [r.content for r in responses]
    declined.refresh_from_db()
    assert declined.status == Payment.Status.CANCELED
    retry = Payment.objects.exclude(pk=declined.pk).get()
    assert retry.status == Payment.Status.PENDING
    assert {r.json()["payment"]["id"] for r in responses} == {retry.pk}
    [intent] = [i for i in localstripe_settings.payment_intents() if i["status"] != "canceled"]
    assert intent["id"] == retry.stripe_payment_intent


# --- A burst of deliveries and redeliveries: none lost, none duplicated, none unexpected --------

BURST_EVENTS = 30
BURST_THREADS = 6


def test_a_burst_of_deliveries_and_redeliveries_enrolls_each_paid_student_exactly_once(webhook_secret):
    """Distinct payments' success events, each delivered two or three times, in shuffled order, by
    several senders at once, as Stripe does after a timeout; each delivery signed when sent."""
    rng = random.Random(20261206)
    payments = [new_payment() for _ in range(BURST_EVENTS)]  # distinct students and courses
    new_payment()  # a payment no event is about: it must stay pending, its student unenrolled
    events = {f"evt_burst_{payment.pk}": payment for payment in payments}
    bodies = {event_id: intent_event(payment, event_id=event_id) for event_id, payment in events.items()}
    deliveries = [event_id for event_id in events for _ in range(rng.choice((2, 3)))]
    rng.shuffle(deliveries)
    work: queue.SimpleQueue[str] = queue.SimpleQueue()
    for event_id in deliveries:
        work.put(event_id)
    deadline = time.monotonic() + 60

    def sender(_: int) -> list[tuple[str, int, str]]:
        answers = []
        while time.monotonic() < deadline:
            try:
                event_id = work.get_nowait()
            except queue.Empty:
                break
            answers.append((event_id, *deliver(bodies[event_id])))
        return answers

    answers = [answer for answers in in_threads(BURST_THREADS, sender) for answer in answers]

    # Every delivery was answered with a 2xx: none was left unsent, refused or failed.
    assert len(answers) == len(deliveries)
    assert [(event_id, status) for event_id, status, _ in answers if not 200 <= status < 300] == []
    # Each event was applied once; its redeliveries were recognised as such.
    outcomes: dict[str, Counter] = {event_id: Counter() for event_id in events}
    for event_id, _, outcome in answers:
        outcomes[event_id][outcome] += 1
    assert {event_id: dict(counts) for event_id, counts in outcomes.items()} == {
        event_id: {"processed": 1, "duplicate": deliveries.count(event_id) - 1} for event_id in events
    }
    # The database agrees: every payment succeeded, and its student has exactly one active enrollment.
    assert sorted(WebhookEvent.objects.values_list("event_id", "outcome")) == sorted(
        (event_id, "processed") for event_id in events
    )
    assert set(Payment.objects.filter(status=Payment.Status.SUCCEEDED).values_list("pk", flat=True)) == {
        payment.pk for payment in payments
    }
    expected = {(payment.student_id, payment.course_id) for payment in payments}
    active = list(
        Enrollment.objects.filter(ended_at__isnull=True, source=Enrollment.Source.PAYMENT).values_list(
            "student_id", "course_id"
        )
    )
    assert sorted(active) == sorted(expected)  # none lost, none unexpected
    assert Enrollment.objects.count() == len(events)  # none duplicated, none ended and re-created
    assert not Enrollment.objects.values("student", "course").annotate(n=Count("id")).filter(n__gt=1).exists()

"""The payment state machine: every (status, event) pair, both delivery orders, and random histories.

Events go through `webhook_process`, the path a verified webhook takes (signatures are tested in
test_webhooks.py). Stripe does not order its events, and it delivers each at least once.
"""

import itertools
import random
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule, run_state_machine_as_test

from lms.audit.models import AuditRecord
from lms.courses.tests.factories import CourseFactory
from lms.enrollments.models import Enrollment
from lms.payments.models import Payment
from lms.payments.services import TRANSITIONS
from lms.payments.tests.factories import PaymentFactory
from lms.payments.webhooks import DUPLICATE, webhook_process

pytestmark = pytest.mark.django_db

Status = Payment.Status
PRICE = Decimal("120.00")
EVENTS = {  # event type -> the status it reports
    "payment_intent.succeeded": Status.SUCCEEDED,
    "payment_intent.payment_failed": Status.FAILED,
    "payment_intent.canceled": Status.CANCELED,
    "charge.refunded": Status.REFUNDED,
}
# Statuses by how far a payment has come: a payment never moves to a lower rank.
RANK = {Status.PENDING: 0, Status.FAILED: 0, Status.SUCCEEDED: 1, Status.CANCELED: 2, Status.REFUNDED: 2}


def data_object(payment: Payment, event_type: str) -> dict:
    if event_type == "charge.refunded":
        return {
            "id": f"ch_{payment.pk}",
            "object": "charge",
            "refunded": True,
            "payment_intent": payment.pk_intent,
        }
    return {
        "id": payment.pk_intent,
        "object": "payment_intent",
        "amount": 12000,
        "amount_received": 12000 if event_type == "payment_intent.succeeded" else 0,
        "currency": "usd",
    }


def deliver(payment: Payment, event_type: str, event_id: str) -> str:
    payment.pk_intent = payment.stripe_payment_intent
    return webhook_process(
        event_id=event_id, event_type=event_type, data_object=data_object(payment, event_type)
    )


def new_payment() -> Payment:
    return PaymentFactory(course=CourseFactory(price=PRICE))


def paid_by(payment: Payment) -> bool:
    """Whether the payment's student has access that a payment bought."""
    return Enrollment.objects.filter(
        student=payment.student_id, course=payment.course_id, ended_at__isnull=True, source="payment"
    ).exists()


def reach(status: str) -> Payment:
    """A payment in `status`, reached the way Stripe's events would bring it there."""
    payment = new_payment()
    path = {
        Status.PENDING: [],
        Status.FAILED: ["payment_intent.payment_failed"],
        Status.SUCCEEDED: ["payment_intent.succeeded"],
        Status.CANCELED: ["payment_intent.canceled"],
        Status.REFUNDED: ["payment_intent.succeeded", "charge.refunded"],
    }[status]
    for n, event_type in enumerate(path):
        deliver(payment, event_type, f"evt_reach_{payment.pk}_{n}")
    payment.refresh_from_db()
    assert payment.status == status
    return payment


@pytest.mark.parametrize("event_type", EVENTS)
@pytest.mark.parametrize("current", list(Status))
def test_every_status_and_event_follows_the_transition_table(current, event_type):
    payment = reach(current)
    records = AuditRecord.objects.filter(entity="payment", entity_id=payment.pk).count()
    reported = EVENTS[event_type]

    outcome = deliver(payment, event_type, "evt_pair")

    payment.refresh_from_db()
    moves = reported in TRANSITIONS[current]
    assert payment.status == (reported if moves else current)
    assert outcome == ("processed" if moves else "ignored")
    assert AuditRecord.objects.filter(entity="payment", entity_id=payment.pk).count() == records + moves
    assert paid_by(payment) == (payment.status == Status.SUCCEEDED)
    assert deliver(payment, event_type, "evt_pair") == DUPLICATE


def test_the_table_keeps_succeeded_refunded_and_canceled_as_promised():
    assert TRANSITIONS[Status.SUCCEEDED] == {Status.REFUNDED}
    assert TRANSITIONS[Status.REFUNDED] == TRANSITIONS[Status.CANCELED] == frozenset()
    for current, targets in TRANSITIONS.items():
        assert all(RANK[target] >= RANK[current] for target in targets), current


# The events one intent can really produce, and where each history must end, in either order.
FATES = {
    "fails then succeeds": (["payment_intent.payment_failed", "payment_intent.succeeded"], Status.SUCCEEDED),
    "succeeds then refunded": (["payment_intent.succeeded", "charge.refunded"], Status.REFUNDED),
    "fails then canceled": (["payment_intent.payment_failed", "payment_intent.canceled"], Status.CANCELED),
    "succeeds, then a stale failure": (
        ["payment_intent.succeeded", "payment_intent.payment_failed"],
        Status.SUCCEEDED,
    ),
}


@pytest.mark.parametrize("reverse", [False, True], ids=["in order", "reversed"])
@pytest.mark.parametrize("fate", FATES)
def test_a_history_ends_the_same_whatever_the_delivery_order(fate, reverse):
    events, final = FATES[fate]
    payment = new_payment()

    for n, event_type in enumerate(reversed(events) if reverse else events):
        deliver(payment, event_type, f"evt_{n}_{event_type}")

    payment.refresh_from_db()
    assert payment.status == final
    assert paid_by(payment) == (final == Status.SUCCEEDED)


class PaymentHistories(RuleBasedStateMachine):
    """Intents with random fates; their events delivered shuffled, duplicated and replayed."""

    @initialize(
        fates=st.lists(st.sampled_from(sorted(FATES)), min_size=1, max_size=4), seed=st.integers(0, 99)
    )
    def make_intents(self, fates, seed):
        rng = random.Random(seed)
        self.payments = []
        self.queue = []  # (payment index, event type, event id): what Stripe still has to send
        for index, fate in enumerate(fates):
            self.payments.append(new_payment())
            events, _ = FATES[fate]
            self.queue += [
                (index, event_type, f"evt_{id(self)}_{index}_{n}") for n, event_type in enumerate(events)
            ]
        rng.shuffle(self.queue)
        self.delivered = []
        self.seen = [Status.PENDING for _ in self.payments]

    @rule(data=st.data())
    def deliver_next(self, data):
        if not self.queue:
            return
        position = data.draw(st.integers(0, len(self.queue) - 1))  # any event may come first
        index, event_type, event_id = self.queue.pop(position)
        deliver(self.payments[index], event_type, event_id)
        self.delivered.append((index, event_type, event_id))

    @rule(data=st.data())
    def redeliver(self, data):
        if not self.delivered:
            return
        index, event_type, event_id = data.draw(st.sampled_from(self.delivered))
        assert deliver(self.payments[index], event_type, event_id) == DUPLICATE

    @invariant()
    def money_and_access_agree(self):
        for index, payment in enumerate(getattr(self, "payments", [])):
            payment.refresh_from_db()
            assert RANK[payment.status] >= RANK[self.seen[index]], (self.seen[index], payment.status)
            self.seen[index] = payment.status
            assert paid_by(payment) == (payment.status == Status.SUCCEEDED)
            assert (
                Enrollment.objects.filter(student=payment.student_id, course=payment.course_id).count() <= 1
            )


def test_random_histories_keep_every_money_invariant():
    run_state_machine_as_test(
        PaymentHistories,
        settings=settings(
            max_examples=25,
            stateful_step_count=12,
            deadline=None,
            suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
            database=None,
        ),
    )


def test_every_fate_is_a_possible_history():
    # The fates above use only events the table knows; a new event type needs a fate too.
    used = set(itertools.chain.from_iterable(events for events, _ in FATES.values()))
    assert used == set(EVENTS)

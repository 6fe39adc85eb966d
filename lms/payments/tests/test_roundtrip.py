"""The real flow, offline: API → intent at localstripe → confirm → signed webhook → enrollment.

localstripe signs each event and sends it a second later, on its own schedule. Its deliveries go
to a receiver here, and the test hands them, byte for byte, to the app behind a live server, and
reads the database only once the app has answered. Letting localstripe call the app directly
would have the app apply an event while the test reads, at a moment the test does not choose.
"""

from dataclasses import dataclass, field

import pytest
from django.core.management import CommandError, call_command

from lms.courses.tests.factories import CourseFactory
from lms.payments.models import Payment
from lms.payments.services import IntentState, payment_apply_intent_state
from lms.payments.tests.fixtures import WebhookReceiver, forward

pytestmark = pytest.mark.django_db(transaction=True)


@dataclass
class StripeToApp:
    receiver: WebhookReceiver
    url: str
    answers: list[tuple[str, str, int, dict]] = field(default_factory=list)

    def deliver(self, event_type: str, intent_id: str) -> str:
        """Wait for localstripe's `event_type` about `intent_id`; hand the app it and every delivery
        before it, in order, each answered before the next; return the app's outcome for it."""
        self.receiver.wait_for(event_type, intent_id)
        received = self.receiver.received()
        for delivery in received[len(self.answers) :]:
            status, body = forward(delivery, self.url)
            event = delivery.event
            self.answers.append((event["type"], event["data"]["object"]["id"], status, body))
            assert 200 <= status < 300, (event["type"], status, body)
        [outcome] = [
            body.get("outcome")
            for type_, id_, _, body in self.answers
            if (type_, id_) == (event_type, intent_id)
        ]
        return outcome


@pytest.fixture
def stripe_to_app(localstripe_settings, webhook_receiver, live_server):
    localstripe_settings.register_webhook(webhook_receiver.url)
    return StripeToApp(webhook_receiver, f"{live_server.url}/api/payments/webhook/")


def test_pay_confirm_webhook_enrolls(stripe_to_app, student, student_client, instructor):
    course = CourseFactory(instructor=instructor, price="120.00")

    response = student_client.post("/api/payments/", {"course": course.pk, "amount": "120.00"})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["client_secret"]
    payment = body["payment"]
    assert payment["status"] == "pending"
    assert payment["amount"] == "120.00"
    assert payment["stripe_payment_intent"].startswith("pi_")
    assert student_client.get("/api/enrollments/").json()["count"] == 0

    call_command("pay_test", str(payment["id"]))
    assert stripe_to_app.deliver("payment_intent.succeeded", payment["stripe_payment_intent"]) == "processed"

    assert Payment.objects.get(pk=payment["id"]).status == "succeeded"
    enrollments = student_client.get("/api/enrollments/").json()
    assert enrollments["count"] == 1
    assert enrollments["results"][0]["course"] == course.pk
    assert enrollments["results"][0]["source"] == "payment"
    assert student_client.get(f"/api/payments/{payment['id']}/").json()["status"] == "succeeded"


def test_declined_card_marks_failed_and_does_not_enroll(stripe_to_app, student, student_client, instructor):
    course = CourseFactory(instructor=instructor, price="49.90")
    payment = student_client.post("/api/payments/", {"course": course.pk}).json()["payment"]

    call_command("pay_test", str(payment["id"]), "--decline")
    outcome = stripe_to_app.deliver("payment_intent.payment_failed", payment["stripe_payment_intent"])

    assert outcome == "processed"
    assert Payment.objects.get(pk=payment["id"]).status == "failed"
    assert student_client.get("/api/enrollments/").json()["count"] == 0


def test_a_declined_card_is_retried_on_a_new_intent_and_paid(
    stripe_to_app, student, student_client, instructor
):
    course = CourseFactory(instructor=instructor, price="49.90")
    declined = student_client.post("/api/payments/", {"course": course.pk}).json()["payment"]
    call_command("pay_test", str(declined["id"]), "--decline")
    assert (
        stripe_to_app.deliver("payment_intent.payment_failed", declined["stripe_payment_intent"])
        == "processed"
    )

    response = student_client.post("/api/payments/", {"course": course.pk})

    assert response.status_code == 201, response.content
    retry = response.json()["payment"]
    assert retry["id"] != declined["id"]
    assert retry["stripe_payment_intent"] != declined["stripe_payment_intent"]
    assert (retry["status"], retry["amount"]) == ("pending", "49.90")
    assert Payment.objects.get(pk=declined["id"]).status == "canceled"

    call_command("pay_test", str(retry["id"]))
    assert stripe_to_app.deliver("payment_intent.succeeded", retry["stripe_payment_intent"]) == "processed"
    # Stripe delivers an event more than once at times: the second changes nothing.
    [first_delivery] = [
        d
        for d in stripe_to_app.receiver.received()
        if d.event["type"] == "payment_intent.succeeded"
        and d.event["data"]["object"]["id"] == retry["stripe_payment_intent"]
    ]
    assert forward(first_delivery, stripe_to_app.url)[1]["outcome"] == "duplicate"

    enrollments = student_client.get("/api/enrollments/").json()
    assert enrollments["count"] == 1
    assert (enrollments["results"][0]["course"], enrollments["results"][0]["source"]) == (
        course.pk,
        "payment",
    )
    assert Payment.objects.get(pk=retry["id"]).status == "succeeded"
    # The declined payment's intent was canceled at Stripe: it can never be paid, nor enroll.
    with pytest.raises(CommandError, match="Stripe refused"):
        call_command("pay_test", str(declined["id"]))
    assert Payment.objects.get(pk=declined["id"]).status == "canceled"
    # Even a report that it succeeded (which Stripe cannot send for a canceled intent) is ignored.
    late = IntentState(declined["stripe_payment_intent"], "succeeded", amount=4990, currency="usd")
    assert payment_apply_intent_state(state=late)[0] == "ignored"
    assert Payment.objects.get(pk=declined["id"]).status == "canceled"
    assert student_client.get("/api/enrollments/").json()["count"] == 1


def test_after_localstripe_restarts_empty_the_student_pays_again(
    stripe_to_app, localstripe_settings, student, student_client, instructor
):
    course = CourseFactory(instructor=instructor, price="30.00")
    stranded = student_client.post("/api/payments/", {"course": course.pk}).json()["payment"]
    # `make run` restarted: localstripe starts empty and the app's webhook is registered again.
    localstripe_settings.reset()
    localstripe_settings.register_webhook(stripe_to_app.receiver.url)

    response = student_client.post("/api/payments/", {"course": course.pk})

    assert response.status_code == 201, response.content
    fresh = response.json()["payment"]
    assert fresh["id"] != stranded["id"]
    assert Payment.objects.get(pk=stranded["id"]).status == "canceled"
    call_command("pay_test", str(fresh["id"]))
    assert stripe_to_app.deliver("payment_intent.succeeded", fresh["stripe_payment_intent"]) == "processed"
    assert student_client.get("/api/enrollments/").json()["count"] == 1

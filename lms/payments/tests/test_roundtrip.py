"""The real flow, offline: API → intent at localstripe → confirm → signed webhook → enrollment."""

import time

import pytest
from django.core.management import call_command

from lms.courses.tests.factories import CourseFactory
from lms.payments.models import Payment

pytestmark = pytest.mark.django_db(transaction=True)


def wait_for_status(payment_id: int, status: str, timeout: float = 10.0) -> Payment:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        payment = Payment.objects.get(pk=payment_id)
        if payment.status == status:
            return payment
        time.sleep(0.1)
    raise AssertionError(f"payment {payment_id} is {Payment.objects.get(pk=payment_id).status}, not {status}")


@pytest.fixture
def stripe_to_app(localstripe_settings, live_server):
    localstripe_settings.register_webhook(f"{live_server.url}/api/payments/webhook/")
    return localstripe_settings


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
    wait_for_status(payment["id"], "succeeded")

    enrollments = student_client.get("/api/enrollments/").json()
    assert enrollments["count"] == 1
    assert enrollments["results"][0]["course"] == course.pk
    assert enrollments["results"][0]["source"] == "payment"
    assert student_client.get(f"/api/payments/{payment['id']}/").json()["status"] == "succeeded"


def test_declined_card_marks_failed_and_does_not_enroll(stripe_to_app, student, student_client, instructor):
    course = CourseFactory(instructor=instructor, price="49.90")
    payment = student_client.post("/api/payments/", {"course": course.pk}).json()["payment"]

    call_command("pay_test", str(payment["id"]), "--decline")
    wait_for_status(payment["id"], "failed")

    assert student_client.get("/api/enrollments/").json()["count"] == 0

"""Refused payment actions change nothing, here or at Stripe.

The status of every endpoint x method x role is in lms/core/tests/test_authorization_surface.py.
The world holds real intents at localstripe, so a refused DELETE or refund would be visible
there. DELETE and refund are 403 before the lookup.
"""

from dataclasses import dataclass
from decimal import Decimal

import pytest

from lms.courses.models import Course
from lms.courses.tests.factories import CourseFactory
from lms.enrollments.models import Enrollment
from lms.payments.models import Payment
from lms.payments.services import payment_create
from lms.payments.tests.fixtures import succeeded_payment
from lms.users.models import User

pytestmark = pytest.mark.django_db


@dataclass
class World:
    users: dict[str, User | None]
    course: Course  # a paid course of `owner` that nobody has paid for yet: POST targets it
    pending: Payment  # `student`'s open payment for a course of `owner`
    paid: Payment  # `student`'s succeeded payment for another course of `owner`


@pytest.fixture
def world(localstripe_settings, users_by_role, student, instructor) -> World:
    return World(
        users=users_by_role,
        course=CourseFactory(instructor=instructor, price=Decimal("30.00")),
        pending=payment_create(student=student, course=CourseFactory(instructor=instructor)).payment,
        paid=succeeded_payment(student=student, course=CourseFactory(instructor=instructor)),
    )


def payments(world: World) -> str:
    return "/api/payments/"


def payment(world: World) -> str:
    return f"/api/payments/{world.pending.pk}/"


def refund(world: World) -> str:
    return f"/api/payments/{world.paid.pk}/refund/"


def pay_body(world: World) -> dict:
    return {"course": world.course.pk}


@pytest.mark.parametrize("role", ["anonymous", "student", "other_student", "owner", "other_instructor"])
def test_refused_writes_change_nothing(world, make_client, localstripe_settings, role):
    client = make_client(world.users[role])
    intents_before = localstripe_settings.payment_intents()

    statuses = [
        client.delete(payment(world)).status_code,
        client.post(refund(world)).status_code,
        client.patch(payment(world), {"status": "succeeded"}).status_code,
    ]
    if role not in ("student", "other_student"):
        statuses.append(client.post(payments(world), pay_body(world)).status_code)

    assert set(statuses) <= {401, 403, 405}
    assert list(Payment.objects.order_by("pk").values_list("pk", "status")) == [
        (world.pending.pk, Payment.Status.PENDING),
        (world.paid.pk, Payment.Status.SUCCEEDED),
    ]
    assert localstripe_settings.payment_intents() == intents_before
    assert localstripe_settings.refunds(world.paid.stripe_payment_intent) == []
    assert Enrollment.objects.get(course=world.paid.course).ended_at is None

"""Every payments endpoint x method x role, one test id per cell.

The world holds real intents at localstripe, so a permitted write really happens: a student's
POST creates an intent, an admin's DELETE cancels one, an admin's refund refunds a charge. A
payment outside the requester's scope is 404; DELETE and refund are 403 before the lookup.
"""

from dataclasses import dataclass
from decimal import Decimal

import pytest

from lms.courses.models import Course
from lms.courses.tests.factories import CourseFactory
from lms.enrollments.models import Enrollment
from lms.payments import gateway
from lms.payments.models import Payment
from lms.payments.services import payment_create, payment_sync
from lms.users.models import User

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "student", "other_student", "owner", "other_instructor", "admin"]


@dataclass
class World:
    users: dict[str, User | None]
    course: Course  # a paid course of `owner` that nobody has paid for yet: POST targets it
    pending: Payment  # `student`'s open payment for a course of `owner`
    paid: Payment  # `student`'s succeeded payment for another course of `owner`


@pytest.fixture
def world(localstripe_settings, student, other_student, instructor, other_instructor, admin_user) -> World:
    pending = payment_create(student=student, course=CourseFactory(instructor=instructor)).payment
    paid = payment_create(student=student, course=CourseFactory(instructor=instructor)).payment
    gateway.confirm_test_payment(paid.stripe_payment_intent)
    payment_sync(payment=paid)
    paid.refresh_from_db()
    assert paid.status == Payment.Status.SUCCEEDED
    return World(
        users={
            "anonymous": None,
            "student": student,
            "other_student": other_student,
            "owner": instructor,
            "other_instructor": other_instructor,
            "admin": admin_user,
        },
        course=CourseFactory(instructor=instructor, price=Decimal("30.00")),
        pending=pending,
        paid=paid,
    )


def payments(world: World) -> str:
    return "/api/payments/"


def payment(world: World) -> str:
    return f"/api/payments/{world.pending.pk}/"


def refund(world: World) -> str:
    return f"/api/payments/{world.paid.pk}/refund/"


def pay_body(world: World) -> dict:
    return {"course": world.course.pk}


def no_body(world: World) -> None:
    return None


# (endpoint, method, body) -> status for anonymous, student, other_student, owner, other_instructor, admin
TABLE = [
    (payments, "get", no_body, [401, 200, 200, 200, 200, 200]),
    (payments, "post", pay_body, [401, 201, 201, 403, 403, 403]),
    (payments, "put", pay_body, [401, 405, 405, 405, 405, 405]),
    (payments, "delete", no_body, [401, 405, 405, 405, 405, 405]),
    (payment, "get", no_body, [401, 200, 404, 200, 404, 200]),
    (payment, "put", pay_body, [401, 405, 405, 405, 405, 405]),
    (payment, "patch", pay_body, [401, 405, 405, 405, 405, 405]),
    (payment, "delete", no_body, [401, 403, 403, 403, 403, 204]),
    (refund, "get", no_body, [401, 405, 405, 405, 405, 405]),
    (refund, "post", no_body, [401, 403, 403, 403, 403, 200]),
]

CELLS = [
    pytest.param(endpoint, method, body, role, status, id=f"{endpoint.__name__}-{method}-{role}-{status}")
    for endpoint, method, body, statuses in TABLE
    for role, status in zip(ROLES, statuses, strict=True)
]


@pytest.mark.parametrize(("endpoint", "method", "body", "role", "status"), CELLS)
def test_permission_table(world, make_client, endpoint, method, body, role, status):
    client = make_client(world.users[role])

    r = getattr(client, method)(endpoint(world), body(world))

    assert r.status_code == status, r.content
    if status >= 400:
        assert set(r.json()) == {"detail", "code"}


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

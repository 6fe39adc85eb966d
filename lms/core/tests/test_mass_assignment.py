"""Mass assignment: fields a client must not set, sent through every writable endpoint.

Each endpoint gets its valid body plus one field it does not take from that sender. The
answer is 400 `{"<field>": ["This field cannot be set."]}`, and the stored rows (and, for
payments, Stripe's objects) are exactly what they were. The few fields an endpoint does take
from its sender by design (an admin's `role`, an admin naming a course's `instructor`, ...) are
tested below for what they are allowed to do.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from typing import Any

import pytest
from django.urls import reverse

from lms.courses.models import Course
from lms.courses.tests.factories import CourseFactory, FreeCourseFactory
from lms.enrollments.models import Enrollment
from lms.payments.models import Payment
from lms.payments.tests.fixtures import succeeded_payment
from lms.users.models import Role, User
from lms.users.tests.factories import PASSWORD, StudentFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "An0ther-Long-Passphrase"


@dataclass
class World:
    users: dict[str, User]
    member: User  # the account admin user management acts on
    course: Course  # a course of `owner`
    free_course: Course
    paid_course: Course  # nobody has paid for it
    request: pytest.FixtureRequest
    make_client: Callable
    stripe: Any = None

    def client(self, role: str) -> Any:
        return self.make_client(self.users[role])

    def use_localstripe(self) -> Any:
        if self.stripe is None:
            self.stripe = self.request.getfixturevalue("localstripe_settings")
        return self.stripe

    @cached_property
    def succeeded_payment(self) -> Payment:
        self.use_localstripe()
        return succeeded_payment(student=self.users["student"], course=self.paid_course)


@pytest.fixture
def world(request, make_client, users_by_role, instructor) -> World:
    return World(
        users=users_by_role,
        member=StudentFactory(username="member", email="member@example.com"),
        course=CourseFactory(instructor=instructor, title="Owned", price=Decimal("10.00")),
        free_course=FreeCourseFactory(instructor=instructor),
        paid_course=CourseFactory(instructor=instructor, price=Decimal("120.00")),
        request=request,
        make_client=make_client,
    )


# What an attacker would like to store, field by field; a callable names another user.
ATTACKS: dict[str, Any] = {
    "role": Role.ADMIN,
    "is_staff": True,
    "is_superuser": True,
    "is_active": False,
    "instructor": lambda w: w.users["other_instructor"].pk,
    "student": lambda w: w.users["other_student"].pk,
    "status": Payment.Status.SUCCEEDED,
    "amount": "1.00",
    "stripe_payment_intent": "pi_attacker",
    "id": 999999,
    "created_at": "2000-01-01T00:00:00Z",
    "password": "Attacker-Chosen-Passw0rd",
    "date_joined": "2000-01-01T00:00:00Z",
    "source": Enrollment.Source.ADMIN,
    "currency": "jpy",
    "ended_at": None,
}


def attack(world: World, field_name: str) -> Any:
    value = ATTACKS[field_name]
    return value(world) if callable(value) else value


@dataclass(frozen=True)
class Write:
    role: str  # who sends it
    method: str
    url: Callable[[World], str]
    body: Callable[[World], dict]  # valid on its own
    accepts: frozenset[str] = field(default_factory=frozenset)  # taken from this sender by design
    stripe: bool = False


def _member(world: World) -> str:
    return reverse("user-detail", kwargs={"pk": world.member.pk})


def _course(world: World) -> str:
    return reverse("course-detail", kwargs={"pk": world.course.pk})


def _refund(world: World) -> str:
    return reverse("payment-refund", kwargs={"pk": world.succeeded_payment.pk})


def _new_account(world: World) -> dict:
    return {"username": "newcomer", "email": "newcomer@example.com", "password": NEW_PASSWORD}


def _course_body(world: World) -> dict:
    return {"title": "Written", "description": "By the attacker", "price": "20.00"}


WRITES: dict[str, Write] = {
    "register": Write(
        "anonymous", "post", lambda w: reverse("register"), _new_account, frozenset({"role", "password"})
    ),
    "me": Write("student", "patch", lambda w: reverse("me"), lambda w: {"username": "renamed"}),
    "me-as-admin": Write("admin", "patch", lambda w: reverse("me"), lambda w: {"username": "renamed"}),
    "password-change": Write(
        "student",
        "post",
        lambda w: reverse("password-change"),
        lambda w: {"current_password": PASSWORD, "new_password": NEW_PASSWORD},
    ),
    "user-create": Write(
        "admin", "post", lambda w: reverse("user-list"), _new_account, frozenset({"role", "password"})
    ),
    "user-put": Write(
        "admin",
        "put",
        _member,
        lambda w: {
            "username": "replaced",
            "email": "replaced@example.com",
            "role": Role.STUDENT,
            "is_active": True,
        },
        frozenset({"role", "is_active"}),
    ),
    "user-patch": Write(
        "admin", "patch", _member, lambda w: {"username": "patched"}, frozenset({"role", "is_active"})
    ),
    "course-create": Write(
        "owner", "post", lambda w: reverse("course-list"), _course_body, frozenset({"instructor"})
    ),
    "course-put": Write("owner", "put", _course, _course_body, frozenset({"instructor"})),
    "course-patch": Write(
        "owner", "patch", _course, lambda w: {"title": "Patched"}, frozenset({"instructor"})
    ),
    "enroll": Write(
        "student", "post", lambda w: reverse("enrollment-list"), lambda w: {"course": w.free_course.pk}
    ),
    "enroll-as-admin": Write(
        "admin",
        "post",
        lambda w: reverse("enrollment-list"),
        lambda w: {"student": w.users["student"].pk, "course": w.free_course.pk},
        frozenset({"student"}),
    ),
    "pay": Write(
        "student",
        "post",
        lambda w: reverse("payment-list"),
        lambda w: {"course": w.paid_course.pk},
        frozenset({"amount"}),
        stripe=True,
    ),
    "refund": Write("admin", "post", _refund, lambda w: {}, stripe=True),
}


def stored(world: World) -> dict[str, list]:
    """Every row a write could touch, and Stripe's objects when the test uses them."""
    state = {
        "users": list(User.objects.order_by("pk").values()),
        "courses": list(Course.objects.order_by("pk").values()),
        "enrollments": list(Enrollment.objects.order_by("pk").values()),
        "payments": list(Payment.objects.order_by("pk").values()),
    }
    if world.stripe is not None:
        intents = world.stripe.payment_intents()
        state["intents"] = sorted((i["id"], i["status"], i["amount"]) for i in intents)
        charged = [i["id"] for i in intents if i["status"] == "succeeded"]  # only these can have refunds
        state["refunds"] = sorted(r["id"] for intent in charged for r in world.stripe.refunds(intent))
    return state


def prepare(world: World, write: Write) -> None:
    """Make what the write points at (a refund needs a succeeded payment) before the snapshot."""
    if write.stripe:
        world.use_localstripe()
    write.url(world)


def send(world: World, write: Write, body: dict) -> Any:
    return getattr(world.client(write.role), write.method)(write.url(world), body, format="json")


REFUSED = [
    pytest.param(name, field_name, id=f"{name}-{field_name}")
    for name, write in WRITES.items()
    for field_name in ATTACKS
    if field_name not in write.accepts
]


@pytest.mark.parametrize(("name", "field_name"), REFUSED)
def test_a_field_the_endpoint_does_not_take_is_refused(world, name, field_name):
    write = WRITES[name]
    prepare(world, write)
    before = stored(world)

    r = send(world, write, {**write.body(world), field_name: attack(world, field_name)})

    assert r.status_code == 400, r.content
    assert r.json() == {field_name: ["This field cannot be set."]}
    assert stored(world) == before


@pytest.mark.parametrize("name", list(WRITES))
def test_the_valid_body_alone_is_accepted(world, name):
    """The bodies above are valid, so each refusal is the extra field's doing."""
    write = WRITES[name]
    prepare(world, write)
    before = stored(world)

    r = send(world, write, write.body(world))

    assert r.status_code < 300, r.content
    assert stored(world) != before


# --- Fields an endpoint takes from its sender, by design ------------------------------------------


def test_anonymous_registration_cannot_choose_admin(world):
    r = send(world, WRITES["register"], {**_new_account(world), "role": Role.ADMIN})

    assert r.status_code == 400
    assert list(r.json()) == ["role"]
    assert not User.objects.filter(username="newcomer").exists()


def test_an_admin_creates_an_admin_but_not_an_inactive_account(world):
    r = send(world, WRITES["user-create"], {**_new_account(world), "role": Role.ADMIN})

    assert r.status_code == 201, r.content
    created = User.objects.get(username="newcomer")
    assert (created.role, created.is_active, created.is_staff) == (Role.ADMIN, True, True)


@pytest.mark.parametrize("method", ["put", "patch"])
def test_an_admin_sets_role_and_is_active_of_another_account(world, method):
    write = WRITES[f"user-{method}"]

    r = send(world, write, {**write.body(world), "role": Role.INSTRUCTOR, "is_active": False})

    assert r.status_code == 200, r.content
    world.member.refresh_from_db()
    assert (world.member.role, world.member.is_active) == (Role.INSTRUCTOR, False)
    assert (r.json()["role"], r.json()["is_active"]) == (Role.INSTRUCTOR, False)


@pytest.mark.parametrize("change", [{"role": Role.STUDENT}, {"is_active": False}])
def test_an_admin_cannot_demote_or_deactivate_themselves(world, change):
    admin = world.users["admin"]
    path = reverse("user-detail", kwargs={"pk": admin.pk})
    before = stored(world)

    r = world.client("admin").patch(path, change, format="json")

    assert r.status_code == 409
    assert stored(world) == before


@pytest.mark.parametrize("name", ["course-create", "course-put", "course-patch"])
def test_an_instructor_cannot_name_another_instructor(world, name):
    write = WRITES[name]
    before = stored(world)

    r = send(world, write, {**write.body(world), "instructor": world.users["other_instructor"].pk})

    assert r.status_code == 400
    assert list(r.json()) == ["instructor"]
    assert stored(world) == before


def test_an_admin_names_and_moves_the_instructor(world):
    other = world.users["other_instructor"]

    created = world.client("admin").post(
        reverse("course-list"), {**_course_body(world), "instructor": other.pk}, format="json"
    )
    moved = world.client("admin").patch(_course(world), {"instructor": other.pk}, format="json")

    assert (created.status_code, moved.status_code) == (201, 200)
    assert Course.objects.get(pk=created.json()["id"]).instructor == other
    world.course.refresh_from_db()
    assert world.course.instructor == other


def test_an_admin_enrolls_the_student_they_name_for_free(world):
    other = world.users["other_student"]

    r = send(world, WRITES["enroll-as-admin"], {"student": other.pk, "course": world.paid_course.pk})

    assert r.status_code == 201, r.content
    enrollment = Enrollment.objects.get()
    assert (enrollment.student, enrollment.course, enrollment.source) == (
        other,
        world.paid_course,
        Enrollment.Source.ADMIN,
    )
    assert not Payment.objects.exists()


def test_a_payment_amount_other_than_the_price_is_refused(world):
    world.use_localstripe()
    before = stored(world)

    r = send(world, WRITES["pay"], {"course": world.paid_course.pk, "amount": "1.00"})

    assert r.status_code == 400
    assert list(r.json()) == ["amount"]
    assert stored(world) == before


def test_a_payment_amount_equal_to_the_price_is_the_price(world):
    stripe = world.use_localstripe()

    r = send(world, WRITES["pay"], {"course": world.paid_course.pk, "amount": "120.0"})

    assert r.status_code == 201, r.content
    payment = Payment.objects.get()
    assert (payment.student, payment.amount, payment.status) == (
        world.users["student"],
        Decimal("120.00"),
        Payment.Status.PENDING,
    )
    [intent] = stripe.payment_intents()
    assert (intent["id"], intent["amount"]) == (payment.stripe_payment_intent, 12000)

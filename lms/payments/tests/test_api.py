from decimal import Decimal

import pytest

from lms.courses.tests.factories import CourseFactory, FreeCourseFactory
from lms.enrollments.models import Enrollment
from lms.enrollments.tests.factories import EnrollmentFactory
from lms.payments import gateway
from lms.payments.models import Payment
from lms.payments.services import payment_create
from lms.payments.tests.factories import PaymentFactory
from lms.payments.tests.fixtures import _free_port, succeeded_payment

pytestmark = pytest.mark.django_db

LIST = "/api/payments/"
Status = Payment.Status
PAYMENT_FIELDS = {
    "id",
    "student",
    "course",
    "course_title",
    "amount",
    "currency",
    "status",
    "stripe_payment_intent",
    "created_at",
    "updated_at",
}


def detail(payment: Payment) -> str:
    return f"/api/payments/{payment.pk}/"


def refund(payment: Payment) -> str:
    return f"/api/payments/{payment.pk}/refund/"


def ids(response) -> set[int]:
    return {row["id"] for row in response.json()["results"]}


@pytest.fixture
def course(instructor):
    return CourseFactory(instructor=instructor, price=Decimal("120.00"))


# --- POST /api/payments/ ------------------------------------------------------------------------


def test_create_returns_the_client_secret_the_publishable_key_and_the_payment(
    localstripe_settings, student, student_client, course, settings
):
    settings.STRIPE_PUBLISHABLE_KEY = "pk_test_for_the_browser"
    r = student_client.post(LIST, {"course": course.pk})

    assert r.status_code == 201, r.content
    body = r.json()
    assert set(body) == {"client_secret", "publishable_key", "payment"}
    assert body["publishable_key"] == "pk_test_for_the_browser"
    payment = Payment.objects.get()
    [intent] = localstripe_settings.payment_intents()
    assert body["client_secret"] == intent["client_secret"]
    assert body["payment"] == {
        "id": payment.pk,
        "student": student.pk,
        "course": course.pk,
        "course_title": course.title,
        "amount": "120.00",
        "currency": "usd",
        "status": "pending",
        "stripe_payment_intent": intent["id"],
        "created_at": body["payment"]["created_at"],
        "updated_at": body["payment"]["updated_at"],
    }


def test_create_again_while_pending_is_200_with_the_same_payment(
    localstripe_settings, student_client, course
):
    first = student_client.post(LIST, {"course": course.pk, "amount": "120.00"})

    second = student_client.post(LIST, {"course": course.pk, "amount": "120.00"})

    assert (first.status_code, second.status_code) == (201, 200)
    assert second.json()["client_secret"] == first.json()["client_secret"]
    assert second.json()["payment"]["id"] == first.json()["payment"]["id"]
    assert Payment.objects.count() == 1
    assert len(localstripe_settings.payment_intents()) == 1


def test_retry_after_stripe_lost_the_intent_is_201_with_a_new_payment(
    localstripe_settings, student_client, course
):
    first = student_client.post(LIST, {"course": course.pk}).json()
    localstripe_settings.reset()  # as a restarted localstripe

    r = student_client.post(LIST, {"course": course.pk})

    assert r.status_code == 201, r.content
    assert r.json()["payment"]["id"] != first["payment"]["id"]
    assert r.json()["client_secret"] != first["client_secret"]
    assert student_client.get(f"{LIST}{first['payment']['id']}/").json()["status"] == "canceled"


def test_retry_after_a_declined_card_is_201_with_a_new_payment(localstripe_settings, student_client, course):
    first = student_client.post(LIST, {"course": course.pk}).json()["payment"]
    gateway.confirm_test_payment(first["stripe_payment_intent"], decline=True)

    r = student_client.post(LIST, {"course": course.pk})

    assert r.status_code == 201, r.content
    assert r.json()["payment"]["stripe_payment_intent"] != first["stripe_payment_intent"]
    assert student_client.get(f"{LIST}{first['id']}/").json()["status"] == "canceled"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("student", "other"),
        ("status", "succeeded"),
        ("stripe_payment_intent", "pi_mine"),
        ("currency", "jpy"),
        ("id", 1),
    ],
)
def test_the_client_cannot_set_server_side_fields(
    localstripe_settings, student_client, other_student, course, field, value
):
    if value == "other":
        value = other_student.pk

    r = student_client.post(LIST, {"course": course.pk, field: value})

    assert r.status_code == 400
    assert r.json() == {field: ["This field cannot be set."]}
    assert not Payment.objects.exists()
    assert localstripe_settings.payment_intents() == []


@pytest.mark.parametrize("amount", ["1.00", "119.99", "0", "-120.00", "abc", "120.001"])
def test_an_amount_other_than_the_price_is_400(localstripe_settings, student_client, course, amount):
    r = student_client.post(LIST, {"course": course.pk, "amount": amount})

    assert r.status_code == 400
    assert set(r.json()) == {"amount"}
    assert not Payment.objects.exists()
    assert localstripe_settings.payment_intents() == []


def test_a_free_course_is_400(localstripe_settings, student_client):
    r = student_client.post(LIST, {"course": FreeCourseFactory().pk})

    assert r.status_code == 400
    assert set(r.json()) == {"course"}
    assert "/api/enrollments/" in r.json()["course"][0]
    assert not Payment.objects.exists()


@pytest.mark.parametrize("body", [{}, {"course": 999999}, {"course": "x"}])
def test_a_missing_or_unknown_course_is_400(localstripe_settings, student_client, body):
    r = student_client.post(LIST, body)

    assert r.status_code == 400
    assert set(r.json()) == {"course"}
    assert not Payment.objects.exists()


def test_an_enrolled_student_is_409(localstripe_settings, student, student_client, course):
    EnrollmentFactory(student=student, course=course)

    r = student_client.post(LIST, {"course": course.pk})

    assert r.status_code == 409
    assert r.json()["code"] == "already_enrolled"
    assert not Payment.objects.exists()


@pytest.mark.parametrize("who", ["instructor", "other_instructor", "admin_user"])
def test_only_students_pay(localstripe_settings, request, make_client, course, who):
    r = make_client(request.getfixturevalue(who)).post(LIST, {"course": course.pk})

    assert r.status_code == 403
    assert not Payment.objects.exists()
    assert localstripe_settings.payment_intents() == []


def test_unreachable_stripe_is_503(settings, student_client, course):
    settings.STRIPE_SECRET_KEY = "sk_test_unreachable"
    settings.STRIPE_API_BASE = f"http://127.0.0.1:{_free_port()}"

    r = student_client.post(LIST, {"course": course.pk})

    assert r.status_code == 503
    assert r.json()["code"] == "upstream_unavailable"
    assert not Payment.objects.exists()


def test_a_stripe_error_is_502_without_its_message(localstripe_settings, settings, student_client, course):
    settings.STRIPE_SECRET_KEY = "sk_x"  # localstripe answers 401

    r = student_client.post(LIST, {"course": course.pk})

    assert r.status_code == 502
    assert r.json() == {"detail": "The payment provider returned an error.", "code": "upstream_error"}
    assert not Payment.objects.exists()


def test_stripe_not_configured_is_503(settings, student_client, course):
    settings.STRIPE_SECRET_KEY = ""

    r = student_client.post(LIST, {"course": course.pk})

    assert r.status_code == 503
    assert r.json()["code"] == "payment_provider_not_configured"
    assert not Payment.objects.exists()


# --- Who sees what -----------------------------------------------------------------------------


@pytest.fixture
def payments(student, other_student, instructor, other_instructor):
    mine = CourseFactory(instructor=instructor, price=Decimal("50.00"))
    theirs = CourseFactory(instructor=other_instructor, price=Decimal("70.00"))
    return {
        "student_mine": PaymentFactory(student=student, course=mine, status=Status.SUCCEEDED),
        "student_theirs": PaymentFactory(student=student, course=theirs),
        "other_mine": PaymentFactory(student=other_student, course=mine, status=Status.FAILED),
        "other_theirs": PaymentFactory(student=other_student, course=theirs, status=Status.CANCELED),
    }


VISIBLE = {
    "student": {"student_mine", "student_theirs"},
    "other_student": {"other_mine", "other_theirs"},
    "instructor": {"student_mine", "other_mine"},
    "other_instructor": {"student_theirs", "other_theirs"},
    "admin_user": {"student_mine", "student_theirs", "other_mine", "other_theirs"},
}


@pytest.mark.parametrize(("who", "visible"), VISIBLE.items())
def test_list_and_detail_are_scoped(request, make_client, payments, who, visible):
    client = make_client(request.getfixturevalue(who))

    r = client.get(LIST)

    assert r.status_code == 200
    assert r.json()["count"] == len(visible)
    assert ids(r) == {payments[name].pk for name in visible}
    for name, payment in payments.items():
        expected = 200 if name in visible else 404
        assert client.get(detail(payment)).status_code == expected, name


def test_detail_shape(student_client, payments):
    payment = payments["student_mine"]

    r = student_client.get(detail(payment))

    assert r.json() == {
        "id": payment.pk,
        "student": payment.student_id,
        "course": payment.course_id,
        "course_title": payment.course.title,
        "amount": "50.00",
        "currency": "usd",
        "status": "succeeded",
        "stripe_payment_intent": payment.stripe_payment_intent,
        "created_at": r.json()["created_at"],
        "updated_at": r.json()["updated_at"],
    }
    assert set(r.json()) == PAYMENT_FIELDS


def test_unknown_payment_is_404(admin_client_api):
    assert admin_client_api.get("/api/payments/999999/").status_code == 404


def test_list_is_newest_first(admin_client_api, payments):
    r = admin_client_api.get(LIST)

    created = [row["created_at"] for row in r.json()["results"]]
    assert created == sorted(created, reverse=True)
    assert r.json()["results"][0]["id"] == payments["other_theirs"].pk


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status=succeeded", {"student_mine"}),
        ("status=pending", {"student_theirs"}),
        ("status=failed", {"other_mine"}),
        ("status=canceled", {"other_theirs"}),
        ("status=refunded", set()),
        ("course={mine}", {"student_mine", "other_mine"}),
        ("student={student}", {"student_mine", "student_theirs"}),
        ("student={student}&course={theirs}", {"student_theirs"}),
    ],
)
def test_admin_filters(admin_client_api, payments, query, expected):
    query = query.format(
        mine=payments["student_mine"].course_id,
        theirs=payments["student_theirs"].course_id,
        student=payments["student_mine"].student_id,
    )

    r = admin_client_api.get(f"{LIST}?{query}")

    assert r.status_code == 200
    assert ids(r) == {payments[name].pk for name in expected}


def test_filters_stay_inside_the_scope(instructor_client, payments):
    theirs = payments["student_theirs"].course_id

    r = instructor_client.get(f"{LIST}?course={theirs}")

    assert r.status_code == 200
    assert ids(r) == set()


def test_ordering_by_amount(admin_client_api, payments):
    ascending = admin_client_api.get(f"{LIST}?ordering=amount").json()["results"]
    descending = admin_client_api.get(f"{LIST}?ordering=-amount").json()["results"]

    assert [row["amount"] for row in ascending] == ["50.00", "50.00", "70.00", "70.00"]
    assert [row["amount"] for row in descending] == ["70.00", "70.00", "50.00", "50.00"]


@pytest.mark.parametrize("query", ["status=paid", "course=abc", "course=0", "student=-1"])
def test_invalid_filter_is_400(admin_client_api, payments, query):
    assert admin_client_api.get(f"{LIST}?{query}").status_code == 400


# --- DELETE /api/payments/{id}/ (admin) ------------------------------------------------------------


def test_admin_deletes_a_pending_payment_and_its_intent_is_canceled(
    localstripe_settings, admin_client_api, student, course
):
    payment = payment_create(student=student, course=course).payment

    r = admin_client_api.delete(detail(payment))

    assert r.status_code == 204
    assert not Payment.objects.filter(pk=payment.pk).exists()
    [intent] = localstripe_settings.payment_intents()
    assert (intent["id"], intent["status"]) == (payment.stripe_payment_intent, "canceled")


def test_admin_deletes_a_payment_whose_intent_stripe_lost(
    localstripe_settings, admin_client_api, student, course
):
    payment = payment_create(student=student, course=course).payment
    localstripe_settings.reset()  # as a restarted localstripe

    r = admin_client_api.delete(detail(payment))

    assert r.status_code == 204, r.content
    assert not Payment.objects.filter(pk=payment.pk).exists()


@pytest.mark.parametrize("status", [Status.SUCCEEDED, Status.REFUNDED])
def test_admin_cannot_delete_a_payment_that_took_money(admin_client_api, course, status):
    payment = PaymentFactory(course=course, status=status)

    r = admin_client_api.delete(detail(payment))

    assert r.status_code == 409
    assert r.json()["code"] == "payment_has_money"
    assert Payment.objects.filter(pk=payment.pk, status=status).exists()


def test_deleting_a_payment_that_just_succeeded_at_stripe_is_409_and_enrolls(
    localstripe_settings, admin_client_api, student, course
):
    payment = payment_create(student=student, course=course).payment
    gateway.confirm_test_payment(payment.stripe_payment_intent)

    r = admin_client_api.delete(detail(payment))

    assert r.status_code == 409
    payment.refresh_from_db()
    assert payment.status == Status.SUCCEEDED
    assert Enrollment.objects.filter(student=student, course=course, ended_at__isnull=True).count() == 1


@pytest.mark.parametrize("who", ["student", "instructor"])
def test_only_admins_delete(localstripe_settings, request, make_client, student, course, who):
    payment = payment_create(student=student, course=course).payment

    r = make_client(request.getfixturevalue(who)).delete(detail(payment))

    assert r.status_code == 403
    assert Payment.objects.filter(pk=payment.pk, status=Status.PENDING).exists()
    assert gateway.retrieve_payment_intent(payment.stripe_payment_intent).status == "requires_payment_method"


# --- POST /api/payments/{id}/refund/ (admin) ---------------------------------------------------


@pytest.fixture(name="succeeded_payment")
def succeeded_payment_fixture(localstripe_settings, student, course) -> Payment:
    return succeeded_payment(student=student, course=course)


def test_admin_refunds_at_stripe_and_the_enrollment_ends(
    localstripe_settings, admin_client_api, student_client, succeeded_payment, student, course
):
    r = admin_client_api.post(refund(succeeded_payment))

    assert r.status_code == 200, r.content
    assert r.json()["status"] == "refunded"
    assert r.json()["id"] == succeeded_payment.pk
    assert set(r.json()) == PAYMENT_FIELDS
    [stripe_refund] = localstripe_settings.refunds(succeeded_payment.stripe_payment_intent)
    assert stripe_refund["amount"] == 12000
    # The row stays, marked refunded; the enrollment's row stays too, ended.
    assert Payment.objects.get(pk=succeeded_payment.pk).status == Status.REFUNDED
    enrollment = Enrollment.objects.get(student=student, course=course)
    assert enrollment.ended_at is not None
    [seen] = student_client.get("/api/enrollments/").json()["results"]
    assert (seen["course"], seen["is_active"]) == (course.pk, False)
    assert student_client.get(detail(succeeded_payment)).json()["status"] == "refunded"


def test_a_refunded_student_can_pay_again(
    localstripe_settings, admin_client_api, student_client, succeeded_payment, course
):
    admin_client_api.post(refund(succeeded_payment))

    r = student_client.post(LIST, {"course": course.pk})

    assert r.status_code == 201
    assert r.json()["payment"]["id"] != succeeded_payment.pk
    assert Payment.objects.count() == 2


@pytest.mark.parametrize("status", [Status.PENDING, Status.FAILED, Status.CANCELED])
def test_refund_of_a_payment_that_did_not_succeed_is_409(
    localstripe_settings, admin_client_api, course, status
):
    payment = PaymentFactory(course=course, status=status)

    r = admin_client_api.post(refund(payment))

    assert r.status_code == 409
    assert r.json()["code"] == "conflict"
    payment.refresh_from_db()
    assert payment.status == status


def test_refund_of_a_payment_whose_intent_stripe_lost_is_409(
    localstripe_settings, admin_client_api, student_client, succeeded_payment
):
    localstripe_settings.reset()

    r = admin_client_api.post(refund(succeeded_payment))

    assert r.status_code == 409, r.content
    assert r["Content-Type"] == "application/json"
    assert r.json()["code"] == "payment_intent_missing"
    assert "no such payment intent" in r.json()["detail"]
    assert Payment.objects.get(pk=succeeded_payment.pk).status == Status.SUCCEEDED
    assert student_client.get("/api/enrollments/").json()["results"][0]["is_active"] is True


@pytest.mark.parametrize("who", ["student", "instructor"])
def test_only_admins_refund(request, make_client, succeeded_payment, who):
    r = make_client(request.getfixturevalue(who)).post(refund(succeeded_payment))

    assert r.status_code == 403
    assert Payment.objects.get(pk=succeeded_payment.pk).status == Status.SUCCEEDED


def test_payment_creation_is_rate_limited_per_user(throttle_rates, localstripe_settings, student_client):
    throttle_rates(payments="2/minute")
    course = CourseFactory(price=Decimal("25.00"))

    statuses = [student_client.post("/api/payments/", {"course": course.pk}).status_code for _ in range(3)]

    assert statuses == [201, 200, 429]
    assert Payment.objects.count() == 1

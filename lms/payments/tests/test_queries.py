"""A fixed number of queries per request, whatever the page size: no N+1."""

from decimal import Decimal

import pytest

from lms.core.tests.queries import assert_no_n_plus_one, queries_of
from lms.courses.models import Course
from lms.payments.models import Payment

pytestmark = pytest.mark.django_db

ROWS = 101


@pytest.fixture
def paid(student, instructor):
    """ROWS payments of `student` for courses of `instructor`: each role below sees all of them."""
    Course.objects.bulk_create(
        Course(title=f"Course {n}", price=Decimal(10), instructor=instructor) for n in range(ROWS)
    )
    Payment.objects.bulk_create(
        Payment(
            student=student,
            course=course,
            amount=course.price,
            currency="usd",
            status=Payment.Status.SUCCEEDED,
            stripe_payment_intent=f"pi_query{course.pk}",
        )
        for course in Course.objects.filter(instructor=instructor)
    )
    return Payment.objects.first()


@pytest.mark.parametrize("who", ["student", "instructor", "admin_user"])
def test_payment_list(request, make_client, paid, who):
    page = assert_no_n_plus_one(make_client(request.getfixturevalue(who)), "/api/payments/")

    assert page["count"] == ROWS
    titles = {course.pk: course.title for course in Course.objects.all()}
    assert all(row["course_title"] == titles[row["course"]] for row in page["results"])


@pytest.mark.parametrize("who", ["other_student", "other_instructor"])
def test_payment_list_out_of_scope(request, make_client, paid, who):
    _, page = queries_of(make_client(request.getfixturevalue(who)), "/api/payments/")

    assert page["count"] == 0


def test_payment_list_filtered_and_ordered(admin_client_api, paid):
    page = assert_no_n_plus_one(admin_client_api, "/api/payments/?status=succeeded&ordering=-amount")

    assert page["count"] == ROWS


@pytest.mark.parametrize("who", ["student", "instructor", "admin_user"])
def test_payment_detail(request, make_client, paid, django_assert_num_queries, who):
    client = make_client(request.getfixturevalue(who))

    # user, the payment
    with django_assert_num_queries(2):
        r = client.get(f"/api/payments/{paid.pk}/")

    assert r.status_code == 200
    assert r.json()["id"] == paid.pk


@pytest.mark.parametrize("who", ["other_student", "other_instructor"])
def test_payment_detail_out_of_scope(request, make_client, paid, django_assert_num_queries, who):
    client = make_client(request.getfixturevalue(who))

    # user, the (missing) payment
    with django_assert_num_queries(2):
        r = client.get(f"/api/payments/{paid.pk}/")

    assert r.status_code == 404

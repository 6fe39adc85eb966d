"""A fixed number of queries per request, whatever the page size: no N+1.

Each test's request is its user's first, so it pays one query to load the user (later ones read the cache).
"""

from decimal import Decimal

import pytest

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
@pytest.mark.parametrize("page_size", [1, 100])
def test_payment_list(request, make_client, paid, django_assert_num_queries, who, page_size):
    client = make_client(request.getfixturevalue(who))

    # user, COUNT(*), the page
    with django_assert_num_queries(3):
        r = client.get(f"/api/payments/?page_size={page_size}")

    assert r.status_code == 200
    assert r.json()["count"] == ROWS
    assert len(r.json()["results"]) == page_size


@pytest.mark.parametrize("who", ["other_student", "other_instructor"])
@pytest.mark.parametrize("page_size", [1, 100])
def test_payment_list_out_of_scope(request, make_client, paid, django_assert_num_queries, who, page_size):
    client = make_client(request.getfixturevalue(who))

    # user, COUNT(*); an empty page is not fetched
    with django_assert_num_queries(2):
        r = client.get(f"/api/payments/?page_size={page_size}")

    assert r.status_code == 200
    assert r.json()["count"] == 0


@pytest.mark.parametrize("page_size", [1, 100])
def test_payment_list_filtered_and_ordered(admin_client_api, paid, django_assert_num_queries, page_size):
    with django_assert_num_queries(3):
        r = admin_client_api.get(f"/api/payments/?page_size={page_size}&status=succeeded&ordering=-amount")

    assert r.status_code == 200
    assert len(r.json()["results"]) == page_size


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

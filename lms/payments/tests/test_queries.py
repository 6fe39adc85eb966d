"""A fixed number of queries per request, whatever the page size: no N+1.

Each test's request is its user's first, so it pays one query to load the user (later ones read the cache).
"""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lms.audit.models import AuditRecord
from lms.courses.models import Course
from lms.courses.tests.factories import CourseFactory
from lms.enrollments.models import Enrollment
from lms.payments.models import Payment, WebhookEvent
from lms.payments.tests.factories import PaymentFactory
from lms.payments.tests.test_webhooks import SECRET, intent_event, post

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


# The statements of one webhook event that enrolls a student, by database (`connection.vendor`).
WEBHOOK_NEW_ENROLLMENT = {"postgresql": 7, "mysql": 9, "sqlite": 9}


@pytest.mark.django_db(transaction=True)  # the event's own transaction, as in production: BEGIN ... COMMIT
def test_webhook_event_for_a_new_enrollment(settings):
    """One signed `payment_intent.succeeded` event that pays and enrolls:

    - BEGIN
    - SELECT the payment ... FOR UPDATE; on PostgreSQL joined with its student and course (FOR UPDATE
      OF the payment only); on MariaDB and SQLite (no FOR UPDATE OF) the payment alone, and then
      - SELECT the student (enrollment_ensure checks that the account is a student's)
      - SELECT the course
    - UPDATE the payment (succeeded)
    - INSERT the enrollment (no savepoint around it: the first attempt is optimistic)
    - INSERT the two audit records, the payment's and the enrollment's, in one statement
    - INSERT the webhook event
    - COMMIT

    PostgreSQL 7, MariaDB and SQLite 9.
    """
    settings.STRIPE_WEBHOOK_SECRET = SECRET
    settings.STRIPE_SECRET_KEY = ""
    payment = PaymentFactory(course=CourseFactory(price=Decimal("120.00")))
    body = intent_event(payment, event_id="evt_queries")

    with CaptureQueriesContext(connection) as queries:
        r = post(body)

    assert r.status_code == 200, r.content
    assert r.json()["outcome"] == "processed"
    statements = [q["sql"] for q in queries.captured_queries]
    assert len(statements) == WEBHOOK_NEW_ENROLLMENT[connection.vendor], "\n".join(statements)
    assert (statements[0], statements[-1]) == ("BEGIN", "COMMIT")
    audit_table = AuditRecord._meta.db_table
    assert len([sql for sql in statements if sql.startswith("INSERT") and audit_table in sql]) == 1
    payment.refresh_from_db()
    assert payment.status == Payment.Status.SUCCEEDED
    assert Enrollment.objects.filter(student=payment.student, course=payment.course).count() == 1
    assert AuditRecord.objects.count() == 2
    assert WebhookEvent.objects.get().event_id == "evt_queries"

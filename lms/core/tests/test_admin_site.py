"""Money, access, courses and their history: read in the admin site, written only by the services."""

from decimal import Decimal

import pytest
from django.test import Client

from lms.audit.models import AuditRecord
from lms.courses.tests.factories import CourseFactory, FreeCourseFactory
from lms.enrollments.models import Enrollment
from lms.learning.services import lesson_create, section_create
from lms.payments.models import Payment, WebhookEvent
from lms.payments.tests.factories import PaymentFactory
from lms.users.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(student_client):
    student_client.post("/api/enrollments/", {"course": FreeCourseFactory().pk})  # an enrollment, audited
    course = CourseFactory(price=Decimal("120.00"))
    section = section_create(actor=course.instructor, course=course, title="Basics")
    lesson = lesson_create(actor=course.instructor, section=section, title="One", body="**read**")
    return {
        "audit/auditrecord": AuditRecord.objects.get(),
        "enrollments/enrollment": Enrollment.objects.get(),
        "payments/payment": PaymentFactory(),
        "courses/course": course,
        "courses/section": section,
        "courses/lesson": lesson,
        "payments/webhookevent": WebhookEvent.objects.create(
            event_id="evt_admin", type="payment_intent.succeeded", outcome="processed"
        ),
    }


@pytest.mark.parametrize(
    "model",
    [
        "audit/auditrecord",
        "courses/course",
        "courses/section",
        "courses/lesson",
        "enrollments/enrollment",
        "payments/payment",
        "payments/webhookevent",
    ],
)
def test_the_admin_site_reads_but_never_writes(model, records, admin_user):
    obj = records[model]
    before = {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}
    site = Client()
    site.force_login(admin_user)
    url = f"/admin/{model}/"

    assert site.get(url).status_code == 200
    assert site.get(f"{url}{obj.pk}/change/").status_code == 200  # a read-only view
    assert site.get(f"{url}add/").status_code == 403
    assert site.post(f"{url}add/", {}).status_code == 403
    assert (
        site.post(
            f"{url}{obj.pk}/change/",
            {"status": "succeeded", "ended_at": "2026-01-01", "price": "0.10", "title": "Changed"},
        ).status_code
        == 403
    )
    assert site.post(f"{url}{obj.pk}/delete/", {"post": "yes"}).status_code == 403

    obj.refresh_from_db()
    assert {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields} == before
    counts = (AuditRecord.objects.count(), Enrollment.objects.count(), Payment.objects.count())
    assert counts == (1, 1, 1)


# --- The login: the email address, as in the API -----------------------------------------------


def admin_login(client: Client, login: str, password: str):
    # Django's login page names the field `username`; it takes the email address.
    return client.post("/admin/login/?next=/admin/", {"username": login, "password": password})


def test_the_admin_logs_in_with_their_email(admin_user):
    site = Client()

    r = admin_login(site, admin_user.email, PASSWORD)

    assert r.status_code == 302
    assert r["Location"] == "/admin/"
    assert site.session["_auth_user_id"] == str(admin_user.pk)
    assert site.get("/admin/").status_code == 200


def test_the_admin_login_email_ignores_letter_case(admin_user):
    site = Client()

    assert admin_login(site, admin_user.email.upper(), PASSWORD).status_code == 302
    assert site.session["_auth_user_id"] == str(admin_user.pk)


def test_the_admin_login_page_asks_for_the_email():
    page = Client().get("/admin/login/").content.decode()

    assert 'type="email"' in page
    assert ">Email:</label>" in page


@pytest.mark.parametrize(
    "credentials",
    [
        pytest.param(lambda u: (u.username, PASSWORD), id="username-instead-of-email"),
        pytest.param(lambda u: (u.email, "Wrong-Passw0rd-x"), id="wrong-password"),
        pytest.param(lambda u: ("nobody@example.com", PASSWORD), id="unknown-email"),
    ],
)
def test_the_admin_login_refuses_anything_but_the_email_and_password(admin_user, credentials):
    site = Client()

    r = admin_login(site, *credentials(admin_user))

    assert r.status_code == 200  # the form again, with the error
    assert "Please enter the correct email address and password" in r.content.decode()
    assert "_auth_user_id" not in site.session


@pytest.mark.parametrize("role", ["student", "instructor"])
def test_only_admins_log_in_to_the_admin_site(request, role):
    user = request.getfixturevalue(role)
    site = Client()

    r = admin_login(site, user.email, PASSWORD)

    assert r.status_code == 200
    assert "_auth_user_id" not in site.session


def test_a_deactivated_admin_cannot_log_in(admin_user):
    admin_user.is_active = False
    admin_user.save(update_fields=["is_active"])
    site = Client()

    assert admin_login(site, admin_user.email, PASSWORD).status_code == 200
    assert "_auth_user_id" not in site.session

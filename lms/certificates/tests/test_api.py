"""Who may read which certificate, download it and verify a code: the whole matrix."""

import pytest

from lms.certificates.models import Certificate
from lms.courses.tests.factories import CourseFactory
from lms.enrollments.services import enrollment_end
from lms.enrollments.tests.factories import EnrollmentFactory
from lms.users.tests.factories import InstructorFactory, StudentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate(enrollment, complete):
    return complete(enrollment)


@pytest.fixture
def other_certificate(complete, course):
    """Another student's certificate in another instructor's course."""
    from lms.learning.services import lesson_create, section_create

    teacher = InstructorFactory()
    other = CourseFactory(instructor=teacher)
    lesson_create(actor=teacher, section=section_create(actor=teacher, course=other, title="S"), title="L")
    return complete(EnrollmentFactory(student=StudentFactory(), course=other))


def test_each_role_lists_the_certificates_in_its_scope(
    make_client, student, instructor, admin_user, certificate, other_certificate
):
    def listed(user):
        r = make_client(user).get("/api/certificates/")
        assert r.status_code == 200
        return {c["id"] for c in r.json()["results"]}

    assert listed(student) == {certificate.pk}
    assert listed(instructor) == {certificate.pk}  # the owner of its course
    assert listed(admin_user) == {certificate.pk, other_certificate.pk}
    assert listed(StudentFactory()) == set()
    assert make_client().get("/api/certificates/").status_code == 401


def test_a_certificate_outside_your_scope_is_404(
    make_client, student, instructor, certificate, other_certificate
):
    for user in (student, instructor):
        assert make_client(user).get(f"/api/certificates/{other_certificate.pk}/").status_code == 404
        assert make_client(user).get(f"/api/certificates/{other_certificate.pk}/pdf/").status_code == 404
    assert make_client().get(f"/api/certificates/{certificate.pk}/pdf/").status_code == 401


def test_the_student_reads_and_downloads_their_certificate(student_client, certificate):
    r = student_client.get(f"/api/certificates/{certificate.pk}/")
    pdf = student_client.get(f"/api/certificates/{certificate.pk}/pdf/")

    assert r.status_code == 200
    body = r.json()
    assert body["status"] == "ready"
    assert body["code"] == certificate.code
    assert body["verify_url"].endswith(f"/verify/{certificate.code}")
    assert body["pdf_url"].endswith(f"/api/certificates/{certificate.pk}/pdf/")
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert 'filename="certificate-elements-de-python-les-bases.pdf"' in pdf["Content-Disposition"]
    assert b"".join(pdf.streaming_content).startswith(b"%PDF-")


def test_anyone_verifies_a_code_and_learns_only_name_course_date_and_status(anon_client, certificate):
    r = anon_client.get(f"/api/certificates/verify/{certificate.code}/")

    assert r.status_code == 200
    assert r.json() == {
        "student_name": "Zoë Ångström-Müller",
        "course_title": "Éléments de Python — les bases",
        "completed_at": certificate.completed_at.isoformat().replace("+00:00", "Z"),
        "status": "valid",
    }


def test_an_unknown_code_is_404(anon_client, certificate):
    # The code with its last character changed (to "x", or to "y" when it already ends in "x").
    unknown = certificate.code[:-1] + ("y" if certificate.code.endswith("x") else "x")
    r = anon_client.get(f"/api/certificates/verify/{unknown}/")

    assert r.status_code == 404
    assert r.json()["code"] == "not_found"


def test_after_a_refund_or_an_end_verification_says_revoked_and_the_download_is_refused(
    anon_client, student_client, enrollment, certificate
):
    enrollment_end(enrollment=enrollment)

    verified = anon_client.get(f"/api/certificates/verify/{certificate.code}/")
    pdf = student_client.get(f"/api/certificates/{certificate.pk}/pdf/")
    detail = student_client.get(f"/api/certificates/{certificate.pk}/")

    assert verified.json()["status"] == "revoked"
    assert pdf.status_code == 410
    assert pdf.json()["code"] == "certificate_revoked"
    assert (detail.json()["status"], detail.json()["pdf_url"]) == ("revoked", None)
    assert Certificate.objects.filter(pk=certificate.pk).exists()


def test_a_pending_certificate_cannot_be_downloaded_yet(student_client, certificate):
    Certificate.objects.filter(pk=certificate.pk).update(file="")

    r = student_client.get(f"/api/certificates/{certificate.pk}/pdf/")

    assert r.status_code == 409
    assert r.json()["code"] == "certificate_pending"
    assert student_client.get(f"/api/certificates/{certificate.pk}/").json()["pdf_url"] is None


def test_verification_is_throttled_per_client(anon_client, certificate, settings):
    rates = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**rates, "certificate_verify": "3/minute"},
    }

    codes = [anon_client.get(f"/api/certificates/verify/{certificate.code}/").status_code for _ in range(4)]

    assert codes == [200, 200, 200, 429]


def test_certificates_cannot_be_written_through_the_api(make_client, admin_user, certificate):
    client = make_client(admin_user)
    url = f"/api/certificates/{certificate.pk}/"

    assert client.post("/api/certificates/", {"enrollment": certificate.enrollment_id}).status_code == 405
    assert client.patch(url, {"student_name": "x"}).status_code == 405
    assert client.delete(url).status_code == 405

"""Two requests completing the last lesson at once: one certificate."""

import pytest

from conftest import client_for
from lms.certificates.models import Certificate
from lms.payments.tests.test_concurrency import in_threads

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_last_lessons_completed_at_once_issue_one_certificate(student, course, enrollment):
    lessons = list(course.sections.get().lessons.order_by("position"))

    def complete(i: int) -> int:
        return client_for(student).post(f"/api/lessons/{lessons[i % 2].pk}/complete/").status_code

    statuses = in_threads(8, complete)

    assert statuses == [200] * 8
    certificate = Certificate.objects.get()
    assert certificate.enrollment_id == enrollment.pk
    assert certificate.status == Certificate.Status.READY  # rendered once, after the commit

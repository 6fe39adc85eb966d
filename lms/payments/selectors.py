from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery

from lms.courses.models import Course
from lms.courses.viewer import ViewerState
from lms.enrollments.models import Enrollment
from lms.payments.models import Payment
from lms.users.models import User


def payment_list_for(*, user: User) -> QuerySet[Payment]:
    """The payments a user may see: their own, those for courses they teach, or all for admins.

    Each carries its course's title (joined, in the same query)."""
    fields = [f.attname for f in Payment._meta.concrete_fields]
    qs = (
        Payment.objects.select_related("course").only(*fields, "course__title").order_by("-created_at", "-id")
    )
    if user.is_admin:
        return qs
    if user.is_instructor:
        return qs.filter(course__instructor=user)
    return qs.filter(student=user)


def course_viewer_states(*, student: User, course_ids: list[int]) -> dict[int, ViewerState]:
    """For each of these courses that the student is enrolled in or has paid for: whether the
    enrollment is active, and the status of their latest payment. One query."""
    enrolled = Enrollment.objects.filter(student=student, course=OuterRef("pk"), ended_at__isnull=True)
    latest = (
        Payment.objects.filter(student=student, course=OuterRef("pk"))
        .order_by("-created_at", "-id")
        .values("status")[:1]
    )
    rows = (
        Course.objects.filter(pk__in=course_ids)
        .annotate(enrolled=Exists(enrolled), paid=Subquery(latest))
        .filter(Q(enrolled=True) | Q(paid__isnull=False))
        .order_by()
        .values_list("pk", "enrolled", "paid")
    )
    return {pk: ViewerState(is_enrolled=enrolled, payment_status=paid) for pk, enrolled, paid in rows}
